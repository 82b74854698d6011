/**
 * `msk-codegen scaffold`: a new Kafka handler and its test, rendered from templates,
 * type-checked in memory against the generated API, then written atomically; and
 * `--update`, which refreshes an existing handler's imports and types.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { resolveConfig } from '../config.js';
import { CodegenError, DiagnosticCodes, displayFile } from '../diagnostics.js';
import { readIfExists, writeFilesAtomically } from '../files.js';
import { withHandlerExport } from './handlers-index.js';
import { checkHandlerName } from './names.js';
import { renderScaffold, SCAFFOLD_TEMPLATES_DIR, SOURCES, stringLiteral, type Source } from './render.js';
import { topicScaffold } from './topic.js';
import { assertTypeChecks, createProject } from './typecheck.js';
import { applyTemplate } from './update.js';

export { SOURCES, type Source } from './render.js';

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
}

export interface ScaffoldResult {
  readonly dir: string;
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
}

const OPTIONS_LINE = /@msk-codegen (--source (msk|self-managed|any))( --partial-batch)?( --topic (\S+))?/;

export async function scaffold(request: ScaffoldRequest): Promise<ScaffoldResult> {
  const handler = checkHandlerName(request.name);
  const config = await resolveConfig({ cwd: request.cwd, ...(request.config !== undefined ? { config: request.config } : {}) });
  const generatedIndex = path.join(config.out, 'index.ts');
  if (!existsSync(generatedIndex)) {
    throw new CodegenError([{ code: DiagnosticCodes.fileMissing, file: generatedIndex, message: 'the generated API is missing: run `npx msk-codegen generate` first' }]);
  }
  const dir = path.resolve(request.cwd, request.dir ?? 'handlers');
  const files = { handler: `${handler.name}.ts`, test: `${handler.name}.test.ts`, index: 'index.ts' };
  const at = (file: string) => path.join(dir, file);
  let generatedImport = path.relative(dir, path.join(config.out, 'index.js')).split(path.sep).join('/');
  if (!generatedImport.startsWith('.')) generatedImport = `./${generatedImport}`;

  const existingHandler = await readIfExists(at(files.handler));
  let recorded: { source?: Source; partialBatch?: boolean; topic?: string } = {};
  if (request.update) {
    if (existingHandler === undefined) {
      throw new CodegenError([{ code: DiagnosticCodes.fileMissing, file: at(files.handler), message: `no handler to update: scaffold it first with \`npx msk-codegen scaffold ${handler.name}\`` }]);
    }
    const line = OPTIONS_LINE.exec(existingHandler);
    if (line) recorded = { source: line[2] as Source, partialBatch: line[3] !== undefined, ...(line[5] !== undefined ? { topic: line[5] } : {}) };
    // --update keeps every function body, so it cannot switch what the bodies were written for.
    const changes = [
      request.source !== undefined && recorded.source !== undefined && request.source !== recorded.source ? `--source ${request.source} (it has ${recorded.source})` : '',
      request.partialBatch !== undefined && recorded.partialBatch !== undefined && request.partialBatch !== recorded.partialBatch ? '--partial-batch' : '',
      request.topic !== undefined && request.topic !== recorded.topic ? `--topic ${request.topic}` : '',
    ].filter(Boolean);
    if (changes.length > 0) {
      throw new CodegenError([
        { code: DiagnosticCodes.usage, file: at(files.handler), message: `--update keeps your function bodies, so it cannot change ${changes.join(' or ')}: scaffold it again with --force, or edit it by hand` },
      ]);
    }
  } else if (!request.force) {
    const taken = [files.handler, files.test].filter((file) => existsSync(at(file)));
    if (taken.length > 0) {
      throw new CodegenError(
        taken.map((file) => ({ code: DiagnosticCodes.fileExists, file: at(file), message: 'already exists: use --force to overwrite it, or --update to refresh its imports and types' })),
      );
    }
  }

  const source = request.source ?? recorded.source ?? 'msk';
  if (!SOURCES.includes(source)) {
    throw new CodegenError([{ code: DiagnosticCodes.usage, message: `unknown --source ${JSON.stringify(source)}: expected ${SOURCES.join(', ')}` }]);
  }
  const topicName = request.topic ?? recorded.topic;
  const topic = topicName !== undefined ? await topicScaffold(config, topicName, source, stringLiteral) : undefined;
  const rendered = await renderScaffold({
    handler,
    source,
    partialBatch: request.partialBatch ?? recorded.partialBatch ?? false,
    generatedImport,
    templatesDir: request.templates !== undefined ? path.resolve(request.cwd, request.templates) : SCAFFOLD_TEMPLATES_DIR,
    ...(topic ? { topic } : {}),
  });

  const project = createProject(request.cwd);
  const output: { path: string; contents: string }[] = [];
  if (request.update && existingHandler !== undefined) {
    const updated = applyTemplate(project, at(files.handler), existingHandler, rendered.handler, generatedIndex);
    assertTypeChecks(project, [{ path: at(files.handler), contents: updated }]);
    output.push({ path: files.handler, contents: updated });
  } else {
    assertTypeChecks(project, [
      { path: at(files.handler), contents: rendered.handler },
      { path: at(files.test), contents: rendered.test },
    ]);
    output.push({ path: files.handler, contents: rendered.handler }, { path: files.test, contents: rendered.test });
  }
  const indexText = withHandlerExport(project, at(files.index), await readIfExists(at(files.index)), handler.name, handler.exportName);
  if (indexText !== undefined) output.push({ path: files.index, contents: indexText });

  const { written, unchanged } = await writeFilesAtomically(dir, output);
  return { dir: displayFile(dir, request.cwd) || '.', written, unchanged };
}
