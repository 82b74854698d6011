/**
 * `msk-codegen validate` with typed payloads (topics in msk-codegen.config.json): every
 * key and value is decoded as the generated payloads.ts decodes it, and each problem is a
 * finding at the base64 string's line:column (computed here by counting characters) with
 * the path inside the payload, in text, JSON and GitHub annotations. The verdicts are
 * also compared with the generated decodeRecords on the same events.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME, generate, resolveConfig, writeGeneratedFiles } from '../../../../generator/index.js';
import { EMBEDDED_SCHEMA_PATH, positionOf, REPO_ROOT, tempDir } from '../../../helpers.js';
import { importGenerated } from '../../../load-generated.js';
import { ORDER_SCHEMA } from '../../../fixtures/order-payload.js';
import { runCliCaptured } from '../../../run-cli.js';

const ORDER = {
  orderId: 'ORD-1',
  customer: { id: 'c-7', name: 'Zoë Martin', address: { city: 'Lyon', country: 'FR' } },
  status: 'PAID',
  items: [{ sku: 'SKU-1', quantity: 2 }],
};

const CART_KEY = {
  title: 'CartKey',
  type: 'object',
  additionalProperties: false,
  required: ['cartId'],
  properties: { cartId: { type: 'integer' } },
};

const TOPICS = {
  orders: { key: { format: 'string' }, value: { format: 'json', schema: 'schemas/order.schema.json' } },
  'audit-*': { value: { format: 'string' } },
  'audit-special': { value: { format: 'json', schema: 'schemas/order.schema.json' } },
  carts: { key: { format: 'json', schema: 'schemas/cart-key.schema.json' }, value: { format: 'bytes' } },
  users: { value: { format: 'avro', schema: 'schemas/user.avsc' } },
  products: { value: { format: 'protobuf', schema: 'schemas/product.proto', message: 'Product' } },
};

const POWERTOOLS = path.join(REPO_ROOT, 'test', 'fixtures', 'powertools');
/** Powertools' documentation sample: Glue framing (03 00 + a UUID), then Avro { name: "Powertools", age: 5 }. */
const GLUE_USER = 'AwBXT2qalUhN6oaj2CwEeaEWFFBvd2VydG9vbHMK';

const base64 = (data: string | number[]) =>
  (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)).toString('base64');
const json64 = (value: unknown) => base64(JSON.stringify(value));
const text = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

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

function eventText(records: Record<string, unknown[]>): string {
  return text({
    eventSource: 'aws:kafka',
    eventSourceArn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/shop/751d2973-a626-431c-9d4e-d7975eb44dd7-2',
    records,
  });
}

/** A project: package.json (no node_modules, so no cache), the config and the payload schemas. */
async function project(config: Record<string, unknown> = { topics: TOPICS }): Promise<string> {
  const dir = await tempDir();
  await mkdir(path.join(dir, 'schemas'));
  await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(path.join(dir, CONFIG_FILE_NAME), text(config));
  await writeFile(path.join(dir, 'schemas', 'order.schema.json'), text(ORDER_SCHEMA));
  await writeFile(path.join(dir, 'schemas', 'cart-key.schema.json'), text(CART_KEY));
  await copyFile(path.join(POWERTOOLS, 'user.avsc'), path.join(dir, 'schemas', 'user.avsc'));
  await copyFile(path.join(POWERTOOLS, 'product.proto'), path.join(dir, 'schemas', 'product.proto'));
  return dir;
}

const run = (cwd: string, argv: string[], env: Record<string, string> = {}) =>
  runCliCaptured(['validate', ...argv], { cwd, env });

interface Case {
  readonly name: string;
  /** The records of the event (under their records keys). */
  readonly records: Record<string, unknown[]>;
  /** The base64 string the finding is at (its first occurrence), or the topic string for unknown topics. */
  readonly at: string;
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
  readonly payloadPath?: string;
}

const BAD_QUANTITY = json64({ ...ORDER, items: [{ sku: 'SKU-1', quantity: 0 }] });
const NOT_JSON = base64('{"orderId": "ORD-1",');
const NOT_UTF8_JSON = base64([0x7b, 0xff, 0xfe, 0x7d]);
const AVRO = base64([0x0a, 0x4f, 0x52, 0x44, 0x2d, 0x31, 0x02]);
const NOT_UTF8_TEXT = base64([0x68, 0xff, 0x69]);
const BAD_KEY = json64({ cartId: 'x' });
/** Protobuf Product { id: 1001 } (08 e9 07), with no framing and with Confluent's (00, id 7, index [0] as 00). */
const PRODUCT = base64([0x08, 0xe9, 0x07]);
const CONFLUENT_PRODUCT = base64([0, 0, 0, 0, 7, 0x00, 0x08, 0xe9, 0x07]);
/** The Glue sample without its last byte (the age): the decoder stops at byte 18 + 11. */
const TRUNCATED_USER = Buffer.from(GLUE_USER, 'base64').subarray(0, 29).toString('base64');
/** Confluent framing whose message index is [1] (02 02): the file's second message, which product.proto lacks. */
const SECOND_MESSAGE = base64([0, 0, 0, 0, 7, 0x02, 0x02, 0x08, 0xe9, 0x07]);

const CASES: readonly Case[] = [
  {
    name: 'a truncated Avro value',
    records: { 'users-0': [record('users', 0, { value: TRUNCATED_USER })] },
    at: TRUNCATED_USER,
    severity: 'error',
    code: 'payload-decode',
    message:
      'records/users-0/0/value: not a valid User (Avro): at byte 29: expected an int, found the end of the bytes (written with Glue schema version 574f6a9a-9548-4dea-86a3-d82c0479a116)',
  },
  {
    name: 'a Protobuf value whose Confluent message index names another message',
    records: { 'products-0': [record('products', 0, { value: SECOND_MESSAGE })] },
    at: SECOND_MESSAGE,
    severity: 'error',
    code: 'payload-decode',
    message:
      'records/products-0/0/value: not a valid Product (Protobuf): at byte 5: expected message index [0] (Product), found [1]',
  },
  {
    name: 'AVRO schema metadata on a Protobuf topic',
    records: {
      'products-0': [
        record('products', 0, { value: PRODUCT, valueSchemaMetadata: { dataFormat: 'AVRO', schemaId: '3' } }),
      ],
    },
    at: PRODUCT,
    severity: 'error',
    code: 'payload-decode',
    message:
      'records/products-0/0/value: not a valid Product (Protobuf): at byte 0: expected PROTOBUF bytes (the topic is declared protobuf in msk-codegen.config.json), found schema metadata dataFormat AVRO',
  },
  {
    name: 'a value that breaks the Order schema',
    records: {
      'orders-0': [
        record('orders', 0, { value: json64(ORDER) }),
        record('orders', 1, { value: json64(ORDER) }),
        record('orders', 2, { value: json64(ORDER) }),
        record('orders', 3, { key: base64('order-1'), value: BAD_QUANTITY }),
      ],
    },
    at: BAD_QUANTITY,
    severity: 'error',
    code: 'payload.minimum',
    message: 'records/orders-0/3/value/items/0/quantity: expected a number >= 1, received integer 0',
    payloadPath: '/items/0/quantity',
  },
  {
    name: 'a required property missing',
    records: { 'orders-0': [record('orders', 0, { value: json64({ ...ORDER, status: undefined }) })] },
    at: json64({ ...ORDER, status: undefined }),
    severity: 'error',
    code: 'payload.required',
    message: 'records/orders-0/0/value/status: expected a value (required), received missing',
    payloadPath: '/status',
  },
  {
    name: 'a value that is not JSON',
    records: { 'orders-0': [record('orders', 0, { value: NOT_JSON })] },
    at: NOT_JSON,
    severity: 'error',
    code: 'payload-not-json',
    message: 'records/orders-0/0/value: not JSON: ',
  },
  {
    name: 'a json value whose bytes are not UTF-8',
    records: { 'orders-0': [record('orders', 0, { value: NOT_UTF8_JSON })] },
    at: NOT_UTF8_JSON,
    severity: 'error',
    code: 'payload-not-utf8',
    message: 'records/orders-0/0/value: not JSON: the bytes are not UTF-8 text',
  },
  {
    name: 'AVRO on a json topic',
    records: {
      'orders-0': [record('orders', 0, { value: AVRO, valueSchemaMetadata: { dataFormat: 'AVRO', schemaId: '42' } })],
    },
    at: AVRO,
    severity: 'error',
    code: 'payload-data-format',
    message:
      'records/orders-0/0/value: valueSchemaMetadata.dataFormat is AVRO, but topic "orders" is declared json in msk-codegen.config.json: the bytes are AVRO, not JSON text',
  },
  {
    name: 'PROTOBUF on a json key',
    records: {
      'carts-0': [record('carts', 0, { key: AVRO, keySchemaMetadata: { dataFormat: 'PROTOBUF' }, value: base64('x') })],
    },
    at: AVRO,
    severity: 'error',
    code: 'payload-data-format',
    message:
      'records/carts-0/0/key: keySchemaMetadata.dataFormat is PROTOBUF, but topic "carts" is declared json in msk-codegen.config.json: the bytes are PROTOBUF, not JSON text',
  },
  {
    name: 'a json key that breaks its schema',
    records: { 'carts-0': [record('carts', 0, { key: BAD_KEY, value: base64([0, 255]) })] },
    at: BAD_KEY,
    severity: 'error',
    code: 'payload.type',
    message: 'records/carts-0/0/key/cartId: expected integer, received string "x"',
    payloadPath: '/cartId',
  },
  {
    name: 'a topic no entry declares ("unknownTopics": "reject")',
    records: { 'payments-0': [record('payments', 0, { value: base64('x') })] },
    at: '"payments"',
    severity: 'error',
    code: 'payload-unknown-topic',
    message:
      'records/payments-0/0: topic "payments" has no payload declared in msk-codegen.config.json ("unknownTopics": "reject")',
  },
  {
    name: 'a string value (by the pattern audit-*) that is not UTF-8: a warning',
    records: { 'audit-eu-0': [record('audit-eu', 0, { value: NOT_UTF8_TEXT })] },
    at: NOT_UTF8_TEXT,
    severity: 'warning',
    code: 'payload-not-utf8',
    message: 'records/audit-eu-0/0/value: not UTF-8 text',
  },
  {
    name: 'the exact name wins over the pattern that also matches it (audit-special is json)',
    records: { 'audit-special-0': [record('audit-special', 0, { value: base64('plain text') })] },
    at: base64('plain text'),
    severity: 'error',
    code: 'payload-not-json',
    message: 'records/audit-special-0/0/value: not JSON: ',
  },
];

describe('validate checks the keys and values of declared topics', () => {
  // tempDir() folders go after each test: a project per test.
  let dir: string;
  beforeEach(async () => {
    dir = await project();
  });

  it.each(CASES)(
    '$name: $code at the base64 string, in text, JSON and annotations',
    async ({ records, at, severity, code, message, payloadPath }) => {
      const event = eventText(records);
      await writeFile(path.join(dir, 'e.json'), event);
      const where = positionOf(event, at.startsWith('"') ? at : `"${at}"`);

      const plain = await run(dir, ['e.json']);
      expect(plain.code, plain.stdout + plain.stderr).toBe(severity === 'error' ? 1 : 0);
      expect(plain.stdout).toContain(`e.json:${where.line}:${where.column}: ${severity} ${code}: ${message}`);
      expect(plain.stdout.match(/: (error|warning) /g)).toHaveLength(1);

      const json = JSON.parse((await run(dir, ['--format', 'json', 'e.json'])).stdout) as {
        files: { findings: Record<string, unknown>[] }[];
      };
      const [finding] = json.files[0]?.findings ?? [];
      expect(finding).toMatchObject({ severity, code, line: where.line, column: where.column });
      expect(String(finding?.['message'])).toContain(message);
      expect(finding?.['payloadPath']).toBe(payloadPath);

      const annotated = await run(dir, ['e.json'], { GITHUB_ACTIONS: 'true' });
      expect(annotated.stdout).toContain(
        `::${severity} file=e.json,line=${where.line},col=${where.column},title=msk-codegen ${code}::${message}`,
      );

      // --strict fails the file on the warning too; --envelope-only does not look inside the payloads.
      expect((await run(dir, ['--strict', 'e.json'])).code).toBe(1);
      const envelope = await run(dir, ['--envelope-only', 'e.json']);
      expect(envelope.code).toBe(0);
      expect(envelope.stdout).toBe('1 file, 1 valid, 0 invalid, 0 warnings\n');
    },
  );

  it('valid payloads of every format: no finding (tombstones, absent keys, bytes of any kind)', async () => {
    const event = eventText({
      'orders-0': [
        record('orders', 0, { key: base64('order-1'), value: json64(ORDER) }),
        record('orders', 1, { value: null }),
        record('orders', 2, {}),
      ],
      'audit-eu-1': [record('audit-eu', 0, { partition: 1, value: base64('user Zoë logged in') })],
      'audit-special-0': [record('audit-special', 0, { value: json64(ORDER) })],
      'carts-0': [record('carts', 0, { key: json64({ cartId: 3 }), value: base64([0, 255, 128]) })],
      'users-0': [record('users', 0, { value: GLUE_USER }), record('users', 1, { value: null })],
      'products-0': [
        record('products', 0, { value: PRODUCT }),
        record('products', 1, { value: CONFLUENT_PRODUCT }),
        record('products', 2, {
          value: base64([0x00, 0x08, 0xe9, 0x07]),
          valueSchemaMetadata: { dataFormat: 'PROTOBUF', schemaId: '7d55d475-2244-4485-8341-f74468c1e058' },
        }),
      ],
    });
    await writeFile(path.join(dir, 'ok.json'), event);
    const result = await run(dir, ['--strict', 'ok.json']);
    expect(result.stdout).toBe('1 file, 1 valid, 0 invalid, 0 warnings\n');
    expect(result.code).toBe(0);
  });

  it('an envelope that is invalid: its own findings only, no payload findings', async () => {
    const event = eventText({ 'orders-0': [record('orders', -1, { value: BAD_QUANTITY })] });
    await writeFile(path.join(dir, 'bad.json'), event);
    const result = await run(dir, ['bad.json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('error schema.minimum: /records/orders-0/0/offset');
    expect(result.stdout).not.toContain('payload');
  });

  it('a value that is not canonical base64: one invalid-base64 error, no payload finding about it', async () => {
    const event = eventText({ 'orders-0': [record('orders', 0, { value: `${json64(ORDER)}==` })] });
    await writeFile(path.join(dir, 'b64.json'), event);
    const result = await run(dir, ['b64.json']);
    expect(result.stdout).toContain('error invalid-base64: /records/orders-0/0/value');
    expect(result.stdout).not.toContain('payload');
  });

  it('payload findings count against --max-issues like the others (listed, then counted), and still fail the file with 0', async () => {
    // 30 records, each value with two problems.
    const bad = json64({ ...ORDER, status: 'LOST', items: [] });
    const event = eventText({ 'orders-0': Array.from({ length: 30 }, (_, i) => record('orders', i, { value: bad })) });
    await writeFile(path.join(dir, 'many.json'), event);
    const listed = await run(dir, ['--max-issues', '5', 'many.json']);
    expect(listed.code).toBe(1);
    expect(listed.stdout.match(/error payload\./g)).toHaveLength(5);
    expect(listed.stdout).toContain('many.json: ... and 55 more findings');
    const none = await run(dir, ['--max-issues', '0', 'many.json']);
    expect(none.code).toBe(1);
    expect(none.stdout).toBe(
      'many.json: ... and 60 more findings (--max-issues lists more)\n1 file, 0 valid, 1 invalid, 0 warnings\n',
    );
  });
});

describe('the config decides', () => {
  const event = eventText({
    'payments-0': [record('payments', 0, { value: base64([0, 255]) })],
    'orders-0': [record('orders', 0, { value: BAD_QUANTITY })],
  });

  it.each([
    {
      name: 'no topics: nothing changes (the envelope only, as before)',
      config: {},
      code: 0,
      findings: [] as string[],
    },
    {
      name: '"unknownTopics": "bytes": another topic passes through; the declared one is still checked',
      config: { topics: TOPICS, unknownTopics: 'bytes' },
      code: 1,
      findings: ['payload.minimum'],
    },
    {
      name: '"unknownTopics": "reject" (the default): another topic is an error',
      config: { topics: TOPICS },
      code: 1,
      findings: ['payload-unknown-topic', 'payload.minimum'],
    },
  ])('$name', async ({ config, code, findings }) => {
    const dir = await project(config);
    await writeFile(path.join(dir, 'e.json'), event);
    const result = await run(dir, ['--format', 'json', 'e.json']);
    expect(result.code).toBe(code);
    const report = JSON.parse(result.stdout) as { files: { findings: { code: string }[] }[] };
    expect(report.files[0]?.findings.map((f) => f.code)).toEqual(findings);
  });
});

describe('the verdicts agree with the generated decodeRecords', () => {
  let api: Record<string, any>;
  beforeAll(async () => {
    const dir = await project();
    const config = await resolveConfig({ cwd: dir });
    const out = path.join(dir, 'generated');
    await writeGeneratedFiles(
      out,
      await generate({
        schema: EMBEDDED_SCHEMA_PATH,
        topics: config.topics,
        unknownTopics: config.unknownTopics,
        ...(config.configFile ? { configFile: config.configFile } : {}),
      }),
    );
    api = await importGenerated(out);
  });

  it.each(CASES)('$name', async ({ records, severity, message }) => {
    const event = eventText(records);
    const decode = () => api['decodeRecords'](api['parseKafkaEvent'](JSON.parse(event)));
    if (severity === 'warning') {
      expect(decode).not.toThrow();
      return;
    }
    let thrown: Error | undefined;
    try {
      decode();
    } catch (error) {
      thrown = error as Error;
    }
    expect(thrown).toBeDefined();
    // The generated error names the same record and, for a schema problem, the same path and words.
    const location = message.slice(0, message.indexOf(':'));
    expect(thrown?.message).toContain(location.split('/').slice(0, 4).join('/'));
    if (message.includes(': expected '))
      expect(thrown?.message).toContain(
        message.slice(message.indexOf('/value/') >= 0 ? message.indexOf('/value/') + 6 : message.indexOf('/key/') + 4),
      );
  });
});
