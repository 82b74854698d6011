/** codeLiteral: the typed values scaffolded tests build, as source a person would write, that evaluates back to the value. */
import { describe, expect, it } from 'vitest';
import { codeLiteral } from '../../../../generator/commands/scaffold/literal.js';

describe('codeLiteral', () => {
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
    expect(codeLiteral(parsed)).toBe(code);
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
    expect(codeLiteral(order, '', 'const order: Order = '.length)).toBe(
      "{\n  orderId: 'order-1042',\n  customer: { id: 'customer-7', name: 'Zoë Martin' },\n  items: [\n    { sku: 'SKU-1042', quantity: 2, unitPrice: 19.5 },\n    { sku: 'SKU-2001', quantity: 1, unitPrice: 5 },\n  ],\n}",
    );
  });

  it('refuses what JSON has not', () => {
    expect(() => codeLiteral(undefined)).toThrow('not a JSON value: undefined');
  });
});
