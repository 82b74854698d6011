import { describe, expect, it } from 'vitest';
import { prepareForTypes } from '../../../generator/emit/types.js';
import { generate } from '../../../generator/index.js';

describe('prepareForTypes (the rules applied before json-schema-to-typescript)', () => {
  it.each([
    {
      rule: 'a $ref with a sibling description is wrapped in allOf',
      given: { properties: { p: { $ref: '#/$defs/M', description: 'doc' } } },
      want: { properties: { p: { description: 'doc', allOf: [{ $ref: '#/$defs/M' }] } } },
    },
    {
      rule: 'a bare $ref is left alone',
      given: { properties: { p: { $ref: '#/$defs/M' } } },
      want: { properties: { p: { $ref: '#/$defs/M' } } },
    },
    {
      rule: 'definitions are titled after their key; other titles are dropped',
      given: {
        $defs: {
          Order: { title: 'Order', properties: { line: { title: 'Line', type: 'string' } } },
          Item: { type: 'object' },
        },
      },
      want: {
        $defs: {
          Order: { title: 'Order', properties: { line: { type: 'string' } } },
          Item: { type: 'object', title: 'Item' },
        },
      },
    },
    {
      rule: 'legacy-form declarations are dropped (types are canonical)',
      given: {
        properties: {
          n: {
            type: 'integer',
            'x-legacy-forms': [{ id: 'a', accept: { type: 'string' }, normalize: 'decimal-string-to-integer' }],
          },
        },
      },
      want: { properties: { n: { type: 'integer' } } },
    },
    {
      rule: 'data under const, enum and properties named like keywords is not rewritten',
      given: { properties: { title: { const: { title: 'x', $ref: 'y' } } } },
      want: { properties: { title: { const: { title: 'x', $ref: 'y' } } } },
    },
  ])('$rule', ({ given, want }) => {
    const before = structuredClone(given);
    expect(prepareForTypes(given)).toEqual(want);
    expect(given).toEqual(before);
  });
});

describe('types.ts', () => {
  it('declares each definition once, by its own name, with no numbered copies or unknown index signatures', async () => {
    const types = (await generate()).find((f) => f.path === 'types.ts')?.contents ?? '';
    const declared = [...types.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]);
    expect(declared).toEqual([
      'KafkaEvent',
      'MSKEvent',
      'SelfManagedKafkaEvent',
      'KafkaRecord',
      'KafkaRecordHeader',
      'KafkaSchemaMetadata',
      'KafkaBatchResponse',
      'KafkaBatchItemFailure',
    ]);
    expect(types).not.toMatch(/\b[A-Z]\w*[0-9]\b/);
    expect(types).not.toMatch(/\[k: string\]: unknown/);
    expect(types).toContain('keySchemaMetadata?: KafkaSchemaMetadata;');
  });

  it('carries every property description of the schema as JSDoc', async () => {
    const { readFile } = await import('node:fs/promises');
    const { EMBEDDED_SCHEMA_PATH } = await import('../../helpers.js');
    const schemaText = await readFile(EMBEDDED_SCHEMA_PATH, 'utf8');
    const types = (await generate()).find((f) => f.path === 'types.ts')?.contents ?? '';
    const descriptions = [...schemaText.matchAll(/"description": "((?:[^"\\]|\\.)*)"/g)].map(
      (m) => JSON.parse(`"${m[1]}"`) as string,
    );
    expect(descriptions.length).toBeGreaterThan(30);
    // The root's description documents the file; legacy-form descriptions document the parse
    // API, and x-strict ones validate --strict's hints.
    const rootDescription = (JSON.parse(schemaText) as { description: string }).description;
    const strictDescriptions = new Set<string>();
    JSON.parse(schemaText, (key, value: unknown) => {
      if (key === 'x-strict') strictDescriptions.add((value as { description: string }).description);
      return value;
    });
    expect(strictDescriptions.size).toBe(2);
    const typeDescriptions = descriptions.filter(
      (d) =>
        d !== rootDescription &&
        !strictDescriptions.has(d) &&
        !/^(AWS's original 2020 example|One SDK's test fixture)/.test(d),
    );
    for (const description of typeDescriptions) expect(types, description).toContain(description);
  });
});
