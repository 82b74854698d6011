/**
 * The emitted validators against Ajv compiled at run time from the same schema (with
 * `ownProperties`, the semantics they promise): the first-error validators give the
 * same verdicts, the error collectors the same errors in the same order, and with a
 * limit the same first errors and the same count. On seeded random events built from
 * the facts, on mutations of them and of the fixture corpus, and on a payload schema
 * whose properties are named like Object.prototype's (`constructor`, `__proto__`, ...).
 */
import { prng as random } from '../../prng.js';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAjv } from '../../../generator/core/ajv.js';
import { checkErrorIdioms, limitErrors } from '../../../generator/emit/error-limit.js';
import { PROTO_PLACEHOLDER } from '../../../generator/emit/own-properties.js';
import {
  collectorName,
  compileValidatorModule,
  forValidation,
  validatorName,
} from '../../../generator/emit/validators.js';
import { checkSchema, loadSchema } from '../../../generator/core/load.js';
import { buildModel, type CodegenModel } from '../../../generator/core/model.js';
import { JsonSource } from '../../../generator/core/json-source.js';
import { NORMALIZER_NAMES } from '../../../generator/runtime/normalizers.js';
import { EMBEDDED_SCHEMA_PATH, REPO_ROOT } from '../../helpers.js';
import { kafkaEvent, MUTATIONS } from '../../kafka-arbitraries.js';

type Validator = ((data: unknown) => boolean) & { errors?: unknown };
type Collector = (
  data: unknown,
  maxErrors: number,
) => { valid: boolean; errors: readonly Record<string, unknown>[]; errorCount: number };

async function importCode(code: string): Promise<Record<string, unknown>> {
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`) as Promise<
    Record<string, unknown>
  >;
}

async function modulesOf(model: CodegenModel) {
  const firstError = await importCode(compileValidatorModule(model, 'schema.json', 'first-error'));
  const allErrors = await importCode(compileValidatorModule(model, 'schema.json', 'all-errors'));
  return { firstError, allErrors };
}

/** Ajv compiled at run time from the same schema, reading own properties: the reference. */
function reference(model: CodegenModel, name: string, allErrors: boolean): Validator {
  const ajv = createAjv({ allErrors, ownProperties: true, checkSchemas: false });
  const ownId = typeof model.schema['$id'] === 'string' ? model.schema['$id'] : undefined;
  ajv.addSchema({ ...forValidation(model.schema, ownId), $id: 'urn:msk-codegen:reference' });
  const pointer = model.definitions.find((d) => d.name === name)?.pointer ?? '';
  return ajv.getSchema(`urn:msk-codegen:reference#${pointer}`) as Validator;
}

const withoutSchemaPath = (errors: unknown) =>
  ((errors as Record<string, unknown>[] | null | undefined) ?? []).map(({ schemaPath: _schemaPath, ...rest }) => rest);

const ODD_VALUES: unknown[] = [
  NaN,
  Infinity,
  -1,
  0,
  -0,
  1.5,
  127,
  128,
  -128,
  -129,
  2 ** 31,
  2 ** 53,
  '0',
  '',
  'x',
  null,
  true,
  [],
  [1],
  [-129],
  {},
  { a: [1] },
  { a: [1], b: [2] },
  { a: 'aGk=' },
];

function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(value)) return here.concat(...value.map((v, i) => paths(v, [...prefix, i])));
  if (typeof value === 'object' && value !== null)
    return here.concat(...Object.entries(value).map(([k, v]) => paths(v, [...prefix, k])));
  return here;
}

/** Up to three random changes anywhere in a copy of `value`: odd values, deletions. */
function mutate(value: unknown, next: () => number): unknown {
  const copy = structuredClone(value);
  const all = paths(copy).filter((p) => p.length > 0);
  for (let i = 0, n = 1 + Math.floor(next() * 3); i < n; i++) {
    const target = all[Math.floor(next() * all.length)] ?? [];
    let parent: any = copy;
    for (const segment of target.slice(0, -1)) parent = parent?.[segment];
    if (typeof parent !== 'object' || parent === null) continue;
    const key = target[target.length - 1] as string | number;
    if (next() < 0.15 && !Array.isArray(parent)) delete parent[key];
    else parent[key] = structuredClone(ODD_VALUES[Math.floor(next() * ODD_VALUES.length)]);
  }
  return copy;
}

const corpus = ['documented', 'events/valid', 'events/invalid'].flatMap((dir) => {
  const full = path.join(REPO_ROOT, 'test', 'fixtures', dir);
  return readdirSync(full)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(full, f), 'utf8')) as unknown);
});

/** The reference's errors name the placeholder where the emitted code names `__proto__`. */
function protoRestored(value: unknown): unknown {
  if (typeof value === 'string') return value.split(PROTO_PLACEHOLDER).join('__proto__');
  if (Array.isArray(value)) return value.map(protoRestored);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, protoRestored(v)]));
  return value;
}

/** Each input through the emitted modules and the reference: verdicts, errors, limited errors and counts agree. */
function expectAgreement(
  model: CodegenModel,
  modules: Awaited<ReturnType<typeof modulesOf>>,
  inputs: readonly unknown[],
  name: string,
  asReferenceSees: (v: unknown) => unknown = (v) => v,
) {
  const validate = modules.firstError[validatorName(name)] as Validator;
  const collect = modules.allErrors[collectorName(name)] as Collector;
  const verdictOf = reference(model, name, false);
  const errorsOf = reference(model, name, true);
  let rejected = 0;
  for (const input of inputs) {
    const seen = asReferenceSees(input);
    const valid = verdictOf(seen);
    expect(validate(input)).toBe(valid);
    errorsOf(seen);
    const expected = withoutSchemaPath(errorsOf.errors).map(protoRestored);
    const all = collect(input, Number.POSITIVE_INFINITY);
    expect(all.valid).toBe(valid);
    expect(all.errors).toEqual(expected);
    expect(all.errorCount).toBe(expected.length);
    const limited = collect(input, 2);
    expect(limited.errors).toEqual(expected.slice(0, 2));
    expect(limited.errorCount).toBe(expected.length);
    if (!valid) rejected++;
  }
  return rejected;
}

describe('the emitted validators agree with Ajv compiled at run time', () => {
  it('on 10,000 seeded random events, their single-fact mutations, and mutations of the fixture corpus', async () => {
    const model = buildModel(await loadSchema(EMBEDDED_SCHEMA_PATH), NORMALIZER_NAMES);
    const modules = await modulesOf(model);
    const events = fc.sample(kafkaEvent, { seed: 20261201, numRuns: 4000 }) as unknown[];
    const next = random(8);
    const inputs: unknown[] = [...corpus, ...events];
    events.forEach((event, i) => {
      const broken = structuredClone(event) as Parameters<(typeof MUTATIONS)[number]['apply']>[0];
      if (Object.keys(broken.records).length > 0)
        (MUTATIONS[i % MUTATIONS.length] as (typeof MUTATIONS)[number]).apply(broken);
      inputs.push(broken, mutate(event, next));
    });
    for (let i = 0; inputs.length < 12_000; i++) inputs.push(mutate(corpus[i % corpus.length], next));
    expect(inputs.length).toBeGreaterThanOrEqual(10_000);
    const rejected = expectAgreement(model, modules, inputs, 'KafkaEvent');
    // The error paths are exercised, not only the valid one.
    expect(rejected).toBeGreaterThan(5000);
    expect(rejected).toBeLessThan(inputs.length - 3000);
    // Every other definition too, on a sample.
    for (const definition of model.definitions.filter((d) => d.name !== 'KafkaEvent'))
      expectAgreement(model, modules, inputs.slice(0, 1500), definition.name);
  });

  it('on records keys and batch-item identifiers that stress the hand-written "<topic>-<partition>" check (optimize.ts)', async () => {
    const model = buildModel(await loadSchema(EMBEDDED_SCHEMA_PATH), NORMALIZER_NAMES);
    const modules = await modulesOf(model);
    const keys = [
      'a-1',
      '-1',
      'a-',
      'a--1',
      'a-01',
      'a-1x',
      'a-\u0663',
      'a-1\n', // the list ("a-٣": an Arabic-Indic digit)
      'a\n-1',
      '\n-1',
      'a\r-1',
      'a\u2028-1',
      'a\u2029b-1',
      '\u0085-1',
      'a-1\r',
      'a-\n1', // line terminators before, after, inside
      '',
      '-',
      '--',
      'a',
      '1',
      'a-b',
      'a-1-2',
      'a-b-12',
      'my-topic-eu-west-1-12',
      'a- 1',
      ' -1',
      'a-\uff11', // fullwidth digit
      '\ud800-1',
      'a\udfff-1',
      '\ud83d\ude00-7',
      'a-1\ud800',
      'x'.repeat(300) + '-9', // lone surrogates, an astral symbol, a long key
    ];
    const record = { topic: 't', partition: 0, offset: 1, timestamp: 1, timestampType: 'CREATE_TIME', headers: [] };
    const events = keys.flatMap((key) => [
      { eventSource: 'SelfManagedKafka', records: { [key]: [record] } },
      { eventSource: 'aws:kafka', eventSourceArn: 'arn:aws:kafka:x', records: { 'ok-0': [record], [key]: [record] } },
    ]);
    const rejected = expectAgreement(model, modules, events, 'KafkaEvent');
    expect(rejected).toBeGreaterThan(20);
    expect(rejected).toBeLessThan(events.length - 10);
    const responses = keys.map((key) => ({
      batchItemFailures: [{ itemIdentifier: { 'topic-partition': key, offset: 1 } }],
    }));
    expectAgreement(model, modules, responses, 'KafkaBatchResponse');
    expectAgreement(
      model,
      modules,
      responses.map((r) => r.batchItemFailures[0]),
      'KafkaBatchItemFailure',
    );
  });

  it('on a payload schema with properties named constructor, __proto__, toString and hasOwnProperty', async () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $ref: '#/$defs/Payload',
      $defs: {
        Payload: {
          type: 'object',
          required: ['id'],
          properties: {
            id: { type: 'string' },
            constructor: { type: 'integer' },
            ['__proto__']: { type: 'number' },
            toString: { type: 'string' },
            hasOwnProperty: { type: 'boolean' },
            valueOf: { type: 'array', items: { type: 'integer' } },
          },
        },
      },
    };
    // A computed ['__proto__'] key is an own property (a literal one would set the prototype).
    const model = buildModel(checkSchema(JsonSource.parse('payload.schema.json', JSON.stringify(schema))), []);
    expect(Object.keys((model.schema['$defs'] as any).Payload.properties)).toContain('__proto__');
    const modules = await modulesOf(model);
    const value = fc.oneof(
      fc.constant('x'),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 2 }),
    );
    const names = ['id', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
    // Object.fromEntries makes own properties, "__proto__" included, as JSON.parse does in a Lambda.
    const payload = fc
      .subarray(names)
      .chain((present) => fc.tuple(...present.map((name) => value.map((v) => [name, v] as const))))
      .map((entries) => Object.fromEntries(entries) as unknown);
    const inputs = fc.sample(payload, { seed: 7, numRuns: 3000 });
    inputs.push(
      JSON.parse('{"id":"a"}'),
      JSON.parse('{"id":"a","__proto__":"x"}'),
      JSON.parse('{"id":"a","__proto__":1}'),
      JSON.parse('{"id":"a","constructor":"no"}'),
    );
    // Ajv ignores a "__proto__" property: the reference sees it renamed, as the emitted code is compiled.
    const renamed = (v: unknown) => {
      if (typeof v !== 'object' || v === null || !Object.hasOwn(v, '__proto__')) return v;
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(v))
        copy[key === '__proto__' ? PROTO_PLACEHOLDER : key] = (v as Record<string, unknown>)[key];
      return copy;
    };
    const referenceModel = {
      ...model,
      schema: JSON.parse(
        JSON.stringify(model.schema).split('"__proto__"').join(`"${PROTO_PLACEHOLDER}"`),
      ) as CodegenModel['schema'],
    };
    const rejected = expectAgreement(referenceModel, modules, inputs, 'Payload', renamed);
    expect(rejected).toBeGreaterThan(500);
    const validate = modules.firstError[validatorName('Payload')] as Validator;
    // The two defects: an optional `constructor` no longer fails every value lacking it, and "__proto__" is checked.
    expect(validate(JSON.parse('{"id":"a"}'))).toBe(true);
    expect(validate(JSON.parse('{"id":"a","__proto__":"x"}'))).toBe(false);
    expect(validate(JSON.parse('{"id":"a","__proto__":1.5}'))).toBe(true);
  });
});

describe('error limit', () => {
  it('rewrites every idiom Ajv uses for errors, and refuses code with an idiom it does not know', async () => {
    const model = buildModel(await loadSchema(EMBEDDED_SCHEMA_PATH), NORMALIZER_NAMES);
    const raw = compileValidatorModule(model, 'schema.json', 'all-errors', { optimize: false });
    expect(raw).toContain('errorCount');
    expect(() => checkErrorIdioms('vErrors.splice(0);\n')).toThrow(/unknown idiom "vErrors.splice\(0\);"/);
    // Applied to Ajv's own code (no rewrite yet), every idiom is found.
    const ajv = createAjv({
      standalone: true,
      allErrors: true,
      ownProperties: true,
      checkSchemas: false,
      unevaluated: false,
    });
    ajv.addSchema({
      type: 'object',
      properties: { a: { anyOf: [{ type: 'string' }, { type: 'integer' }] }, n: { $ref: '#' } },
      $id: 'urn:x:y',
    });
    const { default: standalone } = await import('ajv/dist/standalone/index.js');
    const { rewritten } = limitErrors(
      (standalone as unknown as { default: (ajv: unknown, exports: unknown) => string }).default(ajv, { v: 'urn:x:y' }),
    );
    for (const [idiom, count] of Object.entries(rewritten)) expect(count, idiom).toBeGreaterThan(0);
  });
});
