/**
 * msk-codegen's programmatic API. `generate` is pure: it reads the schema and
 * templates and returns the files in memory. Writing and checking are separate.
 *
 *   config -> loadSchema -> buildModel -> emit (each file of emit/registry.ts) -> files
 */
import { banner } from './emit/banner.js';
import { emitters, type EmitContext } from './emit/registry.js';
import type { EmittedValidators } from './emit/validators.js';
import { emitValidators } from './emit/validators-cache.js';
import { formatGeneratedFiles } from './emit/format.js';
import { loadSchema, type LoadedSchema } from './core/load.js';
import { buildModel } from './core/model.js';
import { EMBEDDED_SCHEMA } from './core/package-root.js';
import * as path from 'node:path';
import { displayPath } from './core/config.js';
import { loadTemplates } from './core/templates.js';
import { composePayloads, type PayloadsPlan } from './core/compose.js';
import type { GenerateConfig } from './core/config.js';
import { NORMALIZER_NAMES } from './runtime/normalizers.js';
import type { GeneratedFile } from './output/generated-files.js';

export {
  resolveConfig,
  CONFIG_FILE_NAME,
  type ConfigFile,
  type ConfigOverrides,
  type ResolvedConfig,
  type GenerateConfig,
} from './core/config.js';
export {
  writeGeneratedFiles,
  checkGeneratedFiles,
  type GeneratedFile,
  type WriteReport,
  type CheckReport,
  type WriteOptions,
  type CheckOptions,
} from './output/generated-files.js';
export {
  GENERATED_FILE_NAMES,
  LOCK_FILE_NAME,
  assertSafeOutDir,
  projectGuardOf,
  OutputWriteError,
  type OutputFs,
  type ProjectGuard,
} from './output/folder.js';
export {
  CodegenError,
  DiagnosticCodes,
  formatDiagnostic,
  type Diagnostic,
  type DiagnosticCode,
} from './core/diagnostics.js';
export { EMBEDDED_SCHEMA } from './core/package-root.js';
export { loadSchema, type LoadedSchema } from './core/load.js';

/** Generates every output file in memory, sorted by path. Writes nothing; throws CodegenError on bad input. */
export async function generate(config: GenerateConfig = {}): Promise<GeneratedFile[]> {
  const event = await loadSchema(config.schema ?? EMBEDDED_SCHEMA);
  if (!config.topics || config.topics.length === 0) return generateFromSchema(event, config);
  const { loaded, plan } = await composePayloads(
    event,
    config.topics,
    config.unknownTopics ?? 'reject',
    config.configFile,
  );
  return generateFromSchema(loaded, config, plan);
}

/** `generate` for a schema already loaded and checked (by `loadSchema`). Never mutates it. */
export async function generateFromSchema(
  loaded: LoadedSchema,
  config: GenerateConfig = {},
  payloads?: PayloadsPlan,
): Promise<GeneratedFile[]> {
  const schemaFile = loaded.source.file;
  const templates = await loadTemplates(emitters().flatMap((e) => (e.template !== undefined ? [e.template] : [])));
  const model = buildModel(loaded, NORMALIZER_NAMES);
  const schemaDisplay =
    config.schemaDisplay ??
    displayPath(
      config.configFile !== undefined
        ? path.dirname(path.resolve(config.configFile))
        : path.resolve(config.cwd ?? process.cwd()),
      schemaFile,
    );
  const head = banner({ schemaDisplay });
  let validators: EmittedValidators | undefined;
  const context: EmitContext = {
    model,
    loaded,
    payloads,
    head,
    schemaDisplay,
    template: () => {
      throw new Error('this emitter declares no template');
    },
    validators: () => (validators ??= emitValidators(model, head, schemaFile)),
  };
  const files: GeneratedFile[] = [];
  for (const emitter of emitters()) {
    if (!emitter.when(model, payloads)) continue;
    const template = emitter.template !== undefined ? templates.get(emitter.template) : undefined;
    const contents = await emitter.emit(template !== undefined ? { ...context, template } : context);
    files.push({ path: emitter.path, contents });
  }
  return (await formatGeneratedFiles(files)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
