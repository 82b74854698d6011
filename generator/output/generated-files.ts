/**
 * Writing and checking generated files: the small layers over the in-memory result
 * of `generate`. A write is one unit (all files or none, under a lock on the output
 * folder) and skips unchanged files; checks write nothing. Both only ever look at the
 * top level of the output folder, at the names the emitter registry lists (emit/registry.ts).
 */
import { createTwoFilesPatch } from 'diff';
import * as path from 'node:path';
import { CodegenError, DiagnosticCodes, type Diagnostic } from '../core/diagnostics.js';
import { describeFsError } from '../core/json-source.js';
import { readRegularFile } from '../core/regular-file.js';
import { isGeneratedText } from '../emit/banner.js';
import { generatedFileNames } from '../emit/registry.js';
import { commitChanges, type FileChange } from './commit.js';
import { acquireOutputLock, awaitUnlocked, isAlive, type LockWaitOptions } from './lock.js';
import {
  assertSafeOutDir,
  errorCode,
  FORMERLY_GENERATED_FILE_NAMES,
  isGeneratedFileName,
  isLeftoverTempName,
  LOCK_FILE_NAME,
  tempFilePid,
  nodeFs,
  type OutputFs,
  type ProjectGuard,
} from './folder.js';

export interface GeneratedFile {
  /** Path relative to the output directory, with forward slashes. */
  readonly path: string;
  readonly contents: string;
}

export interface WriteReport {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly removed: readonly string[];
  /** What an interrupted run had left (a stale lock, temporary files), now removed. */
  readonly cleanedUp: readonly string[];
}

export interface CheckReport {
  readonly ok: boolean;
  /** Files whose contents differ, each with a short unified diff (current -> expected). */
  readonly stale: readonly { readonly path: string; readonly diff: string }[];
  readonly missing: readonly string[];
  /** Generated files (they carry the banner) that are no longer generated. */
  readonly extra: readonly string[];
  /** Present when an interrupted run left a stale lock or temporary files (the next generate removes them). */
  readonly leftovers?: readonly string[];
}

export interface WriteOptions {
  /**
   * What the caller knows about the project (the CLI passes projectGuardOf(config)): an
   * output folder that is its root, contains it or holds one of its inputs is refused.
   * The file system root, system folders and the home folder are refused regardless.
   */
  readonly project?: ProjectGuard;
  /** The file operations; default node:fs/promises. For tests. */
  readonly fs?: OutputFs;
  /** Waiting for another run that holds the output folder's lock. */
  readonly lock?: LockWaitOptions;
}

export interface CheckOptions extends WriteOptions {
  /** Diff lines shown per stale file. Default: 40. */
  readonly maxDiffLines?: number;
}

/** A regular file's text, or undefined when there is none; a pipe or device is refused before it is opened (see regular-file.ts). */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readRegularFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Brings `outDir` in line with `files`, as one unit: under the folder's lock, reads every
 * file it may change, then writes the changed and new ones (staged as temporary files,
 * renamed into place) and removes generated files no longer produced, rolling everything
 * back if one step fails. Only top-level regular files named by the emitter registry that
 * carry the banner are ever removed; a symbolic link, a folder or a user's file never is.
 */
export async function writeGeneratedFiles(
  outDir: string,
  files: readonly GeneratedFile[],
  options: WriteOptions = {},
): Promise<WriteReport> {
  const out = path.resolve(outDir);
  const fs = options.fs ?? nodeFs;
  assertGeneratedNames(out, files);
  await assertSafeOutDir(out, options.project);
  await ensureFolder(out, fs);
  const lock = await acquireOutputLock(out, fs, options.lock);
  try {
    // The lock is ours, so temporary files here are an interrupted run's: remove them first.
    const cleanedUp = [...(lock.tookOver ? [lock.tookOver] : []), ...(await removeLeftoverTemps(out, fs))];
    const current = await readOutputFolder(out, files, fs);
    const { changes, unchanged } = planChanges(out, files, current);
    await commitChanges(changes, { fs, dir: out, rerun: 'running generate again' });
    const written = changes.filter((c) => c.after !== undefined).map((c) => c.name);
    const removed = changes.filter((c) => c.after === undefined).map((c) => c.name);
    return { written, unchanged, removed, cleanedUp };
  } finally {
    await lock.release();
  }
}

/**
 * Writes `files` under `dir` (paths may have folders), skipping those whose content is
 * unchanged, all or nothing: every file is read first, then the changed ones are staged
 * as temporary files and renamed into place, and on failure the ones already replaced
 * are restored. For init, scaffold and sample --out: no lock, no removal.
 */
export async function writeFilesAtomically(
  dir: string,
  files: readonly GeneratedFile[],
  options: { readonly fs?: OutputFs } = {},
): Promise<{ written: string[]; unchanged: string[] }> {
  const fs = options.fs ?? nodeFs;
  const changes: FileChange[] = [];
  const unchanged: string[] = [];
  for (const file of files) {
    const target = path.join(dir, file.path);
    const before = await readCurrent(fs, target, file.path);
    if (before === file.contents) unchanged.push(file.path);
    else changes.push({ name: file.path, target, before, after: file.contents });
  }
  await commitChanges(changes, { fs, dir, rerun: 'running the command again' });
  return { written: changes.map((c) => c.name), unchanged };
}

/**
 * Compares `outDir` with `files` without writing anything. Waits while another run
 * holds the folder's lock; a stale lock or temporary files left by an interrupted run
 * are reported as leftovers (and make the check fail).
 */
export async function checkGeneratedFiles(
  outDir: string,
  files: readonly GeneratedFile[],
  options: CheckOptions | number = {},
): Promise<CheckReport> {
  const { maxDiffLines = 40, ...rest } = typeof options === 'number' ? { maxDiffLines: options } : options;
  const out = path.resolve(outDir);
  const fs = rest.fs ?? nodeFs;
  assertGeneratedNames(out, files);
  await assertSafeOutDir(out, rest.project);
  if (!(await folderExists(out, fs))) return { ok: false, stale: [], missing: files.map((f) => f.path), extra: [] };
  const lock = await awaitUnlocked(out, fs, rest.lock);
  const leftovers = [...(lock.kind === 'stale' ? [LOCK_FILE_NAME] : []), ...(await listLeftoverTemps(out, fs))];
  const current = await readOutputFolder(out, files, fs);
  const stale: { path: string; diff: string }[] = [];
  const missing: string[] = [];
  for (const file of files) {
    const text = current.get(file.path);
    if (text === undefined) missing.push(file.path);
    else if (text !== file.contents)
      stale.push({ path: file.path, diff: shortDiff(file.path, text, file.contents, maxDiffLines) });
  }
  const extra = obsoleteGeneratedFiles(files, current);
  const ok = stale.length === 0 && missing.length === 0 && extra.length === 0 && leftovers.length === 0;
  return { ok, stale, missing, extra, ...(leftovers.length > 0 ? { leftovers } : {}) };
}

/** Only names `generate` produces may be written: they are the only ones it will ever clean up. */
function assertGeneratedNames(out: string, files: readonly GeneratedFile[]): void {
  const unknown = files.filter((f) => !isGeneratedFileName(f.path));
  if (unknown.length === 0) return;
  throw new CodegenError(
    unknown.map((f) => ({
      code: DiagnosticCodes.usage,
      file: path.join(out, f.path),
      message: `not a file msk-codegen generates (expected one of ${generatedFileNames().join(', ')})`,
    })),
  );
}

/** Whether `out` exists as a folder (following a symbolic link to one); anything else there is an error naming it. */
async function folderExists(out: string, fs: OutputFs): Promise<boolean> {
  try {
    await fs.readdir(out);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    const why = errorCode(error) === 'ENOTDIR' ? 'it is a file, not a folder' : describeFsError(error);
    throw new CodegenError([
      { code: DiagnosticCodes.unreadable, file: out, message: `cannot use the output folder: ${why}` },
    ]);
  }
}

async function ensureFolder(out: string, fs: OutputFs): Promise<void> {
  if (await folderExists(out, fs)) return;
  try {
    await fs.mkdir(out);
  } catch (error) {
    throw new CodegenError([
      {
        code: DiagnosticCodes.writeFailed,
        file: out,
        message: `cannot create the output folder: ${describeFsError(error)}`,
      },
    ]);
  }
}

/**
 * The current text of every generated name at the top level of `out` that is a regular file
 * (by lstat: a symbolic link is never followed). A name this run must write that is taken by
 * something else (a folder, a link) is an error; any other non-file is left alone. Every
 * problem is collected, so one message names them all.
 */
async function readOutputFolder(
  out: string,
  files: readonly GeneratedFile[],
  fs: OutputFs,
): Promise<Map<string, string>> {
  const wanted = new Set(files.map((f) => f.path));
  const current = new Map<string, string>();
  const problems: Diagnostic[] = [];
  // Names from earlier versions too: after an upgrade they are generated files no longer produced, to remove.
  for (const name of [...generatedFileNames(), ...FORMERLY_GENERATED_FILE_NAMES]) {
    const file = path.join(out, name);
    try {
      const info = await fs.lstat(file);
      if (!info.isFile()) {
        const what = info.isDirectory() ? 'a folder' : info.isSymbolicLink() ? 'a symbolic link' : 'not a regular file';
        if (wanted.has(name))
          problems.push({
            code: DiagnosticCodes.writeFailed,
            file,
            message: `${what} is where msk-codegen writes ${name}: move it away, or choose another output folder`,
          });
        continue;
      }
      current.set(name, await fs.readFile(file));
    } catch (error) {
      if (errorCode(error) === 'ENOENT') continue;
      problems.push({
        code: DiagnosticCodes.unreadable,
        file,
        message: `cannot read the generated file: ${describeFsError(error)}`,
      });
    }
  }
  if (problems.length > 0) throw new CodegenError(problems);
  return current;
}

/** Files that are written, unchanged, and removed: the generated files (banner) no longer produced. */
function planChanges(
  out: string,
  files: readonly GeneratedFile[],
  current: ReadonlyMap<string, string>,
): { changes: FileChange[]; unchanged: string[] } {
  const changes: FileChange[] = [];
  const unchanged: string[] = [];
  for (const file of files) {
    const before = current.get(file.path);
    if (before === file.contents) unchanged.push(file.path);
    else changes.push({ name: file.path, target: path.join(out, file.path), before, after: file.contents });
  }
  for (const name of obsoleteGeneratedFiles(files, current))
    changes.push({ name, target: path.join(out, name), before: current.get(name), after: undefined });
  return { changes, unchanged };
}

function obsoleteGeneratedFiles(files: readonly GeneratedFile[], current: ReadonlyMap<string, string>): string[] {
  const keep = new Set(files.map((f) => f.path));
  return [...current].filter(([name, text]) => !keep.has(name) && isGeneratedText(text)).map(([name]) => name);
}

/** Temporary files an interrupted run left at the top level of `out` (ours by name, regular files). */
async function listLeftoverTemps(out: string, fs: OutputFs): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(out);
  } catch (error) {
    throw new CodegenError([
      {
        code: DiagnosticCodes.unreadable,
        file: out,
        message: `cannot read the output folder: ${describeFsError(error)}`,
      },
    ]);
  }
  const found: string[] = [];
  for (const name of names.filter(isLeftoverTempName).sort()) {
    // A temporary file of a process that still runs (another generate taking over a stale
    // lock, or a write in progress) is in use, not left over.
    if (isAlive(tempFilePid(name) as number)) continue;
    const info = await fs.lstat(path.join(out, name)).catch(() => undefined);
    if (info?.isFile()) found.push(name);
  }
  return found;
}

async function removeLeftoverTemps(out: string, fs: OutputFs): Promise<string[]> {
  const found = await listLeftoverTemps(out, fs);
  for (const name of found) {
    try {
      await fs.unlink(path.join(out, name));
    } catch (error) {
      if (errorCode(error) === 'ENOENT') continue;
      throw new CodegenError([
        {
          code: DiagnosticCodes.writeFailed,
          file: path.join(out, name),
          message: `cannot remove a temporary file an interrupted run left: ${describeFsError(error)}`,
        },
      ]);
    }
  }
  return found;
}

/** A file's text, or undefined when there is none; any other failure is an error naming it. */
async function readCurrent(fs: OutputFs, file: string, name: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw new CodegenError([
      { code: DiagnosticCodes.unreadable, file, message: `cannot read ${name}: ${describeFsError(error)}` },
    ]);
  }
}

function shortDiff(name: string, current: string, expected: string, maxLines: number): string {
  const patch = createTwoFilesPatch(
    `${name} (on disk)`,
    `${name} (generated)`,
    current,
    expected,
    undefined,
    undefined,
    { context: 2 },
  );
  const lines = patch
    .split('\n')
    .slice(2)
    .filter((line) => line !== '');
  const shown = lines.slice(0, maxLines);
  if (lines.length > maxLines) shown.push(`... (${lines.length - maxLines} more diff lines)`);
  return shown.join('\n');
}
