/**
 * Composing per-topic payload schemas into the event schema: what event.schema.json
 * says about each topic's key and value (contentEncoding, contentMediaType,
 * contentSchema), that it is valid JSON Schema 2020-12 and deterministic, and how bad
 * payload schemas and configs are reported. Each case is a temporary project with a
 * msk-codegen.config.json and payload schemas, resolved and generated like the CLI does.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAjv } from '../../../generator/core/ajv.js';
import { runCli } from '../../../generator/cli.js';
import {
  CodegenError,
  CONFIG_FILE_NAME,
  formatDiagnostic,
  generate,
  resolveConfig,
  writeGeneratedFiles,
  checkGeneratedFiles,
  type Diagnostic,
} from '../../../generator/index.js';
import type { GeneratedFile } from '../../../generator/output/generated-files.js';
import { init } from '../../../generator/commands/init.js';
import { EMBEDDED_SCHEMA_PATH, positionOf, tempDir } from '../../helpers.js';
import { ORDER_SCHEMA } from '../../fixtures/order-payload.js';

type Json = Record<string, any>;

/** An order: nested objects (one through a $ref to the schema's own $defs), an enum, an array with minItems, an optional property. */

const TWO_TOPICS = {
  topics: {
    orders: { key: { format: 'string' }, value: { format: 'json', schema: 'schemas/order.schema.json' } },
    'audit-*': { value: { format: 'string' } },
  },
};

const VALID_ORDER = {
  orderId: 'ORD-1',
  customer: { id: 'c-7', name: 'Zoë', address: { city: 'Lyon', country: 'FR' } },
  status: 'PAID',
  items: [{ sku: 'SKU-1', quantity: 2 }],
};

const text = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** A temporary project: `files` (paths relative to it; objects are written as JSON), the config among them. */
async function project(files: Record<string, unknown>): Promise<string> {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  for (const [file, contents] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), typeof contents === 'string' ? contents : text(contents));
  }
  return dir;
}

/** What `msk-codegen generate` does in `dir`, with the embedded event schema. */
async function generateIn(dir: string): Promise<GeneratedFile[]> {
  const config = await resolveConfig({ cwd: dir });
  return generate({
    schema: EMBEDDED_SCHEMA_PATH,
    topics: config.topics,
    unknownTopics: config.unknownTopics,
    ...(config.configFile ? { configFile: config.configFile } : {}),
  });
}

async function composedSchema(dir: string): Promise<{ text: string; schema: Json }> {
  const file = (await generateIn(dir)).find((f) => f.path === 'event.schema.json');
  if (!file) throw new Error('no event.schema.json generated');
  return { text: file.contents, schema: JSON.parse(file.contents) as Json };
}

async function twoTopicProject(): Promise<string> {
  return project({ [CONFIG_FILE_NAME]: TWO_TOPICS, 'schemas/order.schema.json': ORDER_SCHEMA });
}

async function diagnosticsOf(dir: string): Promise<readonly Diagnostic[]> {
  try {
    await generateIn(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(CodegenError);
    return (error as CodegenError).diagnostics;
  }
  throw new Error('expected generate to fail');
}

async function runIn(cwd: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('event.schema.json for a two-topic config (orders: string key, JSON value; audit-*: string value)', () => {
  it('is emitted with payloads.ts, beside the usual files, only when topics are declared', async () => {
    const paths = (await generateIn(await twoTopicProject())).map((f) => f.path);
    expect(paths).toEqual([
      'event.schema.json',
      'index.ts',
      'on-failure-validators.ts',
      'on-failure.ts',
      'parse.ts',
      'payloads.ts',
      'records.ts',
      'testing.ts',
      'types.ts',
      'validators-all-errors.ts',
      'validators.ts',
    ]);
    const none = (await generateIn(await project({}))).map((f) => f.path);
    expect(none).toEqual([
      'index.ts',
      'on-failure-validators.ts',
      'on-failure.ts',
      'parse.ts',
      'records.ts',
      'testing.ts',
      'types.ts',
      'validators-all-errors.ts',
      'validators.ts',
    ]);
  });

  it('is valid JSON Schema 2020-12: Ajv (with x-legacy-forms registered) compiles it in strict mode', async () => {
    const { schema } = await composedSchema(await twoTopicProject());
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    const ajv = createAjv();
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('starts with a $comment saying it was generated, from what, and how to regenerate it', async () => {
    const { text: contents, schema } = await composedSchema(await twoTopicProject());
    expect(contents.startsWith('{\n  "$comment": "Generated by msk-codegen from ')).toBe(true);
    expect(Object.keys(schema)[0]).toBe('$comment');
    // The embedded schema as every banner names it, wherever msk-codegen is installed.
    expect(schema['$comment']).toBe(
      'Generated by msk-codegen from msk-codegen/schema/kafka-event.schema.json and the payload schemas in msk-codegen.config.json. DO NOT EDIT: regenerate with npx msk-codegen generate',
    );
    expect(contents.endsWith('}\n')).toBe(true);
  });

  it.each([
    {
      def: 'OrdersKafkaRecord',
      side: 'value',
      expected: {
        type: ['string', 'null'],
        contentEncoding: 'base64',
        contentMediaType: 'application/json',
        contentSchema: { $ref: '#/$defs/Order' },
      },
    },
    {
      def: 'OrdersKafkaRecord',
      side: 'key',
      expected: { type: ['string', 'null'], contentEncoding: 'base64', contentMediaType: 'text/plain; charset=utf-8' },
    },
    {
      def: 'AuditAnyKafkaRecord',
      side: 'value',
      expected: { type: ['string', 'null'], contentEncoding: 'base64', contentMediaType: 'text/plain; charset=utf-8' },
    },
    {
      def: 'AuditAnyKafkaRecord',
      side: 'key',
      expected: { type: ['string', 'null'], contentEncoding: 'base64', contentMediaType: 'application/octet-stream' },
    },
  ])('$def.$side: $expected.contentMediaType', async ({ def, side, expected }) => {
    const { schema } = await composedSchema(await twoTopicProject());
    const { description, ...keywords } = schema['$defs'][def].properties[side];
    expect(keywords).toEqual(expected);
    expect(description).toEqual(expect.any(String));
  });

  it('gives each topic a record definition over KafkaRecord: a const topic, or a pattern for audit-*', async () => {
    const { schema } = await composedSchema(await twoTopicProject());
    const defs = schema['$defs'];
    expect(Object.keys(defs)).toEqual([
      'KafkaEvent',
      'MSKEvent',
      'SelfManagedKafkaEvent',
      'KafkaRecord',
      'KafkaRecordHeader',
      'KafkaSchemaMetadata',
      'KafkaBatchResponse',
      'KafkaBatchItemFailure',
      'Order',
      'Address',
      'OrdersKafkaRecord',
      'AuditAnyKafkaRecord',
    ]);
    expect(defs.OrdersKafkaRecord).toMatchObject({
      title: 'OrdersKafkaRecord',
      type: 'object',
      required: ['topic'],
      allOf: [{ $ref: '#/$defs/KafkaRecord' }],
    });
    expect(defs.OrdersKafkaRecord.properties.topic).toEqual({ description: 'The topic.', const: 'orders' });
    expect(defs.AuditAnyKafkaRecord).toMatchObject({
      title: 'AuditAnyKafkaRecord',
      allOf: [{ $ref: '#/$defs/KafkaRecord' }],
    });
    expect(defs.AuditAnyKafkaRecord.properties.topic).toEqual({
      description: 'The topic.',
      type: 'string',
      pattern: '^audit-[\\s\\S]*$',
    });
  });

  it('puts the payload schema under $defs by its title, its own $defs hoisted beside it and its $refs still resolving', async () => {
    const { schema } = await composedSchema(await twoTopicProject());
    const { $schema: _dialect, $defs: nested, ...rest } = ORDER_SCHEMA;
    expect(schema['$defs'].Order).toEqual(rest);
    expect(schema['$defs'].Address).toEqual(nested.Address);
  });

  it.each([
    { def: 'Order', data: VALID_ORDER, valid: true },
    {
      def: 'Order',
      data: { ...VALID_ORDER, customer: { ...VALID_ORDER.customer, address: { city: 'Lyon', country: 'France' } } },
      valid: false,
    },
    { def: 'Order', data: { ...VALID_ORDER, status: 'LOST' }, valid: false },
    {
      def: 'OrdersKafkaRecord',
      data: {
        topic: 'orders',
        partition: 0,
        offset: 1,
        timestamp: 1,
        timestampType: 'CREATE_TIME',
        headers: [],
        key: 'b3JkZXItMQ==',
        value: null,
      },
      valid: true,
    },
    {
      def: 'OrdersKafkaRecord',
      data: { topic: 'audit-eu', partition: 0, offset: 1, timestamp: 1, timestampType: 'CREATE_TIME', headers: [] },
      valid: false,
    },
    {
      def: 'OrdersKafkaRecord',
      data: { topic: 'orders', partition: -1, offset: 1, timestamp: 1, timestampType: 'CREATE_TIME', headers: [] },
      valid: false,
    },
    {
      def: 'AuditAnyKafkaRecord',
      data: { topic: 'audit-eu', partition: 0, offset: 1, timestamp: 1, timestampType: 'CREATE_TIME', headers: [] },
      valid: true,
    },
    {
      def: 'AuditAnyKafkaRecord',
      data: { topic: 'audit', partition: 0, offset: 1, timestamp: 1, timestampType: 'CREATE_TIME', headers: [] },
      valid: false,
    },
    {
      def: 'AuditAnyKafkaRecord',
      data: { topic: 'xaudit-eu', partition: 0, offset: 1, timestamp: 1, timestampType: 'CREATE_TIME', headers: [] },
      valid: false,
    },
  ])('validates as a schema: $def, case $#, valid: $valid', async ({ def, data, valid }) => {
    const { schema } = await composedSchema(await twoTopicProject());
    const ajv = createAjv();
    ajv.addSchema(schema);
    const validate = ajv.getSchema(`${String(schema['$id'])}#/$defs/${def}`);
    if (!validate) throw new Error(`no ${def}`);
    expect(validate(data), JSON.stringify(validate.errors)).toBe(valid);
  });

  it("rewrites a payload schema's reference to its own root (#) to its definition", async () => {
    const tree = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'Category',
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#' } } },
    };
    const dir = await project({
      [CONFIG_FILE_NAME]: { topics: { categories: { value: { format: 'json', schema: 'category.schema.json' } } } },
      'category.schema.json': tree,
    });
    const { schema } = await composedSchema(dir);
    expect(schema['$defs'].Category.properties.children.items).toEqual({ $ref: '#/$defs/Category' });
    const ajv = createAjv();
    ajv.addSchema(schema);
    const validate = ajv.getSchema(`${String(schema['$id'])}#/$defs/Category`);
    expect(validate?.({ name: 'a', children: [{ name: 'b', children: [] }] })).toBe(true);
    expect(validate?.({ name: 'a', children: [{ name: 7 }] })).toBe(false);
  });

  it("rewrites a reference to the payload's root (#) from inside one of its hoisted $defs to the payload's definition", async () => {
    // A tree whose node type lives in $defs and points back at the document root.
    const catalog = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'Catalog',
      type: 'object',
      additionalProperties: false,
      required: ['root'],
      properties: { root: { $ref: '#/$defs/Node' } },
      $defs: {
        Node: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: { name: { type: 'string' }, subCatalog: { $ref: '#' } },
        },
      },
    };
    const dir = await project({
      [CONFIG_FILE_NAME]: { topics: { catalogs: { value: { format: 'json', schema: 'catalog.schema.json' } } } },
      'catalog.schema.json': catalog,
    });
    const { schema } = await composedSchema(dir);
    expect(schema['$defs'].Node.properties.subCatalog).toEqual({ $ref: '#/$defs/Catalog' });
    const ajv = createAjv();
    ajv.addSchema(schema);
    const validate = ajv.getSchema(`${String(schema['$id'])}#/$defs/Catalog`);
    expect(validate?.({ root: { name: 'a', subCatalog: { root: { name: 'b' } } } })).toBe(true);
    expect(validate?.({ root: { name: 'a', subCatalog: { root: { name: 7 } } } })).toBe(false);
  });

  it('is deterministic: generating twice gives byte-identical files, and writing them leaves nothing for --check', async () => {
    const dir = await twoTopicProject();
    const first = await generateIn(dir);
    const second = await generateIn(dir);
    expect(second).toEqual(first);
    const out = path.join(dir, 'generated');
    await writeGeneratedFiles(out, first);
    const report = await checkGeneratedFiles(out, second);
    expect(report).toEqual({ ok: true, stale: [], missing: [], extra: [] });
    for (const file of first) expect(await readFile(path.join(out, file.path), 'utf8')).toBe(file.contents);
  });

  it('generate --check: up to date after generate, stale once a payload schema changes', async () => {
    const dir = await twoTopicProject();
    expect((await runIn(dir, 'generate')).code).toBe(0);
    const check = await runIn(dir, 'generate', '--check');
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toBe('msk-codegen: generated/ is up to date (11 files)\n');

    const changed = {
      ...ORDER_SCHEMA,
      properties: { ...ORDER_SCHEMA.properties, channel: { enum: ['WEB', 'STORE'] } },
    };
    await writeFile(path.join(dir, 'schemas', 'order.schema.json'), text(changed));
    const stale = await runIn(dir, 'generate', '--check');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('  stale:   generated/event.schema.json');
    expect(stale.stderr).toContain('  stale:   generated/types.ts');
    expect(stale.stderr).toContain('  stale:   generated/validators.ts');
  });
});

describe('the config msk-codegen init writes', () => {
  it('generates (init\'s example Order schema and its "orders" topic)', async () => {
    const dir = await tempDir();
    await init({ cwd: dir });
    const config = await resolveConfig({ cwd: dir });
    const files = await generate({
      schema: config.schema,
      topics: config.topics,
      unknownTopics: config.unknownTopics,
      ...(config.configFile ? { configFile: config.configFile } : {}),
    });
    const schema = JSON.parse(files.find((f) => f.path === 'event.schema.json')?.contents ?? '{}') as Json;
    expect(schema['$defs']?.OrdersKafkaRecord?.properties?.value?.contentSchema).toEqual({ $ref: '#/$defs/Order' });
  });
});

describe('bad payload schemas and configs are reported with the file and the place', () => {
  const ORDER_FILE = 'schemas/order.schema.json';
  const withOrder = (schema: unknown) => ({
    [CONFIG_FILE_NAME]: TWO_TOPICS,
    [ORDER_FILE]: typeof schema === 'string' ? schema : text(schema),
  });
  const { title: _title, ...untitled } = ORDER_SCHEMA;
  const unknownKeyword = text({
    ...ORDER_SCHEMA,
    properties: { ...ORDER_SCHEMA.properties, items: { ...ORDER_SCHEMA.properties.items, minimun: 1 } },
  });
  const notJsonSchema = text({
    ...ORDER_SCHEMA,
    properties: { ...ORDER_SCHEMA.properties, orderId: { type: 'strin' } },
  });
  const definitionClash = text({
    ...ORDER_SCHEMA,
    $defs: { ...ORDER_SCHEMA.$defs, KafkaRecordHeader: { type: 'string' } },
  });

  it.each([
    {
      name: 'a payload schema without a title',
      files: withOrder(untitled),
      code: 'E_UNSUPPORTED_SCHEMA',
      message: 'a payload schema needs a "title": it names the payload type (e.g. "Order")',
      pointer: '',
      at: undefined,
    },
    {
      name: 'a payload title that is an event definition (KafkaRecord)',
      files: withOrder({ ...ORDER_SCHEMA, title: 'KafkaRecord' }),
      code: 'E_UNSUPPORTED_SCHEMA',
      message: `the name "KafkaRecord" is already taken by ${EMBEDDED_SCHEMA_PATH}`,
      pointer: '',
      at: undefined,
    },
    {
      name: 'a payload $defs key that is an event definition (KafkaRecordHeader)',
      files: withOrder(definitionClash),
      code: 'E_UNSUPPORTED_SCHEMA',
      message: `the name "KafkaRecordHeader" is already taken by ${EMBEDDED_SCHEMA_PATH}`,
      pointer: '/$defs/KafkaRecordHeader',
      at: { text: definitionClash, needle: '"KafkaRecordHeader"' },
    },
    {
      name: 'an unknown keyword in a payload schema',
      files: withOrder(unknownKeyword),
      code: 'E_UNKNOWN_KEYWORD',
      message: 'unknown keyword "minimun": did you mean "minimum"?',
      pointer: '/properties/items/minimun',
      at: { text: unknownKeyword, needle: '"minimun"' },
    },
    {
      name: 'a payload schema that is not JSON Schema',
      files: withOrder(notJsonSchema),
      code: 'E_NOT_JSON_SCHEMA',
      message: 'not a valid JSON Schema',
      pointer: '/properties/orderId/type',
      at: { text: notJsonSchema, needle: '"strin"' },
    },
  ])('$name', async ({ files, code, message, pointer, at }) => {
    const dir = await project(files);
    const diagnostics = await diagnosticsOf(dir);
    const file = path.join(dir, ORDER_FILE);
    const diagnostic = diagnostics.find((d) => d.code === code);
    expect(diagnostic, JSON.stringify(diagnostics)).toBeDefined();
    expect(diagnostic?.file).toBe(file);
    expect(diagnostic?.message).toContain(message);
    expect(diagnostic?.pointer).toBe(pointer);
    const place = at ? positionOf(at.text, at.needle) : { line: 1, column: 1 };
    expect({ line: diagnostic?.line, column: diagnostic?.column }).toEqual(place);
    expect(formatDiagnostic(diagnostic as Diagnostic, dir)).toMatch(
      new RegExp(`^${ORDER_FILE}:${place.line}:${place.column}: error ${code}: `),
    );
  });

  /**
   * Payload schemas that are valid JSON Schema 2020-12 (loadSchema accepts each on its
   * own) but that the composed schema cannot take: msk-codegen may support them or refuse
   * them, but a refusal must point at the payload file, not at the event schema the user
   * never edited.
   */
  it.each([
    {
      name: 'a union type (["number", "string"])',
      schema: { ...ORDER_SCHEMA, properties: { ...ORDER_SCHEMA.properties, total: { type: ['number', 'string'] } } },
      valid: { ...VALID_ORDER, total: '12.50' },
    },
    {
      name: '"properties" without "type": "object"',
      schema: {
        ...ORDER_SCHEMA,
        properties: { ...ORDER_SCHEMA.properties, gift: { properties: { message: { type: 'string' } } } },
      },
      valid: { ...VALID_ORDER, gift: { message: 'hi' } },
    },
    {
      name: 'definitions (the keyword 2020-12 keeps for compatibility) with a $ref to it',
      schema: {
        ...ORDER_SCHEMA,
        properties: { ...ORDER_SCHEMA.properties, total: { $ref: '#/definitions/Money' } },
        definitions: { Money: { type: 'number', minimum: 0 } },
      },
      valid: { ...VALID_ORDER, total: 12.5 },
    },
  ])(
    'a payload schema with $name: generated and validating, or refused at the payload file',
    async ({ schema, valid }) => {
      const dir = await project(withOrder(schema));
      let files: GeneratedFile[];
      try {
        files = await generateIn(dir);
      } catch (error) {
        expect(error).toBeInstanceOf(CodegenError);
        const { diagnostics } = error as CodegenError;
        expect(
          diagnostics.map((d) => d.file),
          diagnostics.map((d) => formatDiagnostic(d, dir)).join('\n'),
        ).toEqual([path.join(dir, ORDER_FILE)]);
        return;
      }
      const composed = JSON.parse(files.find((f) => f.path === 'event.schema.json')?.contents ?? '{}') as Json;
      const ajv = createAjv();
      ajv.addSchema(composed);
      expect(ajv.getSchema(`${String(composed['$id'])}#/$defs/Order`)?.(valid)).toBe(true);
    },
  );

  it('a payload title colliding with an event definition names both files', async () => {
    const dir = await project(withOrder({ ...ORDER_SCHEMA, title: 'KafkaRecord' }));
    const diagnostics = await diagnosticsOf(dir);
    expect(diagnostics).toHaveLength(1);
    const formatted = formatDiagnostic(diagnostics[0] as Diagnostic, dir);
    expect(formatted).toContain(`${ORDER_FILE}:1:1: error E_UNSUPPORTED_SCHEMA`);
    expect(formatted).toContain(EMBEDDED_SCHEMA_PATH);
    expect(formatted).toContain('"KafkaRecord"');
  });

  it('two payload schemas with the same title: the second names the first', async () => {
    const dir = await project({
      [CONFIG_FILE_NAME]: {
        topics: {
          orders: { value: { format: 'json', schema: 'schemas/order.schema.json' } },
          'orders-archive': { value: { format: 'json', schema: 'schemas/archived.schema.json' } },
        },
      },
      'schemas/order.schema.json': ORDER_SCHEMA,
      'schemas/archived.schema.json': { title: 'Order', type: 'object' },
    });
    const diagnostics = await diagnosticsOf(dir);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'E_UNSUPPORTED_SCHEMA',
        file: path.join(dir, 'schemas', 'archived.schema.json'),
        message: expect.stringContaining(
          `the name "Order" is already taken by ${path.join(dir, 'schemas', 'order.schema.json')}`,
        ),
      }),
    ]);
  });

  it('two topics whose record types would share a name: the config is named', async () => {
    const dir = await project({
      [CONFIG_FILE_NAME]: {
        topics: { 'orders.v2': { value: { format: 'string' } }, 'orders-v2': { value: { format: 'bytes' } } },
      },
    });
    const diagnostics = await diagnosticsOf(dir);
    expect(diagnostics).toEqual([
      {
        code: 'E_INVALID_CONFIG',
        file: path.join(dir, CONFIG_FILE_NAME),
        message: `topic "orders-v2" names its record types OrdersV2Record and OrdersV2KafkaRecord, but OrdersV2KafkaRecord is already taken by ${path.join(dir, CONFIG_FILE_NAME)}`,
      },
    ]);
  });
});
