/**
 * A value of an Avro or Protobuf payload type for the tests `scaffold --topic` writes: the
 * smallest one its schema describes (the writer's descriptor that generated testing.ts
 * encodes with): 0 and `'x'` and `false` and empty bytes, an enum's first symbol, empty
 * arrays and maps, a union's null branch when it has one (else its first), Protobuf
 * `optional` and message fields absent and oneofs unset. The caller encodes it, which
 * checks it.
 */
import type { WriterPlan } from '../../core/codecs.js';
import type { AvroWriterSchema, AvroWriterType } from '../../runtime/avro-writer.js';
import type { ProtobufWriterSchema, ProtobufWriterScalar } from '../../runtime/protobuf-writer.js';

/** Deeper than this, the schema has no finite smallest value along the path taken (a record that must hold itself). */
const MAX_DEPTH = 64;

export function binaryExample(writer: WriterPlan): unknown {
  return writer.format === 'avro'
    ? avroExample(writer.schema, writer.schema.root, 0)
    : protobufExample(writer.schema, writer.message, 0);
}

function tooDeep(): never {
  throw new TypeError('the schema has no finite value: a record or message that must contain itself');
}

function avroExample(schema: AvroWriterSchema, type: AvroWriterType, depth: number): unknown {
  if (depth > MAX_DEPTH) tooDeep();
  if (isUnion(type))
    return avroExample(schema, type.includes('null') ? 'null' : (type[0] as AvroWriterType), depth + 1);
  if (typeof type === 'string') {
    switch (type) {
      case 'null':
        return null;
      case 'boolean':
        return false;
      case 'int':
      case 'float':
      case 'double':
        return 0;
      case 'long':
        return schema.longs === 'bigint' ? 0n : 0;
      case 'bytes':
        return new Uint8Array(0);
      case 'string':
        return 'x';
    }
    const named = schema.named[type];
    if (named === undefined) throw new TypeError(`the schema names ${type} but does not define it`);
    if (named.type === 'enum') return named.symbols[0];
    if (named.type === 'record')
      return Object.fromEntries(named.fields.map((field) => [field.name, avroExample(schema, field.type, depth + 1)]));
    if (!('logicalType' in named)) return new Uint8Array(named.size);
    if (named.logicalType === 'duration') return { months: 0, days: 0, milliseconds: 0 };
    if (named.logicalType === 'decimal') return decimalZero(named.scale);
    return '00000000-0000-4000-8000-000000000000';
  }
  switch (type.type) {
    case 'array':
      return [];
    case 'map':
      return {};
    case 'int':
      return 0;
    case 'long':
      return schema.longs === 'bigint' ? 0n : 0;
    case 'string':
      return '00000000-0000-4000-8000-000000000000';
    case 'bytes':
      return decimalZero(type.scale);
  }
}

const isUnion = (type: AvroWriterType): type is readonly AvroWriterType[] => Array.isArray(type);

/** The decimal zero as the decoder writes it: `0`, or `0.00` for a scale of 2. */
const decimalZero = (scale: number) => (scale === 0 ? '0' : `0.${'0'.repeat(scale)}`);

function protobufScalar(schema: ProtobufWriterSchema, scalar: ProtobufWriterScalar): unknown {
  switch (scalar) {
    case 'bool':
      return false;
    case 'string':
      return 'x';
    case 'bytes':
      return new Uint8Array(0);
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64':
      return schema.longs === 'bigint' ? 0n : 0;
    default:
      return 0;
  }
}

function protobufExample(schema: ProtobufWriterSchema, message: string, depth: number): unknown {
  if (depth > MAX_DEPTH) tooDeep();
  const descriptor = schema.messages[message];
  if (descriptor === undefined) throw new TypeError(`the schema names ${message} but does not define it`);
  const value: Record<string, unknown> = {};
  for (const field of descriptor.fields) {
    switch (field.kind) {
      case 'optional':
        break; // absent
      case 'repeated':
      case 'packed':
        value[field.name] = [];
        break;
      case 'map':
        value[field.name] = {};
        break;
      case 'oneof':
        value[field.oneof as string] = { case: undefined };
        break;
      case 'singular':
        if (field.scalar !== undefined) value[field.name] = protobufScalar(schema, field.scalar);
        else if (field.enum !== undefined) value[field.name] = enumZero(schema, field.enum);
        else value[field.name] = protobufExample(schema, field.message as string, depth + 1);
        break;
    }
  }
  return value;
}

/** The name of an enum's value 0 (proto3's default), else of its first value. */
function enumZero(schema: ProtobufWriterSchema, name: string): string | number {
  const values = Object.entries(schema.enums[name] ?? {});
  return (values.find(([, number]) => number === 0) ?? values[0])?.[0] ?? 0;
}
