/**
 * Generated Protobuf decoders: they type-check under strict TypeScript, decode what protobufjs
 * 8.8.1 (the reference) encodes to the values it was given (seeded random values for every
 * construct), decode Powertools' captured events to the values docs/payload-formats.md gives, and
 * answer malformed bytes (truncations, byte flips, absurd lengths, deep nesting) with a
 * BinaryDecodeError, never another exception, a hang or a value that differs from the reference's.
 */
import { prng } from '../../prng.js';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import protobuf from 'protobufjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers.js';
import { protobufReaderSource } from '../../../generator/emit/runtime-source.js';
import { type BuiltCodec, buildCodec, normalise, referenceRoot, typeErrors, Values } from './protobuf-harness.js';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'protobuf');
const POWERTOOLS = path.join(REPO_ROOT, 'test', 'fixtures', 'powertools');
const EVERYTHING = readFileSync(path.join(FIXTURES, 'everything.proto'), 'utf8');
const COMPLEX = readFileSync(path.join(POWERTOOLS, 'complex.proto'), 'utf8');
const PRODUCT = readFileSync(path.join(POWERTOOLS, 'product.proto'), 'utf8');

/** Fails when any object in `value` has an own property holding undefined (optional properties are absent instead). */
function expectNoUndefinedProperties(value: unknown, where = '$'): void {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined && k !== 'case') throw new Error(`${where}.${k} is present but undefined`);
    expectNoUndefinedProperties(v, `${where}.${k}`);
  }
}

function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

/** Runs decode and classifies: a value, or a BinaryDecodeError; anything else throws. */
function attempt(codec: BuiltCodec, bytes: Uint8Array): { ok: true; value: unknown } | { ok: false; error: Error } {
  try {
    return { ok: true, value: codec.decode(bytes) };
  } catch (error) {
    if (!(error instanceof codec.BinaryDecodeError)) throw error;
    return { ok: false, error };
  }
}

describe('generated Protobuf decoders', () => {
  const root = referenceRoot(EVERYTHING);
  const All = root.lookupType('test.v1.All');
  let numberCodec: BuiltCodec;
  let bigintCodec: BuiltCodec;

  beforeAll(async () => {
    numberCodec = await buildCodec(EVERYTHING, 'test.v1.All', 'number', true);
    bigintCodec = await buildCodec(EVERYTHING, 'All', 'bigint', true);
  });

  it('type-check under strict TypeScript (both long mappings), and the types say what decodes', async () => {
    // buildCodec type-checked both; here: use sites compile, and a wrong one does not.
    const use = [
      "import { decodeAllProtobuf, type All, type Color } from './codec.js';",
      'const all: All = decodeAllProtobuf(new Uint8Array(0));',
      'const n: number = all.scalars?.i64 ?? 0;',
      "const c: Color = all.color === 'RED' ? 'GREEN' : 7;",
      "if (all.choice.case === 'c_n') { const v: number = all.choice.value.value; void v; }",
      'const s: string | undefined = all.w_s; const m: Record<string, number> = all.m_si;',
      'const t: number = all.ts?.seconds ?? 0; const list: number | undefined = all.list?.next?.value;',
      'void n; void c; void s; void m; void t; void list;',
      'export {};',
    ].join('\n');
    expect(await typeErrors(numberCodec.source, use)).toBe('');
    expect(await typeErrors(bigintCodec.source, use)).toMatch(/Type 'bigint' is not assignable to type 'number'/);
    expect(await typeErrors(numberCodec.source, `${use}\nconst wrong: string = all.scalars?.i32;\n`)).toMatch(
      /not assignable to type 'string'/,
    );
    expect(numberCodec.codec.typeName).toBe('All');
    expect(numberCodec.codec.decoderName).toBe('decodeAllProtobuf');
    expect([...numberCodec.codec.declaredTypes].sort()).toEqual(
      ['All', 'All_Inner', 'All_Inner_Kind', 'Color', 'Duration', 'Node', 'Scalars', 'Timestamp'].sort(),
    );
    expect(numberCodec.codec.types).toContain('export type Color = "RED" | "GREEN" | "BLUE" | number;');
    expect(numberCodec.codec.types).toContain(
      ' * Every scalar type, implicit presence.\n * Protobuf message `test.v1.Scalars`.',
    );
    expect(numberCodec.codec.code).not.toMatch(/\bimport\b|\brequire\(/);
  });

  it('emit the same text for the same input', async () => {
    const again = await buildCodec(EVERYTHING, 'test.v1.All', 'number');
    expect(again.source).toBe(numberCodec.source);
  });

  for (const longs of ['number', 'bigint'] as const) {
    it(`decode 1500 seeded random values protobufjs encodes, to those values (longs: ${longs})`, () => {
      const codec = longs === 'number' ? numberCodec : bigintCodec;
      const values = new Values(prng(longs === 'number' ? 11 : 12), longs);
      for (let i = 0; i < 1500; i++) {
        const [expected, input] = values.message(All, 0);
        const bytes = Uint8Array.from(All.encode(All.fromObject(input)).finish());
        const decoded = codec.decode(bytes);
        expect(decoded, `value ${i}: ${Buffer.from(bytes).toString('hex')}`).toEqual(expected);
        expectNoUndefinedProperties(decoded);
      }
    });
  }

  it('read packed and unpacked repeated fields alike, append repeated fields, merge repeated message fields, last scalar wins', () => {
    const decode = numberCodec.decode;
    // packed_i (4): packed [1, 2] then unpacked 3; unpacked_i (7) packed [5, 6]; color twice.
    const value = decode(hex('22 02 01 02 20 03 3a 02 05 06 a0 01 01 a0 01 02')) as Record<string, unknown>;
    expect(value['packed_i']).toEqual([1, 2, 3]);
    expect(value['unpacked_i']).toEqual([5, 6]);
    expect(value['color']).toBe('BLUE');
    // scalars (1) twice: {i32: 1, s: "a"} then {i32: 2}: merged to {i32: 2, s: "a"}; many (10) twice: two elements.
    const merged = decode(hex('0a 05 18 01 72 01 61 0a 02 18 02 52 02 18 01 52 02 18 02')) as Record<string, unknown>;
    expect((merged['scalars'] as Record<string, unknown>)['i32']).toBe(2);
    expect((merged['scalars'] as Record<string, unknown>)['s']).toBe('a');
    expect((merged['many'] as Record<string, unknown>[]).map((m) => m['i32'])).toEqual([1, 2]);
    // oneof: c_s then c_i: the last wins; c_n twice: merged.
    expect((decode(hex('82 01 01 61 88 01 05')) as Record<string, unknown>)['choice']).toEqual({
      case: 'c_i',
      value: 5,
    });
    expect((decode(hex('92 01 02 08 07 92 01 02 12 00')) as Record<string, unknown>)['choice']).toEqual({
      case: 'c_n',
      value: { value: 7, next: { value: 0 } },
    });
    // Map entries with the key or value missing take the defaults; a repeated key: the last wins.
    const maps = decode(hex('5a 00 5a 02 10 07 5a 04 0a 00 10 08 62 02 08 03 6a 02 08 09')) as Record<string, unknown>;
    expect(maps['m_si']).toEqual({ '': 8 });
    expect(maps['m_is']).toEqual({ '3': '' });
    expect(maps['m_ln']).toEqual({ '9': { value: 0 } });
    expect(Object.getPrototypeOf(Object.getPrototypeOf(maps['m_si']))).toBeNull();
    expect('toString' in (maps['m_si'] as object)).toBe(false);
    // A map key "__proto__" is data.
    const proto = decode(hex('5a 0d 0a 09 5f 5f 70 72 6f 74 6f 5f 5f 10 01')) as Record<
      string,
      Record<string, unknown>
    >;
    expect(Object.keys(proto['m_si'] ?? {})).toEqual(['__proto__']);
    expect(proto['m_si']?.['__proto__']).toBe(1);
    // Wrappers: absent when not on the wire, their value (default included) when on it.
    expect(decode(hex(''))).not.toHaveProperty('w_s');
    expect((decode(hex('d2 01 00')) as Record<string, unknown>)['w_s']).toBe('');
  });

  it('skip unknown fields of every wire type, unknown groups included (nested), and keep the known ones', () => {
    const decode = numberCodec.decode;
    // field 100 varint, 101 I64, 102 LEN, 103 I32, 104 group holding a group, then color = BLUE.
    const bytes = hex(
      'a0 06 96 01  a9 06 01 02 03 04 05 06 07 08  b2 06 02 ff ff  bd 06 01 02 03 04  c3 06 08 01 cb 06 d0 06 05 cc 06 c4 06  a0 01 02',
    );
    expect((decode(bytes) as Record<string, unknown>)['color']).toBe('BLUE');
  });

  it.each([
    ['a known field with the wrong wire type', '25 05 00 00 00', 'field All.packed_i (number 4) as LEN, found I32'],
    ['a string field as VARINT', '18 01', 'field All.opt_s (number 3) as LEN, found VARINT'],
    ['field number 0', '00', 'a field tag (a field number from 1)'],
    ['wire type 6', 'ce 06', 'a field tag with wire type 0, 1, 2, 3 or 5'],
    ['an end group with no start', 'a4 06', 'a field tag with wire type 0, 1, 2, 3 or 5'],
    ['a group closed by another number', 'c3 06 cc 06', 'the end of the open group'],
    ['an unclosed group', 'c3 06 08 01', 'the end of group 104'],
    ['bad UTF-8', '1a 02 c3 28', 'valid UTF-8'],
    ['a length past the end', '1a 05 61', 'a length of at most 1 (the bytes left)'],
    ['a string length of 2^31', '1a 80 80 80 80 08', 'a length of at most 0'],
    ['a truncated varint', '10 80', 'a varint byte'],
    ['an 11-byte varint', '10 ff ff ff ff ff ff ff ff ff ff 01', 'a varint of at most 10 bytes'],
    ['a truncated double', '31 00 00 00', '8 bytes'],
    [
      'an int64 beyond 2^53-1',
      '0a 09 20 80 80 80 80 80 80 80 10',
      'a long within +-2^53-1 (set "longs": "bigint" for the full range)',
    ],
    ['a uint64 of 2^64-1', '0a 0b 30 ff ff ff ff ff ff ff ff ff 01', 'a long within +-2^53-1'],
  ])('refuse %s with a BinaryDecodeError', (_, bytes, expected) => {
    const result = attempt(numberCodec, hex(bytes));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain(expected);
  });

  it('decode the full 64-bit range with longs: bigint, and ±(2^53-1) with longs: number', () => {
    const big = bigintCodec.decode(hex('0a 0b 30 ff ff ff ff ff ff ff ff ff 01')) as { scalars: { u64: bigint } };
    expect(big.scalars.u64).toBe(2n ** 64n - 1n);
    const min = bigintCodec.decode(hex('0a 0b 20 80 80 80 80 80 80 80 80 80 01')) as { scalars: { i64: bigint } };
    expect(min.scalars.i64).toBe(-(2n ** 63n));
    // i64 (field 4 of Scalars, field 1 of All) as a varint of its 64-bit two's complement.
    const i64 = (v: bigint): Uint8Array => {
      const out: number[] = [];
      let u = BigInt.asUintN(64, v);
      do {
        const low = Number(u & 0x7fn);
        u >>= 7n;
        out.push(u > 0n ? low | 0x80 : low);
      } while (u > 0n);
      return Uint8Array.from([0x0a, out.length + 1, 0x20, ...out]);
    };
    for (const v of [2n ** 53n - 1n, -(2n ** 53n - 1n), 0n, -1n, 300n]) {
      expect((numberCodec.decode(i64(v)) as { scalars: { i64: number } }).scalars.i64).toBe(Number(v));
      expect((bigintCodec.decode(i64(v)) as { scalars: { i64: bigint } }).scalars.i64).toBe(v);
    }
    for (const v of [2n ** 53n, -(2n ** 53n), 2n ** 63n - 1n, -(2n ** 63n)]) {
      expect(attempt(numberCodec, i64(v)).ok).toBe(false);
      expect((bigintCodec.decode(i64(v)) as { scalars: { i64: bigint } }).scalars.i64).toBe(v);
    }
  });

  it('stop deep nesting (a 1000-deep linked list, 10 000 nested unknown groups) with a BinaryDecodeError', () => {
    // list (22) -> next (2) -> next ... built inside out.
    let inner: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const len: number[] = [];
      let n = inner.length;
      do {
        len.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
        n >>>= 7;
      } while (n > 0);
      inner = [i === 999 ? 0xb2 : 0x12, ...(i === 999 ? [0x01] : []), ...len, ...inner];
    }
    expect(attempt(numberCodec, Uint8Array.from(inner)).ok).toBe(false);
    const groups = new Uint8Array(20_000);
    for (let i = 0; i < 10_000; i++) groups.set([0xc3, 0x06], i * 2);
    const result = attempt(numberCodec, groups);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('groups nested at most 100 deep');
  });

  it('answer every truncation and 4 000 random byte flips of 60 valid encodings with a BinaryDecodeError or the reference value', () => {
    const random = prng(99);
    const values = new Values(prng(98), 'number');
    let truncations = 0;
    let flips = 0;
    let compared = 0;
    const check = (bytes: Uint8Array): void => {
      const ours = attempt(numberCodec, bytes);
      if (!ours.ok) return;
      let reference: unknown;
      try {
        reference = normalise(All.decode(bytes) as protobuf.Message & Record<string, unknown>, All, 'number');
      } catch {
        return; // protobufjs refuses what we accept: it checks less in some places, more in none we rely on.
      }
      compared++;
      expect(ours.value, Buffer.from(bytes).toString('hex')).toEqual(reference);
    };
    for (let i = 0; i < 60; i++) {
      const [, input] = values.message(All, 0);
      const bytes = Uint8Array.from(All.encode(All.fromObject(input)).finish());
      for (let k = 0; k < bytes.length; k++) {
        check(bytes.subarray(0, k));
        truncations++;
      }
      for (let j = 0; j < 70; j++) {
        const flipped = Uint8Array.from(bytes);
        if (flipped.length === 0) break;
        flipped[Math.floor(random() * flipped.length)] = Math.floor(random() * 256);
        check(flipped);
        flips++;
      }
    }
    expect(truncations).toBeGreaterThan(2_000);
    expect(flips).toBeGreaterThan(4_000);
    expect(compared).toBeGreaterThan(200);
  });
});

describe('Powertools fixtures (docs/payload-formats.md 3.2)', () => {
  it('Product (tests/events/protobuf.json), unframed', async () => {
    const codec = await buildCodec(PRODUCT, 'Product', 'number', true);
    expect(codec.decode(Buffer.from('COkHEgZMYXB0b3AZUrgehes/j0A=', 'base64'))).toEqual({
      id: 1001,
      name: 'Laptop',
      price: 999.99,
    });
    expect(codec.decode(Buffer.from('COoHEgpTbWFydHBob25lGVK4HoXrv4JA', 'base64'))).toEqual({
      id: 1002,
      name: 'Smartphone',
      price: 599.99,
    });
  });

  it('UserProfile from complex.proto: the 4 Confluent captures (after the 2 index bytes, unknown field 8 skipped) and the Glue one (after its index byte)', async () => {
    const codec = await buildCodec(COMPLEX, 'com.example.protobuf.UserProfile', 'number', true);
    // The captured values (base64, as published), which differ only in the userId.
    const captures = [
      [
        'AgIKJGE4ZTQwOTcxLTE1NTItNDIwZC1hN2M5LWI4OTgyMzI1NzAyZBIDQm9iGg9ib2JAZXhhbXBsZS5jb20gHCgBMgoyMDI0LTAyLTAyOgR0YWcxOgR0YWcyQQAAAAAAAFZASg4KBXRoZW1lEgVsaWdodFIZCgcxMjMgQXZlEgdTZWF0dGxlGgU5ODEwMQ==',
        'a8e40971-1552-420d-a7c9-b8982325702d',
      ],
      [
        'AgIKJDRkY2ZjNjFiLTM5OTMtNDljMy1hMDRmLThhNmM3YWFmNzg4MRIDQm9iGg9ib2JAZXhhbXBsZS5jb20gHCgBMgoyMDI0LTAyLTAyOgR0YWcxOgR0YWcyQQAAAAAAAFZASg4KBXRoZW1lEgVsaWdodFIZCgcxMjMgQXZlEgdTZWF0dGxlGgU5ODEwMQ==',
        '4dcfc61b-3993-49c3-a04f-8a6c7aaf7881',
      ],
      [
        'AgIKJDJhODYxNjI4LTA4MDAtNGI3Ni1iZDNmLTZlY2JhN2NkMjg2YxIDQm9iGg9ib2JAZXhhbXBsZS5jb20gHCgBMgoyMDI0LTAyLTAyOgR0YWcxOgR0YWcyQQAAAAAAAFZASg4KBXRoZW1lEgVsaWdodFIZCgcxMjMgQXZlEgdTZWF0dGxlGgU5ODEwMQ==',
        '2a861628-0800-4b76-bd3f-6ecba7cd286c',
      ],
      [
        'AgIKJDcxMzIwYzczLWVjNTctNDQ2ZS1iZDViLTkyNTJkNjk0MzE4MhIDQm9iGg9ib2JAZXhhbXBsZS5jb20gHCgBMgoyMDI0LTAyLTAyOgR0YWcxOgR0YWcyQQAAAAAAAFZASg4KBXRoZW1lEgVsaWdodFIZCgcxMjMgQXZlEgdTZWF0dGxlGgU5ODEwMQ==',
        '71320c73-ec57-446e-bd5b-9252d6943182',
      ],
    ];
    for (const [base64, userId] of captures) {
      const value = Buffer.from(base64 ?? '', 'base64');
      expect([...value.subarray(0, 2)]).toEqual([0x02, 0x02]); // Confluent message indexes [1]
      expect(codec.decode(value.subarray(2))).toEqual({
        userId,
        name: 'Bob',
        email: 'bob@example.com',
        age: 28,
        isActive: true,
        signupDate: '2024-02-02',
        tags: ['tag1', 'tag2'],
        preferences: { theme: 'light' },
        address: { street: '123 Ave', city: 'Seattle', zip: '98101' },
      });
    }
    const glue = Buffer.from(
      'AQoDMTIzEgRUZXN0Ggx0ZXN0QGdteC5jb20gCjIKMjAyNS0wNi0yMDoEdGFnMToEdGFnMkoOCgV0aGVtZRIFbGlnaHRSGgoKTXl0aGVucXVhaRIGWnVyaWNoGgQ4MDAy',
      'base64',
    );
    expect(glue[0]).toBe(1); // Glue message index 1
    expect(codec.decode(glue.subarray(1))).toEqual({
      userId: '123',
      name: 'Test',
      email: 'test@gmx.com',
      age: 10,
      isActive: false,
      signupDate: '2025-06-20',
      tags: ['tag1', 'tag2'],
      preferences: { theme: 'light' },
      address: { street: 'Mythenquai', city: 'Zurich', zip: '8002' },
    });
  });

  it('User from the docs sample (examples/snippets/kafka/samples/kafkaEventProtobuf.json)', async () => {
    const codec = await buildCodec(
      'syntax = "proto3";\npackage com.example;\nmessage User { string name = 1; int32 age = 2; }\n',
      'com.example.User',
    );
    expect(codec.decode(hex('0a 0a 70 6f 77 65 72 74 6f 6f 6c 73 10 05'))).toEqual({ name: 'powertools', age: 5 });
  });
});

describe('protobufReaderSource', () => {
  it('is the reader without its import, exports or header, and keeps only what the given code uses', async () => {
    const all = await protobufReaderSource();
    expect(all).not.toMatch(/^import |^export /m);
    expect(all).not.toContain('The byte-reading primitives');
    expect(all).toMatch(/^function protobufSint64BigInt\(/m);
    const some = await protobufReaderSource(['  return protobufString(r, end);']);
    const declared = [...some.matchAll(/^(?:function|interface|const) (\w+)/gm)].map((m) => m[1]);
    expect(declared.sort()).toEqual(
      ['ProtobufReader', 'protobufLengthEnd', 'protobufString', 'protobufUtf8', 'protobufVarint64'].sort(),
    );
  });
});
