/**
 * The Avro test encoder (runtime/avro-writer.ts, with its descriptor from
 * emit/avro-writer-schema.ts): for every construct the decoder tests use
 * (emit/avro-constructs.ts), thousands of seeded values written by avroEncode decode, by the
 * GENERATED decoder, to the value written, and are the bytes avsc 5.7.9 (the reference) writes
 * for them (or, where a union lets the writer choose, bytes avsc decodes to the same value).
 * Logical types avsc does not know (decimal, uuid, duration) and 64-bit longs are checked
 * against encodings computed here. Every value the decoder could not return is a TypeError
 * whose message is checked whole.
 */
import avro from 'avsc';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAvroSchema } from '../../../generator/core/avro-schema.js';
import { avroWriterSchema } from '../../../generator/emit/avro-writer-schema.js';
import { literal } from '../../../generator/emit/literal.js';
import {
  AVRO_WRITER_MAX_DEPTH,
  AVRO_WRITER_MAX_FREE_ITEMS,
  avroEncode,
  type AvroWriterSchema,
} from '../../../generator/runtime/avro-writer.js';
import { CONSTRUCTS, record } from '../emit/avro-constructs.js';
import { buildCodec, type BuiltCodec, normalizeAvro, prng, randomAvroValue } from '../emit/avro-harness.js';
import { REPO_ROOT, tempDir } from '../../helpers.js';
import { createProgram, STRICTEST } from '../../typescript.js';

// biome-ignore lint/suspicious/noExplicitAny: avsc has no types
type AvscType = any;

const writerSchema = (schema: unknown, longs: 'number' | 'bigint' = 'number'): AvroWriterSchema =>
  avroWriterSchema(parseAvroSchema('/schemas/value.avsc', JSON.stringify(schema)), { longs });

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Whether `value` has a `__proto__` key anywhere (avsc's decoder sets the prototype instead). */
function hasProtoKey(value: unknown): boolean {
  let found = false;
  JSON.stringify(value, (key, item) => {
    if (key === '__proto__') found = true;
    return item instanceof Uint8Array ? [...item] : item;
  });
  return found;
}

/** The zig-zag varint of a 64-bit value, written here independently of the writer. */
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

const VALUES_PER_CONSTRUCT = 2000;

describe('every construct: round trip through the generated decoder, and avsc agrees', () => {
  const codecs: Record<string, BuiltCodec> = {};
  const avscTypes: Record<string, AvscType> = {};
  beforeAll(async () => {
    for (const [name, schema] of Object.entries(CONSTRUCTS)) {
      codecs[name] = await buildCodec(schema);
      avscTypes[name] = avro.Type.forSchema(schema as never, { wrapUnions: true });
    }
  });

  let cases = 0;
  for (const name of Object.keys(CONSTRUCTS)) {
    it(`${name}: ${VALUES_PER_CONSTRUCT} seeded values`, () => {
      const codec = codecs[name] as BuiltCodec;
      const type = avscTypes[name];
      const schema = writerSchema(CONSTRUCTS[name]);
      const random = prng(0x3717e + name.length * 104729 + name.charCodeAt(0));
      let identical = 0;
      for (let i = 0; i < VALUES_PER_CONSTRUCT; i++) {
        const wrapped = randomAvroValue(type, random);
        const value = normalizeAvro(type, wrapped);
        const bytes = avroEncode(schema, value);
        expect(bytes).toBeInstanceOf(Uint8Array);
        expect(codec.decode(bytes)).toStrictEqual(value);
        const reference = type.toBuffer(wrapped) as Buffer;
        if (hex(bytes) === reference.toString('hex')) identical++;
        // Only a union with several branches for one kind of value (int and long, bytes and a fixed) lets the writer choose another branch than avsc's value did.
        else expect(name).toBe('unions');
        if (!hasProtoKey(value)) expect(normalizeAvro(type, type.fromBuffer(Buffer.from(bytes)))).toStrictEqual(value);
        cases++;
      }
      expect(identical).toBeGreaterThan(name === 'unions' ? VALUES_PER_CONSTRUCT / 4 : VALUES_PER_CONSTRUCT - 1);
    });
  }
  it('ran every construct', () => {
    expect(cases).toBe(Object.keys(CONSTRUCTS).length * VALUES_PER_CONSTRUCT);
  });
});

describe('union branches: the first that accepts the value', () => {
  it.each([
    // [union, value, branch index, the bytes after the index (hex)]
    [['int', 'long', 'float', 'double'], 3, 0, '06'],
    [['int', 'long', 'float', 'double'], 2 ** 31, 1, '8080808010'],
    [['int', 'long', 'float', 'double'], 0.5, 2, '0000003f'],
    [['int', 'long', 'float', 'double'], 0.1, 3, '9a9999999999b93f'],
    [['double', 'int'], 3, 0, '0000000000000840'],
    [['float', 'long'], 2 ** 60, 0, '0000805d'],
    [['long', 'float'], 2 ** 60, 1, '0000805d'],
    [[{ type: 'enum', name: 'E', symbols: ['A'] }, 'string'], 'A', 0, '00'],
    [[{ type: 'enum', name: 'E', symbols: ['A'] }, 'string'], 'B', 1, '0242'],
    [[{ type: 'fixed', name: 'F', size: 2 }, 'bytes'], new Uint8Array([1, 2]), 0, '0102'],
    [[{ type: 'fixed', name: 'F', size: 2 }, 'bytes'], new Uint8Array([1]), 1, '0201'],
    [['bytes', { type: 'fixed', name: 'F', size: 2 }], new Uint8Array([1, 2]), 0, '040102'],
    [[{ type: 'fixed', name: 'U', size: 16, logicalType: 'uuid' }, 'string'], 'x', 1, '0278'],
    [
      [{ type: 'fixed', name: 'U', size: 16, logicalType: 'uuid' }, 'string'],
      '00000000-0000-0000-0000-0000000000ff',
      0,
      '000000000000000000000000000000ff',
    ],
    [
      [
        'null',
        record('A', [['a', 'int']]),
        record('B', [
          ['a', 'int'],
          ['b', 'int'],
        ]),
      ],
      { a: 1, b: 2 },
      2,
      '0204',
    ],
    [
      [
        'null',
        record('A', [['a', 'int']]),
        record('B', [
          ['a', 'int'],
          ['b', 'int'],
        ]),
      ],
      { a: 1 },
      1,
      '02',
    ],
    [[record('A', [['a', 'string']]), { type: 'map', values: 'int' }], { a: 1 }, 1, '0202610200'],
    [
      [
        { type: 'map', values: 'int' },
        { type: 'array', items: 'int' },
      ],
      [1],
      1,
      '020200',
    ],
    [['string', { type: 'array', items: 'string' }], ['x'], 1, '02027800'],
    [[{ type: 'array', items: 'string' }, 'null'], [], 0, '00'],
  ] as const)('%j takes %j as branch %i', async (union, value, branch, rest) => {
    const bytes = avroEncode(writerSchema(union), value);
    expect(hex(bytes)).toBe(hex(new Uint8Array(zigzagLong(BigInt(branch)))) + rest);
    const codec = await buildCodec(union);
    expect(codec.decode(bytes)).toEqual(value);
  });
});

describe('logical types with a representation of their own', () => {
  const LOGICAL = record('Logical', [
    ['b', { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 }],
    ['f', { type: 'fixed', name: 'Dec', size: 3, logicalType: 'decimal', precision: 6, scale: 3 }],
    ['z', { type: 'bytes', logicalType: 'decimal', precision: 4 }],
    ['big', { type: 'bytes', logicalType: 'decimal', precision: 40, scale: 5 }],
    ['d', { type: 'fixed', name: 'Duration', size: 12, logicalType: 'duration' }],
    ['u', { type: 'fixed', name: 'Uuid', size: 16, logicalType: 'uuid' }],
    ['su', { type: 'string', logicalType: 'uuid' }],
    ['date', { type: 'int', logicalType: 'date' }],
    ['time', { type: 'int', logicalType: 'time-millis' }],
    ['ts', { type: 'long', logicalType: 'timestamp-nanos' }],
  ]);
  /** The same layout without logical types, for avsc. */
  const PLAIN = record('Logical', [
    ['b', 'bytes'],
    ['f', { type: 'fixed', name: 'Dec', size: 3 }],
    ['z', 'bytes'],
    ['big', 'bytes'],
    ['d', { type: 'fixed', name: 'Duration', size: 12 }],
    ['u', { type: 'fixed', name: 'Uuid', size: 16 }],
    ['su', 'string'],
    ['date', 'int'],
    ['time', 'int'],
    ['ts', 'long'],
  ]);

  /** Decimal text of `unscaled` at `scale`, by string arithmetic. */
  const text = (unscaled: bigint, scale: number): string => {
    const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
    const body = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    return unscaled < 0n ? `-${body}` : body;
  };
  /** Two's complement big-endian: the fewest bytes holding the sign bit (bit length + 1, rounded up to bytes), or `size`. */
  const twos = (n: bigint, size?: number): Buffer => {
    const magnitude = n < 0n ? -n - 1n : n;
    const length = size ?? Math.floor(magnitude.toString(2).length / 8) + 1;
    return Buffer.from(
      BigInt.asUintN(8 * length, n)
        .toString(16)
        .padStart(2 * length, '0'),
      'hex',
    );
  };

  it('decimal, duration, uuid, date, time, timestamp: 3000 seeded values, both long representations', async () => {
    const plain = avro.Type.forSchema(PLAIN as never);
    for (const longs of ['number', 'bigint'] as const) {
      const codec = await buildCodec(LOGICAL, longs);
      const schema = writerSchema(LOGICAL, longs);
      const random = prng(longs === 'number' ? 11 : 12);
      const int = (bits: number) => Math.floor(random() * 2 ** bits);
      const unscaled = (digits: number): bigint => {
        const n = Math.floor(random() * (digits + 1));
        let v = 0n;
        for (let i = 0; i < n; i++) v = v * 10n + BigInt(random() < 0.2 ? 9 : int(3.33) % 10);
        return random() < 0.5 ? -v : v;
      };
      for (let i = 0; i < 3000; i++) {
        const [b, f, z, big] = [unscaled(9), unscaled(6), unscaled(4), unscaled(40)];
        const d = { months: int(32), days: random() < 0.1 ? 4294967295 : int(8), milliseconds: int(32) };
        const uuidBytes = Buffer.from(Array.from({ length: 16 }, () => int(8)));
        const u = uuidBytes.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
        // avsc writes longs with float arithmetic, exact within ±2^52 only.
        const ts = random() < 0.1 ? -(2 ** 52) : int(52) - 2 ** 51;
        const value = {
          b: text(b, 2),
          f: text(f, 3),
          z: text(z, 0),
          big: text(big, 5),
          d,
          u,
          su: random() < 0.5 ? u : 'not a uuid',
          date: int(20) - 2 ** 19,
          time: int(26),
          ts: longs === 'bigint' ? BigInt(ts) : ts,
        };
        const bytes = avroEncode(schema, value);
        expect(codec.decode(bytes)).toStrictEqual(value);
        const durationBytes = Buffer.alloc(12);
        durationBytes.writeUInt32LE(d.months, 0);
        durationBytes.writeUInt32LE(d.days, 4);
        durationBytes.writeUInt32LE(d.milliseconds, 8);
        const expected = plain.toBuffer({
          ...value,
          b: twos(b),
          f: twos(f, 3),
          z: twos(z),
          big: twos(big),
          d: durationBytes,
          u: uuidBytes,
          ts,
        });
        expect(hex(bytes)).toBe(expected.toString('hex'));
      }
    }
  });

  it('decimal edges, by hand: the shortest bytes, sign-extended fixed', () => {
    const schema = writerSchema(LOGICAL);
    const rest = { d: { months: 0, days: 0, milliseconds: 0 }, u: '00000000-0000-0000-0000-000000000000' };
    const rest2 = { su: '', date: 0, time: 0, ts: 0 };
    const encode = (b: string, f: string, z: string, big: string) =>
      hex(avroEncode(schema, { b, f, z, big, ...rest, ...rest2 }).subarray(0, -32));
    // -12.30 = -1230 = 0xfb32; 0.005 = 5 = 0x000005; 1234 = 0x04d2; 0 = 0x00.
    expect(encode('-12.30', '0.005', '1234', '0.00000')).toBe('04fb32' + '000005' + '0404d2' + '0200');
    // 327.67 = 32767 = 0x7fff (2 bytes); -0.005 = 0xfffffb; -128 = 0x80 (1 byte); 1.00000 = 100000 = 0x0186a0.
    expect(encode('327.67', '-0.005', '-128', '1.00000')).toBe('047fff' + 'fffffb' + '0280' + '060186a0');
    // 327.68 = 32768 = 0x008000 (3 bytes: the sign bit); -999.999 = -999999 = 0xf0bdc1; -129 = 0xff7f; -1.00000 = -100000 = 0xfe7960.
    expect(encode('327.68', '-999.999', '-129', '-1.00000')).toBe('06008000' + 'f0bdc1' + '04ff7f' + '06fe7960');
    // The largest of each precision: 9999999.99 = 0x3b9ac9ff; 999.999 = 0x0f423f; -9999 = 0xd8f1.
    expect(encode('9999999.99', '999.999', '-9999', '0.00000')).toBe('083b9ac9ff' + '0f423f' + '04d8f1' + '0200');
  });
});

describe('longs', () => {
  it('"bigint": 3000 seeded 64-bit values, the bytes computed here; the generated decoder reads them back', async () => {
    const codec = await buildCodec('long', 'bigint');
    const schema = writerSchema('long', 'bigint');
    const random = prng(64);
    const edges = [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n, -(2n ** 53n) - 1n, 2n ** 32n, -(2n ** 32n)];
    for (let i = 0; i < 3000; i++) {
      const v =
        random() < 0.2
          ? (edges[Math.floor(random() * edges.length)] as bigint)
          : BigInt.asIntN(
              64,
              (BigInt(Math.floor(random() * 2 ** 32)) << 32n) | BigInt(Math.floor(random() * 2 ** 32)),
            ) >> BigInt(Math.floor(random() * 63));
      const bytes = avroEncode(schema, v);
      expect([...bytes]).toEqual(zigzagLong(v));
      expect(codec.decode(bytes)).toBe(v);
    }
  });

  it('"number": the whole safe range, as avsc writes it within ±2^52', async () => {
    const codec = await buildCodec('long');
    const schema = writerSchema('long');
    for (const v of [0, -1, 1, 2 ** 53 - 1, -(2 ** 53) + 1, 2 ** 31, -(2 ** 31) - 1]) {
      expect([...avroEncode(schema, v)]).toEqual(zigzagLong(BigInt(v)));
      expect(codec.decode(avroEncode(schema, v))).toBe(v);
    }
    const type = avro.Type.forSchema('long');
    const random = prng(52);
    for (let i = 0; i < 2000; i++) {
      const v = Math.floor((random() - 0.5) * 2 ** (1 + Math.floor(random() * 53)));
      expect(hex(avroEncode(schema, v))).toBe(type.toBuffer(v).toString('hex'));
    }
  });

  it('ints: the int32 extremes; -0 is written as 0', () => {
    const schema = writerSchema('int');
    expect(hex(avroEncode(schema, 2147483647))).toBe('feffffff0f');
    expect(hex(avroEncode(schema, -2147483648))).toBe('ffffffff0f');
    expect(hex(avroEncode(schema, -0))).toBe('00');
  });
});

describe('limits the decoder has', () => {
  it(`recursive records nested ${AVRO_WRITER_MAX_DEPTH} deep are written; one more is an error, as the decoder's`, async () => {
    const schema = record('Cell', [['next', ['null', 'Cell']]]);
    const codec = await buildCodec(schema);
    const list = (n: number) => {
      let value: unknown = null;
      for (let i = 0; i < n; i++) value = { next: value };
      return value;
    };
    const bytes = avroEncode(writerSchema(schema), list(AVRO_WRITER_MAX_DEPTH));
    expect(bytes.length).toBe(AVRO_WRITER_MAX_DEPTH);
    expect(codec.decode(bytes)).toStrictEqual(list(AVRO_WRITER_MAX_DEPTH));
    expect(() => codec.decode(new Uint8Array([0x02, ...bytes]))).toThrow(/nested at most 1000 deep/);
    expect(() => avroEncode(writerSchema(schema), list(AVRO_WRITER_MAX_DEPTH + 1))).toThrow(
      new TypeError(
        `value${'.next'.repeat(AVRO_WRITER_MAX_DEPTH)}: expected recursive records nested at most 1000 deep (the decoder's limit), received deeper ones`,
      ),
    );
  });

  it(`${AVRO_WRITER_MAX_FREE_ITEMS} array items of no bytes in one value are written; one more is an error, as the decoder's`, async () => {
    const schema = record('R', [
      ['nulls', { type: 'array', items: 'null' }],
      ['empties', { type: 'array', items: record('Empty', [['zero', { type: 'fixed', name: 'Zero', size: 0 }]]) }],
    ]);
    const codec = await buildCodec(schema);
    const half = AVRO_WRITER_MAX_FREE_ITEMS / 2;
    const value = (extra: number) => ({
      nulls: new Array(half).fill(null),
      empties: Array.from({ length: half + extra }, () => ({ zero: new Uint8Array(0) })),
    });
    const bytes = avroEncode(writerSchema(schema), value(0));
    expect(hex(bytes)).toBe(`${hex(new Uint8Array(zigzagLong(BigInt(half))))}00`.repeat(2));
    expect((codec.decode(bytes) as { nulls: unknown[] }).nulls.length).toBe(half);
    expect(() => avroEncode(writerSchema(schema), value(1))).toThrow(
      new TypeError(
        "value.empties: expected at most 1048576 array items of no bytes (nulls, empty records) in one value (the decoder's limit), received 1048577 in all",
      ),
    );
  });
});

describe('values the decoder could not return are TypeErrors naming the path', () => {
  const SHOP = {
    type: 'record',
    name: 'Order',
    fields: [
      { name: 'id', type: 'long' },
      {
        name: 'items',
        type: {
          type: 'array',
          items: record('Item', [
            ['sku', 'string'],
            ['price', 'double'],
            ['weight', 'float'],
            ['qty', 'int'],
            ['hash', { type: 'fixed', name: 'Md5', size: 16 }],
            ['tags', { type: 'map', values: 'string' }],
          ]),
        },
      },
      { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID'] } },
      { name: 'note', type: ['null', 'string'] },
      { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 5, scale: 2 } },
      { name: 'whole', type: { type: 'bytes', logicalType: 'decimal', precision: 3 } },
      { name: 'fee', type: { type: 'fixed', name: 'Fee', size: 2, logicalType: 'decimal', precision: 4, scale: 1 } },
      { name: 'id2', type: { type: 'fixed', name: 'Uuid', size: 16, logicalType: 'uuid' } },
      { name: 'wait', type: { type: 'fixed', name: 'Wait', size: 12, logicalType: 'duration' } },
      { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
      { name: 'day', type: { type: 'int', logicalType: 'date' } },
      { name: 'flag', type: 'boolean' },
      { name: 'raw', type: 'bytes' },
      { name: 'nothing', type: 'null' },
      { name: 'any', type: ['null', 'int', 'string', 'Item', { type: 'map', values: 'int' }] },
    ],
  };
  const item = {
    sku: 'a',
    price: 1.5,
    weight: 0.5,
    qty: 1,
    hash: new Uint8Array(16),
    tags: { x: 'y' },
  };
  const valid = {
    id: 1,
    items: [item, { ...item }, { ...item }],
    status: 'NEW',
    note: null,
    amount: '-12.30',
    whole: '7',
    fee: '-0.5',
    id2: '574f6a9a-9548-4dea-86a3-d82c0479a116',
    wait: { months: 1, days: 2, milliseconds: 3 },
    at: 0,
    day: 0,
    flag: true,
    raw: new Uint8Array([1]),
    nothing: null,
    any: null,
  };
  const at = (pathInValue: string, replacement: unknown): unknown => {
    const copy = structuredClone(valid) as Record<string, unknown>;
    const keys = pathInValue.split('.');
    let target = copy as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
    const last = keys.at(-1) as string;
    if (replacement === DELETE) delete target[last];
    else target[last] = replacement;
    return copy;
  };
  const DELETE = Symbol('delete');

  it('the valid value is written, and decodes to itself', async () => {
    const codec = await buildCodec(SHOP);
    expect(codec.decode(avroEncode(writerSchema(SHOP), valid))).toEqual(valid);
  });

  const wrapAvro = (path: string, message: string) => new TypeError(`${path}: ${message}`);
  it.each([
    ['items.2.price', 'x', 'value.items[2].price', 'expected a number (Avro double), received string'],
    [
      'id',
      2 ** 53,
      'value.id',
      'expected an integer within ±(2^53-1) (Avro long, with "longs": "number"; "longs": "bigint" takes the full range), received 9007199254740992',
    ],
    ['id', 1n, 'value.id', 'expected a number (Avro long, with "longs": "number"), received bigint'],
    [
      'id',
      1.5,
      'value.id',
      'expected an integer within ±(2^53-1) (Avro long, with "longs": "number"; "longs": "bigint" takes the full range), received 1.5',
    ],
    [
      'at',
      '2024',
      'value.at',
      'expected a number (Avro long, timestamp-millis, with "longs": "number"), received string',
    ],
    [
      'items.0.qty',
      2 ** 31,
      'value.items[0].qty',
      'expected an integer from -2147483648 to 2147483647 (Avro int), received 2147483648',
    ],
    [
      'items.1.qty',
      -(2 ** 31) - 1,
      'value.items[1].qty',
      'expected an integer from -2147483648 to 2147483647 (Avro int), received -2147483649',
    ],
    [
      'items.0.qty',
      0.5,
      'value.items[0].qty',
      'expected an integer from -2147483648 to 2147483647 (Avro int), received 0.5',
    ],
    ['day', null, 'value.day', 'expected a number (Avro int, date), received null'],
    [
      'items.0.weight',
      0.1,
      'value.items[0].weight',
      'expected a number a 32-bit float holds exactly (Avro float; Math.fround gives the nearest), received 0.1',
    ],
    [
      'items.0.hash',
      new Uint8Array(15),
      'value.items[0].hash',
      'expected a Uint8Array of 16 bytes (Avro fixed Md5), received 15 bytes',
    ],
    ['items.0.hash', [0], 'value.items[0].hash', 'expected a Uint8Array of 16 bytes (Avro fixed Md5), received array'],
    ['raw', 'AQ==', 'value.raw', 'expected a Uint8Array (Avro bytes), received string'],
    ['status', 'SHIPPED', 'value.status', 'expected one of NEW, PAID (Avro enum Status), received "SHIPPED"'],
    ['status', 0, 'value.status', 'expected a string, a symbol of Avro enum Status, received number'],
    [
      'items.0.sku',
      'a\ud800b',
      'value.items[0].sku',
      'expected well-formed UTF-16 text (Avro string), received a lone surrogate U+D800 at index 1',
    ],
    [
      'items.0.sku',
      '\udc00',
      'value.items[0].sku',
      'expected well-formed UTF-16 text (Avro string), received a lone surrogate U+DC00 at index 0',
    ],
    [
      'items.0.tags',
      { ['\ud83d']: 'x' },
      'value.items[0].tags["\\ud83d"]',
      'expected well-formed UTF-16 text (Avro map key), received a lone surrogate U+D83D at index 0',
    ],
    ['items.0.tags', { 'a"b': 1 }, 'value.items[0].tags["a\\"b"]', 'expected a string (Avro string), received number'],
    ['items.0.tags', ['y'], 'value.items[0].tags', 'expected an object (Avro map), received array'],
    ['items', {}, 'value.items', 'expected an array (Avro array), received object'],
    ['items.1', null, 'value.items[1]', 'expected an object (Avro record Item), received null'],
    [
      'items.1.sku',
      DELETE,
      'value.items[1]',
      'expected an object with field "sku" (Avro record Item), received one without it',
    ],
    [
      'items.1.colour',
      'red',
      'value.items[1]',
      'expected only the fields of Avro record Item (sku, price, weight, qty, hash, tags), received property "colour"',
    ],
    [
      'note',
      undefined,
      'value.note',
      'expected a value of a branch of the Avro union [null, string], received undefined',
    ],
    ['note', 1, 'value.note', 'expected a value of a branch of the Avro union [null, string], received number'],
    [
      'note',
      '\ud800',
      'value.note',
      'expected well-formed UTF-16 text (Avro string), received a lone surrogate U+D800 at index 0',
    ],
    ['any', 2 ** 31, 'value.any', 'expected an integer from -2147483648 to 2147483647 (Avro int), received 2147483648'],
    [
      'any',
      { sku: 'x' },
      'value.any',
      'expected a value of a branch of the Avro union [null, int, string, Item, map], received object that fits none of them (as Item, value.any: expected an object with field "price" (Avro record Item), received one without it; as map, value.any["sku"]: expected a number (Avro int), received string)',
    ],
    [
      'any',
      true,
      'value.any',
      'expected a value of a branch of the Avro union [null, int, string, Item, map], received boolean',
    ],
    ['nothing', undefined, 'value.nothing', 'expected null (Avro null), received undefined'],
    ['flag', 1, 'value.flag', 'expected a boolean (Avro boolean), received number'],
    [
      'amount',
      '12.3',
      'value.amount',
      'expected decimal text with exactly 2 digits after the point, no leading zeros and no "-0" (Avro decimal(5, 2)), received "12.3"',
    ],
    [
      'amount',
      '012.30',
      'value.amount',
      'expected decimal text with exactly 2 digits after the point, no leading zeros and no "-0" (Avro decimal(5, 2)), received "012.30"',
    ],
    [
      'amount',
      '-0.00',
      'value.amount',
      'expected decimal text with exactly 2 digits after the point, no leading zeros and no "-0" (Avro decimal(5, 2)), received "-0.00"',
    ],
    [
      'amount',
      '+1.00',
      'value.amount',
      'expected decimal text with exactly 2 digits after the point, no leading zeros and no "-0" (Avro decimal(5, 2)), received "+1.00"',
    ],
    [
      'amount',
      '1e2',
      'value.amount',
      'expected decimal text with exactly 2 digits after the point, no leading zeros and no "-0" (Avro decimal(5, 2)), received "1e2"',
    ],
    ['amount', '1000.00', 'value.amount', 'expected at most 5 digits in all (Avro decimal(5, 2)), received "1000.00"'],
    ['amount', 12.3, 'value.amount', 'expected a string, decimal text (Avro decimal(5, 2)), received number'],
    [
      'whole',
      '7.0',
      'value.whole',
      'expected decimal text of an integer, with no leading zeros and no "-0" (Avro decimal(3, 0)), received "7.0"',
    ],
    ['whole', '-1000', 'value.whole', 'expected at most 3 digits in all (Avro decimal(3, 0)), received "-1000"'],
    [
      'fee',
      '-0.50',
      'value.fee',
      'expected decimal text with exactly 1 digit after the point, no leading zeros and no "-0" (Avro decimal(4, 1) on fixed Fee), received "-0.50"',
    ],
    [
      'fee',
      '1000.0',
      'value.fee',
      'expected at most 4 digits in all (Avro decimal(4, 1) on fixed Fee), received "1000.0"',
    ],
    [
      'id2',
      '574F6A9A-9548-4DEA-86A3-D82C0479A116',
      'value.id2',
      'expected lower-case uuid text such as "574f6a9a-9548-4dea-86a3-d82c0479a116" (Avro uuid on fixed Uuid), received "574F6A9A-9548-4DEA-86A3-D82C0479A116"',
    ],
    [
      'id2',
      '574f6a9a95484dea86a3d82c0479a116',
      'value.id2',
      'expected lower-case uuid text such as "574f6a9a-9548-4dea-86a3-d82c0479a116" (Avro uuid on fixed Uuid), received "574f6a9a95484dea86a3d82c0479a116"',
    ],
    [
      'id2',
      new Uint8Array(16),
      'value.id2',
      'expected lower-case uuid text such as "574f6a9a-9548-4dea-86a3-d82c0479a116" (Avro uuid on fixed Uuid), received Uint8Array',
    ],
    [
      'wait.days',
      -1,
      'value.wait.days',
      'expected an integer from 0 to 4294967295 (Avro duration on fixed Wait), received -1',
    ],
    [
      'wait.months',
      2 ** 32,
      'value.wait.months',
      'expected an integer from 0 to 4294967295 (Avro duration on fixed Wait), received 4294967296',
    ],
    [
      'wait.milliseconds',
      DELETE,
      'value.wait.milliseconds',
      'expected an integer from 0 to 4294967295 (Avro duration on fixed Wait), received undefined',
    ],
    [
      'wait.years',
      1,
      'value.wait',
      'expected only months, days and milliseconds (Avro duration on fixed Wait), received property "years"',
    ],
    [
      'wait',
      'P1M',
      'value.wait',
      'expected an object { months, days, milliseconds } (Avro duration on fixed Wait), received string',
    ],
  ])('%s = %o', (where, replacement, path, message) => {
    expect(() => avroEncode(writerSchema(SHOP), at(where, replacement))).toThrow(wrapAvro(path, message));
  });

  it('longs "bigint": a bigint within int64, never a number', () => {
    const schema = writerSchema({ type: 'long', logicalType: 'timestamp-micros' }, 'bigint');
    expect(() => avroEncode(schema, 1)).toThrow(
      new TypeError('value: expected a bigint (Avro long, timestamp-micros, with "longs": "bigint"), received number'),
    );
    expect(() => avroEncode(schema, 2n ** 63n)).toThrow(
      new TypeError(
        'value: expected a bigint from -2^63 to 2^63-1 (Avro long, timestamp-micros), received 9223372036854775808n',
      ),
    );
    expect(() => avroEncode(schema, -(2n ** 63n) - 1n, 'record.key')).toThrow(
      new TypeError(
        'record.key: expected a bigint from -2^63 to 2^63-1 (Avro long, timestamp-micros), received -9223372036854775809n',
      ),
    );
    expect(hex(avroEncode(schema, -(2n ** 63n)))).toBe('ffffffffffffffffff01');
    // In a union, the long's own error: the other representation is named.
    expect(() => avroEncode(writerSchema(['null', 'long'], 'bigint'), 1)).toThrow(
      new TypeError('value: expected a bigint (Avro long, with "longs": "bigint"), received number'),
    );
    expect(() => avroEncode(writerSchema(['null', 'long']), 1n)).toThrow(
      new TypeError('value: expected a number (Avro long, with "longs": "number"), received bigint'),
    );
    expect(() => avroEncode(writerSchema(['int', 'long', 'string']), 1n)).toThrow(
      new TypeError('value: expected a number (Avro long, with "longs": "number"), received bigint'),
    );
  });

  it('a record field named __proto__ must be an own property; a map takes own keys only, __proto__ among them', async () => {
    const schema = CONSTRUCTS.namespaces;
    const writer = writerSchema(schema);
    const proto = JSON.parse('{"__proto__": {"v": 1}, "x": {"v": 2}}');
    const value = { inner: { v: 2 }, again: { v: 3 }, other: { w: null }, proto, ['__proto__']: 'x' };
    const codec = await buildCodec(schema);
    const decoded = codec.decode(avroEncode(writer, value)) as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value).toBe('x');
    expect(Object.keys(decoded.proto as object)).toEqual(['__proto__', 'x']);
    const inherited = Object.assign(Object.create({ y: { v: 3 } }), { x: { v: 1 } });
    const keys = codec.decode(avroEncode(writer, { ...value, proto: inherited })) as { proto: object };
    expect(Object.keys(keys.proto)).toEqual(['x']);
    const literalProto = { inner: { v: 2 }, again: { v: 3 }, other: { w: null }, proto: {}, __proto__: { x: 1 } };
    expect(() => avroEncode(writer, literalProto)).toThrow(
      new TypeError(
        'value: expected an object with field "__proto__" (Avro record com.example.Outer), received one without it',
      ),
    );
  });
});

describe('the descriptor', () => {
  it('of a schema with recursion and every construct: read once by eye', () => {
    const schema = {
      type: 'record',
      name: 'shop.v1.Node',
      fields: [
        { name: 'next', type: ['null', 'Node'], doc: 'left out', default: null },
        { name: 'kids', type: { type: 'array', items: 'Node' } },
        { name: 'tags', type: { type: 'map', values: ['null', 'string'] } },
        { name: 'kind', type: { type: 'enum', name: 'Kind', namespace: 'shop.kinds', symbols: ['LEAF', 'BRANCH'] } },
        { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 4 } },
        { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 } },
        { name: 'fee', type: { type: 'fixed', name: 'Fee', size: 3, logicalType: 'decimal', precision: 6, scale: 3 } },
        { name: 'id', type: { type: 'fixed', name: 'Id', size: 16, logicalType: 'uuid' } },
        { name: 'wait', type: { type: 'fixed', name: 'Wait', size: 12, logicalType: 'duration' } },
        { name: 'uid', type: { type: 'string', logicalType: 'uuid' } },
        { name: 'day', type: { type: 'int', logicalType: 'date' } },
        { name: 'at', type: { type: 'long', logicalType: 'timestamp-micros' } },
        { name: 'odd', type: { type: 'string', logicalType: 'not-known' } },
        { name: 'prims', type: ['boolean', 'int', 'long', 'float', 'double', 'bytes'] },
        { name: 'again', type: 'shop.kinds.Kind' },
      ],
    };
    expect(literal(writerSchema(schema))).toBe(`{
  longs: 'number',
  root: 'shop.v1.Node',
  named: {
    'shop.v1.Node': {
      type: 'record',
      fields: [
        { name: 'next', type: ['null', 'shop.v1.Node'] },
        { name: 'kids', type: { type: 'array', items: 'shop.v1.Node' } },
        { name: 'tags', type: { type: 'map', values: ['null', 'string'] } },
        { name: 'kind', type: 'shop.kinds.Kind' },
        { name: 'hash', type: 'shop.v1.Hash' },
        {
          name: 'price',
          type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 },
        },
        { name: 'fee', type: 'shop.v1.Fee' },
        { name: 'id', type: 'shop.v1.Id' },
        { name: 'wait', type: 'shop.v1.Wait' },
        { name: 'uid', type: { type: 'string', logicalType: 'uuid' } },
        { name: 'day', type: { type: 'int', logicalType: 'date' } },
        { name: 'at', type: { type: 'long', logicalType: 'timestamp-micros' } },
        { name: 'odd', type: 'string' },
        {
          name: 'prims',
          type: ['boolean', 'int', 'long', 'float', 'double', 'bytes'],
        },
        { name: 'again', type: 'shop.kinds.Kind' },
      ],
    },
    'shop.kinds.Kind': { type: 'enum', symbols: ['LEAF', 'BRANCH'] },
    'shop.v1.Hash': { type: 'fixed', size: 4 },
    'shop.v1.Fee': { type: 'fixed', size: 3, logicalType: 'decimal', precision: 6, scale: 3 },
    'shop.v1.Id': { type: 'fixed', size: 16, logicalType: 'uuid' },
    'shop.v1.Wait': { type: 'fixed', size: 12, logicalType: 'duration' },
  },
}`);
    // JSON-serialisable: nothing lost in JSON.
    expect(JSON.parse(JSON.stringify(writerSchema(schema)))).toStrictEqual(writerSchema(schema));
    expect(writerSchema(schema, 'bigint').longs).toBe('bigint');
  });

  it('of a record named __proto__: an own entry of `named`, printed as a computed key', async () => {
    const schema = record('__proto__', [['a', ['null', '__proto__']]]);
    const descriptor = writerSchema(schema);
    expect(Object.getPrototypeOf(descriptor.named)).toBe(Object.prototype);
    expect(Object.keys(descriptor.named)).toEqual(['__proto__']);
    expect(literal(descriptor)).toBe(
      "{\n  longs: 'number',\n  root: '__proto__',\n  named: {\n    ['__proto__']: { type: 'record', fields: [{ name: 'a', type: ['null', '__proto__'] }] },\n  },\n}",
    );
    const value = { a: { a: null } };
    expect(hex(avroEncode(descriptor, value))).toBe('0200');
    expect((await buildCodec(schema)).decode(avroEncode(descriptor, value))).toStrictEqual(value);
  });

  it('of an unnamed root: its type itself', () => {
    expect(writerSchema({ type: 'map', values: ['null', 'long'] })).toStrictEqual({
      longs: 'number',
      root: { type: 'map', values: ['null', 'long'] },
      named: {},
    });
  });
});

describe('the module as generated code carries it', () => {
  it('has no imports and uses no Node API', async () => {
    const source = await import('node:fs/promises').then((fs) =>
      fs.readFile(path.join(REPO_ROOT, 'generator/runtime/avro-writer.ts'), 'utf8'),
    );
    expect(source).not.toMatch(/^import /m);
    const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    expect(code).toContain('avroEncode');
    expect(code).not.toMatch(/\b(Buffer|process|require)\b/);
  });

  it('type-checks under the strictest settings, with a printed descriptor', async () => {
    const dir = await tempDir();
    const source = await import('node:fs/promises').then((fs) =>
      fs.readFile(path.join(REPO_ROOT, 'generator/runtime/avro-writer.ts'), 'utf8'),
    );
    const writer = path.join(dir, 'avro-writer.mts');
    await writeFile(writer, source);
    const use = path.join(dir, 'use.mts');
    await writeFile(
      use,
      [
        "import { avroEncode, type AvroWriterSchema } from './avro-writer.mjs';",
        `const schema: AvroWriterSchema = ${literal(writerSchema(CONSTRUCTS.unions))};`,
        "export const bytes: Uint8Array = avroEncode(schema, { nullFirst: null }, 'record');",
        '',
      ].join('\n'),
    );
    // As emit/runtime-source.ts embeds runtime files: no header comment, no `export`; the file uses avroEncode.
    const embedded = path.join(dir, 'embedded.mts');
    await writeFile(
      embedded,
      [
        source.replace(/^\/\*\*[\s\S]*?\*\/\n\n/, '').replace(/^export (function|interface|type|const) /gm, '$1 '),
        `const schema: AvroWriterSchema = ${literal(writerSchema(CONSTRUCTS.nested, 'bigint'))};`,
        "export const bytes: Uint8Array = avroEncode(schema, null, 'record');",
        '',
      ].join('\n'),
    );
    expect(await import('node:fs/promises').then((fs) => fs.readFile(embedded, 'utf8'))).not.toMatch(
      /^export (?!const bytes)/m,
    );
    const program = createProgram([writer, use, embedded], STRICTEST);
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${path.basename(d.file?.fileName ?? '')} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
  });
});
