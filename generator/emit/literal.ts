/**
 * A JSON value as TypeScript source a person would write: single-quoted strings, bare
 * property names where they are identifiers, short objects and arrays on one line, longer
 * ones one entry per line with trailing commas. The one way generated code and scaffolded
 * code write a value: the `literal` helper of every template, the emitters, the typed
 * values scaffolded tests build. Besides JSON, the values decoded Avro and Protobuf
 * payloads hold: bigint (`5n`), Uint8Array (`new Uint8Array([1, 2])`) and undefined.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_LINE = 80;

/**
 * A single-quoted string literal that evaluates to `value`, whatever it holds: JSON's
 * escapes (backslashes, control characters, lone surrogates), `'` escaped instead of `"`,
 * and the line separators U+2028 and U+2029 escaped so the source stays one line.
 */
export function stringLiteral(value: string): string {
  const body = JSON.stringify(value)
    .slice(1, -1)
    .replace(/\\"/g, '"')
    .replace(/'/g, "\\'")
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `'${body}'`;
}

function key(name: string): string {
  // `__proto__: x` in an object literal sets the prototype; a computed key is an own property, as in JSON.
  if (name === '__proto__') return `['__proto__']`;
  return IDENTIFIER.test(name) ? name : stringLiteral(name);
}

/** `value` as source; `indent` is the indentation of the line it starts on, `column` where on that line it starts. */
export function literal(value: unknown, indent = '', column = indent.length): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array)
    return value.length === 0 ? 'new Uint8Array(0)' : `new Uint8Array(${literal([...value], indent, column + 15)})`;
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`not a JSON value: ${value}`);
    return JSON.stringify(value);
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item) => literal(item, inner));
    const flat = `[${items.join(', ')}]`;
    if (!flat.includes('\n') && column + flat.length <= MAX_LINE) return flat;
    return `[\n${items.map((item) => `${inner}${item},\n`).join('')}${indent}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    const items = entries.map(([name, item]) => `${key(name)}: ${literal(item, inner)}`);
    const flat = `{ ${items.join(', ')} }`;
    if (!flat.includes('\n') && column + flat.length <= MAX_LINE) return flat;
    return `{\n${items.map((item) => `${inner}${item},\n`).join('')}${indent}}`;
  }
  throw new TypeError(`not a JSON value: ${typeof value}`);
}
