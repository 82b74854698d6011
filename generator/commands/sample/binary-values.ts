/**
 * `sample`'s keys and values for Avro and Protobuf topics: a seeded random value of the
 * topic's schema (the `.avsc` or `.proto` the config names, read again here), encoded as
 * the wire format says (Avro binary encoding: zig-zag varints, length-prefixed strings
 * and bytes, blocks for arrays and maps, union and enum indexes; Protobuf: tags, varints,
 * fixed-width numbers, length-delimited strings, messages, packed numbers and map entries),
 * then framed as a schema registry frames it (docs/payload-formats.md sections 1-2):
 *
 * - raw (no schema metadata on the record): Confluent `00` + a 4-byte big-endian schema id
 *   (1) + for Protobuf the message-index array (`[0]` as the single byte `00`); Glue `03 00`
 *   + a 16-byte schema version UUID derived from the seed + for Protobuf the message index
 *   (one varint); or no framing;
 * - source (`EventRecordFormat: SOURCE`, a registry on the mapping): the registry header
 *   removed, a Protobuf message index kept, and `dataFormat`/`schemaId` metadata on the
 *   record (Confluent's id "1", Glue's UUID). Without a registry (`none`) there is no
 *   metadata: the bytes are delivered as written.
 *
 * Values are small (short strings, 0 to 3 items, shallow nesting) and every random choice
 * comes from the sample module's seeded streams: the same seed writes the same bytes.
 */
import { readFile } from 'node:fs/promises';
import type { BinaryCodecPlan } from '../../core/codecs.js';
import { CodegenError, DiagnosticCodes } from '../../core/diagnostics.js';
import type { AvroType } from '../../core/avro-schema.js';
import type { ProtoField, ProtoScalar, ProtoSchema, ProtoValueType } from '../../core/protobuf-schema.js';
import { int, stream } from './index.js';
import { frame } from '../../runtime/payload-framing-writer.js';

/** How sample frames the bytes it writes (`auto` is not one: sample writes Confluent's then). */
export type SampleFraming = 'confluent' | 'glue' | 'none';
export const SAMPLE_FRAMINGS: readonly SampleFraming[] = ['confluent', 'glue', 'none'];
/** `raw`: the bytes as the producer wrote them; `source`: as a mapping with a schema registry delivers them. */
export type SampleRecordFormat = 'raw' | 'source';

export interface BinarySample {
  readonly bytes: Uint8Array;
  /** The record's schema metadata for this side (source record format with a registry). */
  readonly metadata?: { readonly dataFormat: 'AVRO' | 'PROTOBUF'; readonly schemaId: string } | undefined;
}

type Rng = () => number;

/** Past this depth, unions take a branch that does not nest, arrays and maps are empty, optional messages absent. */
const MAX_DEPTH = 3;

const WORDS = ['alpha', 'blue', 'delta', 'green', 'kilo', 'lima', 'nova', 'orbit', 'pixel', 'river'];
const NAMES = ['Ann', 'Bob', 'Chloé', 'Dev', 'Eva', 'Li', 'Omar', 'Zoë'];
const CITIES = ['Lyon', 'Oslo', 'Seattle', 'Porto', 'Kyoto', 'Quito'];
const HEX = '0123456789abcdef';

const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, 0, items.length - 1)] as T;
const utf8 = (text: string): number[] => [...Buffer.from(text, 'utf8')];

/** Short, realistic text for a field called `hint`. */
function text(rng: Rng, hint: string): string {
  const h = hint.toLowerCase();
  if (h.includes('email')) return `${pick(rng, NAMES).toLowerCase().replace('é', 'e').replace('ë', 'e')}@example.com`;
  if (h.includes('date'))
    return `2025-${String(int(rng, 1, 12)).padStart(2, '0')}-${String(int(rng, 1, 28)).padStart(2, '0')}`;
  if (h.includes('city')) return pick(rng, CITIES);
  if (h.includes('zip') || h.includes('postal')) return String(int(rng, 10000, 99999));
  if (h.includes('name')) return pick(rng, NAMES);
  if (h.endsWith('id')) return `${pick(rng, WORDS)}-${int(rng, 1, 999)}`;
  return `${pick(rng, WORDS)} ${int(rng, 1, 99)}`;
}

/** A version-4 UUID in lower-case hex. */
function uuidText(rng: Rng): string {
  const nibbles = Array.from({ length: 32 }, () => pick(rng, [...HEX]));
  nibbles[12] = '4';
  nibbles[16] = pick(rng, ['8', '9', 'a', 'b']);
  const hex = nibbles.join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const uuidBytes = (uuid: string): number[] => [...Buffer.from(uuid.replace(/-/g, ''), 'hex')];

/** An unsigned varint (LEB128) of `n` (at most 64 bits). */
function varint(out: number[], n: bigint): void {
  let v = BigInt.asUintN(64, n);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}

const zigzag = (n: bigint): bigint => BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));

function littleEndian(out: number[], kind: 'float' | 'double' | 'u32' | 'u64', value: number | bigint): void {
  const buffer = Buffer.alloc(kind === 'float' || kind === 'u32' ? 4 : 8);
  if (kind === 'float') buffer.writeFloatLE(Number(value));
  else if (kind === 'double') buffer.writeDoubleLE(Number(value));
  else if (kind === 'u32') buffer.writeUInt32LE(Number(BigInt.asUintN(32, BigInt(value))));
  else buffer.writeBigUInt64LE(BigInt.asUintN(64, BigInt(value)));
  out.push(...buffer);
}

/** Two's complement big-endian of `n` in `size` bytes, or (size undefined) in the fewest bytes. */
function twosComplement(n: bigint, size?: number): number[] {
  const bytes: number[] = [];
  let v = n;
  for (;;) {
    bytes.unshift(Number(BigInt.asUintN(8, v)));
    v >>= 8n;
    const signOk = (v === 0n && (bytes[0] as number) < 0x80) || (v === -1n && (bytes[0] as number) >= 0x80);
    if (size === undefined ? signOk : bytes.length === size) return bytes;
  }
}

/** A decimal's text ("-12.30") of at most `precision` digits (and at most 9), `scale` of them after the point. */
function decimalText(rng: Rng, precision: number, scale: number): string {
  const digits = Math.min(precision, 9);
  const unscaled = int(rng, 0, 10 ** digits - 1);
  const sign = int(rng, 0, 3) === 0 ? '-' : '';
  const padded = String(unscaled).padStart(scale + 1, '0');
  return scale === 0 ? `${sign}${padded}` : `${sign}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

/** The unscaled integer of a decimal's text at `scale`. */
const unscaled = (decimal: string, scale: number): bigint => {
  const [whole = '0', fraction = ''] = decimal.replace('-', '').split('.');
  const value = BigInt(whole + fraction.padEnd(scale, '0'));
  return decimal.startsWith('-') ? -value : value;
};

const DAY_2025 = 20089; // 2025-01-01 in days since the epoch
const MS_2025 = Date.UTC(2025, 0, 1);
const MS_YEAR = 365 * 86_400_000;

/** Whether an Avro type nests (records, arrays, maps): unions past MAX_DEPTH avoid such branches. */
const nests = (type: AvroType): boolean => type.kind === 'record' || type.kind === 'array' || type.kind === 'map';

/** Appends a seeded value of `type`, Avro binary-encoded, to `out`. */
function writeAvro(out: number[], type: AvroType, rng: Rng, hint: string, depth: number, bigLongs: boolean): void {
  switch (type.kind) {
    case 'null':
      return;
    case 'boolean':
      out.push(int(rng, 0, 1));
      return;
    case 'int': {
      const name = type.logical?.name;
      const value =
        name === 'date'
          ? DAY_2025 + int(rng, 0, 364)
          : name === 'time-millis'
            ? int(rng, 0, 86_399_999)
            : hint.toLowerCase().includes('age')
              ? int(rng, 18, 80)
              : int(rng, 0, 1000);
      varint(out, zigzag(BigInt(value)));
      return;
    }
    case 'long': {
      const name = type.logical?.name ?? '';
      const ms = BigInt(MS_2025 + int(rng, 0, MS_YEAR));
      let value: bigint;
      if (name === 'time-micros') value = BigInt(int(rng, 0, 86_399_999)) * 1000n;
      else if (name.endsWith('-millis')) value = ms;
      else if (name.endsWith('-micros')) value = ms * 1000n + BigInt(int(rng, 0, 999));
      else if (name.endsWith('-nanos'))
        // 2025 in nanoseconds is past 2^53: with `"longs": "number"` the decoder rejects it, so early 1970 then.
        value = bigLongs
          ? ms * 1_000_000n + BigInt(int(rng, 0, 999_999))
          : BigInt(int(rng, 0, 2 ** 31 - 1)) * 4_194_304n + BigInt(int(rng, 0, 4_194_303));
      else value = BigInt(int(rng, 0, 100_000));
      varint(out, zigzag(value));
      return;
    }
    case 'float':
      littleEndian(out, 'float', int(rng, 0, 10_000) / 4);
      return;
    case 'double':
      littleEndian(out, 'double', int(rng, 0, 100_000) / 100);
      return;
    case 'bytes': {
      const logical = type.logical;
      const bytes =
        logical?.name === 'decimal'
          ? twosComplement(unscaled(decimalText(rng, logical.precision, logical.scale), logical.scale))
          : Array.from({ length: int(rng, 0, 8) }, () => int(rng, 0, 255));
      varint(out, zigzag(BigInt(bytes.length)));
      out.push(...bytes);
      return;
    }
    case 'string': {
      const bytes = utf8(type.logical?.name === 'uuid' ? uuidText(rng) : text(rng, hint));
      varint(out, zigzag(BigInt(bytes.length)));
      out.push(...bytes);
      return;
    }
    case 'enum':
      varint(out, zigzag(BigInt(int(rng, 0, type.symbols.length - 1))));
      return;
    case 'fixed': {
      const logical = type.logical;
      if (logical?.name === 'decimal') {
        // At most the digits the size holds (the schema's check keeps precision within it).
        out.push(
          ...twosComplement(unscaled(decimalText(rng, logical.precision, logical.scale), logical.scale), type.size),
        );
      } else if (logical?.name === 'duration') {
        for (const n of [int(rng, 0, 12), int(rng, 0, 30), int(rng, 0, 86_399_999)]) littleEndian(out, 'u32', n);
      } else if (logical?.name === 'uuid') out.push(...uuidBytes(uuidText(rng)));
      else for (let i = 0; i < type.size; i++) out.push(int(rng, 0, 255));
      return;
    }
    case 'array':
    case 'map': {
      const count = depth >= MAX_DEPTH ? 0 : int(rng, 0, 3);
      if (count > 0) {
        varint(out, zigzag(BigInt(count)));
        for (let i = 0; i < count; i++) {
          if (type.kind === 'map') {
            const key = utf8(`${pick(rng, WORDS)}${i}`);
            varint(out, zigzag(BigInt(key.length)));
            out.push(...key);
            writeAvro(out, type.values, rng, hint, depth + 1, bigLongs);
          } else writeAvro(out, type.items, rng, hint, depth + 1, bigLongs);
        }
      }
      out.push(0);
      return;
    }
    case 'union': {
      const flat = type.branches.map((branch, index) => ({ branch, index }));
      const shallow = flat.filter(({ branch }) => !nests(branch));
      const from = depth >= MAX_DEPTH && shallow.length > 0 ? shallow : flat;
      const { branch, index } = pick(rng, from);
      varint(out, zigzag(BigInt(index)));
      writeAvro(out, branch, rng, hint, depth, bigLongs);
      return;
    }
    case 'record':
      for (const field of type.fields) writeAvro(out, field.type, rng, field.name, depth + 1, bigLongs);
      return;
  }
}

const VARINT = 0;
const FIXED64 = 1;
const DELIMITED = 2;
const FIXED32 = 5;

const WIRE: Readonly<Record<ProtoScalar, number>> = {
  double: FIXED64,
  float: FIXED32,
  int32: VARINT,
  int64: VARINT,
  uint32: VARINT,
  uint64: VARINT,
  sint32: VARINT,
  sint64: VARINT,
  fixed32: FIXED32,
  fixed64: FIXED64,
  sfixed32: FIXED32,
  sfixed64: FIXED64,
  bool: VARINT,
  string: DELIMITED,
  bytes: DELIMITED,
};

const wireOf = (type: ProtoValueType): number =>
  type.kind === 'scalar' ? WIRE[type.scalar] : type.kind === 'enum' ? VARINT : DELIMITED;

const tag = (out: number[], number: number, wire: number) => varint(out, BigInt(number * 8 + wire));

/** Appends a seeded Protobuf value of `type` (without its tag) to `out`. */
function writeProtoValue(
  out: number[],
  schema: ProtoSchema,
  type: ProtoValueType,
  rng: Rng,
  hint: string,
  depth: number,
): void {
  if (type.kind === 'enum') {
    const values = schema.enums.get(type.fullName)?.values ?? [{ number: 0 }];
    varint(out, BigInt(pick(rng, values).number));
    return;
  }
  if (type.kind === 'message') {
    const body = writeProtoMessage(schema, type.fullName, rng, depth + 1);
    varint(out, BigInt(body.length));
    out.push(...body);
    return;
  }
  const small = BigInt(hint.toLowerCase().includes('age') ? int(rng, 18, 80) : int(rng, 0, 1000));
  switch (type.scalar) {
    case 'int32':
    case 'int64':
    case 'uint32':
    case 'uint64':
      varint(out, small);
      return;
    case 'sint32':
    case 'sint64':
      varint(out, zigzag(small - 500n));
      return;
    case 'bool':
      out.push(int(rng, 0, 1));
      return;
    case 'fixed32':
    case 'sfixed32':
      littleEndian(out, 'u32', small);
      return;
    case 'fixed64':
    case 'sfixed64':
      littleEndian(out, 'u64', small);
      return;
    case 'float':
      littleEndian(out, 'float', int(rng, 0, 10_000) / 4);
      return;
    case 'double':
      littleEndian(out, 'double', int(rng, 0, 100_000) / 100);
      return;
    case 'string':
    case 'bytes': {
      const bytes =
        type.scalar === 'string'
          ? utf8(text(rng, hint))
          : Array.from({ length: int(rng, 0, 8) }, () => int(rng, 0, 255));
      varint(out, BigInt(bytes.length));
      out.push(...bytes);
      return;
    }
  }
}

/** A seeded message `fullName`, Protobuf-encoded: each field once (a oneof: one of its fields or none), 0-3 repeated items and map entries. */
function writeProtoMessage(schema: ProtoSchema, fullName: string, rng: Rng, depth: number): number[] {
  const out: number[] = [];
  const message = schema.messages.get(fullName);
  if (message === undefined) return out;
  const chosen = new Map<string, string | undefined>();
  for (const oneof of message.oneofs) {
    const k = int(rng, 0, oneof.fields.length);
    chosen.set(oneof.name, oneof.fields[k]);
  }
  for (const field of message.fields) {
    if (field.oneof !== undefined && chosen.get(field.oneof) !== field.name) continue;
    writeProtoField(out, schema, field, rng, depth);
  }
  return out;
}

function writeProtoField(out: number[], schema: ProtoSchema, field: ProtoField, rng: Rng, depth: number): void {
  const deep = depth >= MAX_DEPTH;
  if (field.label === 'map') {
    const count = deep ? 0 : int(rng, 0, 3);
    for (let i = 0; i < count; i++) {
      const entry: number[] = [];
      const keyType: ProtoValueType = { kind: 'scalar', scalar: field.keyType ?? 'string' };
      tag(entry, 1, wireOf(keyType));
      if (keyType.scalar === 'string') {
        const key = utf8(`${pick(rng, WORDS)}${i}`);
        varint(entry, BigInt(key.length));
        entry.push(...key);
      } else writeProtoValue(entry, schema, keyType, rng, field.name, depth);
      tag(entry, 2, wireOf(field.type));
      writeProtoValue(entry, schema, field.type, rng, field.name, depth);
      tag(out, field.number, DELIMITED);
      varint(out, BigInt(entry.length));
      out.push(...entry);
    }
    return;
  }
  if (field.label === 'repeated') {
    const count = deep ? 0 : int(rng, 0, 3);
    const wire = wireOf(field.type);
    if (count > 0 && wire !== DELIMITED) {
      // Packed, as proto3 writes repeated numbers (and every decoder must accept).
      const packed: number[] = [];
      for (let i = 0; i < count; i++) writeProtoValue(packed, schema, field.type, rng, field.name, depth);
      tag(out, field.number, DELIMITED);
      varint(out, BigInt(packed.length));
      out.push(...packed);
    } else {
      for (let i = 0; i < count; i++) {
        tag(out, field.number, wire);
        writeProtoValue(out, schema, field.type, rng, field.name, depth);
      }
    }
    return;
  }
  if (field.type.kind === 'message' && deep) return;
  if (field.label === 'optional' && int(rng, 0, 4) === 0) return;
  tag(out, field.number, wireOf(field.type));
  writeProtoValue(out, schema, field.type, rng, field.name, depth);
}

/**
 * For each record index, a seeded key or value of `codec`'s schema, framed: `label` seeds
 * it (the topic and side), `seed` also the Glue schema version UUID.
 */
export async function binarySampler(
  codec: BinaryCodecPlan,
  options: {
    /** The side's `longs` setting: with `number` (the default) longs stay within ±2^53-1, which the decoder requires. */
    readonly longs?: string | undefined;
    readonly seed: number;
    readonly label: string;
    readonly framing: SampleFraming;
    readonly recordFormat: SampleRecordFormat;
    /**
     * `--invalid-value`: the frame and the datum with its last byte cut off (a trailing byte
     * when the datum has none), which no decoder of the schema accepts: an Avro datum is never
     * a prefix of another, and a Protobuf message's last field cut short is incomplete.
     */
    readonly truncated?: boolean | undefined;
  },
): Promise<(index: number) => BinarySample> {
  const text = await readFile(codec.schemaFile, 'utf8');
  let body: (rng: Rng) => number[];
  if (codec.format === 'avro') {
    const { parseAvroSchema } = await import('../../core/avro-schema.js');
    const model = parseAvroSchema(codec.schemaFile, text);
    body = (rng) => {
      const out: number[] = [];
      writeAvro(out, model.root, rng, model.rootTypeName, 0, options.longs === 'bigint');
      return out;
    };
  } else {
    const { loadProtobufSchema, resolveMessage } = await import('../../core/protobuf-schema.js');
    const model = loadProtobufSchema(codec.schemaFile, text);
    const message = resolveMessage(model, codec.framing.message ?? '');
    body = (rng) => writeProtoMessage(model, message, rng, 0);
  }
  const { framing, recordFormat } = options;
  const glueId = uuidText(stream(options.seed, 'glue-schema-version'));
  const schemaId = framing === 'glue' ? glueId : '1';
  const dataFormat: 'AVRO' | 'PROTOBUF' = codec.format === 'avro' ? 'AVRO' : 'PROTOBUF';
  // What the bytes are framed as: the topic's schema (message indexes) with the framing sample writes.
  const expected = { ...codec.framing, framing };
  const ids = { confluent: 1, glue: glueId };
  const metadata = recordFormat === 'source' && framing !== 'none' ? { dataFormat, schemaId } : undefined;
  // Unframed Avro on an `auto` topic must not start like a frame (00 or 03): the decoder would take it for one.
  const ambiguous = codec.format === 'avro' && framing === 'none' && codec.framing.framing === 'auto';
  const datum = (n: number): number[] => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const bytes = body(
        stream(options.seed, attempt === 0 ? `${options.label}:${n}` : `${options.label}:${n}:${attempt}`),
      );
      if (!ambiguous || (bytes[0] !== 0 && bytes[0] !== 3)) return bytes;
    }
    throw new CodegenError([
      {
        code: DiagnosticCodes.usage,
        file: codec.schemaFile,
        message: `--framing none: ${codec.display}'s values start with byte 00 or 03 (50 tries), which a decoder of "framing": "auto" takes for a Confluent or Glue frame: declare the topic's "framing": "none" in msk-codegen.config.json, or choose --framing confluent or glue`,
      },
    ]);
  };
  // 0x08 after a complete value: trailing bytes for Avro, a Protobuf tag (field 1, varint) without its value.
  const broken = (bytes: number[]) => (bytes.length > 0 ? bytes.slice(0, -1) : [0x08]);
  return (n) => {
    const body = Uint8Array.from(options.truncated ? broken(datum(n)) : datum(n));
    const bytes = frame(body, expected, metadata, ids);
    return metadata === undefined ? { bytes } : { bytes, metadata };
  };
}
