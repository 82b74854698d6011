/**
 * Duplicate property names in a JSON document: JSON.parse silently keeps the last one.
 * Finding them needs a parse with positions, which costs several times JSON.parse on a
 * 6 MB event, so validate first compares two cheap counts (the property names in the
 * text, the keys in the parsed value) and parses with positions only when they differ.
 */
import type { JsonSource } from '../../core/json-source.js';

/**
 * The number of property names in `text`, a valid JSON document: every string followed
 * (after white space) by ":". The scan jumps from quote to quote with indexOf, so long
 * strings (base64 values) cost next to nothing.
 */
export function countKeysInText(text: string): number {
  let keys = 0;
  let open = text.indexOf('"');
  while (open >= 0) {
    let close = text.indexOf('"', open + 1);
    while (close > 0 && text.charCodeAt(close - 1) === 0x5c && isEscaped(text, close))
      close = text.indexOf('"', close + 1);
    if (close < 0) break;
    let next = close + 1;
    let c = text.charCodeAt(next);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++next);
    if (c === 0x3a) {
      keys++;
      next++;
    }
    open = text.indexOf('"', next);
  }
  return keys;
}

/** Whether the quote at `at` is escaped: preceded by an odd number of backslashes. */
function isEscaped(text: string, at: number): boolean {
  let backslashes = 0;
  for (let i = at - 1; text.charCodeAt(i) === 0x5c; i--) backslashes++;
  return (backslashes & 1) === 1;
}

/** The number of keys of every object in a parsed JSON value (for-in: the fastest way here, and JSON.parse objects inherit no enumerable keys). */
export function countKeysInValue(value: unknown): number {
  let keys = 0;
  const stack: object[] = typeof value === 'object' && value !== null ? [value] : [];
  while (stack.length > 0) {
    const node = stack.pop() as Record<string, unknown> | unknown[];
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item = node[i];
        if (typeof item === 'object' && item !== null) stack.push(item);
      }
      continue;
    }
    for (const key in node) {
      keys++;
      const item = node[key];
      if (typeof item === 'object' && item !== null) stack.push(item);
    }
  }
  return keys;
}

/** Whether `text` (valid JSON, parsed into `value`) has a property name twice in one object. */
export function mayHaveDuplicateKeys(text: string, value: unknown): boolean {
  return countKeysInText(text) !== countKeysInValue(value);
}

export interface DuplicateKeyFinding {
  readonly severity: 'warning';
  readonly code: 'duplicate-key';
  readonly message: string;
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

/** One warning at each earlier occurrence of a duplicated property name. */
export function duplicateKeyFindings(source: JsonSource): DuplicateKeyFinding[] {
  return source.duplicateKeys().map((d) => ({
    severity: 'warning',
    code: 'duplicate-key',
    message: `${d.pointer}: duplicate key; the last one (line ${d.usedLine}) is the one used`,
    path: d.pointer,
    line: d.line,
    column: d.column,
  }));
}
