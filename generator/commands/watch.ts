/**
 * `generate --watch`: regenerate whenever a file the last generation read changes (the
 * config file and the schema), debounced; print what changed; keep running after an
 * error and recover when it is fixed. The watching is chokidar's (no native dependencies):
 * it follows editors that save by renaming, and a file that does not exist (yet) is
 * watched for in its folder.
 */
import { existsSync } from 'node:fs';
import { watch } from 'chokidar';
import * as path from 'node:path';
import { CONFIG_FILE_NAME, resolveConfig, type ConfigOverrides } from '../core/config.js';
import { CodegenError, formatDiagnostic, relativeToCwd } from '../core/diagnostics.js';
import { writeGeneratedFiles } from '../output/generated-files.js';
import { generate } from '../index.js';
import { OutputWriteError, projectGuardOf } from '../output/folder.js';

export interface WatchOptions {
  readonly overrides: ConfigOverrides & { readonly cwd: string };
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Quiet time after the last change before regenerating. */
  readonly debounceMs?: number;
  /** Stops watching (the CLI aborts on SIGINT). */
  readonly signal: AbortSignal;
}

/** One generation: writes, prints a line, and returns the files it read (to watch), or those to watch after an error. */
async function generateOnce(options: WatchOptions, reason: string): Promise<string[]> {
  const { cwd } = options.overrides;
  // The config file too when there is none yet: creating one changes what is generated.
  const watched = new Set<string>([path.resolve(cwd, options.overrides.config ?? CONFIG_FILE_NAME)]);
  try {
    const config = await resolveConfig(options.overrides);
    if (config.configFile) watched.add(config.configFile);
    watched.add(config.schema);
    for (const topic of config.topics)
      for (const side of [topic.key, topic.value]) if (side.schema) watched.add(side.schema);
    // The resolved config as it is: the same bytes as `generate` and the API write.
    const files = await generate(config);
    // The guard again on every run: an edited config can point "out" somewhere unsafe.
    const report = await writeGeneratedFiles(config.out, files, {
      project: projectGuardOf(config),
      lock: { onWait: options.stderr },
    });
    const changed = [...report.written, ...report.removed.map((f) => `${f} (removed)`)];
    const out = relativeToCwd(config.out, cwd);
    options.stdout(
      `[msk-codegen] ${reason}: ${changed.length === 0 ? `${out}/ unchanged` : `regenerated ${changed.map((f) => `${out}/${f}`).join(', ')}`}\n`,
    );
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    for (const d of error.diagnostics) if (d.file) watched.add(d.file);
    const changed = error instanceof OutputWriteError ? error.changedFiles.length : 0;
    const outcome = changed === 0 ? 'nothing was written' : `${changed} file(s) were left changed (see above)`;
    options.stderr(
      `[msk-codegen] ${reason}: ${error.diagnostics.map((d) => formatDiagnostic(d, cwd)).join('\n')}\n[msk-codegen] ${outcome}; watching for a fix\n`,
    );
  }
  return [...watched];
}

/** The folder to watch for `file`: its own, or the first one on the way to it that does not exist (yet). */
function folderToWatch(file: string): string {
  let folder = path.dirname(file);
  while (!existsSync(path.dirname(folder)) && path.dirname(folder) !== folder) folder = path.dirname(folder);
  return folder;
}

export async function watchGenerate(options: WatchOptions): Promise<void> {
  const debounceMs = options.debounceMs ?? 100;
  const { cwd } = options.overrides;
  let timer: NodeJS.Timeout | undefined;
  let pending = new Set<string>();
  let running: Promise<void> = Promise.resolve();
  /** The files the last generation read; their folders (or the first missing one on the way); what chokidar watches. */
  let files = new Set<string>();
  let folders = new Set<string>();
  let watched = new Set<string>();

  // chokidar watches the files' folders, not the files: on Linux a watch on a file is lost
  // when the file is replaced (git checkout, editors' safe writes), a folder's is not.
  // ignored: nothing but those folders and files. ignoreInitial: starting to watch is no
  // change. atomic (the default): a file replaced by unlink and re-create is one change.
  const watcher = watch([], {
    ignoreInitial: true,
    depth: 0,
    ignored: (where) => !files.has(where) && !folders.has(where) && !watched.has(where),
  });
  watcher.on('all', (event, where) => {
    const absolute = path.resolve(cwd, where);
    if (files.has(absolute)) changed(absolute);
    else if (folders.has(absolute) && (event === 'addDir' || event === 'unlinkDir')) {
      // A folder appeared or went (git checkout, mkdir, rm -r): the files in it changed.
      if (event === 'addDir') watcher.add(absolute); // and are watched from now on
      for (const file of files) if (file.startsWith(`${absolute}${path.sep}`)) changed(file);
    }
  });
  // Not a change (the next generation reports what it cannot read), but said: a watch that
  // failed (the system's limit on watches, a folder it may not read) would otherwise miss edits.
  watcher.on('error', (error) =>
    options.stderr(`[msk-codegen] watching: ${error instanceof Error ? error.message : String(error)}\n`),
  );

  const rewatch = (read: readonly string[]) => {
    const next = new Set(read);
    const nextFolders = new Set([...next].map(folderToWatch));
    // A folder that does not exist is watched for in its parent (chokidar's own watch for a
    // missing path can miss it when it appears right away).
    const nextWatched = new Set([...nextFolders].map((folder) => (existsSync(folder) ? folder : path.dirname(folder))));
    // Unwatched only when no longer of interest at all: chokidar ignores what it was told to unwatch.
    const dropped = [...watched].filter((folder) => !nextWatched.has(folder) && !nextFolders.has(folder));
    files = next;
    folders = nextFolders;
    watched = nextWatched;
    if (dropped.length > 0) watcher.unwatch(dropped);
    // Folders already watched are left as they are.
    watcher.add([...nextWatched]);
  };

  const changed = (file: string) => {
    pending.add(path.relative(cwd, file) || file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const reason = `${[...pending].sort().join(', ')} changed`;
      pending = new Set();
      running = running.then(async () => rewatch(await generateOnce(options, reason)));
    }, debounceMs);
  };

  try {
    rewatch(await generateOnce(options, 'started'));
    const stopped = new Promise<void>((resolve) => {
      if (options.signal.aborted) resolve();
      options.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    // Said once the watches are in place, so that an edit from then on is seen.
    await Promise.race([new Promise((resolve) => watcher.once('ready', () => resolve(undefined))), stopped]);
    options.stdout('[msk-codegen] watching for changes (Ctrl-C to stop)\n');
    await stopped;
    clearTimeout(timer);
    await running;
  } finally {
    await watcher.close();
  }
}
