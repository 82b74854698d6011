/**
 * `msk-codegen sample` in a project whose msk-codegen.config.json declares typed payloads:
 * keys and values follow their topic's declaration, pass `validate` and the generated
 * decodeRecords (a generated project, bundled and imported), are reproducible by seed;
 * `--invalid-value` writes values that both reject; schemas that cannot be satisfied and
 * examples their schema rejects are errors naming the schema file.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import avro from 'avsc';
import protobuf from 'protobufjs';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME, generate, resolveConfig, writeGeneratedFiles } from '../../../../generator/index.js';
import { EMBEDDED_SCHEMA_PATH, REPO_ROOT, tempDir } from '../../../helpers.js';
import { importGenerated } from '../../../load-generated.js';
import { ORDER_SCHEMA } from '../../../fixtures/order-payload.js';
import { SHOP_ORDER_AVSC } from '../../../fixtures/binary-schemas.js';
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

  it('an Avro topic: --value-file gives the value, framed as your producers frame it', async () => {
    const avsc = { type: 'record', name: 'User', fields: [{ name: 'name', type: 'string' }] };
    const dir = await project(
      { topics: { users: { value: { format: 'avro', schema: 'schemas/user.avsc' } } } },
      {
        'schemas/user.avsc': avsc,
      },
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

const PROFILE = 'com.example.protobuf.UserProfile';
const BINARY_TOPICS = {
  users: { value: { format: 'avro', schema: 'schemas/user.avsc' } },
  shop: {
    key: { format: 'avro', schema: 'schemas/user.avsc' },
    value: { format: 'avro', schema: 'schemas/order.avsc' },
  },
  profiles: {
    key: { format: 'protobuf', schema: 'schemas/complex.proto', message: PROFILE },
    value: { format: 'protobuf', schema: 'schemas/complex.proto', message: PROFILE },
  },
};

async function binaryProject(topics: Record<string, unknown> = BINARY_TOPICS, dir?: string): Promise<string> {
  dir ??= await tempDir();
  await mkdir(path.join(dir, 'schemas'));
  await writeFile(path.join(dir, CONFIG_FILE_NAME), text({ topics }));
  await writeFile(path.join(dir, 'schemas', 'order.avsc'), text(SHOP_ORDER_AVSC));
  for (const file of ['user.avsc', 'complex.proto'])
    await copyFile(path.join(REPO_ROOT, 'test', 'fixtures', 'powertools', file), path.join(dir, 'schemas', file));
  return dir;
}

let shared: Promise<{ dir: string; api: Record<string, any> }> | undefined;
/** One generated project for every case (generating and bundling is the slow part). */
const binary = () => {
  shared ??= mkdtemp(path.join(tmpdir(), 'msk-codegen-test-'))
    .then((dir) => binaryProject(BINARY_TOPICS, dir))
    .then(async (dir) => ({ dir, api: await generatedApi(dir) }));
  return shared;
};
afterAll(async () => {
  if (shared) await rm((await shared).dir, { recursive: true, force: true });
});

type BinaryRecord = {
  topic: string;
  key?: string;
  value: string;
  keySchemaMetadata?: unknown;
  valueSchemaMetadata?: unknown;
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const uuidOf = (bytes: Buffer) => {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
const isUser = (v: any) => typeof v?.name === 'string' && Number.isInteger(v?.age);
const isOrder = (v: any) =>
  /^-?[0-9]+\.[0-9]{3}$/.test(v?.total) &&
  Number.isSafeInteger(v?.nanos) &&
  UUID.test(v?.id) &&
  ['PLACED', 'PAID', 'SHIPPED'].includes(v?.status) &&
  Array.isArray(v?.items) &&
  v.items.every((i: any) => typeof i.sku === 'string' && /^-?[0-9]+\.[0-9]{2}$/.test(i.price)) &&
  (v.note === null || typeof v.note === 'string') &&
  typeof v.attributes === 'object' &&
  v.checksum instanceof Uint8Array &&
  v.checksum.length === 16;
const isProfile = (v: any) =>
  typeof v?.userId === 'string' && typeof v?.email === 'string' && Array.isArray(v?.tags) && v.tags.length <= 3;

/*
 * The framing bytes, by hand (docs/payload-formats.md sections 1-2). complex.proto declares Address, then
 * UserProfile: Confluent's index path [1] is the count 1 and the index 1, each zig-zag (02 02); Glue sorts
 * Address, UserProfile, UserProfile.PreferencesEntry, so its index is 1 (01). A proto3 UserProfile starts
 * with field 1 (userId, a string): tag 0a. `glue` in `start` stands for the 16 bytes of the schema version UUID.
 */
const CASES = [
  { topic: 'users', framing: 'confluent', source: false, start: [0, 0, 0, 0, 1], metadata: undefined },
  { topic: 'users', framing: 'confluent', source: true, start: [], metadata: { dataFormat: 'AVRO', schemaId: '1' } },
  { topic: 'users', framing: 'glue', source: false, start: [3, 0, 'glue'], metadata: undefined },
  { topic: 'users', framing: 'glue', source: true, start: [], metadata: { dataFormat: 'AVRO', schemaId: 'glue' } },
  { topic: 'users', framing: 'none', source: false, start: [], metadata: undefined },
  { topic: 'users', framing: 'none', source: true, start: [], metadata: undefined },
  { topic: 'shop', framing: 'confluent', source: false, start: [0, 0, 0, 0, 1], metadata: undefined },
  { topic: 'shop', framing: 'confluent', source: true, start: [], metadata: { dataFormat: 'AVRO', schemaId: '1' } },
  { topic: 'shop', framing: 'glue', source: false, start: [3, 0, 'glue'], metadata: undefined },
  { topic: 'shop', framing: 'glue', source: true, start: [], metadata: { dataFormat: 'AVRO', schemaId: 'glue' } },
  { topic: 'shop', framing: 'none', source: false, start: [], metadata: undefined },
  { topic: 'shop', framing: 'none', source: true, start: [], metadata: undefined },
  { topic: 'profiles', framing: 'confluent', source: false, start: [0, 0, 0, 0, 1, 2, 2, 0x0a], metadata: undefined },
  {
    topic: 'profiles',
    framing: 'confluent',
    source: true,
    start: [2, 2, 0x0a],
    metadata: { dataFormat: 'PROTOBUF', schemaId: '1' },
  },
  { topic: 'profiles', framing: 'glue', source: false, start: [3, 0, 'glue', 1, 0x0a], metadata: undefined },
  {
    topic: 'profiles',
    framing: 'glue',
    source: true,
    start: [1, 0x0a],
    metadata: { dataFormat: 'PROTOBUF', schemaId: 'glue' },
  },
  { topic: 'profiles', framing: 'none', source: false, start: [0x0a], metadata: undefined },
  { topic: 'profiles', framing: 'none', source: true, start: [0x0a], metadata: undefined },
] as const;

describe('sample --topic <Avro or Protobuf topic>: seeded values, framed, that validate and decodeRecords accept', () => {
  it.each(CASES)(
    '$topic, --framing $framing, source record format: $source',
    async ({ topic, framing, source, start, metadata }) => {
      const { dir, api } = await binary();
      const args = ['--topic', topic, '--records', '5', '--seed', '7', '--framing', framing];
      if (source) args.push('--record-format', 'source');
      const result = await sample(dir, ...args);
      expect(result.code, result.stderr).toBe(0);
      const file = `${topic}-${framing}-${source}.json`;
      await writeFile(path.join(dir, file), result.stdout);
      const checked = await validate(dir, '--strict', file);
      expect(checked.stdout, checked.stdout).toBe('1 file, 1 valid, 0 invalid, 0 warnings\n');

      const records = (JSON.parse(result.stdout) as { records: Record<string, BinaryRecord[]> }).records[`${topic}-0`];
      expect(records).toHaveLength(5);
      const glueIds = new Set<string>();
      for (const record of records ?? []) {
        for (const side of topic === 'users' ? (['value'] as const) : (['key', 'value'] as const)) {
          const bytes = Buffer.from(record[side] as string, 'base64');
          let at = 0;
          for (const expected of start) {
            if (expected === 'glue') {
              glueIds.add(uuidOf(bytes.subarray(at, at + 16)));
              at += 16;
            } else expect(bytes[at++], `${side} byte ${at - 1}`).toBe(expected);
          }
          // Unframed Avro never starts like a frame (00 Confluent, 03 Glue): the decoder would take it for one.
          // (With schema metadata the decoder does not look for a frame: source Avro may start with 00.)
          if (framing === 'none') expect([0, 3]).not.toContain(bytes[0]);
          const got = side === 'key' ? record.keySchemaMetadata : record.valueSchemaMetadata;
          if (metadata === undefined) expect(got).toBeUndefined();
          else {
            expect(got).toEqual({ ...metadata, schemaId: metadata.schemaId === 'glue' ? expect.any(String) : '1' });
            if (metadata.schemaId === 'glue') glueIds.add((got as { schemaId: string }).schemaId);
          }
        }
        if (topic === 'users') expect(record.key).toBeUndefined();
      }
      // Glue: one schema version UUID (from the seed) for the whole event.
      if (framing === 'glue') {
        expect(glueIds.size).toBe(1);
        expect([...glueIds][0]).toMatch(UUID);
      }

      const decodedRecords = api['decodeRecords'](api['parseKafkaEvent'](JSON.parse(result.stdout))) as {
        key: unknown;
        value: unknown;
      }[];
      expect(decodedRecords).toHaveLength(5);
      for (const r of decodedRecords) {
        if (topic === 'users') expect(isUser(r.value), JSON.stringify(r.value)).toBe(true);
        if (topic === 'shop') {
          expect(isUser(r.key)).toBe(true);
          expect(isOrder(r.value), String(r.value)).toBe(true);
        }
        if (topic === 'profiles') {
          expect(isProfile(r.key)).toBe(true);
          expect(isProfile(r.value)).toBe(true);
        }
      }
      // Without framing, the bytes are the datum or message alone: avsc and protobufjs read them too.
      if (framing === 'none') {
        const { readFile } = await import('node:fs/promises');
        const schemas = path.join(REPO_ROOT, 'test', 'fixtures', 'powertools');
        const user = avro.Type.forSchema(JSON.parse(await readFile(path.join(schemas, 'user.avsc'), 'utf8')));
        const order = avro.Type.forSchema(SHOP_ORDER_AVSC as avro.Schema);
        const profile = protobuf
          .parse(await readFile(path.join(schemas, 'complex.proto'), 'utf8'), { keepCase: true })
          .root.lookupType(PROFILE);
        for (const record of records ?? []) {
          const bytes = (side: 'key' | 'value') => Buffer.from(record[side] as string, 'base64');
          if (topic === 'users') expect(user.fromBuffer(bytes('value'))).toHaveProperty('age');
          if (topic === 'shop') {
            expect(user.fromBuffer(bytes('key'))).toHaveProperty('name');
            expect(order.fromBuffer(bytes('value'))).toHaveProperty('status');
          }
          if (topic === 'profiles')
            for (const side of ['key', 'value'] as const)
              expect(profile.toObject(profile.decode(bytes(side)))).toHaveProperty('userId');
        }
      }
      // Values differ from record to record.
      expect(new Set(records?.map((r) => r.value)).size).toBe(5);
      // The same seed, the same bytes; another seed, other values.
      expect((await sample(dir, ...args)).stdout).toBe(result.stdout);
      const other = await sample(dir, ...args.slice(0, 5), '8', ...args.slice(6));
      expect(recordsOf(other.stdout).map((r) => r.value)).not.toEqual(records?.map((r) => r.value));
    },
  );

  it.each([
    { topic: 'users', framing: 'confluent', source: false, header: 5 },
    { topic: 'users', framing: 'none', source: false, header: 0 },
    { topic: 'profiles', framing: 'glue', source: false, header: 19 },
    { topic: 'profiles', framing: 'confluent', source: true, header: 2 },
  ])(
    '--invalid-value on $topic (--framing $framing, source: $source): the value cut one byte short, which validate and decodeRecords reject',
    async ({ topic, framing, source, header }) => {
      const { dir, api } = await binary();
      const args = ['--topic', topic, '--records', '3', '--seed', '7', '--framing', framing];
      if (source) args.push('--record-format', 'source');
      const valid = await sample(dir, ...args);
      const broken = await sample(dir, ...args, '--invalid-value');
      expect(broken.code, broken.stderr).toBe(0);
      const before = recordsOf(valid.stdout);
      const after = recordsOf(broken.stdout);
      after.forEach((record, i) => {
        const good = Buffer.from(before[i]?.value as string, 'base64');
        const bad = Buffer.from(record.value as string, 'base64');
        // The same frame and datum, less the last byte; the key untouched.
        expect(bad.length).toBe(good.length - 1);
        expect(good.subarray(0, bad.length).equals(bad)).toBe(true);
        expect(bad.length).toBeGreaterThanOrEqual(header);
        expect(record.key).toBe(before[i]?.key);
      });
      await writeFile(path.join(dir, 'bad.json'), broken.stdout);
      const checked = await validate(dir, 'bad.json');
      expect(checked.code).toBe(1);
      for (let i = 0; i < 3; i++)
        expect(checked.stdout).toMatch(new RegExp(`error payload-decode: records/${topic}-0/${i}/value: not a valid `));
      expect(() => api['decodeRecords'](api['parseKafkaEvent'](JSON.parse(broken.stdout)))).toThrow(
        api['PayloadDecodeError'],
      );
      expect((await sample(dir, ...args, '--invalid-value')).stdout).toBe(broken.stdout);
    },
  );

  it('the Glue schema version UUID follows the seed', async () => {
    const { dir } = await binary();
    const id = async (seed: string) =>
      (JSON.parse((await sample(dir, '--topic', 'users', '--framing', 'glue', '--seed', seed)).stdout) as any).records[
        'users-0'
      ][0].value;
    const glue = (b64: string) => uuidOf(Buffer.from(b64, 'base64').subarray(2, 18));
    expect(glue(await id('7'))).toBe(glue(await id('7')));
    expect(glue(await id('7'))).not.toBe(glue(await id('8')));
  });

  it("without --framing: the topic's framing, and Confluent's for auto", async () => {
    const dir = await binaryProject({
      users: BINARY_TOPICS.users,
      glued: { value: { format: 'avro', schema: 'schemas/user.avsc', framing: 'glue' } },
    });
    const first = async (...args: string[]) => {
      const result = await sample(dir, ...args);
      expect(result.code, result.stderr).toBe(0);
      return [...Buffer.from(recordsOf(result.stdout)[0]?.value as string, 'base64').subarray(0, 5)];
    };
    expect(await first('--topic', 'users')).toEqual([0, 0, 0, 0, 1]);
    expect((await first('--topic', 'glued')).slice(0, 2)).toEqual([3, 0]);
  });

  it.each([
    {
      args: ['--topic', 'users', '--record-format', 'json'],
      says: '--record-format json (the mapping converting Avro and Protobuf to JSON) is not supported yet',
    },
    { args: ['--topic', 'users', '--record-format', 'raw'], says: '--record-format must be source' },
    { args: ['--topic', 'users', '--framing', 'auto'], says: '--framing must be confluent, glue or none' },
    {
      args: ['--topic', 'glued', '--framing', 'confluent'],
      says: '--framing confluent: topic "glued"\'s value is declared with "framing": "glue" in msk-codegen.config.json',
    },
    {
      args: ['--topic', 'users', '--record-format', 'source', '--schema-metadata', 'AVRO:1'],
      says: 'it does not go with --schema-metadata',
    },
    {
      args: ['--topic', 'single', '--framing', 'none'],
      says: 'schemas/single.avsc\'s values start with byte 00 or 03 (50 tries), which a decoder of "framing": "auto" takes for a Confluent or Glue frame',
    },
    {
      args: ['--topic', 'notes', '--framing', 'glue'],
      says: '--framing applies to topics whose key or value is avro or protobuf in msk-codegen.config.json, and none of "notes" is',
    },
    {
      args: ['--topic', 'notes', '--record-format', 'source'],
      says: '--record-format applies to topics whose key or value is avro or protobuf',
    },
  ])('$args: exit 2 (E_USAGE)', async ({ args, says }) => {
    const dir = await binaryProject({
      users: BINARY_TOPICS.users,
      notes: { value: { format: 'string' } },
      glued: { value: { format: 'avro', schema: 'schemas/user.avsc', framing: 'glue' } },
      single: { value: { format: 'avro', schema: 'schemas/single.avsc' } },
    });
    // An enum of one symbol: every value is the single byte 00.
    await writeFile(path.join(dir, 'schemas', 'single.avsc'), text({ type: 'enum', name: 'One', symbols: ['ONLY'] }));
    const result = await sample(dir, ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('E_USAGE');
    expect(result.stderr).toContain(says);
  });
});
