/**
 * The package as users get it: the current sources built with the package's own build
 * script and packed with `npm pack` into a tarball, in a staging folder apart from the
 * repository (its dist/ is not touched). And a runner for shell commands as a README
 * gives them, in a project of the test's own.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers.js';

export interface PackedPackage {
  /** The .tgz `npm pack` wrote. */
  readonly tarball: string;
  dispose(): Promise<void>;
}

/** What the build needs from the repository; the tarball then holds what package.json "files" says. */
const SOURCES = [
  'package.json',
  'README.md',
  'LICENSE',
  'schema',
  'templates',
  'generator',
  'tsconfig.json',
  'tsconfig.build.json',
];

export async function packPackage(): Promise<PackedPackage> {
  const stage = await mkdtemp(path.join(tmpdir(), 'msk-codegen-pack-'));
  for (const entry of SOURCES) await cp(path.join(REPO_ROOT, entry), path.join(stage, entry), { recursive: true });
  // The build runs with the repository's own tools; they are not packed.
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
  await sh('npm run build', stage);
  await rm(path.join(stage, 'node_modules'));
  const out = path.join(stage, 'out');
  await mkdir(out);
  await sh(`npm pack --ignore-scripts --pack-destination ${out}`, stage);
  const [tarball] = (await readdir(out)).filter((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('npm pack wrote no tarball');
  return { tarball: path.join(out, tarball), dispose: () => rm(stage, { recursive: true, force: true }) };
}

export interface CommandRun {
  readonly command: string;
  readonly code: number | null;
  /** stdout and stderr, in that order. */
  readonly output: string;
}

/**
 * npm as a user's machine runs it, minus the network where the cache has the package
 * (CI's `npm ci` filled it), audits, funding notes and update checks.
 */
const NPM_ENV = {
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  npm_config_loglevel: 'error',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
};

/** Runs `command` with sh in `cwd`, as a terminal would (without blocking: other commands can run meanwhile). */
export function sh(command: string, cwd: string, timeoutMs = 240_000): Promise<CommandRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...NPM_ENV };
  // The test runner's own variables would leak into the project's vitest.
  delete env['VITEST'];
  delete env['VITEST_WORKER_ID'];
  delete env['VITEST_POOL_ID'];
  delete env['NODE_OPTIONS'];
  const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  return new Promise((resolve) => {
    let error: Error | undefined;
    child.on('error', (e) => (error = e));
    child.on('close', (code, signal) => {
      const problem =
        error ?? (signal ? new Error(`sh ${signal === 'SIGTERM' ? 'timed out' : 'killed'} (${signal})`) : undefined);
      resolve({
        command,
        code,
        output: `${Buffer.concat(stdout).toString('utf8')}${Buffer.concat(stderr).toString('utf8')}${problem ? `\n${String(problem)}` : ''}`,
      });
    });
  });
}

/**
 * The commands of the README's fenced block that follows `<!-- tested: <name> -->`: one
 * per line, without the comments aligned after them (`  # ...`); for a YAML block, the
 * `run:` steps.
 */
export function readmeCommands(readme: string, name: string): string[] {
  const marker = `<!-- tested: ${name} -->`;
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no ${marker}`);
  const fence = /```(\w*)\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!fence) throw new Error(`README.md has no code block after ${marker}`);
  const lines = (fence[2] ?? '').split('\n');
  if (fence[1] === 'yaml') return lines.flatMap((line) => /^\s*- run: (.+)$/.exec(line)?.[1] ?? []);
  return lines.map((line) => line.replace(/\s{2,}#.*$/, '').trim()).filter((line) => line !== '');
}
