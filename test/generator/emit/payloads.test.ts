/**
 * payloads.ts, generated from a config with typed topics: the decoded record types
 * narrow by topic under strict TypeScript, the decoders (bundled and run) return the
 * payloads and reject every kind of bad payload naming the record and the path inside
 * the payload, and a schema change breaks exactly the code that depends on what changed.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME, generate, resolveConfig, writeGeneratedFiles } from '../../../generator/index.js';
import { EMBEDDED_SCHEMA_PATH, positionOf, REPO_ROOT, tempDir } from '../../helpers.js';
import { importGenerated } from '../../load-generated.js';
import { ORDER_SCHEMA } from '../../fixtures/order-payload.js';
import { createProgram, STRICT, STRICTEST } from '../../typescript.js';

type Api = Record<string, any>;

const TWO_TOPICS = {
  orders: { key: { format: 'string' }, value: { format: 'json', schema: 'schemas/order.schema.json' } },
  'audit-*': { value: { format: 'string' } },
};

const ORDER = {
  orderId: 'ORD-1',
  customer: { id: 'c-7', name: 'Zoë Martin', address: { city: 'Lyon', country: 'FR' } },
  status: 'PAID',
  items: [
    { sku: 'SKU-1', quantity: 2 },
    { sku: 'SKU-2', quantity: 1 },
  ],
  notes: 'leave at the door',
};

const text = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const base64 = (data: string | number[]) =>
  (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)).toString('base64');
const json64 = (value: unknown) => base64(JSON.stringify(value));

/** A record as Lambda sends it; `fields` override or add (key, value, headers, schema metadata). */
function record(topic: string, offset: number, fields: Record<string, unknown> = {}) {
  return {
    topic,
    partition: 0,
    offset,
    timestamp: 1700000000000 + offset,
    timestampType: 'CREATE_TIME',
    headers: [],
    ...fields,
  };
}

function event(records: Record<string, unknown[]>) {
  return {
    eventSource: 'aws:kafka',
    eventSourceArn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/shop/751d2973-a626-431c-9d4e-d7975eb44dd7-2',
    records,
  };
}

/** A project in a temporary directory: package.json, the config, the Order schema and any `files` (objects written as JSON). */
async function project(
  config: Record<string, unknown>,
  files: Record<string, unknown> = { 'schemas/order.schema.json': ORDER_SCHEMA },
): Promise<string> {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(path.join(dir, CONFIG_FILE_NAME), text(config));
  for (const [file, contents] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), typeof contents === 'string' ? contents : text(contents));
  }
  return dir;
}

/** Resolves the project's config and writes what `generate` returns to `<dir>/generated`. */
async function generateInto(dir: string): Promise<string> {
  const config = await resolveConfig({ cwd: dir });
  const files = await generate({
    schema: EMBEDDED_SCHEMA_PATH,
    topics: config.topics,
    unknownTopics: config.unknownTopics,
    ...(config.configFile ? { configFile: config.configFile } : {}),
  });
  const out = path.join(dir, 'generated');
  await writeGeneratedFiles(out, files);
  return out;
}

async function apiFor(config: Record<string, unknown>, files?: Record<string, unknown>): Promise<Api> {
  return importGenerated(await generateInto(await project(config, files)));
}

/** The error `fn` throws (fails the test when it throws none). */
function thrown(fn: () => unknown): any {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

// ---------------------------------------------------------------------------------------------
// Type checking

interface Found {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly code: number;
  readonly message: string;
}

/** Type-checks `files` (and everything they import) under strict settings; diagnostics relative to `dir`. */
function typecheck(dir: string, files: string[]): Found[] {
  const program = createProgram(
    files.map((f) => path.join(dir, f)),
    STRICT,
  );
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const at =
      d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: -1, character: -1 };
    return {
      file: d.file ? path.relative(dir, d.file.fileName).split(path.sep).join('/') : '',
      line: at.line + 1,
      column: at.character + 1,
      code: d.code,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    };
  });
}

const EQUAL = `
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export function expectType<T extends true>(): void {}
`;

const NARROWING_REJECT = `import type { Address, AuditAnyRecord, DecodedRecord, KafkaEvent, Order, OrdersRecord } from './generated/index.js';
import { decodeRecords } from './generated/index.js';
// @ts-expect-error no UnknownTopicRecord when unknown topics are rejected
import type { UnknownTopicRecord } from './generated/index.js';
${EQUAL}
export function byTopic(r: DecodedRecord): void {
  if (r.topic === 'orders') {
    expectType<Equal<typeof r, OrdersRecord>>();
    expectType<Equal<typeof r.value, Order | null>>();
    expectType<Equal<typeof r.key, string | null>>();
    expectType<Equal<typeof r.payload, 'orders'>>();
    // @ts-expect-error the orders value is not text
    expectType<Equal<typeof r.value, string | null>>();
    // @ts-expect-error a tombstone's value is null
    const order: Order = r.value;
    if (r.value !== null) {
      const ok: Order = r.value;
      expectType<Equal<typeof ok.customer.address, Address>>();
    }
  } else {
    expectType<Equal<typeof r, AuditAnyRecord>>();
    expectType<Equal<typeof r.value, string | null>>();
    expectType<Equal<typeof r.key, Uint8Array | null>>();
    expectType<Equal<typeof r.topic, \`audit-\${string}\`>>();
    // @ts-expect-error an audit record's value is text, not an Order
    const order: Order | null = r.value;
  }
}

export function byPayload(r: DecodedRecord): string {
  switch (r.payload) {
    case 'orders':
      expectType<Equal<typeof r.value, Order | null>>();
      return r.value?.orderId ?? 'tombstone';
    case 'audit-*':
      expectType<Equal<typeof r.value, string | null>>();
      return r.value ?? 'tombstone';
    default: {
      const unreachable: never = r;
      return unreachable;
    }
  }
}

export function withoutNarrowing(r: DecodedRecord): void {
  // @ts-expect-error r.value may be an audit record's text, or null
  const order: Order = r.value;
  // @ts-expect-error not even Order | null
  const maybe: Order | null = r.value;
  const any: Order | string | null = r.value;
  expectType<Equal<typeof r.value, Order | string | null>>();
}

export function undeclaredTopic(r: DecodedRecord): boolean {
  // @ts-expect-error "payments" is no declared topic: the comparison is always false
  return r.topic === 'payments';
}

export function orderShape(order: Order): void {
  expectType<Equal<Order['status'], 'PLACED' | 'PAID' | 'SHIPPED' | 'CANCELLED'>>();
  expectType<Equal<Order['customer']['address'], Address>>();
  expectType<Equal<Address['city'], string>>();
  expectType<Equal<Order['items'][number], { sku: string; quantity: number }>>();
  expectType<Equal<typeof order.notes, string | undefined>>();
  // @ts-expect-error LOST is not a status
  const lost: Order['status'] = 'LOST';
  // @ts-expect-error no such property
  order.customer.email;
}

export function orders(event: KafkaEvent): Order[] {
  return decodeRecords(event).flatMap((r) => (r.topic === 'orders' && r.value !== null ? [r.value] : []));
}
`;

const NARROWING_BYTES = `import type { DecodedRecord, Order, UnknownTopicRecord } from './generated/index.js';
${EQUAL}
expectType<Equal<UnknownTopicRecord['value'], Uint8Array | null>>();
expectType<Equal<UnknownTopicRecord['key'], Uint8Array | null>>();
expectType<Equal<UnknownTopicRecord['payload'], null>>();
expectType<Equal<UnknownTopicRecord['topic'], string>>();

export function byPayload(r: DecodedRecord): void {
  if (r.payload === null) {
    expectType<Equal<typeof r, UnknownTopicRecord>>();
    expectType<Equal<typeof r.value, Uint8Array | null>>();
  } else if (r.payload === 'orders') {
    expectType<Equal<typeof r.value, Order | null>>();
  } else {
    expectType<Equal<typeof r.payload, 'audit-*'>>();
    expectType<Equal<typeof r.value, string | null>>();
  }
  // @ts-expect-error without narrowing the value may be bytes of an unknown topic
  const text: string | Order | null = r.value;
}
`;

describe('decoded record types narrow by topic (strict TypeScript over the generated dir)', () => {
  it('unknownTopics "reject": narrowing on topic and on payload, errors without narrowing', async () => {
    const dir = await project({ topics: TWO_TOPICS });
    await generateInto(dir);
    await writeFile(path.join(dir, 'narrowing.ts'), NARROWING_REJECT);
    expect(typecheck(dir, ['narrowing.ts'])).toEqual([]);
  });

  it('unknownTopics "bytes": UnknownTopicRecord, value Uint8Array | null, narrowing on payload', async () => {
    const dir = await project({ topics: TWO_TOPICS, unknownTopics: 'bytes' });
    await generateInto(dir);
    await writeFile(path.join(dir, 'narrowing.ts'), NARROWING_BYTES);
    expect(typecheck(dir, ['narrowing.ts'])).toEqual([]);
  });

  it('the check can fail: a wrong expectation and a needless @ts-expect-error are both reported', async () => {
    const dir = await project({ topics: TWO_TOPICS });
    await generateInto(dir);
    const source = `import type { DecodedRecord, Order } from './generated/index.js';
${EQUAL}
export function f(r: DecodedRecord): void {
  if (r.topic === 'orders') {
    expectType<Equal<typeof r.value, Order>>();
    // @ts-expect-error
    const fine: Order | null = r.value;
  }
}
`;
    await writeFile(path.join(dir, 'wrong.ts'), source);
    expect(typecheck(dir, ['wrong.ts']).map((d) => [d.file, d.line, d.code])).toEqual([
      ['wrong.ts', positionOf(source, 'expectType<Equal<typeof r.value').line, 2344],
      ['wrong.ts', positionOf(source, '// @ts-expect-error').line, 2578],
    ]);
  });
});

/** The flags of test/meta/typecheck.test.ts, the strictest users commonly turn on. */

async function generatedTsFiles(out: string): Promise<string[]> {
  return (await readdir(out))
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => path.join(out, f));
}

function diagnosticsOf(files: string[], options: ts.CompilerOptions): string[] {
  return ts
    .getPreEmitDiagnostics(createProgram(files, options))
    .map(
      (d) =>
        `${d.file ? path.basename(d.file.fileName) : ''}: TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    );
}

describe('generated payloads.ts type-checks under the strictest flags (noUnusedLocals, noUnusedParameters, ...)', () => {
  it.each([
    { name: 'two topics, unknown topics rejected', config: { topics: TWO_TOPICS } },
    { name: 'two topics, unknown topics as bytes', config: { topics: TWO_TOPICS, unknownTopics: 'bytes' } },
    { name: 'no JSON payload at all', config: { topics: { 'audit-*': { value: { format: 'string' } }, raw: {} } } },
    {
      name: 'a JSON key and a JSON value of the same schema',
      config: {
        topics: {
          orders: {
            key: { format: 'json', schema: 'schemas/order.schema.json' },
            value: { format: 'json', schema: 'schemas/order.schema.json' },
          },
        },
      },
    },
  ])('$name', async ({ config }) => {
    const out = await generateInto(await project(config));
    expect(diagnosticsOf(await generatedTsFiles(out), STRICTEST)).toEqual([]);
  });

  /**
   * Type names come from payload titles and topic names; the generated files also declare
   * and import names of their own. A clash must be refused with a diagnostic naming the
   * file that chose the name (as one with an event definition is), or avoided: never
   * emitted as code that does not compile.
   */
  it.each([
    {
      name: 'topic "audit" with a payload titled "AuditRecord"',
      topics: { audit: { value: { format: 'json', schema: 'p.schema.json' } } },
      title: 'AuditRecord',
      blame: 'p.schema.json',
    },
    {
      name: 'a payload titled "Payload"',
      topics: { events: { value: { format: 'json', schema: 'p.schema.json' } } },
      title: 'Payload',
      blame: 'p.schema.json',
    },
    {
      name: 'a payload titled "KafkaHeader"',
      topics: { events: { value: { format: 'json', schema: 'p.schema.json' } } },
      title: 'KafkaHeader',
      blame: 'p.schema.json',
    },
    {
      name: 'a payload titled "ValidationIssue"',
      topics: { events: { value: { format: 'json', schema: 'p.schema.json' } } },
      title: 'ValidationIssue',
      blame: 'p.schema.json',
    },
    {
      name: 'a payload titled "ParseWarning" (parse.ts declares it; index.ts exports it)',
      topics: { events: { value: { format: 'json', schema: 'p.schema.json' } } },
      title: 'ParseWarning',
      blame: 'p.schema.json',
    },
    {
      name: 'a payload titled "ErrorCollector" (payloads.ts imports it from validators-all-errors.ts)',
      topics: { events: { value: { format: 'json', schema: 'p.schema.json' } } },
      title: 'ErrorCollector',
      blame: 'p.schema.json',
    },
    {
      name: 'topic "kafka" (its record type would be KafkaRecord)',
      topics: { kafka: { value: { format: 'string' } } },
      title: 'Unused',
      blame: CONFIG_FILE_NAME,
    },
  ])(
    '$name: refused at the file that chose the name, or generated code that compiles',
    async ({ topics, title, blame }) => {
      const dir = await project(
        { topics },
        { 'p.schema.json': { title, type: 'object', properties: { id: { type: 'string' } } } },
      );
      let out: string;
      try {
        out = await generateInto(dir);
      } catch (error) {
        const diagnostics = (error as { diagnostics?: { file?: string; message: string }[] }).diagnostics ?? [];
        expect(
          diagnostics.map((d) => d.file),
          String(error),
        ).toEqual([path.join(dir, blame)]);
        return;
      }
      expect(diagnosticsOf(await generatedTsFiles(out), STRICT)).toEqual([]);
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Decoding at run time

describe('decodeRecord / decodeRecords (the generated API, bundled and imported)', () => {
  let api: Api;
  let bytesApi: Api;
  beforeAll(async () => {
    api = await apiFor({ topics: TWO_TOPICS });
    bytesApi = await apiFor({ topics: TWO_TOPICS, unknownTopics: 'bytes' });
  });

  it('decodes a batch: JSON values validated, keys as text, tombstones as null, audit-* values as text', () => {
    const input = event({
      'orders-0': [
        record('orders', 10, {
          key: base64('order-1'),
          value: json64(ORDER),
          headers: [{ traceparent: [48, 48] }, { lang: [-61, -85] }],
        }),
        record('orders', 11, { key: base64('order-1'), value: null }),
        record('orders', 12, {}),
      ],
      'audit-eu-3': [
        record('audit-eu', 7, { partition: 3, value: base64('user Zoë logged in'), key: base64([0, 255, 1]) }),
      ],
    });
    const decoded = api['decodeRecords'](api['parseKafkaEvent'](input));
    const shape = (r: any) => ({
      payload: r.payload,
      topic: r.topic,
      topicPartition: r.topicPartition,
      index: r.index,
      location: r.location,
      partition: r.partition,
      offset: r.offset,
      timestamp: r.timestamp,
      timestampType: r.timestampType,
      key: r.key,
      value: r.value,
    });
    expect(decoded.map(shape)).toEqual([
      {
        payload: 'orders',
        topic: 'orders',
        topicPartition: 'orders-0',
        index: 0,
        location: 'records/orders-0/0',
        partition: 0,
        offset: 10,
        timestamp: 1700000000010,
        timestampType: 'CREATE_TIME',
        key: 'order-1',
        value: ORDER,
      },
      {
        payload: 'orders',
        topic: 'orders',
        topicPartition: 'orders-0',
        index: 1,
        location: 'records/orders-0/1',
        partition: 0,
        offset: 11,
        timestamp: 1700000000011,
        timestampType: 'CREATE_TIME',
        key: 'order-1',
        value: null,
      },
      {
        payload: 'orders',
        topic: 'orders',
        topicPartition: 'orders-0',
        index: 2,
        location: 'records/orders-0/2',
        partition: 0,
        offset: 12,
        timestamp: 1700000000012,
        timestampType: 'CREATE_TIME',
        key: null,
        value: null,
      },
      {
        payload: 'audit-*',
        topic: 'audit-eu',
        topicPartition: 'audit-eu-3',
        index: 0,
        location: 'records/audit-eu-3/0',
        partition: 3,
        offset: 7,
        timestamp: 1700000000007,
        timestampType: 'CREATE_TIME',
        key: expect.any(Uint8Array),
        value: 'user Zoë logged in',
      },
    ]);
    expect([...decoded[3].key]).toEqual([0, 255, 1]);
    // Headers are not decoded eagerly: the raw record is there, and headersOf decodes them.
    expect(api['headersOf'](decoded[0].record).map((h: { name: string; value: string }) => [h.name, h.value])).toEqual([
      ['traceparent', '00'],
      ['lang', 'ë'],
    ]);
    expect('headers' in decoded[0]).toBe(false);
    expect(decoded[0].record).toBe(input.records['orders-0']?.[0]);
  });

  it('records and entries are objects of a class with exactly the documented own fields, in order (not literals: see bench section 8)', () => {
    const input = event({ 'orders-0': [record('orders', 4, { key: base64('k'), value: json64(ORDER) })] });
    const [entry] = api['recordsOf'](input);
    const [decoded] = api['decodeRecords'](input);
    // One object literal per record made V8 pretenure them (old objects holding young values): decodeRecords ran 2x slower on ~6 MB.
    expect(Object.getPrototypeOf(entry)).not.toBe(Object.prototype);
    expect(Object.getPrototypeOf(decoded)).not.toBe(Object.prototype);
    expect(Object.keys(entry)).toEqual(['topicPartition', 'index', 'location', 'record']);
    expect(Object.keys(decoded)).toEqual([
      'topicPartition',
      'index',
      'location',
      'partition',
      'offset',
      'timestamp',
      'timestampType',
      'record',
      'payload',
      'topic',
      'key',
      'value',
    ]);
    // Their JSON is a plain record's.
    expect(JSON.parse(JSON.stringify(decoded))).toEqual({
      ...decoded,
      record: JSON.parse(JSON.stringify(entry.record)),
    });
    expect(Object.keys(bytesApi['decodeRecords'](input)[0])).toEqual(Object.keys(decoded));
  });

  it('decodeRecord decodes one entry of recordsOf', () => {
    const input = event({
      'orders-5': [
        record('orders', 1, { value: null }),
        record('orders', 2, { key: base64('k'), value: json64(ORDER) }),
      ],
    });
    const entries = api['recordsOf'](input);
    const second = api['decodeRecord'](entries[1]);
    expect([second.location, second.partition, second.key, second.value]).toEqual([
      'records/orders-5/1',
      0,
      'k',
      ORDER,
    ]);
  });

  const { notes: _notes, ...minimal } = ORDER;
  it.each([
    { name: 'a minimal order (no optional notes)', value: minimal },
    {
      name: 'a non-ASCII name and several items',
      value: {
        ...ORDER,
        customer: { ...ORDER.customer, name: '王小明 🙂' },
        items: [...ORDER.items, { sku: 'X', quantity: 99 }],
      },
    },
  ])('valid: $name', ({ value }) => {
    const [decoded] = api['decodeRecords'](event({ 'orders-0': [record('orders', 0, { value: json64(value) })] }));
    expect(decoded.value).toEqual(value);
  });

  type Edit = (order: any) => void;
  const violations: {
    name: string;
    edit: Edit;
    issues: { path: string; keyword: string; expected: string; received: string }[];
  }[] = [
    {
      name: 'wrong type inside a nested object',
      edit: (o) => (o.customer.name = 42),
      issues: [{ path: '/customer/name', keyword: 'type', expected: 'string', received: 'integer 42' }],
    },
    {
      name: "wrong type two levels down, through the payload's own $ref",
      edit: (o) => (o.customer.address.city = false),
      issues: [{ path: '/customer/address/city', keyword: 'type', expected: 'string', received: 'boolean false' }],
    },
    {
      name: 'a pattern broken deep down',
      edit: (o) => (o.customer.address.country = 'France'),
      issues: [
        {
          path: '/customer/address/country',
          keyword: 'pattern',
          expected: 'a string matching ^[A-Z]{2}$',
          received: 'string "France"',
        },
      ],
    },
    {
      name: 'an enum value not allowed',
      edit: (o) => (o.status = 'LOST'),
      issues: [
        {
          path: '/status',
          keyword: 'enum',
          expected: 'one of "PLACED", "PAID", "SHIPPED", "CANCELLED"',
          received: 'string "LOST"',
        },
      ],
    },
    {
      name: 'an empty array where minItems is 1',
      edit: (o) => (o.items = []),
      issues: [{ path: '/items', keyword: 'minItems', expected: 'at least 1 item', received: 'an empty array' }],
    },
    {
      name: 'a bad number in the second array item',
      edit: (o) => (o.items[1].quantity = 0),
      issues: [{ path: '/items/1/quantity', keyword: 'minimum', expected: 'a number >= 1', received: 'integer 0' }],
    },
    {
      name: 'an empty string where minLength is 1',
      edit: (o) => (o.customer.id = ''),
      issues: [
        {
          path: '/customer/id',
          keyword: 'minLength',
          expected: 'a string of at least 1 character',
          received: 'string ""',
        },
      ],
    },
    {
      name: 'a missing required property',
      edit: (o) => delete o.customer.id,
      issues: [{ path: '/customer/id', keyword: 'required', expected: 'a value (required)', received: 'missing' }],
    },
    {
      name: 'an extra property where additionalProperties is false (in an array item)',
      edit: (o) => (o.items[0].color = 'red'),
      issues: [
        {
          path: '/items/0/color',
          keyword: 'additionalProperties',
          expected: 'no such property',
          received: 'string "red"',
        },
      ],
    },
    {
      name: 'an extra property at the top',
      edit: (o) => (o.discount = 5),
      issues: [
        { path: '/discount', keyword: 'additionalProperties', expected: 'no such property', received: 'integer 5' },
      ],
    },
  ];

  it.each(violations)('PayloadValidationError: $name', ({ edit, issues }) => {
    const bad = structuredClone(ORDER);
    edit(bad);
    const input = event({
      'orders-0': [
        record('orders', 0, { value: json64(ORDER) }),
        record('orders', 1, { value: null }),
        record('orders', 2, { key: base64('order-9'), value: json64(bad) }),
      ],
    });
    const error = thrown(() => api['decodeRecords'](api['parseKafkaEvent'](input)));
    expect(error).toBeInstanceOf(api['PayloadValidationError']);
    expect(error.name).toBe('PayloadValidationError');
    expect(error.location).toBe('records/orders-0/2/value');
    expect(
      error.issues.map((i: Record<string, unknown>) => ({
        path: i['path'],
        keyword: i['keyword'],
        expected: i['expected'],
        received: i['received'],
      })),
    ).toEqual(issues);
    expect(error.message).toBe(
      `records/orders-0/2/value: not a valid Order: ${issues[0]?.path}: expected ${issues[0]?.expected}, received ${issues[0]?.received}`,
    );
    // decodeRecord on the entry alone says the same.
    const again = thrown(() => api['decodeRecord'](api['recordsOf'](input)[2]));
    expect(again.message).toBe(error.message);
  });

  it('a value that is not an object at all', () => {
    const error = thrown(() =>
      api['decodeRecords'](event({ 'orders-0': [record('orders', 0, { value: json64(['ORD-1']) })] })),
    );
    expect(error).toBeInstanceOf(api['PayloadValidationError']);
    expect(error.issues.map((i: { path: string; keyword: string }) => [i.path, i.keyword])).toEqual([['', 'type']]);
    expect(error.message).toMatch(
      /^records\/orders-0\/0\/value: not a valid Order: \/: expected object, received an array of 1 item$/,
    );
  });

  it('several problems: all reported, the message shows three and counts the rest', () => {
    const bad = { ...ORDER, status: 'LOST', items: [], extra1: 1, extra2: 2, customer: { id: 'c' } };
    const error = thrown(() =>
      api['decodeRecords'](event({ 'orders-0': [record('orders', 0, { value: json64(bad) })] })),
    );
    const paths = error.issues.map((i: { path: string }) => i.path).sort();
    expect(paths).toEqual(['/customer/address', '/customer/name', '/extra1', '/extra2', '/items', '/status']);
    expect(error.message).toMatch(/; and 3 more$/);
  });

  it.each([
    {
      name: 'not JSON',
      value: base64('{"orderId": "ORD-1",'),
      reason: 'not JSON: ',
      preview: '(starts with "{\\"orderId\\": \\"ORD-1\\",")',
    },
    { name: 'plain text', value: base64('hello'), reason: 'not JSON: ', preview: '(starts with "hello")' },
    {
      name: 'bytes that are not UTF-8',
      value: base64([0x7b, 0xff, 0xfe, 0x7d]),
      reason: 'not JSON: the bytes are not UTF-8 text',
      preview: '(starts with ',
    },
  ])('KafkaRecordDecodeError naming the record: $name', ({ value, reason, preview }) => {
    const input = event({
      'orders-2': [record('orders', 0, { value: json64(ORDER) }), record('orders', 1, { value })],
    });
    const error = thrown(() => api['decodeRecords'](input));
    expect(error).toBeInstanceOf(api['KafkaRecordDecodeError']);
    expect(error).not.toBeInstanceOf(api['PayloadValidationError']);
    expect(error.location).toBe('records/orders-2/1/value');
    expect(error.message.startsWith(`records/orders-2/1/value: ${reason}`)).toBe(true);
    expect(error.message).toContain(preview);
  });

  it.each([
    { dataFormat: 'AVRO', throws: true },
    { dataFormat: 'PROTOBUF', throws: true },
    { dataFormat: 'JSON', throws: false },
  ])('valueSchemaMetadata.dataFormat $dataFormat on the json topic', ({ dataFormat, throws }) => {
    // Avro's binary encoding of the order: not JSON text, whatever it holds.
    const value = dataFormat === 'JSON' ? json64(ORDER) : base64([0x0a, 0x4f, 0x52, 0x44, 0x2d, 0x31, 0x02]);
    const input = api['parseKafkaEvent'](
      event({ 'orders-0': [record('orders', 0, { value, valueSchemaMetadata: { dataFormat, schemaId: '42' } })] }),
    );
    if (!throws) {
      expect(api['decodeRecords'](input)[0].value).toEqual(ORDER);
      return;
    }
    const error = thrown(() => api['decodeRecords'](input));
    expect(error).toBeInstanceOf(api['KafkaRecordDecodeError']);
    expect(error.location).toBe('records/orders-0/0/value');
    expect(error.message).toBe(
      `records/orders-0/0/value: valueSchemaMetadata.dataFormat is ${dataFormat}, but topic "orders" is declared json in msk-codegen.config.json: the bytes are ${dataFormat}, not JSON text`,
    );
  });

  it('keySchemaMetadata AVRO on a string key is not a JSON problem: the key is decoded as text', () => {
    const [decoded] = api['decodeRecords'](
      event({
        'orders-0': [
          record('orders', 0, {
            key: base64('order-1'),
            keySchemaMetadata: { dataFormat: 'AVRO' },
            value: json64(ORDER),
          }),
        ],
      }),
    );
    expect(decoded.key).toBe('order-1');
  });

  it.each([
    { topic: 'payments', records: 'payments-0' },
    { topic: 'audit', records: 'audit-0' },
    { topic: 'xaudit-eu', records: 'xaudit-eu-0' },
    { topic: 'Orders', records: 'Orders-0' },
  ])('unknownTopics "reject": a record of $topic throws KafkaRecordDecodeError', ({ topic, records }) => {
    const input = event({ [records]: [record(topic, 0, { value: base64('x') })] });
    const error = thrown(() => api['decodeRecords'](input));
    expect(error).toBeInstanceOf(api['KafkaRecordDecodeError']);
    expect(error.location).toBe(`records/${records}/0`);
    expect(error.message).toBe(
      `records/${records}/0: topic ${JSON.stringify(topic)} has no payload declared in msk-codegen.config.json ("unknownTopics": "reject")`,
    );
  });

  it('unknownTopics "bytes": a record of another topic passes through as bytes with payload null', () => {
    const input = event({
      'payments-1': [
        record('payments', 4, { partition: 1, key: base64([1, 2]), value: base64([0x00, 0xff, 0x80]) }),
        record('payments', 5, { partition: 1, value: null }),
      ],
      'orders-0': [record('orders', 0, { key: base64('order-1'), value: json64(ORDER) })],
    });
    const [bytes, tombstone, order] = bytesApi['decodeRecords'](bytesApi['parseKafkaEvent'](input));
    expect({
      payload: bytes.payload,
      topic: bytes.topic,
      location: bytes.location,
      partition: bytes.partition,
      offset: bytes.offset,
    }).toEqual({ payload: null, topic: 'payments', location: 'records/payments-1/0', partition: 1, offset: 4 });
    expect(bytes.value).toBeInstanceOf(Uint8Array);
    expect([...bytes.value]).toEqual([0x00, 0xff, 0x80]);
    expect([...bytes.key]).toEqual([1, 2]);
    expect([tombstone.payload, tombstone.key, tombstone.value]).toEqual([null, null, null]);
    expect([order.payload, order.key, order.value]).toEqual(['orders', 'order-1', ORDER]);
  });

  it('unknownTopics "bytes" still validates the declared topics', () => {
    const error = thrown(() =>
      bytesApi['decodeRecords'](
        event({ 'orders-0': [record('orders', 0, { value: json64({ ...ORDER, status: 'LOST' }) })] }),
      ),
    );
    expect(error).toBeInstanceOf(bytesApi['PayloadValidationError']);
    expect(error.issues.map((i: { path: string }) => i.path)).toEqual(['/status']);
  });

  it.each([
    { topic: 'audit-eu', payload: 'audit-*' },
    { topic: 'audit-', payload: 'audit-*' },
    { topic: 'audit-eu.west-1', payload: 'audit-*' },
  ])('the pattern audit-* matches $topic', ({ topic }) => {
    const [decoded] = api['decodeRecords'](event({ [`${topic}-0`]: [record(topic, 0, { value: base64('ë') })] }));
    expect([decoded.payload, decoded.topic, decoded.value, decoded.key]).toEqual(['audit-*', topic, 'ë', null]);
  });
});

describe('matching order and pattern escaping', () => {
  let api: Api;
  beforeAll(async () => {
    api = await apiFor(
      {
        topics: {
          'audit-*': { value: { format: 'string' } },
          'audit-special': { value: { format: 'json', schema: 'special.schema.json' } },
          'metrics.v1-*': { value: { format: 'bytes' } },
        },
      },
      {
        'special.schema.json': {
          title: 'Special',
          type: 'object',
          required: ['level'],
          properties: { level: { type: 'integer' } },
        },
      },
    );
  });

  it.each([
    { topic: 'audit-special', payload: 'audit-special', value: '{"level":3}', expected: { level: 3 } },
    { topic: 'audit-other', payload: 'audit-*', value: '{"level":3}', expected: '{"level":3}' },
    { topic: 'metrics.v1-eu', payload: 'metrics.v1-*', value: 'ab', expected: new Uint8Array([0x61, 0x62]) },
  ])(
    '$topic -> $payload (exact names before patterns, whatever the config order)',
    ({ topic, payload, value, expected }) => {
      const [decoded] = api['decodeRecords'](event({ [`${topic}-0`]: [record(topic, 0, { value: base64(value) })] }));
      expect(decoded.payload).toBe(payload);
      if (expected instanceof Uint8Array) expect([...decoded.value]).toEqual([...expected]);
      else expect(decoded.value).toEqual(expected);
    },
  );

  it('the types: narrowing on payload tells the exact topic from the pattern that also matches it', async () => {
    const dir = await project(
      {
        topics: {
          'audit-*': { value: { format: 'string' } },
          'audit-special': { value: { format: 'json', schema: 'special.schema.json' } },
        },
      },
      {
        'special.schema.json': {
          title: 'Special',
          type: 'object',
          required: ['level'],
          properties: { level: { type: 'integer' } },
        },
      },
    );
    await generateInto(dir);
    await writeFile(
      path.join(dir, 'overlap.ts'),
      `import type { DecodedRecord, Special } from './generated/index.js';
${EQUAL}
export function f(r: DecodedRecord): void {
  if (r.payload === 'audit-special') expectType<Equal<typeof r.value, Special | null>>();
  else expectType<Equal<typeof r.value, string | null>>();
}
`,
    );
    expect(typecheck(dir, ['overlap.ts'])).toEqual([]);
  });

  it('"." in a pattern is a dot, not any character', () => {
    const error = thrown(() =>
      api['decodeRecords'](event({ 'metricsXv1-eu-0': [record('metricsXv1-eu', 0, { value: base64('ab') })] })),
    );
    expect(error).toBeInstanceOf(api['KafkaRecordDecodeError']);
    expect(error.message).toContain('topic "metricsXv1-eu" has no payload declared');
  });
});

describe('a JSON key', () => {
  let api: Api;
  beforeAll(async () => {
    api = await apiFor(
      { topics: { carts: { key: { format: 'json', schema: 'cart-key.schema.json' }, value: { format: 'string' } } } },
      {
        'cart-key.schema.json': {
          title: 'CartKey',
          type: 'object',
          additionalProperties: false,
          required: ['cartId'],
          properties: { cartId: { type: 'integer' } },
        },
      },
    );
  });

  it.each([
    { name: 'valid', key: json64({ cartId: 3 }), expected: { cartId: 3 } },
    { name: 'absent', key: undefined, expected: null },
  ])('decodes: $name', ({ key, expected }) => {
    const [decoded] = api['decodeRecords'](
      event({ 'carts-0': [record('carts', 0, { ...(key !== undefined ? { key } : {}), value: base64('added') })] }),
    );
    expect([decoded.key, decoded.value]).toEqual([expected, 'added']);
  });

  it('a bad key: PayloadValidationError at records/<topic-partition>/<index>/key', () => {
    const error = thrown(() =>
      api['decodeRecords'](
        event({ 'carts-0': [record('carts', 0, { key: json64({ cartId: 'x' }), value: base64('added') })] }),
      ),
    );
    expect(error).toBeInstanceOf(api['PayloadValidationError']);
    expect(error.location).toBe('records/carts-0/0/key');
    expect(error.message).toBe(
      'records/carts-0/0/key: not a valid CartKey: /cartId: expected integer, received string "x"',
    );
  });

  it('keySchemaMetadata AVRO on the JSON key: KafkaRecordDecodeError', () => {
    const error = thrown(() =>
      api['decodeRecords'](
        event({
          'carts-0': [
            record('carts', 0, {
              key: base64([2, 6]),
              keySchemaMetadata: { dataFormat: 'AVRO' },
              value: base64('added'),
            }),
          ],
        }),
      ),
    );
    expect(error).toBeInstanceOf(api['KafkaRecordDecodeError']);
    expect(error.message).toBe(
      'records/carts-0/0/key: keySchemaMetadata.dataFormat is AVRO, but topic "carts" is declared json in msk-codegen.config.json: the bytes are AVRO, not JSON text',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// A schema change, end to end

describe('a payload schema change breaks exactly the code that depends on what changed', () => {
  const HANDLER_A = `import type { KafkaEvent } from '../generated/index.js';
import { decodeRecords } from '../generated/index.js';

/** Ignores notes: counts the items of each order. */
export function itemCounts(event: KafkaEvent): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of decodeRecords(event)) {
    if (r.topic !== 'orders' || r.value === null) continue;
    counts.set(r.value.orderId, r.value.items.reduce((sum, item) => sum + item.quantity, 0));
  }
  return counts;
}
`;
  const HANDLER_B = `import type { KafkaEvent, Order } from '../generated/index.js';
import { decodeRecords } from '../generated/index.js';

export function noteOf(order: Order): string {
  return order.notes ?? '';
}

export function notes(event: KafkaEvent): string[] {
  return decodeRecords(event).flatMap((r) => (r.topic === 'orders' && r.value !== null ? [noteOf(r.value)] : []));
}
`;

  it('adding a required "channel" and removing "notes": A still type-checks, B fails with TS2339 at its line; old payloads are rejected', async () => {
    const dir = await project(
      { topics: { orders: TWO_TOPICS.orders } },
      { 'schemas/order.schema.json': ORDER_SCHEMA, 'handlers/a.ts': HANDLER_A, 'handlers/b.ts': HANDLER_B },
    );
    await generateInto(dir);
    expect(typecheck(dir, ['handlers/a.ts', 'handlers/b.ts'])).toEqual([]);

    const { notes: _removed, ...kept } = ORDER_SCHEMA.properties;
    const changed = {
      ...ORDER_SCHEMA,
      required: [...ORDER_SCHEMA.required, 'channel'],
      properties: { ...kept, channel: { enum: ['WEB', 'STORE'] } },
    };
    await writeFile(path.join(dir, 'schemas', 'order.schema.json'), text(changed));
    const out = await generateInto(dir);

    expect(typecheck(dir, ['handlers/a.ts'])).toEqual([]);
    const at = positionOf(HANDLER_B, 'notes ??');
    expect(typecheck(dir, ['handlers/b.ts'])).toEqual([
      {
        file: 'handlers/b.ts',
        line: at.line,
        column: at.column,
        code: 2339,
        message: "Property 'notes' does not exist on type 'Order'.",
      },
    ]);
    expect(
      typecheck(dir, ['handlers/a.ts', 'handlers/b.ts']).map((d) => `${d.file}:${d.line}:${d.column}: TS${d.code}`),
    ).toEqual([`handlers/b.ts:${at.line}:${at.column}: TS2339`]);

    // At run time, a payload of the old shape now breaks the new schema, at both changes.
    const api = await importGenerated(out);
    const error = thrown(() =>
      api['decodeRecords'](event({ 'orders-0': [record('orders', 0, { value: json64(ORDER) })] })),
    );
    expect(error).toBeInstanceOf(api['PayloadValidationError']);
    expect(error.issues.map((i: { path: string; keyword: string }) => [i.path, i.keyword]).sort()).toEqual([
      ['/channel', 'required'],
      ['/notes', 'additionalProperties'],
    ]);
    const { notes: _notes, ...current } = ORDER;
    expect(
      api['decodeRecords'](
        event({ 'orders-0': [record('orders', 0, { value: json64({ ...current, channel: 'WEB' }) })] }),
      )[0].value,
    ).toEqual({ ...current, channel: 'WEB' });
  });
});
