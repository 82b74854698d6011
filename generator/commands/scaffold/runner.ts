/**
 * Which test runner a scaffolded test is written for (`scaffold --test`), whether the
 * project has what that test needs installed, and the command that runs it. Also the
 * versions of the tools msk-codegen is tested with, read from its own package.json (its
 * devDependencies), so what init pins and what these messages name never drift from them.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { CodegenError, DiagnosticCodes } from '../../core/diagnostics.js';
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../../core/package-root.js';

export const TEST_RUNNERS = ['vitest', 'node', 'none'] as const;
export type TestRunner = (typeof TEST_RUNNERS)[number];

/** The tools a scaffolded project needs: the type checker, the test runners, Node's types. */
export const TOOL_NAMES = ['@types/node', 'typescript', 'vite', 'vitest'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

let versions: Readonly<Record<ToolName | 'msk-codegen', string>> | undefined;

/**
 * The exact versions msk-codegen is tested with: its own devDependencies (vitest 4 needs
 * its vite 8 on Node 20), and msk-codegen's own version.
 */
export function testedVersions(): Readonly<Record<ToolName | 'msk-codegen', string>> {
  if (versions) return versions;
  const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  const entries = TOOL_NAMES.map((name): [ToolName, string] => {
    const version = manifest.devDependencies?.[name];
    if (typeof version !== 'string') throw new Error(`msk-codegen's package.json has no devDependency ${name}`);
    return [name, version];
  });
  versions = { ...(Object.fromEntries(entries) as Record<ToolName, string>), 'msk-codegen': PACKAGE_VERSION };
  return versions;
}

/** `npm install --save-dev a@1 b@2`: the command that installs `names` at the tested versions. */
export function installCommand(names: readonly ToolName[]): string {
  return `npm install --save-dev ${names.map((name) => `${name}@${testedVersions()[name]}`).join(' ')}`;
}

/** Whether `name` is installed where Node and TypeScript look for it: `node_modules/<name>` in `cwd` or a folder above. */
export function isInstalled(cwd: string, name: string): boolean {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', ...name.split('/'));
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

/** Whether the project's package.json lists `name` as a dependency of any kind (installed or not). */
function listsDependency(cwd: string, name: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8')) as Record<string, unknown>;
    return ['dependencies', 'devDependencies', 'optionalDependencies'].some((field) => {
      const deps = manifest[field];
      return typeof deps === 'object' && deps !== null && Object.hasOwn(deps, name);
    });
  } catch {
    return false;
  }
}

/** The runner a test file is written for, from its imports; undefined when it is neither. */
export function runnerOfTest(text: string): TestRunner | undefined {
  if (/\bfrom\s+['"]vitest['"]/.test(text)) return 'vitest';
  if (/\bfrom\s+['"](?:node:)?test['"]/.test(text)) return 'node';
  return undefined;
}

/**
 * The default runner: vitest when the project has it installed, or lists it in package.json
 * (init adds it: then it is only waiting for `npm install`, which the check says), else
 * Node's built-in runner.
 */
export function defaultRunner(cwd: string): TestRunner {
  return isInstalled(cwd, 'vitest') || listsDependency(cwd, 'vitest') ? 'vitest' : 'node';
}

/** Why the test is written for its runner: `--test`, the default, or the existing test (on --update). */
export type RunnerChoice = 'flag' | 'default' | 'existing';

/**
 * Throws a one-line CodegenError naming the command to run when the test `runner` needs
 * something the project has not installed: vitest itself, or for a node:test test Node's
 * types (the test imports node:test and node:assert, and is type-checked before it is
 * written). Never a TypeScript error about a module it cannot find.
 */
export function assertRunnerInstalled(cwd: string, runner: TestRunner, choice: RunnerChoice): void {
  const fail = (message: string): never => {
    throw new CodegenError([{ code: DiagnosticCodes.usage, message }]);
  };
  const chosen =
    choice === 'flag'
      ? `--test ${runner}: `
      : choice === 'existing'
        ? `the test is written for ${runner === 'node' ? 'node:test' : runner}: `
        : '';
  if (runner === 'vitest' && !isInstalled(cwd, 'vitest')) {
    if (listsDependency(cwd, 'vitest'))
      fail(
        `${chosen}package.json lists vitest, but it is not installed (no node_modules/vitest): run \`npm install\` first, or choose --test node or --test none`,
      );
    fail(
      `${chosen}vitest is not installed (no node_modules/vitest): run \`${installCommand(['vitest', 'vite'])}\`, or choose --test node or --test none`,
    );
  }
  if (runner === 'node' && !isInstalled(cwd, '@types/node')) {
    const what =
      choice === 'default'
        ? 'vitest is not installed, so the test is written for node:test, whose types come from @types/node, which is not installed either'
        : 'the test imports node:test, whose types come from @types/node, which is not installed';
    if (listsDependency(cwd, '@types/node'))
      fail(`${chosen}${what}; package.json lists it: run \`npm install\` first, or choose --test none`);
    const install =
      choice === 'default'
        ? `\`${installCommand(['vitest', 'vite'])}\` (vitest) or \`${installCommand(['@types/node'])}\` (node:test)`
        : `\`${installCommand(['@types/node'])}\``;
    fail(`${chosen}${what}: run ${install}, or choose --test none`);
  }
}

/**
 * The command that runs the test at `testFile` (absolute), as shown to the user (relative to
 * `cwd`): vitest runs the TypeScript; node runs what tsc compiles it to (`outDir`, `rootDir`
 * from the project's tsconfig.json; Node 20 cannot run TypeScript itself).
 */
export function testCommand(
  runner: TestRunner,
  cwd: string,
  testFile: string,
  compiler: {
    readonly outDir?: string | undefined;
    readonly rootDir?: string | undefined;
    readonly hasTsconfig: boolean;
  },
): string | undefined {
  const shown = (file: string) => path.relative(cwd, file).split(path.sep).join('/') || '.';
  if (runner === 'vitest') return `npx vitest run ${shown(testFile)}`;
  if (runner === 'none') return undefined;
  // Without a tsconfig.json, whatever build the project has compiles it: next to the source is tsc's default.
  if (!compiler.hasTsconfig) return `node --test ${shown(testFile).replace(/\.ts$/, '.js')}`;
  const compiled =
    compiler.outDir !== undefined
      ? path.join(compiler.outDir, path.relative(compiler.rootDir ?? cwd, testFile))
      : testFile;
  return `npx tsc && node --test ${shown(compiled.replace(/\.ts$/, '.js'))}`;
}
