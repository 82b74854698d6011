/**
 * The output folder `generate` owns, and what it may do there: the file names it can
 * produce (the only files it ever replaces or removes), the folders it refuses to use,
 * the names of its lock and temporary files, and the file operations it goes through
 * (injectable, so tests can make any one of them fail).
 */
import * as fsp from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import type { ResolvedConfig } from '../core/config.js';
import { CodegenError, DiagnosticCodes, type Diagnostic } from '../core/diagnostics.js';
import { EMITTERS, generatedFileNames } from '../emit/registry.js';

/**
 * Every file name `generate` can produce (from the emitter registry), all at the top level
 * of the output folder. Removal (and `--check`'s "extra") considers these names and nothing
 * else, so a hand-written file, or anything in a subfolder, is never touched whatever it contains.
 * The built-in emitters' names; with an emitter registered, see `generatedFileNames()`.
 */
export const GENERATED_FILE_NAMES: readonly string[] = generatedFileNames(EMITTERS);

/**
 * Names earlier versions generated (the validators as JavaScript with declarations): still
 * ours to remove, when they carry the banner, after an upgrade; never written.
 */
export const FORMERLY_GENERATED_FILE_NAMES = [
  'validators.js',
  'validators.d.ts',
  'validators-all-errors.js',
  'validators-all-errors.d.ts',
] as const;

export function isGeneratedFileName(name: string): boolean {
  return generatedFileNames().includes(name);
}

/** Held (created with the `wx` flag) while a `generate` writes the folder; JSON {pid, hostname, startedAt}. */
export const LOCK_FILE_NAME = '.msk-codegen.lock';

let tempCount = 0;

/**
 * A temporary file next to `target` (`.index.ts.msk-codegen-<pid>-<n>.tmp`): hidden, unique
 * in this process, and recognisable after a crash as one of ours, and for which file.
 */
export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.msk-codegen-${process.pid}-${tempCount++}.tmp`);
}

const TEMP_NAME = /^\.(.+)\.msk-codegen-([0-9]+)(?:-[0-9]+)?\.tmp$/;

/** The process id in the name of one of our temporary files (`.<target>.msk-codegen-<pid>-<n>.tmp`). */
export function tempFilePid(name: string): number | undefined {
  const pid = TEMP_NAME.exec(name)?.[2];
  return pid === undefined ? undefined : Number(pid);
}

/**
 * Whether `name` (at the top level of an output folder) is a temporary file an interrupted
 * run of ours left: our pattern, for a file we generate or for our lock. Anything else that
 * merely looks similar is not ours to remove.
 */
export function isLeftoverTempName(name: string): boolean {
  const target = TEMP_NAME.exec(name)?.[1];
  return target !== undefined && (isGeneratedFileName(target) || target === LOCK_FILE_NAME);
}

/** The file operations on the output folder. Tests pass their own to make one fail. */
export interface OutputFs {
  readFile(file: string): Promise<string>;
  /** `exclusive`: fail with EEXIST if the file exists (the `wx` flag). */
  writeFile(file: string, text: string, options?: { exclusive?: boolean }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  /** Never follows a symbolic link. */
  lstat(
    file: string,
  ): Promise<{ isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean; readonly mtimeMs: number }>;
  readdir(dir: string): Promise<string[]>;
  mkdir(dir: string): Promise<void>;
  /** Fails with EEXIST if `to` exists: how a lock moved aside by mistake is put back without overwriting a newer one. */
  link(from: string, to: string): Promise<void>;
}

/**
 * node:fs/promises. Each function is looked up when called, not when this module loads,
 * so a test that patches fs.promises (a preload that kills the process on the Nth rename) sees every call.
 */
export const nodeFs: OutputFs = {
  readFile: (file) => fsp.readFile(file, 'utf8'),
  writeFile: (file, text, options) =>
    fsp.writeFile(file, text, { encoding: 'utf8', flag: options?.exclusive ? 'wx' : 'w' }),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (file) => fsp.unlink(file),
  lstat: (file) => fsp.lstat(file),
  readdir: (dir) => fsp.readdir(dir),
  mkdir: async (dir) => {
    await fsp.mkdir(dir, { recursive: true });
  },
  link: (from, to) => fsp.link(from, to),
};

export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * A failed write. `changedFiles` lists the files left changed (a rollback that failed);
 * empty means the output folder is as it was, so "nothing was written" is true.
 */
export class OutputWriteError extends CodegenError {
  readonly changedFiles: readonly string[];
  constructor(diagnostics: readonly Diagnostic[], changedFiles: readonly string[]) {
    super(diagnostics);
    this.name = 'OutputWriteError';
    this.changedFiles = changedFiles;
  }
}

/** What the caller knows about the project, so that an output folder that is or holds part of it is refused. */
export interface ProjectGuard {
  /** The project root: the config file's folder, else the current folder. */
  readonly root: string;
  /** Files the generation reads: the config file, the event schema, payload schemas. */
  readonly inputs: readonly { readonly file: string; readonly what: string }[];
}

/** The project guard for a resolved config: what the CLI passes to writeGeneratedFiles and checkGeneratedFiles. */
export function projectGuardOf(config: ResolvedConfig): ProjectGuard {
  const payloadSchemas = config.topics
    .flatMap((topic) => [topic.key.schema, topic.value.schema])
    .filter((file): file is string => file !== undefined);
  return {
    root: config.configFile ? path.dirname(config.configFile) : config.cwd,
    inputs: [
      ...(config.configFile ? [{ file: config.configFile, what: 'the config file' }] : []),
      { file: config.schema, what: 'the event schema' },
      ...[...new Set(payloadSchemas)].map((file) => ({ file, what: 'the payload schema' })),
    ],
  };
}

/** Pseudo file systems: their "files" are the system's, never generated output. */
const SYSTEM_FOLDERS = process.platform === 'win32' ? [] : ['/proc', '/sys', '/dev'];

/**
 * Throws E_UNSAFE_OUT unless `out` is a folder generated files may go into. Never: the file
 * system root, a system folder, the home folder or a folder that contains it; and with a
 * project: its root, a folder that contains the root, or one that contains an input.
 * Checked both as given and with symbolic links resolved, so a link cannot smuggle one in.
 */
export async function assertSafeOutDir(out: string, project?: ProjectGuard): Promise<void> {
  const resolved = path.resolve(out);
  const candidates = [resolved, await realPathOf(resolved)];
  const home = homedir();
  const places = {
    home: [home, await realPathOf(home)],
    root: project ? [path.resolve(project.root), await realPathOf(project.root)] : [],
    inputs: await Promise.all(
      (project?.inputs ?? []).map(async (input) => ({
        ...input,
        paths: [path.resolve(input.file), await realPathOf(input.file)],
      })),
    ),
  };
  for (const candidate of candidates) {
    const why = unsafeReason(candidate, places);
    if (why !== undefined) {
      throw new CodegenError([
        {
          code: DiagnosticCodes.unsafeOut,
          file: resolved,
          message: `refusing to use this as the output folder: ${why}; generate removes and replaces files there. Use a folder of its own, such as "generated" (--out generated)`,
        },
      ]);
    }
  }
}

interface Places {
  readonly home: readonly string[];
  readonly root: readonly string[];
  readonly inputs: readonly { readonly what: string; readonly file: string; readonly paths: readonly string[] }[];
}

function unsafeReason(out: string, places: Places): string | undefined {
  if (path.parse(out).root === out) return 'it is the root of the file system';
  const system = SYSTEM_FOLDERS.find((folder) => contains(folder, out));
  if (system !== undefined) return `it is inside ${system}, a system folder`;
  if (places.home.some((home) => home === out)) return 'it is your home folder';
  if (places.home.some((home) => contains(out, home))) return 'it contains your home folder';
  if (places.root.some((root) => root === out)) return 'it is the project root';
  const root = places.root.find((root) => contains(out, root));
  if (root !== undefined) return `it contains the project root ${root}`;
  const input = places.inputs.find((input) => input.paths.some((file) => contains(out, file)));
  if (input !== undefined) return `it contains ${input.what} ${input.file}`;
  return undefined;
}

/** Whether `inner` is `folder` or lies anywhere under it. */
function contains(folder: string, inner: string): boolean {
  const relative = path.relative(folder, inner);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** `file` with symbolic links resolved, as far as it exists (the rest appended as is). */
async function realPathOf(file: string): Promise<string> {
  const missing: string[] = [];
  let existing = path.resolve(file);
  for (;;) {
    try {
      return path.join(await fsp.realpath(existing), ...missing);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return path.resolve(file);
      missing.unshift(path.basename(existing));
      existing = parent;
    }
  }
}
