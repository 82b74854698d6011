/**
 * scaffold --test vitest|node|none: which runner the test is written for by default (what
 * the project has), tests for node:test that compile with the project's tsconfig.json and
 * pass under `node --test`, no test at all with none; and a runner that is not installed is
 * one line naming the command that installs it, exit 2, nothing written: never a
 * TypeScript error about a module it cannot find.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, writeGeneratedFiles, type GeneratedFile } from '../../../../generator/index.js';
import { INIT_TSCONFIG } from '../../../../generator/commands/init.js';
import {
  defaultRunner,
  installCommand,
  runnerOfTest,
  testCommand,
} from '../../../../generator/commands/scaffold/runner.js';
import { REPO_ROOT, snapshotDir, tempDir } from '../../../helpers.js';
import { runCliCaptured } from '../../../run-cli.js';

const OWN = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};
const TSC = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

let generated: GeneratedFile[];
beforeAll(async () => {
  generated = await generate();
}, 60_000);

type Modules = 'all' | 'node-types' | 'none';

/** A project with the generated API; node_modules: the repo's (all), only @types/node, or none. */
async function project(modules: Modules, manifest: Record<string, unknown> = {}, dir?: string): Promise<string> {
  const cwd = dir ?? (await tempDir('msk-codegen-runner-'));
  await writeFile(
    path.join(cwd, 'package.json'),
    `${JSON.stringify({ name: 'consumer', type: 'module', private: true, ...manifest }, null, 2)}\n`,
  );
  if (modules === 'all') await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(cwd, 'node_modules'), 'dir');
  if (modules === 'node-types') {
    await mkdir(path.join(cwd, 'node_modules', '@types'), { recursive: true });
    await symlink(
      path.join(REPO_ROOT, 'node_modules', '@types', 'node'),
      path.join(cwd, 'node_modules', '@types', 'node'),
      'dir',
    );
  }
  await writeGeneratedFiles(path.join(cwd, 'generated'), generated);
  return cwd;
}

const VITEST_INSTALL = `npm install --save-dev vitest@${OWN.devDependencies['vitest']} vite@${OWN.devDependencies['vite']}`;
const NODE_TYPES_INSTALL = `npm install --save-dev @types/node@${OWN.devDependencies['@types/node']}`;

describe('the runner, and what it needs installed', () => {
  it('install commands name the versions msk-codegen is tested with (vitest 4.1.12 needs vite 8.3.8 on Node 20)', () => {
    expect(installCommand(['vitest', 'vite'])).toBe(VITEST_INSTALL);
    expect(VITEST_INSTALL).toBe('npm install --save-dev vitest@4.1.12 vite@8.3.8');
  });

  it.each([
    { name: 'vitest installed', modules: 'all' as const, manifest: {}, runner: 'vitest' },
    {
      name: 'vitest listed in package.json, not installed yet',
      modules: 'none' as const,
      manifest: { devDependencies: { vitest: '4.1.12' } },
      runner: 'vitest',
    },
    { name: 'no vitest', modules: 'node-types' as const, manifest: {}, runner: 'node' },
  ])('default with $name: $runner', async ({ modules, manifest, runner }) => {
    expect(defaultRunner(await project(modules, manifest))).toBe(runner);
  });

  it.each([
    ["import { describe } from 'vitest';", 'vitest'],
    ["import { describe, it } from 'node:test';", 'node'],
    ["import test from 'node:test';", 'node'],
    ["import { expect } from 'jest';", undefined],
  ])('the runner of a test that says %s: %s', (text, runner) => {
    expect(runnerOfTest(text)).toBe(runner);
  });

  it.each([
    {
      runner: 'vitest' as const,
      outDir: undefined,
      rootDir: undefined,
      hasTsconfig: false,
      command: 'npx vitest run handlers/orders.test.ts',
    },
    {
      runner: 'node' as const,
      outDir: '/p/dist',
      rootDir: '/p',
      hasTsconfig: true,
      command: 'npx tsc && node --test dist/handlers/orders.test.js',
    },
    {
      runner: 'node' as const,
      outDir: '/p/build',
      rootDir: '/p/handlers',
      hasTsconfig: true,
      command: 'npx tsc && node --test build/orders.test.js',
    },
    {
      runner: 'node' as const,
      outDir: undefined,
      rootDir: undefined,
      hasTsconfig: true,
      command: 'npx tsc && node --test handlers/orders.test.js',
    },
    {
      runner: 'node' as const,
      outDir: undefined,
      rootDir: undefined,
      hasTsconfig: false,
      command: 'node --test handlers/orders.test.js',
    },
    { runner: 'none' as const, outDir: undefined, rootDir: undefined, hasTsconfig: true, command: undefined },
  ])(
    'the command that runs a $runner test (outDir $outDir, rootDir $rootDir)',
    ({ runner, outDir, rootDir, hasTsconfig, command }) => {
      expect(testCommand(runner, '/p', '/p/handlers/orders.test.ts', { outDir, rootDir, hasTsconfig })).toBe(command);
    },
  );
});

describe('a runner that is not installed: one line naming the command, exit 2, nothing written', () => {
  it.each([
    {
      name: '--test vitest without vitest',
      modules: 'node-types' as const,
      manifest: {},
      args: ['--test', 'vitest'],
      says: `msk-codegen: error E_USAGE: --test vitest: vitest is not installed (no node_modules/vitest): run \`${VITEST_INSTALL}\`, or choose --test node or --test none`,
    },
    {
      name: 'vitest listed but not installed (init, then no npm install)',
      modules: 'none' as const,
      manifest: { devDependencies: { vitest: '4.1.12' } },
      args: [],
      says: 'msk-codegen: error E_USAGE: package.json lists vitest, but it is not installed (no node_modules/vitest): run `npm install` first, or choose --test node or --test none',
    },
    {
      name: '--test node without @types/node',
      modules: 'none' as const,
      manifest: {},
      args: ['--test', 'node'],
      says: `msk-codegen: error E_USAGE: --test node: the test imports node:test, whose types come from @types/node, which is not installed: run \`${NODE_TYPES_INSTALL}\`, or choose --test none`,
    },
    {
      name: 'the default (node) with nothing installed',
      modules: 'none' as const,
      manifest: {},
      args: [],
      says: `msk-codegen: error E_USAGE: vitest is not installed, so the test is written for node:test, whose types come from @types/node, which is not installed either: run \`${VITEST_INSTALL}\` (vitest) or \`${NODE_TYPES_INSTALL}\` (node:test), or choose --test none`,
    },
  ])('$name', async ({ modules, manifest, args, says }) => {
    const cwd = await project(modules, manifest);
    const before = await snapshotDir(cwd);
    const result = await runCliCaptured(['scaffold', 'orders', ...args], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${says}\nmsk-codegen: nothing was written.\n`);
    expect(result.stderr).not.toContain('TS2307');
    expect(result.stdout).toBe('');
    expect(await snapshotDir(cwd)).toEqual(before);
  });

  it('an unknown --test is a usage error', async () => {
    const result = await runCliCaptured(['scaffold', 'orders', '--test', 'jest'], { cwd: await project('none') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'jest' is invalid. Allowed choices are vitest, node, none.");
  });

  it('a generated/ from before the test helper: run generate first', async () => {
    const cwd = await project('all');
    await rm(path.join(cwd, 'generated', 'testing.ts'));
    const result = await runCliCaptured(['scaffold', 'orders'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'generated/testing.ts: error E_FILE_MISSING: the test builds its events with the generated test helper, which is missing: run `npx msk-codegen generate` first (or choose --test none)\nmsk-codegen: nothing was written.\n',
    );
  });
});

describe('--test none', () => {
  it('writes the handler and the index only, needs no test runner, and leaves an existing test alone', async () => {
    const cwd = await project('none');
    await mkdir(path.join(cwd, 'handlers'));
    await writeFile(path.join(cwd, 'handlers', 'orders.test.ts'), '// my own test\n');
    const result = await runCliCaptured(['scaffold', 'orders', '--test', 'none'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('(no test: --test none)');
    expect(Object.keys(await snapshotDir(path.join(cwd, 'handlers')))).toEqual([
      'index.ts',
      'orders.test.ts',
      'orders.ts',
    ]);
    expect(await readFile(path.join(cwd, 'handlers', 'orders.test.ts'), 'utf8')).toBe('// my own test\n');
    expect(await readFile(path.join(cwd, 'handlers', 'orders.ts'), 'utf8')).toContain(
      '@msk-codegen --source msk --test none',
    );
    const again = await runCliCaptured(['scaffold', 'orders', '--update'], { cwd });
    expect(again.stdout).toBe('msk-codegen: handlers/orders.ts is up to date and type-checks\n');
  });
});

describe('--test node, in a project init set up: the tests compile with its tsconfig.json and pass under node --test', () => {
  let dir: string;
  const handlers = [
    { name: 'orders', args: ['--topic', 'orders'] },
    { name: 'orders-partial', args: ['--topic', 'orders', '--partial-batch', '--source', 'self-managed'] },
    { name: 'payments', args: ['--source', 'self-managed', '--partial-batch'] },
    { name: 'anything', args: ['--source', 'any'] },
    { name: 'audit', args: ['--topic', 'audit-*'] },
    { name: 'blobs', args: ['--topic', 'blobs', '--partial-batch'] },
  ];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'msk-codegen-node-test-'));
    await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const init = await runCliCaptured(['init'], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    // Beside init's JSON topic: one of text (a pattern) and one of bytes.
    const configFile = path.join(dir, 'msk-codegen.config.json');
    const config = JSON.parse(await readFile(configFile, 'utf8')) as { topics: Record<string, unknown> };
    config.topics['audit-*'] = { value: { format: 'string' } };
    config.topics['blobs'] = { key: { format: 'bytes' }, value: { format: 'bytes' } };
    await writeFile(configFile, JSON.stringify(config, null, 2));
    const generate = await runCliCaptured(['generate'], { cwd: dir });
    expect(generate.code, generate.stderr).toBe(0);
    expect(await readFile(path.join(dir, 'tsconfig.json'), 'utf8')).toBe(INIT_TSCONFIG);
    for (const { name, args } of handlers) {
      const result = await runCliCaptured(['scaffold', name, '--test', 'node', ...args], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(
        `then compile and run its test (Node runs JavaScript): \`npx tsc && node --test dist/handlers/${name}.test.js\``,
      );
    }
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes tests for node:test, saying how to run them', async () => {
    const text = await readFile(path.join(dir, 'handlers', 'orders.test.ts'), 'utf8');
    expect(text).toContain("import assert from 'node:assert/strict';\nimport { describe, it } from 'node:test';\n");
    expect(text).toContain(
      ' * Run (Node 20 runs only JavaScript, so compile first): npx tsc && node --test dist/handlers/orders.test.js\n',
    );
    expect(text).toContain('const order: Order = {');
    expect(text).not.toContain('vitest');
    expect(await readFile(path.join(dir, 'handlers', 'audit.test.ts'), 'utf8')).toContain(
      "const message: string = 'hello';",
    );
    expect(await readFile(path.join(dir, 'handlers', 'blobs.test.ts'), 'utf8')).toContain(
      'const payload: Uint8Array = new Uint8Array([1, 2, 3]);',
    );
    expect(await readFile(path.join(dir, 'handlers', 'orders.ts'), 'utf8')).toContain(
      '@msk-codegen --source msk --topic orders --test node',
    );
  });

  it('npx tsc compiles them (and the generated API) into dist/, and node --test passes them all', () => {
    const tsc = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const tests = handlers.map(({ name }) => `dist/handlers/${name}.test.js`);
    const run = spawnSync(process.execPath, ['--test', '--test-reporter=tap', ...tests], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stdout).toMatch(/^# fail 0$/m);
    // orders and orders-partial: 4 tests each (typed values, a tombstone, a rejected value, a non-Kafka event); payments: the
    // 2 documented examples, a tombstone, several partitions, a non-Kafka event, an MSK event; anything: 4 documented examples
    // (both sources) and 3; audit (text) and blobs (bytes): 3 each (no value their format rejects).
    expect(Number(/^# pass (\d+)$/m.exec(run.stdout)?.[1])).toBe(4 + 4 + 6 + 7 + 3 + 3);
    expect(run.status, run.stdout + run.stderr).toBe(0);
  }, 120_000);

  it('--update keeps the runner (recorded in the handler) and refuses to switch it', async () => {
    const same = await runCliCaptured(['scaffold', 'orders', '--update'], { cwd: dir });
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toBe(
      'msk-codegen: handlers/orders.ts and handlers/orders.test.ts are up to date and type-check\n',
    );
    const other = await runCliCaptured(['scaffold', 'orders', '--update', '--test', 'vitest'], { cwd: dir });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(
      '--update keeps your function bodies, so it cannot change --test vitest (its test is for node)',
    );
    expect((await readdir(path.join(dir, 'handlers'))).sort()).toEqual(
      handlers
        .flatMap(({ name }) => [`${name}.test.ts`, `${name}.ts`])
        .concat('index.ts')
        .sort(),
    );
  });
});
