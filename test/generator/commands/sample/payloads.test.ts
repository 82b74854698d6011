/**
 * `msk-codegen sample` in a project whose msk-codegen.config.json declares typed payloads:
 * keys and values follow their topic's declaration, pass `validate` and the generated
 * decodeRecords (a generated project, bundled and imported), are reproducible by seed;
 * `--invalid-value` writes values that both reject; schemas that cannot be satisfied and
 * examples their schema rejects are errors naming the schema file.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME, generate, resolveConfig, writeGeneratedFiles } from '../../../../generator/index.js';
import { EMBEDDED_SCHEMA_PATH, tempDir } from '../../../helpers.js';
import { importGenerated } from '../../../load-generated.js';
import { ORDER_SCHEMA } from '../../../fixtures/order-payload.js';
import { runCliCaptured } from '../../../run-cli.js';

const CART_KEY = {
  title: 'CartKey',
  type: 'object',
  additionalProperties: false,
  required: ['cartId'],
  properties: { cartId: { type: 'integer', minimum: 1 } },
};
const EXAMPLES = [
  {
    orderId: 'ORD-1',
    customer: { id: 'c-1', name: 'Zoë', address: { city: 'Lyon', country: 'FR' } },
    status: 'PAID',
    items: [{ sku: 'A', quantity: 1 }],
  },
  {
    orderId: 'ORD-2',
    customer: { id: 'c-2', name: 'Ann', address: { city: 'Oslo', country: 'NO' } },
    status: 'PLACED',
    items: [{ sku: 'B', quantity: 3 }],
  },
];

const TOPICS = {
  orders: { key: { format: 'string' }, value: { format: 'json', schema: 'schemas/order.schema.json' } },
  shipped: { value: { format: 'json', schema: 'schemas/shipped.schema.json' } },
  'audit-*': { value: { format: 'string' } },
  raw: { value: { format: 'bytes' } },
  carts: {
    key: { format: 'json', schema: 'schemas/cart-key.schema.json' },
    value: { format: 'json', schema: 'schemas/order.schema.json' },
  },
};

const text = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

async function project(
  config: Record<string, unknown> = { topics: TOPICS },
  files: Record<string, unknown> = {},
): Promise<string> {
  const dir = await tempDir();
  await mkdir(path.join(dir, 'schemas'));
  await writeFile(path.join(dir, CONFIG_FILE_NAME), text(config));
  const all = {
    'schemas/order.schema.json': ORDER_SCHEMA,
    'schemas/shipped.schema.json': {
      ...ORDER_SCHEMA,
      title: 'Shipped',
      $defs: { ShippedAddress: ORDER_SCHEMA.$defs.Address },
      properties: {
        ...ORDER_SCHEMA.properties,
        customer: {
          ...ORDER_SCHEMA.properties.customer,
          properties: { ...ORDER_SCHEMA.properties.customer.properties, address: { $ref: '#/$defs/ShippedAddress' } },
        },
      },
      examples: EXAMPLES,
    },
    'schemas/cart-key.schema.json': CART_KEY,
    ...files,
  };
  for (const [file, contents] of Object.entries(all)) await writeFile(path.join(dir, file), text(contents));
  return dir;
}

const sample = (cwd: string, ...argv: string[]) => runCliCaptured(['sample', ...argv], { cwd });
const validate = (cwd: string, ...argv: string[]) => runCliCaptured(['validate', ...argv], { cwd });

type Event = { records: Record<string, { topic: string; key?: string; value: string | null }[]> };
const recordsOf = (stdout: string) => Object.values((JSON.parse(stdout) as Event).records).flat();
const decoded = (b64: string | undefined | null) => (b64 == null ? b64 : Buffer.from(b64, 'base64'));

async function generatedApi(dir: string): Promise<Record<string, any>> {
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
  return importGenerated(out);
}

describe('sample --topic <declared topic>: keys and values as declared, accepted by validate and decodeRecords', () => {
  it('every topic kind in one event, read back by the generated decodeRecords', async () => {
    const dir = await project();
    const result = await sample(
      dir,
      '--topic',
      'orders',
      '--topic',
      'shipped',
      '--topic',
      'audit-eu',
      '--topic',
      'raw',
      '--topic',
      'carts',
      '--partitions',
      '2',
      '--records',
      '3',
      '--seed',
      '7',
    );
    expect(result.code, result.stderr).toBe(0);
    await writeFile(path.join(dir, 'event.json'), result.stdout);
    const checked = await validate(dir, '--strict', 'event.json');
    expect(checked.stdout).toBe('1 file, 1 valid, 0 invalid, 0 warnings\n');

    const api = await generatedApi(dir);
    const records = api['decodeRecords'](api['parseKafkaEvent'](JSON.parse(result.stdout))) as {
      payload: string;
      key: unknown;
      value: unknown;
      index: number;
    }[];
    expect(records).toHaveLength(30);
    const by = (payload: string) => records.filter((r) => r.payload === payload);
    // json values, validated by the generated Order validator; string keys key-<n> (n: the record's place in the event).
    for (const r of by('orders')) {
      expect(api['isOrder'](r.value)).toBe(true);
      expect(r.key).toMatch(/^key-\d+$/);
    }
    // A schema with examples: they come in turn (event order), exactly as written.
    expect(by('shipped').map((r) => r.value)).toEqual([0, 1, 2, 3, 4, 5].map((i) => EXAMPLES[(6 + i) % 2]));
    expect(by('shipped').every((r) => r.key === null)).toBe(true);
    for (const r of by('audit-*')) expect(r.value).toMatch(/^sample text \d+ for audit-eu$/);
    for (const r of by('raw')) expect(r.value).toBeInstanceOf(Uint8Array);
    for (const r of by('carts')) {
      expect(api['isCartKey'](r.key)).toBe(true);
      expect(api['isOrder'](r.value)).toBe(true);
    }
    // Generated values differ from record to record.
    expect(new Set(by('orders').map((r) => JSON.stringify(r.value))).size).toBe(6);
  });

  it('the same seed prints the same bytes; another seed other values', async () => {
    const dir = await project();
    const args = ['--topic', 'orders', '--topic', 'raw', '--records', '4'];
    const [a, b, c] = [
      await sample(dir, ...args, '--seed', '11'),
      await sample(dir, ...args, '--seed', '11'),
      await sample(dir, ...args, '--seed', '12'),
    ];
    expect(a.code, a.stderr).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const values = (stdout: string) => recordsOf(stdout).map((r) => r.value);
    expect(values(c.stdout)).not.toEqual(values(a.stdout));
  });

  it('without --topic: the first topic the config declares', async () => {
    const dir = await project();
    const result = await sample(dir);
    expect(result.code, result.stderr).toBe(0);
    expect(recordsOf(result.stdout).map((r) => r.topic)).toEqual(['orders']);
    const patternFirst = await project({ topics: { 'audit-*': { value: { format: 'string' } } } });
    expect(recordsOf((await sample(patternFirst)).stdout).map((r) => r.topic)).toEqual(['audit-example']);
  });

  it('--key, --value, --value-json and --value-file still override; --tombstone keeps null values', async () => {
    const dir = await project();
    const overridden = recordsOf(
      (await sample(dir, '--topic', 'orders', '--key', 'k', '--value-json', '{"any":1}')).stdout,
    )[0];
    expect([decoded(overridden?.key)?.toString(), decoded(overridden?.value)?.toString()]).toEqual(['k', '{"any":1}']);
    const tombstone = recordsOf((await sample(dir, '--topic', 'orders', '--tombstone')).stdout)[0];
    expect(tombstone?.value).toBeNull();
    expect(decoded(tombstone?.key)?.toString()).toBe('key-0');
  });
});

describe('--invalid-value: values their schema rejects, reported by validate and by decodeRecords', () => {
  it.each([
    { name: 'generated values (no examples): a required property dropped', topic: 'orders', payload: 'orders' },
    { name: 'from the examples', topic: 'shipped', payload: 'shipped' },
  ])('$name', async ({ topic }) => {
    const dir = await project();
    const result = await sample(dir, '--topic', topic, '--records', '2', '--invalid-value');
    expect(result.code, result.stderr).toBe(0);
    for (const r of recordsOf(result.stdout))
      expect(JSON.parse(decoded(r.value)?.toString() ?? '')).not.toHaveProperty('orderId');
    await writeFile(path.join(dir, 'bad.json'), result.stdout);
    const checked = await validate(dir, 'bad.json');
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain(
      `error payload.required: records/${topic}-0/0/value/orderId: expected a value (required), received missing`,
    );
    expect(checked.stdout).toContain(`error payload.required: records/${topic}-0/1/value/orderId`);
    const api = await generatedApi(dir);
    expect(() => api['decodeRecords'](api['parseKafkaEvent'](JSON.parse(result.stdout)))).toThrow(
      api['PayloadValidationError'],
    );
    // Deterministic too.
    expect((await sample(dir, '--topic', topic, '--records', '2', '--invalid-value')).stdout).toBe(result.stdout);
  });

  it('a schema that requires nothing: a value of another type', async () => {
    const dir = await project(
      { topics: { loose: { value: { format: 'json', schema: 'schemas/loose.schema.json' } } } },
      { 'schemas/loose.schema.json': { title: 'Loose', type: 'object' } },
    );
    const result = await sample(dir, '--topic', 'loose', '--invalid-value');
    expect(result.code, result.stderr).toBe(0);
    expect(decoded(recordsOf(result.stdout)[0]?.value)?.toString()).toBe('"not a Loose"');
  });
});

describe('errors', () => {
  it.each([
    {
      name: 'a schema the generator cannot satisfy',
      file: 'schemas/never.schema.json',
      schema: { title: 'Never', type: 'string', minLength: 5, maxLength: 2 },
      says: 'sample cannot generate a valid Never from this schema',
    },
    {
      name: 'an example the schema rejects',
      file: 'schemas/never.schema.json',
      schema: { title: 'Never', type: 'object', required: ['id'], examples: [{ id: 1 }, {}] },
      says: 'examples[1] is not a valid Never, so sample cannot use it: /id: expected a value (required), received missing',
    },
  ])('$name: exit 2, naming the schema file', async ({ file, schema, says }) => {
    const dir = await project({ topics: { never: { value: { format: 'json', schema: file } } } }, { [file]: schema });
    const result = await sample(dir, '--topic', 'never');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${file}: error E_UNSUPPORTED_SCHEMA: `);
    expect(result.stderr).toContain(says);
  });

  it.each([
    {
      args: ['--topic', 'payments'],
      says: '--topic "payments": not declared in msk-codegen.config.json, whose "unknownTopics": "reject" makes decodeRecords reject such records',
    },
    {
      args: ['--topic', 'audit-eu', '--invalid-value'],
      says: '--invalid-value writes values that break their schema: topic "audit-eu"\'s value is declared string',
    },
    {
      args: ['--topic', 'orders', '--invalid-value', '--value', 'x'],
      says: '--invalid-value writes values that break their schema: it does not go with',
    },
    {
      args: ['--topic', 'orders', '--schema-metadata', 'AVRO'],
      says: "the event's keys and values would not decode as msk-codegen.config.json declares them: records/orders-0/0/value: valueSchemaMetadata.dataFormat is AVRO",
    },
  ])('$args: exit 2 with a message', async ({ args, says }) => {
    const result = await sample(await project(), ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(says);
  });

  it('an undeclared topic is fine with "unknownTopics": "bytes", or with a value of your own', async () => {
    const bytes = await project({ topics: TOPICS, unknownTopics: 'bytes' });
    expect((await sample(bytes, '--topic', 'payments')).code).toBe(0);
    expect((await sample(await project(), '--topic', 'payments', '--value', 'x')).code).toBe(0);
  });

  it('an Avro topic: refused with what to do instead (Avro and Protobuf values are not written yet); --value-file gives one', async () => {
    const avsc = { type: 'record', name: 'User', fields: [{ name: 'name', type: 'string' }] };
    const dir = await project(
      { topics: { users: { value: { format: 'avro', schema: 'schemas/user.avsc' } } } },
      {
        'schemas/user.avsc': avsc,
      },
    );
    const refused = await sample(dir, '--topic', 'users');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'topic "users"\'s value is declared avro in msk-codegen.config.json, and sample does not write Avro values yet: choose another --topic, or give the value with --value-file',
    );
    // Confluent framing (00, schema id 1), then Avro { name: "Zoë" }: a string of 4 bytes (zig-zag 08).
    await writeFile(path.join(dir, 'user.bin'), Buffer.from([0, 0, 0, 0, 1, 0x08, 0x5a, 0x6f, 0xc3, 0xab]));
    const given = await sample(dir, '--topic', 'users', '--value-file', 'user.bin');
    expect(given.code, given.stderr).toBe(0);
    expect(JSON.parse(given.stdout).records['users-0'][0].value).toBe('AAAAAAEIWm/Dqw==');
  });

  it('--invalid-value without topics in the config: exit 2', async () => {
    const result = await sample(await tempDir(), '--invalid-value');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('msk-codegen.config.json declares no topics');
  });
});
