/** Shared test helpers: temporary projects, independent source positions, directory snapshots. */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const EMBEDDED_SCHEMA_PATH = path.join(REPO_ROOT, 'schema', 'kafka-event.schema.json');
export const GENERATED_DIR = path.join(REPO_ROOT, 'generated');

const made: string[] = [];

/** A fresh temporary directory, removed after the test. */
export async function tempDir(prefix = 'msk-codegen-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/**
 * The 1-based line and column of the `occurrence`-th (1-based) `needle` in `text`,
 * computed by counting characters: independent of the code under test.
 */
export function positionOf(text: string, needle: string, occurrence = 1): { line: number; column: number } {
  let offset = -1;
  for (let i = 0; i < occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`${JSON.stringify(needle)} occurs fewer than ${occurrence} times`);
  }
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** Every file under `dir` with its contents and modification time, to prove a directory untouched. */
export async function snapshotDir(dir: string): Promise<Record<string, { contents: string; mtimeMs: number }>> {
  const result: Record<string, { contents: string; mtimeMs: number }> = {};
  let entries: string[];
  try {
    entries = (await readdir(dir, { recursive: true })).map(String);
  } catch {
    return result;
  }
  for (const entry of entries.sort()) {
    const full = path.join(dir, entry);
    const info = await stat(full);
    if (info.isFile()) result[entry] = { contents: await readFile(full, 'utf8'), mtimeMs: info.mtimeMs };
  }
  return result;
}

/** Replaces exactly one occurrence of `from` in `text`; fails loudly if there is not exactly one. */
export function replaceOnce(text: string, from: string, to: string): string {
  const first = text.indexOf(from);
  if (first < 0 || text.indexOf(from, first + 1) >= 0) throw new Error(`expected exactly one ${JSON.stringify(from)}`);
  return text.slice(0, first) + to + text.slice(first + from.length);
}
