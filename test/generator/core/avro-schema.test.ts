/**
 * Reading `.avsc` files (core/avro-schema.ts): each invalid schema is an E_INVALID_AVSC at the
 * file:line:column (computed here independently with positionOf) and JSON pointer of the
 * problem, saying what was expected; valid schemas become a model with names resolved as the
 * Avro specification says (namespaces, references, recursion) and logical types kept or
 * ignored as it requires.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type AvroRecord,
  type AvroType,
  loadAvroSchema,
  parseAvroSchema,
} from '../../../generator/core/avro-schema.js';
import { CodegenError, DiagnosticCodes, type Diagnostic } from '../../../generator/core/diagnostics.js';
import { positionOf, tempDir } from '../../helpers.js';

const FILE = '/project/schemas/order.avsc';

function diagnosticOf(text: string): Diagnostic {
  try {
    parseAvroSchema(FILE, text);
  } catch (error) {
    expect(error).toBeInstanceOf(CodegenError);
    const diagnostics = (error as CodegenError).diagnostics;
    expect(diagnostics).toHaveLength(1);
    return diagnostics[0] as Diagnostic;
  }
  throw new Error('expected the schema to be rejected');
}

const rec = (fields: string) => `{
  "type": "record",
  "name": "Order",
  "fields": [
${fields}
  ]
}
`;

/** [what, schema text, needle (the text the problem is at), its occurrence, pointer, expected phrase] */
const INVALID: [string, string, string, number, string | undefined, string][] = [
  [
    'not JSON',
    '{\n  "type": "record",\n  "name": "R"\n  "fields": []\n}\n',
    '"fields"',
    1,
    undefined,
    'an Avro schema is JSON',
  ],
  [
    'a number as a schema',
    rec('    { "name": "a", "type": 42 }'),
    '42',
    1,
    '/fields/0/type',
    'expected an Avro schema',
  ],
  [
    'an unknown type name',
    rec('    { "name": "a", "type": "strin" }'),
    '"strin"',
    1,
    '/fields/0/type',
    'unknown type "strin": expected a primitive type or a named type defined before this point',
  ],
  [
    'a reference before its definition',
    rec(
      '    { "name": "a", "type": "Item" },\n    { "name": "b", "type": { "type": "record", "name": "Item", "fields": [] } }',
    ),
    '"Item"',
    1,
    '/fields/0/type',
    'unknown type "Item"',
  ],
  [
    'a record without a name',
    rec('    { "name": "a", "type": { "type": "record", "fields": [] } }'),
    '{ "type": "record"',
    1,
    '/fields/0/type',
    'expected a "name" attribute: a record is a named type',
  ],
  [
    'fields that are not an array',
    '{\n  "type": "record",\n  "name": "R",\n  "fields": {}\n}\n',
    '{}',
    1,
    '/fields',
    'expected a "fields" array in record R',
  ],
  [
    'a repeated field name',
    rec('    { "name": "a", "type": "int" },\n    { "name": "a", "type": "string" }'),
    '"a"',
    2,
    '/fields/1/name',
    'expected a new field name: "a" is already a field of Order',
  ],
  [
    'an invalid field name',
    rec('    { "name": "1a", "type": "int" }'),
    '"1a"',
    1,
    '/fields/0/name',
    'expected a field name such as "userId"',
  ],
  [
    'a field without a type',
    rec('    { "name": "a" }'),
    '{ "name": "a" }',
    1,
    '/fields/0',
    'expected a "type" attribute in field "a"',
  ],
  [
    'a repeated enum symbol',
    rec('    { "name": "s", "type": { "type": "enum", "name": "S", "symbols": ["A", "B", "A"] } }'),
    '"A"',
    2,
    '/fields/0/type/symbols/2',
    'expected each symbol once: "A" is already a symbol',
  ],
  [
    'an enum default that is no symbol',
    rec('    { "name": "s", "type": { "type": "enum", "name": "S", "symbols": ["A"], "default": "Z" } }'),
    '"Z"',
    1,
    '/fields/0/type/default',
    "expected the enum's default to be one of its symbols",
  ],
  [
    'a negative fixed size',
    rec('    { "name": "f", "type": { "type": "fixed", "name": "F", "size": -1 } }'),
    '-1',
    1,
    '/fields/0/type/size',
    'expected a "size": a whole number of bytes (0 or more), found -1',
  ],
  [
    'a union in a union',
    rec('    { "name": "u", "type": ["null", ["int", "string"]] }'),
    '["int"',
    1,
    '/fields/0/type/1',
    'expected a non-union branch',
  ],
  [
    'a type twice in a union',
    rec('    { "name": "u", "type": ["string", "null", "string"] }'),
    '"string"',
    2,
    '/fields/0/type/2',
    'expected each type once in a union: string is also branch 0',
  ],
  ['an empty union', rec('    { "name": "u", "type": [] }'), '[]', 1, '/fields/0/type', 'expected at least one branch'],
  [
    'a named type defined twice',
    rec(
      '    { "name": "a", "type": { "type": "fixed", "name": "F", "size": 1 } },\n    { "name": "b", "type": { "type": "fixed", "name": "F", "size": 2 } }',
    ),
    '"F"',
    2,
    '/fields/1/type/name',
    'expected a new name: F is already defined at /fields/0/type',
  ],
  [
    'two names that become one TypeScript type',
    rec(
      '    { "name": "a", "type": { "type": "fixed", "name": "x.Id", "size": 1 } },\n    { "name": "b", "type": { "type": "fixed", "name": "y.Id", "size": 1 } }',
    ),
    '"y.Id"',
    1,
    '/fields/1/type/name',
    'expected names that give distinct TypeScript types: y.Id and x.Id both become Id',
  ],
  [
    'a name that would shadow a global the decoder uses',
    rec('    { "name": "a", "type": { "type": "record", "name": "Record", "fields": [] } }'),
    '"Record"',
    1,
    '/fields/0/type/name',
    'expected a name other than "Record"',
  ],
  [
    'a primitive type name as a record name',
    rec('    { "name": "a", "type": { "type": "record", "name": "string", "fields": [] } }'),
    '"string"',
    1,
    '/fields/0/type/name',
    'expected a name that is not a primitive type name',
  ],
  [
    'an invalid namespace',
    '{\n  "type": "record",\n  "name": "R",\n  "namespace": "com..x",\n  "fields": []\n}\n',
    '"com..x"',
    1,
    '/namespace',
    'expected a namespace such as "com.example"',
  ],
  [
    'an array without items',
    rec('    { "name": "a", "type": { "type": "array" } }'),
    '{ "type": "array" }',
    1,
    '/fields/0/type',
    'expected an "items" attribute',
  ],
  [
    'a map without values',
    rec('    { "name": "a", "type": { "type": "map", "items": "int" } }'),
    '{ "type": "map"',
    1,
    '/fields/0/type',
    'expected a "values" attribute',
  ],
  [
    'a default of the wrong type',
    rec('    { "name": "a", "type": "int", "default": "7" }'),
    '"7"',
    1,
    '/fields/0/default',
    'expected a default of field "a" that is a 32-bit integer',
  ],
  [
    "a union default that is not its first branch's",
    rec('    { "name": "a", "type": ["null", "string"], "default": "x" }'),
    '"x"',
    1,
    '/fields/0/default',
    "null (a union's default is a value of its first branch)",
  ],
  [
    'a fixed default of the wrong length',
    rec('    { "name": "a", "type": { "type": "fixed", "name": "F", "size": 2 }, "default": "\\u00ff" }'),
    '"\\u00ff"',
    1,
    '/fields/0/default',
    'a string of 2 characters (one per byte)',
  ],
  [
    'an attribute twice in one object',
    rec('    { "name": "a", "type": "int", "name": "b" }'),
    '"name"',
    2,
    '/fields/0/name',
    'expected each attribute once in an object: "name" occurs again on line 5',
  ],
  ['a schema object without type', '{\n  "name": "R"\n}\n', '{', 1, '', 'expected a "type" attribute'],
];

describe('invalid .avsc files', () => {
  it.each(INVALID)('%s', (_, text, needle, occurrence, pointer, phrase) => {
    const d = diagnosticOf(text);
    expect(d.code).toBe(DiagnosticCodes.invalidAvroSchema);
    expect(d.file).toBe(FILE);
    expect(d.message).toContain(phrase);
    expect({ line: d.line, column: d.column }).toEqual(positionOf(text, needle, occurrence));
    expect(d.pointer).toBe(pointer);
  });

  it('an unreadable file is E_UNREADABLE naming it', async () => {
    const file = path.join(await tempDir(), 'missing.avsc');
    await expect(loadAvroSchema(file)).rejects.toMatchObject({
      diagnostics: [{ code: DiagnosticCodes.unreadable, file, message: 'cannot read Avro schema: no such file' }],
    });
  });
});

describe('valid .avsc files', () => {
  it('resolves namespaces and references, and recursion is the very same object', async () => {
    const file = path.join(await tempDir(), 'list.avsc');
    await writeFile(
      file,
      JSON.stringify({
        type: 'record',
        name: 'Cell',
        namespace: 'com.example',
        doc: 'A linked list',
        fields: [
          { name: 'next', type: ['null', 'Cell'] },
          { name: 'tag', type: { type: 'enum', name: 'org.other.Tag', symbols: ['A'] } },
          { name: 'inner', type: { type: 'record', name: 'Inner', fields: [{ name: 't', type: 'org.other.Tag' }] } },
          { name: 'again', type: 'com.example.Inner' },
        ],
      }),
    );
    const model = await loadAvroSchema(file);
    const root = model.root as AvroRecord;
    expect(model.rootTypeName).toBe('Cell');
    expect(root.doc).toBe('A linked list');
    expect(model.named.map((n) => n.fullName)).toEqual(['com.example.Cell', 'org.other.Tag', 'com.example.Inner']);
    const next = root.fields[0]?.type as AvroType & { kind: 'union' };
    expect(next.branches[1]).toBe(root);
    expect(root.fields[3]?.type).toBe(model.named[2]);
    expect((model.named[2] as AvroRecord).fields[0]?.type).toBe(model.named[1]);
  });

  it('keeps logical types that fit their type and ignores the others, as the specification requires', () => {
    const model = parseAvroSchema(
      FILE,
      JSON.stringify({
        type: 'record',
        name: 'L',
        fields: [
          { name: 'a', type: { type: 'bytes', logicalType: 'decimal', precision: 5, scale: 2 } },
          { name: 'b', type: { type: 'bytes', logicalType: 'decimal', precision: 2, scale: 3 } },
          { name: 'c', type: { type: 'string', logicalType: 'date' } },
          { name: 'd', type: { type: 'long', logicalType: 'timestamp-micros' } },
          { name: 'e', type: { type: 'fixed', name: 'D', size: 12, logicalType: 'duration' } },
          { name: 'f', type: { type: 'fixed', name: 'E', size: 11, logicalType: 'duration' } },
          { name: 'g', type: { type: 'fixed', name: 'F', size: 2, logicalType: 'decimal', precision: 5 } },
        ],
      }),
    );
    expect((model.root as AvroRecord).fields.map((f) => ('logical' in f.type ? f.type.logical : undefined))).toEqual([
      { name: 'decimal', precision: 5, scale: 2 },
      undefined,
      undefined,
      { name: 'timestamp-micros' },
      { name: 'duration' },
      undefined,
      // 2 bytes hold at most 32767: 4 digits, not 5.
      undefined,
    ]);
  });

  it("an unnamed root takes its type name from the file name, which must not be a named type's", () => {
    expect(parseAvroSchema('/p/user-ids.avsc', '{"type": "array", "items": "string"}').rootTypeName).toBe('UserIds');
    const text = '{"type": "array", "items": {"type": "record", "name": "Order", "fields": []}}';
    const d = (() => {
      try {
        parseAvroSchema('/p/order.avsc', text);
      } catch (error) {
        return (error as CodegenError).diagnostics[0];
      }
      return undefined;
    })();
    expect(d).toMatchObject({ code: DiagnosticCodes.invalidAvroSchema, pointer: '', line: 1, column: 1 });
    expect(d?.message).toContain("expected a file name other than the type Order's");
  });
});
