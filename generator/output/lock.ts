/**
 * The lock on an output folder: `<out>/.msk-codegen.lock`, created with the `wx` flag
 * (so exactly one run creates it) and holding {pid, hostname, startedAt}. While it is
 * there, no other `generate` writes the folder and `--check` does not compare it. A lock
 * whose process is gone (kill -9, power loss) is stale and is taken over.
 */
import { hostname } from 'node:os';
import * as path from 'node:path';
import { CodegenError, DiagnosticCodes } from '../core/diagnostics.js';
import { describeFsError } from '../core/json-source.js';
import { errorCode, LOCK_FILE_NAME, tempPathFor, type OutputFs } from './folder.js';

export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  readonly startedAt: string;
}

export interface LockWaitOptions {
  /** How long to wait for another run to finish before giving up. Default: 10 s. */
  readonly waitMs?: number;
  /** How often to look again while waiting. Default: 100 ms. */
  readonly pollMs?: number;
  /** Told once, with one line, when a wait starts. */
  readonly onWait?: (line: string) => void;
}

/** What a lock file says: nobody holds the folder, a live run does, or a run that is gone did. */
export type LockState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'live'; readonly text: string; readonly holder?: LockHolder }
  | { readonly kind: 'stale'; readonly text: string; readonly why: string };

/** A lock that cannot be read yet may be one being written; after this long it is left over. */
const UNREADABLE_LOCK_STALE_MS = 2_000;

export function lockFileOf(out: string): string {
  return path.join(out, LOCK_FILE_NAME);
}

export interface HeldLock {
  /** The stale lock this run took over, if any (relative to the folder), to report as cleaned up. */
  readonly tookOver?: string;
  /** Removes the lock if it is still ours. Never throws: a lock left behind is stale once we exit. */
  release(): Promise<void>;
}

/** Takes the lock on `out` (which must exist), waiting for a live holder and taking over a stale one. */
export async function acquireOutputLock(out: string, fs: OutputFs, options: LockWaitOptions = {}): Promise<HeldLock> {
  const lockFile = lockFileOf(out);
  const text = `${JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() } satisfies LockHolder)}\n`;
  const wait = waiter(lockFile, options);
  let tookOver: string | undefined;
  for (;;) {
    try {
      await fs.writeFile(lockFile, text, { exclusive: true });
      return { ...(tookOver ? { tookOver } : {}), release: () => releaseLock(lockFile, text, fs) };
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') {
        throw new CodegenError([
          {
            code: DiagnosticCodes.writeFailed,
            file: lockFile,
            message: `cannot create the lock file: ${describeFsError(error)}`,
          },
        ]);
      }
    }
    const state = await wait.untilNotLive(fs);
    if (state.kind === 'stale' && (await removeStaleLock(lockFile, state.text, fs))) tookOver = LOCK_FILE_NAME;
  }
}

/**
 * For `--check`, which takes no lock: waits until no live run holds `out`, then says
 * whether a stale lock is left (which `--check` reports and `generate` cleans up).
 */
export async function awaitUnlocked(out: string, fs: OutputFs, options: LockWaitOptions = {}): Promise<LockState> {
  return waiter(lockFileOf(out), options).untilNotLive(fs);
}

/** Reads the lock and decides whether its holder is still running. */
export async function readLock(lockFile: string, fs: OutputFs): Promise<LockState> {
  let text: string;
  try {
    text = await fs.readFile(lockFile);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'absent' };
    throw new CodegenError([
      {
        code: DiagnosticCodes.unreadable,
        file: lockFile,
        message: `cannot read the lock file: ${describeFsError(error)}`,
      },
    ]);
  }
  const holder = parseHolder(text);
  if (holder === undefined) {
    // Created but not yet written, or cut short by a crash: only time tells which.
    const age = await fs.lstat(lockFile).then(
      (info) => Date.now() - info.mtimeMs,
      () => 0,
    );
    return age > UNREADABLE_LOCK_STALE_MS
      ? { kind: 'stale', text, why: 'it is empty or unreadable' }
      : { kind: 'live', text };
  }
  // A process on another machine (a shared folder) cannot be looked up: assume it runs.
  if (holder.hostname !== hostname() || isAlive(holder.pid)) return { kind: 'live', text, holder };
  return { kind: 'stale', text, why: `pid ${holder.pid} is no longer running` };
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder> | null;
    if (typeof value?.pid === 'number' && typeof value.hostname === 'string' && typeof value.startedAt === 'string')
      return value as LockHolder;
  } catch {
    // not JSON: see the caller
  }
  return undefined;
}

/** Whether process `pid` runs on this machine (EPERM: it does, someone else's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) !== 'ESRCH'; // EPERM: alive, someone else's
  }
}

/** Polls while the lock is live, within one time budget shared by every wait of one run. */
function waiter(lockFile: string, options: LockWaitOptions) {
  const waitMs = options.waitMs ?? 10_000;
  const pollMs = options.pollMs ?? 100;
  let waited = 0;
  let told = false;
  return {
    async untilNotLive(fs: OutputFs): Promise<Exclude<LockState, { kind: 'live' }>> {
      for (;;) {
        const state = await readLock(lockFile, fs);
        if (state.kind !== 'live') return state;
        if (!told)
          options.onWait?.(
            `msk-codegen: waiting for ${describeHolder(state.holder)} to finish with ${path.dirname(lockFile)} (lock ${lockFile})\n`,
          );
        told = true;
        if (waited >= waitMs) {
          throw new CodegenError([
            {
              code: DiagnosticCodes.locked,
              file: lockFile,
              message: `${describeHolder(state.holder)} is writing this output folder (waited ${Math.round(waitMs / 1000)} s). Try again when it has finished; if no msk-codegen is running there, delete this lock file`,
            },
          ]);
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        waited += pollMs;
      }
    },
  };
}

function describeHolder(holder: LockHolder | undefined): string {
  if (holder === undefined) return 'another msk-codegen (its lock file is being written)';
  return `another msk-codegen (pid ${holder.pid}${holder.hostname === hostname() ? '' : ` on ${holder.hostname}`}, started ${holder.startedAt})`;
}

/**
 * Removes a stale lock (true) without ever removing a live one (false): between reading the stale lock and
 * removing it another run may have done the same and taken a fresh lock. So the lock is moved
 * aside (atomic), and if what was moved is not the stale lock we read, it is put back; `link`
 * refuses to overwrite, should a third run have taken the lock meanwhile.
 */
async function removeStaleLock(lockFile: string, staleText: string, fs: OutputFs): Promise<boolean> {
  const aside = tempPathFor(lockFile);
  try {
    await fs.rename(lockFile, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false; // someone else removed it
    throw new CodegenError([
      {
        code: DiagnosticCodes.writeFailed,
        file: lockFile,
        message: `cannot remove the stale lock file: ${describeFsError(error)}`,
      },
    ]);
  }
  const moved = await fs.readFile(aside).catch(() => undefined);
  const wasStale = moved === staleText;
  if (!wasStale) await fs.link(aside, lockFile).catch(() => undefined);
  await fs.unlink(aside).catch(() => undefined);
  return wasStale;
}

async function releaseLock(lockFile: string, text: string, fs: OutputFs): Promise<void> {
  const current = await fs.readFile(lockFile).catch(() => undefined);
  if (current === text) await fs.unlink(lockFile).catch(() => undefined);
}
