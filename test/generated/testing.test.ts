/**
 * Tests of the generated test helper (generated/testing.ts, from templates/testing.ts.hbs):
 * the events kafkaEvent builds are canonical KafkaEvents whose keys, values and headers
 * decode back to what was given; and, for a config with typed topics, a record's value
 * has its topic's payload type (a wrong one does not compile) and is encoded as declared.
 *
 * The expected encodings were worked out by hand (and checked with coreutils `base64`):
 * "hi" = 68 69 -> "aGk="; "ë" = C3 AB -> "w6s=", as signed bytes [-61, -85];
 * {"a":1} -> "eyJhIjoxfQ=="; "order-1" -> "b3JkZXItMQ=="; the JSON string "hi" -> "ImhpIg==";
 * bytes 00 01 02 FD FE FF -> "AAEC/f7/".
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME, generate, resolveConfig, writeGeneratedFiles } from '../../generator/index.js';
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
  valueBytes,
  valueJson,
  valueText,
} from '../../generated/index.js';
import {
  batchResponseFor,
  bytes,
  DEFAULT_EVENT_SOURCE_ARN,
  DEFAULT_TIMESTAMP,
  json,
  kafkaEvent,
  payloadBytes,
  TestPayload,
  text,
  type TestRecord,
} from '../../generated/testing.js';
import { ORDER_SCHEMA } from '../fixtures/order-payload.js';
import { EMBEDDED_SCHEMA_PATH, positionOf, REPO_ROOT, tempDir } from '../helpers.js';
import { createProgram, STRICT, STRICTEST } from '../typescript.js';

/** Catches what `fn` throws (fails the test if it does not throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('kafkaEvent (no topics declared)', () => {
  it('builds the canonical event Lambda would send, every field worked out by hand', () => {
    const event = kafkaEvent({ records: [{ topic: 'mytopic', key: 'hi', value: 'hi', headers: { lang: 'ë' } }] });
    expect(event).toStrictEqual({
      eventSource: 'aws:kafka',
      eventSourceArn: DEFAULT_EVENT_SOURCE_ARN,
      bootstrapServers:
        'b-1.test-cluster.abc123.c2.kafka.us-east-1.amazonaws.com:9098,b-2.test-cluster.abc123.c2.kafka.us-east-1.amazonaws.com:9098',
      records: {
        'mytopic-0': [
          {
            topic: 'mytopic',
            partition: 0,
            offset: 0,
            timestamp: 1_700_000_000_000,
            timestampType: 'CREATE_TIME',
            key: 'aGk=',
            value: 'aGk=',
            headers: [{ lang: [-61, -85] }],
          },
        ],
      },
    });
    expect(isKafkaEvent(event)).toBe(true);
    expect(isMSKEvent(event)).toBe(true);
    expect(parseKafkaEvent(event)).toBe(event); // canonical: returned as is
  });

  it.each([
    { name: 'text', value: 'hi' as TestRecord['value'], base64: 'aGk=' },
    { name: 'text with a multi-byte character', value: 'ë', base64: 'w6s=' },
    { name: 'bytes', value: new Uint8Array([0, 1, 2, 253, 254, 255]), base64: 'AAEC/f7/' },
    { name: 'text()', value: text('order-1'), base64: 'b3JkZXItMQ==' },
    { name: 'bytes() of signed numbers (Java bytes)', value: bytes([-61, -85]), base64: 'w6s=' },
    { name: 'json() of an object', value: json({ a: 1 }), base64: 'eyJhIjoxfQ==' },
    { name: 'json() of a string', value: json('hi'), base64: 'ImhpIg==' },
    { name: 'null: a tombstone', value: null, base64: null },
    { name: 'absent: a tombstone', value: undefined, base64: null },
  ])('a value given as $name is base64 $base64', ({ value, base64 }) => {
    const event = kafkaEvent({ records: [value === undefined ? { topic: 't' } : { topic: 't', value }] });
    expect(event.records['t-0']?.[0]?.value).toBe(base64);
    expect(isKafkaEvent(event)).toBe(true);
  });

  it('leaves the key out when none is given, and keeps a null key', () => {
    const event = kafkaEvent({ records: [{ topic: 't' }, { topic: 't', key: null }, { topic: 't', key: text('hi') }] });
    const records = event.records['t-0'] ?? [];
    expect(records.map((r) => Object.hasOwn(r, 'key'))).toEqual([false, true, true]);
    expect(records.map((r) => r.key)).toEqual([undefined, null, 'aGk=']);
  });

  it('encodes headers as signed bytes, in order, repeated names kept, from an object or pairs', () => {
    const pairs = kafkaEvent({
      records: [
        {
          topic: 't',
          headers: [
            ['lang', 'ë'],
            ['trace', 'a'],
            ['lang', 'hi'],
            ['raw', new Uint8Array([0, 255, 128])],
          ],
        },
      ],
    });
    expect(pairs.records['t-0']?.[0]?.headers).toStrictEqual([
      { lang: [-61, -85] },
      { trace: [97] },
      { lang: [104, 105] },
      { raw: [0, -1, -128] },
    ]);
    const object = kafkaEvent({
      records: [{ topic: 't', headers: { 'content-type': 'application/json', empty: '' } }],
    });
    expect(object.records['t-0']?.[0]?.headers).toStrictEqual([
      { 'content-type': [97, 112, 112, 108, 105, 99, 97, 116, 105, 111, 110, 47, 106, 115, 111, 110] },
      { empty: [] },
    ]);
    // A header named like an Object.prototype member is an own property, as JSON.parse makes it.
    const proto = kafkaEvent({ records: [{ topic: 't', headers: [['__proto__', 'x']] }] });
    const header = proto.records['t-0']?.[0]?.headers[0] ?? {};
    expect(Object.keys(header)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(header)).toBe(Object.prototype);
    expect(isKafkaEvent(proto)).toBe(true);
  });

  it('groups records under <topic>-<partition> in the order each first appears, with deterministic offsets and timestamps', () => {
    const event = kafkaEvent({
      records: [
        { topic: 'orders', partition: 1, value: 'a' },
        { topic: 'orders', value: 'b' },
        { topic: 'orders', partition: 1, value: 'c' },
        { topic: 'audit-log', partition: 0, offset: 41, value: 'd' },
        { topic: 'audit-log', partition: 0, value: 'e' },
        { topic: 'orders', partition: 1, offset: 7, timestamp: 5, timestampType: 'LOG_APPEND_TIME', value: 'f' },
      ],
    });
    expect(Object.keys(event.records)).toEqual(['orders-1', 'orders-0', 'audit-log-0']);
    const summary = Object.fromEntries(
      Object.entries(event.records).map(([key, records]) => [
        key,
        records.map((r) => [r.topic, r.partition, r.offset, r.timestamp, r.timestampType]),
      ]),
    );
    expect(summary).toEqual({
      'orders-1': [
        ['orders', 1, 0, DEFAULT_TIMESTAMP, 'CREATE_TIME'],
        ['orders', 1, 1, DEFAULT_TIMESTAMP + 1, 'CREATE_TIME'],
        ['orders', 1, 7, 5, 'LOG_APPEND_TIME'],
      ],
      'orders-0': [['orders', 0, 0, DEFAULT_TIMESTAMP, 'CREATE_TIME']],
      'audit-log-0': [
        ['audit-log', 0, 41, DEFAULT_TIMESTAMP + 41, 'CREATE_TIME'],
        ['audit-log', 0, 42, DEFAULT_TIMESTAMP + 42, 'CREATE_TIME'],
      ],
    });
    expect(recordsOf(event).map((entry) => valueText(entry))).toEqual(['a', 'c', 'f', 'b', 'd', 'e']);
    expect(kafkaEvent({ records: [{ topic: 'orders', partition: 1, value: 'a' }] })).toStrictEqual(
      kafkaEvent({ records: [{ topic: 'orders', partition: 1, value: 'a' }] }),
    );
  });

  it('builds self-managed events (no ARN), and events without bootstrapServers', () => {
    const selfManaged = kafkaEvent({ source: 'self-managed', records: [{ topic: 't', value: 'x' }] });
    expect(selfManaged.eventSource).toBe('SelfManagedKafka');
    expect(Object.keys(selfManaged)).toEqual(['eventSource', 'bootstrapServers', 'records']);
    expect(isSelfManagedKafkaEvent(selfManaged)).toBe(true);
    const old = kafkaEvent({
      bootstrapServers: null,
      eventSourceArn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/shop/751d2973-a626-431c-9d4e-d7975eb44dd7-2',
      records: [],
    });
    expect(old).toStrictEqual({
      eventSource: 'aws:kafka',
      eventSourceArn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/shop/751d2973-a626-431c-9d4e-d7975eb44dd7-2',
      records: {},
    });
    expect(isKafkaEvent(old)).toBe(true);
  });

  it('keeps schema-registry metadata', () => {
    const event = kafkaEvent({
      records: [{ topic: 't', value: bytes([1]), valueSchemaMetadata: { dataFormat: 'AVRO', schemaId: '42' } }],
    });
    expect(event.records['t-0']?.[0]?.valueSchemaMetadata).toEqual({ dataFormat: 'AVRO', schemaId: '42' });
    expect(isKafkaEvent(event)).toBe(true);
  });

  it('round-trips: the record helpers decode every key, value and header back to what was given', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.uint8Array({ maxLength: 64 }),
        fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 16 })), {
          maxLength: 4,
        }),
        (key, value, headers) => {
          const event = kafkaEvent({ records: [{ topic: 'rt', key, value, headers }] });
          expect(isKafkaEvent(event)).toBe(true);
          const [entry] = recordsOf(event);
          expect(keyText(entry!)).toBe(key);
          expect([...(valueBytes(entry!) ?? [])]).toEqual([...value]);
          expect(headersOf(entry!.record).map((h) => [h.name, h.value])).toEqual(headers);
        },
      ),
    );
    const [entry] = recordsOf(
      kafkaEvent({
        records: [{ topic: 'rt', value: json({ orderId: 'order-1', items: [1, 2] }), headers: { lang: 'ë' } }],
      }),
    );
    expect(valueJson(entry!)).toEqual({ orderId: 'order-1', items: [1, 2] });
    expect(headerValue(entry!.record, 'lang')).toBe('ë');
  });

  it.each([
    {
      name: 'a negative partition',
      spec: { records: [{ topic: 't', partition: -1 }] },
      message: /^kafkaEvent: not a valid KafkaEvent: .*\/records\/t--1/,
    },
    { name: 'an empty topic', spec: { records: [{ topic: '' }] }, message: /^kafkaEvent: not a valid KafkaEvent: / },
    { name: 'a fractional offset', spec: { records: [{ topic: 't', offset: 1.5 }] }, message: /offset/ },
    {
      name: 'a value that is neither text nor bytes',
      spec: { records: [{ topic: 't' }, { topic: 't', value: 42 }] },
      message: /^kafkaEvent: records\[1\]\.value: expected text \(a string\) or bytes \(a Uint8Array\)/,
    },
    {
      name: 'a header value that is neither text nor bytes',
      spec: { records: [{ topic: 't', headers: { n: 1 } }] },
      message: /^kafkaEvent: records\[0\]\.headers: the value of "n" must be text or bytes$/,
    },
    {
      name: 'an unknown source',
      spec: { source: 'kinesis', records: [] },
      message: /^kafkaEvent: source must be "msk" or "self-managed", not "kinesis"$/,
    },
    {
      name: 'an ARN for a self-managed event',
      spec: { source: 'self-managed', eventSourceArn: DEFAULT_EVENT_SOURCE_ARN, records: [] },
      message: /no eventSourceArn/,
    },
  ])('throws a TypeError for $name', ({ spec, message }) => {
    const error = thrown(() => kafkaEvent(spec as never));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
  });

  it('payloadBytes: the bytes of a text or bytes value, as kafkaEvent sends them', () => {
    expect([...payloadBytes({ topic: 't', value: 'hi' })]).toEqual([0x68, 0x69]);
    expect([...payloadBytes({ topic: 't', key: json({ a: 1 }), value: null }, 'key')]).toEqual([
      ...Buffer.from('{"a":1}'),
    ]);
  });

  it('json() refuses a value JSON cannot encode', () => {
    expect(() => json(undefined)).toThrow(new TypeError('json(): undefined has no JSON form'));
    expect(text('x')).toBeInstanceOf(TestPayload);
  });

  it('batchResponseFor: the partial batch response naming the records given, in order', () => {
    const event = kafkaEvent({
      records: [
        { topic: 'orders-eu', partition: 3, offset: 15 },
        { topic: 'orders-eu', partition: 3 },
      ],
    });
    const second = event.records['orders-eu-3']?.[1];
    const response = batchResponseFor([second!, { topic: 'audit', partition: 0, offset: 2 }]);
    expect(response).toStrictEqual({
      batchItemFailures: [
        { itemIdentifier: { 'topic-partition': 'orders-eu-3', offset: 16 } },
        { itemIdentifier: { 'topic-partition': 'audit-0', offset: 2 } },
      ],
    });
    expect(isKafkaBatchResponse(response)).toBe(true);
    expect(batchResponseFor([])).toStrictEqual({ batchItemFailures: [] });
  });
});

// ---------------------------------------------------------------------------
// With typed topics

const CONFIG = {
  topics: {
    orders: { key: { format: 'string' }, value: { format: 'json', schema: 'schemas/order.schema.json' } },
    'audit-*': { value: { format: 'string' } },
    blobs: { key: { format: 'json', schema: 'schemas/blob-key.schema.json' }, value: { format: 'bytes' } },
  },
  unknownTopics: 'reject',
};
const BLOB_KEY_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'BlobKey',
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'integer' } },
};

const ORDER = {
  orderId: 'ORD-1',
  customer: { id: 'c-7', name: 'Zoë Martin', address: { city: 'Lyon', country: 'FR' } },
  status: 'PAID',
  items: [{ sku: 'SKU-1', quantity: 2 }],
};

/** A project with `config` and the schema files `schemas` (name -> text), generated into `generated/` (kept for the whole describe: the caller removes it). */
async function generatedProject(config: unknown, schemas: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'msk-codegen-testing-'));
  await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(path.join(dir, CONFIG_FILE_NAME), JSON.stringify(config, null, 2));
  await mkdir(path.join(dir, 'schemas'));
  for (const [name, text] of Object.entries(schemas)) await writeFile(path.join(dir, 'schemas', name), text);
  const resolved = await resolveConfig({ cwd: dir });
  const files = await generate({
    schema: EMBEDDED_SCHEMA_PATH,
    topics: resolved.topics,
    unknownTopics: resolved.unknownTopics,
    configFile: resolved.configFile as string,
  });
  await writeGeneratedFiles(path.join(dir, 'generated'), files);
  return dir;
}

/** A project with CONFIG. */
const typedProject = () =>
  generatedProject(CONFIG, {
    'order.schema.json': JSON.stringify(ORDER_SCHEMA, null, 2),
    'blob-key.schema.json': JSON.stringify(BLOB_KEY_SCHEMA, null, 2),
  });

function typeErrors(files: string[], options: ts.CompilerOptions = STRICT): string[] {
  const program = createProgram(files, options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    return `${path.basename(d.file?.fileName ?? '')}:${line}: TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

describe('kafkaEvent with typed topics (orders: JSON Order, string key; audit-*: text; blobs: bytes, JSON key)', () => {
  let dir: string;
  type Api = Record<string, any>;
  let testing: Api;
  let payloads: Api;
  beforeAll(async () => {
    dir = await typedProject();
    testing = (await import(pathToFileURL(path.join(dir, 'generated', 'testing.ts')).href)) as Api;
    payloads = (await import(pathToFileURL(path.join(dir, 'generated', 'payloads.ts')).href)) as Api;
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('type-checks under the strictest settings, with no @types in scope', () => {
    const generated = ['index.ts', 'payloads.ts', 'testing.ts'].map((f) => path.join(dir, 'generated', f));
    expect(typeErrors(generated, STRICTEST)).toEqual([]);
  });

  it('encodes each side as its topic declares it, and decodeRecords gives the values back', () => {
    const event = testing['kafkaEvent']({
      records: [
        { topic: 'orders', key: 'order-1', value: ORDER },
        { topic: 'orders', value: 'hi' }, // a string on a JSON topic is JSON text (the types forbid it: see below)
        { topic: 'audit-eu', value: 'hi' },
        { topic: 'blobs', key: { id: 7 }, value: new Uint8Array([0, 1, 2, 253, 254, 255]) },
        { topic: 'orders', value: null },
      ],
    });
    expect(isKafkaEvent(event)).toBe(true);
    expect(event.records['orders-0'].map((r: { key?: string; value: string | null }) => [r.key, r.value])).toEqual([
      ['b3JkZXItMQ==', Buffer.from(JSON.stringify(ORDER)).toString('base64')],
      [undefined, 'ImhpIg=='],
      [undefined, null],
    ]);
    expect(event.records['audit-eu-0'][0].value).toBe('aGk=');
    expect(event.records['blobs-0'][0].value).toBe('AAEC/f7/');
    const decoded = recordsOf(event).map((entry) => {
      try {
        const record = payloads['decodeRecord'](entry);
        return [record.topic, record.key, record.value instanceof Uint8Array ? [...record.value] : record.value];
      } catch (error) {
        return [entry.record.topic, (error as Error).name];
      }
    });
    expect(decoded).toEqual([
      ['orders', 'order-1', ORDER],
      ['orders', 'PayloadValidationError'],
      ['orders', null, null],
      ['audit-eu', null, 'hi'],
      ['blobs', { id: 7 }, [0, 1, 2, 253, 254, 255]],
    ]);
  });

  it('json() and text() send what the payload schema rejects, to test that the handler reports it', () => {
    const event = testing['kafkaEvent']({
      records: [
        { topic: 'orders', value: testing['json']({}) },
        { topic: 'orders', value: testing['text']('not json') },
        { topic: 'other', value: testing['text']('x') },
      ],
    });
    const errors = recordsOf(event).map((entry) => thrown(() => payloads['decodeRecord'](entry)) as Error);
    expect(errors.map((e) => [e.name, e.message.split(':')[0]])).toEqual([
      ['PayloadValidationError', 'records/orders-0/0/value'],
      ['KafkaRecordDecodeError', 'records/orders-0/1/value'],
      ['KafkaRecordDecodeError', 'records/other-0/0'],
    ]);
  });

  /** A type-level test file in the project; `body` uses kafkaEvent and the payload types. */
  async function typeTest(name: string, body: string): Promise<string> {
    const file = path.join(dir, name);
    const text = `import type { MSKEvent, Order, SelfManagedKafkaEvent } from './generated/index.js';\nimport { bytes, json, kafkaEvent, text } from './generated/testing.js';\n\ndeclare const order: Order;\n${body}`;
    await writeFile(file, text);
    return text;
  }

  it("types: a record value has its topic's payload type, and every wrong one is a compile error", async () => {
    await typeTest(
      'types.ts',
      `export const ok = kafkaEvent({
  records: [
    { topic: 'orders', key: 'order-1', value: order, headers: { lang: 'ë' } },
    { topic: 'orders', value: null },
    { topic: 'orders', value: json({}) },
    { topic: 'audit-eu', value: 'text' },
    { topic: 'blobs', key: { id: 7 }, value: new Uint8Array([1]) },
    { topic: 'other', key: text('k'), value: bytes([1]) },
  ],
});
export const msk: MSKEvent = kafkaEvent({ records: [] });
export const selfManaged: SelfManagedKafkaEvent = kafkaEvent({ source: 'self-managed', records: [] });
// @ts-expect-error an MSK event (the default) is not a self-managed one
export const wrongSource: SelfManagedKafkaEvent = kafkaEvent({ records: [] });
export const wrong = kafkaEvent({
  records: [
    // @ts-expect-error text is not an Order
    { topic: 'orders', value: 'not an order' },
    // @ts-expect-error an Order lacking required fields
    { topic: 'orders', value: { orderId: 'ORD-1' } },
    // @ts-expect-error the key of orders is text
    { topic: 'orders', key: 42, value: order },
    // @ts-expect-error audit-* carries text, not Orders
    { topic: 'audit-eu', value: order },
    // @ts-expect-error the key of blobs is a BlobKey
    { topic: 'blobs', key: 'k', value: new Uint8Array([1]) },
    // @ts-expect-error blobs carries bytes, not text
    { topic: 'blobs', value: 'text' },
    // @ts-expect-error a topic the config does not declare takes text(), bytes() or json()
    { topic: 'other', value: 'text' },
  ],
});
`,
    );
    expect(typeErrors([path.join(dir, 'types.ts')])).toEqual([]);
  });

  it('types: the check can fail: an Order missing a field is an error at its line, naming the field', async () => {
    const text = await typeTest(
      'broken.ts',
      `export const event = kafkaEvent({\n  records: [\n    { topic: 'orders', value: { orderId: 'ORD-1', customer: order.customer, status: 'PAID' } },\n  ],\n});\n`,
    );
    const errors = typeErrors([path.join(dir, 'broken.ts')]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(
        `^broken\\.ts:${positionOf(text, "{ topic: 'orders'").line}: TS2322: .*Property 'items' is missing in type .* but required in type 'Order'`,
      ),
    );
  });
});

const BINARY_CONFIG = {
  topics: {
    users: { key: { format: 'string' }, value: { format: 'avro', schema: 'schemas/user.avsc' } },
    'glued-*': { value: { format: 'avro', schema: 'schemas/user.avsc', framing: 'glue' } },
    profiles: {
      value: { format: 'protobuf', schema: 'schemas/complex.proto', message: 'com.example.protobuf.UserProfile' },
    },
  },
  unknownTopics: 'reject',
};

const PROFILE = {
  userId: 'u-1',
  name: 'Zoë',
  email: 'zoe@example.com',
  age: 31,
  isActive: true,
  signupDate: '2024-02-02',
  tags: ['a', 'b'],
  preferences: { theme: 'dark' },
  address: { street: '1 Main St', city: 'Lyon', zip: '69001' },
};

/*
 * By hand: the Avro User { name: 'Ann', age: 30 } is the string's length 3 (zig-zag 06), "Ann" (41 6e 6e)
 * and the int 30 (zig-zag 60 = 3c). Confluent frames it with 00 and the test schema id 1 (00 00 00 01);
 * Glue with 03 00 and the test schema version 00000000-0000-4000-8000-000000000001. complex.proto
 * declares Address then UserProfile: Confluent's message-index path is [1] (count 1, index 1, zig-zag:
 * 02 02), Glue's index 1 (Address, UserProfile, UserProfile.PreferencesEntry sorted by full name).
 */
const ANN = [0x06, 0x41, 0x6e, 0x6e, 0x3c];
const CONFLUENT_1 = [0, 0, 0, 0, 1];
const GLUE_TEST = [3, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 1];

describe('kafkaEvent with Avro and Protobuf topics (users: Avro, auto; glued-*: Avro, glue; profiles: Protobuf, auto)', () => {
  let dir: string;
  type Api = Record<string, any>;
  let testing: Api;
  let payloads: Api;
  beforeAll(async () => {
    const fixture = (name: string) => readFile(path.join(REPO_ROOT, 'test', 'fixtures', 'powertools', name), 'utf8');
    dir = await generatedProject(BINARY_CONFIG, {
      'user.avsc': await fixture('user.avsc'),
      'complex.proto': await fixture('complex.proto'),
    });
    testing = (await import(pathToFileURL(path.join(dir, 'generated', 'testing.ts')).href)) as Api;
    payloads = (await import(pathToFileURL(path.join(dir, 'generated', 'payloads.ts')).href)) as Api;
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const bytesOf = (base64: string) => [...Buffer.from(base64, 'base64')];

  it('type-checks under the strictest settings, with no @types in scope', () => {
    const generated = ['index.ts', 'payloads.ts', 'testing.ts'].map((f) => path.join(dir, 'generated', f));
    expect(typeErrors(generated, STRICTEST)).toEqual([]);
  });

  it('encodes typed values and frames them as each topic says; decodeRecords gives them back', () => {
    const event = testing['kafkaEvent']({
      records: [
        { topic: 'users', key: 'ann', value: { name: 'Ann', age: 30 } },
        { topic: 'glued-eu', value: { name: 'Ann', age: 30 } },
        { topic: 'profiles', value: PROFILE },
        { topic: 'users', value: null },
      ],
    });
    expect(bytesOf(event.records['users-0'][0].value)).toEqual([...CONFLUENT_1, ...ANN]);
    expect(bytesOf(event.records['glued-eu-0'][0].value)).toEqual([...GLUE_TEST, ...ANN]);
    expect(bytesOf(event.records['profiles-0'][0].value).slice(0, 8)).toEqual([...CONFLUENT_1, 2, 2, 0x0a]);
    expect(event.records['users-0'][1].value).toBeNull();
    const decoded = payloads['decodeRecords'](event).map((r: any) => [r.topic, r.key, r.value]);
    expect(decoded).toEqual([
      ['users', 'ann', { name: 'Ann', age: 30 }],
      ['users', null, null],
      ['glued-eu', null, { name: 'Ann', age: 30 }],
      ['profiles', null, PROFILE],
    ]);
  });

  it('with schema metadata on the record: framed as EventRecordFormat SOURCE delivers it', () => {
    const event = testing['kafkaEvent']({
      records: [
        { topic: 'users', value: { name: 'Ann', age: 30 }, valueSchemaMetadata: { dataFormat: 'AVRO', schemaId: '7' } },
        {
          topic: 'profiles',
          value: PROFILE,
          valueSchemaMetadata: { dataFormat: 'PROTOBUF', schemaId: '7' },
        },
        {
          topic: 'profiles',
          value: PROFILE,
          valueSchemaMetadata: { dataFormat: 'PROTOBUF', schemaId: '574f6a9a-9548-4dea-86a3-d82c0479a116' },
        },
      ],
    });
    // Avro: the datum alone; Protobuf: Confluent's index array (digits) or Glue's varint (a UUID), then the message.
    expect(bytesOf(event.records['users-0'][0].value)).toEqual(ANN);
    expect(bytesOf(event.records['profiles-0'][0].value).slice(0, 3)).toEqual([2, 2, 0x0a]);
    expect(bytesOf(event.records['profiles-0'][1].value).slice(0, 2)).toEqual([1, 0x0a]);
    expect(payloads['decodeRecords'](event).map((r: any) => r.value)).toEqual([
      { name: 'Ann', age: 30 },
      PROFILE,
      PROFILE,
    ]);
  });

  it('a value the decoder could not return is a TypeError naming the record and the path', () => {
    const error = (value: unknown, extra: Record<string, unknown> = {}) =>
      (
        thrown(() =>
          testing['kafkaEvent']({ records: [{ topic: 'users' }, { topic: 'users', value, ...extra }] }),
        ) as Error
      ).message;
    expect(error({ name: 'Ann', age: 2 ** 31 })).toMatch(/^kafkaEvent: records\[1\]\.value\.age: expected .*int/);
    expect(error({ name: 'Ann' })).toBe(
      'kafkaEvent: records[1].value: expected an object with field "age" (Avro record com.example.User), received one without it',
    );
    expect(
      (
        thrown(() =>
          testing['kafkaEvent']({
            records: [
              { topic: 'profiles', value: PROFILE, valueSchemaMetadata: { dataFormat: 'PROTOBUF', schemaId: 'abc' } },
            ],
          }),
        ) as Error
      ).message,
    ).toBe(
      'kafkaEvent: records[0].value: a Protobuf value with schema metadata needs a schemaId of digits (Confluent) or a UUID (Glue), to know the form of its message index; received "abc"',
    );
  });

  it('payloadBytes: the bytes kafkaEvent sends for a record, key or value; none for a tombstone', () => {
    expect([...testing['payloadBytes']({ topic: 'users', value: { name: 'Ann', age: 30 } })]).toEqual([
      ...CONFLUENT_1,
      ...ANN,
    ]);
    expect([
      ...testing['payloadBytes'](
        { topic: 'users', value: { name: 'Ann', age: 30 }, valueSchemaMetadata: { dataFormat: 'AVRO', schemaId: '7' } },
        'value',
      ),
    ]).toEqual(ANN);
    expect([...testing['payloadBytes']({ topic: 'users', key: 'ann', value: null }, 'key')]).toEqual([
      0x61, 0x6e, 0x6e,
    ]);
    expect(() => testing['payloadBytes']({ topic: 'users', value: null })).toThrow(
      'payloadBytes: the record has no value (a tombstone)',
    );
    expect(() => testing['payloadBytes']({ topic: 'users', value: { name: 'Ann' } })).toThrow(
      'payloadBytes: value: expected an object with field "age"',
    );
  });

  it('bytes() sends bytes as given, past the type: a value that does not decode', () => {
    const event = testing['kafkaEvent']({
      records: [{ topic: 'users', value: testing['bytes']([...CONFLUENT_1, 6, 0x41]) }],
    });
    expect((thrown(() => payloads['decodeRecords'](event)) as Error).name).toBe('PayloadDecodeError');
  });

  it("types: a record value has its topic's codec type, and a wrong one is a compile error at its line", async () => {
    const file = path.join(dir, 'binary-types.ts');
    const text = `import { kafkaEvent } from './generated/testing.js';

export const ok = kafkaEvent({ records: [{ topic: 'users', value: { name: 'Ann', age: 30 } }] });
export const wrong = kafkaEvent({ records: [{ topic: 'users', value: { name: 'Ann' } }] });
export const other = kafkaEvent({
  records: [
    // @ts-expect-error a UserProfile is not a User
    { topic: 'users', value: { userId: 'u', name: 'n', email: 'e', age: 1, isActive: true, signupDate: 'd', tags: [], preferences: {} } },
    // @ts-expect-error the Avro int is a number
    { topic: 'users', value: { name: 'Ann', age: 30n } },
    // @ts-expect-error the key of users is text
    { topic: 'users', key: 7, value: { name: 'Ann', age: 30 } },
  ],
});
`;
    await writeFile(file, text);
    const errors = typeErrors([file]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^binary-types\.ts:4: TS2322: Type '\{ name: string; \}' is not assignable to type 'User \| /,
    );
  });
});

describe('kafkaEvent types without topics', () => {
  it('a value is text, bytes or a TestPayload: anything else is a compile error', async () => {
    const dir = await tempDir('msk-codegen-testing-');
    await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    await writeGeneratedFiles(path.join(dir, 'generated'), await generate());
    const file = path.join(dir, 'types.ts');
    await writeFile(
      file,
      `import { bytes, kafkaEvent } from './generated/testing.js';
export const ok = kafkaEvent({ records: [{ topic: 'a', key: 'k', value: 'v' }, { topic: 'a', key: new Uint8Array([1]), value: bytes([1]) }, { topic: 'a', value: null }] });
export const wrong = kafkaEvent({
  records: [
    // @ts-expect-error a number is no value
    { topic: 'a', value: 42 },
    // @ts-expect-error an object is no value (json() sends one as JSON)
    { topic: 'a', value: { orderId: 1 } },
    // @ts-expect-error partitions are numbers
    { topic: 'a', partition: '0' },
  ],
});
`,
    );
    expect(typeErrors([file])).toEqual([]);
  });
});
