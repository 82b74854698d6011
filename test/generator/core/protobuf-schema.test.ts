/**
 * Loading `.proto` files: what msk-codegen cannot use is E_INVALID_PROTO at file:line:column (the
 * column found by us: protobufjs gives a line at most), and message indexes follow Confluent's
 * (declaration path) and Glue's (all messages, map entries included, sorted by full name) rules.
 */
import { describe, expect, it } from 'vitest';
import { CodegenError, DiagnosticCodes } from '../../../generator/core/diagnostics.js';
import { loadProtobufSchema, messageIndexes } from '../../../generator/core/protobuf-schema.js';
import { emitProtobufCodec } from '../../../generator/emit/protobuf.js';
import { positionOf } from '../../helpers.js';

const FILE = '/project/schemas/shop.proto';

function errorOf(run: () => unknown): CodegenError {
  try {
    run();
  } catch (error) {
    if (error instanceof CodegenError) return error;
    throw error;
  }
  throw new Error('expected a CodegenError');
}

describe('loadProtobufSchema', () => {
  it.each([
    [
      'a missing semicolon',
      'syntax = "proto3";\nmessage A {\n  int32 x = 1\n  string y = 2;\n}\n',
      'string y',
      "illegal token 'string', ';' expected",
    ],
    [
      'an unknown type',
      'syntax = "proto3";\n// Foo is not declared\nmessage A {\n  int32 x = 1;\n  Foo y = 2;\n}\n',
      'Foo y',
      "expected a message or enum type: no such Type or Enum 'Foo'",
    ],
    [
      'a group',
      'syntax = "proto2";\nmessage A {\n  optional group G = 1 {\n    optional int32 a = 1;\n  }\n}\n',
      'group',
      'expected no groups',
    ],
    [
      'an import of another file',
      'syntax = "proto3";\nimport "google/protobuf/timestamp.proto";\nimport "shop/other.proto";\nmessage A {}\n',
      '"shop/other.proto"',
      'expected no imports but google/protobuf/timestamp.proto',
    ],
    [
      'a proto3 enum whose first value is not 0',
      'syntax = "proto3";\nmessage A {\n  E e = 1;\n}\n  enum E {\n  ONE = 1;\n}\n',
      'enum E',
      'expected the first value of proto3 enum E to be 0',
    ],
    [
      'an extension',
      'syntax = "proto2";\nmessage A {\n  extensions 10 to 20;\n}\nextend A {\n  optional int32 b = 10;\n}\n',
      'extend',
      'expected no `extend`',
    ],
    [
      'a float map key',
      'syntax = "proto3";\nmessage A {\n  map<float, string> m = 1;\n}\n',
      'float',
      "illegal type 'float'",
    ],
    [
      'an unclosed message',
      'syntax = "proto3";\nmessage A {\n  int32 x = 1;\n',
      null,
      'it ends early (expected a `}` or `;`)',
    ],
  ])('reports %s at file:line:column with what was expected', (_, text, needle, phrase) => {
    const error = errorOf(() => loadProtobufSchema(FILE, text));
    expect(error.diagnostics).toHaveLength(1);
    const d = error.diagnostics[0];
    expect(d?.code).toBe(DiagnosticCodes.invalidProtoSchema);
    expect(d?.file).toBe(FILE);
    if (needle !== null) expect({ line: d?.line, column: d?.column }).toEqual(positionOf(text, needle));
    else expect({ line: d?.line, column: d?.column }).toEqual({ line: text.split('\n').length, column: 1 }); // the end
    expect(d?.message).toContain(phrase);
  });

  it('names the message that does not exist, and the ones that do', () => {
    const model = loadProtobufSchema(FILE, 'syntax = "proto3";\npackage shop.v1;\nmessage Order {}\nmessage Item {}\n');
    const error = errorOf(() => emitProtobufCodec(model, 'shop.v1.Ordr', { longs: 'number' }));
    expect(error.diagnostics[0]?.code).toBe(DiagnosticCodes.invalidProtoSchema);
    expect(error.diagnostics[0]?.file).toBe(FILE);
    expect(error.diagnostics[0]?.message).toBe(
      'expected a message the file declares (shop.v1.Order, shop.v1.Item): found "shop.v1.Ordr"',
    );
    expect(emitProtobufCodec(model, 'Order', { longs: 'number' }).typeName).toBe('Order');
  });

  it('refuses two messages that would get the same TypeScript name', () => {
    const model = loadProtobufSchema(
      FILE,
      'syntax = "proto3";\nmessage A { message B {} B b = 1; A_B c = 2; }\nmessage A_B {}\n',
    );
    expect(errorOf(() => emitProtobufCodec(model, 'A', { longs: 'number' })).diagnostics[0]?.message).toContain(
      'two are named A_B',
    );
  });

  it.each(['Record', 'Uint8Array', 'class', 'any'])(
    'refuses a message named %s (it cannot name a TypeScript type here)',
    (name) => {
      const model = loadProtobufSchema(
        FILE,
        `syntax = "proto3";\nmessage Top { ${name} x = 1; }\nmessage ${name} {}\n`,
      );
      expect(errorOf(() => emitProtobufCodec(model, 'Top', { longs: 'number' })).diagnostics[0]?.message).toContain(
        `${name} is reserved or names a global the decoder uses`,
      );
    },
  );

  it('keeps docs, proto3 optional as presence, oneofs, and ignores declarations inside comments and strings', () => {
    const model = loadProtobufSchema(
      FILE,
      [
        'syntax = "proto3";',
        '// message Fake { }',
        '/* message AlsoFake { } */',
        '/** An order. */',
        'message Order {',
        '  option deprecated = false;',
        '  // Its id.',
        '  string id = 1;',
        '  optional int32 qty = 2;',
        '  oneof pay { string card = 3; string cash = 4; }',
        '  string note = 5 [json_name = "message X {"];',
        '}',
      ].join('\n'),
    );
    expect(model.topLevel).toEqual(['Order']);
    const order = model.messages.get('Order');
    expect(order?.doc).toBe('An order.');
    expect(order?.fields.map((f) => [f.name, f.label, f.oneof, f.doc])).toEqual([
      ['id', 'singular', undefined, 'Its id.'],
      ['qty', 'optional', undefined, undefined],
      ['card', 'optional', 'pay', undefined],
      ['cash', 'optional', 'pay', undefined],
      ['note', 'singular', undefined, undefined],
    ]);
    expect(order?.oneofs.map((o) => o.name)).toEqual(['pay']);
    expect(order?.nested).toEqual([]);
  });
});

describe('messageIndexes', () => {
  it('gives complex.proto (Powertools) UserProfile Confluent [1] and Glue 1, Address [0] and 0', () => {
    const model = loadProtobufSchema(
      FILE,
      'syntax = "proto3";\npackage com.example.protobuf;\nmessage Address { string street = 1; }\nmessage UserProfile {\n  map<string, string> preferences = 9;\n  Address address = 10;\n}\n',
    );
    expect(messageIndexes(model, 'com.example.protobuf.UserProfile')).toEqual({ confluent: [1], glue: 1 });
    expect(messageIndexes(model, 'Address')).toEqual({ confluent: [0], glue: 0 });
  });

  it("follows Glue's javadoc example (B, B.C, B.A, B.A.D -> B=0, B.A=1, B.A.D=2, B.C=3) and Confluent's paths", () => {
    const model = loadProtobufSchema(
      FILE,
      'syntax = "proto3";\nmessage B {\n  message C {}\n  message A {\n    message D {}\n  }\n}\n',
    );
    expect(['B', 'B.A', 'B.A.D', 'B.C'].map((m) => messageIndexes(model, m).glue)).toEqual([0, 1, 2, 3]);
    expect(['B', 'B.C', 'B.A', 'B.A.D'].map((m) => messageIndexes(model, m).confluent)).toEqual([
      [0],
      [0, 0],
      [0, 1],
      [0, 1, 0],
    ]);
  });

  it('counts map-entry messages where protoc puts them: at the map field, among the nested messages', () => {
    const model = loadProtobufSchema(
      FILE,
      [
        'syntax = "proto3";',
        'package p;',
        'enum Top { T = 0; }',
        'message M {',
        '  message X {}',
        '  enum Inner { I = 0; }',
        '  map<string, X> tags_by_name = 1;',
        '  message Y {}',
        '}',
        'message N {}',
      ].join('\n'),
    );
    // Nested of M: X (0), TagsByNameEntry (1), Y (2). All sorted: p.M, p.M.TagsByNameEntry, p.M.X, p.M.Y, p.N.
    expect(messageIndexes(model, 'p.M.Y')).toEqual({ confluent: [0, 2], glue: 3 });
    expect(messageIndexes(model, 'p.M.X')).toEqual({ confluent: [0, 0], glue: 2 });
    expect(messageIndexes(model, 'p.N')).toEqual({ confluent: [1], glue: 4 });
    expect(model.messages.get('p.M.TagsByNameEntry')?.mapEntry).toBe(true);
  });

  it('uses UTF-16 code-unit order for Glue (upper case before lower case), not locale order', () => {
    const model = loadProtobufSchema(FILE, 'syntax = "proto3";\nmessage b {}\nmessage C {}\nmessage a {}\n');
    expect(['C', 'a', 'b'].map((m) => messageIndexes(model, m).glue)).toEqual([0, 1, 2]);
    expect(['b', 'C', 'a'].map((m) => messageIndexes(model, m).confluent)).toEqual([[0], [1], [2]]);
  });
});
