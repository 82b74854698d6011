/**
 * Schema-registry framing of Avro and Protobuf keys and values: finding where the Avro
 * datum or Protobuf message starts, and checking what the framing says against the topic's
 * schema. The facts, with their sources, are in docs/payload-formats.md:
 *
 * - Without schema metadata (no registry on the event source mapping) the bytes are as the
 *   producer wrote them: Confluent (`00`, a 4-byte big-endian schema id, for Protobuf a
 *   message-index array), Glue (`03`, compression `00` or `05` = zlib, a 16-byte schema
 *   version UUID, for Protobuf one varint message index) or no framing.
 * - With `keySchemaMetadata`/`valueSchemaMetadata` (a registry on the mapping,
 *   `EventRecordFormat: SOURCE`) the mapping has removed the registry header; a Protobuf
 *   value keeps its message index (Confluent's array, Glue's varint). Whether the registry
 *   is Confluent or Glue is read from `schemaId` (digits or a UUID), never from its length.
 *
 * Framing is detected from the bytes (and metadata), never guessed: a Protobuf message
 * never starts with bytes 00-07 (field number 0), so raw framing is unambiguous for it; a
 * plain Avro datum can start like a frame, which the decoder then finds (it must consume
 * every byte) or which `framing: "none"` rules out. Used by the generated codecs.ts (copied
 * there by emit/runtime-source.ts), so it stays self-contained.
 */
import { BinaryDecodeError } from './binary-decode-error.js';

export type BinaryFormat = 'avro' | 'protobuf';
/** How the topic's payloads are framed: detected (`auto`), or one registry's framing, or none. */
export type Framing = 'auto' | 'confluent' | 'glue' | 'none';
export type Registry = 'confluent' | 'glue' | 'none';

/** The parts of `keySchemaMetadata`/`valueSchemaMetadata` framing reads. */
export interface SchemaMetadataFields {
  readonly dataFormat?: string | undefined;
  readonly schemaId?: string | undefined;
}

/** What the topic's schema expects of the framing: for Protobuf, the configured message's indexes. */
export interface FramingExpectation {
  readonly format: BinaryFormat;
  readonly framing: Framing;
  /** The configured message's full name, for messages. */
  readonly message?: string | undefined;
  /** Confluent's message-index path of the configured message (`[0]` for the first top-level one). */
  readonly confluentIndexes?: readonly number[] | undefined;
  /** Glue's index of the configured message (all messages of the file sorted by full name). */
  readonly glueIndex?: number | undefined;
}

/** A payload with its framing taken off. */
export interface Unframed {
  /** The Avro datum or Protobuf message (inflated when Glue compressed it). */
  readonly body: Uint8Array;
  /** Where `body` starts in the bytes as delivered: decode offsets are reported from there (0 when inflated). */
  readonly bodyOffset: number;
  /** Whether the body was inflated from Glue's zlib compression (its offsets are then in the inflated bytes). */
  readonly inflated: boolean;
  readonly registry: Registry;
  /** The schema id: Confluent's number or Glue's schema version UUID, from the bytes or the metadata. */
  readonly schemaId: string | undefined;
}

const GLUE_HEADER = 18;
const CONFLUENT_HEADER = 5;
/** Inflated Glue payloads larger than this are refused: a zlib bomb must not take the function's memory. */
const MAX_INFLATED = 64 * 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DIGITS = /^[0-9]+$/;

/** The registry a metadata `schemaId` names: digits are Confluent's ids, UUIDs Glue's schema versions. */
export function registryOfSchemaId(schemaId: string | undefined): Registry | undefined {
  if (schemaId === undefined) return undefined;
  if (DIGITS.test(schemaId)) return 'confluent';
  if (UUID.test(schemaId)) return 'glue';
  return undefined;
}

const DATA_FORMAT: Readonly<Record<BinaryFormat, string>> = { avro: 'AVRO', protobuf: 'PROTOBUF' };

const hex = (byte: number | undefined) =>
  byte === undefined ? 'the end of the bytes' : `byte 0x${byte.toString(16).padStart(2, '0')}`;

/**
 * The body of `bytes`, a key or value of a topic that `expected` describes, with its
 * `metadata` (the record's schema metadata for that side, if any). Throws
 * BinaryDecodeError when the framing is not what the topic allows.
 */
export function unframe(
  bytes: Uint8Array,
  expected: FramingExpectation,
  metadata: SchemaMetadataFields | undefined,
): Unframed {
  const fromId = registryOfSchemaId(metadata?.schemaId);
  if (metadata?.dataFormat !== undefined && metadata.dataFormat !== DATA_FORMAT[expected.format]) {
    throw new BinaryDecodeError(
      0,
      `${DATA_FORMAT[expected.format]} bytes (the topic is declared ${expected.format} in msk-codegen.config.json)`,
      `schema metadata dataFormat ${metadata.dataFormat}`,
    );
  }
  if (
    expected.framing !== 'auto' &&
    expected.framing !== 'none' &&
    fromId !== undefined &&
    fromId !== expected.framing
  ) {
    throw new BinaryDecodeError(
      0,
      `a ${expected.framing} schema id (the topic's framing is "${expected.framing}")`,
      `schema metadata schemaId ${JSON.stringify(metadata?.schemaId)}, which is ${fromId === 'glue' ? 'a Glue schema version UUID' : 'a Confluent id'}`,
    );
  }
  if (metadata !== undefined) return sourceMode(bytes, expected, fromId, metadata.schemaId);
  return rawMode(bytes, expected);
}

/**
 * `EventRecordFormat: SOURCE`: the mapping has removed the registry header. Avro is the
 * datum alone; Protobuf keeps its message index, whose form depends on the registry.
 */
function sourceMode(
  bytes: Uint8Array,
  expected: FramingExpectation,
  fromId: Registry | undefined,
  schemaId: string | undefined,
): Unframed {
  const registry = expected.framing === 'auto' ? fromId : expected.framing;
  if (expected.format === 'avro' || registry === 'none') {
    return { body: bytes, bodyOffset: 0, inflated: false, registry: registry ?? 'none', schemaId };
  }
  if (registry === undefined) {
    throw new BinaryDecodeError(
      0,
      'a schemaId of digits (Confluent) or a UUID (Glue), to read the Protobuf message index',
      schemaId === undefined ? 'schema metadata without a schemaId' : `schemaId ${JSON.stringify(schemaId)}`,
    );
  }
  const at = registry === 'confluent' ? checkConfluentIndexes(bytes, 0, expected) : checkGlueIndex(bytes, 0, expected);
  return { body: bytes.subarray(at), bodyOffset: at, inflated: false, registry, schemaId };
}

/** No schema metadata: the bytes as the producer wrote them, with a registry's full framing or none. */
function rawMode(bytes: Uint8Array, expected: FramingExpectation): Unframed {
  const confluent = bytes.length >= CONFLUENT_HEADER && bytes[0] === 0;
  const glue = bytes.length >= GLUE_HEADER && bytes[0] === 3 && (bytes[1] === 0 || bytes[1] === 5);
  let registry: Registry;
  if (expected.framing === 'auto') registry = confluent ? 'confluent' : glue ? 'glue' : 'none';
  else registry = expected.framing;
  if (registry === 'confluent' && !confluent) {
    throw new BinaryDecodeError(0, 'Confluent framing: magic byte 0x00 and a 4-byte schema id', describeStart(bytes));
  }
  if (registry === 'glue' && !glue) {
    throw new BinaryDecodeError(
      0,
      'Glue framing: header byte 0x03, compression byte 0x00 or 0x05 and a 16-byte schema version UUID',
      describeStart(bytes),
    );
  }
  if (registry === 'none') {
    if (expected.format === 'protobuf' && bytes.length > 0 && (bytes[0] as number) < 8) {
      throw new BinaryDecodeError(
        0,
        'a Protobuf field tag (field number 1 or more), or a Confluent (0x00) or Glue (0x03) frame',
        describeStart(bytes),
      );
    }
    return { body: bytes, bodyOffset: 0, inflated: false, registry, schemaId: undefined };
  }
  if (registry === 'confluent') {
    const id =
      (((bytes[1] as number) << 24) |
        ((bytes[2] as number) << 16) |
        ((bytes[3] as number) << 8) |
        (bytes[4] as number)) >>>
      0;
    const at =
      expected.format === 'protobuf' ? checkConfluentIndexes(bytes, CONFLUENT_HEADER, expected) : CONFLUENT_HEADER;
    return { body: bytes.subarray(at), bodyOffset: at, inflated: false, registry, schemaId: String(id) };
  }
  let uuid = '';
  for (let i = 2; i < GLUE_HEADER; i++) {
    uuid += (bytes[i] as number).toString(16).padStart(2, '0');
    if (i === 5 || i === 7 || i === 9 || i === 11) uuid += '-';
  }
  const compressed = bytes[1] === 5;
  const payload = compressed ? inflate(bytes, GLUE_HEADER) : bytes.subarray(GLUE_HEADER);
  const offset = compressed ? 0 : GLUE_HEADER;
  const at = expected.format === 'protobuf' ? checkGlueIndex(payload, 0, expected) : 0;
  return { body: payload.subarray(at), bodyOffset: offset + at, inflated: compressed, registry, schemaId: uuid };
}

function describeStart(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'no bytes';
  const start = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `${bytes.length} bytes starting ${start}`;
}

/** A varint of at most 5 bytes (32 bits) at `at`: [value, next offset]. */
function readVarint32(bytes: Uint8Array, at: number, what: string): [number, number] {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) throw new BinaryDecodeError(at + i, what, hex(byte));
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) {
      if (value > 0xffffffff) break;
      return [value, at + i + 1];
    }
  }
  throw new BinaryDecodeError(at, `${what} (a varint of at most 32 bits)`, 'a longer varint');
}

const zigzag = (n: number) => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);

/** Reads Confluent's message-index array at `at`, checks it names the configured message, returns where the message starts. */
function checkConfluentIndexes(bytes: Uint8Array, at: number, expected: FramingExpectation): number {
  const [rawCount, afterCount] = readVarint32(bytes, at, "Confluent's message-index count");
  const count = zigzag(rawCount);
  let next = afterCount;
  const indexes: number[] = [];
  if (count === 0) indexes.push(0);
  else if (count < 0 || count > bytes.length - afterCount) {
    throw new BinaryDecodeError(at, `a message-index count from 0 to ${bytes.length - afterCount}`, `${count}`);
  } else {
    for (let i = 0; i < count; i++) {
      const [raw, after] = readVarint32(bytes, next, 'a Confluent message index');
      indexes.push(zigzag(raw));
      next = after;
    }
  }
  const want = expected.confluentIndexes ?? [0];
  if (indexes.length !== want.length || indexes.some((index, i) => index !== want[i])) {
    throw new BinaryDecodeError(
      at,
      `message index [${want.join(', ')}] (${expected.message ?? 'the configured message'})`,
      `[${indexes.join(', ')}]`,
    );
  }
  return next;
}

/** Reads Glue's Protobuf message index (one unsigned varint) at `at`, checks it, returns where the message starts. */
function checkGlueIndex(bytes: Uint8Array, at: number, expected: FramingExpectation): number {
  const [index, next] = readVarint32(bytes, at, "Glue's message index");
  const want = expected.glueIndex ?? 0;
  if (index !== want) {
    throw new BinaryDecodeError(
      at,
      `Glue message index ${want} (${expected.message ?? 'the configured message'})`,
      `${index}`,
    );
  }
  return next;
}

/**
 * How a failure to decode a `type` ("Order (Protobuf)") reads wherever it is reported (the
 * generated PayloadDecodeError, `validate`): the offset in the bytes as delivered (or in
 * the inflated payload), what was expected and found, and the writer's schema when the
 * framing named one. `framing` is what unframe returned, empty when unframing failed.
 */
export function decodeFailure(
  type: string,
  cause: BinaryDecodeError,
  framing: Partial<Unframed>,
  bytes?: Uint8Array,
): { readonly offset: number; readonly message: string } {
  const offset = cause.offset + (framing.bodyOffset ?? 0);
  const inflated = framing.inflated === true ? ' of the inflated Glue payload' : '';
  const found = cause.found === undefined ? '' : `, found ${cause.found}`;
  const writer =
    framing.schemaId === undefined
      ? ''
      : ` (written with ${framing.registry === 'glue' ? 'Glue schema version' : 'Confluent schema id'} ${framing.schemaId})`;
  const hint = bytes === undefined ? undefined : likelyCause(bytes);
  return {
    offset,
    message: `not a valid ${type}: at byte ${offset}${inflated}: expected ${cause.expected}${found}${writer}${hint === undefined ? '' : `; ${hint}`}`,
  };
}

/**
 * What bytes that failed to decode may be instead, when they show it: JSON text (an event
 * source mapping with `EventRecordFormat: JSON`, whose rendering of Avro and Protobuf values
 * is not documented, docs/payload-formats.md 2.3) or Confluent's newer framing (magic byte
 * 0x01 and a 16-byte schema GUID, whose layout is not documented either).
 */
function likelyCause(bytes: Uint8Array): string | undefined {
  const first = bytes.findIndex((byte) => byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09);
  if (bytes[first] === 0x7b) {
    try {
      const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        return 'the bytes are a JSON object: an event source mapping with EventRecordFormat JSON delivers JSON, which msk-codegen does not read for Avro or Protobuf topics (set EventRecordFormat to SOURCE, or declare the topic "format": "json" with a JSON Schema)';
      }
    } catch {
      // Not JSON: nothing to add.
    }
  }
  if (bytes[0] === 1 && bytes.length >= 17) {
    return "byte 0x01 may start Confluent's newer framing (magic byte 0x01 and a 16-byte schema GUID), which msk-codegen does not read: configure the producer's serializer to write magic byte 0x00 (a 4-byte schema id)";
  }
  return undefined;
}

/** The global TextDecoder (not fatal: only used to recognise JSON), typed here so no DOM or Node types are needed. */
declare const TextDecoder: new () => { decode(bytes: Uint8Array): string };

/** Node's zlib, from the running Node.js itself: generated code imports nothing. */
declare const process: { readonly getBuiltinModule?: (id: string) => unknown } | undefined;

interface Zlib {
  inflateSync(data: Uint8Array, options: { maxOutputLength: number }): Uint8Array;
}

/** Glue's compression (Java's Deflater: zlib-wrapped deflate) of the bytes from `at`, inflated. */
function inflate(bytes: Uint8Array, at: number): Uint8Array {
  const zlib = (typeof process === 'object' ? process?.getBuiltinModule?.('node:zlib') : undefined) as Zlib | undefined;
  if (zlib === undefined) {
    throw new BinaryDecodeError(
      1,
      'an uncompressed Glue payload (inflating needs Node.js 20.16 or later)',
      'compression byte 0x05 (zlib)',
    );
  }
  try {
    return zlib.inflateSync(bytes.subarray(at), { maxOutputLength: MAX_INFLATED });
  } catch (error) {
    throw new BinaryDecodeError(
      at,
      `zlib data of at most ${MAX_INFLATED} bytes (Glue compression byte 0x05)`,
      (error as Error).message,
    );
  }
}
