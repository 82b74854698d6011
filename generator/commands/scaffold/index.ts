/**
 * `msk-codegen scaffold`: a new Kafka handler and its test (for vitest, node:test, or none),
 * rendered from templates, type-checked in memory against the generated API, then written
 * atomically; and `--update`, which refreshes an existing handler's and test's imports
 * and types, and says so when the test no longer type-checks.
 */
import { statSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import { resolveConfig } from '../../core/config.js';
import { CodegenError, DiagnosticCodes, displayFile, type Diagnostic } from '../../core/diagnostics.js';
import { writeFilesAtomically } from '../../output/generated-files.js';
import { describeFsError } from '../../core/json-source.js';
import { describeFileKind, entryExists, readRegularFile } from '../../core/regular-file.js';
import { withHandlerExport } from './handlers-index.js';
import { checkHandlerName } from './names.js';
import { renderScaffold, SCAFFOLD_TEMPLATES_DIR, SOURCES, type Source } from './render.js';
import { stringLiteral } from '../../emit/literal.js';
import {
  assertRunnerInstalled,
  defaultRunner,
  runnerOfTest,
  TEST_RUNNERS,
  testCommand,
  type RunnerChoice,
  type TestRunner,
} from './runner.js';
import { topicScaffold } from './topic.js';
import { assertTypeChecks, createProject, typeCheck, type InMemoryFile } from './typecheck.js';
import { applyTemplate } from './update.js';

export { SOURCES, type Source } from './render.js';
export { TEST_RUNNERS, type TestRunner } from './runner.js';

export interface ScaffoldRequest {
  /** The project directory: paths are relative to it, and its msk-codegen.config.json says where generated/ is. */
  readonly cwd: string;
  readonly name: string;
  /** Which events the handler takes. Default: `msk` (on --update: what the handler was scaffolded with). */
  readonly source?: Source;
  /** Return a partial batch response instead of failing the whole batch. */
  readonly partialBatch?: boolean;
  /** Where handlers go. Default: `handlers`. */
  readonly dir?: string;
  /** A folder with the user's own `handler.ts.hbs` and `handler.test.ts.hbs`. */
  readonly templates?: string;
  readonly force?: boolean;
  readonly update?: boolean;
  readonly config?: string;
  /** A topic msk-codegen.config.json declares: the handler gets its typed, validated values. */
  readonly topic?: string;
  /**
   * The runner the test is written for: `vitest`, `node` (node:test) or `none` (no test).
   * Default: vitest when the project has it (installed, or listed in package.json), else node;
   * on --update, what the test was written for.
   */
  readonly test?: TestRunner;
}

export interface ScaffoldResult {
  readonly dir: string;
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  /** The runner the test is written for (`none`: there is no test, or --update left it alone). */
  readonly test: TestRunner;
  /** The command that runs the test, relative to the project. */
  readonly testCommand?: string;
}

const OPTIONS_LINE =
  /@msk-codegen (--source (msk|self-managed|any))( --partial-batch)?( --topic (\S+))?( --test (vitest|node|none))?/;

export async function scaffold(request: ScaffoldRequest): Promise<ScaffoldResult> {
  const handler = checkHandlerName(request.name);
  if (request.test !== undefined && !TEST_RUNNERS.includes(request.test)) {
    throw new CodegenError([
      {
        code: DiagnosticCodes.usage,
        message: `unknown --test ${JSON.stringify(request.test)}: expected ${TEST_RUNNERS.join(', ')}`,
      },
    ]);
  }
  const config = await resolveConfig({
    cwd: request.cwd,
    ...(request.config !== undefined ? { config: request.config } : {}),
  });
  const generatedIndex = path.join(config.out, 'index.ts');
  const generated = statIfAny(generatedIndex);
  if (generated === undefined || !generated.isFile()) {
    const what =
      generated === undefined
        ? 'the generated API is missing'
        : `it is ${describeFileKind(generated)}, not the generated API`;
    throw new CodegenError([
      {
        code: DiagnosticCodes.fileMissing,
        file: generatedIndex,
        message: `${what}: run \`npx msk-codegen generate\` first`,
      },
    ]);
  }
  const dir = path.resolve(request.cwd, request.dir ?? 'handlers');
  const files = { handler: `${handler.name}.ts`, test: `${handler.name}.test.ts`, index: 'index.ts' };
  const at = (file: string) => path.join(dir, file);
  checkPlaces(request, dir, [
    [at(files.handler), 'the handler'],
    [at(files.test), "the handler's test"],
    [at(files.index), 'the handlers index'],
  ]);
  const importOf = (file: string) => {
    const specifier = path.relative(dir, path.join(config.out, file)).split(path.sep).join('/');
    return specifier.startsWith('.') ? specifier : `./${specifier}`;
  };
  const generatedImport = importOf('index.js');
  const generatedTesting = path.join(config.out, 'testing.ts');

  const existingHandler = await readExisting(at(files.handler));
  const existingTest = request.update ? await readExisting(at(files.test)) : undefined;
  let recorded: { source?: Source; partialBatch?: boolean; topic?: string; test?: TestRunner } = {};
  if (request.update) {
    if (existingHandler === undefined) {
      throw new CodegenError([
        {
          code: DiagnosticCodes.fileMissing,
          file: at(files.handler),
          message: `no handler to update: scaffold it first with \`npx msk-codegen scaffold ${handler.name}\``,
        },
      ]);
    }
    const line = OPTIONS_LINE.exec(existingHandler);
    if (line)
      recorded = {
        source: line[2] as Source,
        partialBatch: line[3] !== undefined,
        ...(line[5] !== undefined ? { topic: line[5] } : {}),
        ...(line[7] !== undefined ? { test: line[7] as TestRunner } : {}),
      };
    // A handler scaffolded before --test existed: the runner its test imports.
    if (recorded.test === undefined && existingTest !== undefined) {
      const runner = runnerOfTest(existingTest);
      if (runner !== undefined) recorded = { ...recorded, test: runner };
    }
    // --update keeps every function body, so it cannot switch what the bodies were written for.
    const changes = [
      request.source !== undefined && recorded.source !== undefined && request.source !== recorded.source
        ? `--source ${request.source} (it has ${recorded.source})`
        : '',
      request.partialBatch !== undefined &&
      recorded.partialBatch !== undefined &&
      request.partialBatch !== recorded.partialBatch
        ? '--partial-batch'
        : '',
      request.topic !== undefined && request.topic !== recorded.topic ? `--topic ${request.topic}` : '',
      request.test !== undefined && recorded.test !== undefined && request.test !== recorded.test
        ? `--test ${request.test} (its test is for ${recorded.test})`
        : '',
    ].filter(Boolean);
    if (changes.length > 0) {
      throw new CodegenError([
        {
          code: DiagnosticCodes.usage,
          file: at(files.handler),
          message: `--update keeps your function bodies, so it cannot change ${changes.join(' or ')}: scaffold it again with --force, or edit it by hand`,
        },
      ]);
    }
  }
  // The runner, and why: the flag, the existing test (--update: one of no runner we know is left alone), or the default.
  const [runner, choice]: [TestRunner, RunnerChoice] =
    request.test !== undefined
      ? [request.test, 'flag']
      : request.update
        ? [existingTest === undefined ? 'none' : (recorded.test ?? 'none'), 'existing']
        : [defaultRunner(request.cwd), 'default'];
  if (!request.update && !request.force) {
    // lstat: a symbolic link is taken even when it points nowhere (existsSync follows it).
    const taken = [files.handler, ...(runner !== 'none' ? [files.test] : [])].filter((file) => entryExists(at(file)));
    if (taken.length > 0) {
      throw new CodegenError(
        taken.map((file) => ({
          code: DiagnosticCodes.fileExists,
          file: at(file),
          message: 'already exists: use --force to overwrite it, or --update to refresh its imports and types',
        })),
      );
    }
  }

  const source = request.source ?? recorded.source ?? 'msk';
  if (!SOURCES.includes(source)) {
    throw new CodegenError([
      {
        code: DiagnosticCodes.usage,
        message: `unknown --source ${JSON.stringify(source)}: expected ${SOURCES.join(', ')}`,
      },
    ]);
  }
  const topicName = request.topic ?? recorded.topic;
  const topic =
    topicName !== undefined
      ? await topicScaffold(config, topicName, stringLiteral, { update: request.update === true })
      : undefined;
  const project = createProject(request.cwd);
  const { outDir, rootDir } = project.getCompilerOptions();
  const command = testCommand(runner, request.cwd, at(files.test), {
    outDir,
    rootDir,
    hasTsconfig: statIfAny(path.join(request.cwd, 'tsconfig.json')) !== undefined,
  });
  const rendered = await renderScaffold({
    handler,
    source,
    partialBatch: request.partialBatch ?? recorded.partialBatch ?? false,
    generatedImport,
    testingImport: importOf('testing.js'),
    test: runner,
    testCommand: command,
    invokeCommand: `npx msk-codegen invoke ${path.relative(request.cwd, at(files.handler)).split(path.sep).join('/')} --sample${topic ? ` --topic ${topic.name.replace(/\*/g, 'example')}` : ''}`,
    templatesDir:
      request.templates !== undefined ? path.resolve(request.cwd, request.templates) : SCAFFOLD_TEMPLATES_DIR,
    ...(topic ? { topic } : {}),
  });
  // What the test needs, said in one line with the command that installs it, not as a TypeScript error about a module it cannot find.
  if (runner !== 'none') {
    assertRunnerInstalled(request.cwd, runner, choice);
    const helper = statIfAny(generatedTesting);
    if (helper === undefined || !helper.isFile()) {
      throw new CodegenError([
        {
          code: DiagnosticCodes.fileMissing,
          file: generatedTesting,
          message: `the test builds its events with the generated test helper, which is missing: run \`npx msk-codegen generate\` first (or choose --test none)`,
        },
      ]);
    }
  }

  const output: InMemoryFile[] = [];
  if (request.update && existingHandler !== undefined) {
    const checked: InMemoryFile[] = [
      {
        path: at(files.handler),
        contents: applyTemplate(project, at(files.handler), existingHandler, rendered.handler, [generatedIndex]),
      },
    ];
    if (existingTest !== undefined && rendered.test !== undefined) {
      checked.push({
        path: at(files.test),
        contents: applyTemplate(project, at(files.test), existingTest, rendered.test, [
          generatedIndex,
          generatedTesting,
        ]),
      });
    }
    const diagnostics = typeCheck(project, checked);
    if (diagnostics.length > 0) {
      const testBroken = diagnostics.some((d) => d.file === at(files.test));
      throw new CodegenError([
        ...diagnostics,
        ...(testBroken
          ? [
              {
                code: DiagnosticCodes.typeCheck,
                file: at(files.test),
                message: `the test no longer type-checks against the generated API: fix the values it builds (the lines above), then run \`npx msk-codegen scaffold --update ${handler.name}\` again`,
              },
            ]
          : []),
      ]);
    }
    output.push(...checked.map((file) => ({ path: path.basename(file.path), contents: file.contents })));
  } else {
    const checked: InMemoryFile[] = [
      { path: at(files.handler), contents: rendered.handler },
      ...(rendered.test !== undefined ? [{ path: at(files.test), contents: rendered.test }] : []),
    ];
    assertTypeChecks(project, checked);
    output.push(...checked.map((file) => ({ path: path.basename(file.path), contents: file.contents })));
  }
  const indexText = withHandlerExport(
    project,
    at(files.index),
    await readExisting(at(files.index)),
    handler.name,
    handler.exportName,
  );
  if (indexText !== undefined) output.push({ path: files.index, contents: indexText });

  const { written, unchanged } = await writeFilesAtomically(dir, output);
  const tested = request.update && existingTest === undefined ? 'none' : runner;
  return {
    dir: displayFile(dir, request.cwd) || '.',
    written,
    unchanged,
    test: tested,
    ...(command !== undefined && tested !== 'none' ? { testCommand: command } : {}),
  };
}

/** `stat`, or undefined when there is nothing at `file` (or a file stands where a folder on its path should be). */
function statIfAny(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new CodegenError([
      { code: DiagnosticCodes.unreadable, file, message: `cannot read: ${describeFsError(error)}` },
    ]);
  }
}

/**
 * Before anything is rendered: --dir is a folder (or nothing yet, with only folders on
 * its path), --templates a folder, and where the handler, its test and the index go
 * there is a regular file or nothing. Each problem names its path.
 */
function checkPlaces(request: ScaffoldRequest, dir: string, targets: readonly (readonly [string, string])[]): void {
  const problems: Diagnostic[] = [];
  const folder = (file: string, flag: string, code: Diagnostic['code'], missing: string | undefined) => {
    const stats = statIfAny(file);
    if (stats === undefined) {
      const blocked = fileOnPath(file);
      if (blocked !== undefined)
        problems.push({
          code,
          file,
          message: `${flag} must be a folder, but ${displayFile(blocked, request.cwd)} on its path is ${describeFileKind(statSync(blocked))}`,
        });
      else if (missing !== undefined) problems.push({ code, file, message: missing });
    } else if (!stats.isDirectory()) {
      problems.push({ code, file, message: `${flag} must be a folder, but it is ${describeFileKind(stats)}` });
    }
  };
  folder(dir, '--dir', DiagnosticCodes.usage, undefined);
  if (request.templates !== undefined) {
    folder(
      path.resolve(request.cwd, request.templates),
      '--templates',
      DiagnosticCodes.template,
      '--templates must be a folder holding your templates, but there is no such folder',
    );
  }
  if (problems.length === 0) {
    for (const [file, what] of targets) {
      const stats = statIfAny(file);
      if (stats !== undefined && !stats.isFile()) {
        problems.push({
          code: DiagnosticCodes.fileExists,
          file,
          message: `scaffold writes ${what} here, but it is ${describeFileKind(stats)}, not a regular file: move it out of the way`,
        });
      }
    }
  }
  if (problems.length > 0) throw new CodegenError(problems);
}

/** The nearest ancestor of `file` that exists and is not a folder, if any (a file standing where a folder should be). */
function fileOnPath(file: string): string | undefined {
  for (let current = path.dirname(file); current !== path.dirname(current); current = path.dirname(current)) {
    const stats = statIfAny(current);
    if (stats !== undefined) return stats.isDirectory() ? undefined : current;
  }
  return undefined;
}

/** The text of `file`, or undefined when there is none; a file that cannot be read (or is no regular file) is a CodegenError naming it. */
async function readExisting(file: string): Promise<string | undefined> {
  try {
    return await readRegularFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CodegenError([
      { code: DiagnosticCodes.unreadable, file, message: `cannot read: ${describeFsError(error)}` },
    ]);
  }
}
