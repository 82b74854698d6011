/**
 * Every file `generate` can write, one entry each: its path, when it is written, how it is
 * emitted and the type names it declares. Everything that needs to know the output's files
 * derives it from here: `generate()`'s file list, the names the output folder owns
 * (output/folder.ts) and the names a payload or topic record type may not take
 * (core/compose.ts). Adding a file is adding an entry (see test/generator/emit/registry.test.ts).
 *
 * This module stays light (output/folder.ts, which the CLI loads at start, imports it): the
 * emitters themselves are imported when a file is emitted.
 */
import type { PayloadsPlan } from '../core/compose.js';
import type { LoadedSchema } from '../core/load.js';
import type { CodegenModel } from '../core/model.js';
import type { Template } from '../core/templates.js';
import type { EmittedValidators } from './validators.js';

/** What an emitter is given: the model and everything generate() has worked out for this run. */
export interface EmitContext {
  readonly model: CodegenModel;
  readonly loaded: LoadedSchema;
  /** The payloads plan when the config declares topics. */
  readonly payloads: PayloadsPlan | undefined;
  /** The banner every generated TypeScript file starts with. */
  readonly head: string;
  /** How banners name the schema. */
  readonly schemaDisplay: string;
  /** The emitter's own template (its `template` entry), compiled; an emitter without one must not call it. */
  readonly template: Template;
  /** Both validator modules, compiled once however many files ask. */
  readonly validators: () => EmittedValidators;
}

export interface Emitter {
  /** The file's name at the top level of the output folder. */
  readonly path: string;
  /** Whether the file is written for this model and payloads plan. */
  readonly when: (model: CodegenModel, payloads: PayloadsPlan | undefined) => boolean;
  readonly emit: (context: EmitContext) => string | Promise<string>;
  /** The handlebars template in templates/ the file is rendered from, if any (`parse.ts.hbs`): generate() loads it. */
  readonly template?: string;
  /**
   * The names the file declares at its top level that a payload type or topic record type
   * must not take (it would clash with the type imported or re-exported beside it): such a
   * name is refused at the schema or config that chose it (core/compose.ts). Empty for a
   * file that imports no payload type by name (types.ts declares them; testing.ts imports
   * them as `Payloads.X`). test/generator/emit/registry.test.ts checks each list is complete.
   */
  readonly declares: readonly string[];
}

/** The definitions records.ts is written against; without them it is not emitted. */
export const RECORD_HELPER_TYPES = ['KafkaRecord', 'KafkaBatchResponse', 'KafkaBatchItemFailure'] as const;

/** The definitions testing.ts is written against; without any of them it is not emitted. */
export const TESTING_TYPES = [
  ...RECORD_HELPER_TYPES,
  'MSKEvent',
  'SelfManagedKafkaEvent',
  'KafkaRecordHeader',
  'KafkaSchemaMetadata',
] as const;

const defines = (model: CodegenModel, names: readonly string[]) =>
  names.every((name) => model.definitions.some((d) => d.name === name));

export function hasRecordHelpers(model: CodegenModel): boolean {
  return defines(model, RECORD_HELPER_TYPES);
}

export function hasTestingHelpers(model: CodegenModel): boolean {
  return defines(model, TESTING_TYPES);
}

const always = () => true;
/** generator/runtime/topic-pattern.ts as testing.ts and payloads.ts embed it. */
const topicPattern = async () => (await import('./runtime-source.js')).topicPatternSource();
const withPayloads = (_model: CodegenModel, payloads: PayloadsPlan | undefined) => payloads !== undefined;

/** The files msk-codegen generates, in no particular order (generate() sorts its output by path). */
export const EMITTERS: readonly Emitter[] = [
  {
    path: 'index.ts',
    template: 'index.ts.hbs',
    when: always,
    emit: async (c) => (await import('./parse.js')).emitIndex(c.model, c.head, c.template, c.payloads),
    declares: [],
  },
  {
    path: 'parse.ts',
    template: 'parse.ts.hbs',
    when: always,
    emit: async (c) => (await import('./parse.js')).emitParse(c.model, c.head, c.template),
    // With the embedded schema's root, KafkaEvent: the names derived from another root are not refused.
    declares: [
      'CONTEXT',
      'DEFAULT_MAX_ISSUES',
      'EMPTY',
      'ErrorFacts',
      'InstancePath',
      'IssueContext',
      'IssueList',
      'IssueOptions',
      'KafkaEventSchema',
      'KafkaEventValidationError',
      'LEGACY_FORMS',
      'LegacyForm',
      'LegacyFormWarning',
      'NO_WARNINGS',
      'ParseWarning',
      'SafeParseResult',
      'StandardSchemaV1',
      'StandardSchemaV1Result',
      'UNSAFE_INTEGER_PATHS',
      'UnsafeIntegerWarning',
      'ValidationIssue',
    ],
  },
  {
    path: 'records.ts',
    template: 'records.ts.hbs',
    when: hasRecordHelpers,
    emit: async (c) => (await import('./parse.js')).emitRecords(c.model, c.head, c.template),
    declares: [
      'KafkaRecordEntry',
      'RecordEntry',
      'TopicPartition',
      'KafkaRecordDecodeError',
      'KafkaHeader',
      'ProcessRecordsOptions',
      'Buffer',
      'TextDecoder',
    ],
  },
  {
    path: 'testing.ts',
    when: hasTestingHelpers,
    emit: async (c) => (await import('./testing.js')).emitTesting(c.model, c.head, c.payloads, await topicPattern()),
    declares: [],
  },
  {
    path: 'payloads.ts',
    template: 'payloads.ts.hbs',
    when: withPayloads,
    emit: async (c) =>
      (await import('./payloads.js')).emitPayloads(
        c.model,
        c.payloads as PayloadsPlan,
        c.head,
        c.template,
        await topicPattern(),
      ),
    // Besides each topic's record type (`OrdersRecord`), refused by compose.ts on its own.
    declares: [
      'DecodedRecord',
      'DecodedRecordBase',
      'DecodedRecordObject',
      'Payload',
      'PayloadDecodeError',
      'PayloadValidationError',
      'Side',
      'TOPICS',
      'TopicDecoder',
      'UnknownTopicRecord',
    ],
  },
  {
    path: 'codecs.ts',
    when: (_model, payloads) => payloads?.topics.some((t) => t.key.codec ?? t.value.codec) ?? false,
    emit: async (c) => (await import('./codecs.js')).emitCodecs(c.payloads as PayloadsPlan, c.head),
    // The shared run-time code's names (the readers' only where a decoder uses them); each
    // codec's own type names are refused by compose.ts on their own.
    declares: [
      'AVRO_MAP_PROTOTYPE',
      'AVRO_MAX_DEPTH',
      'AVRO_MAX_FREE_ITEMS',
      'AvroReader',
      'BinaryDecodeError',
      'BinaryFormat',
      'CONFLUENT_HEADER',
      'DATA_FORMAT',
      'DIGITS',
      'Framing',
      'FramingExpectation',
      'GLUE_HEADER',
      'MAX_INFLATED',
      'PROTOBUF_MAP_PROTOTYPE',
      'PROTOBUF_MAX_DEPTH',
      'PROTOBUF_WIRE_TYPES',
      'ProtobufReader',
      'Registry',
      'SchemaMetadataFields',
      'TextDecoder',
      'UUID',
      'Unframed',
      'Zlib',
    ],
  },
  {
    path: 'event.schema.json',
    when: withPayloads,
    emit: async (c) => {
      const [{ emitComposedSchema }, { REGENERATE_COMMAND }] = await Promise.all([
        import('./payloads.js'),
        import('./banner.js'),
      ]);
      return emitComposedSchema(c.loaded.schema, c.schemaDisplay, REGENERATE_COMMAND);
    },
    declares: [],
  },
  {
    path: 'on-failure.ts',
    template: 'on-failure.ts.hbs',
    when: always,
    emit: async (c) => (await import('./on-failure.js')).emitOnFailure(c.model, c.template),
    // The on-failure schema's types, which it declares itself (types.ts does not).
    declares: [
      'IsoTimestamp',
      'KafkaBatchInfo',
      'KafkaOffsetText',
      'KafkaOnFailureRecord',
      'KafkaOnFailureRecordValidationError',
      'KafkaRecordInfo',
      'KafkaRecordRange',
      'OnFailureCondition',
      'OnFailurePayload',
      'OnFailureRequestContext',
      'OnFailureResponseContext',
    ],
  },
  {
    path: 'on-failure-validators.ts',
    when: always,
    emit: async () => (await import('./on-failure.js')).emitOnFailureValidators(),
    declares: ['CollectedErrors', 'ErrorCollector', 'FAILED', 'Validator', 'ValidatorError'],
  },
  {
    path: 'types.ts',
    when: always,
    emit: async (c) => (await import('./types.js')).emitTypes(c.model, c.head, c.loaded.source),
    declares: [],
  },
  {
    // The all-errors validators, for issue lists.
    path: 'validators-all-errors.ts',
    when: always,
    emit: (c) => c.validators().allErrors,
    declares: [],
  },
  {
    path: 'validators.ts',
    when: always,
    emit: (c) => c.validators().firstError,
    declares: ['CollectedErrors', 'ErrorCollector', 'FAILED', 'Validator', 'ValidatorError'],
  },
];

const registered: Emitter[] = [];

/**
 * Adds an emitter to the registry (after the built-in ones) until the returned function
 * removes it: its file is then generated, owned by the output folder and checked by
 * `--check`, and its declared names are refused to payload types. For tests and extensions;
 * a file msk-codegen itself generates belongs in EMITTERS.
 */
export function registerEmitter(emitter: Emitter): () => void {
  if (emitters().some((e) => e.path === emitter.path))
    throw new Error(`an emitter for ${emitter.path} is already registered`);
  registered.push(emitter);
  return () => {
    const at = registered.indexOf(emitter);
    if (at >= 0) registered.splice(at, 1);
  };
}

/** The built-in emitters and the registered ones. */
export function emitters(): readonly Emitter[] {
  return registered.length === 0 ? EMITTERS : [...EMITTERS, ...registered];
}

/** Every file name the registry can produce, sorted. */
export function generatedFileNames(list: readonly Emitter[] = emitters()): string[] {
  return list.map((e) => e.path).sort();
}

/** Every type name the generated files declare that a payload or record type must not take. */
export function generatedTypeNames(list: readonly Emitter[] = emitters()): ReadonlySet<string> {
  return new Set(list.flatMap((e) => e.declares));
}
