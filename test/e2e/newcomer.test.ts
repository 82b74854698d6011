/**
 * A newcomer, in fresh projects outside the repository, with the package packed by `npm
 * pack` and installed from the tarball: the README's own-project commands exactly as
 * written (read from README.md, only the package name replaced by the tarball), then what
 * a user does next (more handlers, their tests, the tsc build run, an esbuild bundle
 * invoked with a good and a broken event, validate, `generate --check` from the root and a
 * subfolder), the README's CI job steps, and the README's CommonJS commands.
 *
 * Slow by nature (npm installs, tsc, vitest in child processes): about a minute, most of
 * it npm. npm runs offline where its cache has the packages (CI's `npm ci` filled it). The
 * CommonJS project's commands run in the background while the ES module project's run.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers.js';
import { packPackage, readmeCommands, sh, type CommandRun, type PackedPackage } from './package.js';

const STEP_TIMEOUT = 300_000;
let packed: PackedPackage;
let readme: string;
const projects: string[] = [];
/** The README's CommonJS commands, run in a fresh project of their own from the start: see the last test. */
let commonJs: Promise<{ project: string; commands: string[]; runs: CommandRun[] }>;

beforeAll(async () => {
  readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
  packed = await packPackage();
  commonJs = (async () => {
    const project = await freshProject('commonjs');
    const commands = readmeCommands(readme, 'commonjs');
    return { project, commands, runs: await runUntilFailure(commands, project) };
  })();
  // Awaited (and its failures reported) by the test that checks it.
  commonJs.catch(() => undefined);
}, STEP_TIMEOUT);
afterAll(async () => {
  await commonJs?.catch(() => undefined);
  await packed?.dispose();
  await Promise.all(projects.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function freshProject(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `msk-codegen-${name}-`));
  projects.push(dir);
  return dir;
}

/** A README command as run here: the same, with the package name replaced by the tarball npm pack wrote. */
function asRun(command: string): string {
  return command.replace(/^npm install --save-dev msk-codegen$/, `npm install --save-dev ${packed.tarball}`);
}

/** Runs each command in order, up to the first that fails: their runs. */
async function runUntilFailure(commands: readonly string[], cwd: string): Promise<CommandRun[]> {
  const runs: CommandRun[] = [];
  for (const command of commands) {
    const run = await sh(asRun(command), cwd);
    runs.push(run);
    if (run.code !== 0) break;
  }
  return runs;
}

/** Checks that each command ran and succeeded. Returns their runs, by command as written. */
function expectAllSucceeded(commands: readonly string[], ran: readonly CommandRun[]): Map<string, CommandRun> {
  const runs = new Map<string, CommandRun>();
  for (const [i, command] of commands.entries()) {
    const run = ran[i];
    expect(run?.code, `${command}\n${run?.output ?? '(not run: an earlier command failed)'}`).toBe(0);
    runs.set(command, run as CommandRun);
  }
  return runs;
}

/** Runs each command in order; all must succeed. Returns their runs, by command as written. */
async function runAll(commands: readonly string[], cwd: string): Promise<Map<string, CommandRun>> {
  return expectAllSucceeded(commands, await runUntilFailure(commands, cwd));
}

const ok = async (command: string, cwd: string): Promise<string> => {
  const run = await sh(command, cwd);
  expect(run.code, `${command}\n${run.output}`).toBe(0);
  return run.output;
};

describe("the README's own-project path, in a fresh ES module project", () => {
  let project: string;
  let runs: Map<string, CommandRun>;

  beforeAll(async () => {
    project = await freshProject('newcomer');
  });

  it(
    'runs exactly as written, every command succeeding',
    async () => {
      const commands = readmeCommands(readme, 'own-project');
      expect(commands[1]).toBe('npm install --save-dev msk-codegen');
      expect(commands).toContain('npx msk-codegen init');
      runs = await runAll(commands, project);
    },
    STEP_TIMEOUT,
  );

  it('invoke, from the installed package (esbuild resolved from its dependencies), runs the scaffolded handler on the sampled event', () => {
    const run = runs.get('npx msk-codegen invoke handlers/orders.ts --event events/order.json');
    expect(run?.output).toContain('msk-codegen invoke handlers/orders.ts#handler');
    expect(run?.output).toContain('  batch: succeeded\n');
  });

  it('init pins the tools msk-codegen is tested with, lists the next steps with one install command, writes $schema and .gitattributes', async () => {
    const init = runs.get('npx msk-codegen init')?.output ?? '';
    const next = init
      .slice(init.indexOf('Next:\n') + 6)
      .trim()
      .split('\n')
      .map((line) => line.trim());
    expect(next).toEqual([
      'npm install',
      'npx msk-codegen generate',
      'npx msk-codegen scaffold orders --topic orders',
      'npx vitest run handlers/orders.test.ts',
      'npx tsc --noEmit',
    ]);
    const manifest = JSON.parse(await readFile(path.join(project, 'package.json'), 'utf8')) as {
      type: string;
      devDependencies: Record<string, string>;
    };
    const own = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    expect(manifest.type).toBe('module');
    for (const tool of ['typescript', 'vitest', 'vite', '@types/node'])
      expect(manifest.devDependencies[tool], tool).toBe(own.devDependencies[tool]);
    expect(manifest.devDependencies['msk-codegen']).toMatch(/msk-codegen-0\.1\.0\.tgz$/);
    expect(await readFile(path.join(project, '.gitattributes'), 'utf8')).toBe('generated/** linguist-generated=true\n');
    const config = JSON.parse(await readFile(path.join(project, 'msk-codegen.config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const schema = JSON.parse(await readFile(path.resolve(project, config['$schema'] as string), 'utf8')) as object;
    const validate = new Ajv2020({ strict: true }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the scaffolded test passed, tsc found nothing, and the sample event validated (envelope and payload)', () => {
    expect(runs.get('npx vitest run handlers/orders.test.ts')?.output).toMatch(/Tests\s+4 passed \(4\)/);
    expect(runs.get('npx tsc --noEmit')?.output).toBe('');
    expect(runs.get("npx msk-codegen validate 'events/**/*.json'")?.output).toContain(
      '1 file, 1 valid, 0 invalid, 0 warnings',
    );
  });

  it(
    'more handlers (plain, and a partial batch of typed orders): scaffolded, type-checked, every test passing',
    async () => {
      await ok('npx msk-codegen scaffold events', project);
      await ok('npx msk-codegen scaffold payments --topic orders --partial-batch', project);
      expect(await ok('npx vitest run', project)).toMatch(/Test Files\s+3 passed \(3\)/);
      expect(await ok('npx tsc --noEmit', project)).toBe('');
    },
    STEP_TIMEOUT,
  );

  it(
    'the tsc build runs: dist/handlers/orders.js handles the sample event',
    async () => {
      await ok('npx tsc', project);
      const script = path.join(project, 'run-built.mjs');
      await writeFile(
        script,
        "import { readFileSync } from 'node:fs';\nimport { handler } from './dist/handlers/orders.js';\nconsole.log(JSON.stringify(await handler(JSON.parse(readFileSync('events/order.json', 'utf8')))));\n",
      );
      const output = await ok('node run-built.mjs', project);
      // Its own log line first; then what it returns without --partial-batch: nothing.
      expect(output.trim().split('\n').at(-1)).toBe('undefined');
    },
    STEP_TIMEOUT,
  );

  it(
    'an esbuild bundle of a handler (as SAM and CDK build it) takes a good event and reports a payload-broken one as a failed record',
    async () => {
      await mkdir(path.join(project, 'broken'));
      await ok('npx msk-codegen sample --topic orders --invalid-value --out broken/order.json', project);
      const bundle = path.join(project, 'bundle', 'payments.mjs');
      await build({
        entryPoints: [path.join(project, 'handlers', 'payments.ts')],
        outfile: bundle,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        logLevel: 'silent',
      });
      // generated/on-failure.ts is for the functions that read on-failure destinations: a handler never bundles it.
      expect(await readFile(bundle, 'utf8')).not.toContain('OnFailureRecord');
      const { handler } = (await import(pathToFileURL(bundle).href)) as {
        handler: (event: unknown) => Promise<{ batchItemFailures: unknown[] }>;
      };
      const event = async (file: string) => JSON.parse(await readFile(path.join(project, file), 'utf8')) as unknown;
      expect(await handler(await event('events/order.json'))).toEqual({ batchItemFailures: [] });
      expect(await handler(await event('broken/order.json'))).toEqual({
        batchItemFailures: [{ itemIdentifier: { 'topic-partition': 'orders-0', offset: expect.any(Number) } }],
      });
    },
    STEP_TIMEOUT,
  );

  it('validate: the payload-broken event fails at its value, naming the path inside the payload', async () => {
    const run = await sh('npx msk-codegen validate broken/order.json', project);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/^broken\/order\.json:\d+:\d+: error payload\.required: records\/orders-0\/0\/value/m);
  });

  it('generate --check passes from the root and from a subfolder', async () => {
    expect(await ok('npx msk-codegen generate --check', project)).toContain('is up to date');
    expect(
      await ok('cd handlers && npx msk-codegen generate --check --config ../msk-codegen.config.json', project),
    ).toContain('is up to date');
  });

  it(
    "the README's CI job steps pass",
    async () => {
      const steps = readmeCommands(readme, 'ci-job');
      expect(steps).toEqual([
        'npm ci',
        'npx msk-codegen generate --check',
        "npx msk-codegen validate 'events/**/*.json'",
      ]);
      await runAll(steps, project);
    },
    STEP_TIMEOUT,
  );
});

describe("the README's CommonJS commands, in a fresh CommonJS project", () => {
  it(
    'run exactly as written: tsc compiles to CommonJS, and the handler is there to require',
    async () => {
      const { project, commands, runs: ran } = await commonJs;
      expect(commands[0]).toBe('npm init -y && npm pkg set type=commonjs');
      const runs = expectAllSucceeded(commands, ran);
      expect(runs.get('npx msk-codegen init')?.output).toContain('tsc compiles generated/ and handlers/ to CommonJS');
      expect(runs.get(commands.at(-1) as string)?.output.trim()).toBe('function');
      expect(await readFile(path.join(project, 'dist', 'handlers', 'orders.js'), 'utf8')).toContain('exports.handler');
    },
    STEP_TIMEOUT,
  );
});
