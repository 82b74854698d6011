/**
 * Tests of the generated record helpers (generated/records.ts, from templates/records.ts.hbs).
 *
 * Every expected value here was worked out by hand from /work/shared/spec/kafka-event-facts.md,
 * not taken from the helpers' output:
 *  - header bytes: the UTF-8 encoding of each character, written as Java's signed bytes
 *    (b >= 128 is sent as b - 256), e.g. U+00EB "ë" = C3 AB = 195, 171 = -61, -85;
 *  - base64: encoded by hand (and cross-checked with coreutils `base64`), e.g. "1042" =
 *    31 30 34 32 -> "MTA0Mg==", bytes 00 01 02 FD FE FF -> "AAEC/f7/", `"ë"` -> "IsOrIg==";
 *  - record order, locations and batch responses: written out literally from the events below.
 */
import { describe, expect, it } from 'vitest';
import {
  batchResponse,
  headerMap,
  headersOf,
  headerValue,
  isKafkaBatchResponse,
  isKafkaEvent,
  KafkaRecordDecodeError,
  keyBytes,
  keyJson,
  keyText,
  processRecords,
  recordsOf,
  splitTopicPartition,
  valueBytes,
  valueJson,
  valueText,
} from '../../generated/index.js';
import type { KafkaEvent, KafkaRecord, KafkaRecordEntry, KafkaRecordHeader } from '../../generated/index.js';

// ---------------------------------------------------------------------------
// Building events by hand

const ARN = 'arn:aws:kafka:eu-west-1:123456789012:cluster/orders-cluster/5f3c1a2e-9b7d-4c21-8e6f-0a1b2c3d4e5f-3';

/** A record of `topic`/`partition` at `offset`; key/value/headers as given (key and value absent unless given). */
function rec(topic: string, partition: number, offset: number, extra: Partial<KafkaRecord> = {}): KafkaRecord {
  return {
    topic,
    partition,
    offset,
    timestamp: 1718000000000 + offset,
    timestampType: 'CREATE_TIME',
    headers: [],
    ...extra,
  };
}

function mskEvent(records: Record<string, KafkaRecord[]>): KafkaEvent {
  return { eventSource: 'aws:kafka', eventSourceArn: ARN, records };
}

/** The one entry of a one-record event (partition `orders-0`), as recordsOf gives it. */
function only(record: KafkaRecord): KafkaRecordEntry {
  const entries = recordsOf(mskEvent({ 'orders-0': [record] }));
  expect(entries).toHaveLength(1);
  return entries[0]!;
}

/** What the entries look like without the record objects: [topicPartition, index, location, offset]. */
function shape(entries: readonly KafkaRecordEntry[]): [string, number, string, number][] {
  return entries.map((e) => [e.topicPartition, e.index, e.location, e.record.offset]);
}

/** Catches what `fn` throws (fails the test if it does not throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/**
 * Four partitions of three topics (one with "-" in its name), keys deliberately not in
 * sorted order: the payload's own order is the order to keep.
 */
const SEVERAL = mskEvent({
  'orders-1': [rec('orders', 1, 877), rec('orders', 1, 878)],
  'orders-0': [rec('orders', 0, 1042), rec('orders', 0, 1043), rec('orders', 0, 1044)],
  'payment-events-2': [rec('payment-events', 2, 5511)],
  'audit-0': [rec('audit', 0, 7), rec('audit', 0, 8)],
});

// ---------------------------------------------------------------------------
// recordsOf

describe('recordsOf', () => {
  it('the hand-built events used below are valid KafkaEvents', () => {
    expect(isKafkaEvent(SEVERAL)).toBe(true);
  });

  it('yields every record, partition by partition in the payload order, then array order, with where it sits', () => {
    const entries = recordsOf(SEVERAL);
    expect(shape(entries)).toEqual([
      ['orders-1', 0, 'records/orders-1/0', 877],
      ['orders-1', 1, 'records/orders-1/1', 878],
      ['orders-0', 0, 'records/orders-0/0', 1042],
      ['orders-0', 1, 'records/orders-0/1', 1043],
      ['orders-0', 2, 'records/orders-0/2', 1044],
      ['payment-events-2', 0, 'records/payment-events-2/0', 5511],
      ['audit-0', 0, 'records/audit-0/0', 7],
      ['audit-0', 1, 'records/audit-0/1', 8],
    ]);
  });

  it('each entry carries the very record object of the event (no copy)', () => {
    const entries = recordsOf(SEVERAL);
    expect(entries[0]!.record).toBe(SEVERAL.records['orders-1']![0]);
    expect(entries[4]!.record).toBe(SEVERAL.records['orders-0']![2]);
    expect(entries[7]!.record).toBe(SEVERAL.records['audit-0']![1]);
  });

  it('works on an event as Lambda delivers it (JSON text), self-managed, topic names with "-"', () => {
    const text = `{
      "eventSource": "SelfManagedKafka",
      "bootstrapServers": "kafka-1.example.com:9092,kafka-2.example.com:9092",
      "records": {
        "orders-eu-west-1-12": [
          { "topic": "orders-eu-west-1", "partition": 12, "offset": 300, "timestamp": 1718000000300, "timestampType": "CREATE_TIME", "headers": [] },
          { "topic": "orders-eu-west-1", "partition": 12, "offset": 301, "timestamp": 1718000000301, "timestampType": "LOG_APPEND_TIME", "headers": [] }
        ],
        "a-b-c-0": [
          { "topic": "a-b-c", "partition": 0, "offset": 0, "timestamp": 1718000000000, "timestampType": "CREATE_TIME", "headers": [] }
        ]
      }
    }`;
    const event = JSON.parse(text) as KafkaEvent;
    expect(isKafkaEvent(event)).toBe(true);
    expect(shape(recordsOf(event))).toEqual([
      ['orders-eu-west-1-12', 0, 'records/orders-eu-west-1-12/0', 300],
      ['orders-eu-west-1-12', 1, 'records/orders-eu-west-1-12/1', 301],
      ['a-b-c-0', 0, 'records/a-b-c-0/0', 0],
    ]);
  });

  it('a one-record event gives one entry at index 0', () => {
    const record = rec('mytopic', 0, 15);
    expect(shape(recordsOf(mskEvent({ 'mytopic-0': [record] })))).toEqual([
      ['mytopic-0', 0, 'records/mytopic-0/0', 15],
    ]);
  });
});

// ---------------------------------------------------------------------------
// Headers

/**
 * One header per row: the text, its UTF-8 bytes (unsigned, by hand) and the same bytes as
 * Lambda sends them (signed: b - 256 for b >= 128).
 */
const HEADER_CASES: { name: string; header: string; text: string; unsigned: number[]; signed: number[] }[] = [
  {
    name: 'ASCII only (no negative bytes)',
    header: 'content-type',
    text: 'application/json',
    unsigned: [97, 112, 112, 108, 105, 99, 97, 116, 105, 111, 110, 47, 106, 115, 111, 110],
    signed: [97, 112, 112, 108, 105, 99, 97, 116, 105, 111, 110, 47, 106, 115, 111, 110],
  },
  // U+00EB: 110_00011 10_101011 = C3 AB
  {
    name: '"ë" (2-byte UTF-8), the facts\' example',
    header: 'producer',
    text: 'ë',
    unsigned: [0xc3, 0xab],
    signed: [-61, -85],
  },
  // "caf" + U+00E9: C3 A9
  {
    name: '"café": ASCII then a 2-byte character',
    header: 'producer',
    text: 'café',
    unsigned: [99, 97, 102, 0xc3, 0xa9],
    signed: [99, 97, 102, -61, -87],
  },
  // U+20AC: 1110_0010 10_000010 10_101100 = E2 82 AC
  { name: '"€" (3-byte UTF-8)', header: 'currency', text: '€', unsigned: [0xe2, 0x82, 0xac], signed: [-30, -126, -84] },
  // U+1F600: 11110_000 10_011111 10_011000 10_000000 = F0 9F 98 80
  {
    name: 'U+1F600 "😀" (4-byte UTF-8, a surrogate pair in JS)',
    header: 'mood',
    text: '\u{1F600}',
    unsigned: [0xf0, 0x9f, 0x98, 0x80],
    signed: [-16, -97, -104, -128],
  },
  { name: 'an empty value', header: 'x-empty', text: '', unsigned: [], signed: [] },
  {
    name: 'the extremes 127 and 0 (ASCII DEL and NUL)',
    header: 'x-edge',
    text: '\u007f\u0000',
    unsigned: [127, 0],
    signed: [127, 0],
  },
];

describe('header decoding (signed bytes -> bytes -> UTF-8)', () => {
  it('the signed tables are the unsigned ones minus 256 above 127', () => {
    for (const c of HEADER_CASES) expect(c.signed).toEqual(c.unsigned.map((b) => (b >= 128 ? b - 256 : b)));
  });

  describe.each(HEADER_CASES)('$name', ({ header, text, unsigned, signed }) => {
    const record = rec('orders', 0, 1, { headers: [{ [header]: signed }] });

    it('headersOf gives the name, the unsigned bytes and the text', () => {
      const headers = headersOf(record);
      expect(headers).toHaveLength(1);
      expect(headers[0]!.name).toBe(header);
      expect(headers[0]!.bytes).toBeInstanceOf(Uint8Array);
      expect(Array.from(headers[0]!.bytes)).toEqual(unsigned);
      expect(headers[0]!.value).toBe(text);
    });

    it('headerMap and headerValue give the same text', () => {
      expect([...headerMap(record)]).toEqual([[header, [text]]]);
      expect(headerValue(record, header)).toBe(text);
    });
  });

  it('the 4-byte emoji round-trips: one code point U+1F600, no U+FFFD, two UTF-16 units', () => {
    const value = headerValue(rec('orders', 0, 1, { headers: [{ mood: [-16, -97, -104, -128] }] }), 'mood');
    expect(value).toBe('😀');
    expect(value!.codePointAt(0)).toBe(0x1f600);
    expect(value!.length).toBe(2);
    expect([...value!]).toHaveLength(1);
    expect(value).not.toContain('\ufffd');
  });

  it('-128 and -1 are the bytes 128 and 255', () => {
    const [h] = headersOf(rec('orders', 0, 1, { headers: [{ raw: [-128, -1, 0, 1, 127] }] }));
    expect(Array.from(h!.bytes)).toEqual([128, 255, 0, 1, 127]);
  });

  it('several headers in one record keep their order', () => {
    const record = rec('orders', 0, 1, {
      headers: [{ 'content-type': [116, 101, 120, 116] }, { producer: [-61, -85] }, { currency: [-30, -126, -84] }],
    });
    expect(headersOf(record).map((h) => [h.name, h.value])).toEqual([
      ['content-type', 'text'],
      ['producer', 'ë'],
      ['currency', '€'],
    ]);
  });
});

describe('duplicate header names', () => {
  // x-retry "1", traceparent, x-retry "2", x-retry "3" ('1' = 49, '2' = 50, '3' = 51)
  const headers: KafkaRecordHeader[] = [
    { 'x-retry': [49] },
    { traceparent: [48, 48, 45, 97, 98] }, // "00-ab"
    { 'x-retry': [50] },
    { 'x-retry': [51] },
  ];
  const record = rec('orders', 0, 1042, { headers });

  it('headersOf keeps every occurrence, in order', () => {
    expect(headersOf(record).map((h) => [h.name, h.value, Array.from(h.bytes)])).toEqual([
      ['x-retry', '1', [49]],
      ['traceparent', '00-ab', [48, 48, 45, 97, 98]],
      ['x-retry', '2', [50]],
      ['x-retry', '3', [51]],
    ]);
  });

  it('headerMap(...).get(name) lists every value in order; names in first-seen order', () => {
    const map = headerMap(record);
    expect(map.get('x-retry')).toEqual(['1', '2', '3']);
    expect(map.get('traceparent')).toEqual(['00-ab']);
    expect([...map.keys()]).toEqual(['x-retry', 'traceparent']);
  });

  it('headerValue returns the first', () => {
    expect(headerValue(record, 'x-retry')).toBe('1');
  });

  it('headerValue of a name not sent is undefined, even a name every object inherits', () => {
    expect(headerValue(record, 'x-missing')).toBeUndefined();
    expect(headerValue(record, 'toString')).toBeUndefined();
    expect(headerValue(record, 'constructor')).toBeUndefined();
    expect(headerMap(record).get('toString')).toBeUndefined();
  });
});

describe('headers: []', () => {
  const record = rec('orders', 0, 1, { headers: [] });
  it('headersOf gives []', () => expect(headersOf(record)).toEqual([]));
  it('headerMap gives an empty map', () => {
    const map = headerMap(record);
    expect(map).toBeInstanceOf(Map);
    expect(map.size).toBe(0);
  });
  it('headerValue gives undefined', () => expect(headerValue(record, 'content-type')).toBeUndefined());
});

// ---------------------------------------------------------------------------
// Keys and values

/** base64 -> (text, bytes), all by hand. */
const KEY_CASES: { name: string; base64: string; text: string; bytes: number[] }[] = [
  {
    name: 'ASCII "order-1042"',
    base64: 'b3JkZXItMTA0Mg==',
    text: 'order-1042',
    bytes: [111, 114, 100, 101, 114, 45, 49, 48, 52, 50],
  },
  { name: '"1042" (JSON number text)', base64: 'MTA0Mg==', text: '1042', bytes: [49, 48, 52, 50] },
  {
    name: 'non-ASCII "Ünïcödé key"',
    base64: 'w5xuw69jw7Zkw6kga2V5',
    text: 'Ünïcödé key',
    // Ü C3 9C, n, ï C3 AF, c, ö C3 B6, d, é C3 A9, " key"
    bytes: [0xc3, 0x9c, 110, 0xc3, 0xaf, 99, 0xc3, 0xb6, 100, 0xc3, 0xa9, 32, 107, 101, 121],
  },
];

describe.each(KEY_CASES)('key $name', ({ base64, text, bytes }) => {
  const entry = only(rec('orders', 0, 1, { key: base64 }));
  it('keyText', () => expect(keyText(entry)).toBe(text));
  it('keyBytes', () => {
    const got = keyBytes(entry);
    expect(got).toBeInstanceOf(Uint8Array);
    expect(Array.from(got!)).toEqual(bytes);
  });
});

describe('keys', () => {
  it('binary key bytes 00 01 02 FD FE FF ("AAEC/f7/")', () => {
    expect(Array.from(keyBytes(only(rec('orders', 0, 1, { key: 'AAEC/f7/' })))!)).toEqual([0, 1, 2, 253, 254, 255]);
  });

  it('keyJson parses a JSON key ("MTA0Mg==" is 1042; "IsOrIg==" is "ë")', () => {
    expect(keyJson(only(rec('orders', 0, 1, { key: 'MTA0Mg==' })))).toBe(1042);
    expect(keyJson(only(rec('orders', 0, 1, { key: 'IsOrIg==' })))).toBe('ë');
  });

  it('keyJson on a key that is not JSON throws KafkaRecordDecodeError at .../key', () => {
    const error = thrown(() => keyJson(only(rec('orders', 0, 1, { key: 'b3JkZXItMTA0Mg==' }))));
    expect(error).toBeInstanceOf(KafkaRecordDecodeError);
    expect((error as KafkaRecordDecodeError).location).toBe('records/orders-0/0/key');
    expect((error as Error).message).toContain('records/orders-0/0/key');
    expect((error as Error).message).toContain('order-1042');
  });

  it.each([
    ['absent', rec('orders', 0, 1)],
    ['null', rec('orders', 0, 1, { key: null })],
  ])('key %s: keyText, keyBytes and keyJson give null', (_, record) => {
    const entry = only(record);
    expect(keyText(entry)).toBeNull();
    expect(keyBytes(entry)).toBeNull();
    expect(keyJson(entry)).toBeNull();
  });
});

const VALUE_CASES: { name: string; base64: string; text: string; bytes: number[]; json: unknown }[] = [
  {
    name: 'an order as JSON',
    base64: 'eyJvcmRlcklkIjoxMDQyLCJzdGF0dXMiOiJQTEFDRUQifQ==',
    text: '{"orderId":1042,"status":"PLACED"}',
    // the ASCII codes of the text
    bytes: [
      123, 34, 111, 114, 100, 101, 114, 73, 100, 34, 58, 49, 48, 52, 50, 44, 34, 115, 116, 97, 116, 117, 115, 34, 58,
      34, 80, 76, 65, 67, 69, 68, 34, 125,
    ],
    json: { orderId: 1042, status: 'PLACED' },
  },
  {
    name: 'JSON with non-ASCII text ("Zürich")',
    base64: 'eyJjaXR5IjoiWsO8cmljaCJ9',
    text: '{"city":"Zürich"}',
    // ü is C3 BC
    bytes: [123, 34, 99, 105, 116, 121, 34, 58, 34, 90, 0xc3, 0xbc, 114, 105, 99, 104, 34, 125],
    json: { city: 'Zürich' },
  },
  { name: 'a JSON string "ë"', base64: 'IsOrIg==', text: '"ë"', bytes: [34, 0xc3, 0xab, 34], json: 'ë' },
  { name: 'a JSON number', base64: 'MTA0Mg==', text: '1042', bytes: [49, 48, 52, 50], json: 1042 },
  // U+FFFD itself is valid UTF-8 (EF BF BD): a JSON string holding it is JSON, not a decoding failure
  {
    name: 'a JSON string holding U+FFFD (valid UTF-8 EF BF BD)',
    base64: 'Iu+/vSI=',
    text: '"\ufffd"',
    bytes: [34, 0xef, 0xbf, 0xbd, 34],
    json: '\ufffd',
  },
];

describe.each(VALUE_CASES)('value: $name', ({ base64, text, bytes, json }) => {
  const entry = only(rec('orders', 0, 1, { key: 'b3JkZXItMTA0Mg==', value: base64 }));
  it('valueText', () => expect(valueText(entry)).toBe(text));
  it('valueBytes', () => {
    const got = valueBytes(entry);
    expect(got).toBeInstanceOf(Uint8Array);
    expect(Array.from(got!)).toEqual(bytes);
  });
  it('valueJson', () => expect(valueJson(entry)).toEqual(json));
});

describe('tombstones', () => {
  it.each([
    ['value null', rec('orders', 0, 1, { key: 'b3JkZXItMTA0Mg==', value: null })],
    ['value absent', rec('orders', 0, 1, { key: 'b3JkZXItMTA0Mg==' })],
  ])('%s: valueBytes, valueText and valueJson give null (the key still decodes)', (_, record) => {
    const entry = only(record);
    expect(valueBytes(entry)).toBeNull();
    expect(valueText(entry)).toBeNull();
    expect(valueJson(entry)).toBeNull();
    expect(keyText(entry)).toBe('order-1042');
  });

  it('an empty value ("") is not a tombstone: zero bytes, empty text, and not JSON', () => {
    const entry = only(rec('orders', 0, 1, { value: '' }));
    expect(Array.from(valueBytes(entry)!)).toEqual([]);
    expect(valueText(entry)).toBe('');
    expect(() => valueJson(entry)).toThrow(KafkaRecordDecodeError);
  });
});

describe('valueJson on a value that is not JSON: KafkaRecordDecodeError, never a fallback', () => {
  // The bad record is the second one of the second partition.
  const event = mskEvent({
    'orders-0': [rec('orders', 0, 10, { value: 'MTA0Mg==' })],
    'orders-2': [
      rec('orders', 2, 20, { value: 'MTA0Mg==' }),
      // "order 1042 PLACED"
      rec('orders', 2, 21, { value: 'b3JkZXIgMTA0MiBQTEFDRUQ=' }),
    ],
  });
  const entry = recordsOf(event)[2]!;

  it('the entry is records/orders-2/1', () => {
    expect(entry.location).toBe('records/orders-2/1');
    expect(valueText(entry)).toBe('order 1042 PLACED');
  });

  it('throws a KafkaRecordDecodeError (an Error) whose location is records/orders-2/1/value', () => {
    const error = thrown(() => valueJson(entry));
    expect(error).toBeInstanceOf(KafkaRecordDecodeError);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('KafkaRecordDecodeError');
    expect((error as KafkaRecordDecodeError).location).toBe('records/orders-2/1/value');
  });

  it('its message names the location and shows the first bytes of the text', () => {
    const message = (thrown(() => valueJson(entry)) as Error).message;
    expect(message).toContain('records/orders-2/1/value');
    expect(message).toContain('order 1042 PLACED');
  });

  it('a long text: the message shows its beginning', () => {
    // "order 1042 PLACED by customer C123456 in Zurich" (47 characters)
    const long = only(
      rec('orders', 0, 1, { value: 'b3JkZXIgMTA0MiBQTEFDRUQgYnkgY3VzdG9tZXIgQzEyMzQ1NiBpbiBadXJpY2g=' }),
    );
    expect(valueText(long)).toBe('order 1042 PLACED by customer C123456 in Zurich');
    const message = (thrown(() => valueJson(long)) as Error).message;
    expect(message).toContain('records/orders-0/0/value');
    expect(message).toContain('order 1042 PLACED by customer');
  });

  it('truncated JSON throws too; the message shows its beginning (quotes may be shown escaped)', () => {
    // '{"orderId":1042,"status":'
    const truncated = only(rec('orders', 0, 1, { value: 'eyJvcmRlcklkIjoxMDQyLCJzdGF0dXMiOg==' }));
    expect(valueText(truncated)).toBe('{"orderId":1042,"status":');
    const error = thrown(() => valueJson(truncated));
    expect(error).toBeInstanceOf(KafkaRecordDecodeError);
    const message = (error as Error).message;
    expect(message).toContain('records/orders-0/0/value');
    const raw = '{"orderId":1042';
    const escaped = '{\\"orderId\\":1042';
    expect(message.includes(raw) || message.includes(escaped)).toBe(true);
  });

  it('bytes that are not UTF-8 are not JSON text: 22 FF 22 ("Iv8i") throws rather than giving "\\uFFFD"', () => {
    // RFC 8259 §8.1: JSON text exchanged between systems is UTF-8; the facts: "base64, of UTF-8
    // JSON text". FF never occurs in UTF-8, so decoding it to U+FFFD and parsing would be a
    // silent fallback.
    const entry = only(rec('orders', 0, 1, { value: 'Iv8i' }));
    expect(Array.from(valueBytes(entry)!)).toEqual([0x22, 0xff, 0x22]);
    expect(() => valueJson(entry)).toThrow(KafkaRecordDecodeError);
  });

  it('the same for a key: keyJson on 22 FF 22 throws at .../key', () => {
    const error = thrown(() => keyJson(only(rec('orders', 0, 1, { key: 'Iv8i' }))));
    expect(error).toBeInstanceOf(KafkaRecordDecodeError);
    expect((error as KafkaRecordDecodeError).location).toBe('records/orders-0/0/key');
  });
});

// ---------------------------------------------------------------------------
// splitTopicPartition

describe('splitTopicPartition', () => {
  it.each([
    ['a-b-c-12', 'a-b-c', 12],
    ['mytopic-0', 'mytopic', 0],
    ['payment-events-2', 'payment-events', 2],
    ['orders-eu-west-1-12', 'orders-eu-west-1', 12],
    ['orders.v1_x-7', 'orders.v1_x', 7],
    ['topic--1', 'topic-', 1], // a topic may end in "-": split on the last one
    ['t-2147483647', 't', 2147483647],
  ])('%s -> topic %s, partition %i', (key, topic, partition) => {
    expect(splitTopicPartition(key)).toStrictEqual({ topic, partition });
  });

  it.each(['nodash', '-1', 'topic-', 'topic-x', '', '-', 'topic-1.5', 'topic- 1', 'topic-+1', 'topic-1e3', 'topic--'])(
    '%j throws a TypeError',
    (key) => {
      expect(() => splitTopicPartition(key)).toThrow(TypeError);
    },
  );
});

// ---------------------------------------------------------------------------
// batchResponse

describe('batchResponse', () => {
  it('two failed records: exactly the documented shape, in the given order, and a valid KafkaBatchResponse', () => {
    const entries = recordsOf(SEVERAL);
    const failed = [entries[3]!, entries[5]!]; // orders-0 offset 1043, payment-events-2 offset 5511
    const response = batchResponse(failed);
    expect(response).toStrictEqual({
      batchItemFailures: [
        { itemIdentifier: { 'topic-partition': 'orders-0', offset: 1043 } },
        { itemIdentifier: { 'topic-partition': 'payment-events-2', offset: 5511 } },
      ],
    });
    expect(JSON.stringify(response)).toBe(
      '{"batchItemFailures":[{"itemIdentifier":{"topic-partition":"orders-0","offset":1043}},{"itemIdentifier":{"topic-partition":"payment-events-2","offset":5511}}]}',
    );
    expect(isKafkaBatchResponse(response)).toBe(true);
  });

  it("is the facts' example for mytopic-0 offset 15", () => {
    const documented: unknown = JSON.parse(
      '{ "batchItemFailures": [ { "itemIdentifier": { "topic-partition": "mytopic-0", "offset": 15 } } ] }',
    );
    const entries = recordsOf(mskEvent({ 'mytopic-0': [rec('mytopic', 0, 14), rec('mytopic', 0, 15)] }));
    expect(batchResponse([entries[1]!])).toStrictEqual(documented);
  });

  it('an empty list -> { batchItemFailures: [] }, valid', () => {
    const response = batchResponse([]);
    expect(response).toStrictEqual({ batchItemFailures: [] });
    expect(isKafkaBatchResponse(response)).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// processRecords

const tick = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** orders-0: 3 records, orders-1: 2, payments-2: 1. */
const PROCESS_EVENT = mskEvent({
  'orders-0': [rec('orders', 0, 100), rec('orders', 0, 101), rec('orders', 0, 102)],
  'orders-1': [rec('orders', 1, 200), rec('orders', 1, 201)],
  'payments-2': [rec('payments', 2, 300)],
});
const ALL_LOCATIONS = [
  'records/orders-0/0',
  'records/orders-0/1',
  'records/orders-0/2',
  'records/orders-1/0',
  'records/orders-1/1',
  'records/payments-2/0',
];
const failure = (tp: string, offset: number) => ({ itemIdentifier: { 'topic-partition': tp, offset } });

describe('processRecords', () => {
  it('all succeed (async and sync callbacks): every record once, in order, and no failures', async () => {
    for (const process of [
      async (_: KafkaRecordEntry) => {
        await tick(0);
      },
      (_: KafkaRecordEntry) => undefined,
    ]) {
      const seen: string[] = [];
      const onErrorCalls: unknown[] = [];
      const response = await processRecords(
        PROCESS_EVENT,
        (entry) => {
          seen.push(entry.location);
          return process(entry);
        },
        { onError: (e) => onErrorCalls.push(e) },
      );
      expect(seen).toEqual(ALL_LOCATIONS);
      expect(response).toStrictEqual({ batchItemFailures: [] });
      expect(isKafkaBatchResponse(response)).toBe(true);
      expect(onErrorCalls).toEqual([]);
    }
  });

  it('collects async rejections and sync throws, calls onError with each error and its entry, and tries every record', async () => {
    const asyncError = new Error('async failure at 101');
    const syncError = new Error('sync failure at 200');
    const seen: string[] = [];
    const errors: [unknown, string][] = [];
    const response = await processRecords(
      PROCESS_EVENT,
      (entry) => {
        seen.push(entry.location);
        if (entry.record.offset === 200) throw syncError;
        return (async () => {
          await tick(0);
          if (entry.record.offset === 101) throw asyncError;
          if (entry.record.offset === 300) throw 'a thrown string'; // not an Error: still a failure
        })();
      },
      { onError: (error, entry) => errors.push([error, entry.location]) },
    );
    expect(seen).toEqual(ALL_LOCATIONS);
    expect(response).toStrictEqual({
      batchItemFailures: [failure('orders-0', 101), failure('orders-1', 200), failure('payments-2', 300)],
    });
    expect(isKafkaBatchResponse(response)).toBe(true);
    expect(errors).toEqual([
      [asyncError, 'records/orders-0/1'],
      [syncError, 'records/orders-1/0'],
      ['a thrown string', 'records/payments-2/0'],
    ]);
    expect(errors[0]![0]).toBe(asyncError);
    expect(errors[1]![0]).toBe(syncError);
  });

  it('without onError, failures are still collected', async () => {
    const response = await processRecords(PROCESS_EVENT, (entry) => {
      if (entry.record.offset === 102) throw new Error('x');
    });
    expect(response).toStrictEqual({ batchItemFailures: [failure('orders-0', 102)] });
  });

  it('inOrder: after a failure the rest of that partition is skipped and reported; other partitions continue', async () => {
    const seen: string[] = [];
    const errors: string[] = [];
    const response = await processRecords(
      PROCESS_EVENT,
      async (entry) => {
        seen.push(entry.location);
        await tick(0);
        if (entry.record.offset === 100) throw new Error('first of orders-0 fails');
      },
      { inOrder: true, onError: (_, entry) => errors.push(entry.location) },
    );
    // orders-0/1 and orders-0/2 are never processed
    expect(seen).toEqual(['records/orders-0/0', 'records/orders-1/0', 'records/orders-1/1', 'records/payments-2/0']);
    expect(response).toStrictEqual({
      batchItemFailures: [failure('orders-0', 100), failure('orders-0', 101), failure('orders-0', 102)],
    });
    // onError is for errors thrown; the skipped records threw nothing
    expect(errors).toEqual(['records/orders-0/0']);
  });

  it('inOrder: failures in two partitions, a sync throw mid-partition', async () => {
    const seen: string[] = [];
    const response = await processRecords(
      PROCESS_EVENT,
      (entry) => {
        seen.push(entry.location);
        if (entry.record.offset === 101) throw new Error('sync');
        if (entry.record.offset === 200) return Promise.reject(new Error('async'));
        return undefined;
      },
      { inOrder: true },
    );
    expect(seen).toEqual(['records/orders-0/0', 'records/orders-0/1', 'records/orders-1/0', 'records/payments-2/0']);
    expect(response).toStrictEqual({
      batchItemFailures: [
        failure('orders-0', 101),
        failure('orders-0', 102),
        failure('orders-1', 200),
        failure('orders-1', 201),
      ],
    });
  });

  it('without inOrder, a failure does not skip the rest of its partition', async () => {
    const seen: string[] = [];
    const response = await processRecords(
      PROCESS_EVENT,
      (entry) => {
        seen.push(entry.location);
        if (entry.record.offset === 100) throw new Error('x');
      },
      { inOrder: false },
    );
    expect(seen).toEqual(ALL_LOCATIONS);
    expect(response).toStrictEqual({ batchItemFailures: [failure('orders-0', 100)] });
  });

  it('is sequential: one record at a time, each finished before the next starts, in order', async () => {
    // Earlier records take longer: any overlap would reorder the finishes.
    const delays = [30, 20, 10, 5, 1, 0];
    const log: string[] = [];
    let active = 0;
    let maxActive = 0;
    let i = 0;
    const response = await processRecords(PROCESS_EVENT, async (entry) => {
      const delay = delays[i++]!;
      active++;
      maxActive = Math.max(maxActive, active);
      log.push(`start ${entry.location}`);
      await tick(delay);
      log.push(`end ${entry.location}`);
      active--;
      if (entry.record.offset === 101) throw new Error('fails after its await');
    });
    expect(maxActive).toBe(1);
    expect(log).toEqual(ALL_LOCATIONS.flatMap((l) => [`start ${l}`, `end ${l}`]));
    expect(response).toStrictEqual({ batchItemFailures: [failure('orders-0', 101)] });
  });

  it('resolves only after the last record has finished', async () => {
    let finished = 0;
    await processRecords(PROCESS_EVENT, async () => {
      await tick(1);
      finished++;
    });
    expect(finished).toBe(6);
  });
});
