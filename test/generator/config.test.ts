import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../generator/config.js';
import { EMBEDDED_SCHEMA } from '../../generator/package-root.js';
import { tempDir } from '../helpers.js';

describe('resolveConfig: flags over config file over defaults', () => {
  it.each([
    { name: 'defaults', configFile: undefined, flags: {}, schema: EMBEDDED_SCHEMA, out: 'generated', command: 'npx msk-codegen generate' },
    { name: 'config file', configFile: { schema: 'schemas/e.json', out: 'src/gen' }, flags: {}, schema: 'schemas/e.json', out: 'src/gen', command: 'npx msk-codegen generate' },
    { name: 'flags over config file', configFile: { schema: 'schemas/e.json', out: 'src/gen' }, flags: { schema: 'x.json', out: 'o' }, schema: 'x.json', out: 'o', command: 'npx msk-codegen generate --schema x.json --out o' },
    { name: 'one flag, rest from config', configFile: { schema: 'schemas/e.json' }, flags: { out: 'my out' }, schema: 'schemas/e.json', out: 'my out', command: "npx msk-codegen generate --out 'my out'" },
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
    expect(config.schemaDisplay).toBe('conf/event.json');
    expect(config.regenerateCommand).toBe('npx msk-codegen generate --config conf/codegen.json');
  });

  it('names the embedded schema the same way on every machine', async () => {
    expect((await resolveConfig({ cwd: await tempDir() })).schemaDisplay).toBe('msk-codegen/schema/kafka-event.schema.json');
  });
});
