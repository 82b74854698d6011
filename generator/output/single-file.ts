/**
 * Writes one file a user named on the command line (`sample --out`): atomically, to a
 * temporary file in the target's own folder renamed over it, and without reading the
 * target first. A symbolic link is written through: its real target is replaced and the
 * link stays. A target that exists and is not a regular file (a device such as
 * /dev/null, a named pipe, a directory, a /proc or /sys entry) is refused before
 * anything is opened: such a target is written to by redirecting standard output.
 */
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readlink, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import * as path from 'node:path';
import { CodegenError, DiagnosticCodes } from '../core/diagnostics.js';
import { describeFsError } from '../core/json-source.js';
import { describeFileKind } from '../core/regular-file.js';

export interface WrittenOutput {
  /** The file that was replaced or created: `file` itself, or the real target of the symbolic link `file`. */
  readonly written: string;
}

/** Folders whose entries are kernel interfaces, not files (on Linux). */
const PSEUDO_FILE_SYSTEMS = ['/proc', '/sys'];
const MAX_LINKS = 40;

export interface OutputOptions {
  /** The flag, for messages (default `--out`). */
  readonly option?: string;
  /** The path as the user gave it, for the suggested redirection (default: `file`). */
  readonly display?: string;
}

/**
 * Writes `contents` to `file` (an absolute path) as described above. Throws CodegenError
 * (E_WRITE_FAILED, naming `file`) when it cannot, or will not.
 */
export async function writeOutputFile(
  file: string,
  contents: string,
  { option = '--out', display = file }: OutputOptions = {},
): Promise<WrittenOutput> {
  const refuse = (why: string): never => {
    throw new CodegenError([{ code: DiagnosticCodes.writeFailed, file, message: `cannot write ${option}: ${why}` }]);
  };
  /** `what` ("a named pipe", "a symbolic link to a named pipe") is not a file to replace. */
  const notAFile = (what: string, directory: boolean): never =>
    refuse(
      directory
        ? `it is ${what}, not a regular file: name a file inside it`
        : `it is ${what}, not a regular file: ${option} replaces a file, so to write to it, leave out ${option} and redirect standard output instead (> ${shellWord(display)})`,
    );

  // A path under /proc or /sys as given (/proc/self/fd/1 leads to whatever standard output is) is refused before anything is followed.
  const givenPseudo = PSEUDO_FILE_SYSTEMS.find((root) => file === root || file.startsWith(`${root}/`));
  if (givenPseudo !== undefined) notAFile(`an entry of ${givenPseudo} (a kernel interface)`, false);
  const given = await statOrUndefined(lstat, file).catch((error: unknown) => refuse(describeFsError(error)));
  let target = file;
  let exists: Stats | undefined;
  if (given?.isSymbolicLink()) {
    // stat follows the link (also /proc/self/fd/N, whose readlink text is no path for a pipe).
    exists = await statOrUndefined(stat, file).catch((error: unknown) => refuse(describeFsError(error)));
    if (exists !== undefined && !exists.isFile())
      notAFile(`a symbolic link to ${describeFileKind(exists)}`, exists.isDirectory());
    target =
      exists !== undefined
        ? await realpath(file).catch((error: unknown) => refuse(describeFsError(error)))
        : await danglingTarget(file, refuse);
  } else if (given !== undefined) {
    if (!given.isFile()) notAFile(describeFileKind(given), given.isDirectory());
    exists = given;
  }

  const folder = path.dirname(target);
  if (given === undefined)
    await mkdir(folder, { recursive: true }).catch((error: unknown) => refuse(describeFsError(error)));
  const realFolder = await realpath(folder).catch((error: unknown) =>
    refuse(
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `the folder it leads to, ${folder}, does not exist`
        : `its folder ${folder}: ${describeFsError(error)}`,
    ),
  );
  const pseudo = PSEUDO_FILE_SYSTEMS.find((root) => realFolder === root || realFolder.startsWith(`${root}/`));
  if (pseudo !== undefined) notAFile(`an entry of ${pseudo} (a kernel interface)`, false);

  const temp = path.join(
    folder,
    `.${path.basename(target)}.msk-codegen-${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    // 'wx': create a new file, never open one (or follow a link) already there.
    await writeFile(temp, contents, { encoding: 'utf8', flag: 'wx' });
    if (exists !== undefined) await chmod(temp, exists.mode & 0o7777);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    refuse(describeFsError(error));
  }
  return { written: target };
}

async function statOrUndefined(how: (file: string) => Promise<Stats>, file: string): Promise<Stats | undefined> {
  try {
    return await how(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The path a chain of symbolic links ending at nothing points to: the file writing through it creates. */
async function danglingTarget(file: string, refuse: (why: string) => never): Promise<string> {
  let current = file;
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    const stats = await statOrUndefined(lstat, current).catch((error: unknown) => refuse(describeFsError(error)));
    if (stats === undefined) return current;
    if (!stats.isSymbolicLink()) break;
    current = path.resolve(path.dirname(current), await readlink(current));
  }
  return refuse(`it is a symbolic link that leads nowhere after ${MAX_LINKS} links`);
}

/** `file` as one shell word, for a suggested command line. */
function shellWord(file: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`;
}
