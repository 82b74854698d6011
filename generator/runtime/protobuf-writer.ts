/**
 * A Protobuf ENCODER for tests: the inverse of the generated decoders (emit/protobuf.ts), walking a
 * JSON-serialisable descriptor of the schema (ProtobufWriterSchema, built by
 * emit/protobuf-writer-schema.ts) instead of generated code. It takes a value in the decoders'
 * representation (the type mapping in emit/protobuf.ts's header) and writes the wire format
 * (https://protobuf.dev/programming-guides/encoding/) the way protoc and @bufbuild/protobuf do:
 * fields in field-number order; implicit-presence (proto3) fields left out when they hold their
 * default (0, "", false, empty bytes, the enum value 0; -0 is written, as protoc does); `optional`,
 * proto2, oneof and message fields written when present; repeated scalars and enums packed where
 * the .proto says so; map entries with both key and value. What the decoders would refuse (a long
 * outside +-(2^53-1) with longs "number", a lone surrogate, an enum name the enum lacks, messages
 * nested deeper than 100) is refused here, and so is what the decoded type rules out (a missing
 * implicit-presence, repeated, map or oneof property; a property the message lacks; a wrong type):
 * a TypeError naming the path in the value and what was expected. A float is rounded to 32 bits,
 * as every encoder does. Clarity over speed. No imports and no Node API: copied into generated
 * test helpers.
 */

/** Scalar types, as in the .proto. */
export type ProtobufWriterScalar =
  | 'double'
  | 'float'
  | 'int32'
  | 'int64'
  | 'uint32'
  | 'uint64'
  | 'sint32'
  | 'sint64'
  | 'fixed32'
  | 'fixed64'
  | 'sfixed32'
  | 'sfixed64'
  | 'bool'
  | 'string'
  | 'bytes';

/**
 * A field; what it holds is exactly one of `scalar`, `enum` (a key of the schema's `enums`) and
 * `message` (a key of its `messages`). `kind`: `singular` is implicit presence (always a property,
 * left off the wire at its default); `optional` explicit presence (proto3 `optional`, proto2,
 * message fields: an optional property); `repeated` unpacked and `packed` packed (an array);
 * `map` (an object; `key` is the key's scalar type); `oneof` a member of the oneof `oneof` (the
 * property named `oneof` holds `{ case, value }`).
 */
export interface ProtobufWriterField {
  readonly name: string;
  readonly number: number;
  readonly kind: 'singular' | 'optional' | 'repeated' | 'packed' | 'map' | 'oneof';
  readonly scalar?: ProtobufWriterScalar;
  readonly enum?: string;
  readonly message?: string;
  readonly key?: ProtobufWriterScalar;
  readonly oneof?: string;
}

/** A message: its fields in field-number order; its oneofs' member names; `wrapper` for google.protobuf.*Value (the value stands for the message). */
export interface ProtobufWriterMessage {
  readonly fields: readonly ProtobufWriterField[];
  readonly oneofs?: { readonly [oneof: string]: readonly string[] };
  readonly wrapper?: true;
}

/** A schema's messages and enums by full name (enums as value name -> number), and how 64-bit integers are represented. */
export interface ProtobufWriterSchema {
  readonly longs: 'number' | 'bigint';
  readonly messages: { readonly [fullName: string]: ProtobufWriterMessage };
  readonly enums: { readonly [fullName: string]: { readonly [name: string]: number } };
}

/** How deep messages may nest (the decoders' limit, map entries counted). */
const PROTOBUF_WRITER_MAX_DEPTH = 100;

/** The global TextEncoder, typed with only what is used here. */
const protobufWriterUtf8: { encode(text: string): Uint8Array } = new (
  globalThis as unknown as { TextEncoder: new () => { encode(text: string): Uint8Array } }
).TextEncoder();

export const PROTOBUF_WRITER_WIRE_TYPES: { readonly [scalar in ProtobufWriterScalar]: number } = {
  int32: 0,
  int64: 0,
  uint32: 0,
  uint64: 0,
  sint32: 0,
  sint64: 0,
  bool: 0,
  fixed64: 1,
  sfixed64: 1,
  double: 1,
  string: 2,
  bytes: 2,
  fixed32: 5,
  sfixed32: 5,
  float: 5,
};

/** Ranges of the 64-bit types. */
const PROTOBUF_WRITER_LONG_RANGES: { readonly [scalar: string]: readonly [bigint, bigint] } = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};

const protobufWriterHasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/** What a value is, for error messages. */
function protobufWriterReceived(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const proto: unknown = Object.getPrototypeOf(value);
    const name = (proto as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'an object';
  }
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'bigint') return `bigint ${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}

function protobufWriterFail(path: string, expected: string, value: unknown): never {
  throw new TypeError(`${path}: expected ${expected}, received ${protobufWriterReceived(value)}`);
}

/** A property's path: `.name`, or `["name"]` when it is not an identifier. */
function protobufWriterMember(path: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

/** A plain object (an object literal, Object.create(null), or a decoded map whose prototype has none): not an array, class instance or typed array. */
function protobufWriterIsPlainObject(value: unknown): value is { readonly [key: string]: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

/** Appends bytes as they are written. */
class ProtobufWriterBytes {
  readonly bytes: number[] = [];

  /** A non-negative integer below 2^53 as a varint. */
  varint(n: number): void {
    while (n >= 0x80) {
      this.bytes.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.bytes.push(n);
  }

  /** A 64-bit pattern (0 .. 2^64-1) as a varint. */
  varint64(n: bigint): void {
    while (n >= 0x80n) {
      this.bytes.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.bytes.push(Number(n));
  }

  /** `size` bytes little-endian of a 64-bit pattern. */
  fixed(n: bigint, size: number): void {
    for (let i = 0; i < size; i++) {
      this.bytes.push(Number(n & 0xffn));
      n >>= 8n;
    }
  }

  tag(number: number, wire: number): void {
    this.varint(number * 8 + wire);
  }

  /** A length-delimited value. */
  delimited(content: readonly number[] | Uint8Array): void {
    this.varint(content.length);
    for (const b of content) this.bytes.push(b);
  }
}

/** The index of the first lone surrogate in `s`, or -1. */
function protobufWriterLoneSurrogate(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return i;
    } else if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

/** A 64-bit integer of `scalar` as a bigint, checked against the representation `longs` and the type's range. */
function protobufWriterLong(
  schema: ProtobufWriterSchema,
  scalar: ProtobufWriterScalar,
  value: unknown,
  path: string,
): bigint {
  const [min, max] = PROTOBUF_WRITER_LONG_RANGES[scalar] as readonly [bigint, bigint];
  if (schema.longs === 'number') {
    const unsigned = min === 0n;
    const range = unsigned ? '0..2^53-1' : '+-(2^53-1)';
    if (typeof value !== 'number') protobufWriterFail(path, `a number (Protobuf ${scalar}, longs "number")`, value);
    if (!Number.isSafeInteger(value) || (unsigned && value < 0))
      protobufWriterFail(path, `an integer within ${range} (Protobuf ${scalar}, longs "number")`, value);
    return BigInt(value);
  }
  if (typeof value !== 'bigint') protobufWriterFail(path, `a bigint (Protobuf ${scalar}, longs "bigint")`, value);
  if (value < min || value > max)
    protobufWriterFail(path, `a bigint within ${min}..${max} (Protobuf ${scalar})`, value);
  return value;
}

/** A 32-bit integer of `scalar`, checked. */
function protobufWriterInt(scalar: ProtobufWriterScalar, value: unknown, path: string): number {
  if (typeof value !== 'number') protobufWriterFail(path, `a number (Protobuf ${scalar})`, value);
  const unsigned = scalar === 'uint32' || scalar === 'fixed32';
  const [min, max] = unsigned ? [0, 4294967295] : [-2147483648, 2147483647];
  if (!Number.isInteger(value) || value < min || value > max)
    protobufWriterFail(path, `an integer within ${min}..${max} (Protobuf ${scalar})`, value);
  return value;
}

/** Whether `value` (already written, so checked) is `scalar`'s default: left off the wire for implicit presence. */
function protobufWriterIsDefault(scalar: ProtobufWriterScalar, value: unknown): boolean {
  if (typeof value === 'number') return value === 0 && !Object.is(value, -0);
  if (typeof value === 'bigint') return value === 0n;
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'string') return value === '';
  if (value instanceof Uint8Array) return value.length === 0;
  throw new TypeError(`not a ${scalar}`);
}

/** Writes one scalar value (no tag); `value` is checked first. */
function protobufWriteScalar(
  schema: ProtobufWriterSchema,
  out: ProtobufWriterBytes,
  scalar: ProtobufWriterScalar,
  value: unknown,
  path: string,
): void {
  switch (scalar) {
    case 'double':
    case 'float': {
      if (typeof value !== 'number') protobufWriterFail(path, `a number (Protobuf ${scalar})`, value);
      const view = new DataView(new ArrayBuffer(8));
      if (scalar === 'double') view.setFloat64(0, value, true);
      else view.setFloat32(0, value, true);
      for (let i = 0; i < (scalar === 'double' ? 8 : 4); i++) out.bytes.push(view.getUint8(i));
      return;
    }
    case 'int32':
      out.varint64(BigInt.asUintN(64, BigInt(protobufWriterInt(scalar, value, path))));
      return;
    case 'uint32':
      out.varint(protobufWriterInt(scalar, value, path));
      return;
    case 'sint32': {
      const n = protobufWriterInt(scalar, value, path);
      out.varint(((n << 1) ^ (n >> 31)) >>> 0);
      return;
    }
    case 'fixed32':
    case 'sfixed32':
      out.fixed(BigInt.asUintN(32, BigInt(protobufWriterInt(scalar, value, path))), 4);
      return;
    case 'int64':
    case 'uint64':
      out.varint64(BigInt.asUintN(64, protobufWriterLong(schema, scalar, value, path)));
      return;
    case 'sint64': {
      const n = protobufWriterLong(schema, scalar, value, path);
      out.varint64(BigInt.asUintN(64, (n << 1n) ^ (n >> 63n)));
      return;
    }
    case 'fixed64':
    case 'sfixed64':
      out.fixed(BigInt.asUintN(64, protobufWriterLong(schema, scalar, value, path)), 8);
      return;
    case 'bool':
      if (typeof value !== 'boolean') protobufWriterFail(path, 'a boolean (Protobuf bool)', value);
      out.varint(value ? 1 : 0);
      return;
    case 'string': {
      if (typeof value !== 'string') protobufWriterFail(path, 'a string (Protobuf string)', value);
      const at = protobufWriterLoneSurrogate(value);
      if (at >= 0)
        throw new TypeError(
          `${path}: expected well-formed UTF-16 text (Protobuf string), received a lone surrogate at index ${at}`,
        );
      out.delimited(protobufWriterUtf8.encode(value));
      return;
    }
    case 'bytes':
      if (!(value instanceof Uint8Array)) protobufWriterFail(path, 'a Uint8Array (Protobuf bytes)', value);
      out.delimited(value);
      return;
    default:
      throw new TypeError(`${path}: the schema names an unknown scalar type ${JSON.stringify(scalar)}`);
  }
}

/** An enum's table, or a TypeError (a bad descriptor). */
function protobufWriterEnumTable(
  schema: ProtobufWriterSchema,
  name: string,
  path: string,
): { readonly [name: string]: number } {
  if (!protobufWriterHasOwn(schema.enums, name))
    throw new TypeError(`${path}: the schema has no enum ${JSON.stringify(name)}`);
  return schema.enums[name] as { readonly [name: string]: number };
}

/** An enum value (a name of the enum, or any int32: enums are open) as its number. */
function protobufWriterEnumNumber(schema: ProtobufWriterSchema, name: string, value: unknown, path: string): number {
  const table = protobufWriterEnumTable(schema, name, path);
  if (typeof value === 'string' && protobufWriterHasOwn(table, value)) return table[value] as number;
  if (typeof value === 'number' && Number.isInteger(value) && value >= -2147483648 && value <= 2147483647) return value;
  const names = Object.keys(table).map((n) => JSON.stringify(n));
  protobufWriterFail(path, `one of ${names.join(', ')} or an int32 (Protobuf enum ${name})`, value);
}

/** The message descriptor `name`, or a TypeError. */
function protobufWriterMessageOf(schema: ProtobufWriterSchema, name: string, path: string): ProtobufWriterMessage {
  if (!protobufWriterHasOwn(schema.messages, name))
    throw new TypeError(`${path}: the schema has no message ${JSON.stringify(name)}`);
  return schema.messages[name] as ProtobufWriterMessage;
}

/** The wire type of a field's value. */
function protobufWriterWireOf(field: ProtobufWriterField): number {
  if (field.scalar !== undefined) return PROTOBUF_WRITER_WIRE_TYPES[field.scalar];
  return field.enum !== undefined ? 0 : 2;
}

/** Writes the value of `field` (no tag) for a non-message field, or the length-delimited message. */
function protobufWriteValue(
  schema: ProtobufWriterSchema,
  out: ProtobufWriterBytes,
  field: ProtobufWriterField,
  value: unknown,
  path: string,
  depth: number,
): void {
  if (field.scalar !== undefined) protobufWriteScalar(schema, out, field.scalar, value, path);
  else if (field.enum !== undefined)
    out.varint64(BigInt.asUintN(64, BigInt(protobufWriterEnumNumber(schema, field.enum, value, path))));
  else if (field.message !== undefined)
    out.delimited(protobufWriteMessage(schema, field.message, value, path, depth + 1));
  else throw new TypeError(`${path}: the schema gives field ${field.name} no type`);
}

/** A field's value in the type mapping's terms, for error messages. */
function protobufWriterTypeText(field: ProtobufWriterField): string {
  return field.scalar ?? field.enum ?? field.message ?? '?';
}

/** Writes a map key (given as text) as `scalar`. */
function protobufWriteMapKey(
  schema: ProtobufWriterSchema,
  out: ProtobufWriterBytes,
  scalar: ProtobufWriterScalar,
  key: string,
  path: string,
): void {
  const where = `${path}[${JSON.stringify(key)}]`;
  if (scalar === 'string') {
    protobufWriteScalar(schema, out, scalar, key, `${where} (the key)`);
    return;
  }
  if (scalar === 'bool') {
    if (key !== 'true' && key !== 'false')
      throw new TypeError(`${where}: expected the key "true" or "false" (Protobuf map<bool, ...>)`);
    out.varint(key === 'true' ? 1 : 0);
    return;
  }
  if (!/^-?(?:0|[1-9][0-9]*)$/.test(key) || key === '-0')
    throw new TypeError(`${where}: expected the key to be an integer in decimal text (Protobuf map<${scalar}, ...>)`);
  const n = BigInt(key);
  const long = PROTOBUF_WRITER_LONG_RANGES[scalar] !== undefined;
  const asValue = long ? (schema.longs === 'bigint' ? n : Number(n)) : Number(n);
  if (long && schema.longs === 'number' && (n > 2n ** 53n - 1n || n < -(2n ** 53n - 1n)))
    protobufWriterFail(`${where} (the key)`, `an integer within +-(2^53-1) (Protobuf ${scalar}, longs "number")`, key);
  protobufWriteScalar(schema, out, scalar, asValue, `${where} (the key)`);
}

/** Encodes `value` as message `name`'s fields (no length prefix). */
function protobufWriteMessage(
  schema: ProtobufWriterSchema,
  name: string,
  value: unknown,
  path: string,
  depth: number,
): number[] {
  const message = protobufWriterMessageOf(schema, name, path);
  if (depth > PROTOBUF_WRITER_MAX_DEPTH)
    throw new TypeError(
      `${path}: expected messages nested at most ${PROTOBUF_WRITER_MAX_DEPTH} deep (the decoders' limit), received deeper ones`,
    );
  let object: { readonly [key: string]: unknown };
  // A wrapper (google.protobuf.StringValue, ...) is given as its value.
  if (message.wrapper === true) object = { value };
  else if (protobufWriterIsPlainObject(value)) object = value;
  else protobufWriterFail(path, `an object (Protobuf message ${name})`, value);
  const oneofs = message.oneofs ?? {};
  const known = new Set<string>([...Object.keys(oneofs)]);
  for (const field of message.fields) if (field.kind !== 'oneof') known.add(field.name);
  for (const key of Object.keys(object))
    if (!known.has(key))
      throw new TypeError(
        `${protobufWriterMember(path, key)}: expected no such property (Protobuf message ${name} has no field ${JSON.stringify(key)}${protobufWriterOneofHint(oneofs, key)})`,
      );
  for (const [oneof, members] of Object.entries(oneofs)) {
    const where = protobufWriterMember(path, oneof);
    const chosen = protobufWriterHasOwn(object, oneof) ? object[oneof] : undefined;
    if (!protobufWriterIsPlainObject(chosen))
      protobufWriterFail(where, `an object { case, value } (Protobuf oneof ${oneof})`, chosen);
    for (const key of Object.keys(chosen))
      if (key !== 'case' && key !== 'value')
        throw new TypeError(
          `${protobufWriterMember(where, key)}: expected no such property (a oneof holds case and value)`,
        );
    const c = chosen['case'];
    if (c !== undefined && (typeof c !== 'string' || !members.includes(c)))
      protobufWriterFail(
        `${where}.case`,
        `one of ${members.map((m) => JSON.stringify(m)).join(', ')} or undefined (Protobuf oneof ${oneof})`,
        c,
      );
    if (c === undefined && chosen['value'] !== undefined)
      protobufWriterFail(
        `${where}.value`,
        `undefined when the case is undefined (Protobuf oneof ${oneof})`,
        chosen['value'],
      );
  }

  const out = new ProtobufWriterBytes();
  for (const field of message.fields) {
    if (field.kind === 'oneof') {
      const chosen = object[field.oneof as string] as { readonly [key: string]: unknown };
      if (chosen['case'] !== field.name) continue;
      out.tag(field.number, protobufWriterWireOf(field));
      protobufWriteValue(
        schema,
        out,
        field,
        chosen['value'],
        `${protobufWriterMember(path, field.oneof as string)}.value`,
        depth,
      );
      continue;
    }
    const where = message.wrapper === true ? path : protobufWriterMember(path, field.name);
    const v = protobufWriterHasOwn(object, field.name) ? object[field.name] : undefined;
    switch (field.kind) {
      case 'singular': {
        if (v === undefined)
          protobufWriterFail(
            where,
            message.wrapper === true
              ? `a value (Protobuf ${name})`
              : `a value (Protobuf ${protobufWriterTypeText(field)} field ${field.number})`,
            v,
          );
        const bytes = new ProtobufWriterBytes();
        protobufWriteValue(schema, bytes, field, v, where, depth);
        const isDefault =
          field.scalar !== undefined
            ? protobufWriterIsDefault(field.scalar, v)
            : field.enum !== undefined && protobufWriterEnumNumber(schema, field.enum, v, where) === 0;
        if (isDefault) continue;
        out.tag(field.number, protobufWriterWireOf(field));
        out.bytes.push(...bytes.bytes);
        break;
      }
      case 'optional':
        if (v === undefined) continue;
        out.tag(field.number, protobufWriterWireOf(field));
        protobufWriteValue(schema, out, field, v, where, depth);
        break;
      case 'repeated':
      case 'packed': {
        if (!Array.isArray(v))
          protobufWriterFail(where, `an array (Protobuf repeated ${protobufWriterTypeText(field)})`, v);
        if (field.kind === 'packed') {
          const content = new ProtobufWriterBytes();
          v.forEach((item: unknown, i: number) =>
            protobufWriteValue(schema, content, field, item, `${where}[${i}]`, depth),
          );
          if (v.length === 0) continue;
          out.tag(field.number, 2);
          out.delimited(content.bytes);
        } else
          v.forEach((item: unknown, i: number) => {
            out.tag(field.number, protobufWriterWireOf(field));
            protobufWriteValue(schema, out, field, item, `${where}[${i}]`, depth);
          });
        break;
      }
      case 'map': {
        const keyType = field.key as ProtobufWriterScalar;
        if (!protobufWriterIsPlainObject(v))
          protobufWriterFail(where, `an object (Protobuf map<${keyType}, ${protobufWriterTypeText(field)}>)`, v);
        if (depth + 1 > PROTOBUF_WRITER_MAX_DEPTH)
          throw new TypeError(
            `${where}: expected messages nested at most ${PROTOBUF_WRITER_MAX_DEPTH} deep (the decoders' limit; map entries count), received deeper ones`,
          );
        for (const key of Object.keys(v)) {
          const entry = new ProtobufWriterBytes();
          entry.tag(1, PROTOBUF_WRITER_WIRE_TYPES[keyType]);
          protobufWriteMapKey(schema, entry, keyType, key, where);
          entry.tag(2, protobufWriterWireOf(field));
          protobufWriteValue(schema, entry, field, v[key], `${where}[${JSON.stringify(key)}]`, depth + 1);
          out.tag(field.number, 2);
          out.delimited(entry.bytes);
        }
        break;
      }
      default:
        throw new TypeError(`${where}: the schema gives field ${field.name} an unknown kind`);
    }
  }
  return out.bytes;
}

/** ` (set it as { case: "x", value } in oneof y)` when `key` is a member of a oneof. */
function protobufWriterOneofHint(oneofs: { readonly [oneof: string]: readonly string[] }, key: string): string {
  for (const [oneof, members] of Object.entries(oneofs))
    if (members.includes(key))
      return `: it is a member of oneof ${oneof}, given as ${oneof}: { case: ${JSON.stringify(key)}, value }`;
  return '';
}

/**
 * Encodes `value` (in the generated decoders' representation) as message `message` (a full name,
 * a key of `schema.messages`): the bytes the decoder of that message decodes back to `value`.
 * `path` names the value in error messages (default `value`).
 * @throws TypeError naming the path in the value and what was expected, when the value is not one of the message.
 */
export function protobufEncode(
  schema: ProtobufWriterSchema,
  message: string,
  value: unknown,
  path = 'value',
): Uint8Array {
  return Uint8Array.from(protobufWriteMessage(schema, message, value, path, 1));
}
