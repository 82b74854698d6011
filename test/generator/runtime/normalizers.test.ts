/**
 * The normalizer registry (generator/runtime/normalizers.ts): each entry's id names its file
 * under generator/runtime/normalizers/ and, in camelCase, the function that file exports
 * (emit/runtime-source.ts copies the file by id, and parse.ts calls the function by that
 * name); every file there is registered; the schema names only registered ids.
 */
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { camelCase } from '../../../generator/core/identifiers.js';
import { NORMALIZER_LIST, NORMALIZER_NAMES } from '../../../generator/runtime/normalizers.js';
import { EMBEDDED_SCHEMA_PATH, REPO_ROOT } from '../../helpers.js';

const DIR = path.join(REPO_ROOT, 'generator', 'runtime', 'normalizers');

/** Every `normalize` value under an `x-legacy-forms` anywhere in `node`. */
function normalizersNamed(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(normalizersNamed);
  if (typeof node !== 'object' || node === null) return [];
  const here = Object.entries(node).flatMap(([key, value]) =>
    key === 'x-legacy-forms' && Array.isArray(value)
      ? value.map((entry: { normalize?: unknown }) => String(entry.normalize))
      : [],
  );
  return [...here, ...Object.values(node).flatMap(normalizersNamed)];
}

describe('the normalizer registry', () => {
  it.each(NORMALIZER_LIST.map((n) => [n.id, n] as const))('%s: file, export and function agree', async (id, n) => {
    const module = (await import(path.join(DIR, `${id}.ts`))) as Record<string, unknown>;
    expect(Object.keys(module)).toEqual([camelCase(id)]);
    expect(module[camelCase(id)]).toBe(n.fn);
    expect(n.fn.name).toBe(camelCase(id));
    // The copy in generated code declares it under the same name.
    expect(await readFile(path.join(DIR, `${id}.ts`), 'utf8')).toContain(`export function ${camelCase(id)}(`);
  });

  it('registers every file under normalizers/, each id once', async () => {
    const files = (await readdir(DIR)).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -'.ts'.length));
    expect([...files].sort()).toEqual(NORMALIZER_NAMES);
    expect(new Set(NORMALIZER_NAMES).size).toBe(NORMALIZER_LIST.length);
  });

  it('holds every normalizer the embedded schema names', async () => {
    const named = normalizersNamed(JSON.parse(await readFile(EMBEDDED_SCHEMA_PATH, 'utf8')));
    expect(named.length).toBeGreaterThan(0);
    for (const id of named) expect(NORMALIZER_NAMES).toContain(id);
  });
});
