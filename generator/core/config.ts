/**
 * Resolves what to generate, once: flags over `msk-codegen.config.json` over the
 * defaults (the embedded schema, `./generated`).
 */
import { existsSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { CodegenError, DiagnosticCodes } from './diagnostics.js';
import { JsonSource } from './json-source.js';
import { configCheck } from './config-check.js';
import { EMBEDDED_SCHEMA } from './package-root.js';
import { REGENERATE_COMMAND } from '../emit/banner.js';
import { errorFacts } from '../runtime/issues.js';
import type { ValidatorError } from '../runtime/validator.js';

export const CONFIG_FILE_NAME = 'msk-codegen.config.json';

export const PAYLOAD_FORMATS = ['json', 'string', 'bytes', 'avro', 'protobuf'] as const;
export type PayloadFormat = (typeof PAYLOAD_FORMATS)[number];
/** The formats decoded from binary by generated code, with a schema-registry framing. */
export const BINARY_FORMATS = ['avro', 'protobuf'] as const;
export type BinaryPayloadFormat = (typeof BINARY_FORMATS)[number];
export const FRAMINGS = ['auto', 'confluent', 'glue', 'none'] as const;
export type PayloadFraming = (typeof FRAMINGS)[number];
export const LONG_TYPES = ['number', 'bigint'] as const;
export type LongType = (typeof LONG_TYPES)[number];

/**
 * How a record's key or value is encoded inside the base64: JSON (validated by a schema),
 * UTF-8 text, bytes, or Avro or Protobuf (decoded by generated code from an `.avsc` or `.proto`).
 */
export interface PayloadSpec {
  readonly format: PayloadFormat;
  /** For `json`, `avro` and `protobuf`: the payload's schema file, relative to the config file. */
  readonly schema?: string;
  /** For `protobuf`: the message's full name (`shop.v1.Order`). */
  readonly message?: string;
  /** For `avro` and `protobuf`: the schema-registry framing. Default: `auto` (detected). */
  readonly framing?: PayloadFraming;
  /** For `avro` and `protobuf`: how 64-bit integers are typed. Default: `number` (a value beyond 2^53 is a decode error). */
  readonly longs?: LongType;
}

/** A key's or value's spec with its schema path made absolute and the defaults filled in. */
export interface ResolvedPayload {
  readonly format: PayloadFormat;
  readonly schema?: string;
  readonly message?: string;
  readonly framing?: PayloadFraming;
  readonly longs?: LongType;
}

export interface TopicPayloads {
  /** Default: bytes. */
  readonly key?: PayloadSpec;
  /** Default: bytes. */
  readonly value?: PayloadSpec;
}

/** The contents of `msk-codegen.config.json`. Paths are relative to the file. */
export interface ConfigFile {
  /** The event schema. Default: the schema embedded in msk-codegen. */
  readonly schema?: string;
  /** Where generated files go. Default: `generated`. */
  readonly out?: string;
  /** Payloads by topic: exact names, or patterns where `*` stands for any characters (`orders-*`). */
  readonly topics?: Readonly<Record<string, TopicPayloads>>;
  /** Records of topics not listed: `reject` (a decode error) or `bytes` (passed through undecoded). Default: reject. */
  readonly unknownTopics?: 'reject' | 'bytes';
}

/** A topic's payloads with absolute schema paths, in config order (exact names before patterns when decoding). */
export interface ResolvedTopic {
  readonly topic: string;
  readonly key: ResolvedPayload;
  readonly value: ResolvedPayload;
}

export interface ConfigOverrides {
  /** The directory paths on the command line are relative to, and where the config file is looked for. */
  readonly cwd?: string;
  /** An explicit config file (must exist). */
  readonly config?: string;
  readonly schema?: string;
  readonly out?: string;
}

/**
 * What to generate. A `ResolvedConfig` (from `resolveConfig`) is one (it extends this): `generate(await
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

export interface ResolvedConfig extends GenerateConfig {
  readonly cwd: string;
  readonly configFile?: string;
  /** Absolute path of the schema. */
  readonly schema: string;
  /** Absolute path of the output directory. */
  readonly out: string;
  /**
   * How banners name the schema, so that output depends only on the inputs: relative to the
   * config file's folder (without a config file, to `cwd`), with forward slashes; the
   * embedded schema always as `msk-codegen/schema/kafka-event.schema.json`.
   */
  readonly schemaDisplay: string;
  /**
   * The command that reproduces this run from `cwd`, flags included (`--check` prints it).
   * Banners do not: they always say `npx msk-codegen generate` (REGENERATE_COMMAND).
   */
  readonly regenerateCommand: string;
  /** Typed payloads by topic (empty when the config declares none). */
  readonly topics: readonly ResolvedTopic[];
  readonly unknownTopics: 'reject' | 'bytes';
}

const payloadShape = {
  type: 'object',
  additionalProperties: false,
  required: ['format'],
  properties: {
    format: { enum: [...PAYLOAD_FORMATS] },
    schema: { type: 'string', minLength: 1 },
    message: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$' },
    framing: { enum: [...FRAMINGS] },
    longs: { enum: [...LONG_TYPES] },
  },
  // A setting that does not apply to the format is refused where it stands (a false schema).
  allOf: [
    {
      if: { properties: { format: { enum: ['json', ...BINARY_FORMATS] } } },
      then: { required: ['schema'], properties: { schema: true } },
      else: { properties: { schema: false } },
    },
    {
      if: { properties: { format: { const: 'protobuf' } } },
      then: { required: ['message'], properties: { message: true } },
      else: { properties: { message: false } },
    },
    {
      if: { properties: { format: { enum: [...BINARY_FORMATS] } } },
      else: { properties: { framing: false, longs: false } },
    },
  ],
};

/** The config file's shape (schema/config.schema.json says the same for editors; a test checks they agree). */
export const configShape = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    schema: { type: 'string', minLength: 1 },
    out: { type: 'string', minLength: 1 },
    topics: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z0-9._*-]{1,249}$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: { key: payloadShape, value: payloadShape },
      },
    },
    unknownTopics: { enum: ['reject', 'bytes'] },
  },
};

/** How banners name the embedded schema, wherever msk-codegen is installed. */
export const EMBEDDED_SCHEMA_DISPLAY = 'msk-codegen/schema/kafka-event.schema.json';

export async function resolveConfig(overrides: ConfigOverrides = {}): Promise<ResolvedConfig> {
  const cwd = path.resolve(overrides.cwd ?? process.cwd());
  const explicit = overrides.config !== undefined ? path.resolve(cwd, overrides.config) : undefined;
  const implicit = path.join(cwd, CONFIG_FILE_NAME);
  const configFile = explicit ?? (existsSync(implicit) ? implicit : undefined);
  const fromFile = configFile ? await readConfigFile(configFile) : {};
  const base = configFile ? path.dirname(configFile) : cwd;

  const schema =
    overrides.schema !== undefined
      ? path.resolve(cwd, overrides.schema)
      : fromFile.schema !== undefined
        ? path.resolve(base, fromFile.schema)
        : EMBEDDED_SCHEMA;
  const out =
    overrides.out !== undefined
      ? path.resolve(cwd, overrides.out)
      : fromFile.out !== undefined
        ? path.resolve(base, fromFile.out)
        : path.join(cwd, 'generated');

  const flags = [
    ...(overrides.config !== undefined ? ['--config', overrides.config] : []),
    ...(overrides.schema !== undefined ? ['--schema', overrides.schema] : []),
    ...(overrides.out !== undefined ? ['--out', overrides.out] : []),
  ];
  const bytes = { format: 'bytes' } as const;
  const resolvePayload = (spec: PayloadSpec | undefined) =>
    spec === undefined
      ? bytes
      : {
          ...spec,
          ...(spec.schema !== undefined ? { schema: path.resolve(base, spec.schema) } : {}),
          ...((BINARY_FORMATS as readonly string[]).includes(spec.format)
            ? { framing: spec.framing ?? 'auto', longs: spec.longs ?? 'number' }
            : {}),
        };
  const topics = Object.entries(fromFile.topics ?? {}).map(([topic, payloads]) => ({
    topic,
    key: resolvePayload(payloads.key),
    value: resolvePayload(payloads.value),
  }));
  return {
    cwd,
    ...(configFile ? { configFile } : {}),
    schema,
    out,
    topics,
    unknownTopics: fromFile.unknownTopics ?? 'reject',
    schemaDisplay: displayPath(base, schema),
    regenerateCommand: [REGENERATE_COMMAND, ...flags.map(quoteArg)].join(' '),
  };
}

/** What the config's checks say where the parse API's words (runtime/issues.ts errorFacts) would not help. */
const CONFIG_WORDS: Readonly<Record<string, (error: ValidatorError) => string>> = {
  minLength: () => 'expected a non-empty path',
  required: (error) =>
    error.params['missingProperty'] === 'message'
      ? '"message" is required (a protobuf payload names its message, e.g. "shop.v1.Order")'
      : `"${String(error.params['missingProperty'])}" is required (json, avro and protobuf payloads name their schema file)`,
  'false schema': (error) => {
    const setting = error.instancePath.split('/').at(-1);
    return setting === 'schema'
      ? 'only json, avro and protobuf payloads take a schema'
      : setting === 'message'
        ? 'only a protobuf payload takes a message'
        : `only avro and protobuf payloads take "${String(setting)}"`;
  },
  pattern: (error) =>
    error.propertyName !== undefined
      ? 'a topic is letters, digits, ".", "_", "-" and "*" for any characters'
      : 'a message\'s full name: its package and name, separated by "." (shop.v1.Order)',
};

async function readConfigFile(file: string): Promise<ConfigFile> {
  // JSONC, like tsconfig.json: comments and trailing commas are fine; positions stay those of the file.
  const source = await JsonSource.read(file, 'config file', { jsonc: true });
  // Only once there is a config to check: commands without one never load it.
  const check = await configCheck(configShape);
  if (!check(source.value)) {
    throw new CodegenError(
      (check.errors ?? []).flatMap((error) => {
        // Wrappers of an inner error, which says it better.
        if (error.keyword === 'if' || error.keyword === 'propertyNames') return [];
        const facts = errorFacts(error);
        const at = facts?.path ?? error.instancePath;
        if (error.keyword === 'additionalProperties') {
          const key = String(error.params['additionalProperty']);
          const allowed =
            error.instancePath === ''
              ? '"schema", "out", "topics" or "unknownTopics"'
              : error.instancePath.split('/').length === 3
                ? '"key" or "value"'
                : '"format", "schema", "message", "framing" or "longs"';
          return source.diagnostic(
            DiagnosticCodes.invalidConfig,
            at,
            `unknown setting "${key}": expected ${allowed}`,
            'key',
          );
        }
        const what = CONFIG_WORDS[error.keyword]?.(error) ?? `expected ${facts?.expected}`;
        if (error.keyword === 'pattern' && error.propertyName !== undefined) {
          return source.diagnostic(
            DiagnosticCodes.invalidConfig,
            at,
            `invalid topic ${JSON.stringify(error.propertyName)}: ${what}`,
            'key',
          );
        }
        return source.diagnostic(DiagnosticCodes.invalidConfig, error.instancePath, `invalid config: ${what}`);
      }),
    );
  }
  return source.value as ConfigFile;
}

/**
 * How a banner names the schema `file`: the embedded schema as
 * `msk-codegen/schema/kafka-event.schema.json` (also when reached through
 * `node_modules/msk-codegen` or a link to it); any other file relative to `base` (the config
 * file's folder, else the current folder), with forward slashes, `../` included when it
 * lies outside. The same on every machine and from every working directory.
 */
export function displayPath(base: string, file: string): string {
  if (isEmbeddedSchema(file)) return EMBEDDED_SCHEMA_DISPLAY;
  const relative = path.relative(base, file);
  // Another drive (Windows): no relative path exists.
  return (relative === '' || path.isAbsolute(relative) ? file : relative).split(path.sep).join('/');
}

function isEmbeddedSchema(file: string): boolean {
  if (path.resolve(file) === EMBEDDED_SCHEMA) return true;
  try {
    return realpathSync(file) === realpathSync(EMBEDDED_SCHEMA);
  } catch {
    return false; // a schema that does not exist (yet): loading it reports that
  }
}

function quoteArg(arg: string): string {
  return /^[\w./@:-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
