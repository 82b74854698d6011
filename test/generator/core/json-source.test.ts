/**
 * JsonSource (generator/core/json-source.ts) refuses JSON nested deeper than MAX_NESTING
 * before anything recursive reads it: a hostile schema, config or .avsc is an error at the
 * bracket that goes too deep, not a stack overflow reported as an internal error.
 */
import { describe, expect, it } from 'vitest';
import { CodegenError } from '../../../generator/core/diagnostics.js';
import { JsonSource, MAX_NESTING } from '../../../generator/core/json-source.js';
import { positionOf } from '../../helpers.js';

const nested = (levels: number, open = '[', close = ']') => `${open.repeat(levels)}${close.repeat(levels)}`;

function failure(text: string, jsonc = false): CodegenError {
  try {
    JsonSource.parse('/x/deep.json', text, { jsonc });
  } catch (error) {
    return error as CodegenError;
  }
  throw new Error('expected an error');
}

describe('nesting depth', () => {
  it.each([
    { name: 'arrays', text: nested(MAX_NESTING + 1) },
    { name: 'objects', text: `${'{"a":'.repeat(MAX_NESTING + 1)}1${'}'.repeat(MAX_NESTING + 1)}` },
    { name: '20,000 levels (which used to overflow the stack)', text: nested(20_000) },
    { name: 'on its third line', text: `{\n  "x": 1,\n  "y": ${nested(MAX_NESTING)}\n}` },
  ])('$name: E_INVALID_JSON at the first bracket too deep', ({ text }) => {
    const error = failure(text);
    expect(error).toBeInstanceOf(CodegenError);
    const [diagnostic] = error.diagnostics;
    expect(diagnostic?.code).toBe('E_INVALID_JSON');
    expect(diagnostic?.message).toBe(
      `expected JSON nested at most ${MAX_NESTING} levels deep: this array or object is deeper`,
    );
    // The (MAX_NESTING + 1)-th opening bracket of the text.
    let count = 0;
    const offset = [...text].findIndex((c) => (c === '[' || c === '{') && ++count === MAX_NESTING + 1);
    const before = text.slice(0, offset).split('\n');
    expect({ line: diagnostic?.line, column: diagnostic?.column }).toEqual({
      line: before.length,
      column: (before.at(-1)?.length ?? 0) + 1,
    });
  });

  it('exactly MAX_NESTING levels parse', () => {
    expect(JsonSource.parse('/x/ok.json', nested(MAX_NESTING)).value).toBeInstanceOf(Array);
  });

  it('brackets inside strings and comments do not count', () => {
    const brackets = '['.repeat(MAX_NESTING + 5);
    const text = `{\n  // ${brackets} "\n  /* ${brackets} */\n  "s": "${brackets}\\"${brackets}"\n}`;
    expect(JsonSource.parse('/x/ok.json', text, { jsonc: true }).value).toEqual({ s: `${brackets}"${brackets}` });
    expect(positionOf(text, '"s"').line).toBe(4);
  });
});
