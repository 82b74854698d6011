/** literal: the values generated and scaffolded code writes, as source a person would write, that evaluates back to the value. */
import { describe, expect, it } from 'vitest';
import { literal, stringLiteral } from '../../../generator/emit/literal.js';

describe('literal', () => {
  it.each([
    { value: null, code: 'null' },
    { value: 19.5, code: '19.5' },
    { value: false, code: 'false' },
    { value: 'it\'s "ë"\n', code: "'it\\'s \"ë\"\\n'" },
    { value: [], code: '[]' },
    { value: {}, code: '{}' },
    { value: { id: 'c-7', name: 'Zoë' }, code: "{ id: 'c-7', name: 'Zoë' }" },
    { value: { 'content-type': 'x', $ok: 1, _b: 2, '1a': 3 }, code: "{ 'content-type': 'x', $ok: 1, _b: 2, '1a': 3 }" },
    { value: JSON.parse('{ "__proto__": 1 }') as unknown, code: "{ ['__proto__']: 1 }" }, // an own property, as JSON.parse makes it
    { value: [1, [2, { a: [] }]], code: '[1, [2, { a: [] }]]' },
  ])('$code', ({ value, code }) => {
    const parsed = JSON.parse(JSON.stringify(value)) as unknown; // a JSON value, as the schemas' examples are
    expect(literal(parsed)).toBe(code);
    expect(new Function(`return ${code};`)()).toEqual(parsed);
  });

  it('puts a value that would not fit on one line one entry per line, indented, with trailing commas', () => {
    const order = {
      orderId: 'order-1042',
      customer: { id: 'customer-7', name: 'Zoë Martin' },
      items: [
        { sku: 'SKU-1042', quantity: 2, unitPrice: 19.5 },
        { sku: 'SKU-2001', quantity: 1, unitPrice: 5 },
      ],
    };
    expect(literal(order, '', 'const order: Order = '.length)).toBe(
      "{\n  orderId: 'order-1042',\n  customer: { id: 'customer-7', name: 'Zoë Martin' },\n  items: [\n    { sku: 'SKU-1042', quantity: 2, unitPrice: 19.5 },\n    { sku: 'SKU-2001', quantity: 1, unitPrice: 5 },\n  ],\n}",
    );
  });

  it.each([
    { value: 12n, code: '12n' },
    { value: -(2n ** 63n), code: '-9223372036854775808n' },
    { value: new Uint8Array(0), code: 'new Uint8Array(0)' },
    { value: Uint8Array.from([0, 255, 7]), code: 'new Uint8Array([0, 255, 7])' },
    { value: { case: undefined }, code: '{ case: undefined }' },
    { value: { id: 1n, data: Uint8Array.from([1]) }, code: '{ id: 1n, data: new Uint8Array([1]) }' },
  ])('decoded Avro and Protobuf values: $code', ({ value, code }) => {
    expect(literal(value)).toBe(code);
    expect(new Function(`return ${code};`)()).toEqual(value);
  });

  it('refuses numbers JSON has not', () => {
    expect(() => literal(Number.NaN)).toThrow('not a JSON value: NaN');
    expect(() => literal(Number.POSITIVE_INFINITY)).toThrow('not a JSON value: Infinity');
  });

  const hostile = [
    "'",
    '"',
    '\\',
    "\\'",
    '\\"',
    "\\\\'",
    'a\nb\r\nc\td',
    '*/ /* // ',
    '${process.exit(1)}',
    '`${`',
    '</script><!--',
    'line\u2028separator\u2029paragraph',
    '\u0000\u0001\u001f\u007f',
    '\ud800 lone \udfff surrogates',
    'ë 日本 🙂',
    "'); process.exit(1); ('",
  ];

  it.each(hostile)('writes a string that evaluates back to itself, on one line: %j', (value) => {
    const code = stringLiteral(value);
    expect(code).toMatch(/^'.*'$/s);
    expect(code).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(new Function(`return ${code};`)()).toBe(value);
    expect(literal(value)).toBe(code);
  });

  it('writes hostile strings as keys and in arrays and objects, and evaluates back to the value', () => {
    const value = {
      [hostile[0] as string]: hostile,
      nested: { [hostile[10] as string]: [null, 1.5, -0.25, true, { '': hostile[11] }] },
    };
    const code = literal(value);
    expect(new Function(`return ${code};`)()).toEqual(value);
  });

  it('writes arrays as TypeScript does, not as JSON', () => {
    expect(literal(['records', null, null, 'partition'])).toBe("['records', null, null, 'partition']");
  });
});
