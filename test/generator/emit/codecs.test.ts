/**
 * Avro and Protobuf topics end to end: a project whose config names `.avsc` and `.proto`
 * files generates codecs.ts, and the generated decodeRecords decodes Powertools for AWS
 * Lambda's own Kafka test events and documentation samples (test/fixtures/powertools:
 * real MSK captures and hand-made values; docs/payload-formats.md section 3 gives each
 * value byte by byte) to the values their tests expect, or fails with a PayloadDecodeError
 * naming the record, the byte and what was expected: never a wrong value.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME, generate, resolveConfig, writeGeneratedFiles } from '../../../generator/index.js';
import { CodegenError } from '../../../generator/core/diagnostics.js';
import { EMBEDDED_SCHEMA_PATH, REPO_ROOT, tempDir } from '../../helpers.js';
import { importGenerated } from '../../load-generated.js';
import { createProgram, STRICTEST } from '../../typescript.js';

type Api = Record<string, any>;
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'powertools');

async function fixtureEvent(name: string): Promise<any> {
  return JSON.parse(await readFile(path.join(FIXTURES, name), 'utf8'));
}

/** A project with `config` and the named Powertools schema files under schemas/. */
async function project(config: Record<string, unknown>, schemas: readonly string[]): Promise<string> {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(path.join(dir, CONFIG_FILE_NAME), `${JSON.stringify(config, null, 2)}\n`);
  await mkdir(path.join(dir, 'schemas'));
  for (const file of schemas) await copyFile(path.join(FIXTURES, file), path.join(dir, 'schemas', file));
  return dir;
}

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

async function apiFor(config: Record<string, unknown>, schemas: readonly string[]): Promise<Api> {
  return importGenerated(await generateInto(await project(config, schemas)));
}

function thrown(fn: () => unknown): any {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

const USER_PROFILE = {
  name: 'Bob',
  email: 'bob@example.com',
  age: 28,
  isActive: true,
  signupDate: '2024-02-02',
  tags: ['tag1', 'tag2'],
  preferences: { theme: 'light' },
  address: { street: '123 Ave', city: 'Seattle', zip: '98101' },
};

describe("Powertools' Avro events", () => {
  it('the documentation sample (a real MSK Serverless capture, Glue-framed: 03 00 + UUID): { name: "Powertools", age: 5 }', async () => {
    const api = await apiFor(
      {
        topics: {
          'python-with-avro-doc': { key: { format: 'string' }, value: { format: 'avro', schema: 'schemas/user.avsc' } },
        },
      },
      ['user.avsc'],
    );
    const [decoded] = api['decodeRecords'](await fixtureEvent('kafkaEventAvro.json'));
    expect(decoded.key).toBe('123');
    expect(decoded.value).toEqual({ name: 'Powertools', age: 5 });
  });

  it('the Product test event (no framing): ids 1001-1003 with their names and prices', async () => {
    const api = await apiFor({ topics: { mytopic: { value: { format: 'avro', schema: 'schemas/product.avsc' } } } }, [
      'product.avsc',
    ]);
    const values = api['decodeRecords'](await fixtureEvent('avro.json')).map((r: any) => r.value);
    expect(values).toEqual([
      { id: 1001, name: 'Laptop', price: 999.99 },
      { id: 1002, name: 'Smartphone', price: 599.99 },
      { id: 1003, name: 'Headphones', price: 149.99 },
    ]);
  });

  it('a truncated value, a PROTOBUF record on the Avro topic: PayloadDecodeError naming the record, the byte and what was expected', async () => {
    const api = await apiFor(
      { topics: { 'python-with-avro-doc': { value: { format: 'avro', schema: 'schemas/user.avsc' } } } },
      ['user.avsc'],
    );
    const event = await fixtureEvent('kafkaEventAvro.json');
    const record = event.records['python-with-avro-doc-3'][0];
    const bytes = Buffer.from(record.value, 'base64');
    // The age (its last byte, at offset 18 + 11 = 29) cut off.
    record.value = bytes.subarray(0, bytes.length - 1).toString('base64');
    const truncated = thrown(() => api['decodeRecords'](event));
    expect(truncated).toBeInstanceOf(api['PayloadDecodeError']);
    expect(truncated).toBeInstanceOf(api['KafkaRecordDecodeError']);
    expect(truncated.location).toBe('records/python-with-avro-doc-3/0/value');
    expect(truncated.offset).toBe(29);
    expect(truncated.message).toMatch(
      /^records\/python-with-avro-doc-3\/0\/value: not a valid User \(Avro\): at byte 29: expected /,
    );

    record.value = bytes.toString('base64');
    record.valueSchemaMetadata = { dataFormat: 'PROTOBUF', schemaId: '1' };
    const wrongFormat = thrown(() => api['decodeRecords'](event));
    expect(wrongFormat.offset).toBe(0);
    expect(wrongFormat.message).toContain(
      'not a valid User (Avro): at byte 0: expected AVRO bytes (the topic is declared avro in msk-codegen.config.json), found schema metadata dataFormat PROTOBUF',
    );
  });

  it('JSON text on the Avro topic (as EventRecordFormat JSON delivers it) is an error saying so', async () => {
    const api = await apiFor(
      { topics: { 'python-with-avro-doc': { value: { format: 'avro', schema: 'schemas/user.avsc' } } } },
      ['user.avsc'],
    );
    // Powertools' JSON documentation sample, on the Avro topic, with the metadata a registry adds.
    const event = await fixtureEvent('kafkaEventAvro.json');
    const record = event.records['python-with-avro-doc-3'][0];
    record.value = Buffer.from('{"name": "Powertools", "age": 5}').toString('base64');
    record.valueSchemaMetadata = { dataFormat: 'AVRO', schemaId: '574f6a9a-9548-4dea-86a3-d82c0479a116' };
    const error = thrown(() => api['decodeRecords'](event));
    expect(error).toBeInstanceOf(api['PayloadDecodeError']);
    // 0x7b is the zig-zag varint -62: the length of the name, negative.
    expect(error.message).toMatch(
      /^records\/python-with-avro-doc-3\/0\/value: not a valid User \(Avro\): at byte 0: expected .*; the bytes are a JSON object: an event source mapping with EventRecordFormat JSON delivers JSON/,
    );
  });
});

describe("Powertools' Protobuf events", () => {
  it('the documentation sample (no framing): { name: "powertools", age: 5 }', async () => {
    const api = await apiFor(
      {
        topics: {
          'python-with-avro-doc': {
            value: { format: 'protobuf', schema: 'schemas/user.proto', message: 'com.example.User' },
          },
        },
      },
      ['user.proto'],
    );
    const [decoded] = api['decodeRecords'](await fixtureEvent('kafkaEventProtobuf.json'));
    expect(decoded.value).toEqual({ name: 'powertools', age: 5 });
  });

  it('the Confluent capture (SOURCE: index [1] = UserProfile kept, field 8 unknown and skipped): four profiles', async () => {
    const api = await apiFor(
      {
        topics: {
          confluent_proto: {
            key: { format: 'string' },
            value: { format: 'protobuf', schema: 'schemas/complex.proto', message: 'com.example.protobuf.UserProfile' },
          },
        },
      },
      ['complex.proto'],
    );
    const decoded = api['decodeRecords'](await fixtureEvent('protobuf-complex.confluent.json'));
    const ids = [
      'a8e40971-1552-420d-a7c9-b8982325702d',
      '4dcfc61b-3993-49c3-a04f-8a6c7aaf7881',
      '2a861628-0800-4b76-bd3f-6ecba7cd286c',
      '71320c73-ec57-446e-bd5b-9252d6943182',
    ];
    expect(decoded.map((r: any) => r.key)).toEqual(ids);
    expect(decoded.map((r: any) => r.value)).toEqual(ids.map((userId) => ({ userId, ...USER_PROFILE })));
  });

  it('the Glue event (SOURCE: Glue index 1 = UserProfile among Address, UserProfile, UserProfile.PreferencesEntry)', async () => {
    const api = await apiFor(
      {
        topics: {
          gsr_proto: {
            value: { format: 'protobuf', schema: 'schemas/complex.proto', message: 'com.example.protobuf.UserProfile' },
          },
        },
      },
      ['complex.proto'],
    );
    const [decoded] = api['decodeRecords'](await fixtureEvent('protobuf-complex.glue.json'));
    expect(decoded.value).toEqual({
      userId: '123',
      name: 'Test',
      email: 'test@gmx.com',
      age: 10,
      isActive: false,
      signupDate: '2025-06-20',
      tags: ['tag1', 'tag2'],
      preferences: { theme: 'light' },
      address: { street: 'Mythenquai', city: 'Zurich', zip: '8002' },
    });
  });

  it('the Product test event: values without their message index are errors with "auto", decoded with "none"', async () => {
    const config = (framing: string) => ({
      topics: {
        mytopic: { value: { format: 'protobuf', schema: 'schemas/product.proto', message: 'Product', framing } },
      },
    });
    const event = await fixtureEvent('protobuf.json');
    const auto = await apiFor(config('auto'), ['product.proto']);
    const failures = [0, 1, 2].map((index) =>
      thrown(() => auto['decodeRecord']({ ...auto['recordsOf'](event)[index] })),
    );
    expect(failures.map((error) => error.message)).toEqual([
      'records/mytopic-0/0/value: not a valid Product (Protobuf): at byte 0: expected a schemaId of digits (Confluent) or a UUID (Glue), to read the Protobuf message index, found schema metadata without a schemaId',
      'records/mytopic-0/1/value: not a valid Product (Protobuf): at byte 0: expected Glue message index 0 (Product), found 8',
      // 08 is Confluent's count 4 (zig-zag); e9 07 then reads as index -500, not [0].
      expect.stringMatching(/^records\/mytopic-0\/2\/value: not a valid Product \(Protobuf\): at byte 0: expected /),
    ]);
    const none = await apiFor(config('none'), ['product.proto']);
    expect(none['decodeRecords'](event).map((r: any) => r.value)).toEqual([
      { id: 1001, name: 'Laptop', price: 999.99 },
      { id: 1002, name: 'Smartphone', price: 599.99 },
      { id: 1003, name: 'Headphones', price: 149.99 },
    ]);
  });
});

describe('the generated API', () => {
  it('types the decoded records by topic (strictest TypeScript): a schema change is a compile error where the field is used', async () => {
    const dir = await project(
      {
        topics: {
          users: { value: { format: 'avro', schema: 'schemas/user.avsc' } },
          confluent_proto: {
            value: { format: 'protobuf', schema: 'schemas/complex.proto', message: 'com.example.protobuf.UserProfile' },
          },
        },
      },
      ['user.avsc', 'complex.proto'],
    );
    const out = await generateInto(dir);
    const use = path.join(dir, 'use.ts');
    await writeFile(
      use,
      [
        "import { decodeRecords, type DecodedRecord, type User, type UserProfile } from './generated/index.js';",
        'export function names(event: Parameters<typeof decodeRecords>[0]): string[] {',
        '  return decodeRecords(event).map((record: DecodedRecord) => {',
        "    if (record.topic === 'users') { const user: User | null = record.value; return `${user?.name}:${user?.age}`; }",
        '    const profile: UserProfile | null = record.value;',
        '    return `${profile?.userId}:${profile?.address?.city}:${profile?.tags.length}`;',
        '  });',
        '}',
        '',
      ].join('\n'),
    );
    const diagnostics = (files: string[]) =>
      ts
        .getPreEmitDiagnostics(createProgram(files, STRICTEST))
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
    expect(diagnostics([use])).toEqual([]);

    // The Avro record loses "age": the use site no longer compiles.
    await writeFile(
      path.join(dir, 'schemas', 'user.avsc'),
      JSON.stringify({
        type: 'record',
        name: 'User',
        namespace: 'com.example',
        fields: [{ name: 'name', type: 'string' }],
      }),
    );
    await generateInto(dir);
    expect(diagnostics([use]).join('\n')).toMatch(/Property 'age' does not exist on type 'User'/);
    expect(out).toBe(path.join(dir, 'generated'));
  });

  it('two messages of one .proto share their types: declared once, both decoded', async () => {
    const dir = await project(
      {
        topics: {
          orders: { value: { format: 'protobuf', schema: 'schemas/shop.proto', message: 'shop.Order' } },
          payments: { value: { format: 'protobuf', schema: 'schemas/shop.proto', message: 'shop.Payment' } },
        },
      },
      [],
    );
    await writeFile(
      path.join(dir, 'schemas', 'shop.proto'),
      'syntax = "proto3";\npackage shop;\nmessage Money { int64 minor = 1; string currency = 2; }\nmessage Order { string id = 1; Money total = 2; }\nmessage Payment { string id = 1; Money amount = 2; }\n',
    );
    const out = await generateInto(dir);
    const codecs = await readFile(path.join(out, 'codecs.ts'), 'utf8');
    expect(codecs.match(/^export interface Money /gm)).toHaveLength(1);
    expect(codecs.match(/^function readMoney\(/gm)).toHaveLength(1);
    const api = await importGenerated(out);
    // Order { id: "o1", total: { minor: 250, currency: "EUR" } }; Payment { id: "p1", amount: { minor: 5, currency: "USD" } }.
    const order = [0x0a, 0x02, 0x6f, 0x31, 0x12, 0x08, 0x08, 0xfa, 0x01, 0x12, 0x03, 0x45, 0x55, 0x52];
    const payment = [0x0a, 0x02, 0x70, 0x31, 0x12, 0x07, 0x08, 0x05, 0x12, 0x03, 0x55, 0x53, 0x44];
    const record = (topic: string, bytes: number[]) => ({
      topic,
      partition: 0,
      offset: 0,
      timestamp: 1,
      timestampType: 'CREATE_TIME',
      headers: [],
      value: Buffer.from(bytes).toString('base64'),
    });
    const event = {
      eventSource: 'aws:kafka',
      eventSourceArn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/shop/751d2973-a626-431c-9d4e-d7975eb44dd7-2',
      records: { 'orders-0': [record('orders', order)], 'payments-0': [record('payments', payment)] },
    };
    expect(api['decodeRecords'](event).map((r: any) => r.value)).toEqual([
      { id: 'o1', total: { minor: 250, currency: 'EUR' } },
      { id: 'p1', amount: { minor: 5, currency: 'USD' } },
    ]);
  });

  it('a type name an Avro schema shares with a JSON payload or the generated API is refused at its file', async () => {
    const dir = await project({ topics: { users: { value: { format: 'avro', schema: 'schemas/clash.avsc' } } } }, []);
    await writeFile(
      path.join(dir, 'schemas', 'clash.avsc'),
      JSON.stringify({ type: 'record', name: 'DecodedRecord', fields: [{ name: 'id', type: 'int' }] }),
    );
    const error = await generateInto(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CodegenError);
    expect((error as CodegenError).diagnostics[0]).toMatchObject({
      code: 'E_INVALID_AVSC',
      file: path.join(dir, 'schemas', 'clash.avsc'),
      message: expect.stringContaining('the type name "DecodedRecord" is already taken by the generated API'),
    });
  });
});
