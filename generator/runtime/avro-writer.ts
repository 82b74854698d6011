/**
 * An Avro ENCODER for tests: the inverse of the generated Avro decoders (emit/avro.ts with
 * runtime/avro-reader.ts). It takes a value in the decoded representation (the type mapping
 * of emit/avro.ts's header) and writes its Avro binary encoding (Avro 1.12, "Binary
 * Encoding"; no framing), walking a descriptor of the schema (AvroWriterSchema, made by
 * emit/avro-writer-schema.ts, printed into generated code as a plain literal). Clarity and
 * correctness over speed. No imports and no Node API (the global TextEncoder, typed here), so
 * it can be copied into generated code as it is.
 *
 * What it writes, as avsc does: zig-zag varints for int, long, lengths, counts, union and
 * enum indexes; bytes and strings length-prefixed; an array or map as ONE block (its count,
 * its items, then 0; an empty one is just 0); fixed raw; float and double little-endian IEEE.
 *
 * It accepts the values the decoder can return (and their plain equivalents: -0 for an int or
 * long 0, a Buffer for a Uint8Array, a record or map object of any prototype), so decoding what
 * it writes gives the value back (deep-equal); anything else is a TypeError naming the path in
 * the value, what was expected and what was received:
 * `value.items[2].price: expected a number (Avro double), received string`. In particular:
 * - int (and date, time-millis): an integer within int32 (-0 is written as 0).
 * - long: with `longs: 'number'` a safe integer number (within ±(2^53-1)); with `longs: 'bigint'`
 *   a bigint within int64. Never the other one.
 * - float: a number a 32-bit float holds exactly (`Math.fround(x) === x`, NaN and ±Infinity
 *   included); double: any number.
 * - string: well-formed UTF-16 (no lone surrogate); a uuid on a string is any string, as the
 *   decoder reads it; enum: one of its symbols.
 * - bytes: a Uint8Array; fixed: a Uint8Array of its size.
 * - decimal (bytes or fixed): the text the decoder gives: an optional "-", the integer part
 *   with no leading zeros, exactly `scale` digits after a ".", at most `precision` digits in
 *   all, no "-0"; written as the shortest two's-complement big-endian bytes (bytes; at least
 *   one) or sign-extended to the fixed's size.
 * - uuid on a fixed of 16: lower-case text form, 8-4-4-4-12 hex digits.
 * - duration (fixed of 12): exactly { months, days, milliseconds }, each an integer from 0 to
 *   2^32-1, written as three little-endian unsigned 32-bit ints.
 * - record: an object with an own property for every field and no other own enumerable
 *   property (an extra one is refused rather than dropped: the decoded value would lack it).
 * - map: any non-array object; its entries are its own enumerable string keys
 *   (`Object.keys`), `__proto__` included when it is an own property.
 * - recursive records nested at most AVRO_WRITER_MAX_DEPTH deep, and at most
 *   AVRO_WRITER_MAX_FREE_ITEMS array items that take no bytes (nulls, empty records) in one
 *   value: the decoder's own limits (avro-reader.ts), refused here too.
 *
 * Unions: the decoded representation is unwrapped (`["null", "string"]` reads as
 * `string | null`), so the writer picks the branch: the FIRST branch, in schema order, that
 * accepts the value by the rules above (a deep check: the whole value is tried against the
 * branch). So a number goes to the first of int, long, float, double that holds it exactly
 * (an int branch before a double one takes 3; a float branch does not take 0.1), a string to
 * an enum branch when it is one of its symbols (else to a string branch), a Uint8Array to a
 * fixed of its size or to bytes, an object to the first record whose fields it has exactly
 * (or a map). When no branch accepts it, the error is the one of the only branch of the
 * value's kind (a number for the number branches...) when there is one, else a list of the
 * branches and why each branch of the value's kind refused it.
 */

/** The logical types on a long: the value is the long (a count of the unit). */
export type AvroWriterLongLogical =
  | 'time-micros'
  | 'timestamp-millis'
  | 'timestamp-micros'
  | 'timestamp-nanos'
  | 'local-timestamp-millis'
  | 'local-timestamp-micros'
  | 'local-timestamp-nanos';

/**
 * The descriptor of an Avro type, as in Avro's own JSON with only what encoding needs: a
 * string is a primitive type name (`'null'`, `'boolean'`, `'int'`, `'long'`, `'float'`,
 * `'double'`, `'bytes'`, `'string'`) or the full name of a named type (`'shop.v1.Order'`,
 * defined in AvroWriterSchema's `named`); an array is a union of its branches; an object is
 * an array, a map, or a primitive with its logical type.
 */
export type AvroWriterType =
  | string
  | readonly AvroWriterType[]
  | { readonly type: 'array'; readonly items: AvroWriterType }
  | { readonly type: 'map'; readonly values: AvroWriterType }
  | { readonly type: 'int'; readonly logicalType: 'date' | 'time-millis' }
  | { readonly type: 'long'; readonly logicalType: AvroWriterLongLogical }
  | { readonly type: 'string'; readonly logicalType: 'uuid' }
  | { readonly type: 'bytes'; readonly logicalType: 'decimal'; readonly precision: number; readonly scale: number };

/** A record's field: its name and type (no default: every field is written). */
export interface AvroWriterField {
  readonly name: string;
  readonly type: AvroWriterType;
}

/** The definition of a named type (its full name is its key in AvroWriterSchema's `named`). */
export type AvroWriterNamed =
  | { readonly type: 'record'; readonly fields: readonly AvroWriterField[] }
  | { readonly type: 'enum'; readonly symbols: readonly string[] }
  | { readonly type: 'fixed'; readonly size: number }
  | { readonly type: 'fixed'; readonly size: number; readonly logicalType: 'duration' | 'uuid' }
  | {
      readonly type: 'fixed';
      readonly size: number;
      readonly logicalType: 'decimal';
      readonly precision: number;
      readonly scale: number;
    };

/**
 * The descriptor of an Avro schema: everything avroEncode needs, JSON-serialisable. `longs` is
 * the generated types' long representation; `root` the schema's type; `named` every named type
 * (record, enum, fixed) by full name, in order of definition (references by name make recursion).
 */
export interface AvroWriterSchema {
  readonly longs: 'number' | 'bigint';
  readonly root: AvroWriterType;
  readonly named: { readonly [fullName: string]: AvroWriterNamed };
}

/** The deepest nesting of recursive records the decoder reads (avro-reader.ts AVRO_MAX_DEPTH). */
export const AVRO_WRITER_MAX_DEPTH = 1000;

/** The most array items of no bytes one value may hold for the decoder (avro-reader.ts AVRO_MAX_FREE_ITEMS). */
export const AVRO_WRITER_MAX_FREE_ITEMS = 1048576;

/** The global TextEncoder, typed here so no DOM or Node types are needed. */
const avroWriterUtf8 = new (
  globalThis as unknown as { TextEncoder: new () => { encode(text: string): Uint8Array } }
).TextEncoder();

/** The bytes written so far (`bytes[0..length)`) and the encoding's state. */
interface AvroWriterState {
  readonly schema: AvroWriterSchema;
  /** The named records that can contain themselves (their nesting counts against AVRO_WRITER_MAX_DEPTH). */
  readonly recursive: ReadonlySet<string>;
  bytes: Uint8Array;
  length: number;
  depth: number;
  free: number;
}

/**
 * The Avro binary encoding of `value` (in the decoded representation) for `schema`; `path`
 * names the value in error messages (default `value`). Throws a TypeError on a value the
 * decoder could not have returned (see the module comment).
 */
export function avroEncode(schema: AvroWriterSchema, value: unknown, path = 'value'): Uint8Array {
  const state: AvroWriterState = {
    schema,
    recursive: avroWriterRecursive(schema),
    bytes: new Uint8Array(64),
    length: 0,
    depth: 0,
    free: AVRO_WRITER_MAX_FREE_ITEMS,
  };
  avroWriteValue(state, schema.root, value, path);
  return state.bytes.slice(0, state.length);
}

export const AVRO_WRITER_PRIMITIVES: ReadonlySet<string> = new Set([
  'null',
  'boolean',
  'int',
  'long',
  'float',
  'double',
  'bytes',
  'string',
]);

function avroWriterIsUnion(type: AvroWriterType): type is readonly AvroWriterType[] {
  return Array.isArray(type);
}

/** The definition of the named type `name` (a descriptor that lacks it is a bug of its maker: an Error). */
function avroWriterNamed(schema: AvroWriterSchema, name: string): AvroWriterNamed {
  const named = Object.hasOwn(schema.named, name) ? schema.named[name] : undefined;
  if (named === undefined) throw new Error(`Avro writer schema: no type named ${JSON.stringify(name)}`);
  return named;
}

/** The named records that reach themselves through their fields. */
function avroWriterRecursive(schema: AvroWriterSchema): Set<string> {
  const result = new Set<string>();
  for (const [name, named] of Object.entries(schema.named)) {
    if (named.type !== 'record') continue;
    const seen = new Set<string>();
    const stack: AvroWriterType[] = named.fields.map((f) => f.type);
    while (stack.length > 0) {
      const t = stack.pop() as AvroWriterType;
      if (avroWriterIsUnion(t)) stack.push(...t);
      else if (typeof t === 'string') {
        if (t === name) {
          result.add(name);
          break;
        }
        if (AVRO_WRITER_PRIMITIVES.has(t) || seen.has(t)) continue;
        seen.add(t);
        const inner = avroWriterNamed(schema, t);
        if (inner.type === 'record') stack.push(...inner.fields.map((f) => f.type));
      } else if (t.type === 'array') stack.push(t.items);
      else if (t.type === 'map') stack.push(t.values);
    }
  }
  return result;
}

/** Whether a value of `type` may take no bytes (the decoder's minBytes of 0: null, fixed of 0, records of such fields). */
function avroWriterTakesNoBytes(schema: AvroWriterSchema, type: AvroWriterType, visiting: Set<string>): boolean {
  if (typeof type !== 'string') return false;
  if (type === 'null') return true;
  if (AVRO_WRITER_PRIMITIVES.has(type)) return false;
  const named = avroWriterNamed(schema, type);
  if (named.type === 'fixed') return named.size === 0;
  if (named.type !== 'record' || visiting.has(type)) return named.type === 'record';
  visiting.add(type);
  const result = named.fields.every((f) => avroWriterTakesNoBytes(schema, f.type, visiting));
  visiting.delete(type);
  return result;
}

// ---- bytes ----

function avroWriterReserve(state: AvroWriterState, n: number): void {
  if (state.length + n <= state.bytes.length) return;
  const bytes = new Uint8Array(Math.max(state.bytes.length * 2, state.length + n));
  bytes.set(state.bytes.subarray(0, state.length));
  state.bytes = bytes;
}

function avroWriterRaw(state: AvroWriterState, bytes: Uint8Array): void {
  avroWriterReserve(state, bytes.length);
  state.bytes.set(bytes, state.length);
  state.length += bytes.length;
}

/** A zig-zag varint of a value within int64. */
function avroWriterVarint(state: AvroWriterState, value: bigint | number): void {
  const v = BigInt(value);
  let n = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
  avroWriterReserve(state, 10);
  do {
    let b = Number(n & 0x7fn);
    n >>= 7n;
    if (n !== 0n) b |= 0x80;
    state.bytes[state.length++] = b;
  } while (n !== 0n);
}

/** Little-endian IEEE 754, 4 or 8 bytes. */
function avroWriterFloat(state: AvroWriterState, value: number, size: 4 | 8): void {
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  if (size === 4) view.setFloat32(0, value, true);
  else view.setFloat64(0, value, true);
  avroWriterRaw(state, bytes);
}

// ---- messages ----

/** What a value is, for "received ...": its kind (`string`, `null`, `array`, `Uint8Array`, `object`...). */
function avroWriterKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array) return 'Uint8Array';
  return typeof value;
}

/** A value itself, for "received ...", when its kind is right but it is not: `3.5`, `12n`, `"JOKER"`. */
function avroWriterShow(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
  return avroWriterKind(value);
}

function avroWriterFail(path: string, expected: string, received: string): never {
  throw new TypeError(`${path}: expected ${expected}, received ${received}`);
}

/** How a union's branch is named in messages: `int`, `shop.v1.Order`, `array`, `long (timestamp-millis)`. */
function avroWriterLabel(type: AvroWriterType): string {
  if (avroWriterIsUnion(type)) return 'union';
  if (typeof type === 'string') return type;
  if (type.type === 'array' || type.type === 'map') return type.type;
  return `${type.type} (${type.logicalType})`;
}

/** The index of the first lone surrogate of `text`, or -1 when it is well-formed UTF-16. */
function avroWriterLoneSurrogate(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
    else return i;
  }
  return -1;
}

function avroWriterText(state: AvroWriterState, text: string, path: string, what: string): void {
  const at = avroWriterLoneSurrogate(text);
  if (at >= 0)
    avroWriterFail(
      path,
      `well-formed UTF-16 text (${what})`,
      `a lone surrogate U+${text.charCodeAt(at).toString(16).toUpperCase()} at index ${at}`,
    );
  const bytes = avroWriterUtf8.encode(text);
  avroWriterVarint(state, bytes.length);
  avroWriterRaw(state, bytes);
}

function avroWriterIsObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

// ---- values ----

function avroWriteValue(state: AvroWriterState, type: AvroWriterType, value: unknown, path: string): void {
  if (avroWriterIsUnion(type)) return avroWriteUnion(state, type, value, path);
  if (typeof type === 'string') {
    if (AVRO_WRITER_PRIMITIVES.has(type)) return avroWritePrimitive(state, type, undefined, value, path);
    return avroWriteNamed(state, type, value, path);
  }
  switch (type.type) {
    case 'array':
      return avroWriteArray(state, type.items, value, path);
    case 'map':
      return avroWriteMap(state, type.values, value, path);
    case 'bytes':
      return avroWriteDecimal(state, type.precision, type.scale, undefined, value, path);
    default:
      return avroWritePrimitive(state, type.type, type.logicalType, value, path);
  }
}

function avroWritePrimitive(
  state: AvroWriterState,
  type: string,
  logical: string | undefined,
  value: unknown,
  path: string,
): void {
  const what = logical === undefined ? `Avro ${type}` : `Avro ${type}, ${logical}`;
  switch (type) {
    case 'null':
      if (value !== null) avroWriterFail(path, `null (${what})`, avroWriterKind(value));
      return;
    case 'boolean':
      if (typeof value !== 'boolean') avroWriterFail(path, `a boolean (${what})`, avroWriterKind(value));
      avroWriterReserve(state, 1);
      state.bytes[state.length++] = value ? 1 : 0;
      return;
    case 'int':
      if (typeof value !== 'number') avroWriterFail(path, `a number (${what})`, avroWriterKind(value));
      if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647)
        avroWriterFail(path, `an integer from -2147483648 to 2147483647 (${what})`, avroWriterShow(value));
      return avroWriterVarint(state, value);
    case 'long':
      if (state.schema.longs === 'number') {
        if (typeof value !== 'number')
          avroWriterFail(path, `a number (${what}, with "longs": "number")`, avroWriterKind(value));
        if (!Number.isSafeInteger(value))
          avroWriterFail(
            path,
            `an integer within ±(2^53-1) (${what}, with "longs": "number"; "longs": "bigint" takes the full range)`,
            avroWriterShow(value),
          );
        return avroWriterVarint(state, value);
      }
      if (typeof value !== 'bigint')
        avroWriterFail(path, `a bigint (${what}, with "longs": "bigint")`, avroWriterKind(value));
      if (value < -(2n ** 63n) || value >= 2n ** 63n)
        avroWriterFail(path, `a bigint from -2^63 to 2^63-1 (${what})`, avroWriterShow(value));
      return avroWriterVarint(state, value);
    case 'float':
      if (typeof value !== 'number') avroWriterFail(path, `a number (${what})`, avroWriterKind(value));
      if (!Object.is(Math.fround(value), value))
        avroWriterFail(
          path,
          `a number a 32-bit float holds exactly (${what}; Math.fround gives the nearest)`,
          avroWriterShow(value),
        );
      return avroWriterFloat(state, value, 4);
    case 'double':
      if (typeof value !== 'number') avroWriterFail(path, `a number (${what})`, avroWriterKind(value));
      return avroWriterFloat(state, value, 8);
    case 'bytes':
      if (!(value instanceof Uint8Array)) avroWriterFail(path, `a Uint8Array (${what})`, avroWriterKind(value));
      avroWriterVarint(state, value.length);
      return avroWriterRaw(state, value);
    case 'string':
      if (typeof value !== 'string') avroWriterFail(path, `a string (${what})`, avroWriterKind(value));
      return avroWriterText(state, value, path, what);
    default:
      throw new Error(`Avro writer schema: unknown type ${JSON.stringify(type)}`);
  }
}

function avroWriteNamed(state: AvroWriterState, name: string, value: unknown, path: string): void {
  const named = avroWriterNamed(state.schema, name);
  switch (named.type) {
    case 'record':
      return avroWriteRecord(state, name, named.fields, value, path);
    case 'enum': {
      const what = `Avro enum ${name}`;
      if (typeof value !== 'string') avroWriterFail(path, `a string, a symbol of ${what}`, avroWriterKind(value));
      const index = named.symbols.indexOf(value);
      if (index < 0) avroWriterFail(path, `one of ${named.symbols.join(', ')} (${what})`, avroWriterShow(value));
      return avroWriterVarint(state, index);
    }
    case 'fixed': {
      if (!('logicalType' in named)) {
        const what = `a Uint8Array of ${named.size} bytes (Avro fixed ${name})`;
        if (!(value instanceof Uint8Array)) avroWriterFail(path, what, avroWriterKind(value));
        if (value.length !== named.size) avroWriterFail(path, what, `${value.length} bytes`);
        return avroWriterRaw(state, value);
      }
      if (named.logicalType === 'decimal')
        return avroWriteDecimal(state, named.precision, named.scale, { name, size: named.size }, value, path);
      if (named.logicalType === 'uuid') return avroWriteUuid(state, name, value, path);
      return avroWriteDuration(state, name, value, path);
    }
  }
}

function avroWriteRecord(
  state: AvroWriterState,
  name: string,
  fields: readonly AvroWriterField[],
  value: unknown,
  path: string,
): void {
  const what = `Avro record ${name}`;
  if (!avroWriterIsObject(value)) avroWriterFail(path, `an object (${what})`, avroWriterKind(value));
  for (const field of fields)
    if (!Object.hasOwn(value, field.name))
      avroWriterFail(path, `an object with field "${field.name}" (${what})`, 'one without it');
  for (const key of Object.keys(value))
    if (!fields.some((field) => field.name === key))
      avroWriterFail(
        path,
        `only the fields of ${what} (${fields.map((f) => f.name).join(', ')})`,
        `property ${JSON.stringify(key)}`,
      );
  const recursive = state.recursive.has(name);
  if (recursive && ++state.depth > AVRO_WRITER_MAX_DEPTH)
    avroWriterFail(
      path,
      `recursive records nested at most ${AVRO_WRITER_MAX_DEPTH} deep (the decoder's limit)`,
      'deeper ones',
    );
  for (const field of fields) avroWriteValue(state, field.type, value[field.name], `${path}.${field.name}`);
  if (recursive) state.depth--;
}

function avroWriteArray(state: AvroWriterState, items: AvroWriterType, value: unknown, path: string): void {
  if (!Array.isArray(value)) avroWriterFail(path, 'an array (Avro array)', avroWriterKind(value));
  if (value.length > 0) {
    if (avroWriterTakesNoBytes(state.schema, items, new Set())) {
      state.free -= value.length;
      if (state.free < 0)
        avroWriterFail(
          path,
          `at most ${AVRO_WRITER_MAX_FREE_ITEMS} array items of no bytes (nulls, empty records) in one value (the decoder's limit)`,
          `${AVRO_WRITER_MAX_FREE_ITEMS - state.free} in all`,
        );
    }
    avroWriterVarint(state, value.length);
    for (let i = 0; i < value.length; i++) avroWriteValue(state, items, value[i], `${path}[${i}]`);
  }
  avroWriterVarint(state, 0);
}

function avroWriteMap(state: AvroWriterState, values: AvroWriterType, value: unknown, path: string): void {
  if (!avroWriterIsObject(value)) avroWriterFail(path, 'an object (Avro map)', avroWriterKind(value));
  const keys = Object.keys(value);
  if (keys.length > 0) {
    avroWriterVarint(state, keys.length);
    for (const key of keys) {
      const at = `${path}[${JSON.stringify(key)}]`;
      avroWriterText(state, key, at, 'Avro map key');
      avroWriteValue(state, values, value[key], at);
    }
  }
  avroWriterVarint(state, 0);
}

/** Whether `value` is of the kind (number, string, object...) a branch of `type` takes: to pick which error to report. */
function avroWriterKindFits(schema: AvroWriterSchema, type: AvroWriterType, value: unknown): boolean {
  const kind = avroWriterKind(value);
  if (avroWriterIsUnion(type)) return false;
  if (typeof type !== 'string') {
    if (type.type === 'array') return kind === 'array';
    if (type.type === 'map') return kind === 'object';
    if (type.type === 'bytes' || type.type === 'string') return kind === 'string';
    return avroWriterKindFits(schema, type.type, value);
  }
  switch (type) {
    case 'null':
      return kind === 'null';
    case 'boolean':
      return kind === 'boolean';
    case 'int':
    case 'float':
    case 'double':
      return kind === 'number';
    case 'long':
      // Either: a long's error says which one the "longs" setting wants.
      return kind === 'number' || kind === 'bigint';
    case 'bytes':
      return kind === 'Uint8Array';
    case 'string':
      return kind === 'string';
  }
  const named = avroWriterNamed(schema, type);
  if (named.type === 'record') return kind === 'object';
  if (named.type === 'enum') return kind === 'string';
  if (!('logicalType' in named)) return kind === 'Uint8Array';
  return named.logicalType === 'duration' ? kind === 'object' : kind === 'string';
}

function avroWriteUnion(
  state: AvroWriterState,
  branches: readonly AvroWriterType[],
  value: unknown,
  path: string,
): void {
  const { length, depth, free } = state;
  const errors: TypeError[] = [];
  for (let i = 0; i < branches.length; i++) {
    const branch = branches[i] as AvroWriterType;
    try {
      avroWriterVarint(state, i);
      avroWriteValue(state, branch, value, path);
      return;
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      errors.push(error);
      state.length = length;
      state.depth = depth;
      state.free = free;
    }
  }
  const fitting = branches.flatMap((branch, i) => (avroWriterKindFits(state.schema, branch, value) ? [i] : []));
  if (fitting.length === 1) throw errors[fitting[0] as number] as TypeError;
  avroWriterFail(
    path,
    `a value of a branch of the Avro union [${branches.map(avroWriterLabel).join(', ')}]`,
    fitting.length === 0
      ? avroWriterKind(value)
      : `${avroWriterKind(value)} that fits none of them (${fitting
          .map((i) => `as ${avroWriterLabel(branches[i] as AvroWriterType)}, ${(errors[i] as TypeError).message}`)
          .join('; ')})`,
  );
}

/** Two's-complement big-endian bytes of `n`: the fewest (at least one), or exactly `size`. */
function avroWriterTwosComplement(n: bigint, size: number | undefined): Uint8Array | undefined {
  let length = size ?? 1;
  while (size === undefined && (n >= 1n << BigInt(8 * length - 1) || n < -(1n << BigInt(8 * length - 1)))) length++;
  if (length === 0 || n >= 1n << BigInt(8 * length - 1) || n < -(1n << BigInt(8 * length - 1))) return undefined;
  const bytes = new Uint8Array(length);
  let u = BigInt.asUintN(8 * length, n);
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = Number(u & 0xffn);
    u >>= 8n;
  }
  return bytes;
}

function avroWriteDecimal(
  state: AvroWriterState,
  precision: number,
  scale: number,
  fixed: { readonly name: string; readonly size: number } | undefined,
  value: unknown,
  path: string,
): void {
  const what =
    fixed === undefined
      ? `Avro decimal(${precision}, ${scale})`
      : `Avro decimal(${precision}, ${scale}) on fixed ${fixed.name}`;
  if (typeof value !== 'string') avroWriterFail(path, `a string, decimal text (${what})`, avroWriterKind(value));
  const form =
    scale === 0
      ? 'decimal text of an integer, with no leading zeros and no "-0"'
      : `decimal text with exactly ${scale} digit${scale === 1 ? '' : 's'} after the point, no leading zeros and no "-0"`;
  const match = new RegExp(`^(-?)(0|[1-9][0-9]*)${scale === 0 ? '' : `\\.([0-9]{${scale}})`}$`).exec(value);
  const digits = match === null ? '' : `${match[2]}${match[3] ?? ''}`.replace(/^0+(?=.)/, '');
  if (match === null || (match[1] === '-' && digits === '0'))
    avroWriterFail(path, `${form} (${what})`, avroWriterShow(value));
  if (digits.length > precision)
    avroWriterFail(path, `at most ${precision} digits in all (${what})`, avroWriterShow(value));
  const unscaled = BigInt(`${match[1]}${digits}`);
  const bytes = avroWriterTwosComplement(unscaled, fixed?.size);
  if (bytes === undefined)
    avroWriterFail(path, `a decimal that fits ${fixed?.size ?? 0} bytes (${what})`, avroWriterShow(value));
  if (fixed === undefined) avroWriterVarint(state, bytes.length);
  avroWriterRaw(state, bytes);
}

function avroWriteUuid(state: AvroWriterState, name: string, value: unknown, path: string): void {
  const what = `lower-case uuid text such as "574f6a9a-9548-4dea-86a3-d82c0479a116" (Avro uuid on fixed ${name})`;
  if (typeof value !== 'string') avroWriterFail(path, what, avroWriterKind(value));
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value))
    avroWriterFail(path, what, avroWriterShow(value));
  const hex = value.replace(/-/g, '');
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  avroWriterRaw(state, bytes);
}

const AVRO_WRITER_DURATION = ['months', 'days', 'milliseconds'] as const;

function avroWriteDuration(state: AvroWriterState, name: string, value: unknown, path: string): void {
  const what = `Avro duration on fixed ${name}`;
  if (!avroWriterIsObject(value))
    avroWriterFail(path, `an object { months, days, milliseconds } (${what})`, avroWriterKind(value));
  for (const key of Object.keys(value))
    if (!(AVRO_WRITER_DURATION as readonly string[]).includes(key))
      avroWriterFail(path, `only months, days and milliseconds (${what})`, `property ${JSON.stringify(key)}`);
  const bytes = new Uint8Array(12);
  const view = new DataView(bytes.buffer);
  AVRO_WRITER_DURATION.forEach((key, i) => {
    const part = Object.hasOwn(value, key) ? value[key] : undefined;
    if (typeof part !== 'number' || !Number.isInteger(part) || part < 0 || part > 4294967295)
      avroWriterFail(
        `${path}.${key}`,
        `an integer from 0 to 4294967295 (${what})`,
        typeof part === 'number' ? avroWriterShow(part) : avroWriterKind(part),
      );
    view.setUint32(4 * i, part, true);
  });
  avroWriterRaw(state, bytes);
}
