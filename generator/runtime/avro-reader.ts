/**
 * The byte-reading primitives of generated Avro decoders (emit/avro.ts), per the Avro 1.12
 * specification's "Binary Encoding". A reader is the bytes and an offset: each function
 * reads one value at the offset and moves it on, or throws a BinaryDecodeError saying where
 * and what it expected. Every length and count is checked against the bytes left before
 * anything is read or allocated, so no input makes a decoder allocate more than its input's
 * size or loop longer than it (items of no bytes, such as nulls, have a budget of their own:
 * AVRO_MAX_FREE_ITEMS); recursion is bounded (AVRO_MAX_DEPTH). Copied into generated code
 * (emit/runtime-source.ts: avroReaderSource), so no imports but BinaryDecodeError, which
 * generated code declares before this, and no Node API.
 */
import { BinaryDecodeError } from './binary-decode-error.js';

/** The bytes being decoded and the offset of the next byte to read. */
export interface AvroReader {
  readonly bytes: Uint8Array;
  pos: number;
  /** How many recursive records the decoder is inside (bounded by AVRO_MAX_DEPTH). */
  depth: number;
  /** How many more items that take no bytes (nulls, empty records) arrays and maps may hold: each costs a loop turn, not a byte. */
  free: number;
}

/** The deepest nesting of recursive records a decoder follows before it reports an error (instead of overflowing the stack). */
export const AVRO_MAX_DEPTH = 1000;

/** The most items that take no bytes one decoded value may hold, in all its arrays together (else a few bytes could make a decoder loop for minutes). */
export const AVRO_MAX_FREE_ITEMS = 1048576;

/** The global TextDecoder, strict (bad UTF-8 is an error) and keeping a leading U+FEFF; typed here so no DOM or Node types are needed. */
const avroUtf8 = new (
  globalThis as unknown as {
    TextDecoder: new (
      label: 'utf-8',
      options: { fatal: true; ignoreBOM: true },
    ) => { decode(bytes: Uint8Array): string };
  }
).TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The prototype of decoded maps: empty, frozen, with no prototype itself. A map's keys are
 * therefore all data (`__proto__`, `toString`), and unlike `Object.create(null)` objects, which V8
 * keeps in dictionary mode (a fresh key costs several times more), maps made from it stay fast.
 */
const AVRO_MAP_PROTOTYPE: object = Object.freeze(Object.create(null));

/** A new, empty map object (see AVRO_MAP_PROTOTYPE). */
export function avroMap<V>(): Record<string, V> {
  return Object.create(AVRO_MAP_PROTOTYPE) as Record<string, V>;
}

export function avroReader(bytes: Uint8Array): AvroReader {
  return { bytes, pos: 0, depth: 0, free: AVRO_MAX_FREE_ITEMS };
}

/** Throws unless every byte was read: a value followed by more bytes is not a value of the schema. */
export function avroEnd(r: AvroReader): void {
  if (r.pos !== r.bytes.length)
    throw new BinaryDecodeError(r.pos, 'the end of the bytes', `${r.bytes.length - r.pos} more`);
}

/** Enters a recursive record; the caller leaves it with `r.depth--`. */
export function avroEnter(r: AvroReader): void {
  if (++r.depth > AVRO_MAX_DEPTH)
    throw new BinaryDecodeError(r.pos, `recursive records nested at most ${AVRO_MAX_DEPTH} deep`);
}

function avroTruncated(r: AvroReader, what: string): BinaryDecodeError {
  return new BinaryDecodeError(r.pos, what, 'the end of the bytes');
}

/** `int`: a zig-zag varint of at most 5 bytes whose value fits 32 bits. */
export function avroInt(r: AvroReader): number {
  const bytes = r.bytes;
  const start = r.pos;
  const first = bytes[start];
  if (first !== undefined && first < 0x80) {
    r.pos = start + 1;
    return (first >>> 1) ^ -(first & 1);
  }
  let pos = start;
  let n = 0;
  for (let shift = 0; ; shift += 7) {
    const b = bytes[pos++];
    if (b === undefined) throw avroTruncated(r, 'an int');
    if (shift === 28 && b > 0x0f) throw new BinaryDecodeError(start, 'an int of at most 32 bits');
    n |= (b & 0x7f) << shift;
    if (b < 0x80) break;
  }
  r.pos = pos;
  return (n >>> 1) ^ -(n & 1);
}

/** The low (unsigned) and high (signed) 32 bits of the last `long` avroReadLongParts read. */
const avroLongParts = { lo: 0, hi: 0 };

/** Reads a zig-zag `long` (a varint of at most 10 bytes whose value fits 64 bits) into avroLongParts. */
function avroReadLongParts(r: AvroReader): void {
  const bytes = r.bytes;
  let pos = r.pos;
  let lo = 0;
  let hi = 0;
  let b: number | undefined;
  for (let shift = 0; shift < 28; shift += 7) {
    b = bytes[pos++];
    if (b === undefined) throw avroTruncated(r, 'a long');
    lo |= (b & 0x7f) << shift;
    if (b < 0x80) return avroZigZag(r, pos, lo, 0);
  }
  b = bytes[pos++];
  if (b === undefined) throw avroTruncated(r, 'a long');
  lo |= (b & 0x7f) << 28;
  hi = (b & 0x7f) >>> 4;
  if (b < 0x80) return avroZigZag(r, pos, lo, hi);
  for (let shift = 3; shift <= 31; shift += 7) {
    b = bytes[pos++];
    if (b === undefined) throw avroTruncated(r, 'a long');
    if (shift === 31 && b > 0x01) throw new BinaryDecodeError(r.pos, 'a long of at most 64 bits');
    hi |= (b & 0x7f) << shift;
    if (b < 0x80) return avroZigZag(r, pos, lo, hi);
  }
  throw new BinaryDecodeError(r.pos, 'a long of at most 10 bytes');
}

function avroZigZag(r: AvroReader, pos: number, lo: number, hi: number): void {
  r.pos = pos;
  const negative = lo & 1;
  let l = (lo >>> 1) | (hi << 31);
  let h = hi >>> 1;
  if (negative) {
    l = ~l;
    h = ~h;
  }
  avroLongParts.lo = l >>> 0;
  avroLongParts.hi = h | 0;
}

/** `long` as a number: a value beyond ±(2^53-1) is an error, never a rounded number. */
export function avroLong(r: AvroReader): number {
  const bytes = r.bytes;
  const start = r.pos;
  let pos = start;
  let b = bytes[pos++];
  if (b === undefined) throw avroTruncated(r, 'a long');
  if (b < 0x80) {
    r.pos = pos;
    return (b >>> 1) ^ -(b & 1);
  }
  // Up to 7 bytes (49 bits) the arithmetic on numbers is exact; longer ones are read as two 32-bit halves.
  let n = b & 0x7f;
  let scale = 128;
  for (let k = 1; k < 7; k++) {
    b = bytes[pos++];
    if (b === undefined) throw avroTruncated(r, 'a long');
    n += (b & 0x7f) * scale;
    if (b < 0x80) {
      r.pos = pos;
      return n % 2 === 1 ? -(n + 1) / 2 : n / 2;
    }
    scale *= 128;
  }
  avroReadLongParts(r);
  const value = avroLongParts.hi * 4294967296 + avroLongParts.lo;
  if (!Number.isSafeInteger(value))
    throw new BinaryDecodeError(start, 'a long within +-2^53-1 (set "longs": "bigint" for the full range)');
  return value;
}

/** `long` as a bigint: the full 64-bit range. */
export function avroLongBigInt(r: AvroReader): bigint {
  avroReadLongParts(r);
  return (BigInt(avroLongParts.hi) << 32n) | BigInt(avroLongParts.lo);
}

/** A length or count that must be at most the bytes left (`perItem` bytes each at least): checked before reading or allocating. */
function avroSize(r: AvroReader, what: string, perItem: number): number {
  const start = r.pos;
  const n = avroLong(r);
  if (n < 0) throw new BinaryDecodeError(start, `a ${what} of 0 or more`, String(n));
  if (n * perItem > r.bytes.length - r.pos)
    throw new BinaryDecodeError(start, `a ${what} that fits the ${r.bytes.length - r.pos} bytes left`, String(n));
  return n;
}

/** `boolean`: one byte, 0 or 1. */
export function avroBoolean(r: AvroReader): boolean {
  const b = r.bytes[r.pos];
  if (b === undefined) throw avroTruncated(r, 'a boolean');
  if (b > 1) throw new BinaryDecodeError(r.pos, 'a boolean (0 or 1)', String(b));
  r.pos++;
  return b === 1;
}

/** Where a float's bytes are copied to be read (a DataView per decoded value would cost more than the value). */
const avroScratch = new Uint8Array(8);
const avroScratchView = new DataView(avroScratch.buffer);

/** `float`: 4 bytes, IEEE 754 little-endian. */
export function avroFloat(r: AvroReader): number {
  const pos = r.pos;
  if (pos + 4 > r.bytes.length) throw avroTruncated(r, 'a float (4 bytes)');
  for (let i = 0; i < 4; i++) avroScratch[i] = r.bytes[pos + i] as number;
  r.pos = pos + 4;
  return avroScratchView.getFloat32(0, true);
}

/** `double`: 8 bytes, IEEE 754 little-endian. */
export function avroDouble(r: AvroReader): number {
  const pos = r.pos;
  const bytes = r.bytes;
  if (pos + 8 > bytes.length) throw avroTruncated(r, 'a double (8 bytes)');
  for (let i = 0; i < 8; i++) avroScratch[i] = bytes[pos + i] as number;
  r.pos = pos + 8;
  return avroScratchView.getFloat64(0, true);
}

/** A little-endian unsigned 32-bit int at `pos` (in bounds). */
function avroUint32(bytes: Uint8Array, pos: number): number {
  return (
    ((bytes[pos] as number) |
      ((bytes[pos + 1] as number) << 8) |
      ((bytes[pos + 2] as number) << 16) |
      ((bytes[pos + 3] as number) << 24)) >>>
    0
  );
}

/** `fixed` of `size` bytes: a copy (a Uint8Array of its own, not a view of the input). */
export function avroFixed(r: AvroReader, size: number): Uint8Array {
  if (r.pos + size > r.bytes.length) throw avroTruncated(r, `${size} bytes of a fixed`);
  const value = new Uint8Array(r.bytes.subarray(r.pos, r.pos + size));
  r.pos += size;
  return value;
}

/** `bytes`: a long length, then the bytes; a copy (a Uint8Array of its own, not a view of the input). */
export function avroBytes(r: AvroReader): Uint8Array {
  const length = avroSize(r, 'byte length', 1);
  const value = new Uint8Array(r.bytes.subarray(r.pos, r.pos + length));
  r.pos += length;
  return value;
}

/** `string`: a long length, then that many bytes of UTF-8 (invalid UTF-8 is an error). */
export function avroString(r: AvroReader): string {
  const length = avroSize(r, 'string length', 1);
  const start = r.pos;
  r.pos += length;
  if (length < 64) {
    // Short text (most keys, ids, names) is quicker decoded here than by a TextDecoder call.
    const text = avroShortUtf8(r.bytes, start, start + length);
    if (text !== undefined) return text;
  }
  try {
    return avroUtf8.decode(r.bytes.subarray(start, start + length));
  } catch {
    throw new BinaryDecodeError(start, `${length} bytes of UTF-8 text`, 'invalid UTF-8');
  }
}

/**
 * `bytes[start..end)` as UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF), or undefined when they are not UTF-8 (the caller's TextDecoder then reports it).
 */
function avroShortUtf8(bytes: Uint8Array, start: number, end: number): string | undefined {
  let text = '';
  let i = start;
  while (i < end) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      text += String.fromCharCode(b);
      i++;
      continue;
    }
    let need: number;
    let code: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      code = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      code = b & 0x0f;
      if (b === 0xe0) low = 0xa0;
      else if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      code = b & 0x07;
      if (b === 0xf0) low = 0x90;
      else if (b === 0xf4) high = 0x8f;
    } else return undefined;
    if (i + need >= end) return undefined;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k] as number;
      if (c < low || c > high) return undefined;
      low = 0x80;
      high = 0xbf;
      code = (code << 6) | (c & 0x3f);
    }
    i += need + 1;
    text +=
      code > 0xffff
        ? String.fromCharCode(0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff))
        : String.fromCharCode(code);
  }
  return text;
}

/**
 * The item count of the next block of an array or map: 0 ends it. A negative count is
 * followed by the block's size in bytes (skipped: the items are read). `perItem` is the
 * fewest bytes one item takes; a count of items that cannot fit the bytes left is an
 * error; items of no bytes (`null`) count against AVRO_MAX_FREE_ITEMS instead.
 */
export function avroBlock(r: AvroReader, perItem: number): number {
  const start = r.pos;
  let n = avroLong(r);
  if (n < 0) {
    n = -n;
    avroSize(r, 'block size', 1);
  }
  if (perItem === 0) {
    r.free -= n;
    if (r.free < 0)
      throw new BinaryDecodeError(start, `at most ${AVRO_MAX_FREE_ITEMS} items of no bytes in one value`, String(n));
  } else if (n * perItem > r.bytes.length - r.pos)
    throw new BinaryDecodeError(start, `a block count that fits the ${r.bytes.length - r.pos} bytes left`, String(n));
  return n;
}

/** A union's branch index: below `branches`. */
export function avroBranch(r: AvroReader, branches: number): number {
  const start = r.pos;
  const index = avroLong(r);
  if (index < 0 || index >= branches)
    throw new BinaryDecodeError(start, `a union branch index below ${branches}`, String(index));
  return index;
}

/** An enum's symbol index: below `symbols`. */
export function avroEnumIndex(r: AvroReader, symbols: number): number {
  const start = r.pos;
  const index = avroInt(r);
  if (index < 0 || index >= symbols)
    throw new BinaryDecodeError(start, `an enum symbol index below ${symbols}`, String(index));
  return index;
}

/**
 * `decimal` on `bytes` (a long length) or on a `fixed` (`size`): the two's-complement
 * big-endian unscaled integer as exact decimal text with `scale` digits after the point
 * ("-12.30" for -1230 at scale 2). At most `maxBytes` bytes (what the precision needs), and
 * at least one.
 */
export function avroDecimal(r: AvroReader, scale: number, maxBytes: number, size?: number): string {
  const start = r.pos;
  const length = size ?? avroSize(r, 'decimal length', 1);
  if (length === 0 || length > maxBytes)
    throw new BinaryDecodeError(start, `a decimal of 1 to ${maxBytes} bytes`, `${length} bytes`);
  if (r.pos + length > r.bytes.length) throw avroTruncated(r, `${length} bytes of a decimal`);
  let unscaled = 0n;
  for (let i = r.pos; i < r.pos + length; i++) unscaled = (unscaled << 8n) | BigInt(r.bytes[i] ?? 0);
  if ((r.bytes[r.pos] ?? 0) >= 0x80) unscaled -= 1n << BigInt(8 * length);
  r.pos += length;
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text =
    scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

/** `uuid` on a `fixed` of 16 bytes: the RFC 4122 text form, lower case. */
export function avroUuid(r: AvroReader): string {
  if (r.pos + 16 > r.bytes.length) throw avroTruncated(r, '16 bytes of a uuid');
  let hex = '';
  for (let i = r.pos; i < r.pos + 16; i++) hex += (r.bytes[i] ?? 0).toString(16).padStart(2, '0');
  r.pos += 16;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `duration` (a `fixed` of 12 bytes): three little-endian unsigned 32-bit ints. */
export function avroDuration(r: AvroReader): { months: number; days: number; milliseconds: number } {
  if (r.pos + 12 > r.bytes.length) throw avroTruncated(r, '12 bytes of a duration');
  const value = {
    months: avroUint32(r.bytes, r.pos),
    days: avroUint32(r.bytes, r.pos + 4),
    milliseconds: avroUint32(r.bytes, r.pos + 8),
  };
  r.pos += 12;
  return value;
}
