/**
 * frame(): the bytes a serializer (raw) or a mapping with a schema registry (SOURCE) gives,
 * checked byte by byte against the layouts of docs/payload-formats.md sections 1-2, and
 * against unframe, which must give the body back.
 */
import { describe, expect, it } from 'vitest';
import { frame } from '../../../generator/runtime/payload-framing-writer.js';
import { unframe, type FramingExpectation } from '../../../generator/runtime/payload-framing.js';

const GLUE_ID = '574f6a9a-9548-4dea-86a3-d82c0479a116';
const GLUE_BYTES = [0x57, 0x4f, 0x6a, 0x9a, 0x95, 0x48, 0x4d, 0xea, 0x86, 0xa3, 0xd8, 0x2c, 0x04, 0x79, 0xa1, 0x16];
const IDS = { confluent: 258, glue: GLUE_ID };
const BODY = Uint8Array.from([0x0a, 0x01, 0x41]);

const avro = (framing: FramingExpectation['framing']): FramingExpectation => ({ format: 'avro', framing });
const proto = (framing: FramingExpectation['framing'], confluentIndexes: number[], glueIndex: number) => ({
  format: 'protobuf' as const,
  framing,
  message: 'shop.v1.Order',
  confluentIndexes,
  glueIndex,
});

describe('frame', () => {
  it.each([
    {
      name: 'Avro, Confluent: 00, id 258 big-endian',
      expected: avro('confluent'),
      metadata: undefined,
      head: [0, 0, 0, 1, 2],
    },
    { name: 'Avro, auto: Confluent', expected: avro('auto'), metadata: undefined, head: [0, 0, 0, 1, 2] },
    {
      name: 'Avro, Glue: 03 00 and the UUID',
      expected: avro('glue'),
      metadata: undefined,
      head: [3, 0, ...GLUE_BYTES],
    },
    { name: 'Avro, none', expected: avro('none'), metadata: undefined, head: [] },
    {
      name: 'Avro, SOURCE: the datum alone',
      expected: avro('auto'),
      metadata: { dataFormat: 'AVRO', schemaId: '1' },
      head: [],
    },
    {
      name: 'Protobuf [0], Confluent: the single byte 00',
      expected: proto('confluent', [0], 2),
      metadata: undefined,
      head: [0, 0, 0, 1, 2, 0],
    },
    {
      name: 'Protobuf [1], Confluent: count 1, index 1, zig-zag',
      expected: proto('confluent', [1], 2),
      metadata: undefined,
      head: [0, 0, 0, 1, 2, 2, 2],
    },
    {
      name: 'Protobuf [1, 0], Confluent',
      expected: proto('auto', [1, 0], 2),
      metadata: undefined,
      head: [0, 0, 0, 1, 2, 4, 2, 0],
    },
    {
      name: 'Protobuf [64], Confluent: zig-zag 128, two bytes',
      expected: proto('auto', [64], 2),
      metadata: undefined,
      head: [0, 0, 0, 1, 2, 2, 0x80, 1],
    },
    {
      name: 'Protobuf, Glue index 2',
      expected: proto('glue', [0], 2),
      metadata: undefined,
      head: [3, 0, ...GLUE_BYTES, 2],
    },
    {
      name: 'Protobuf, Glue index 300: a plain varint',
      expected: proto('glue', [0], 300),
      metadata: undefined,
      head: [3, 0, ...GLUE_BYTES, 0xac, 2],
    },
    { name: 'Protobuf, none', expected: proto('none', [1], 2), metadata: undefined, head: [] },
    {
      name: 'Protobuf, SOURCE, Confluent id: the index array kept',
      expected: proto('auto', [1], 2),
      metadata: { dataFormat: 'PROTOBUF', schemaId: '7' },
      head: [2, 2],
    },
    {
      name: 'Protobuf, SOURCE, Glue UUID: the varint kept',
      expected: proto('auto', [1], 2),
      metadata: { dataFormat: 'PROTOBUF', schemaId: GLUE_ID },
      head: [2],
    },
    {
      name: 'Protobuf, SOURCE, framing glue whatever the id',
      expected: proto('glue', [1], 2),
      metadata: { dataFormat: 'PROTOBUF' },
      head: [2],
    },
  ])('$name', ({ expected, metadata, head }) => {
    const bytes = frame(BODY, expected, metadata, IDS);
    expect([...bytes]).toEqual([...head, ...BODY]);
    const back = unframe(bytes, expected, metadata);
    expect([...back.body]).toEqual([...BODY]);
    if (metadata === undefined && head.length > 0)
      expect(back.schemaId).toBe(expected.framing === 'glue' ? GLUE_ID : '258');
  });

  it('a Protobuf value with schema metadata whose schemaId names no registry: a TypeError saying what is needed', () => {
    expect(() =>
      frame(BODY, proto('auto', [0], 0), { dataFormat: 'PROTOBUF', schemaId: 'key-schema-001' }, IDS),
    ).toThrow(
      'a Protobuf value with schema metadata needs a schemaId of digits (Confluent) or a UUID (Glue), to know the form of its message index; received "key-schema-001"',
    );
  });
});
