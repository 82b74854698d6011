/**
 * Tests of the pure core of `msk-codegen sample` (generator/commands/sample/index.ts).
 *
 * Expected values were worked out by hand from /work/shared/spec/kafka-event-facts.md and
 * the reference page, not taken from the module's output:
 *  - header bytes: UTF-8, written as Java's signed bytes (b >= 128 is sent as b - 256):
 *    "ë" U+00EB = C3 AB = 195, 171 -> -61, -85; "😀" U+1F600 = F0 9F 98 80 = 240, 159, 152, 128
 *    -> -16, -97, -104, -128; "headerValue" is ASCII, the page's first example's numbers;
 *  - base64: "headerValue" -> "aGVhZGVyVmFsdWU=" and "Hello, this is a test." ->
 *    "SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==" (both on the reference page); bytes 00 01 02 FD FE FF
 *    -> "AAEC/f7/" (000000 000000 000010 000010 | 111111 011111 111011 111111);
 *  - counts: topics × partitions × records, and the records keys "<topic>-<partition>";
 *  - 2025 in epoch ms: Date.UTC(2025, 0, 1) = 1735689600000, Date.UTC(2026, 0, 1) = 1767225600000.
 */
import { describe, expect, it } from 'vitest';
import { CodegenError } from '../../../../generator/core/diagnostics.js';
import {
  checkSampleOptions,
  parseFailureFlag,
  parseHeaderFlag,
  parseSchemaMetadataFlag,
  sampleEvent,
  sampleResponse,
} from '../../../../generator/commands/sample/index.js';
import type { SampleOptions } from '../../../../generator/commands/sample/index.js';
import {
  headersOf,
  headerValue,
  isKafkaBatchResponse,
  isKafkaEvent,
  isMSKEvent,
  isSelfManagedKafkaEvent,
  keyText,
  parseKafkaEvent,
  recordsOf,
  safeParseKafkaEvent,
  splitTopicPartition,
  valueBytes,
  valueJson,
  valueText,
} from '../../../../generated/index.js';
import type { KafkaEvent, KafkaRecord } from '../../../../generated/index.js';

const START_2025 = 1735689600000;
const START_2026 = 1767225600000;

/** The caller's defaults, with `overrides`. */
function opts(overrides: Partial<SampleOptions> = {}): SampleOptions {
  return {
    source: 'msk',
    topics: ['mytopic'],
    partitions: 1,
    records: 1,
    headers: [],
    tombstone: false,
    seed: 1,
    legacy: false,
    ...overrides,
  };
}

/** The event for `options`, which must be a canonical KafkaEvent. */
function strict(options: SampleOptions): KafkaEvent {
  const event = sampleEvent(options);
  if (!isKafkaEvent(event)) throw new Error(`not a KafkaEvent: ${JSON.stringify(event).slice(0, 300)}`);
  return event;
}

function records(event: KafkaEvent): KafkaRecord[] {
  return Object.values(event.records).flat();
}

/** The CodegenError `fn` throws (fails the test if it throws nothing or something else); every diagnostic is E_USAGE. */
function usageError(fn: () => unknown): CodegenError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CodegenError);
    const codegen = error as CodegenError;
    expect(codegen.diagnostics.length).toBeGreaterThan(0);
    for (const diagnostic of codegen.diagnostics) expect(diagnostic.code).toBe('E_USAGE');
    return codegen;
  }
  throw new Error('expected a CodegenError');
}

// ---------------------------------------------------------------------------
// Flag combinations

describe('sampleEvent: flag combinations', () => {
  const cases: { name: string; options: Partial<SampleOptions>; keys: string[] }[] = [
    { name: 'the defaults (MSK, mytopic, 1 × 1)', options: {}, keys: ['mytopic-0'] },
    { name: 'self-managed defaults', options: { source: 'self-managed' }, keys: ['mytopic-0'] },
    {
      name: 'MSK, three topics (one with "-"), 2 partitions × 3 records',
      options: { topics: ['orders', 'payment-events', 'a.b_c'], partitions: 2, records: 3, seed: 42 },
      keys: ['orders-0', 'orders-1', 'payment-events-0', 'payment-events-1', 'a.b_c-0', 'a.b_c-1'],
    },
    {
      name: 'self-managed, a topic ending in "-<digits>", 12 partitions',
      options: { source: 'self-managed', topics: ['orders-eu-1'], partitions: 12, records: 2, seed: 7 },
      keys: Array.from({ length: 12 }, (_, p) => `orders-eu-1-${p}`),
    },
    {
      name: 'key, value text, headers with "ë" and a duplicate name',
      options: {
        key: 'order-42',
        value: { text: 'Hello, this is a test.' },
        headers: [
          { name: 'h', value: 'ë' },
          { name: 'h', value: 'x' },
        ],
        records: 4,
      },
      keys: ['mytopic-0'],
    },
    {
      name: 'value JSON, schema metadata JSON with a numeric id',
      options: { value: { json: { a: [1, 'ë'] } }, schemaMetadata: { dataFormat: 'JSON', schemaId: '1042' } },
      keys: ['mytopic-0'],
    },
    {
      name: 'value bytes, key, schema metadata AVRO with a UUID id',
      options: {
        source: 'self-managed',
        key: 'k',
        value: { bytes: new Uint8Array([0, 1, 2, 253, 254, 255]) },
        schemaMetadata: { dataFormat: 'AVRO', schemaId: '7b0a6b8e-3f2c-4d1e-9a5b-c6d7e8f90123' },
      },
      keys: ['mytopic-0'],
    },
    {
      name: 'schema metadata PROTOBUF without an id',
      options: { schemaMetadata: { dataFormat: 'PROTOBUF' }, partitions: 3 },
      keys: ['mytopic-0', 'mytopic-1', 'mytopic-2'],
    },
    {
      name: 'tombstones with a key, MSK',
      options: { tombstone: true, key: 'gone', records: 5, seed: 0 },
      keys: ['mytopic-0'],
    },
    {
      name: 'tombstones, self-managed, headers',
      options: {
        source: 'self-managed',
        tombstone: true,
        headers: [{ name: 'reason', value: 'deleted' }],
        seed: 4294967295,
      },
      keys: ['mytopic-0'],
    },
    {
      name: 'a header with an empty value and "=" in none',
      options: { headers: [{ name: 'empty', value: '' }] },
      keys: ['mytopic-0'],
    },
    {
      name: 'exactly 10,000 records (10 topics × 10 partitions × 100)',
      options: { topics: Array.from({ length: 10 }, (_, t) => `t${t}`), partitions: 10, records: 100 },
      keys: Array.from({ length: 10 }, (_, t) => Array.from({ length: 10 }, (_, p) => `t${t}-${p}`)).flat(),
    },
    {
      name: '1000 partitions (the most) × 10 records',
      options: { partitions: 1000, records: 10 },
      keys: Array.from({ length: 1000 }, (_, p) => `mytopic-${p}`),
    },
  ];

  it.each(cases)(
    '$name: a canonical KafkaEvent with the right records under the right keys',
    ({ options: overrides, keys }) => {
      const options = opts(overrides);
      const event = strict(options);
      expect(Object.keys(event.records)).toEqual(keys);
      for (const [topicPartition, list] of Object.entries(event.records)) {
        expect(list).toHaveLength(options.records);
        const { topic, partition } = splitTopicPartition(topicPartition);
        list.forEach((record, i) => {
          expect(record.topic).toBe(topic);
          expect(record.partition).toBe(partition);
          expect(record.offset).toBe(list[0]!.offset + i);
          expect(Number.isInteger(record.timestamp)).toBe(true);
          expect(record.timestamp).toBeGreaterThanOrEqual(START_2025);
          expect(record.timestamp).toBeLessThan(START_2026);
          if (i > 0) expect(record.timestamp).toBeGreaterThan(list[i - 1]!.timestamp);
          expect(record.timestampType).toBe('CREATE_TIME');
        });
      }

      if (options.source === 'msk') expect(isMSKEvent(event)).toBe(true);
      else expect(isSelfManagedKafkaEvent(event)).toBe(true);
      expect(event.eventSource).toBe(options.source === 'msk' ? 'aws:kafka' : 'SelfManagedKafka');
      expect('eventSourceArn' in event).toBe(options.source === 'msk');
      expect(event.bootstrapServers).toMatch(/^[^,\s]+:[0-9]+(,[^,\s]+:[0-9]+)*$/);

      for (const record of records(event)) {
        expect('key' in record).toBe(options.key !== undefined);
        expect(record.value === null).toBe(options.tombstone);
        expect(record.headers).toHaveLength(options.headers.length);
        expect(headersOf(record).map(({ name, value }) => ({ name, value }))).toEqual(options.headers);
        expect(record.valueSchemaMetadata).toEqual(options.schemaMetadata);
        expect(record.keySchemaMetadata).toEqual(options.key === undefined ? undefined : options.schemaMetadata);
      }
    },
  );

  it('keys in the documented order (event, then record)', () => {
    const msk = strict(
      opts({ key: 'k', headers: [{ name: 'h', value: 'v' }], schemaMetadata: { dataFormat: 'AVRO', schemaId: '1' } }),
    );
    expect(Object.keys(msk)).toEqual(['eventSource', 'eventSourceArn', 'bootstrapServers', 'records']);
    expect(Object.keys(records(msk)[0]!)).toEqual([
      'topic',
      'partition',
      'offset',
      'timestamp',
      'timestampType',
      'key',
      'value',
      'headers',
      'keySchemaMetadata',
      'valueSchemaMetadata',
    ]);
    const selfManaged = strict(opts({ source: 'self-managed' }));
    expect(Object.keys(selfManaged)).toEqual(['eventSource', 'bootstrapServers', 'records']);
    expect(Object.keys(records(selfManaged)[0]!)).toEqual([
      'topic',
      'partition',
      'offset',
      'timestamp',
      'timestampType',
      'value',
      'headers',
    ]);
  });

  it.each([0, 1, 2, 99, 123456789, 4294967295])(
    'seed %i: the MSK ARN has the documented shape (12-digit account, lower-case v4 uuid, -<N>)',
    (seed) => {
      const event = strict(opts({ seed })) as KafkaEvent & { eventSourceArn: string };
      expect(event.eventSourceArn).toMatch(
        /^arn:aws:kafka:[a-z]{2}-[a-z]+-[0-9]:[0-9]{12}:cluster\/[a-z0-9-]+\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-[0-9]+$/,
      );
      const region = event.eventSourceArn.split(':')[3]!;
      for (const server of event.bootstrapServers!.split(','))
        expect(server).toMatch(new RegExp(`^b-[0-9]\\.[a-z0-9.-]+\\.kafka\\.${region}\\.amazonaws\\.com:[0-9]+$`));
    },
  );

  it('a header named "__proto__" is an own property, kept in the JSON', () => {
    const event = strict(opts({ headers: [{ name: '__proto__', value: 'a' }] }));
    expect(JSON.stringify(records(event)[0]!.headers)).toBe('[{"__proto__":[97]}]');
  });
});

// ---------------------------------------------------------------------------
// Reproducibility

describe('sampleEvent: seed', () => {
  const variants: Partial<SampleOptions>[] = [
    {},
    { source: 'self-managed', topics: ['a', 'b-c'], partitions: 3, records: 4 },
    { key: 'k', value: { json: { x: 1 } }, headers: [{ name: 'h', value: 'ë' }], legacy: true },
  ];

  it.each(variants)('the same options give byte-identical output (%j)', (overrides) => {
    expect(JSON.stringify(sampleEvent(opts({ ...overrides, seed: 2025 })))).toBe(
      JSON.stringify(sampleEvent(opts({ ...overrides, seed: 2025 }))),
    );
  });

  it.each(variants)('different seeds give different output (%j)', (overrides) => {
    const texts = new Set([0, 1, 2, 3, 1000].map((seed) => JSON.stringify(sampleEvent(opts({ ...overrides, seed })))));
    expect(texts.size).toBe(5);
  });

  it('different seeds move offsets, timestamps, the ARN and the bootstrap servers', () => {
    const a = strict(opts({ seed: 10 })) as KafkaEvent & { eventSourceArn: string };
    const b = strict(opts({ seed: 11 })) as KafkaEvent & { eventSourceArn: string };
    expect(a.eventSourceArn).not.toBe(b.eventSourceArn);
    expect(records(a)[0]!.offset).not.toBe(records(b)[0]!.offset);
    expect(records(a)[0]!.timestamp).not.toBe(records(b)[0]!.timestamp);
  });

  it('more records do not move the cluster', () => {
    const one = strict(opts({ seed: 5 })) as KafkaEvent & { eventSourceArn: string };
    const many = strict(opts({ seed: 5, topics: ['x', 'y'], partitions: 4, records: 9 })) as KafkaEvent & {
      eventSourceArn: string;
    };
    expect(many.eventSourceArn).toBe(one.eventSourceArn);
    expect(many.bootstrapServers).toBe(one.bootstrapServers);
  });
});

// ---------------------------------------------------------------------------
// Headers, keys and values

describe('sampleEvent: encodings', () => {
  it.each([
    { value: 'ë', bytes: [-61, -85] },
    { value: '😀', bytes: [-16, -97, -104, -128] },
    { value: 'headerValue', bytes: [104, 101, 97, 100, 101, 114, 86, 97, 108, 117, 101] },
    { value: '', bytes: [] },
    { value: 'a=b', bytes: [97, 61, 98] },
  ])('header value $value is sent as the signed bytes $bytes', ({ value, bytes }) => {
    const record = records(strict(opts({ headers: [{ name: 'h', value }] })))[0]!;
    expect(record.headers).toEqual([{ h: bytes }]);
    expect(headerValue(record, 'h')).toBe(value);
  });

  it('headers keep their order and their duplicates', () => {
    const headers = [
      { name: 'b', value: '1' },
      { name: 'a', value: 'ë' },
      { name: 'b', value: '2' },
    ];
    const record = records(strict(opts({ headers })))[0]!;
    expect(record.headers).toEqual([{ b: [49] }, { a: [-61, -85] }, { b: [50] }]);
  });

  it.each([
    { name: 'text', value: { text: 'Hello, this is a test.' }, base64: 'SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==' },
    { name: 'bytes', value: { bytes: new Uint8Array([0, 1, 2, 253, 254, 255]) }, base64: 'AAEC/f7/' },
    { name: 'JSON', value: { json: 'ë' }, base64: 'IsOrIg==' },
  ])('value $name is base64 $base64 on every record', ({ value, base64 }) => {
    const event = strict(opts({ value, partitions: 2, records: 2 }));
    for (const record of records(event)) expect(record.value).toBe(base64);
  });

  it('key and value round trip through keyText, valueText, valueJson and valueBytes', () => {
    const text = strict(opts({ key: 'order-42 ë 😀', value: { text: 'Grüße 😀' } }));
    for (const entry of recordsOf(text)) {
      expect(keyText(entry)).toBe('order-42 ë 😀');
      expect(valueText(entry)).toBe('Grüße 😀');
    }
    const json = { id: 7, tags: ['ë', null], nested: { ok: true } };
    for (const entry of recordsOf(strict(opts({ value: { json }, records: 3 })))) {
      expect(valueJson(entry)).toEqual(json);
      expect(keyText(entry)).toBeNull();
    }
    for (const entry of recordsOf(strict(opts({ value: { bytes: new Uint8Array([0, 255, 128]) } })))) {
      expect([...valueBytes(entry)!]).toEqual([0, 255, 128]);
    }
  });

  it('the default value is a small JSON object that varies with the record index (in event order)', () => {
    const entries = recordsOf(strict(opts({ topics: ['a', 'b'], partitions: 2, records: 2 })));
    expect(entries.map((entry) => valueJson(entry))).toEqual(
      Array.from({ length: 8 }, (_, i) => ({ id: i, message: `sample record ${i}` })),
    );
  });

  it('tombstones: every value is null, and valueText gives null', () => {
    for (const entry of recordsOf(strict(opts({ tombstone: true, records: 3 })))) {
      expect(entry.record.value).toBeNull();
      expect(valueText(entry)).toBeNull();
    }
  });
});

// ---------------------------------------------------------------------------
// Legacy forms

describe('sampleEvent: legacy', () => {
  it('reproduces the page\'s forms: partition "0", header value as base64, no bootstrapServers', () => {
    const event = sampleEvent(opts({ legacy: true, headers: [{ name: 'headerKey', value: 'headerValue' }] })) as Record<
      string,
      unknown
    >;
    expect(Object.keys(event)).toEqual(['eventSource', 'eventSourceArn', 'records']);
    const record = (event.records as Record<string, Record<string, unknown>[]>)['mytopic-0']![0]!;
    expect(record.partition).toBe('0');
    expect(record.headers).toEqual([{ headerKey: 'aGVhZGVyVmFsdWU=' }]);
  });

  it.each([
    { name: 'MSK, one header', options: { headers: [{ name: 'headerKey', value: 'headerValue' }] } },
    {
      name: 'self-managed, two partitions, "ë"',
      options: { source: 'self-managed' as const, partitions: 2, headers: [{ name: 'h', value: 'ë' }] },
    },
    {
      name: 'key, JSON value, schema metadata, duplicate headers',
      options: {
        key: 'k',
        value: { json: [1] },
        schemaMetadata: { dataFormat: 'JSON' as const },
        headers: [
          { name: 'h', value: '1' },
          { name: 'h', value: '😀' },
        ],
        records: 2,
      },
    },
  ])(
    '$name: rejected by isKafkaEvent, accepted by parseKafkaEvent as the canonical event minus bootstrapServers',
    ({ options }) => {
      const legacy = sampleEvent(opts({ ...options, legacy: true }));
      expect(isKafkaEvent(legacy)).toBe(false);
      const { bootstrapServers: _servers, ...canonical } = strict(opts(options));
      expect(parseKafkaEvent(legacy)).toEqual(canonical);
    },
  );

  it('the warnings name both legacy forms, at each place', () => {
    const legacy = sampleEvent(opts({ legacy: true, headers: [{ name: 'headerKey', value: 'headerValue' }] }));
    const result = safeParseKafkaEvent(legacy);
    expect(result.success).toBe(true);
    const warnings = result.warnings
      .map(({ path, form }) => ({ path, form }))
      .sort((a, b) => a.path.localeCompare(b.path));
    expect(warnings).toEqual([
      { path: '/records/mytopic-0/0/headers/0/headerKey', form: 'header-value-as-base64-string' },
      { path: '/records/mytopic-0/0/partition', form: 'partition-as-decimal-string' },
    ]);
  });

  it('with 2 partitions × 2 records and 2 headers: 4 partition warnings and 8 header warnings', () => {
    const legacy = sampleEvent(
      opts({
        legacy: true,
        partitions: 2,
        records: 2,
        headers: [
          { name: 'a', value: 'x' },
          { name: 'b', value: 'ë' },
        ],
      }),
    );
    const result = safeParseKafkaEvent(legacy);
    expect(result.success).toBe(true);
    const count = (form: string) => result.warnings.filter((warning) => warning.form === form).length;
    expect(count('partition-as-decimal-string')).toBe(4);
    expect(count('header-value-as-base64-string')).toBe(8);
  });
});

// ---------------------------------------------------------------------------
// The response

describe('sampleResponse', () => {
  it('is exactly the documented shape and a KafkaBatchResponse', () => {
    const response = sampleResponse([{ topicPartition: 'mytopic-0', offset: 15 }]);
    expect(JSON.stringify(response)).toBe(
      '{"batchItemFailures":[{"itemIdentifier":{"topic-partition":"mytopic-0","offset":15}}]}',
    );
    expect(isKafkaBatchResponse(response)).toBe(true);
  });

  it('keeps order and topics with "-"; no failures is an empty list', () => {
    const response = sampleResponse([
      { topicPartition: 'payment-events-2', offset: 0 },
      { topicPartition: 'mytopic-0', offset: 16 },
      { topicPartition: 'mytopic-0', offset: 15 },
    ]);
    expect(response).toEqual({
      batchItemFailures: [
        { itemIdentifier: { 'topic-partition': 'payment-events-2', offset: 0 } },
        { itemIdentifier: { 'topic-partition': 'mytopic-0', offset: 16 } },
        { itemIdentifier: { 'topic-partition': 'mytopic-0', offset: 15 } },
      ],
    });
    expect(isKafkaBatchResponse(response)).toBe(true);
    expect(sampleResponse([])).toEqual({ batchItemFailures: [] });
    expect(isKafkaBatchResponse(sampleResponse([]))).toBe(true);
  });

  it('flags in, response out: parseFailureFlag feeds sampleResponse', () => {
    const response = sampleResponse(['mytopic-0:15', 'a-b-c-12:0'].map(parseFailureFlag));
    expect(response).toEqual({
      batchItemFailures: [
        { itemIdentifier: { 'topic-partition': 'mytopic-0', offset: 15 } },
        { itemIdentifier: { 'topic-partition': 'a-b-c-12', offset: 0 } },
      ],
    });
  });

  it.each([
    { failure: { topicPartition: 'mytopic', offset: 1 }, text: 'topic-partition' },
    { failure: { topicPartition: 'mytopic-0', offset: -1 }, text: 'offset' },
    { failure: { topicPartition: 'mytopic-0', offset: 1.5 }, text: 'offset' },
  ])('rejects $failure', ({ failure, text }) => {
    expect(usageError(() => sampleResponse([failure])).message).toContain(text);
  });
});

// ---------------------------------------------------------------------------
// Flag parsers

describe('flag parsers', () => {
  it.each([
    { text: 'NAME=VALUE', expected: { name: 'NAME', value: 'VALUE' } },
    { text: 'h=ë', expected: { name: 'h', value: 'ë' } },
    { text: 'empty=', expected: { name: 'empty', value: '' } },
    { text: 'eq=a=b=', expected: { name: 'eq', value: 'a=b=' } },
    { text: 'with space= x ', expected: { name: 'with space', value: ' x ' } },
  ])('parseHeaderFlag($text)', ({ text, expected }) => {
    expect(parseHeaderFlag(text)).toEqual(expected);
  });

  it.each(['=value', 'novalue', ''])('parseHeaderFlag(%j) throws, saying NAME=VALUE', (text) => {
    const error = usageError(() => parseHeaderFlag(text));
    expect(error.message).toContain('NAME=VALUE');
    expect(error.message).toContain('--header');
  });

  it.each([
    { text: 'AVRO', expected: { dataFormat: 'AVRO' } },
    { text: 'json', expected: { dataFormat: 'JSON' } },
    { text: 'Protobuf:42', expected: { dataFormat: 'PROTOBUF', schemaId: '42' } },
    {
      text: 'avro:7b0a6b8e-3f2c-4d1e-9a5b-c6d7e8f90123',
      expected: { dataFormat: 'AVRO', schemaId: '7b0a6b8e-3f2c-4d1e-9a5b-c6d7e8f90123' },
    },
    {
      text: 'JSON:7B0A6B8E-3F2C-4D1E-9A5B-C6D7E8F90123',
      expected: { dataFormat: 'JSON', schemaId: '7B0A6B8E-3F2C-4D1E-9A5B-C6D7E8F90123' },
    },
  ])('parseSchemaMetadataFlag($text)', ({ text, expected }) => {
    expect(parseSchemaMetadataFlag(text)).toEqual(expected);
  });

  it.each([
    { text: 'XML', says: 'unknown format "XML"' },
    { text: '', says: 'unknown format ""' },
    { text: 'AVRO:', says: 'bad schema id ""' },
    { text: 'AVRO:abc', says: 'bad schema id "abc"' },
    { text: 'AVRO:-1', says: 'bad schema id "-1"' },
    { text: 'JSON:7b0a6b8e-3f2c-4d1e-9a5b', says: 'bad schema id' },
    { text: 'AVRO:1:2', says: 'bad schema id "1:2"' },
  ])('parseSchemaMetadataFlag($text) throws: $says', ({ text, says }) => {
    const error = usageError(() => parseSchemaMetadataFlag(text));
    expect(error.message).toContain('FORMAT[:ID]');
    expect(error.message).toContain('AVRO, JSON, PROTOBUF');
    expect(error.message).toContain(says);
  });

  it.each([
    { text: 'mytopic-0:15', expected: { topicPartition: 'mytopic-0', offset: 15 } },
    { text: 'a-b-c-12:0', expected: { topicPartition: 'a-b-c-12', offset: 0 } },
    {
      text: 'my.topic_1-999:9007199254740991',
      expected: { topicPartition: 'my.topic_1-999', offset: 9007199254740991 },
    },
  ])('parseFailureFlag($text)', ({ text, expected }) => {
    expect(parseFailureFlag(text)).toEqual(expected);
  });

  it.each([
    'mytopic:15',
    'mytopic-0',
    'mytopic-0:',
    'mytopic-0:-1',
    'mytopic-0:1.5',
    '-0:15',
    'my topic-0:15',
    'mytopic-x:15',
    ':15',
    'mytopic-0:9007199254740992',
  ])('parseFailureFlag(%j) throws, showing the expected form', (text) => {
    const error = usageError(() => parseFailureFlag(text));
    expect(error.message).toContain('<topic>-<partition>:<offset>');
    expect(error.message).toContain('"mytopic-0:15"');
    expect(error.message).toContain(JSON.stringify(text));
  });
});

// ---------------------------------------------------------------------------
// checkSampleOptions

describe('checkSampleOptions', () => {
  it.each([
    { name: 'the defaults', options: {} },
    { name: 'a 249-character topic', options: { topics: ['t'.repeat(249)] } },
    { name: '10,000 records in one partition', options: { records: 10000 } },
    { name: 'seed 2^32 - 1', options: { seed: 4294967295 } },
  ])('accepts $name', ({ options }) => {
    expect(() => checkSampleOptions(opts(options))).not.toThrow();
  });

  const bad: { name: string; options: Partial<SampleOptions>; says: string[] }[] = [
    { name: '0 partitions', options: { partitions: 0 }, says: ['--partitions', 'from 1 to 1000', '(got 0)'] },
    { name: '1001 partitions', options: { partitions: 1001 }, says: ['--partitions', 'from 1 to 1000', '(got 1001)'] },
    { name: '1.5 partitions', options: { partitions: 1.5 }, says: ['--partitions', 'integer'] },
    { name: '0 records', options: { records: 0 }, says: ['--records', 'from 1 to 10000', '(got 0)'] },
    {
      name: '10,001 records in one partition',
      options: { records: 10001 },
      says: ['--records', 'from 1 to 10000', '(got 10001)'],
    },
    {
      name: '10,001 records in all (73 × 137)',
      options: { partitions: 73, records: 137 },
      says: ['10001 records', 'at most 10000 records in a batch'],
    },
    {
      name: '10,002 records in all (3 topics × 3334)',
      options: { topics: ['a', 'b', 'c'], records: 3334 },
      says: ['10002 records', '3 topics', 'at most 10000'],
    },
    {
      name: 'a topic with a space',
      options: { topics: ['my topic'] },
      says: ['--topic "my topic"', 'not a Kafka topic name', '1 to 249 characters', 'A-Z a-z 0-9 . _ -'],
    },
    {
      name: 'a 250-character topic',
      options: { topics: ['t'.repeat(250)] },
      says: ['not a Kafka topic name', '1 to 249 characters'],
    },
    { name: 'an empty topic', options: { topics: [''] }, says: ['--topic ""', 'not a Kafka topic name'] },
    { name: 'the topic "."', options: { topics: ['.'] }, says: ['--topic "."', 'Kafka forbids'] },
    { name: 'a topic with ":"', options: { topics: ['a:b'] }, says: ['--topic "a:b"'] },
    { name: 'no topic', options: { topics: [] }, says: ['--topic', 'at least one'] },
    { name: 'a topic twice', options: { topics: ['a', 'b', 'a'] }, says: ['--topic "a"', 'twice'] },
    {
      name: 'an empty header name',
      options: { headers: [{ name: '', value: 'v' }] },
      says: ['--header', 'non-empty name'],
    },
    {
      name: 'an unknown data format',
      options: { schemaMetadata: { dataFormat: 'XML' as 'AVRO' } },
      says: ['--schema-metadata', 'AVRO, JSON, PROTOBUF', '"XML"'],
    },
    {
      name: 'a bad schema id',
      options: { schemaMetadata: { dataFormat: 'AVRO', schemaId: 'abc' } },
      says: ['--schema-metadata', 'number (Confluent) or a UUID (AWS Glue)', '"abc"'],
    },
    {
      name: 'tombstone with a value',
      options: { tombstone: true, value: { text: 'x' } },
      says: ['--tombstone and --value'],
    },
    { name: 'a JSON value that is not JSON', options: { value: { json: undefined } }, says: ['--value JSON'] },
    {
      name: 'a JSON value with a BigInt',
      options: { value: { json: 1n } },
      says: ['--value JSON cannot be serialised'],
    },
    { name: 'seed -1', options: { seed: -1 }, says: ['--seed', 'from 0 to 4294967295', '(got -1)'] },
    { name: 'seed 1.5', options: { seed: 1.5 }, says: ['--seed', '(got 1.5)'] },
    {
      name: 'an unknown source',
      options: { source: 'kinesis' as 'msk' },
      says: ['--source', '"msk" or "self-managed"', '"kinesis"'],
    },
  ];

  it.each(bad)('rejects $name', ({ options, says }) => {
    const error = usageError(() => checkSampleOptions(opts(options)));
    for (const text of says) expect(error.message).toContain(text);
    // sampleEvent checks too.
    usageError(() => sampleEvent(opts(options)));
  });

  it('reports every problem at once, one diagnostic each', () => {
    const error = usageError(() => checkSampleOptions(opts({ topics: ['bad topic'], partitions: 0, seed: -1 })));
    expect(error.diagnostics).toHaveLength(3);
  });

  it('rejects an event above the 6 MB payload cap (10,000 records of a 1000-byte value)', () => {
    const error = usageError(() => sampleEvent(opts({ records: 10000, value: { text: 'x'.repeat(1000) } })));
    expect(error.message).toContain('6 MB');
    // 10,000 records of 100 bytes (136 in base64) fit.
    expect(records(strict(opts({ records: 10000, value: { text: 'x'.repeat(100) } })))).toHaveLength(10000);
  });
});
