/**
 * The cheap duplicate-key screen of validate: the property names counted in the text
 * must equal the keys of the parsed value exactly when no object repeats a name, for
 * any JSON (escaped quotes and backslashes, colons inside strings, any white space).
 */
import { prng as random } from '../../../prng.js';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  countKeysInText,
  countKeysInValue,
  mayHaveDuplicateKeys,
} from '../../../../generator/commands/validate/duplicate-keys.js';
import { REPO_ROOT } from '../../../helpers.js';

describe('countKeysInText', () => {
  it.each([
    ['{}', 0],
    ['[]', 0],
    ['"a string: with a colon"', 0],
    ['{"a":1}', 1],
    ['{ "a" \n\t\r : 1 }', 1],
    ['{"a":1,"a":2}', 2],
    ['{"a":"x:y","b":["c", "d:"]}', 2],
    ['{"a\\"b": "c\\": d"}', 1],
    ['{"a\\\\": "b\\\\", "c": 1}', 2],
    ['{"a": "\\\\\\"", "b": "\\\\\\\\"}', 2],
    ['[{"a":{"b":{"c":[{"d":null}]}}}, "e", {"f": {}}]', 5],
    ['{"": 1, "\\u0022": 2}', 2],
  ])('%s has %i property names', (text, keys) => {
    expect(() => JSON.parse(text) as unknown).not.toThrow();
    expect(countKeysInText(text)).toBe(keys);
  });
});

const PIECES = [
  'a',
  'key',
  '"',
  '\\',
  ':',
  '\\"',
  '":',
  ' ',
  '\n',
  '{',
  '}',
  '[',
  ']',
  ',',
  'ë',
  '__proto__',
  '\u2028',
];

function randomValue(rng: () => number, depth: number): unknown {
  const text = () =>
    Array.from({ length: Math.floor(rng() * 4) }, () => PIECES[Math.floor(rng() * PIECES.length)]).join('');
  const pick = rng();
  if (depth > 3 || pick < 0.3) return [text(), 1.5, null, true][Math.floor(rng() * 4)];
  if (pick < 0.55) return Array.from({ length: Math.floor(rng() * 4) }, () => randomValue(rng, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = Math.floor(rng() * 5); i > 0; i--)
    Object.defineProperty(object, text(), {
      value: randomValue(rng, depth + 1),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  return object;
}

describe('the two counts agree on JSON without duplicate names', () => {
  it('on 2,000 random documents (names and strings full of quotes, backslashes, colons), compact and indented', () => {
    const rng = random(42);
    for (let i = 0; i < 2000; i++) {
      const value = randomValue(rng, 0);
      for (const text of [JSON.stringify(value), JSON.stringify(value, null, i % 2 === 0 ? 2 : '\t')]) {
        expect(countKeysInText(text), text).toBe(countKeysInValue(JSON.parse(text)));
        expect(mayHaveDuplicateKeys(text, JSON.parse(text)), text).toBe(false);
      }
    }
  });

  it('on every event of the fixture corpus', async () => {
    const dirs = ['events/valid', 'events/invalid', 'documented'].map((d) =>
      path.join(REPO_ROOT, 'test', 'fixtures', d),
    );
    let files = 0;
    for (const dir of dirs) {
      for (const name of (await readdir(dir)).filter((f) => f.endsWith('.json'))) {
        const text = await readFile(path.join(dir, name), 'utf8');
        expect(mayHaveDuplicateKeys(text, JSON.parse(text)), name).toBe(false);
        files++;
      }
    }
    expect(files).toBeGreaterThan(20);
  });

  it.each([
    '{"a":1,"a":2}',
    '{"x":{"a":1,"b":2,"a":3}}',
    '[{"a":1},{"b":{"c":1,"c":1}}]',
    '{"__proto__":1,"__proto__":2}',
  ])('and differ when a name repeats: %s', (text) => {
    expect(mayHaveDuplicateKeys(text, JSON.parse(text))).toBe(true);
  });
});
