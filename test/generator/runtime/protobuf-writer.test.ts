/**
 * The Protobuf test encoder (generator/runtime/protobuf-writer.ts) and its descriptor
 * (generator/emit/protobuf-writer-schema.ts): seeded random values of every construct of
 * everything.proto encode to bytes the generated decoder decodes back to the same values, that
 * protobufjs 8.8.1 decodes to the same values, and that equal protobufjs's own encoding of them
 * (with implicit-presence defaults left out, as protoc does) and @bufbuild/protobuf 2.17.0's
 * re-encoding of what it reads from them (protoc's canonical form); hand-checked bytes (packing in proto2
 * and proto3, zig-zag, negative int32, -0, map entries, wrappers, a 29-bit field number); every
 * error with its exact message; the descriptor of a schema with recursion and every construct.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createFileRegistry, type DescMessage, fromBinary, toBinary } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProtobufSchema } from '../../../generator/core/protobuf-schema.js';
import { literal } from '../../../generator/emit/literal.js';
import { protobufWriterSchema } from '../../../generator/emit/protobuf-writer-schema.js';
import { type ProtobufWriterSchema, protobufEncode } from '../../../generator/runtime/protobuf-writer.js';
import { REPO_ROOT } from '../../helpers.js';
import { prng } from '../../prng.js';
import {
  type BuiltCodec,
  buildCodec,
  LONG,
  normalise,
  referenceRoot,
  typeErrors,
  Values,
} from '../emit/protobuf-harness.js';

const EVERYTHING = readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'protobuf', 'everything.proto'), 'utf8');
const WRITER_SOURCE = readFileSync(path.join(REPO_ROOT, 'generator', 'runtime', 'protobuf-writer.ts'), 'utf8');

function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function writerSchema(proto: string, message: string, longs: 'number' | 'bigint'): ProtobufWriterSchema {
  return protobufWriterSchema(loadProtobufSchema('/virtual/test.proto', proto), message, { longs });
}

interface DescriptorProto {
  name: string;
  field?: { name: string; typeName?: string }[];
  nestedType?: DescriptorProto[];
}
interface FileDescriptorProto {
  package?: string;
  messageType?: DescriptorProto[];
  dependency?: string[];
}

/**
 * @bufbuild/protobuf's descriptor of `message` in `text` (there is no .proto parser in it): protobufjs's
 * FileDescriptorSet (protobufjs/ext/descriptor), with the type names it leaves relative made full and
 * the import of the well-known types' file added.
 */
function bufbuildMessage(text: string, message: string, syntax: 'proto2' | 'proto3'): DescMessage {
  const root = referenceRoot(text);
  const set = (root as unknown as { toDescriptor(edition: string): { file: FileDescriptorProto[] } }).toDescriptor(
    syntax,
  );
  const qualify = (d: DescriptorProto, scope: protobuf.Type): void => {
    for (const f of d.field ?? []) {
      if (f.typeName === undefined || f.typeName === '' || f.typeName.startsWith('.')) continue;
      // A map field's type is its entry message, nested in the field's message.
      f.typeName =
        scope.fields[f.name]?.map === true
          ? `${scope.fullName}.${f.typeName}`
          : (scope.lookup(f.typeName) as protobuf.ReflectionObject).fullName;
    }
    for (const n of d.nestedType ?? []) {
      const inner = scope.lookup(n.name);
      qualify(n, inner instanceof protobuf.Type && inner.parent === scope ? inner : scope);
    }
  };
  for (const file of set.file) {
    for (const m of file.messageType ?? []) qualify(m, root.lookupType(`${file.package ?? ''}.${m.name}`));
    if (file.package !== 'google.protobuf') file.dependency = ['google_protobuf.proto'];
  }
  const Set = (descriptor as unknown as { FileDescriptorSet: protobuf.Type }).FileDescriptorSet;
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, Set.encode(set as never).finish()));
  const desc = registry.getMessage(message);
  if (desc === undefined) throw new Error(`@bufbuild/protobuf: no ${message}`);
  return desc;
}

/** What @bufbuild/protobuf writes for the message it reads from `bytes`: protoc's canonical bytes of the same value. */
function bufbuildReencode(desc: DescMessage, bytes: Uint8Array): string {
  return toHex(toBinary(desc, fromBinary(desc, bytes)));
}

/** Whether a protobufjs input value (longs as decimal text) is its field's default. */
function isDefaultInput(field: protobuf.Field, v: unknown): boolean {
  const t = field.resolvedType;
  if (t instanceof protobuf.Enum) return v === 0 || (typeof v === 'string' && t.values[v] === 0);
  if (LONG.has(field.type)) return v === '0';
  if (typeof v === 'number') return v === 0 && !Object.is(v, -0);
  if (v instanceof Uint8Array) return v.length === 0;
  return v === false || v === '';
}

/** A protobufjs input without the implicit-presence (proto3) fields that hold their default: what protoc leaves off the wire. */
function withoutDefaults(input: Record<string, unknown>, type: protobuf.Type): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input };
  for (const field of type.fieldsArray) {
    if (!Object.hasOwn(out, field.name)) continue;
    const v = out[field.name];
    const t = field.resolvedType;
    if (t instanceof protobuf.Type) {
      const strip = (x: unknown): unknown => withoutDefaults(x as Record<string, unknown>, t);
      if (field.map) out[field.name] = Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, strip(x)]));
      else if (field.repeated) out[field.name] = (v as unknown[]).map(strip);
      else out[field.name] = strip(v);
      continue;
    }
    const implicit =
      !field.repeated && !field.map && field.partOf === null && field.options?.['proto3_optional'] !== true;
    if (implicit && isDefaultInput(field, v)) delete out[field.name];
  }
  return out;
}

describe('protobufEncode on everything.proto', () => {
  let numberCodec: BuiltCodec;
  let bigintCodec: BuiltCodec;
  let All: protobuf.Type;
  let bufAll: DescMessage;
  const schemas = {
    number: writerSchema(EVERYTHING, 'test.v1.All', 'number'),
    bigint: writerSchema(EVERYTHING, 'test.v1.All', 'bigint'),
  };

  beforeAll(async () => {
    numberCodec = await buildCodec(EVERYTHING, 'test.v1.All', 'number');
    bigintCodec = await buildCodec(EVERYTHING, 'test.v1.All', 'bigint');
    All = referenceRoot(EVERYTHING).lookupType('test.v1.All');
    bufAll = bufbuildMessage(EVERYTHING, 'test.v1.All', 'proto3');
  });

  for (const longs of ['number', 'bigint'] as const) {
    it(`round-trips 1500 seeded random values through the generated decoder, protobufjs decodes them to the same values, and the bytes equal protobufjs's and @bufbuild/protobuf's (longs: ${longs})`, () => {
      const codec = longs === 'number' ? numberCodec : bigintCodec;
      const values = new Values(prng(longs === 'number' ? 21 : 22), longs);
      let identical = 0;
      for (let i = 0; i < 1500; i++) {
        const [value, input] = values.message(All, 0);
        const bytes = protobufEncode(schemas[longs], 'test.v1.All', value);
        const where = `value ${i}: ${toHex(bytes)}`;
        expect(codec.decode(bytes), where).toEqual(value);
        const reference = All.decode(bytes) as protobuf.Message & Record<string, unknown>;
        expect(normalise(reference, All, longs), where).toEqual(value);
        const theirs = All.encode(All.fromObject(withoutDefaults(input, All))).finish();
        expect(toHex(bytes), where).toBe(toHex(theirs));
        expect(toHex(bytes), where).toBe(bufbuildReencode(bufAll, bytes));
        identical++;
      }
      expect(identical).toBe(1500);
    });
  }

  /** The decoded value of no bytes: every implicit field at its default, every repeated field and map empty. */
  const empty = (): Record<string, unknown> => numberCodec.decode(new Uint8Array(0)) as Record<string, unknown>;
  const scalars = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    ...{ d: 0, f: 0, i32: 0, i64: 0, u32: 0, u64: 0, s32: 0, s64: 0, fx32: 0, fx64: 0, sfx32: 0, sfx64: 0 },
    ...{ b: false, s: '', by: new Uint8Array(0) },
    ...over,
  });

  it.each([
    ['every field at its default: no bytes', {}, ''],
    ['color BLUE (field 20: tag a0 01)', { color: 'BLUE' }, 'a0 01 02'],
    ['color as the number 2, and an unknown number 7', { color: 2, colors: [7, 'GREEN'] }, 'a0 01 02 aa 01 02 07 01'],
    ['packed int32s and unpacked ones', { packed_i: [1, 2], unpacked_i: [5, 6] }, '22 02 01 02 38 05 38 06'],
    ['a negative int32: 10 bytes', { scalars: scalars({ i32: -1 }) }, '0a 0b 18 ff ff ff ff ff ff ff ff ff 01'],
    ['sint32 -1 zig-zags to 1, sint64 -2 to 3', { scalars: scalars({ s32: -1, s64: -2 }) }, '0a 04 38 01 40 03'],
    ['sfixed32 -2 little-endian', { scalars: scalars({ sfx32: -2 }) }, '0a 05 5d fe ff ff ff'],
    ['double -0 is written (as protoc does)', { scalars: scalars({ d: -0 }) }, '0a 09 09 00 00 00 00 00 00 00 80'],
    ['float 1.5', { scalars: scalars({ f: 1.5 }) }, '0a 05 15 00 00 c0 3f'],
    ['a string in UTF-8 (é, and U+1F600 from a surrogate pair)', { strs: ['é😀'] }, '4a 06 c3 a9 f0 9f 98 80'],
    ['the field number 2^29-1: a 5-byte tag', { far: 1 }, 'f8 ff ff ff 0f 01'],
    ['a map entry holds its key and value, defaults included', { m_si: { a: 0 } }, '5a 05 0a 01 61 10 00'],
    ['an int32 map key as decimal text', { m_is: { '-1': 'x' } }, '62 0e 08 ff ff ff ff ff ff ff ff ff 01 12 01 78'],
    ['bool map keys', { m_bb: { true: new Uint8Array([9]) } }, '72 05 08 01 12 01 09'],
    ['a map value message: an empty one written', { m_ln: { '0': { value: 0 } } }, '6a 04 08 00 12 00'],
    ['a oneof member at its default is written', { choice: { case: 'c_s', value: '' } }, '82 01 00'],
    ['a oneof enum member', { choice: { case: 'c_e', value: 'RED' } }, '98 01 00'],
    ['an optional at its default is written', { opt_i: 0, opt_e: 'RED' }, '10 00 e8 01 00'],
    ['a wrapper: its value, the default too', { w_s: '', w_b: true }, 'd2 01 00 e2 01 02 08 01'],
    ['a Timestamp', { ts: { seconds: 1, nanos: 2 } }, 'c2 01 04 08 01 10 02'],
    ['an empty message field', { list: { value: 0 } }, 'b2 01 00'],
  ])('writes %s', (_, fields, expected) => {
    const value = { ...empty(), ...fields };
    const bytes = protobufEncode(schemas.number, 'test.v1.All', value);
    expect(toHex(bytes)).toBe(toHex(hex(expected)));
    expect(bufbuildReencode(bufAll, bytes)).toBe(toHex(bytes));
    expect(numberCodec.decode(bytes)).toEqual(
      Object.hasOwn(fields, 'color') && (fields as { color: unknown }).color === 2
        ? { ...value, color: 'BLUE', colors: [7, 'GREEN'] }
        : value,
    );
  });

  it('writes the full 64-bit range with longs: bigint', () => {
    const value = { ...empty(), scalars: scalars({ i64: -(2n ** 63n), u64: 2n ** 64n - 1n, fx64: 1n, s64: 0n }) };
    for (const k of ['i64', 'u64', 'fx64', 's64', 'sfx64']) {
      const s = value.scalars as Record<string, unknown>;
      if (s[k] === 0) s[k] = 0n;
    }
    const bytes = protobufEncode(schemas.bigint, 'test.v1.All', value);
    expect(toHex(bytes)).toBe(
      toHex(hex('0a 1f 20 80 80 80 80 80 80 80 80 80 01 30 ff ff ff ff ff ff ff ff ff 01 51 01 00 00 00 00 00 00 00')),
    );
    expect(bigintCodec.decode(bytes)).toEqual(value);
  });

  it('encodes messages nested 100 deep (the decoders limit, map entries counted) and refuses 101', () => {
    const chain = (n: number): Record<string, unknown> => {
      let node: Record<string, unknown> = { value: 1 };
      for (let i = 1; i < n; i++) node = { value: 1, next: node };
      return node;
    };
    // All (1) -> list: 99 Nodes (2..100).
    const ok = protobufEncode(schemas.number, 'test.v1.All', { ...empty(), list: chain(99) });
    expect(numberCodec.decode(ok)).toEqual({ ...empty(), list: chain(99) });
    const deep = `value.list${'.next'.repeat(99)}`;
    expect(() => protobufEncode(schemas.number, 'test.v1.All', { ...empty(), list: chain(100) })).toThrow(
      new TypeError(`${deep}: expected messages nested at most 100 deep (the decoders' limit), received deeper ones`),
    );
    // protobufjs writes the 101-deep value, and the decoder refuses it: the same limit.
    const tooDeep = All.encode(All.fromObject({ list: chain(100) })).finish();
    expect(() => numberCodec.decode(tooDeep)).toThrow(/messages nested at most 100 deep/);
    // All (1) -> map entry (2) -> Node (3) -> 97 more Nodes (4..100).
    const viaMap = { ...empty(), m_ln: { '1': chain(98) } };
    expect(numberCodec.decode(protobufEncode(schemas.number, 'test.v1.All', viaMap))).toEqual(viaMap);
    expect(() => protobufEncode(schemas.number, 'test.v1.All', { ...empty(), m_ln: { '1': chain(99) } })).toThrow(
      'value.m_ln["1"].next.next',
    );
    // A value that contains itself is refused the same way, not a stack overflow.
    const cycle: Record<string, unknown> = { value: 1 };
    cycle['next'] = cycle;
    expect(() => protobufEncode(schemas.number, 'test.v1.All', { ...empty(), list: cycle })).toThrow(TypeError);
  });

  const bigintValue = (): Record<string, unknown> => ({
    ...empty(),
    scalars: scalars({ i64: 0n, u64: 0n, s64: 0n, fx64: 0n, sfx64: 0n }),
  });

  it.each<[string, (v: Record<string, unknown>) => void, string, ('number' | 'bigint')?]>([
    [
      'an int32 that is not an integer',
      (v) => (v['scalars'] = scalars({ i32: 1.5 })),
      'value.scalars.i32: expected an integer within -2147483648..2147483647 (Protobuf int32), received number 1.5',
    ],
    [
      'an int32 outside int32',
      (v) => (v['scalars'] = scalars({ sfx32: 2147483648 })),
      'value.scalars.sfx32: expected an integer within -2147483648..2147483647 (Protobuf sfixed32), received number 2147483648',
    ],
    [
      'a negative uint32',
      (v) => (v['scalars'] = scalars({ u32: -1 })),
      'value.scalars.u32: expected an integer within 0..4294967295 (Protobuf uint32), received number -1',
    ],
    [
      'an int64 beyond 2^53-1 with longs: number',
      (v) => (v['scalars'] = scalars({ i64: 2 ** 53 })),
      'value.scalars.i64: expected an integer within +-(2^53-1) (Protobuf int64, longs "number"), received number 9007199254740992',
    ],
    [
      'a negative uint64 with longs: number',
      (v) => (v['scalars'] = scalars({ u64: -1 })),
      'value.scalars.u64: expected an integer within 0..2^53-1 (Protobuf uint64, longs "number"), received number -1',
    ],
    [
      'a bigint with longs: number',
      (v) => (v['scalars'] = scalars({ fx64: 1n })),
      'value.scalars.fx64: expected a number (Protobuf fixed64, longs "number"), received bigint 1n',
    ],
    [
      'a number with longs: bigint',
      (v) => ((v['scalars'] as Record<string, unknown>)['s64'] = 1),
      'value.scalars.s64: expected a bigint (Protobuf sint64, longs "bigint"), received number 1',
      'bigint',
    ],
    [
      'a uint64 of 2^64 with longs: bigint',
      (v) => ((v['scalars'] as Record<string, unknown>)['u64'] = 2n ** 64n),
      'value.scalars.u64: expected a bigint within 0..18446744073709551615 (Protobuf uint64), received bigint 18446744073709551616n',
      'bigint',
    ],
    [
      'an sfixed64 below -2^63 with longs: bigint',
      (v) => ((v['scalars'] as Record<string, unknown>)['sfx64'] = -(2n ** 63n) - 1n),
      'value.scalars.sfx64: expected a bigint within -9223372036854775808..9223372036854775807 (Protobuf sfixed64), received bigint -9223372036854775809n',
      'bigint',
    ],
    [
      'a double given as text',
      (v) => (v['scalars'] = scalars({ d: '1' })),
      'value.scalars.d: expected a number (Protobuf double), received string "1"',
    ],
    [
      'a long text where a number goes (shown cut at 40 characters)',
      (v) => (v['scalars'] = scalars({ d: 'x'.repeat(50) })),
      `value.scalars.d: expected a number (Protobuf double), received string "${'x'.repeat(40)}..."`,
    ],
    [
      'a lone surrogate',
      (v) => (v['scalars'] = scalars({ s: 'a\uD800b' })),
      'value.scalars.s: expected well-formed UTF-16 text (Protobuf string), received a lone surrogate at index 1',
    ],
    [
      'a lone low surrogate in a repeated string',
      (v) => (v['strs'] = ['ok', '\uDC00']),
      'value.strs[1]: expected well-formed UTF-16 text (Protobuf string), received a lone surrogate at index 0',
    ],
    [
      'bytes as an array',
      (v) => (v['scalars'] = scalars({ by: [1] })),
      'value.scalars.by: expected a Uint8Array (Protobuf bytes), received an array',
    ],
    ['a bool as a number', (v) => (v['w_b'] = 1), 'value.w_b: expected a boolean (Protobuf bool), received number 1'],
    [
      'an enum name the enum lacks',
      (v) => (v['color'] = 'PURPLE'),
      'value.color: expected one of "RED", "GREEN", "BLUE" or an int32 (Protobuf enum test.v1.Color), received string "PURPLE"',
    ],
    [
      'an enum number outside int32',
      (v) => (v['colors'] = [2 ** 31]),
      'value.colors[0]: expected one of "RED", "GREEN", "BLUE" or an int32 (Protobuf enum test.v1.Color), received number 2147483648',
    ],
    [
      'a missing implicit-presence field',
      (v) => {
        const s = scalars();
        delete s['b'];
        v['scalars'] = s;
      },
      'value.scalars.b: expected a value (Protobuf bool field 13), received undefined',
    ],
    [
      'a missing repeated field',
      (v) => delete v['packed_d'],
      'value.packed_d: expected an array (Protobuf repeated double), received undefined',
    ],
    [
      'a repeated field that is not an array',
      (v) => (v['strs'] = 'a'),
      'value.strs: expected an array (Protobuf repeated string), received string "a"',
    ],
    [
      'a property the message lacks',
      (v) => (v['extra'] = 1),
      'value.extra: expected no such property (Protobuf message test.v1.All has no field "extra")',
    ],
    [
      'a oneof member given as a property',
      (v) => (v['c_s'] = 'x'),
      'value.c_s: expected no such property (Protobuf message test.v1.All has no field "c_s": it is a member of oneof choice, given as choice: { case: "c_s", value })',
    ],
    [
      'a missing oneof',
      (v) => delete v['choice'],
      'value.choice: expected an object { case, value } (Protobuf oneof choice), received undefined',
    ],
    [
      'a oneof case that is not a member',
      (v) => (v['choice'] = { case: 'x', value: 1 }),
      'value.choice.case: expected one of "c_s", "c_i", "c_n", "c_e" or undefined (Protobuf oneof choice), received string "x"',
    ],
    [
      'a oneof member of the wrong type',
      (v) => (v['choice'] = { case: 'c_n', value: 'x' }),
      'value.choice.value: expected an object (Protobuf message test.v1.Node), received string "x"',
    ],
    [
      'a message that is an array',
      (v) => (v['list'] = []),
      'value.list: expected an object (Protobuf message test.v1.Node), received an array',
    ],
    [
      'a message that is a Date',
      (v) => (v['ts'] = new Date(0)),
      'value.ts: expected an object (Protobuf message google.protobuf.Timestamp), received a Date',
    ],
    [
      'a Timestamp with fractional nanos',
      (v) => (v['ts'] = { seconds: 1, nanos: 0.5 }),
      'value.ts.nanos: expected an integer within -2147483648..2147483647 (Protobuf int32), received number 0.5',
    ],
    [
      'a bad field in a repeated message',
      (v) => (v['many'] = [scalars(), scalars({ i32: '2' })]),
      'value.many[1].i32: expected a number (Protobuf int32), received string "2"',
    ],
    [
      'a map that is an array',
      (v) => (v['m_si'] = [1]),
      'value.m_si: expected an object (Protobuf map<string, int32>), received an array',
    ],
    [
      'an integer map key that is not decimal text',
      (v) => (v['m_is'] = { '0x1': 'a' }),
      'value.m_is["0x1"]: expected the key to be an integer in decimal text (Protobuf map<int32, ...>)',
    ],
    [
      'an integer map key outside its type',
      (v) => (v['m_ue'] = { '-1': 'RED' }),
      'value.m_ue["-1"] (the key): expected an integer within 0..4294967295 (Protobuf uint32), received number -1',
    ],
    [
      'an int64 map key beyond 2^53-1 with longs: number',
      (v) => (v['m_ln'] = { '9007199254740992': { value: 1 } }),
      'value.m_ln["9007199254740992"] (the key): expected an integer within +-(2^53-1) (Protobuf int64, longs "number"), received string "9007199254740992"',
    ],
    [
      'a bool map key that is not true or false',
      (v) => (v['m_bb'] = { yes: new Uint8Array(0) }),
      'value.m_bb["yes"]: expected the key "true" or "false" (Protobuf map<bool, ...>)',
    ],
    [
      'a bad map value',
      (v) => (v['m_ln'] = { '5': { value: 1, next: { value: null } } }),
      'value.m_ln["5"].next.value: expected a number (Protobuf int32), received null',
    ],
  ])('refuses %s with a TypeError naming the path', (_, change, message, longs = 'number') => {
    const value = longs === 'number' ? empty() : bigintValue();
    change(value);
    expect(() => protobufEncode(schemas[longs], 'test.v1.All', value)).toThrow(new TypeError(message));
  });

  it('refuses a message the schema lacks, and names the value by the given path', () => {
    expect(() => protobufEncode(schemas.number, 'test.v1.Nope', {})).toThrow(
      new TypeError('value: the schema has no message "test.v1.Nope"'),
    );
    expect(() => protobufEncode(schemas.number, 'test.v1.All', 1, 'records[0].value')).toThrow(
      new TypeError('records[0].value: expected an object (Protobuf message test.v1.All), received number 1'),
    );
  });

  it('reads a value as the decoder returned it (maps with no Object.prototype) and as a literal', () => {
    const decoded = numberCodec.decode(hex('5a 05 0a 01 61 10 01 a0 01 02')) as Record<string, unknown>;
    expect(toHex(protobufEncode(schemas.number, 'test.v1.All', decoded))).toBe('5a050a01611001a00102');
    const literalValue = { ...empty(), m_si: { a: 1 }, color: 'BLUE' };
    expect(toHex(protobufEncode(schemas.number, 'test.v1.All', literalValue))).toBe('5a050a01611001a00102');
  });
});

describe('protobufEncode on proto2', () => {
  const PROTO2 = [
    'syntax = "proto2";',
    'package p2;',
    'enum E { Z = 1; O = 2; }',
    'message M {',
    '  optional int32 a = 1;',
    '  required string r = 2;',
    '  repeated int32 un = 3;',
    '  repeated int32 pk = 4 [packed = true];',
    '  repeated E es = 5;',
    '  optional E e = 6;',
    '  optional M child = 7;',
    '}',
    '',
  ].join('\n');

  it('writes present fields at their defaults, repeated fields unpacked unless [packed = true]; the decoder and protobufjs read them back', async () => {
    const codec = await buildCodec(PROTO2, 'p2.M');
    const schema = writerSchema(PROTO2, 'p2.M', 'number');
    const M = referenceRoot(PROTO2).lookupType('p2.M');
    const value = {
      a: 0,
      r: '',
      un: [1, 2],
      pk: [1, 2],
      es: ['O', 'Z'],
      e: 'Z',
      child: { r: '', un: [], pk: [], es: [] },
    };
    const bytes = protobufEncode(schema, 'p2.M', value);
    expect(toHex(bytes)).toBe(toHex(hex('08 00 12 00 18 01 18 02 22 02 01 02 28 02 28 01 30 01 3a 02 12 00')));
    expect(codec.decode(bytes)).toEqual(value);
    expect(normalise(M.decode(bytes) as protobuf.Message & Record<string, unknown>, M, 'number')).toEqual({
      ...value,
      // protobufjs gives proto2 optional scalars it did not read their defaults.
      child: { a: 0, r: '', e: 'Z', un: [], pk: [], es: [] },
    });
    expect(toHex(M.encode(M.fromObject(value)).finish())).toBe(toHex(bytes));
    expect(bufbuildReencode(bufbuildMessage(PROTO2, 'p2.M', 'proto2'), bytes)).toBe(toHex(bytes));
    // Absent optionals (required too: the decoder does not check them) are not written.
    expect(toHex(protobufEncode(schema, 'p2.M', { un: [], pk: [], es: [] }))).toBe('');
  });
});

describe('protobufEncode of wrappers in repeated fields, maps and oneofs', () => {
  const WRAPS = [
    'syntax = "proto3";',
    'package w;',
    'import "google/protobuf/wrappers.proto";',
    'import "google/protobuf/empty.proto";',
    'message W {',
    '  repeated google.protobuf.Int32Value ws = 1;',
    '  map<string, google.protobuf.StringValue> mw = 2;',
    '  oneof o { google.protobuf.BoolValue ob = 3; google.protobuf.Empty oe = 4; }',
    '}',
    '',
  ].join('\n');

  it('writes each as its wrapper message (an empty one at the default); the decoder reads the values back', async () => {
    const codec = await buildCodec(WRAPS, 'w.W');
    const schema = writerSchema(WRAPS, 'w.W', 'number');
    const value = { ws: [0, -1], mw: { a: '', b: 'x' }, o: { case: 'ob', value: false } };
    const bytes = protobufEncode(schema, 'w.W', value);
    // ws: 0a 00 (0: empty), 0a 0b 08 ff*9 01 (-1); mw: 12 05 0a 01 61 12 00, 12 08 0a 01 62 12 03 0a 01 78; ob: 1a 00.
    expect(toHex(bytes)).toBe(
      toHex(
        hex('0a 00 0a 0b 08 ff ff ff ff ff ff ff ff ff 01 12 05 0a 01 61 12 00 12 08 0a 01 62 12 03 0a 01 78 1a 00'),
      ),
    );
    expect(codec.decode(bytes)).toEqual(value);
    const empty = { ws: [], mw: {}, o: { case: 'oe', value: {} } };
    expect(toHex(protobufEncode(schema, 'w.W', empty))).toBe('2200');
    expect(codec.decode(hex('22 00'))).toEqual(empty);
    expect(() => protobufEncode(schema, 'w.W', { ...empty, ws: [undefined] })).toThrow(
      new TypeError('value.ws[0]: expected a value (Protobuf google.protobuf.Int32Value), received undefined'),
    );
  });
});

describe('protobufWriterSchema', () => {
  const SHOP = [
    'syntax = "proto3";',
    'package shop;',
    'import "google/protobuf/timestamp.proto";',
    'import "google/protobuf/wrappers.proto";',
    'enum Unused { U = 0; }',
    'message Other { int32 x = 1; }',
    'message Tree {',
    '  enum Kind { LEAF = 0; BRANCH = 1; }',
    '  Kind kind = 3;',
    '  repeated Tree children = 2;',
    '  optional string label = 1;',
    '  map<string, Tree> by_name = 4;',
    '  oneof payload { int64 n = 5; Kind k = 6; }',
    '  repeated string tags = 7;',
    '  repeated double weights = 8;',
    '  repeated sint32 raw = 9 [packed = false];',
    '  google.protobuf.Timestamp at = 10;',
    '  google.protobuf.UInt64Value big = 11;',
    '}',
    '',
  ].join('\n');

  it('holds, for a recursive message with every construct, only what it reaches, fields in number order, as plain JSON', () => {
    const schema = writerSchema(SHOP, 'Tree', 'bigint');
    // Written by hand from SHOP above.
    expect(schema).toEqual({
      longs: 'bigint',
      messages: {
        'shop.Tree': {
          fields: [
            { name: 'label', number: 1, kind: 'optional', scalar: 'string' },
            { name: 'children', number: 2, kind: 'repeated', message: 'shop.Tree' },
            { name: 'kind', number: 3, kind: 'singular', enum: 'shop.Tree.Kind' },
            { name: 'by_name', number: 4, kind: 'map', key: 'string', message: 'shop.Tree' },
            { name: 'n', number: 5, kind: 'oneof', scalar: 'int64', oneof: 'payload' },
            { name: 'k', number: 6, kind: 'oneof', enum: 'shop.Tree.Kind', oneof: 'payload' },
            { name: 'tags', number: 7, kind: 'repeated', scalar: 'string' },
            { name: 'weights', number: 8, kind: 'packed', scalar: 'double' },
            { name: 'raw', number: 9, kind: 'repeated', scalar: 'sint32' },
            { name: 'at', number: 10, kind: 'optional', message: 'google.protobuf.Timestamp' },
            { name: 'big', number: 11, kind: 'optional', message: 'google.protobuf.UInt64Value' },
          ],
          oneofs: { payload: ['n', 'k'] },
        },
        'google.protobuf.Timestamp': {
          fields: [
            { name: 'seconds', number: 1, kind: 'singular', scalar: 'int64' },
            { name: 'nanos', number: 2, kind: 'singular', scalar: 'int32' },
          ],
        },
        'google.protobuf.UInt64Value': {
          fields: [{ name: 'value', number: 1, kind: 'singular', scalar: 'uint64' }],
          wrapper: true,
        },
      },
      enums: { 'shop.Tree.Kind': { LEAF: 0, BRANCH: 1 } },
    });
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    expect(Object.keys(schema.messages)).toEqual([
      'shop.Tree',
      'google.protobuf.Timestamp',
      'google.protobuf.UInt64Value',
    ]);
    expect(writerSchema(SHOP, 'shop.Tree', 'bigint')).toEqual(schema);
  });

  it('encodes the recursive message, the decoder reading it back', async () => {
    const codec = await buildCodec(SHOP, 'shop.Tree', 'bigint');
    const schema = writerSchema(SHOP, 'shop.Tree', 'bigint');
    const leaf = {
      kind: 'LEAF',
      children: [],
      by_name: {},
      payload: { case: undefined },
      tags: [],
      weights: [],
      raw: [],
    };
    const value = {
      ...leaf,
      label: 'root',
      kind: 'BRANCH',
      children: [leaf, { ...leaf, payload: { case: 'k', value: 'BRANCH' } }],
      by_name: { x: { ...leaf, big: 2n ** 64n - 1n } },
      payload: { case: 'n', value: -5n },
      tags: ['a'],
      weights: [0.5],
      raw: [-1, 1],
      at: { seconds: -1n, nanos: 5 },
    };
    const bytes = protobufEncode(schema, 'shop.Tree', value);
    expect(codec.decode(bytes)).toEqual(value);
    expect(bufbuildReencode(bufbuildMessage(SHOP, 'shop.Tree', 'proto3'), bytes)).toBe(toHex(bytes));
  });

  it('prints with literal() into source that type-checks under the strictest settings beside the writer', async () => {
    const schema = writerSchema(EVERYTHING, 'test.v1.All', 'number');
    const source = [
      WRITER_SOURCE,
      `const schema: ProtobufWriterSchema = ${literal(schema)};`,
      "export const bytes: Uint8Array = protobufEncode(schema, 'test.v1.All', {});",
      '',
    ].join('\n');
    expect(await typeErrors(source)).toBe('');
  });

  it('the writer has no imports and uses no Node API (it is copied into generated code)', () => {
    expect(WRITER_SOURCE).not.toMatch(/^import |\brequire\(|\bBuffer\b|\bprocess\.|node:/m);
  });

  it("the writer's top-level names are its own (prefixed), none the Protobuf reader's: both may share a generated file", () => {
    const declared = (source: string): string[] =>
      [...source.matchAll(/^(?:export )?(?:function|interface|type|const|class) (\w+)/gm)].map((m) => m[1] as string);
    const reader = declared(readFileSync(path.join(REPO_ROOT, 'generator', 'runtime', 'protobuf-reader.ts'), 'utf8'));
    const writer = declared(WRITER_SOURCE);
    expect(writer.length).toBeGreaterThan(20);
    expect(writer.filter((n) => !/^(?:protobufWrit|protobufEncode$|PROTOBUF_WRITER_|ProtobufWriter)/.test(n))).toEqual(
      [],
    );
    expect(writer.filter((n) => reader.includes(n))).toEqual([]);
  });
});

describe("protobufEncode on Powertools' captured values (docs/payload-formats.md 3.2)", () => {
  const POWERTOOLS = path.join(REPO_ROOT, 'test', 'fixtures', 'powertools');

  it.each([
    [
      'Product (tests/events/protobuf.json)',
      readFileSync(path.join(POWERTOOLS, 'product.proto'), 'utf8'),
      'Product',
      { id: 1001, name: 'Laptop', price: 999.99 },
      'COkHEgZMYXB0b3AZUrgehes/j0A=',
    ],
    [
      'UserProfile, the Glue capture after its message-index byte (isActive false: not on the wire)',
      readFileSync(path.join(POWERTOOLS, 'complex.proto'), 'utf8'),
      'com.example.protobuf.UserProfile',
      {
        userId: '123',
        name: 'Test',
        email: 'test@gmx.com',
        age: 10,
        isActive: false,
        signupDate: '2025-06-20',
        tags: ['tag1', 'tag2'],
        preferences: { theme: 'light' },
        address: { street: 'Mythenquai', city: 'Zurich', zip: '8002' },
      },
      'CgMxMjMSBFRlc3QaDHRlc3RAZ214LmNvbSAKMgoyMDI1LTA2LTIwOgR0YWcxOgR0YWcySg4KBXRoZW1lEgVsaWdodFIaCgpNeXRoZW5xdWFpEgZadXJpY2gaBDgwMDI=',
    ],
    [
      'User of the docs sample (examples/snippets/kafka/samples/kafkaEventProtobuf.json)',
      'syntax = "proto3";\npackage com.example;\nmessage User { string name = 1; int32 age = 2; }\n',
      'com.example.User',
      { name: 'powertools', age: 5 },
      'Cgpwb3dlcnRvb2xzEAU=',
    ],
  ])('%s: the captured bytes', (_, proto, message, value, base64) => {
    const bytes = protobufEncode(writerSchema(proto, message, 'number'), message, value);
    expect(Buffer.from(bytes).toString('base64')).toBe(base64);
  });
});
