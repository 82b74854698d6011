/**
 * msk-codegen init in temporary folders: what it writes in an empty folder and in an
 * existing project, and every way it refuses, leaving the folder as it was.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { createAjv } from '../../generator/ajv.js';
import { resolveConfig } from '../../generator/config.js';
import { CodegenError } from '../../generator/diagnostics.js';
import { init, packageName } from '../../generator/init.js';
import { EMBEDDED_SCHEMA } from '../../generator/package-root.js';
import { EMBEDDED_SCHEMA_PATH, positionOf, snapshotDir, tempDir } from '../helpers.js';
import { CAN_MKFIFO, makeFifo } from '../fifo.js';

const EXPECTED_CONFIG = `{
  "schema": "schema/kafka-event.schema.json",
  "out": "generated",
  "topics": {
    "orders": {
      "key": {
        "format": "string"
      },
      "value": {
        "format": "json",
        "schema": "schema/order.schema.json"
      }
    }
  },
  "unknownTopics": "reject"
}
`;

const NEXT_WITH_INSTALL = ['npm install --save-dev msk-codegen', 'npx msk-codegen generate', 'npx msk-codegen scaffold orders --topic orders'];

/** An order written by hand, valid against schema/order.schema.json. */
const ORDER = {
  orderId: 'ord-0001',
  customer: { id: 'cus-42', name: 'Ada Lovelace' },
  status: 'PAID',
  items: [
    { sku: 'SKU-1042', quantity: 2, unitPrice: 9.5 },
    { sku: 'BOOK-7', quantity: 1, unitPrice: 0 },
  ],
  currency: 'EUR',
};

async function initError(cwd: string): Promise<CodegenError> {
  let error: unknown;
  try {
    await init({ cwd });
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(CodegenError);
  return error as CodegenError;
}

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8'));
}

describe('init in an empty folder', () => {
  it('writes the config, the event schema, the order schema and a package.json', async () => {
    const parent = await tempDir();
    const cwd = path.join(parent, 'My Kafka_Consumer');
    await mkdir(cwd);
    const result = await init({ cwd });
    expect(result).toEqual({
      written: ['msk-codegen.config.json', 'schema/kafka-event.schema.json', 'schema/order.schema.json', 'package.json'],
      updated: [],
      next: NEXT_WITH_INSTALL,
    });
    expect(Object.keys(await snapshotDir(cwd)).map((f) => f.split(path.sep).join('/'))).toEqual([
      'msk-codegen.config.json',
      'package.json',
      'schema/kafka-event.schema.json',
      'schema/order.schema.json',
    ]);
    expect(await readFile(path.join(cwd, 'msk-codegen.config.json'), 'utf8')).toBe(EXPECTED_CONFIG);
    expect((await readFile(path.join(cwd, 'schema/kafka-event.schema.json'))).equals(await readFile(EMBEDDED_SCHEMA_PATH))).toBe(true);
    expect(await readFile(path.join(cwd, 'package.json'), 'utf8')).toBe(
      `${JSON.stringify(
        { name: 'my-kafka_consumer', private: true, type: 'module', scripts: { generate: 'msk-codegen generate', 'generate:check': 'msk-codegen generate --check' } },
        null,
        2,
      )}\n`,
    );
  });

  it('writes an order schema that Ajv compiles in strict mode, with a description on every property', async () => {
    const cwd = await tempDir();
    await init({ cwd });
    const text = await readFile(path.join(cwd, 'schema/order.schema.json'), 'utf8');
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    const schema = JSON.parse(text) as Record<string, unknown>;
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['title']).toBe('Order');
    expect(schema['additionalProperties']).toBe(false);
    expect(schema['required']).toEqual(expect.arrayContaining(['orderId', 'customer', 'status', 'items']));

    const undescribed: string[] = [];
    const walk = (node: Record<string, unknown>, at: string) => {
      for (const [name, sub] of Object.entries((node['properties'] ?? {}) as Record<string, Record<string, unknown>>)) {
        if (typeof sub['description'] !== 'string' || sub['description'] === '') undescribed.push(`${at}/${name}`);
        walk(sub, `${at}/${name}`);
        if (sub['items'] !== undefined) walk(sub['items'] as Record<string, unknown>, `${at}/${name}/items`);
      }
    };
    walk(schema, '');
    expect(undescribed).toEqual([]);

    for (const validate of [createAjv().compile(schema), new Ajv2020({ strict: true, allErrors: true }).compile(schema)]) {
      expect(validate(ORDER), JSON.stringify(validate.errors)).toBe(true);
      expect(validate({ ...ORDER, status: 'DELIVERED' })).toBe(false);
      expect(validate.errors?.map((e) => [e.instancePath, e.keyword])).toEqual([['/status', 'enum']]);
      expect(validate({ ...ORDER, items: [] })).toBe(false);
      expect(validate({ ...ORDER, items: [{ sku: 'sku 1', quantity: 0, unitPrice: -1 }] })).toBe(false);
      expect(validate.errors?.map((e) => [e.instancePath, e.keyword])).toEqual([
        ['/items/0/sku', 'pattern'],
        ['/items/0/quantity', 'minimum'],
        ['/items/0/unitPrice', 'minimum'],
      ]);
      expect(validate({ ...ORDER, items: [{ sku: 'SKU-1', quantity: 1.5, unitPrice: 1 }] })).toBe(false);
      expect(validate({ ...ORDER, customer: { id: 'cus-42' } })).toBe(false);
      expect(validate({ ...ORDER, note: 'extra' })).toBe(false);
      const { status: _status, ...withoutStatus } = ORDER;
      expect(validate(withoutStatus)).toBe(false);
    }
  });

  it('writes a config that resolveConfig accepts, with the topics resolved to absolute schema paths', async () => {
    const cwd = await tempDir();
    await init({ cwd });
    const config = await resolveConfig({ cwd });
    expect(config.configFile).toBe(path.join(cwd, 'msk-codegen.config.json'));
    expect(config.schema).toBe(path.join(cwd, 'schema', 'kafka-event.schema.json'));
    expect(config.schema).not.toBe(EMBEDDED_SCHEMA);
    expect(config.out).toBe(path.join(cwd, 'generated'));
    expect(config.unknownTopics).toBe('reject');
    expect(config.topics).toEqual([{ topic: 'orders', key: { format: 'string' }, value: { format: 'json', schema: path.join(cwd, 'schema', 'order.schema.json') } }]);
  });
});

describe('init in an existing project', () => {
  it('adds the scripts to package.json, keeping every other field, their order and formatting', async () => {
    const cwd = await tempDir();
    const manifest = {
      name: 'orders-consumer',
      version: '1.2.3',
      description: 'Consumes orders',
      type: 'module',
      scripts: { build: 'tsc', test: 'vitest run' },
      dependencies: { zod: '^4.0.0' },
      devDependencies: { typescript: '^5.0.0', 'msk-codegen': '^0.1.0' },
      engines: { node: '>=20' },
    };
    await writeFile(path.join(cwd, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await mkdir(path.join(cwd, 'schema'));
    await writeFile(path.join(cwd, 'schema', 'other.schema.json'), '{}\n');

    const result = await init({ cwd });
    expect(result).toEqual({
      written: ['msk-codegen.config.json', 'schema/kafka-event.schema.json', 'schema/order.schema.json'],
      updated: ['package.json'],
      next: ['npx msk-codegen generate', 'npx msk-codegen scaffold orders --topic orders'],
    });
    const expected = { ...manifest, scripts: { ...manifest.scripts, generate: 'msk-codegen generate', 'generate:check': 'msk-codegen generate --check' } };
    expect(await readFile(path.join(cwd, 'package.json'), 'utf8')).toBe(`${JSON.stringify(expected, null, 2)}\n`);
    expect(await readFile(path.join(cwd, 'schema', 'other.schema.json'), 'utf8')).toBe('{}\n');
  });

  it('adds a scripts object at the end when there is none, and keeps inline arrays, other indentation and a missing final newline', async () => {
    const cwd = await tempDir();
    const text = '{\n    "name": "x",\n    "files": ["dist", "schema"],\n    "dependencies": {\n        "msk-codegen": "0.1.0"\n    }\n}';
    await writeFile(path.join(cwd, 'package.json'), text);
    const result = await init({ cwd });
    expect(result.updated).toEqual(['package.json']);
    expect(result.next).not.toContain('npm install --save-dev msk-codegen');
    expect(await readFile(path.join(cwd, 'package.json'), 'utf8')).toBe(
      '{\n    "name": "x",\n    "files": ["dist", "schema"],\n    "dependencies": {\n        "msk-codegen": "0.1.0"\n    },\n' +
        '    "scripts": {\n        "generate": "msk-codegen generate",\n        "generate:check": "msk-codegen generate --check"\n    }\n}',
    );
  });

  it('does not count an identical existing script as a conflict, and leaves package.json alone when both are there', async () => {
    const cwd = await tempDir();
    const one = `${JSON.stringify({ name: 'x', scripts: { generate: 'msk-codegen generate', lint: 'eslint .' } }, null, 2)}\n`;
    await writeFile(path.join(cwd, 'package.json'), one);
    await init({ cwd });
    expect(await readJson(path.join(cwd, 'package.json'))).toEqual({
      name: 'x',
      scripts: { generate: 'msk-codegen generate', lint: 'eslint .', 'generate:check': 'msk-codegen generate --check' },
    });

    const other = await tempDir();
    const both = `${JSON.stringify({ name: 'y', scripts: { 'generate:check': 'msk-codegen generate --check', generate: 'msk-codegen generate' } }, null, 2)}\n`;
    await writeFile(path.join(other, 'package.json'), both);
    const before = await snapshotDir(other);
    const result = await init({ cwd: other });
    expect(result.written).toEqual(['msk-codegen.config.json', 'schema/kafka-event.schema.json', 'schema/order.schema.json']);
    expect(result.updated).toEqual([]);
    expect((await snapshotDir(other))['package.json']).toEqual(before['package.json']);
  });
});

describe('init refuses to overwrite, and then writes nothing', () => {
  const conflicts = [
    { name: 'the config', file: 'msk-codegen.config.json', contents: '{ "out": "src/generated" }\n' },
    { name: 'the event schema', file: 'schema/kafka-event.schema.json', contents: '{ "my": "own schema" }\n' },
    { name: 'the order schema', file: 'schema/order.schema.json', contents: '{ "title": "MyOrder" }\n' },
  ];

  it.each(conflicts)('when $name exists', async ({ file, contents }) => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'schema'), { recursive: true });
    await writeFile(path.join(cwd, file), contents);
    await writeFile(path.join(cwd, 'package.json'), '{\n  "name": "x"\n}\n');
    const before = await snapshotDir(cwd);
    const error = await initError(cwd);
    expect(error.diagnostics).toHaveLength(1);
    expect(error.diagnostics[0]).toMatchObject({ code: 'E_FILE_EXISTS', file: path.join(cwd, file) });
    expect(error.diagnostics[0]?.message).toContain(`${file} already exists`);
    expect(error.diagnostics[0]?.message).toContain('wrote nothing');
    expect(await snapshotDir(cwd)).toEqual(before);
  });

  it('when package.json has a "generate" script that runs something else, naming its place', async () => {
    const cwd = await tempDir();
    const text = `${JSON.stringify({ name: 'x', scripts: { generate: 'node build.js' } }, null, 2)}\n`;
    await writeFile(path.join(cwd, 'package.json'), text);
    const before = await snapshotDir(cwd);
    const error = await initError(cwd);
    expect(error.diagnostics).toEqual([
      {
        code: 'E_FILE_EXISTS',
        file: path.join(cwd, 'package.json'),
        pointer: '/scripts/generate',
        ...positionOf(text, '"node build.js"'),
        message: expect.stringMatching(/already has a script "generate" \("node build\.js"\).*"msk-codegen generate".*wrote nothing/),
      },
    ]);
    expect(await snapshotDir(cwd)).toEqual(before);
  });

  it('listing every conflict in one error', async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'schema'));
    for (const { file, contents } of conflicts) await writeFile(path.join(cwd, file), contents);
    await writeFile(path.join(cwd, 'package.json'), JSON.stringify({ scripts: { generate: 'msk-codegen generate', 'generate:check': 'tsc --noEmit' } }));
    const before = await snapshotDir(cwd);
    const error = await initError(cwd);
    expect(error.diagnostics.map((d) => [d.code, path.relative(cwd, d.file ?? ''), d.pointer])).toEqual([
      ['E_FILE_EXISTS', 'msk-codegen.config.json', undefined],
      ['E_FILE_EXISTS', path.join('schema', 'kafka-event.schema.json'), undefined],
      ['E_FILE_EXISTS', path.join('schema', 'order.schema.json'), undefined],
      ['E_FILE_EXISTS', 'package.json', '/scripts/generate:check'],
    ]);
    expect(error.message.split('\n')).toHaveLength(4);
    expect(await snapshotDir(cwd)).toEqual(before);
  });

  it('when package.json is not valid JSON, with its line:column', async () => {
    const cwd = await tempDir();
    const text = '{\n  "name": "x",\n  "scripts": {\n    "test": "vitest",\n  }\n}\n';
    await writeFile(path.join(cwd, 'package.json'), text);
    const before = await snapshotDir(cwd);
    const error = await initError(cwd);
    expect(error.diagnostics).toHaveLength(1);
    expect(error.diagnostics[0]).toMatchObject({ code: 'E_INVALID_JSON', file: path.join(cwd, 'package.json'), ...positionOf(text, '}') });
    expect(error.message).toContain(`package.json:${positionOf(text, '}').line}:${positionOf(text, '}').column}: error E_INVALID_JSON`);
    expect(await snapshotDir(cwd)).toEqual(before);
  });

  it.skipIf(!CAN_MKFIFO)('when package.json is a named pipe: refused before it is opened, so nothing waits on it', async () => {
    const cwd = await tempDir();
    makeFifo(path.join(cwd, 'package.json'));
    const error = await initError(cwd);
    expect(error.diagnostics).toMatchObject([{ code: 'E_UNREADABLE', file: path.join(cwd, 'package.json'), message: 'cannot read package.json: it is a named pipe, not a regular file' }]);
    expect((await readdir(cwd)).sort()).toEqual(['package.json']);
  }, 10_000);

  it('when package.json "scripts" is not an object', async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'package.json'), '{ "scripts": ["build"] }\n');
    const before = await snapshotDir(cwd);
    const error = await initError(cwd);
    expect(error.diagnostics).toMatchObject([{ code: 'E_INVALID_CONFIG', pointer: '/scripts', line: 1, column: 14 }]);
    expect(await snapshotDir(cwd)).toEqual(before);
  });
});

describe('packageName', () => {
  it.each([
    ['orders', 'orders'],
    ['My Kafka_Consumer', 'my-kafka_consumer'],
    ['.hidden', 'hidden'],
    ['_private--app!', 'private-app'],
    ['über', 'ber'],
    ['???', 'kafka-consumer'],
    ['node_modules', 'kafka-consumer'],
    ['http', 'http-app'],
    ['x'.repeat(300), 'x'.repeat(214)],
  ])('%j -> %j', (folder, name) => {
    expect(packageName(folder)).toBe(name);
  });
});
