import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayPath, resolveConfig } from '../../../generator/core/config.js';
import { EMBEDDED_SCHEMA } from '../../../generator/core/package-root.js';
import { tempDir } from '../../helpers.js';

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
