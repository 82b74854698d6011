/**
 * The CLI as a process of its own, for what in-process runs cannot show: kill -9, two
 * processes at once, a closed standard output. generator/bin.ts is bundled by esbuild
 * (the current source, without touching the shared dist/) into a temporary package whose
 * package.json, schema, templates, generator sources and node_modules link to this one's.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../helpers.js';

export interface BundledCli {
  /** The bundled bin.js. */
  readonly bin: string;
  dispose(): Promise<void>;
}

export async function bundleCli(): Promise<BundledCli> {
  const root = await mkdtemp(path.join(tmpdir(), 'msk-codegen-cli-'));
  for (const entry of ['package.json', 'schema', 'templates', 'generator', 'node_modules'])
    await symlink(path.join(REPO_ROOT, entry), path.join(root, entry));
  const bin = path.join(root, 'dist', 'bin.js');
  await build({
    entryPoints: [path.join(REPO_ROOT, 'generator', 'bin.ts')],
    outfile: bin,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  return { bin, dispose: () => rm(root, { recursive: true, force: true }) };
}

export interface ProcessRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ProcessOptions {
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  /** A module for `node --import`. */
  readonly preload?: string;
  /** Close our end of its standard output at once: every write it makes fails with EPIPE. */
  readonly closeStdout?: boolean;
}

export function runProcess(bin: string, argv: readonly string[], options: ProcessOptions): Promise<ProcessRun> {
  const nodeArgs = [...(options.preload ? ['--import', options.preload] : []), bin, ...argv];
  const child = spawn(process.execPath, nodeArgs, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  if (options.closeStdout) child.stdout.destroy();
  else child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
