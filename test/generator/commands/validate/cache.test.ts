/**
 * The compiled validators `validate` and `sample` run are kept (generator/validate/compiled.ts):
 * built with the package for the embedded schema (dist/precompiled/), cached per project in
 * node_modules/.cache/msk-codegen/, compiled only when neither has them. A second run uses
 * the cache; a changed schema (event or payload) is compiled again; a corrupt, tampered or
 * misplaced entry is ignored and rewritten; and whatever the origin, the verdicts are the same.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompilerNeeded, precompileInto } from '../../../../generator/commands/validate/compiled.js';
import {
  compileRuntimeValidator,
  withCompiler,
  type RuntimeValidatorOptions,
} from '../../../../generator/commands/validate/validator.js';
import { resolveConfig } from '../../../../generator/index.js';
import { EMBEDDED_SCHEMA_PATH, tempDir } from '../../../helpers.js';
import { ORDER_SCHEMA } from '../../../fixtures/order-payload.js';
import { runCliCaptured } from '../../../run-cli.js';

const ORDER = {
  orderId: 'ORD-1',
  customer: { id: 'c', name: 'n', address: { city: 'Lyon', country: 'FR' } },
  status: 'PAID',
  items: [{ sku: 's', quantity: 0 }],
};
const json64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
const EVENT = {
  eventSource: 'aws:kafka',
  eventSourceArn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/shop/751d2973-a626-431c-9d4e-d7975eb44dd7-2',
  records: {
    'orders-0': [
      {
        topic: 'orders',
        partition: 0,
        offset: 1,
        timestamp: 1700000000000,
        timestampType: 'CREATE_TIME',
        headers: [],
        value: json64(ORDER),
      },
    ],
  },
};
const BROKEN_ENVELOPE = { ...EVENT, eventSource: 'aws:msk' };

/** A project with the Order schema; `minimum` is the bound on an item's quantity (ORDER has quantity 0). */
async function project(minimum = 1): Promise<string> {
  const dir = await tempDir();
  await mkdir(path.join(dir, 'schemas'));
  await writeFile(
    path.join(dir, 'msk-codegen.config.json'),
    JSON.stringify({ topics: { orders: { value: { format: 'json', schema: 'schemas/order.schema.json' } } } }),
  );
  await setMinimum(dir, minimum);
  return dir;
}

async function setMinimum(dir: string, minimum: number): Promise<void> {
  const schema = structuredClone(ORDER_SCHEMA) as typeof ORDER_SCHEMA;
  schema.properties.items.items.properties.quantity.minimum = minimum;
  await writeFile(path.join(dir, 'schemas', 'order.schema.json'), JSON.stringify(schema, null, 2));
}

async function validator(dir: string, cacheDir: string | false, extra: RuntimeValidatorOptions = {}) {
  const config = await resolveConfig({ cwd: dir });
  return compileRuntimeValidator(config.schema, 'event', {
    topics: config.topics,
    unknownTopics: config.unknownTopics,
    configFile: config.configFile,
    cacheDir,
    precompiledDir: false,
    ...extra,
  });
}

/**
 * What a validator says about EVENT (its payload) and about a broken envelope: the answer
 * must not depend on where the modules came from. (A collector no store has needs the
 * compiler: withCompiler loads it and checks again.)
 */
async function verdicts(v: Awaited<ReturnType<typeof validator>>) {
  const payload = await withCompiler(v, () => v.payloads?.check(EVENT, 10));
  const broken = await withCompiler(v, () => v.check(BROKEN_ENVELOPE, { maxIssues: 10 }));
  return { payload: payload?.findings.map((f) => f.message), envelope: broken.issues.map((i) => i.message) };
}

const entries = async (dir: string) =>
  (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();

describe('the cache of compiled validators', () => {
  it('a first run compiles and writes it; a second run uses it, with the same verdicts', async () => {
    const dir = await project();
    const cache = path.join(await tempDir(), 'cache');
    const first = await validator(dir, cache);
    expect(first.origin).toBe('compiled');
    const expected = await verdicts(first);
    expect(expected.payload).toEqual([
      'records/orders-0/0/value/items/0/quantity: expected a number >= 1, received integer 0',
    ]);
    expect(expected.envelope[0]).toContain('/eventSource: expected "aws:kafka" or "SelfManagedKafka"');
    // The first-error module, and the collectors the verdicts needed, compiled on first need.
    expect((await entries(cache)).map((f) => f.replace(/^[0-9a-f]{64}\./, ''))).toEqual([
      'all-errors.json',
      'first-error.json',
    ]);

    const second = await validator(dir, cache);
    expect(second.origin).toBe('cache');
    // Every collector it needs is cached: it never loads the compiler.
    expect(() => second.check(BROKEN_ENVELOPE)).not.toThrow();
    expect(await verdicts(second)).toEqual(expected);
    // --strict's closed collector is a variant of its own, cached beside the others once compiled.
    const strict = await validator(dir, cache, { strict: true });
    expect(strict.origin).toBe('cache');
    // That one is not cached yet: the check says it needs the compiler (never loaded by a run that finds what it needs), then runs again.
    expect(() => strict.check(EVENT)).toThrow(CompilerNeeded);
    expect((await withCompiler(strict, () => strict.check(EVENT))).unknownFields).toEqual([]);
    expect((await entries(cache)).length).toBe(3);
  });

  it('a changed payload schema is compiled again, and its verdicts are the new ones; changing it back finds the first entry', async () => {
    const dir = await project(1);
    const cache = path.join(await tempDir(), 'cache');
    expect((await validator(dir, cache)).origin).toBe('compiled');
    await setMinimum(dir, 0);
    const changed = await validator(dir, cache);
    expect(changed.origin).toBe('compiled');
    expect(changed.payloads?.check(EVENT, 10).findings).toEqual([]);
    await setMinimum(dir, 1);
    const back = await validator(dir, cache);
    expect(back.origin).toBe('cache');
    expect((await withCompiler(back, () => back.payloads?.check(EVENT, 10)))?.errors).toBe(1);
  });

  it('a changed event schema is compiled again (the key covers the event schema too)', async () => {
    const dir = await project();
    const cache = path.join(await tempDir(), 'cache');
    const schema = JSON.parse(await readFile(EMBEDDED_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
    await writeFile(path.join(dir, 'event.schema.json'), JSON.stringify(schema));
    const config = await resolveConfig({ cwd: dir });
    const options = { cacheDir: cache, precompiledDir: false as const };
    expect((await compileRuntimeValidator(path.join(dir, 'event.schema.json'), 'event', options)).origin).toBe(
      'compiled',
    );
    expect((await compileRuntimeValidator(path.join(dir, 'event.schema.json'), 'event', options)).origin).toBe('cache');
    await writeFile(path.join(dir, 'event.schema.json'), JSON.stringify(schema, null, 2));
    expect((await compileRuntimeValidator(path.join(dir, 'event.schema.json'), 'event', options)).origin).toBe(
      'compiled',
    );
    expect(config.topics).toHaveLength(1);
  });

  it.each([
    { name: 'garbage', corrupt: (_text: string) => 'not an entry' },
    { name: 'a truncated file', corrupt: (text: string) => text.slice(0, text.length / 2) },
    {
      name: 'a body changed under its checksum (a validator that accepts everything)',
      corrupt: (text: string) => text.replace(/return errors === 0;/g, 'return true;').replace('"items"', '"itemz"'),
    },
    { name: 'an empty file', corrupt: () => '' },
  ])('a corrupt entry ($name) is ignored, compiled again and rewritten: never a wrong answer', async ({ corrupt }) => {
    const dir = await project();
    const cache = path.join(await tempDir(), 'cache');
    const expected = await verdicts(await validator(dir, cache));
    const files = await entries(cache);
    for (const file of files)
      await writeFile(path.join(cache, file), corrupt(await readFile(path.join(cache, file), 'utf8')));
    const again = await validator(dir, cache);
    expect(again.origin).toBe('compiled');
    expect(await verdicts(again)).toEqual(expected);
    const rewritten = await validator(dir, cache);
    expect(rewritten.origin).toBe('cache');
    expect(await verdicts(rewritten)).toEqual(expected);
  });

  it('an entry under another key (copied over this one) is ignored', async () => {
    const one = await project(1);
    const other = await project(0);
    const cache = path.join(await tempDir(), 'cache');
    await validator(one, cache);
    const [oneEntry] = (await entries(cache)).filter((f) => f.endsWith('.first-error.json'));
    await validator(other, cache);
    const otherEntry = (await entries(cache)).find((f) => f.endsWith('.first-error.json') && f !== oneEntry) as string;
    // The other project's (minimum 0) entry under this project's name: sound, but for other inputs.
    await writeFile(path.join(cache, oneEntry as string), await readFile(path.join(cache, otherEntry)));
    const v = await validator(one, cache);
    expect(v.origin).toBe('compiled');
    expect(v.payloads?.check(EVENT, 10).errors).toBe(1);
  });

  it('modules built into a read-only store (as npm run build does for the embedded schema) are used first', async () => {
    const store = path.join(await tempDir(), 'precompiled');
    await precompileInto(store, { schemaFile: EMBEDDED_SCHEMA_PATH, topics: [], unknownTopics: 'reject' });
    expect((await entries(store)).map((f) => f.replace(/^[0-9a-f]{64}\./, ''))).toEqual([
      'all-errors-closed.json',
      'all-errors.json',
      'first-error.json',
    ]);
    const built = await compileRuntimeValidator(EMBEDDED_SCHEMA_PATH, 'event', {
      cacheDir: false,
      precompiledDir: store,
      strict: true,
    });
    expect(built.origin).toBe('precompiled');
    const compiled = await compileRuntimeValidator(EMBEDDED_SCHEMA_PATH, 'event', {
      cacheDir: false,
      precompiledDir: false,
      strict: true,
    });
    expect(compiled.origin).toBe('compiled');
    const withField = { ...EVENT, records: { 'orders-0': [{ ...EVENT.records['orders-0'][0], extra: 1 }] } };
    for (const value of [EVENT, BROKEN_ENVELOPE, withField]) {
      const [a, b] = [built.check(value, { maxIssues: 10 }), compiled.check(value, { maxIssues: 10 })];
      expect({ ...a, normalized: undefined }).toEqual({ ...b, normalized: undefined });
    }
    // The response kind reads the same modules.
    expect(
      (await compileRuntimeValidator(EMBEDDED_SCHEMA_PATH, 'response', { cacheDir: false, precompiledDir: store }))
        .origin,
    ).toBe('precompiled');
  });

  it('the CLI caches in node_modules/.cache/msk-codegen of the project (and nowhere without node_modules)', async () => {
    const dir = await project();
    await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    await writeFile(path.join(dir, 'e.json'), JSON.stringify(EVENT, null, 2));
    const first = await runCliCaptured(['validate', 'e.json'], { cwd: dir });
    expect(await readdir(dir)).not.toContain('node_modules');
    await mkdir(path.join(dir, 'node_modules'));
    const second = await runCliCaptured(['validate', 'e.json'], { cwd: dir });
    const cache = path.join(dir, 'node_modules', '.cache', 'msk-codegen');
    expect((await entries(cache)).length).toBe(2);
    const third = await runCliCaptured(['validate', 'e.json'], { cwd: dir });
    expect(first.code).toBe(1);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(first.stdout).toContain('payload.minimum');
  });
});
