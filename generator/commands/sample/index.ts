/**
 * The pure core of `msk-codegen sample`: a Kafka event as Lambda delivers it (Amazon MSK
 * or self-managed Apache Kafka), built from options, for fixtures and `sam local invoke`
 * (`sam local generate-event` has no Kafka entry); and the partial batch response that
 * names failed records. The core has no I/O, no clock, no Math.random: every varying field (offsets,
 * timestamps, the cluster's ARN, the bootstrap servers) comes from a seeded PRNG, so the
 * same options give byte-identical output.
 *
 * The wire-format facts encoded here are those of the event schema
 * (schema/kafka-event.schema.json): records under `"<topic>-<partition>"`, header bytes
 * as signed numbers, base64 keys and values, `null` values for tombstones, at most
 * 10,000 records (Lambda's maximum batch size) in at most 6 MB. `legacy` reproduces the
 * historical forms of the reference page's examples instead.
 *
 * `sampleFromRequest`, at the end, is the command's thin layer over that core: it turns
 * the flags into options, reads --value-file, and checks the result against the schema.
 */
import { MAX_BATCH_RECORDS, MAX_PAYLOAD_BYTES } from '../../core/lambda-limits.js';
import * as path from 'node:path';
import { resolveConfig } from '../../core/config.js';
import { CodegenError, DiagnosticCodes } from '../../core/diagnostics.js';
import { describeFsError } from '../../core/json-source.js';
import { readRegularFile } from '../../core/regular-file.js';
import {
  ON_FAILURE_DESTINATIONS,
  type OnFailureDestination,
  type OnFailureRecordInput,
  onFailureRecord,
} from '../../core/on-failure-record.js';
import { ON_FAILURE_SCHEMA } from '../../core/package-root.js';
import { entryForTopic } from '../../runtime/payload-decode.js';
import { compileRuntimeValidator, withCompiler } from '../validate/validator.js';
import type { Diagnostic } from '../../core/diagnostics.js';
import type { SampleFraming } from './binary-values.js';

export const SAMPLE_SOURCES = ['msk', 'self-managed'] as const;
export type SampleSource = (typeof SAMPLE_SOURCES)[number];

export const DATA_FORMATS = ['AVRO', 'JSON', 'PROTOBUF'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

export interface SampleSchemaMetadata {
  dataFormat: DataFormat;
  /** A numeric string (Confluent) or a UUID (AWS Glue); absent when the registry gives none. */
  schemaId?: string | undefined;
}

export type SampleValue = { text: string } | { json: unknown } | { bytes: Uint8Array };

export interface SampleHeader {
  name: string;
  value: string;
}

export interface SampleOptions {
  /** Which event source sends the batch (the caller's default: 'msk'). */
  source: SampleSource;
  /** The topics, in order; each a valid Kafka topic name (caller's default: ['mytopic']). */
  topics: string[];
  /** Partitions per topic, 1..MAX_PARTITIONS (caller's default: 1). */
  partitions: number;
  /** Records per partition, 1..MAX_BATCH_RECORDS, and at most MAX_BATCH_RECORDS in all (caller's default: 1). */
  records: number;
  /** UTF-8 text, base64-encoded into every record's key; no key when absent. */
  key?: string | undefined;
  /** Every record's value; when absent, a small JSON object that varies with the record's index in the event. */
  value?: SampleValue | undefined;
  /** Every record's headers, in order (a name may repeat), values as UTF-8 text. */
  headers: SampleHeader[];
  /** Every record is a tombstone: its value is null. */
  tombstone: boolean;
  /** Set as valueSchemaMetadata, and as keySchemaMetadata when there is a key. */
  schemaMetadata?: SampleSchemaMetadata | undefined;
  /** Seeds offsets, timestamps, the cluster (ARN) and the bootstrap servers: 0..MAX_SEED. */
  seed: number;
  /** The reference page's historical forms: partition as a decimal string, header values as base64 strings, no bootstrapServers. */
  legacy: boolean;
  /**
   * The key and value bytes of record `index` (in event order) of `topic`, as the topic's
   * payload declaration makes them (sample-payloads.ts), used where `key` and `value` are
   * not given; an undefined key means none, an undefined value the default value.
   */
  payloads?:
    | ((
        topic: string,
        index: number,
      ) => {
        readonly key?: Uint8Array | undefined;
        readonly value?: Uint8Array | undefined;
        /** Schema metadata of this record's key or value (Avro and Protobuf topics, `--record-format source`). */
        readonly keyMetadata?: SampleSchemaMetadata | undefined;
        readonly valueMetadata?: SampleSchemaMetadata | undefined;
      })
    | undefined;
}

/** One failed record, as `--failure <topic>-<partition>:<offset>` gives it. */
export interface SampleFailure {
  topicPartition: string;
  offset: number;
}

export const MAX_PARTITIONS = 1000;
export const MAX_SEED = 0xffff_ffff;

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const SCHEMA_ID = /^(?:[0-9]+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;
const TOPIC_PARTITION = /^(.+)-([0-9]+)$/;

// ---------------------------------------------------------------------------
// The event

/** The Kafka event the options describe, keys in the documented order. Throws CodegenError (usage) for bad options. */
export function sampleEvent(options: SampleOptions): object {
  checkSampleOptions(options);
  const { source, legacy } = options;
  const event: Record<string, unknown> = { eventSource: source === 'msk' ? 'aws:kafka' : 'SelfManagedKafka' };
  const cluster = source === 'msk' ? mskCluster(options.seed) : selfManagedCluster(options.seed);
  if (cluster.arn !== undefined) event.eventSourceArn = cluster.arn;
  if (!legacy) event.bootstrapServers = cluster.bootstrapServers;

  const key = options.key === undefined ? undefined : base64(Buffer.from(options.key, 'utf8'));
  const value = options.value === undefined ? undefined : base64(valueBytes(options.value));
  const metadata = options.schemaMetadata;
  const records: Record<string, unknown[]> = {};
  const start = timestampStart(options.seed);
  let index = 0;
  for (const topic of options.topics) {
    for (let partition = 0; partition < options.partitions; partition++) {
      const topicPartition = `${topic}-${partition}`;
      const rng = stream(options.seed, `partition:${topicPartition}`);
      let offset = int(rng, 0, 999_999);
      let timestamp = start + int(rng, 0, 5_000);
      const list: unknown[] = [];
      for (let n = 0; n < options.records; n++, index++, offset++) {
        const record: Record<string, unknown> = {
          topic,
          partition: legacy ? String(partition) : partition,
          offset,
          timestamp,
          timestampType: 'CREATE_TIME',
        };
        const made = options.payloads?.(topic, index);
        const recordKey = key ?? (made?.key !== undefined ? base64(Buffer.from(made.key)) : undefined);
        if (recordKey !== undefined) record.key = recordKey;
        record.value = options.tombstone
          ? null
          : (value ?? (made?.value !== undefined ? base64(Buffer.from(made.value)) : defaultValue(index)));
        record.headers = options.headers.map(({ name, value: text }) => header(name, text, legacy));
        if (metadata !== undefined) {
          if (recordKey !== undefined) record.keySchemaMetadata = schemaMetadata(metadata);
          record.valueSchemaMetadata = schemaMetadata(metadata);
        } else {
          if (recordKey !== undefined && key === undefined && made?.keyMetadata !== undefined)
            record.keySchemaMetadata = schemaMetadata(made.keyMetadata);
          if (record.value !== null && value === undefined && made?.valueMetadata !== undefined)
            record.valueSchemaMetadata = schemaMetadata(made.valueMetadata);
        }
        list.push(record);
        timestamp += int(rng, 1, 200);
      }
      records[topicPartition] = list;
    }
  }
  event.records = records;

  const size = Buffer.byteLength(JSON.stringify(event), 'utf8');
  if (size > MAX_PAYLOAD_BYTES) {
    usage(
      `the event would be ${size} bytes: Lambda caps an invocation payload at 6 MB (${MAX_PAYLOAD_BYTES} bytes), ` +
        'and delivers fewer records than the batch size when they do not fit; use fewer --records or a smaller --value',
    );
  }
  return event;
}

/** The partial batch response naming `failures`: `{ batchItemFailures: [{ itemIdentifier: { "topic-partition", offset } }] }`. */
export function sampleResponse(failures: readonly SampleFailure[]): object {
  const problems: string[] = [];
  for (const { topicPartition, offset } of failures) {
    if (typeof topicPartition !== 'string' || !TOPIC_PARTITION.test(topicPartition)) {
      problems.push(
        `--failure topic-partition must be "<topic>-<partition>", e.g. "mytopic-0" (got ${show(topicPartition)})`,
      );
    }
    if (!Number.isSafeInteger(offset) || offset < 0) {
      problems.push(`--failure offset must be an integer from 0 to ${Number.MAX_SAFE_INTEGER} (got ${show(offset)})`);
    }
  }
  if (problems.length > 0) usage(...problems);
  return {
    batchItemFailures: failures.map(({ topicPartition, offset }) => ({
      itemIdentifier: { 'topic-partition': topicPartition, offset },
    })),
  };
}

function valueBytes(value: SampleValue): Buffer {
  if ('text' in value) return Buffer.from(value.text, 'utf8');
  if ('json' in value) return Buffer.from(JSON.stringify(value.json), 'utf8');
  return Buffer.from(value.bytes);
}

/** The value of record `index` (0-based, in event order) when none is given: small UTF-8 JSON. */
function defaultValue(index: number): string {
  return base64(Buffer.from(JSON.stringify({ id: index, message: `sample record ${index}` }), 'utf8'));
}

/** `{ name: bytes }`: the UTF-8 bytes as Java's signed bytes (-128..127), or (legacy) as a base64 string. */
function header(name: string, text: string, legacy: boolean): Record<string, unknown> {
  const bytes = Buffer.from(text, 'utf8');
  // A computed key: even a header named "__proto__" becomes an own property.
  return { [name]: legacy ? base64(bytes) : Array.from(bytes, (b) => (b > 127 ? b - 256 : b)) };
}

function schemaMetadata(metadata: SampleSchemaMetadata): Record<string, unknown> {
  return metadata.schemaId === undefined
    ? { dataFormat: metadata.dataFormat }
    : { dataFormat: metadata.dataFormat, schemaId: metadata.schemaId };
}

const base64 = (bytes: Buffer): string => bytes.toString('base64');

// ---------------------------------------------------------------------------
// Seeded parts: each from its own stream, so that (for instance) more records do not move the cluster.

interface Cluster {
  readonly arn?: string;
  readonly bootstrapServers: string;
}

const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'eu-west-1',
  'eu-central-1',
  'eu-north-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'sa-east-1',
];
const CLUSTER_NAMES = [
  'demo-cluster-1',
  'orders-cluster',
  'events-cluster',
  'analytics-msk',
  'payments-kafka',
  'ingest-cluster',
];
const MSK_PORTS = [9092, 9094, 9096, 9098]; // plaintext, TLS, SASL/SCRAM, IAM
const SELF_MANAGED_PORTS = [9092, 9093];
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

/** `arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid>-<N>` and its `b-<i>.<name>.<id>.c<k>.kafka.<region>.amazonaws.com:<port>` brokers. */
function mskCluster(seed: number): Cluster {
  const rng = stream(seed, 'msk-cluster');
  const region = pick(rng, REGIONS);
  const account = Array.from({ length: 12 }, () => int(rng, 0, 9)).join('');
  const name = pick(rng, CLUSTER_NAMES);
  const arn = `arn:aws:kafka:${region}:${account}:cluster/${name}/${uuid(rng)}-${int(rng, 1, 9)}`;
  const id = Array.from({ length: 6 }, () => pick(rng, [...LOWER_ALNUM])).join('');
  const cell = int(rng, 1, 3);
  const port = pick(rng, MSK_PORTS);
  const brokers = Array.from(
    { length: int(rng, 2, 3) },
    (_, i) => `b-${i + 1}.${name}.${id}.c${cell}.kafka.${region}.amazonaws.com:${port}`,
  );
  return { arn, bootstrapServers: brokers.join(',') };
}

/** Brokers under example.com (reserved for examples): `broker-<i>.kafka.example.com:<port>`. */
function selfManagedCluster(seed: number): Cluster {
  const rng = stream(seed, 'self-managed-cluster');
  const port = pick(rng, SELF_MANAGED_PORTS);
  const brokers = Array.from({ length: int(rng, 1, 3) }, (_, i) => `broker-${i + 1}.kafka.example.com:${port}`);
  return { bootstrapServers: brokers.join(',') };
}

const YEAR_2025_MS = Date.UTC(2025, 0, 1);
const YEAR_2026_MS = Date.UTC(2026, 0, 1);

/** The batch's first timestamp: epoch ms within 2025, a day before its end at the latest (the records follow within hours). */
function timestampStart(seed: number): number {
  return int(stream(seed, 'timestamps'), YEAR_2025_MS, YEAR_2026_MS - 86_400_000);
}

/** A version-4 UUID in lower-case hex. */
function uuid(rng: () => number): string {
  const nibbles = Array.from({ length: 32 }, () => pick(rng, [...HEX]));
  nibbles[12] = '4';
  nibbles[16] = pick(rng, ['8', '9', 'a', 'b']);
  const hex = nibbles.join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** mulberry32 seeded from `seed` and `label` (FNV-1a of both): one independent reproducible stream per purpose. */
export function stream(seed: number, label: string): () => number {
  let hash = 0x811c9dc5;
  for (const char of `${seed}:${label}`) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  let state = hash >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer from `low` to `high` inclusive. */
export const int = (rng: () => number, low: number, high: number): number => low + Math.floor(rng() * (high - low + 1));
const pick = <T>(rng: () => number, items: readonly T[]): T => items[int(rng, 0, items.length - 1)] as T;

// ---------------------------------------------------------------------------
// Options and flags

/** Throws CodegenError (usage), one diagnostic per problem, each naming the option and what it allows. */
export function checkSampleOptions(options: SampleOptions): void {
  const problems: string[] = [];
  if (!(SAMPLE_SOURCES as readonly unknown[]).includes(options.source)) {
    problems.push(`--source must be "msk" or "self-managed" (got ${show(options.source)})`);
  }

  const topics: unknown[] = Array.isArray(options.topics) ? options.topics : [];
  if (topics.length === 0) problems.push('--topic: give at least one topic');
  const seen = new Set<string>();
  for (const topic of topics) {
    const problem = topicProblem(topic);
    if (problem !== undefined) problems.push(`--topic ${show(topic)} ${problem}`);
    else if (seen.has(topic as string)) problems.push(`--topic ${show(topic)} is given twice: give each topic once`);
    else seen.add(topic as string);
  }

  const partitionsOk = integerIn(options.partitions, 1, MAX_PARTITIONS);
  if (!partitionsOk)
    problems.push(
      `--partitions (per topic) must be an integer from 1 to ${MAX_PARTITIONS} (got ${show(options.partitions)})`,
    );
  const recordsOk = integerIn(options.records, 1, MAX_BATCH_RECORDS);
  if (!recordsOk)
    problems.push(
      `--records (per partition) must be an integer from 1 to ${MAX_BATCH_RECORDS} (got ${show(options.records)})`,
    );
  if (partitionsOk && recordsOk && topics.length > 0) {
    const total = topics.length * options.partitions * options.records;
    if (total > MAX_BATCH_RECORDS) {
      problems.push(
        `the batch would hold ${total} records (${topics.length} topic${topics.length === 1 ? '' : 's'} × ${options.partitions} --partitions × ` +
          `${options.records} --records): Lambda delivers at most ${MAX_BATCH_RECORDS} records in a batch`,
      );
    }
  }

  if (options.key !== undefined && typeof options.key !== 'string')
    problems.push(`--key must be text (got ${show(options.key)})`);
  if (options.value !== undefined) {
    const problem = valueProblem(options.value);
    if (problem !== undefined) problems.push(problem);
  }
  if (typeof options.tombstone !== 'boolean')
    problems.push(`--tombstone must be true or false (got ${show(options.tombstone)})`);
  else if (options.tombstone && options.value !== undefined)
    problems.push('--tombstone and --value do not go together: a tombstone has no value');

  if (!Array.isArray(options.headers))
    problems.push(`--header: headers must be a list of { name, value } (got ${show(options.headers)})`);
  else {
    for (const entry of options.headers as unknown[]) {
      const { name, value } = (typeof entry === 'object' && entry !== null ? entry : {}) as Partial<SampleHeader>;
      if (typeof name !== 'string' || name === '' || typeof value !== 'string') {
        problems.push(`--header needs a non-empty name and a text value, NAME=VALUE (got ${show(entry)})`);
      }
    }
  }

  if (options.schemaMetadata !== undefined) {
    const { dataFormat, schemaId } = options.schemaMetadata;
    if (!(DATA_FORMATS as readonly unknown[]).includes(dataFormat)) {
      problems.push(`--schema-metadata format must be one of ${DATA_FORMATS.join(', ')} (got ${show(dataFormat)})`);
    }
    if (schemaId !== undefined && (typeof schemaId !== 'string' || !SCHEMA_ID.test(schemaId))) {
      problems.push(
        `--schema-metadata schema id must be a number (Confluent) or a UUID (AWS Glue) (got ${show(schemaId)})`,
      );
    }
  }

  if (!integerIn(options.seed, 0, MAX_SEED))
    problems.push(`--seed must be an integer from 0 to ${MAX_SEED} (got ${show(options.seed)})`);
  if (typeof options.legacy !== 'boolean')
    problems.push(`--legacy must be true or false (got ${show(options.legacy)})`);
  if (problems.length > 0) usage(...problems);
}

/** `NAME=VALUE`, split on the first `=` (the value may hold `=` or be empty; the name may not be empty). */
export function parseHeaderFlag(text: string): SampleHeader {
  const equals = text.indexOf('=');
  if (equals <= 0) {
    usage(`--header expects NAME=VALUE, with a non-empty NAME (the VALUE may be empty): got ${show(text)}`);
  }
  return { name: text.slice(0, equals), value: text.slice(equals + 1) };
}

/** `FORMAT[:ID]`: FORMAT one of AVRO, JSON, PROTOBUF (any case); ID a number (Confluent) or a UUID (AWS Glue). */
export function parseSchemaMetadataFlag(text: string): SampleSchemaMetadata {
  const colon = text.indexOf(':');
  const format = (colon < 0 ? text : text.slice(0, colon)).toUpperCase();
  const schemaId = colon < 0 ? undefined : text.slice(colon + 1);
  const expected = `--schema-metadata expects FORMAT[:ID], FORMAT one of ${DATA_FORMATS.join(', ')} and ID a number (Confluent) or a UUID (AWS Glue)`;
  if (!(DATA_FORMATS as readonly string[]).includes(format))
    usage(`${expected}: got ${show(text)} (unknown format ${show(format)})`);
  if (schemaId !== undefined && !SCHEMA_ID.test(schemaId))
    usage(`${expected}: got ${show(text)} (bad schema id ${show(schemaId)})`);
  const dataFormat = format as DataFormat;
  return schemaId === undefined ? { dataFormat } : { dataFormat, schemaId };
}

/** `<topic>-<partition>:<offset>`, e.g. `mytopic-0:15` (split on the last `:`, then the last `-`). */
export function parseFailureFlag(text: string): SampleFailure {
  const expected = '--failure expects <topic>-<partition>:<offset>, e.g. "mytopic-0:15"';
  const colon = text.lastIndexOf(':');
  const topicPartition = colon < 0 ? text : text.slice(0, colon);
  const offsetText = colon < 0 ? '' : text.slice(colon + 1);
  const match = TOPIC_PARTITION.exec(topicPartition);
  if (colon < 0 || match === null || topicProblem(match[1]) !== undefined || !/^[0-9]+$/.test(offsetText)) {
    usage(`${expected}: got ${show(text)}`);
  }
  const offset = Number(offsetText);
  if (!Number.isSafeInteger(offset)) {
    usage(
      `${expected}: got ${show(text)} (offset above ${Number.MAX_SAFE_INTEGER}: JavaScript numbers are exact only up to 2^53)`,
    );
  }
  return { topicPartition, offset };
}

/** Why `topic` is not a valid Kafka topic name, or undefined when it is one. */
function topicProblem(topic: unknown): string | undefined {
  if (typeof topic !== 'string' || !TOPIC_NAME.test(topic)) {
    return 'is not a Kafka topic name: 1 to 249 characters from A-Z a-z 0-9 . _ -';
  }
  if (topic === '.' || topic === '..') return 'is not a Kafka topic name: Kafka forbids "." and ".."';
  return undefined;
}

function valueProblem(value: SampleValue): string | undefined {
  const kinds =
    typeof value === 'object' && value !== null
      ? (['text', 'json', 'bytes'] as const).filter((kind) => kind in value)
      : [];
  if (kinds.length !== 1) return `--value must be exactly one of text, JSON or bytes (got ${show(value)})`;
  if ('text' in value && typeof value.text !== 'string')
    return `--value text must be a string (got ${show(value.text)})`;
  if ('bytes' in value && !(value.bytes instanceof Uint8Array)) return '--value bytes must be a Uint8Array';
  if ('json' in value) {
    let text: string | undefined;
    try {
      text = JSON.stringify(value.json) as string | undefined;
    } catch (error) {
      return `--value JSON cannot be serialised: ${(error as Error).message}`;
    }
    if (text === undefined) return `--value JSON must be a JSON value (got ${show(value.json)})`;
  }
  return undefined;
}

function integerIn(value: unknown, low: number, high: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= low && value <= high;
}

/** A short rendering of a received value for a message. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined)
    return String(value);
  try {
    const text = JSON.stringify(value) as string | undefined;
    if (text === undefined) return typeof value;
    return text.length > 60 ? `${text.slice(0, 60)}…` : text;
  } catch {
    return typeof value;
  }
}

function usage(...messages: string[]): never {
  throw new CodegenError(messages.map((message): Diagnostic => ({ code: DiagnosticCodes.usage, message })));
}

/** The `sample` command's request: its flags as given. */
export interface SampleRequest {
  readonly cwd: string;
  readonly source: SampleSource;
  readonly topic: readonly string[];
  readonly partitions: number;
  readonly records: number;
  readonly key?: string | undefined;
  readonly value?: string | undefined;
  readonly valueJson?: string | undefined;
  readonly valueFile?: string | undefined;
  readonly header: readonly string[];
  readonly tombstone?: boolean | undefined;
  readonly schemaMetadata?: string | undefined;
  readonly seed: number;
  readonly legacy?: boolean | undefined;
  readonly response?: boolean | undefined;
  readonly failure: readonly string[];
  readonly schema?: string | undefined;
  readonly config?: string | undefined;
  /** Values that break their topic's payload schema (json topics of the config), for tests of the rejection path. */
  readonly invalidValue?: boolean | undefined;
  /** How Avro and Protobuf keys and values are framed: confluent, glue or none (default: the topic's framing, for auto Confluent's). */
  readonly framing?: string | undefined;
  /** `source`: Avro and Protobuf keys and values as a mapping with a schema registry delivers them; `json` is not supported yet. */
  readonly recordFormat?: string | undefined;
  /** Print the record an on-failure destination receives for the event instead: sqs, sns, s3 or kafka-topic. */
  readonly onFailure?: string | undefined;
}

/**
 * The event (or batch response) a `sample` request asks for, checked against the
 * project's schema before it is returned: strictly, or with `legacy` once normalized.
 * With topics in msk-codegen.config.json, keys and values follow their topic's payload
 * declaration (sample-payloads.ts) and are checked as `validate` checks them: each key and
 * value decodes as declared (or, with `invalidValue`, each value breaks its schema).
 */
export async function sampleFromRequest(request: SampleRequest): Promise<object> {
  const usage = (message: string) => new CodegenError([{ code: DiagnosticCodes.usage, message }]);
  const values = [request.value, request.valueJson, request.valueFile].filter((v) => v !== undefined);
  if (values.length > 1) throw usage('give one of --value, --value-json and --value-file');
  if (request.response && (values.length > 0 || request.header.length > 0 || request.tombstone || request.legacy))
    throw usage('--response prints a batch response: it takes --failure, not event options');
  if (!request.response && request.failure.length > 0) throw usage('--failure goes with --response');

  if (request.framing !== undefined && !['confluent', 'glue', 'none'].includes(request.framing))
    throw usage(`--framing must be confluent, glue or none (got ${show(request.framing)})`);
  if (request.recordFormat === 'json')
    throw usage(
      '--record-format json (the mapping converting Avro and Protobuf to JSON) is not supported yet: use --record-format source, or leave it out for the bytes as written',
    );
  if (request.recordFormat !== undefined && request.recordFormat !== 'source')
    throw usage(`--record-format must be source (got ${show(request.recordFormat)})`);
  if (request.recordFormat !== undefined && request.schemaMetadata !== undefined)
    throw usage(
      "--record-format source sets each Avro and Protobuf record's schema metadata: it does not go with --schema-metadata",
    );
  if (request.onFailure !== undefined) {
    if (!(ON_FAILURE_DESTINATIONS as readonly string[]).includes(request.onFailure))
      throw usage(`--on-failure must be ${ON_FAILURE_DESTINATIONS.join(', ')} (got ${show(request.onFailure)})`);
    if (request.response || request.legacy)
      throw usage(
        `--on-failure prints the record Lambda sends a destination for an event it delivers today: it does not go with ${request.response ? '--response' : '--legacy'}`,
      );
    if (
      request.onFailure === 'kafka-topic' &&
      (request.records !== 1 || request.partitions !== 1 || request.topic.length > 1)
    )
      throw usage(
        '--on-failure kafka-topic: a Kafka-topic destination receives one message per failed record; give one --topic with --partitions 1 and --records 1 (the defaults)',
      );
  }
  if (request.invalidValue && (request.response || values.length > 0 || request.tombstone))
    throw usage(
      '--invalid-value writes values that break their schema: it does not go with --response, --tombstone or a value of your own (--value, --value-json, --value-file)',
    );

  const config = await resolveConfig({
    cwd: request.cwd,
    ...(request.config !== undefined ? { config: request.config } : {}),
    ...(request.schema !== undefined ? { schema: request.schema } : {}),
  });
  const cwd = config.configFile ? path.dirname(config.configFile) : request.cwd;
  if (request.response) {
    const response = sampleResponse(request.failure.map((f) => parseFailureFlag(f)));
    const responses = await compileRuntimeValidator(config.schema, 'response', { cwd });
    const outcome = await withCompiler(responses, () => responses.check(response));
    if (!outcome.canonical)
      throw new Error(`sample produced an invalid response: ${outcome.issues.map((i) => i.message).join('; ')}`);
    return response;
  }
  let value: SampleValue | undefined;
  if (request.value !== undefined) value = { text: request.value };
  if (request.valueJson !== undefined) {
    try {
      value = { json: JSON.parse(request.valueJson) as unknown };
    } catch (error) {
      throw usage(`--value-json is not JSON: ${(error as Error).message}`);
    }
  }
  if (request.valueFile !== undefined) {
    const file = path.resolve(request.cwd, request.valueFile);
    try {
      // A regular file only, checked before opening: a named pipe would block, /dev/zero never end.
      value = { bytes: await readRegularFile(file) };
    } catch (error) {
      throw new CodegenError([
        { code: DiagnosticCodes.unreadable, file, message: `cannot read --value-file: ${describeFsError(error)}` },
      ]);
    }
  }
  // With typed payloads: the schema composed with them (as generate and validate compose it), and keys and values as declared.
  const declared = config.topics.length > 0;
  const validator = await compileRuntimeValidator(
    config.schema,
    'event',
    declared
      ? { cwd, topics: config.topics, unknownTopics: config.unknownTopics, configFile: config.configFile }
      : { cwd },
  );
  const checker = validator.payloads;
  // Payload values are checked (and --invalid-value's broken) deep in synchronous code that lists issues: the compiler ready, in case a collector is not cached.
  if (checker) await validator.prepare();
  if (request.invalidValue && !checker)
    throw usage(
      "--invalid-value writes values that break their topic's payload schema: msk-codegen.config.json declares no topics",
    );
  // Without --topic: the first topic the config declares (a pattern's * as "example"), else mytopic.
  const first = config.topics[0]?.topic.replace(/\*/g, 'example');
  const topics = request.topic.length > 0 ? [...request.topic] : first !== undefined ? [first] : ['mytopic'];
  if (checker && checker.unknownTopics === 'reject' && value === undefined) {
    const undeclared = topics.filter((topic) => entryForTopic(topic, checker.entries) === undefined);
    if (undeclared.length > 0) {
      throw usage(
        `--topic ${undeclared.map((t) => JSON.stringify(t)).join(', ')}: not declared in msk-codegen.config.json, whose "unknownTopics": "reject" makes decodeRecords reject such records ` +
          `(declared: ${checker.entries.map((e) => JSON.stringify(e.topic)).join(', ')}); declare it, or give the value yourself (--value, --value-json, --value-file)`,
      );
    }
  }
  if (request.framing !== undefined || request.recordFormat !== undefined) {
    const binary = topics.some((topic) => {
      const entry = checker ? entryForTopic(topic, checker.entries) : undefined;
      return entry !== undefined && (entry.key.codec !== undefined || entry.value.codec !== undefined);
    });
    if (!binary) {
      throw usage(
        `${request.framing !== undefined ? '--framing' : '--record-format'} applies to topics whose key or value is avro or protobuf in msk-codegen.config.json, and none of ${topics.map((t) => JSON.stringify(t)).join(', ')} is`,
      );
    }
  }
  const payloads = checker
    ? await (await import('./payloads.js')).payloadSampler({
        validator,
        declared: config.topics,
        topics,
        seed: request.seed,
        invalidValue: request.invalidValue ?? false,
        keys: request.key === undefined,
        values: value === undefined && !request.tombstone,
        framing: request.framing as SampleFraming | undefined,
        recordFormat: request.recordFormat === 'source' ? 'source' : 'raw',
      })
    : undefined;
  const event = sampleEvent({
    source: request.source,
    topics,
    partitions: request.partitions,
    records: request.records,
    key: request.key,
    value,
    headers: request.header.map((h) => parseHeaderFlag(h)),
    tombstone: request.tombstone ?? false,
    schemaMetadata: request.schemaMetadata !== undefined ? parseSchemaMetadataFlag(request.schemaMetadata) : undefined,
    seed: request.seed,
    legacy: request.legacy ?? false,
    payloads,
  });
  const outcome = await withCompiler(validator, () => validator.check(event));
  if (!(request.legacy ? outcome.valid && !outcome.canonical : outcome.canonical)) {
    throw new Error(
      `sample produced an event the schema rejects: ${outcome.issues.map((i) => i.message).join('; ') || 'expected legacy forms'}`,
    );
  }
  // Keys and values checked as validate checks them, unless they are the user's own (--key, --value...).
  if (checker && request.key === undefined && value === undefined) {
    const report = checker.check(outcome.normalized, 5);
    const messages = report.findings.map((f) => f.message).join('; ');
    if (request.invalidValue) {
      if (
        report.errors === 0 ||
        report.findings.some((f) => !f.code.startsWith('payload.') && f.code !== 'payload-decode')
      )
        throw new Error(
          `sample --invalid-value produced values that do not (only) break their schema: ${messages || 'no finding'}`,
        );
    } else if (report.errors + report.warnings > 0) {
      throw usage(
        `the event's keys and values would not decode as msk-codegen.config.json declares them: ${messages}${report.omitted > 0 ? `; and ${report.omitted} more` : ''}`,
      );
    }
  }
  return request.onFailure === undefined ? event : sampleOnFailureRecord(event, request, cwd);
}

/**
 * The record an on-failure destination receives when the mapping discards `event` after its
 * retries (core/on-failure-record.ts), checked against the on-failure schema before it is
 * returned. Its request id and time come from the seed and the records: the same flags print
 * the same record.
 */
async function sampleOnFailureRecord(event: object, request: SampleRequest, cwd: string): Promise<object> {
  const destination = request.onFailure as OnFailureDestination;
  const records = Object.values((event as { records: Record<string, { timestamp: number }[]> }).records).flat();
  const rng = stream(request.seed, 'on-failure');
  const arn = (event as { eventSourceArn?: string }).eventSourceArn;
  const region = arn?.split(':')[3] ?? 'us-east-1';
  const record = onFailureRecord({
    event: event as OnFailureRecordInput['event'],
    destination,
    // Each page's own spelling (docs/lambda-kafka-invocation.md section 3.3).
    condition: destination === 'kafka-topic' ? 'RetriesExhausted' : 'RetryAttemptsExhausted',
    approximateInvokeCount: 3,
    requestId: uuid(rng),
    functionArn: `arn:aws:lambda:${region}:123456789012:function:my-function`,
    // A few seconds after the last record: the retries' time.
    timestamp: new Date(Math.max(...records.map((r) => r.timestamp)) + int(rng, 2_000, 9_000)).toISOString(),
    payloadSize: Buffer.byteLength(JSON.stringify(event)),
  });
  const validator = await compileRuntimeValidator(ON_FAILURE_SCHEMA, 'on-failure', { cwd });
  const outcome = await withCompiler(validator, () => validator.check(record));
  if (!outcome.canonical)
    throw new Error(`sample produced an invalid on-failure record: ${outcome.issues.map((i) => i.message).join('; ')}`);
  return record;
}
