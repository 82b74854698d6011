/**
 * Schema-registry framing (generator/runtime/payload-framing.ts): the byte layouts of
 * docs/payload-formats.md, written out by hand here, and Powertools' captured values.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BinaryDecodeError } from '../../../generator/runtime/binary-decode-error.js';
import {
  decodeFailure,
  registryOfSchemaId,
  unframe,
  type FramingExpectation,
  type SchemaMetadataFields,
} from '../../../generator/runtime/payload-framing.js';

const bytes = (...parts: (number | readonly number[] | Uint8Array)[]) =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === 'number' ? [part] : [...part])));
const b64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

/** Avro `{ name: "Powertools", age: 5 }` under user.avsc: string length 10 (zig-zag 0x14), the text, int 5 (0x0a). */
const USER_DATUM = bytes(0x14, [...Buffer.from('Powertools')], 0x0a);
/** Protobuf Product `{ id: 1001 }`: tag 0x08 (field 1, varint), 1001 = e9 07. */
const PRODUCT_MESSAGE = bytes(0x08, 0xe9, 0x07);
const GLUE_UUID = bytes(0x57, 0x4f, 0x6a, 0x9a, 0x95, 0x48, 0x4d, 0xea, 0x86, 0xa3, 0xd8, 0x2c, 0x04, 0x79, 0xa1, 0x16);

const avro = (framing: FramingExpectation['framing'] = 'auto'): FramingExpectation => ({ format: 'avro', framing });
const protobuf = (
  confluentIndexes: number[],
  glueIndex: number,
  framing: FramingExpectation['framing'] = 'auto',
): FramingExpectation => ({ format: 'protobuf', framing, message: 'shop.v1.Order', confluentIndexes, glueIndex });

interface Accepted {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly expected: FramingExpectation;
  readonly metadata?: SchemaMetadataFields;
  readonly registry: 'confluent' | 'glue' | 'none';
  readonly schemaId: string | undefined;
  readonly bodyOffset: number;
  readonly body: Uint8Array;
}

const accepted: Accepted[] = [
  {
    name: 'raw Confluent Avro: 00, id 1 big-endian, the datum',
    bytes: bytes(0, 0, 0, 0, 1, USER_DATUM),
    expected: avro(),
    registry: 'confluent',
    schemaId: '1',
    bodyOffset: 5,
    body: USER_DATUM,
  },
  {
    name: 'raw Confluent Avro, a 4-byte id above 2^31 read unsigned',
    bytes: bytes(0, 0x80, 0, 0x01, 0x02, USER_DATUM),
    expected: avro('confluent'),
    registry: 'confluent',
    schemaId: String(2 ** 31 + 258),
    bodyOffset: 5,
    body: USER_DATUM,
  },
  {
    name: "Powertools' docs Avro sample (a real MSK capture): Glue, uncompressed",
    bytes: b64('AwBXT2qalUhN6oaj2CwEeaEWFFBvd2VydG9vbHMK'),
    expected: avro(),
    registry: 'glue',
    schemaId: '574f6a9a-9548-4dea-86a3-d82c0479a116',
    bodyOffset: 18,
    body: USER_DATUM,
  },
  {
    name: "Powertools' Avro Product test value: no framing (starts d2 0f, id 1001)",
    bytes: b64('0g8MTGFwdG9wUrgehes/j0A='),
    expected: avro(),
    registry: 'none',
    schemaId: undefined,
    bodyOffset: 0,
    body: b64('0g8MTGFwdG9wUrgehes/j0A='),
  },
  {
    name: 'framing "none" takes a Confluent-looking Avro datum as it is',
    bytes: bytes(0, 0, 0, 0, 1, USER_DATUM),
    expected: avro('none'),
    registry: 'none',
    schemaId: undefined,
    bodyOffset: 0,
    body: bytes(0, 0, 0, 0, 1, USER_DATUM),
  },
  {
    name: 'raw Confluent Protobuf, the first message: the single-byte index [0]',
    bytes: bytes(0, 0, 0, 0, 7, 0x00, PRODUCT_MESSAGE),
    expected: protobuf([0], 0),
    registry: 'confluent',
    schemaId: '7',
    bodyOffset: 6,
    body: PRODUCT_MESSAGE,
  },
  {
    name: 'raw Confluent Protobuf, [0] written in full (count 1 = 02, index 0 = 00)',
    bytes: bytes(0, 0, 0, 0, 7, 0x02, 0x00, PRODUCT_MESSAGE),
    expected: protobuf([0], 0),
    registry: 'confluent',
    schemaId: '7',
    bodyOffset: 7,
    body: PRODUCT_MESSAGE,
  },
  {
    name: 'raw Confluent Protobuf, a nested message [1, 0] = 04 02 00',
    bytes: bytes(0, 0, 0, 0, 7, 0x04, 0x02, 0x00, PRODUCT_MESSAGE),
    expected: protobuf([1, 0], 3),
    registry: 'confluent',
    schemaId: '7',
    bodyOffset: 8,
    body: PRODUCT_MESSAGE,
  },
  {
    name: 'raw Glue Protobuf: header, then index 2 as a plain varint',
    bytes: bytes(3, 0, GLUE_UUID, 0x02, PRODUCT_MESSAGE),
    expected: protobuf([1], 2),
    registry: 'glue',
    schemaId: '574f6a9a-9548-4dea-86a3-d82c0479a116',
    bodyOffset: 19,
    body: PRODUCT_MESSAGE,
  },
  {
    name: 'raw Protobuf without framing (a tag byte of 08 or more)',
    bytes: PRODUCT_MESSAGE,
    expected: protobuf([0], 0),
    registry: 'none',
    schemaId: undefined,
    bodyOffset: 0,
    body: PRODUCT_MESSAGE,
  },
  {
    name: "SOURCE, Confluent (schemaId digits): Powertools' capture starts 02 02 = [1]",
    bytes: bytes(0x02, 0x02, 0x0a, 0x03, [...Buffer.from('Bob')]),
    expected: protobuf([1], 1),
    metadata: { dataFormat: 'PROTOBUF', schemaId: '1' },
    registry: 'confluent',
    schemaId: '1',
    bodyOffset: 2,
    body: bytes(0x0a, 0x03, [...Buffer.from('Bob')]),
  },
  {
    name: 'SOURCE, Glue (schemaId a UUID): the capture starts 01 = index 1',
    bytes: bytes(0x01, 0x0a, 0x04, [...Buffer.from('u859')]),
    expected: protobuf([1], 1),
    metadata: { dataFormat: 'PROTOBUF', schemaId: '7d55d475-2244-4485-8341-f74468c1e058' },
    registry: 'glue',
    schemaId: '7d55d475-2244-4485-8341-f74468c1e058',
    bodyOffset: 1,
    body: bytes(0x0a, 0x04, [...Buffer.from('u859')]),
  },
  {
    name: 'SOURCE, Glue index 128: a two-byte varint (80 01), not one byte dropped',
    bytes: bytes(0x80, 0x01, PRODUCT_MESSAGE),
    expected: protobuf([0], 128),
    metadata: { dataFormat: 'PROTOBUF', schemaId: '7d55d475-2244-4485-8341-f74468c1e058' },
    registry: 'glue',
    schemaId: '7d55d475-2244-4485-8341-f74468c1e058',
    bodyOffset: 2,
    body: PRODUCT_MESSAGE,
  },
  {
    name: 'SOURCE Avro: the datum alone, whatever the registry',
    bytes: USER_DATUM,
    expected: avro(),
    metadata: { dataFormat: 'AVRO', schemaId: '12' },
    registry: 'confluent',
    schemaId: '12',
    bodyOffset: 0,
    body: USER_DATUM,
  },
  {
    name: 'SOURCE Protobuf with framing "none": the message as it is',
    bytes: PRODUCT_MESSAGE,
    expected: protobuf([0], 0, 'none'),
    metadata: { dataFormat: 'PROTOBUF' },
    registry: 'none',
    schemaId: undefined,
    bodyOffset: 0,
    body: PRODUCT_MESSAGE,
  },
];

interface Refused {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly expected: FramingExpectation;
  readonly metadata?: SchemaMetadataFields;
  readonly offset: number;
  readonly message: RegExp;
}

const refused: Refused[] = [
  {
    name: 'a PROTOBUF record on an Avro topic',
    bytes: PRODUCT_MESSAGE,
    expected: avro(),
    metadata: { dataFormat: 'PROTOBUF', schemaId: '1' },
    offset: 0,
    message: /expected AVRO bytes \(the topic is declared avro .*\), found schema metadata dataFormat PROTOBUF/,
  },
  {
    name: 'JSON metadata on a Protobuf topic',
    bytes: bytes(0x7b, 0x7d),
    expected: protobuf([0], 0),
    metadata: { dataFormat: 'JSON', schemaId: '1' },
    offset: 0,
    message: /expected PROTOBUF bytes .* found schema metadata dataFormat JSON/,
  },
  {
    name: 'framing "glue" but a Confluent schema id',
    bytes: USER_DATUM,
    expected: avro('glue'),
    metadata: { dataFormat: 'AVRO', schemaId: '42' },
    offset: 0,
    message: /expected a glue schema id .* found schema metadata schemaId "42", which is a Confluent id/,
  },
  {
    name: 'SOURCE Protobuf whose schemaId names no registry',
    bytes: bytes(0x02, 0x02, PRODUCT_MESSAGE),
    expected: protobuf([1], 1),
    metadata: { dataFormat: 'PROTOBUF', schemaId: '1111111111111111-x' },
    offset: 0,
    message: /expected a schemaId of digits \(Confluent\) or a UUID \(Glue\).*found schemaId "1111111111111111-x"/,
  },
  {
    name: 'a Confluent index naming another message',
    bytes: bytes(0, 0, 0, 0, 7, 0x02, 0x02, PRODUCT_MESSAGE),
    expected: protobuf([0], 0),
    offset: 5,
    message: /expected message index \[0\] \(shop\.v1\.Order\), found \[1\]/,
  },
  {
    name: "Powertools' hand-made 02 01 00: count 1, index -1",
    bytes: bytes(0x02, 0x01, 0x00, PRODUCT_MESSAGE),
    expected: protobuf([0], 0),
    metadata: { dataFormat: 'PROTOBUF', schemaId: '1' },
    offset: 0,
    message: /found \[-1\]/,
  },
  {
    name: 'a Confluent index count beyond the bytes',
    bytes: bytes(0, 0, 0, 0, 7, 0xfe, 0xff, 0xff, 0xff, 0x0f),
    expected: protobuf([0], 0),
    offset: 5,
    message: /expected a message-index count from 0 to 0, found 2147483647/,
  },
  {
    name: 'a Glue index naming another message',
    bytes: bytes(0x01, PRODUCT_MESSAGE),
    expected: protobuf([0], 0),
    metadata: { dataFormat: 'PROTOBUF', schemaId: '7d55d475-2244-4485-8341-f74468c1e058' },
    offset: 0,
    message: /expected Glue message index 0 \(shop\.v1\.Order\), found 1/,
  },
  {
    name: 'a Glue index that never ends',
    bytes: bytes(0x80, 0x80),
    expected: protobuf([0], 0),
    metadata: { dataFormat: 'PROTOBUF', schemaId: '7d55d475-2244-4485-8341-f74468c1e058' },
    offset: 2,
    message: /expected Glue's message index, found the end of the bytes/,
  },
  {
    name: 'framing "confluent" but no magic byte',
    bytes: USER_DATUM,
    expected: avro('confluent'),
    offset: 0,
    message:
      /expected Confluent framing: magic byte 0x00 and a 4-byte schema id, found 12 bytes starting 14 50 6f 77 65 72/,
  },
  {
    name: 'framing "glue" but too short for its header',
    bytes: bytes(3, 0, 1, 2),
    expected: avro('glue'),
    offset: 0,
    message: /expected Glue framing: .* found 4 bytes starting 03 00 01 02/,
  },
  {
    name: 'raw Protobuf starting with a byte no message starts with (field number 0)',
    bytes: bytes(0x01, PRODUCT_MESSAGE),
    expected: protobuf([0], 0),
    offset: 0,
    message: /expected a Protobuf field tag \(field number 1 or more\), or a Confluent \(0x00\) or Glue \(0x03\) frame/,
  },
  {
    name: 'Glue compression byte 5 over bytes that are not zlib',
    bytes: bytes(3, 5, GLUE_UUID, 1, 2, 3),
    expected: avro(),
    offset: 18,
    message: /expected zlib data .*Glue compression byte 0x05/,
  },
];

describe('unframe', () => {
  it.each(accepted)('$name', ({ bytes, expected, metadata, registry, schemaId, bodyOffset, body }) => {
    const unframed = unframe(bytes, expected, metadata);
    expect(unframed).toMatchObject({ registry, schemaId, bodyOffset, inflated: false });
    expect([...unframed.body]).toEqual([...body]);
  });

  it.each(refused)('refuses $name', ({ bytes, expected, metadata, offset, message }) => {
    let thrown: unknown;
    try {
      unframe(bytes, expected, metadata);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BinaryDecodeError);
    expect((thrown as BinaryDecodeError).offset).toBe(offset);
    expect((thrown as BinaryDecodeError).message).toMatch(message);
  });

  it('inflates a Glue payload compressed with zlib (byte 5), the Protobuf index inside the compressed part', () => {
    const compressed = deflateSync(bytes(0x02, PRODUCT_MESSAGE));
    expect([...compressed.subarray(0, 1)]).toEqual([0x78]); // zlib-wrapped, as Java's Deflater writes
    const unframed = unframe(bytes(3, 5, GLUE_UUID, compressed), protobuf([0], 2), undefined);
    expect(unframed).toMatchObject({ registry: 'glue', inflated: true, bodyOffset: 1 });
    expect([...unframed.body]).toEqual([...PRODUCT_MESSAGE]);
  });

  it('refuses a zlib bomb: at most 64 MiB inflated', () => {
    const bomb = deflateSync(new Uint8Array(65 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => unframe(bytes(3, 5, GLUE_UUID, bomb), avro(), undefined)).toThrow(/at most 67108864 bytes/);
  });
});

describe('registryOfSchemaId', () => {
  it.each([
    ['1', 'confluent'],
    ['000123', 'confluent'],
    ['7d55d475-2244-4485-8341-f74468c1e058', 'glue'],
    ['7D55D475-2244-4485-8341-F74468C1E058', 'glue'],
    // Powertools' test ids, classified by their length there: neither a number nor a UUID here.
    ['1111111111111111x', undefined],
    ['key-schema-001', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j is %s', (schemaId, registry) => {
    expect(registryOfSchemaId(schemaId)).toBe(registry);
  });
});

describe('decodeFailure: how a failure reads in PayloadDecodeError and validate', () => {
  it.each([
    {
      name: 'unframing failed: the offset as thrown, nothing about the writer',
      cause: new BinaryDecodeError(0, 'message index [0] (shop.v1.Order)', '[1]'),
      framing: {},
      offset: 0,
      message: 'not a valid Order (Protobuf): at byte 0: expected message index [0] (shop.v1.Order), found [1]',
    },
    {
      name: 'the decoder failed after a Confluent header: offsets from the start of the bytes, and the schema id',
      cause: new BinaryDecodeError(3, 'a union branch index below 2', 'index 4'),
      framing: { bodyOffset: 5, inflated: false, registry: 'confluent' as const, schemaId: '42' },
      offset: 8,
      message:
        'not a valid Payment (Avro): at byte 8: expected a union branch index below 2, found index 4 (written with Confluent schema id 42)',
    },
    {
      name: 'in an inflated Glue payload',
      cause: new BinaryDecodeError(7, 'a string of 12 bytes'),
      framing: {
        bodyOffset: 1,
        inflated: true,
        registry: 'glue' as const,
        schemaId: '574f6a9a-9548-4dea-86a3-d82c0479a116',
      },
      offset: 8,
      message:
        'not a valid Order (Protobuf): at byte 8 of the inflated Glue payload: expected a string of 12 bytes (written with Glue schema version 574f6a9a-9548-4dea-86a3-d82c0479a116)',
    },
  ])('$name', ({ cause, framing, offset, message }) => {
    const type = message.slice('not a valid '.length, message.indexOf(': at byte'));
    expect(decodeFailure(type, cause, framing)).toEqual({ offset, message });
  });
});

describe('decodeFailure: what the bytes look like instead, when they show it', () => {
  const cause = new BinaryDecodeError(
    0,
    'a Protobuf field tag (field number 1 or more), or a Confluent (0x00) or Glue (0x03) frame',
  );
  const json =
    'the bytes are a JSON object: an event source mapping with EventRecordFormat JSON delivers JSON, which msk-codegen does not read for Avro or Protobuf topics (set EventRecordFormat to SOURCE, or declare the topic "format": "json" with a JSON Schema)';
  const v1 =
    "byte 0x01 may start Confluent's newer framing (magic byte 0x01 and a 16-byte schema GUID), which msk-codegen does not read: configure the producer's serializer to write magic byte 0x00 (a 4-byte schema id)";
  it.each([
    {
      name: 'a JSON object (EventRecordFormat JSON)',
      bytes: Buffer.from('{"name": "Powertools", "age": 5}'),
      hint: json,
    },
    { name: 'a JSON object after white space', bytes: Buffer.from('\n {"id":1}\n'), hint: json },
    { name: 'JSON that is not an object', bytes: Buffer.from('[1,2]'), hint: undefined },
    { name: 'a brace that is not JSON', bytes: Buffer.from('{not json'), hint: undefined },
    { name: 'magic byte 0x01 and a GUID', bytes: new Uint8Array([1, ...new Array(16).fill(0xab), 8, 1]), hint: v1 },
    { name: 'byte 0x01 and too few bytes for a GUID', bytes: new Uint8Array([1, 2, 3]), hint: undefined },
    { name: 'no bytes', bytes: new Uint8Array(0), hint: undefined },
  ])('$name', ({ bytes, hint }) => {
    const { message } = decodeFailure('User (Avro)', cause, {}, bytes);
    const plain = decodeFailure('User (Avro)', cause, {}).message;
    expect(message).toBe(hint === undefined ? plain : `${plain}; ${hint}`);
  });
});
