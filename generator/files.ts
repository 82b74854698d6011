/**
 * Writing and checking generated files: the small layers over the in-memory result
 * of `generate`. Writes are atomic and skip unchanged files; checks write nothing.
 */
import { createTwoFilesPatch } from 'diff';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CodegenError, DiagnosticCodes } from './diagnostics.js';
import { describeFsError } from './json-source.js';
import { isGeneratedText } from './emit/banner.js';

export interface GeneratedFile {
  /** Path relative to the output directory, with forward slashes. */
  readonly path: string;
  readonly contents: string;
}

export interface WriteReport {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly removed: readonly string[];
}

export interface CheckReport {
  readonly ok: boolean;
  /** Files whose contents differ, each with a short unified diff (current -> expected). */
  readonly stale: readonly { readonly path: string; readonly diff: string }[];
  readonly missing: readonly string[];
  /** Generated files (they carry the banner) that are no longer generated. */
  readonly extra: readonly string[];
}

export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Files under `dir` that carry the generated-file banner, relative, sorted. */
async function listGeneratedFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const found: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    const text = await readIfExists(full);
    if (text !== undefined && isGeneratedText(text)) found.push(path.relative(dir, full).split(path.sep).join('/'));
  }
  return found.sort();
}

/**
 * Brings `outDir` in line with `files`: writes changed and new files (each to a
 * temporary file first, all renamed into place only once every one is written), then
 * removes generated files no longer produced. User files without the banner are left alone.
 */
export async function writeGeneratedFiles(outDir: string, files: readonly GeneratedFile[]): Promise<WriteReport> {
  const { written, unchanged } = await writeFilesAtomically(outDir, files);
  const keep = new Set(files.map((f) => f.path));
  const removed = (await listGeneratedFiles(outDir)).filter((f) => !keep.has(f));
  for (const file of removed) await rm(path.join(outDir, file));
  return { written, unchanged, removed };
}

/**
 * Writes `files` under `dir`, skipping those whose content is unchanged: each to a
 * temporary file first, all renamed into place only once every one is written, so an
 * error leaves no file half-written (and, before the renames, none changed at all).
 */
export async function writeFilesAtomically(dir: string, files: readonly GeneratedFile[]): Promise<{ written: string[]; unchanged: string[] }> {
  const written: string[] = [];
  const unchanged: string[] = [];
  const staged: { temp: string; target: string }[] = [];
  try {
    for (const file of files) {
      const target = path.join(dir, file.path);
      if ((await readIfExists(target)) === file.contents) {
        unchanged.push(file.path);
        continue;
      }
      await mkdir(path.dirname(target), { recursive: true });
      const temp = `${target}.tmp-${process.pid}-${staged.length}`;
      await writeFile(temp, file.contents, 'utf8');
      staged.push({ temp, target });
      written.push(file.path);
    }
    for (const { temp, target } of staged) await rename(temp, target);
  } catch (error) {
    await Promise.all(staged.map(({ temp }) => rm(temp, { force: true })));
    throw new CodegenError([{ code: DiagnosticCodes.writeFailed, file: dir, message: `cannot write files: ${describeFsError(error)}` }]);
  }
  return { written, unchanged };
}

/** Compares `outDir` with `files` without writing anything. */
export async function checkGeneratedFiles(outDir: string, files: readonly GeneratedFile[], maxDiffLines = 40): Promise<CheckReport> {
  const stale: { path: string; diff: string }[] = [];
  const missing: string[] = [];
  for (const file of files) {
    const current = await readIfExists(path.join(outDir, file.path));
    if (current === undefined) missing.push(file.path);
    else if (current !== file.contents) stale.push({ path: file.path, diff: shortDiff(file.path, current, file.contents, maxDiffLines) });
  }
  const keep = new Set(files.map((f) => f.path));
  const extra = (await listGeneratedFiles(outDir)).filter((f) => !keep.has(f));
  return { ok: stale.length === 0 && missing.length === 0 && extra.length === 0, stale, missing, extra };
}

function shortDiff(name: string, current: string, expected: string, maxLines: number): string {
  const patch = createTwoFilesPatch(`${name} (on disk)`, `${name} (generated)`, current, expected, undefined, undefined, { context: 2 });
  const lines = patch.split('\n').slice(2).filter((line) => line !== '');
  const shown = lines.slice(0, maxLines);
  if (lines.length > maxLines) shown.push(`... (${lines.length - maxLines} more diff lines)`);
  return shown.join('\n');
}
