import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayPath, resolveConfig } from '../../../generator/core/config.js';
import { EMBEDDED_SCHEMA } from '../../../generator/core/package-root.js';
import { CodegenError } from '../../../generator/core/diagnostics.js';
import { positionOf, tempDir } from '../../helpers.js';

describe('resolveConfig: flags over config file over defaults', () => {
  it.each([
    {
      name: 'defaults',
      configFile: undefined,
      flags: {},
      schema: EMBEDDED_SCHEMA,
      out: 'generated',
      command: 'npx msk-codegen generate',
    },
    {
      name: 'config file',
      configFile: { schema: 'schemas/e.json', out: 'src/gen' },
      flags: {},
      schema: 'schemas/e.json',
      out: 'src/gen',
      command: 'npx msk-codegen generate',
    },
    {
      name: 'flags over config file',
      configFile: { schema: 'schemas/e.json', out: 'src/gen' },
      flags: { schema: 'x.json', out: 'o' },
      schema: 'x.json',
      out: 'o',
      command: 'npx msk-codegen generate --schema x.json --out o',
    },
    {
      name: 'one flag, rest from config',
      configFile: { schema: 'schemas/e.json' },
      flags: { out: 'my out' },
      schema: 'schemas/e.json',
      out: 'my out',
      command: "npx msk-codegen generate --out 'my out'",
    },
  ])('$name', async ({ configFile, flags, schema, out, command }) => {
    const cwd = await tempDir();
    if (configFile) await writeFile(path.join(cwd, 'msk-codegen.config.json'), JSON.stringify(configFile));
    const config = await resolveConfig({ cwd, ...flags });
    expect(config.schema).toBe(path.resolve(cwd, schema));
    expect(config.out).toBe(path.resolve(cwd, out));
    expect(config.regenerateCommand).toBe(command);
  });

  it('resolves config paths relative to the config file, flags relative to cwd', async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'conf'));
    await writeFile(path.join(cwd, 'conf', 'codegen.json'), JSON.stringify({ schema: 'event.json', out: '../gen' }));
    const config = await resolveConfig({ cwd, config: 'conf/codegen.json' });
    expect(config.schema).toBe(path.join(cwd, 'conf', 'event.json'));
    expect(config.out).toBe(path.join(cwd, 'gen'));
    // Banners name the schema relative to the config file's folder: the same from every working directory.
    expect(config.schemaDisplay).toBe('event.json');
    expect(config.regenerateCommand).toBe('npx msk-codegen generate --config conf/codegen.json');
  });

  it('names the embedded schema the same way on every machine', async () => {
    expect((await resolveConfig({ cwd: await tempDir() })).schemaDisplay).toBe(
      'msk-codegen/schema/kafka-event.schema.json',
    );
  });
});

describe('displayPath: how banners name the schema', () => {
  it.each([
    {
      name: 'the embedded schema, from the folder that holds it (msk-codegen itself, or node_modules/msk-codegen)',
      base: path.dirname(path.dirname(EMBEDDED_SCHEMA)),
      file: EMBEDDED_SCHEMA,
      shown: 'msk-codegen/schema/kafka-event.schema.json',
    },
    {
      name: 'the embedded schema, from anywhere else',
      base: '/somewhere/else',
      file: EMBEDDED_SCHEMA,
      shown: 'msk-codegen/schema/kafka-event.schema.json',
    },
    {
      name: 'a schema inside the base',
      base: '/project',
      file: '/project/schema/event.json',
      shown: 'schema/event.json',
    },
    {
      name: 'a schema beside the base: ../ kept, never an absolute path',
      base: '/project/config',
      file: '/project/schemas/event.json',
      shown: '../schemas/event.json',
    },
  ])('$name', ({ base, file, shown }) => {
    expect(displayPath(base, file)).toBe(shown);
  });
});

describe('the config file is JSONC', () => {
  it('comments and trailing commas are fine', async () => {
    const cwd = await tempDir();
    await writeFile(
      path.join(cwd, 'msk-codegen.config.json'),
      '/* settings */\n{\n  "out": "gen", // where\n  "unknownTopics": "bytes",\n}\n',
    );
    const config = await resolveConfig({ cwd });
    expect(config.out).toBe(path.join(cwd, 'gen'));
    expect(config.unknownTopics).toBe('bytes');
  });
});

describe('avro and protobuf payloads', () => {
  const write = async (config: unknown) => {
    const cwd = await tempDir();
    const text = `${JSON.stringify(config, null, 2)}\n`;
    await writeFile(path.join(cwd, 'msk-codegen.config.json'), text);
    return { cwd, text };
  };

  it('resolve the schema path and fill in framing "auto" and longs "number"', async () => {
    const { cwd } = await write({
      topics: {
        orders: {
          key: { format: 'string' },
          value: { format: 'protobuf', schema: 'schemas/shop.proto', message: 'shop.v1.Order' },
        },
        payments: { value: { format: 'avro', schema: 'schemas/payment.avsc', framing: 'confluent', longs: 'bigint' } },
      },
    });
    const config = await resolveConfig({ cwd });
    expect(config.topics).toEqual([
      {
        topic: 'orders',
        key: { format: 'string' },
        value: {
          format: 'protobuf',
          schema: path.join(cwd, 'schemas', 'shop.proto'),
          message: 'shop.v1.Order',
          framing: 'auto',
          longs: 'number',
        },
      },
      {
        topic: 'payments',
        key: { format: 'bytes' },
        value: {
          format: 'avro',
          schema: path.join(cwd, 'schemas', 'payment.avsc'),
          framing: 'confluent',
          longs: 'bigint',
        },
      },
    ]);
  });

  it.each([
    {
      name: 'protobuf without a message',
      value: { format: 'protobuf', schema: 's.proto' },
      needle: '{\n        "format"',
      message: 'invalid config: "message" is required (a protobuf payload names its message, e.g. "shop.v1.Order")',
    },
    {
      name: 'avro without a schema',
      value: { format: 'avro' },
      needle: '{\n        "format"',
      message: 'invalid config: "schema" is required (json, avro and protobuf payloads name their schema file)',
    },
    {
      name: 'a message on an avro payload',
      value: { format: 'avro', schema: 'o.avsc', message: 'Order' },
      needle: '"Order"',
      message: 'invalid config: only a protobuf payload takes a message',
    },
    {
      name: 'framing on a string payload',
      value: { format: 'string', framing: 'none' },
      needle: '"none"',
      message: 'invalid config: only avro and protobuf payloads take "framing"',
    },
    {
      name: 'a schema on a bytes payload',
      value: { format: 'bytes', schema: 'x.json' },
      needle: '"x.json"',
      message: 'invalid config: only json, avro and protobuf payloads take a schema',
    },
    {
      name: 'a message that is not a full name',
      value: { format: 'protobuf', schema: 's.proto', message: 'shop..Order' },
      needle: '"shop..Order"',
      message: 'invalid config: a message\'s full name: its package and name, separated by "." (shop.v1.Order)',
    },
  ])('$name: refused at the setting, saying what applies', async ({ value, needle, message }) => {
    const { cwd, text } = await write({ topics: { orders: { value } } });
    const error = await resolveConfig({ cwd }).then(
      () => undefined,
      (e: unknown) => e as CodegenError,
    );
    expect(error).toBeInstanceOf(CodegenError);
    const [diagnostic] = error?.diagnostics ?? [];
    expect(diagnostic?.message).toBe(message);
    expect(diagnostic?.code).toBe('E_INVALID_CONFIG');
    expect({ line: diagnostic?.line, column: diagnostic?.column }).toEqual(positionOf(text, needle));
  });
});
