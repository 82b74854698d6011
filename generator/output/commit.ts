/**
 * Applying a set of file changes as one unit. The caller has read every file first (so
 * it knows each one's old contents); here every new file is staged as a temporary file,
 * then all are renamed into place (and obsolete files removed). If any step fails, what
 * was already done is undone from the old contents in memory, and the error says
 * truthfully whether that worked.
 */
import * as path from 'node:path';
import { DiagnosticCodes } from '../core/diagnostics.js';
import { describeFsError } from '../core/json-source.js';
import { errorCode, OutputWriteError, tempPathFor, type OutputFs } from './folder.js';

export interface FileChange {
  /** How messages name the file (relative to the folder). */
  readonly name: string;
  readonly target: string;
  /** Contents before, or undefined if the file does not exist. */
  readonly before: string | undefined;
  /** Contents after, or undefined to remove the file. */
  readonly after: string | undefined;
}

export interface CommitOptions {
  readonly fs: OutputFs;
  /** The folder, for messages. */
  readonly dir: string;
  /** What fixes a half-applied change, for the message. */
  readonly rerun: string;
}

/** Applies `changes` all or nothing; throws OutputWriteError (with changedFiles only if a rollback failed). */
export async function commitChanges(changes: readonly FileChange[], options: CommitOptions): Promise<void> {
  const staged = await stage(changes, options);
  const applied: FileChange[] = [];
  for (const change of changes) {
    const temp = staged.get(change);
    try {
      if (temp !== undefined) await options.fs.rename(temp, change.target);
      else await unlinkIfExists(options.fs, change.target);
      applied.push(change);
    } catch (error) {
      const notRenamed = changes.filter((c) => !applied.includes(c)).flatMap((c) => staged.get(c) ?? []);
      await removeTemps(options.fs, notRenamed);
      throw await rolledBack(change, error, applied, changes, options);
    }
  }
}

/** Writes each new content to its temporary file; on failure removes those written and throws (nothing changed). */
async function stage(changes: readonly FileChange[], options: CommitOptions): Promise<Map<FileChange, string>> {
  const staged = new Map<FileChange, string>();
  for (const change of changes) {
    if (change.after === undefined) continue;
    const temp = tempPathFor(change.target);
    try {
      await options.fs.mkdir(path.dirname(change.target));
      await options.fs.writeFile(temp, change.after);
      staged.set(change, temp);
    } catch (error) {
      const left = await removeTemps(options.fs, [...staged.values(), temp]);
      const note = left.length > 0 ? ` (could not remove the temporary file ${left.join(', ')})` : '';
      throw new OutputWriteError(
        [
          {
            code: DiagnosticCodes.writeFailed,
            file: change.target,
            message: `cannot write ${change.name}: ${describeFsError(error)}; nothing was changed${note}`,
          },
        ],
        [],
      );
    }
  }
  return staged;
}

/** Undoes `applied` (newest first) from the old contents; the error to throw says how that went. */
async function rolledBack(
  failed: FileChange,
  cause: unknown,
  applied: readonly FileChange[],
  all: readonly FileChange[],
  options: CommitOptions,
): Promise<OutputWriteError> {
  const verb = failed.after === undefined ? 'remove' : 'replace';
  const what = `cannot ${verb} ${failed.name}: ${describeFsError(cause)}`;
  const stuck: FileChange[] = [];
  let firstProblem: unknown;
  for (const change of [...applied].reverse()) {
    try {
      await restore(change, options.fs);
    } catch (error) {
      stuck.push(change);
      firstProblem ??= error;
    }
  }
  if (stuck.length === 0) {
    return new OutputWriteError(
      [
        {
          code: DiagnosticCodes.writeFailed,
          file: failed.target,
          message: `${what}; the files already replaced were restored, nothing was changed`,
        },
      ],
      [],
    );
  }
  // Name exactly what is on disk now: the changes that could not be undone are new, the rest old.
  const names = (list: readonly FileChange[]) => list.map((c) => c.name).join(', ') || 'none';
  const isNew = all.filter((c) => stuck.includes(c) && c.after !== undefined);
  const removed = all.filter((c) => stuck.includes(c) && c.after === undefined);
  const old = all.filter((c) => !stuck.includes(c));
  const state = [
    `new: ${names(isNew)}`,
    ...(removed.length > 0 ? [`removed: ${names(removed)}`] : []),
    `old: ${names(old)}`,
  ].join('; ');
  return new OutputWriteError(
    [
      {
        code: DiagnosticCodes.writeFailed,
        file: failed.target,
        message: `${what}, and restoring the files already replaced failed too (${describeFsError(firstProblem)}). ${options.dir} now mixes new and old files (${state}); ${options.rerun} fixes it`,
      },
    ],
    all.filter((c) => stuck.includes(c)).map((c) => c.target),
  );
}

/** Puts back a file's old contents (temp + rename, so it is never half-written), or removes a file that did not exist. */
async function restore(change: FileChange, fs: OutputFs): Promise<void> {
  if (change.before === undefined) return unlinkIfExists(fs, change.target);
  const temp = tempPathFor(change.target);
  try {
    await fs.writeFile(temp, change.before);
    await fs.rename(temp, change.target);
  } catch (error) {
    await removeTemps(fs, [temp]);
    throw error;
  }
}

async function unlinkIfExists(fs: OutputFs, file: string): Promise<void> {
  try {
    await fs.unlink(file);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

/** Removes temporary files; returns those that could not be removed (the next generate cleans them up). */
async function removeTemps(fs: OutputFs, temps: readonly string[]): Promise<string[]> {
  const left: string[] = [];
  for (const temp of temps) await unlinkIfExists(fs, temp).catch(() => left.push(temp));
  return left;
}
