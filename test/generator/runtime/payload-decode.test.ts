/**
 * generator/runtime/payload-decode.ts: the decoding steps `validate` and `sample` share,
 * worded as the generated payloads.ts words its errors (the messages below are the ones
 * test/generator/emit/payloads.test.ts expects from the generated decoders).
 */
import { describe, expect, it } from 'vitest';
import {
  dataFormatReason,
  entryForTopic,
  inMatchOrder,
  notUtf8,
  parseJsonPayload,
  unknownTopicReason,
} from '../../../generator/runtime/payload-decode.js';
import { matchesTopicPattern } from '../../../generator/runtime/topic-pattern.js';

const entry = (topic: string) => {
  const parts = topic.replace(/\*+/g, '*').split('*');
  return { topic, pattern: topic.includes('*'), matches: (name: string) => matchesTopicPattern(name, parts) };
};

describe('which entry decodes a topic', () => {
  const ordered = inMatchOrder(['audit-*', 'audit-special', 'metrics.v1-*', 'orders'].map(entry));

  it('exact names first, then patterns, each in config order', () => {
    expect(ordered.map((e) => e.topic)).toEqual(['audit-special', 'orders', 'audit-*', 'metrics.v1-*']);
  });

  it.each([
    ['audit-special', 'audit-special'],
    ['audit-other', 'audit-*'],
    ['audit-', 'audit-*'],
    ['orders', 'orders'],
    ['metrics.v1-eu', 'metrics.v1-*'],
    ['metricsXv1-eu', undefined],
    ['Orders', undefined],
    ['payments', undefined],
  ])('%s -> %s', (topic, expected) => {
    expect(entryForTopic(topic, ordered)?.topic).toBe(expected);
  });
});

describe('reasons', () => {
  it.each([
    ['value', undefined, undefined],
    ['value', 'JSON', undefined],
    [
      'value',
      'AVRO',
      'valueSchemaMetadata.dataFormat is AVRO, but topic "orders" is declared json in msk-codegen.config.json: the bytes are AVRO, not JSON text',
    ],
    [
      'key',
      'PROTOBUF',
      'keySchemaMetadata.dataFormat is PROTOBUF, but topic "orders" is declared json in msk-codegen.config.json: the bytes are PROTOBUF, not JSON text',
    ],
  ] as const)('dataFormat %s %s', (side, dataFormat, expected) => {
    expect(dataFormatReason(side, dataFormat, 'orders')).toBe(expected);
  });

  it('an unknown topic', () => {
    expect(unknownTopicReason('payments')).toBe(
      'topic "payments" has no payload declared in msk-codegen.config.json ("unknownTopics": "reject")',
    );
  });
});

describe('JSON text from bytes', () => {
  const decode = (bytes: number[]) => parseJsonPayload(Uint8Array.from(bytes), Buffer.from(bytes).toString('utf8'));
  const utf8 = (text: string) => [...Buffer.from(text, 'utf8')];

  it.each([
    { name: 'JSON', bytes: utf8('{"a":"ë"}'), expected: { ok: true, value: { a: 'ë' } } },
    { name: 'JSON holding a real U+FFFD', bytes: utf8('"\uFFFD"'), expected: { ok: true, value: '\uFFFD' } },
    {
      name: 'bytes that are not UTF-8',
      bytes: [0x7b, 0xff, 0xfe, 0x7d],
      expected: { ok: false, problem: 'not-utf8', reason: 'not JSON: the bytes are not UTF-8 text' },
    },
    { name: 'text that is not JSON', bytes: utf8('hello'), expected: { ok: false, problem: 'not-json' } },
  ])('$name', ({ bytes, expected }) => {
    expect(decode(bytes)).toMatchObject(expected);
  });

  it('not JSON: the reason is JSON.parse\'s, after "not JSON: " (as the generated KafkaRecordDecodeError says)', () => {
    const result = decode(utf8('{"orderId": "ORD-1",'));
    let parseError = '';
    try {
      JSON.parse('{"orderId": "ORD-1",');
    } catch (error) {
      parseError = (error as Error).message;
    }
    expect(result).toEqual({ ok: false, problem: 'not-json', reason: `not JSON: ${parseError}` });
  });

  it('notUtf8 decodes strictly only text that holds U+FFFD', () => {
    expect(notUtf8(Uint8Array.from([0xc3, 0xab]), 'ë')).toBe(false);
    expect(notUtf8(Uint8Array.from([0xc3]), '\uFFFD')).toBe(true);
    expect(notUtf8(Uint8Array.from(utf8('\uFFFD')), '\uFFFD')).toBe(false);
  });
});
