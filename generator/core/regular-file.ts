/**
 * Inputs are read only from regular files. Opening a named pipe for reading blocks until
 * something writes to it, a device may never end (/dev/zero, a terminal), and a
 * directory has no text: each is refused, after a `stat` and before any `open`, with an
 * error saying what the path is. A symbolic link to a regular file is a regular file here.
 */
import { lstatSync, readFileSync, statSync, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';

/** The `code` of the error thrown for a path that exists but is not a regular file. */
export const NOT_REGULAR_FILE = 'E_NOT_REGULAR_FILE';

/** What a file system entry is, with its article: "a named pipe", "a directory", ... */
export function describeFileKind(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** An error (with `code` NOT_REGULAR_FILE) whose message is what describeFsError shows: "it is a named pipe, not a regular file". */
export function notRegularFileError(stats: Stats): NodeJS.ErrnoException {
  return Object.assign(new Error(`it is ${describeFileKind(stats)}, not a regular file`), { code: NOT_REGULAR_FILE });
}

/** Throws (before opening it) unless `file` is a regular file; errors from `stat` (ENOENT, ...) are thrown as they are. */
export function assertRegularFileSync(file: string): void {
  const stats = statSync(file);
  if (!stats.isFile()) throw notRegularFileError(stats);
}

export async function assertRegularFile(file: string): Promise<void> {
  const stats = await stat(file);
  if (!stats.isFile()) throw notRegularFileError(stats);
}

/** `readFileSync`, for regular files only (see assertRegularFileSync). */
export function readRegularFileSync(file: string, encoding: BufferEncoding): string {
  assertRegularFileSync(file);
  return readFileSync(file, encoding);
}

/** `readFile`, for regular files only (see assertRegularFile). */
export async function readRegularFile(file: string): Promise<Buffer>;
export async function readRegularFile(file: string, encoding: BufferEncoding): Promise<string>;
export async function readRegularFile(file: string, encoding?: BufferEncoding): Promise<string | Buffer> {
  await assertRegularFile(file);
  return encoding === undefined ? readFile(file) : readFile(file, encoding);
}

/**
 * Whether anything is at `file`: a file, a folder, a symbolic link (even one that points
 * nowhere, which existsSync reports as absent). What init and scaffold must not replace.
 */
export function entryExists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
