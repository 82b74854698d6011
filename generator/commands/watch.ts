/**
 * `generate --watch`: regenerate whenever a file the last generation read changes (the
 * config file and the schema), debounced; print what changed; keep running after an
 * error and recover when it is fixed. Node's fs.watch on the files' folders (editors
 * often save by renaming), no native dependencies.
 */
import { watch, type FSWatcher } from 'node:fs';
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

export async function watchGenerate(options: WatchOptions): Promise<void> {
  const debounceMs = options.debounceMs ?? 100;
  const { cwd } = options.overrides;
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let pending = new Set<string>();
  let running: Promise<void> = Promise.resolve();

  const rewatch = (files: readonly string[]) => {
    for (const w of watchers) w.close();
    const byDir = new Map<string, Set<string>>();
    for (const file of files) {
      const names = byDir.get(path.dirname(file)) ?? new Set<string>();
      names.add(path.basename(file));
      byDir.set(path.dirname(file), names);
    }
    watchers = [...byDir].flatMap(([dir, names]) => {
      try {
        return [
          watch(
            dir,
            (_event, name) => name !== null && names.has(String(name)) && changed(path.join(dir, String(name))),
          ),
        ];
      } catch {
        return []; // a folder that does not exist (yet): nothing to watch there
      }
    });
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

  rewatch(await generateOnce(options, 'started'));
  options.stdout('[msk-codegen] watching for changes (Ctrl-C to stop)\n');
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  clearTimeout(timer);
  await running;
  for (const w of watchers) w.close();
}
