/**
 * The byte-reading primitives of generated Protobuf decoders (the wire format:
 * https://protobuf.dev/programming-guides/encoding/). One reader (bytes, a DataView, an offset)
 * walks a message; every read is bounded by `end`, the end of the enclosing message, and throws
 * BinaryDecodeError at the offset where the bytes stop making sense. Self-contained (its only
 * import is BinaryDecodeError, which generated code declares first): its source is copied into
 * generated code.
 */

import { BinaryDecodeError } from './binary-decode-error.js';

/** Where a decoder is in the bytes; `lo`/`hi` hold the last 64-bit value read (two uint32 halves). */
export interface ProtobufReader {
  readonly bytes: Uint8Array;
  /** Made on the first fixed-width read (most messages have none: a DataView costs as much as a small message). */
  view: DataView | undefined;
  pos: number;
  lo: number;
  hi: number;
  /** Messages entered and not yet left (a limit stops deep nesting before the stack does). */
  depth: number;
}

/** How deep messages may nest in the bytes (protobuf's own default recursion limit). */
const PROTOBUF_MAX_DEPTH = 100;

/** The global TextDecoder (every Lambda Node.js runtime has it), typed with only what is used here. */
const protobufUtf8: { decode(bytes: Uint8Array): string } = new (
  globalThis as unknown as {
    TextDecoder: new (
      label: 'utf-8',
      options: { fatal: true; ignoreBOM: true },
    ) => { decode(bytes: Uint8Array): string };
  }
).TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function protobufReader(bytes: Uint8Array): ProtobufReader {
  return {
    bytes,
    view: undefined,
    pos: 0,
    lo: 0,
    hi: 0,
    depth: 0,
  };
}

/**
 * The prototype of decoded maps: empty, frozen, with no prototype itself. A map's keys are
 * therefore all data (`__proto__`, `toString`), and unlike `Object.create(null)` objects, which V8
 * keeps in dictionary mode (a fresh key costs ~8x more), maps made from it stay fast.
 */
const PROTOBUF_MAP_PROTOTYPE: object = Object.freeze(Object.create(null));

/** A new, empty map object (see PROTOBUF_MAP_PROTOTYPE). */
export function protobufMap<V>(): Record<string, V> {
  return Object.create(PROTOBUF_MAP_PROTOTYPE) as Record<string, V>;
}

function protobufView(r: ProtobufReader): DataView {
  if (r.view === undefined) r.view = new DataView(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength);
  return r.view;
}

/** Counts a message entered: an error past PROTOBUF_MAX_DEPTH levels. */
export function protobufEnter(r: ProtobufReader): void {
  if (++r.depth > PROTOBUF_MAX_DEPTH)
    throw new BinaryDecodeError(r.pos, `messages nested at most ${PROTOBUF_MAX_DEPTH} deep`);
}

/** Reads a varint of up to 10 bytes into `r.lo` and `r.hi` (the low and high 32 bits). */
export function protobufVarint64(r: ProtobufReader, end: number): void {
  const bytes = r.bytes;
  const start = r.pos;
  let lo = 0;
  let hi = 0;
  let shift = 0;
  let pos = start;
  for (;;) {
    if (pos >= end) throw new BinaryDecodeError(pos, 'a varint byte', 'the end of the bytes');
    const b = bytes[pos++] as number;
    if (shift < 28) lo |= (b & 0x7f) << shift;
    else if (shift === 28) {
      lo |= (b & 0x0f) << 28;
      hi |= (b & 0x7f) >>> 4;
    } else hi |= (b & 0x7f) << (shift - 32);
    if (b < 0x80) break;
    shift += 7;
    if (shift >= 70) throw new BinaryDecodeError(start, 'a varint of at most 10 bytes');
  }
  r.pos = pos;
  r.lo = lo >>> 0;
  r.hi = hi >>> 0;
}

/** A varint's low 32 bits as an unsigned number (uint32; also lengths and tags before their checks). */
export function protobufUint32(r: ProtobufReader, end: number): number {
  const bytes = r.bytes;
  const pos = r.pos;
  const b = pos < end ? (bytes[pos] as number) : 0x80;
  if (b < 0x80) {
    r.pos = pos + 1;
    return b;
  }
  protobufVarint64(r, end);
  return r.lo;
}

/** int32 and enums: the low 32 bits, signed. */
export function protobufInt32(r: ProtobufReader, end: number): number {
  return protobufUint32(r, end) | 0;
}

export function protobufSint32(r: ProtobufReader, end: number): number {
  const n = protobufUint32(r, end);
  return (n >>> 1) ^ -(n & 1);
}

export function protobufBool(r: ProtobufReader, end: number): boolean {
  const pos = r.pos;
  const b = pos < end ? (r.bytes[pos] as number) : 0x80;
  if (b < 0x80) {
    r.pos = pos + 1;
    return b !== 0;
  }
  protobufVarint64(r, end);
  return r.lo !== 0 || r.hi !== 0;
}

/** `r.lo`/`r.hi` as a number: signed or not; an error (at `start`) outside +-(2^53-1). */
function protobufLongNumber(r: ProtobufReader, signed: boolean, start: number): number {
  let lo = r.lo;
  let hi = r.hi;
  let sign = 1;
  if (signed && hi >>> 31 !== 0) {
    sign = -1;
    lo = (~lo + 1) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
  }
  if (hi > 0x1fffff)
    throw new BinaryDecodeError(start, 'a long within +-2^53-1 (set "longs": "bigint" for the full range)');
  return sign * (hi * 4294967296 + lo);
}

function protobufLongBigInt(r: ProtobufReader, signed: boolean): bigint {
  const v = (BigInt(r.hi) << 32n) | BigInt(r.lo);
  return signed ? BigInt.asIntN(64, v) : v;
}

/** Zig-zag decodes `r.lo`/`r.hi` in place (sint64). */
function protobufZigZag64(r: ProtobufReader): void {
  const mask = -(r.lo & 1);
  r.lo = (((r.lo >>> 1) | (r.hi << 31)) ^ mask) >>> 0;
  r.hi = ((r.hi >>> 1) ^ mask) >>> 0;
}

/** Reads 8 little-endian bytes into `r.lo`/`r.hi`. */
function protobufFixed64Bits(r: ProtobufReader, end: number): void {
  if (end - r.pos < 8) throw new BinaryDecodeError(r.pos, '8 bytes', `${end - r.pos}`);
  r.lo = protobufView(r).getUint32(r.pos, true);
  r.hi = protobufView(r).getUint32(r.pos + 4, true);
  r.pos += 8;
}

export function protobufInt64(r: ProtobufReader, end: number): number {
  const start = r.pos;
  protobufVarint64(r, end);
  return protobufLongNumber(r, true, start);
}

export function protobufInt64BigInt(r: ProtobufReader, end: number): bigint {
  protobufVarint64(r, end);
  return protobufLongBigInt(r, true);
}

export function protobufUint64(r: ProtobufReader, end: number): number {
  const start = r.pos;
  protobufVarint64(r, end);
  return protobufLongNumber(r, false, start);
}

export function protobufUint64BigInt(r: ProtobufReader, end: number): bigint {
  protobufVarint64(r, end);
  return protobufLongBigInt(r, false);
}

export function protobufSint64(r: ProtobufReader, end: number): number {
  const start = r.pos;
  protobufVarint64(r, end);
  protobufZigZag64(r);
  return protobufLongNumber(r, true, start);
}

export function protobufSint64BigInt(r: ProtobufReader, end: number): bigint {
  protobufVarint64(r, end);
  protobufZigZag64(r);
  return protobufLongBigInt(r, true);
}

export function protobufFixed64(r: ProtobufReader, end: number): number {
  const start = r.pos;
  protobufFixed64Bits(r, end);
  return protobufLongNumber(r, false, start);
}

export function protobufFixed64BigInt(r: ProtobufReader, end: number): bigint {
  protobufFixed64Bits(r, end);
  return protobufLongBigInt(r, false);
}

export function protobufSfixed64(r: ProtobufReader, end: number): number {
  const start = r.pos;
  protobufFixed64Bits(r, end);
  return protobufLongNumber(r, true, start);
}

export function protobufSfixed64BigInt(r: ProtobufReader, end: number): bigint {
  protobufFixed64Bits(r, end);
  return protobufLongBigInt(r, true);
}

export function protobufFixed32(r: ProtobufReader, end: number): number {
  if (end - r.pos < 4) throw new BinaryDecodeError(r.pos, '4 bytes', `${end - r.pos}`);
  const v = protobufView(r).getUint32(r.pos, true);
  r.pos += 4;
  return v;
}

export function protobufSfixed32(r: ProtobufReader, end: number): number {
  return protobufFixed32(r, end) | 0;
}

export function protobufFloat(r: ProtobufReader, end: number): number {
  if (end - r.pos < 4) throw new BinaryDecodeError(r.pos, '4 bytes', `${end - r.pos}`);
  const v = protobufView(r).getFloat32(r.pos, true);
  r.pos += 4;
  return v;
}

export function protobufDouble(r: ProtobufReader, end: number): number {
  if (end - r.pos < 8) throw new BinaryDecodeError(r.pos, '8 bytes', `${end - r.pos}`);
  const v = protobufView(r).getFloat64(r.pos, true);
  r.pos += 8;
  return v;
}

/** Reads a length prefix and returns where the length-delimited value ends (an error past `end`). */
export function protobufLengthEnd(r: ProtobufReader, end: number): number {
  const start = r.pos;
  const first = start < end ? (r.bytes[start] as number) : 0x80;
  if (first < 0x80 && first < end - start) {
    r.pos = start + 1;
    return start + 1 + first;
  }
  protobufVarint64(r, end);
  if (r.hi !== 0 || r.lo > end - r.pos)
    throw new BinaryDecodeError(
      start,
      `a length of at most ${end - r.pos} (the bytes left)`,
      `${r.hi * 4294967296 + r.lo}`,
    );
  return r.pos + r.lo;
}

/** A length-delimited UTF-8 string (bad UTF-8 is an error). */
export function protobufString(r: ProtobufReader, end: number): string {
  const stop = protobufLengthEnd(r, end);
  const start = r.pos;
  r.pos = stop;
  if (stop === start) return '';
  if (stop - start <= 16) {
    // Short ASCII text (keys, names, codes) is faster decoded here than by TextDecoder (measured: ~3x for 3-5 bytes).
    const bytes = r.bytes;
    const codes = new Array<number>(stop - start);
    let i = start;
    for (; i < stop; i++) {
      const b = bytes[i] as number;
      if (b >= 0x80) break;
      codes[i - start] = b;
    }
    if (i === stop) return String.fromCharCode.apply(null, codes);
  }
  try {
    return protobufUtf8.decode(r.bytes.subarray(start, stop));
  } catch {
    throw new BinaryDecodeError(start, 'valid UTF-8');
  }
}

/** Length-delimited bytes: a subarray of the input (no copy; it shares the input's memory). */
export function protobufBytes(r: ProtobufReader, end: number): Uint8Array {
  const stop = protobufLengthEnd(r, end);
  const value = r.bytes.subarray(r.pos, stop);
  r.pos = stop;
  return value;
}

/** Reads a field tag: `(field number << 3) | wire type`; field number 0 or a tag over 32 bits is an error. */
export function protobufTag(r: ProtobufReader, end: number): number {
  const start = r.pos;
  const tag = protobufUint32(r, end);
  if (r.pos - start > 5 || tag >>> 3 === 0 || (r.pos - start === 5 && (r.bytes[r.pos - 1] as number) > 0x0f))
    throw new BinaryDecodeError(start, 'a field tag (a field number from 1)');
  return tag;
}

const PROTOBUF_WIRE_TYPES = ['VARINT', 'I64', 'LEN', 'SGROUP', 'EGROUP', 'I32', 'wire type 6', 'wire type 7'];

/** The error for a known field that came with another wire type; `at` is the tag's offset. */
export function protobufWireTypeError(at: number, tag: number, field: string, expected: number): never {
  throw new BinaryDecodeError(
    at,
    `field ${field} (number ${tag >>> 3}) as ${PROTOBUF_WIRE_TYPES[expected]}`,
    PROTOBUF_WIRE_TYPES[tag & 7],
  );
}

/** Skips the value of an unknown field with tag `tag` (groups to their matching end, nesting allowed). */
export function protobufSkip(r: ProtobufReader, tag: number, end: number, at: number): void {
  switch (tag & 7) {
    case 0:
      protobufVarint64(r, end);
      return;
    case 1:
      if (end - r.pos < 8) throw new BinaryDecodeError(r.pos, '8 bytes', `${end - r.pos}`);
      r.pos += 8;
      return;
    case 2:
      r.pos = protobufLengthEnd(r, end);
      return;
    case 5:
      if (end - r.pos < 4) throw new BinaryDecodeError(r.pos, '4 bytes', `${end - r.pos}`);
      r.pos += 4;
      return;
    case 3: {
      const open: number[] = [tag >>> 3];
      while (open.length > 0) {
        if (r.pos >= end) throw new BinaryDecodeError(r.pos, `the end of group ${open.at(-1)}`, 'the end of the bytes');
        const innerAt = r.pos;
        const inner = protobufTag(r, end);
        const wire = inner & 7;
        if (wire === 4) {
          if (inner >>> 3 !== open.pop()) throw new BinaryDecodeError(innerAt, 'the end of the open group');
        } else if (wire === 3) {
          if (open.length >= PROTOBUF_MAX_DEPTH)
            throw new BinaryDecodeError(innerAt, `groups nested at most ${PROTOBUF_MAX_DEPTH} deep`);
          open.push(inner >>> 3);
        } else protobufSkip(r, inner, end, innerAt);
      }
      return;
    }
    default:
      throw new BinaryDecodeError(at, 'a field tag with wire type 0, 1, 2, 3 or 5', PROTOBUF_WIRE_TYPES[tag & 7]);
  }
}
