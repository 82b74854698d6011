/**
 * msk-codegen's programmatic API. `generate` is pure: it reads the schema and
 * templates and returns the files in memory. Writing and checking are separate.
 *
 *   config -> loadSchema -> buildModel -> emit (types, validators, parse, index) -> files
 */
import { banner, REGENERATE_COMMAND } from './emit/banner.js';
import { emitIndex, emitParse, emitRecords, hasRecordHelpers } from './emit/parse.js';
import { emitTypes } from './emit/types.js';
import { formatGeneratedFiles } from './emit/format.js';
import { emitValidators } from './emit/validators.js';
import { loadSchema, type LoadedSchema } from './core/load.js';
import { buildModel } from './core/model.js';
import { EMBEDDED_SCHEMA } from './core/package-root.js';
import * as path from 'node:path';
import { displayPath } from './core/config.js';
import { loadTemplates } from './core/templates.js';
import { composePayloads, type PayloadsPlan } from './core/compose.js';
import type { ResolvedTopic } from './core/config.js';
import { emitComposedSchema, emitPayloads } from './emit/payloads.js';
import { emitTesting, hasTestingHelpers } from './emit/testing.js';
import { topicPatternSource } from './emit/runtime-source.js';
import { NORMALIZER_NAMES } from './runtime/normalizers.js';
import type { GeneratedFile } from './output/generated-files.js';

export {
  resolveConfig,
  CONFIG_FILE_NAME,
  type ConfigFile,
  type ConfigOverrides,
  type ResolvedConfig,
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

/**
 * What to generate. A `ResolvedConfig` (from `resolveConfig`) is one: `generate(await
 * resolveConfig())` writes the same bytes as the CLI. The output depends only on these
 * inputs: every banner says `npx msk-codegen generate`, whatever flags were used.
 */
export interface GenerateConfig {
  /** Typed payloads by topic (from msk-codegen.config.json); none by default. */
  readonly topics?: readonly ResolvedTopic[];
  readonly unknownTopics?: 'reject' | 'bytes';
  /** The config file: the payloads come from it, and banners name the schema relative to its folder. */
  readonly configFile?: string;
  /** The folder banners name the schema relative to when there is no config file. Default: the current directory. */
  readonly cwd?: string;
  /** The event schema file. Default: the schema embedded in msk-codegen. */
  readonly schema?: string;
  /**
   * How the banner names the schema. Default: relative to the config file's folder (else
   * `cwd`), with forward slashes; the embedded schema as `msk-codegen/schema/kafka-event.schema.json`.
   */
  readonly schemaDisplay?: string;
}

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
  const templates = await loadTemplates();
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
  const validators = emitValidators(model, head, schemaFile);
  const files: GeneratedFile[] = [
    { path: 'index.ts', contents: await emitIndex(model, head, templates, payloads) },
    { path: 'parse.ts', contents: await emitParse(model, head, templates) },
    ...(hasRecordHelpers(model) ? [{ path: 'records.ts', contents: await emitRecords(model, head, templates) }] : []),
    ...(hasTestingHelpers(model)
      ? [{ path: 'testing.ts', contents: await emitTesting(model, head, payloads, await topicPatternSource()) }]
      : []),
    ...(payloads
      ? [
          {
            path: 'payloads.ts',
            contents: emitPayloads(model, payloads, head, templates.payloads, await topicPatternSource()),
          },
          { path: 'event.schema.json', contents: emitComposedSchema(loaded.schema, schemaDisplay, REGENERATE_COMMAND) },
        ]
      : []),
    { path: 'types.ts', contents: await emitTypes(model, head, loaded.source) },
    { path: 'validators-all-errors.ts', contents: validators.allErrors },
    { path: 'validators.ts', contents: validators.firstError },
  ];
  return (await formatGeneratedFiles(files)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
