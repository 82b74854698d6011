/**
 * Generated Avro codecs (emit/avro.ts with runtime/avro-reader.ts): they type-check under the
 * strictest settings, and decode what avsc 5.7.9 (the reference) encodes: thousands of seeded
 * random values per construct, deep-equal to the value encoded. Malformed input (every
 * truncation, byte flips, trailing bytes, absurd lengths) is a BinaryDecodeError, never
 * another exception, a hang, or a value avsc would not give. Powertools' Avro fixtures decode
 * to the values their tests (and docs/payload-formats.md section 3.1) give.
 */
import avro from 'avsc';
import * as path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildCodec,
  type BuiltCodec,
  codecSource,
  normalizeAvro,
  prng,
  randomAvroValue,
  writeSource,
} from './avro-harness.js';
import { CONSTRUCTS, record } from './avro-constructs.js';
import { avroReaderSource } from '../../../generator/emit/runtime-source.js';
import { tempDir } from '../../helpers.js';
import { createProgram, STRICTEST } from '../../typescript.js';

const VALUES_PER_CONSTRUCT = 2000;
const codecs: Record<string, BuiltCodec> = {};
const avscTypes: Record<string, any> = {};

beforeAll(async () => {
  for (const [name, schema] of Object.entries(CONSTRUCTS)) {
    codecs[name] = await buildCodec(schema);
    avscTypes[name] = avro.Type.forSchema(schema as any, { wrapUnions: true });
  }
});

/** Runs `decode` and returns its result, or the BinaryDecodeError it threw (any other exception fails the test). */
function attempt(codec: BuiltCodec, bytes: Uint8Array): { value: unknown } | { error: Error } {
  try {
    return { value: codec.decode(bytes) };
  } catch (error) {
    expect(error).toBeInstanceOf(codec.BinaryDecodeError);
    return { error: error as Error };
  }
}

describe('differential against avsc', () => {
  let cases = 0;
  for (const name of Object.keys(CONSTRUCTS)) {
    it(`${name}: ${VALUES_PER_CONSTRUCT} seeded random values decode to the value avsc encoded`, () => {
      const codec = codecs[name] as BuiltCodec;
      const type = avscTypes[name];
      const random = prng(0x5eed + name.length * 7919 + name.charCodeAt(0));
      for (let i = 0; i < VALUES_PER_CONSTRUCT; i++) {
        const value = randomAvroValue(type, random);
        const bytes = type.toBuffer(value);
        expect(codec.decode(bytes)).toStrictEqual(normalizeAvro(type, value));
        cases++;
      }
    });
  }
  it('ran every construct', () => {
    expect(cases).toBe(Object.keys(CONSTRUCTS).length * VALUES_PER_CONSTRUCT);
  });

  it('decodes a value inside a larger buffer (a subarray with an offset) and returns its own copies of bytes', async () => {
    const codec = codecs.primitives as BuiltCodec;
    const value = { n: null, b: true, i: -3, l: 2 ** 40, f: 1.5, d: -2.25, by: Buffer.from([1, 2, 3]), s: 'héllo' };
    const inner = avscTypes.primitives.toBuffer(value) as Buffer;
    const outer = new Uint8Array(inner.length + 7);
    outer.set(inner, 5);
    const decoded = codec.decode(outer.subarray(5, 5 + inner.length)) as { by: Uint8Array };
    expect(decoded).toStrictEqual({ ...value, by: new Uint8Array([1, 2, 3]) });
    outer[5 + inner.indexOf(3, inner.length - 12)] = 99;
    expect(decoded.by.buffer).not.toBe(outer.buffer);
  });
});

function hasBigNumberOrProto(value: unknown): boolean {
  let found = false;
  JSON.stringify(value, (key, item) => {
    if (key === '__proto__' || (typeof item === 'number' && Math.abs(item) >= 2 ** 52)) found = true;
    return item;
  });
  return found;
}

/** The zig-zag varint of a 64-bit value, written here independently of the reader. */
function zigzagLong(value: bigint): number[] {
  let n = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
  const out: number[] = [];
  do {
    let b = Number(n & 0x7fn);
    n >>= 7n;
    if (n !== 0n) b |= 0x80;
    out.push(b);
  } while (n !== 0n);
  return out;
}

describe('longs', () => {
  it('"number": the full safe range decodes exactly, one past it on either side is a BinaryDecodeError', async () => {
    const codec = await buildCodec('long');
    const safe = 2n ** 53n - 1n;
    for (const v of [0n, 1n, -1n, 63n, -64n, 64n, 2n ** 31n, -(2n ** 31n), 2n ** 32n + 5n, safe, -safe])
      expect(codec.decode(new Uint8Array(zigzagLong(v)))).toBe(Number(v));
    for (const v of [safe + 1n, -safe - 1n, 2n ** 63n - 1n, -(2n ** 63n)]) {
      expect(() => codec.decode(new Uint8Array(zigzagLong(v)))).toThrow(
        /a long within \+-2\^53-1 \(set "longs": "bigint"/,
      );
    }
    // avsc agrees on what it can encode.
    const type = avro.Type.forSchema('long');
    const random = prng(53);
    for (let i = 0; i < 2000; i++) {
      const v = Math.floor((random() - 0.5) * 2 ** (1 + Math.floor(random() * 53)));
      expect(codec.decode(type.toBuffer(v))).toBe(v);
      expect([...type.toBuffer(v)]).toEqual(zigzagLong(BigInt(v)));
    }
  });

  it('"bigint": every 64-bit value, typed bigint', async () => {
    const codec = await buildCodec(
      record('R', [
        ['l', 'long'],
        ['t', { type: 'long', logicalType: 'timestamp-nanos' }],
      ]),
      'bigint',
    );
    expect(codec.codec.types).toContain('  l: bigint;');
    expect(codec.codec.types).toContain('  t: bigint;');
    const random = prng(64);
    const edges = [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n, -(2n ** 53n) - 1n, 2n ** 32n, -(2n ** 32n)];
    for (let i = 0; i < 3000; i++) {
      const pick = (): bigint =>
        random() < 0.2
          ? (edges[Math.floor(random() * edges.length)] as bigint)
          : BigInt.asIntN(
              64,
              (BigInt(Math.floor(random() * 2 ** 32)) << 32n) | BigInt(Math.floor(random() * 2 ** 32)),
            ) >> BigInt(Math.floor(random() * 63));
      const [l, t] = [pick(), pick()];
      expect(codec.decode(new Uint8Array([...zigzagLong(l), ...zigzagLong(t)]))).toStrictEqual({ l, t });
    }
  });

  it('a varint longer than 64 bits or 10 bytes is a BinaryDecodeError', async () => {
    const codec = await buildCodec('long', 'bigint');
    expect(() => codec.decode(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]))).toThrow(
      /at most 64 bits/,
    );
    expect(() =>
      codec.decode(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x81, 0x00])),
    ).toThrow(/at most 64 bits/);
    const int = await buildCodec('int');
    expect(int.decode(new Uint8Array([0xfe, 0xff, 0xff, 0xff, 0x0f]))).toBe(2147483647);
    expect(int.decode(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]))).toBe(-2147483648);
    expect(() => int.decode(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x10]))).toThrow(/an int of at most 32 bits/);
  });
});

describe('logical types with a representation of their own', () => {
  it('decimal (bytes and fixed) is the exact decimal text', async () => {
    const codec = await buildCodec(
      record('Money', [
        ['b', { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 }],
        ['f', { type: 'fixed', name: 'Dec', size: 3, logicalType: 'decimal', precision: 6, scale: 3 }],
        ['z', { type: 'bytes', logicalType: 'decimal', precision: 4 }],
      ]),
    );
    // Hand-computed: -1230 = 0xfb32; 5 = 0x000005; -5 = 0xfffffb; 0; 1234 = 0x04d2; -1 = 0xff.
    const bytes = (...b: number[]) => new Uint8Array(b);
    expect(codec.decode(bytes(4, 0xfb, 0x32, 0, 0, 5, 4, 0x04, 0xd2))).toStrictEqual({
      b: '-12.30',
      f: '0.005',
      z: '1234',
    });
    expect(codec.decode(bytes(2, 0x00, 0xff, 0xff, 0xfb, 2, 0xff))).toStrictEqual({ b: '0.00', f: '-0.005', z: '-1' });
    expect(codec.decode(bytes(4, 0x7f, 0xff, 0x7f, 0xff, 0xff, 2, 0x80))).toStrictEqual({
      b: '327.67',
      f: '8388.607',
      z: '-128',
    });
    // Random unscaled values within the precision, encoded by avsc as plain bytes: decimal text by string arithmetic.
    const plain = avro.Type.forSchema(
      record('Money', [
        ['b', 'bytes'],
        ['f', { type: 'fixed', name: 'Dec', size: 3 }],
        ['z', 'bytes'],
      ]) as any,
    );
    const random = prng(10);
    const twos = (v: bigint, size?: number): Buffer => {
      let length = size ?? 1;
      while (size === undefined && (v >= 1n << BigInt(8 * length - 1) || v < -(1n << BigInt(8 * length - 1)))) length++;
      const hex = BigInt.asUintN(8 * length, v)
        .toString(16)
        .padStart(2 * length, '0');
      return Buffer.from(hex, 'hex');
    };
    const text = (v: bigint, scale: number): string => {
      const sign = v < 0n ? '-' : '';
      const abs = v < 0n ? -v : v;
      if (scale === 0) return `${sign}${abs}`;
      const unit = 10n ** BigInt(scale);
      return `${sign}${abs / unit}.${String(abs % unit).padStart(scale, '0')}`;
    };
    for (let i = 0; i < 2000; i++) {
      const within = (digits: number) =>
        BigInt(Math.floor((random() * 2 - 1) * 10 ** Math.floor(random() * (digits + 1))));
      const [b, f, z] = [within(9), within(6), within(4)];
      const encoded = plain.toBuffer({ b: twos(b), f: twos(f, 3), z: twos(z) });
      expect(codec.decode(encoded)).toStrictEqual({ b: text(b, 2), f: text(f, 3), z: text(z, 0) });
    }
    // More bytes than the precision needs, or none, is an error.
    expect(() => codec.decode(bytes(10, 1, 2, 3, 4, 5, 0, 0, 5, 2, 1))).toThrow(
      /at byte 0: expected a decimal of 1 to 4 bytes, found 5 bytes/,
    );
    expect(() => codec.decode(bytes(0, 0, 0, 5, 2, 1))).toThrow(/a decimal of 1 to 4 bytes, found 0 bytes/);
  });

  it('duration is { months, days, milliseconds } and uuid on a fixed its text form', async () => {
    const codec = await buildCodec(
      record('Times', [
        ['d', { type: 'fixed', name: 'Duration', size: 12, logicalType: 'duration' }],
        ['u', { type: 'fixed', name: 'Uuid', size: 16, logicalType: 'uuid' }],
      ]),
    );
    expect(codec.codec.types).toContain(
      'export type Duration = { months: number; days: number; milliseconds: number };',
    );
    const bytes = Buffer.concat([
      Buffer.from('01000000' + '1e000000' + 'ffffffff', 'hex'),
      Buffer.from('574f6a9a95484dea86a3d82c0479a116', 'hex'),
    ]);
    expect(codec.decode(bytes)).toStrictEqual({
      d: { months: 1, days: 30, milliseconds: 4294967295 },
      u: '574f6a9a-9548-4dea-86a3-d82c0479a116',
    });
  });
});

describe('malformed input', () => {
  for (const name of Object.keys(CONSTRUCTS)) {
    it(`${name}: every truncation, byte flips and a trailing byte are BinaryDecodeErrors or what avsc decodes`, () => {
      const codec = codecs[name] as BuiltCodec;
      const type = avscTypes[name];
      const random = prng(0xbad + name.charCodeAt(1));
      for (let i = 0; i < 150; i++) {
        const bytes = type.toBuffer(randomAvroValue(type, random)) as Buffer;
        for (let end = 0; end < bytes.length; end++) {
          const result = attempt(codec, bytes.subarray(0, end));
          // A shorter prefix may itself be a complete value (a map's block ending early): then avsc must agree.
          if ('value' in result)
            expect(result.value).toStrictEqual(normalizeAvro(type, type.fromBuffer(bytes.subarray(0, end))));
          // A prefix reads as the whole does up to the cut: the error is the cut (a read past it, or a length beyond it).
          else {
            expect(result.error.message).toMatch(/found the end of the bytes|fits the \d+ bytes left/);
            expect((result.error as Error & { offset: number }).offset).toBeLessThanOrEqual(end);
          }
        }
        expect('error' in attempt(codec, Buffer.concat([bytes, Buffer.from([0])]))).toBe(true);
        for (let flip = 0; flip < 10 && bytes.length > 0; flip++) {
          const changed = Buffer.from(bytes);
          changed[Math.floor(random() * changed.length)] = Math.floor(random() * 256);
          const result = attempt(codec, changed);
          if ('value' in result) {
            let reference: unknown;
            try {
              reference = normalizeAvro(type, type.fromBuffer(changed));
            } catch {
              throw new Error(`decoded ${changed.toString('hex')}, which avsc rejects`);
            }
            // avsc reads longs with float arithmetic, exact within ±2^52 only; a `__proto__` map key sets its object's prototype.
            if (!hasBigNumberOrProto(reference) && !hasBigNumberOrProto(result.value))
              expect(result.value).toStrictEqual(reference);
          }
        }
      }
    });
  }

  it('absurd lengths and counts fail at once, before allocating', async () => {
    const big = zigzagLong(2n ** 31n);
    const huge = zigzagLong(2n ** 53n - 1n);
    for (const [schema, prefix] of [
      ['string', []],
      ['bytes', []],
      [{ type: 'array', items: 'int' }, []],
      [{ type: 'map', values: 'int' }, []],
    ] as const) {
      const codec = await buildCodec(schema);
      for (const length of [big, huge]) {
        const result = attempt(codec, new Uint8Array([...prefix, ...length, 1, 2, 3]));
        expect('error' in result && result.error.message).toMatch(/fits the \d+ bytes left/);
      }
    }
    // Negative block counts (with a byte size) decode, as avsc decodes them; a negative length is an error.
    const ints = await buildCodec({ type: 'array', items: 'int' });
    expect(ints.decode(new Uint8Array([0x03, 0x04, 0x02, 0x04, 0x00]))).toStrictEqual([1, 2]);
    expect(() => ints.decode(new Uint8Array([0x03, 0x7f, 0x02, 0x04, 0x00]))).toThrow(/a block size of 0 or more/);
    const text = await buildCodec('string');
    expect(() => text.decode(new Uint8Array([0x01]))).toThrow(/a string length of 0 or more/);
  });

  it('items of no bytes are bounded in total: a few bytes cannot make the decoder loop for long', async () => {
    const nulls = await buildCodec({ type: 'array', items: 'null' });
    expect(nulls.decode(new Uint8Array([0x06, 0x00]))).toStrictEqual([null, null, null]);
    const block = zigzagLong(2n ** 19n);
    const many = new Uint8Array([...Array.from({ length: 3 }, () => block).flat(), 0]);
    expect(() => nulls.decode(many)).toThrow(
      'at byte 6: expected at most 1048576 items of no bytes in one value, found 524288',
    );
  });

  it('deep recursion is a BinaryDecodeError, not a stack overflow', async () => {
    const list = await buildCodec(record('Cell', [['next', ['null', 'Cell']]]));
    expect(list.decode(new Uint8Array([0x02, 0x02, 0x00]))).toStrictEqual({ next: { next: { next: null } } });
    const deep = new Uint8Array(100_001).fill(0x02);
    deep[100_000] = 0;
    expect(() => list.decode(deep)).toThrow(/recursive records nested at most 1000 deep/);
  });

  it('invalid UTF-8 is an error; a leading U+FEFF is kept', async () => {
    const codec = await buildCodec('string');
    expect(() => codec.decode(new Uint8Array([0x04, 0xc3, 0x28]))).toThrow(
      /2 bytes of UTF-8 text, found invalid UTF-8/,
    );
    expect(codec.decode(new Uint8Array([0x08, 0xef, 0xbb, 0xbf, 0x41]))).toBe('\uFEFFA');
  });

  it('strings decode exactly as a strict TextDecoder does (20000 seeded byte sequences, valid and not)', async () => {
    const codec = await buildCodec('string');
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const random = prng(8);
    const interesting = [
      0x00, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x9f, 0xa0, 0x8f,
      0x90,
    ];
    let valid = 0;
    for (let i = 0; i < 20000; i++) {
      const body = Array.from({ length: Math.floor(random() * 12) }, () =>
        random() < 0.6
          ? (interesting[Math.floor(random() * interesting.length)] as number)
          : Math.floor(random() * 256),
      );
      const bytes = new Uint8Array([...zigzagLong(BigInt(body.length)), ...body]);
      let expected: string | undefined;
      try {
        expected = strict.decode(new Uint8Array(body));
      } catch {
        expected = undefined;
      }
      if (expected === undefined) expect(() => codec.decode(bytes)).toThrow(/bytes of UTF-8 text, found invalid UTF-8/);
      else {
        expect(codec.decode(bytes)).toBe(expected);
        valid++;
      }
    }
    expect(valid).toBeGreaterThan(1000);
  });

  it('booleans other than 0 and 1, enum indexes and union branches out of range are errors naming the offset', async () => {
    const codec = codecs.unions as BuiltCodec;
    const error = attempt(codec, new Uint8Array([0x00, 0x02, 0x00, 0x00, 0x10]));
    expect('error' in error && error.error.message).toBe('at byte 4: expected a union branch index below 8, found 8');
    const enums = codecs.enums as BuiltCodec;
    expect(() => enums.decode(new Uint8Array([0x08, 0x00, 0x00]))).toThrow(
      'at byte 0: expected an enum symbol index below 4, found 4',
    );
    const bool = await buildCodec('boolean');
    expect(() => bool.decode(new Uint8Array([2]))).toThrow('at byte 0: expected a boolean (0 or 1), found 2');
  });
});

describe('Powertools fixtures (docs/payload-formats.md 3.1)', () => {
  it('the Product records of tests/events/avro.json', async () => {
    const codec = await buildCodec({
      type: 'record',
      name: 'Product',
      fields: [
        { name: 'id', type: 'int' },
        { name: 'name', type: 'string' },
        { name: 'price', type: 'double' },
      ],
    });
    const decode = (b64: string) => codec.decode(Buffer.from(b64, 'base64'));
    expect(decode('0g8MTGFwdG9wUrgehes/j0A=')).toStrictEqual({ id: 1001, name: 'Laptop', price: 999.99 });
    expect(decode('1A8UU21hcnRwaG9uZVK4HoXrv4JA')).toStrictEqual({ id: 1002, name: 'Smartphone', price: 599.99 });
    expect(decode('1g8USGVhZHBob25lc0jhehSuv2JA')).toStrictEqual({ id: 1003, name: 'Headphones', price: 149.99 });
  });

  it('the Glue-framed User docs sample, after its 18 header bytes; the whole buffer is an error', async () => {
    const codec = await buildCodec({
      type: 'record',
      name: 'User',
      namespace: 'com.example',
      fields: [
        { name: 'name', type: 'string' },
        { name: 'age', type: 'int' },
      ],
    });
    const bytes = Buffer.from('AwBXT2qalUhN6oaj2CwEeaEWFFBvd2VydG9vbHMK', 'base64');
    expect(codec.decode(bytes.subarray(18))).toStrictEqual({ name: 'Powertools', age: 5 });
    expect(() => codec.decode(bytes)).toThrow(codec.BinaryDecodeError);
    // The Python test's Confluent-framed John Doe: decoded unframed it is not the value (trailing bytes).
    const framed = Buffer.concat([Buffer.from([0, 0, 0, 0, 1]), Buffer.from([0x10, ...Buffer.from('John Doe'), 0x3c])]);
    expect(codec.decode(framed.subarray(5))).toStrictEqual({ name: 'John Doe', age: 30 });
    expect(() => codec.decode(framed)).toThrow('at byte 2: expected the end of the bytes, found 13 more');
  });
});

describe('generated source', () => {
  it('every construct type-checks under the strictest settings (no unused code), with no imports', async () => {
    const dir = await tempDir();
    const files: string[] = [];
    for (const [name, schema] of Object.entries(CONSTRUCTS)) {
      for (const longs of ['number', 'bigint'] as const) {
        const { source } = await codecSource(schema, longs);
        expect(source).not.toMatch(/^import /m);
        files.push(await writeSource(dir, `${name}-${longs}.mts`, source));
      }
    }
    const program = createProgram(files, STRICTEST);
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file
        ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
        : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(diagnostics).toEqual([]);
  });

  it('types: records as interfaces with docs, unions unwrapped, enums as literal unions, maps as Record', () => {
    const codec = (codecs.nested as BuiltCodec).codec;
    expect(codec.typeName).toBe('Order');
    expect(codec.decoderName).toBe('decodeOrderAvro');
    expect(codec.declaredTypes).toEqual(['Order', 'Customer', 'Address', 'Item', 'Empty']);
    expect(codec.types).toContain(
      '/**\n * An order\n *\n * Avro record `shop.v1.Order`.\n */\nexport interface Order {',
    );
    expect(codec.types).toContain('  zip: string | null;');
    expect(codec.types).toContain('  byCity: Record<string, Address[]>;');
    expect(codec.types).toContain('  nothing: null[];');
    const unions = (codecs.unions as BuiltCodec).codec.types;
    expect(unions).toContain('  numbers: number;');
    expect(unions).toContain('  nullLast: string | null;');
    expect(unions).toContain(
      '  many: boolean | Uint8Array | Point | Color | (Point | null)[] | Record<string, Color> | Hash | null;',
    );
    expect((codecs.enums as BuiltCodec).codec.types).toContain(
      "/**\n * A card suit\n *\n * Avro enum `Suit`: one of its symbols.\n */\nexport type Suit = 'SPADES' | 'HEARTS' | 'DIAMONDS' | 'CLUBS';",
    );
    const root = (codecs.primitiveRoot as BuiltCodec).codec;
    expect(root.typeName).toBe('Value');
    expect(root.types).toContain('export type Value = Record<string, number | null>;');
  });

  it('`__proto__` is data: a field and a map key, not the prototype', () => {
    const codec = codecs.namespaces as BuiltCodec;
    const type = avscTypes.namespaces;
    const proto = Object.create(null);
    proto.__proto__ = { v: 1 };
    const value = { inner: { v: 2 }, again: { v: 3 }, other: { w: null }, proto, ['__proto__']: 'x' };
    const decoded = codec.decode(type.toBuffer(value)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value).toBe('x');
    const map = decoded.proto as Record<string, unknown>;
    // No Object.prototype in its chain: an empty, frozen prototype that has none (see avroMap).
    expect(Object.getPrototypeOf(Object.getPrototypeOf(map))).toBe(null);
    expect('toString' in map).toBe(false);
    expect(Object.getOwnPropertyDescriptor(map, '__proto__')?.value).toEqual({ v: 1 });
  });

  it('a schema change is a compile error where the changed field is used', async () => {
    const dir = await tempDir();
    const use = [
      "import { decodeOrderAvro, type Order } from './codec.mjs';",
      'export const first: string | undefined = decodeOrderAvro(new Uint8Array()).items[0]?.sku;',
      'export const city = (order: Order): string | null => order.customer.address.zip;',
      '',
    ].join('\n');
    const compile = async (schema: unknown) => {
      await writeSource(dir, 'codec.mts', (await codecSource(schema)).source);
      const program = createProgram([await writeSource(dir, 'use.mts', use)], STRICTEST);
      return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    };
    expect(await compile(CONSTRUCTS.nested)).toEqual([]);
    const renamed = JSON.parse(JSON.stringify(CONSTRUCTS.nested).replace('"name":"sku"', '"name":"code"'));
    expect(await compile(renamed)).toEqual([expect.stringContaining("Property 'sku' does not exist on type 'Item'")]);
    const required = JSON.parse(JSON.stringify(CONSTRUCTS.nested).replace('["null","string"]', '"int"'));
    expect(await compile(required)).toEqual([
      expect.stringContaining("Type 'number' is not assignable to type 'string'"),
    ]);
  });

  it('avroReaderSource: the reader without its import or exports, and only what the given code uses', async () => {
    const all = await avroReaderSource();
    expect(all).not.toMatch(/^import /m);
    expect(all).not.toMatch(/^export /m);
    expect(all).toMatch(/^function avroDecimal\(/m);
    const some = await avroReaderSource(['const x = avroBoolean(r); avroEnd(r);']);
    const declared = [...some.matchAll(/^(?:function|interface|const) (\w+)/gm)].map((m) => m[1]);
    expect(declared).toEqual(['AvroReader', 'avroEnd', 'avroTruncated', 'avroBoolean']);
  });

  it('is deterministic: the same schema gives the same bytes', async () => {
    const a = await codecSource(CONSTRUCTS.nested);
    const b = await codecSource(JSON.parse(JSON.stringify(CONSTRUCTS.nested)));
    expect(a.source).toBe(b.source);
  });
});
