/**
 * The peephole rules rewrite Ajv's output; these tests make sure each rule still finds
 * what it rewrites (an Ajv upgrade may change its output) and that the optimized
 * validators behave exactly as Ajv's own: same verdicts, same errors, on the fixture
 * corpus and on thousands of mutated events, including values JSON cannot produce.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { banner } from '../../../generator/emit/banner.js';
import { optimizeValidators, peepholeRules } from '../../../generator/emit/optimize.js';
import { emitValidators } from '../../../generator/emit/validators.js';
import { loadSchema } from '../../../generator/load.js';
import { buildModel } from '../../../generator/model.js';
import { EMBEDDED_SCHEMA_PATH, REPO_ROOT, tempDir } from '../../helpers.js';

type Validator = ((data: unknown) => boolean) & { errors?: unknown };

async function validators() {
  const model = buildModel(await loadSchema(EMBEDDED_SCHEMA_PATH), ['base64-to-signed-bytes', 'decimal-string-to-integer']);
  const head = banner({ schemaDisplay: 'schema.json', regenerateCommand: 'test' });
  const plain = emitValidators(model, head, EMBEDDED_SCHEMA_PATH, false).js;
  const optimized = emitValidators(model, head, EMBEDDED_SCHEMA_PATH, true).js;
  const dir = await tempDir();
  await writeFile(path.join(dir, 'plain.mjs'), plain);
  await writeFile(path.join(dir, 'optimized.mjs'), optimized);
  const load = async (name: string) => (await import(pathToFileURL(path.join(dir, name)).href)) as Record<string, Validator>;
  return { plain, optimized, plainModule: await load('plain.mjs'), optimizedModule: await load('optimized.mjs') };
}

/** Ajv's errors less `schemaPath`, which the optimized validators drop on purpose. */
function withoutSchemaPath(errors: unknown): unknown {
  return Array.isArray(errors) ? errors.map(({ schemaPath: _schemaPath, ...rest }: Record<string, unknown>) => rest) : errors;
}

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: unknown[] = [
  NaN, Infinity, -Infinity, 1.5, -0.5, -1, 0, -0, 127, 128, -128, -129, 2 ** 53, 2 ** 31, -(2 ** 31),
  '0', '', 'x', null, true, false, [], [1], [-129], {}, { a: [1] }, { a: [1], b: [2] }, { a: 'aGk=' }, undefined,
];

/** Every path to a value inside `value`. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(value)) return here.concat(...value.map((v, i) => paths(v, [...prefix, i])));
  if (typeof value === 'object' && value !== null) return here.concat(...Object.entries(value).map(([k, v]) => paths(v, [...prefix, k])));
  return here;
}

function mutate(event: unknown, next: () => number): unknown {
  const copy = structuredClone(event);
  const all = paths(copy).filter((p) => p.length > 0);
  const count = 1 + Math.floor(next() * 3);
  for (let i = 0; i < count; i++) {
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

const corpus = (() => {
  const dirs = ['documented', 'events/valid', 'events/invalid'].map((d) => path.join(REPO_ROOT, 'test', 'fixtures', d));
  return dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as unknown));
})();

describe('peephole rules', () => {
  it('each rule still applies to the embedded schema\'s validators', async () => {
    const { plain } = await validators();
    const { applied } = optimizeValidators(plain);
    for (const rule of peepholeRules) expect(applied[rule.name], rule.name).toBeGreaterThan(0);
  });

  it('leave no trace of the idioms they replace', async () => {
    const { optimized } = await validators();
    expect(optimized).not.toContain('isNaN(');
    expect(optimized).not.toMatch(/% 1\)/);
    expect(optimized).not.toMatch(/Object\.keys\((data\d*)\)\.length [<>] \d+\)\{/);
    expect(optimized).not.toContain('schemaPath');
    expect(optimized).not.toContain('if(vErrors === null)');
  });

  it('give the same verdicts and errors as Ajv on the corpus and on 3,000 mutated events', async () => {
    const { plainModule, optimizedModule } = await validators();
    const names = Object.keys(plainModule).filter((n) => n.startsWith('validate'));
    expect(names).toContain('validateKafkaEvent');
    const next = random(20261128);
    const inputs = [...corpus];
    for (let i = 0; i < 3000; i++) inputs.push(mutate(corpus[i % corpus.length], next));
    let rejected = 0;
    for (const input of inputs) {
      for (const name of names) {
        const [plain, optimized] = [plainModule[name] as Validator, optimizedModule[name] as Validator];
        const verdict = optimized(input);
        expect(verdict).toBe(plain(input));
        expect(optimized.errors).toEqual(withoutSchemaPath(plain.errors));
        if (name === 'validateKafkaEvent' && !verdict) rejected++;
      }
    }
    // The mutations must exercise the error paths, not only the valid ones.
    expect(rejected).toBeGreaterThan(1000);
  });
});
