/**
 * The config file's check as the build precompiles it (core/config-check.ts) against the same
 * check compiled by Ajv at run time: the same verdicts and the same errors on good and bad
 * configs, and a module that imports nothing (Ajv's helpers inlined).
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAjv } from '../../../generator/core/ajv.js';
import { configShape } from '../../../generator/core/config.js';
import { type ConfigCheck, configCheckFile, precompileConfigCheck } from '../../../generator/core/config-check.js';
import { tempDir } from '../../helpers.js';

const CONFIGS: unknown[] = [
  {},
  { schema: 'schema/kafka-event.schema.json', out: 'generated' },
  { $schema: './node_modules/msk-codegen/schema/config.schema.json', out: 'src/generated' },
  { topics: { orders: { value: { format: 'json', schema: 'order.schema.json' } } }, unknownTopics: 'bytes' },
  {
    topics: { 'audit-*': { key: { format: 'string' }, value: { format: 'avro', schema: 'a.avsc', framing: 'glue' } } },
  },
  { topics: { p: { value: { format: 'protobuf', schema: 'p.proto', message: 'shop.v1.Product', longs: 'bigint' } } } },
  // Bad: each keyword the messages in config.ts name.
  { output: 'generated' },
  { schema: '' },
  { out: 5 },
  { topics: { 'orders and more': { value: { format: 'string' } } } },
  { topics: { orders: { value: { format: 'xml' } } } },
  { topics: { orders: { value: { format: 'json' } } } },
  { topics: { orders: { value: { format: 'string', schema: 'x.json' } } } },
  { topics: { orders: { value: { format: 'json', schema: 'x.json', framing: 'glue' } } } },
  { topics: { orders: { value: { format: 'protobuf', schema: 'p.proto', message: 'not a name' } } } },
  { topics: { orders: { body: { format: 'string' } } } },
  { unknownTopics: 'drop' },
  [],
  null,
];

describe('the precompiled config check', () => {
  it('gives the verdicts and errors of the check Ajv compiles at run time', async () => {
    const dir = await tempDir();
    const file = await precompileConfigCheck(configShape, dir);
    expect(file).toBe(configCheckFile(configShape, dir));
    expect(await readFile(file, 'utf8')).not.toMatch(/\brequire\(|^import /m);
    const precompiled = (await import(pathToFileURL(file).href)).default as ConfigCheck;
    const compiled = createAjv().compile(configShape);
    for (const config of CONFIGS) {
      const verdict = compiled(config);
      expect(precompiled(config), JSON.stringify(config)).toBe(verdict);
      expect(precompiled.errors ?? null, JSON.stringify(config)).toEqual(compiled.errors ?? null);
    }
    expect(CONFIGS.filter((c) => !compiled(c))).toHaveLength(13);
  });

  it('is named by the shape: another shape has another file', () => {
    expect(configCheckFile({ ...configShape, required: ['out'] })).not.toBe(configCheckFile(configShape));
  });
});
