/**
 * The Avro schemas, one per construct the generated decoders support, that the decoder tests
 * (avro.test.ts) and the test encoder's (test/generator/runtime/avro-writer.test.ts) share.
 */

export const record = (name: string, fields: [string, unknown][], extra: Record<string, unknown> = {}) => ({
  type: 'record',
  name,
  ...extra,
  fields: fields.map(([n, type]) => ({ name: n, type })),
});

/** One schema per construct the issue lists; values come from randomAvroValue over avsc's parse of it. */
export const CONSTRUCTS: Record<string, unknown> = {
  primitives: record('Primitives', [
    ['n', 'null'],
    ['b', 'boolean'],
    ['i', 'int'],
    ['l', 'long'],
    ['f', 'float'],
    ['d', 'double'],
    ['by', 'bytes'],
    ['s', 'string'],
  ]),
  logical: record('Logical', [
    ['date', { type: 'int', logicalType: 'date' }],
    ['timeMillis', { type: 'int', logicalType: 'time-millis' }],
    ['timeMicros', { type: 'long', logicalType: 'time-micros' }],
    ['tsMillis', { type: 'long', logicalType: 'timestamp-millis' }],
    ['tsMicros', { type: 'long', logicalType: 'timestamp-micros' }],
    ['tsNanos', { type: 'long', logicalType: 'timestamp-nanos' }],
    ['localMillis', { type: 'long', logicalType: 'local-timestamp-millis' }],
    ['localMicros', { type: 'long', logicalType: 'local-timestamp-micros' }],
    ['localNanos', { type: 'long', logicalType: 'local-timestamp-nanos' }],
    ['id', { type: 'string', logicalType: 'uuid' }],
    ['unknownLogical', { type: 'string', logicalType: 'not-a-logical-type' }],
  ]),
  nested: record(
    'Order',
    [
      ['id', 'string'],
      [
        'customer',
        record('Customer', [
          ['name', 'string'],
          [
            'address',
            record('Address', [
              ['city', 'string'],
              ['zip', ['null', 'string']],
            ]),
          ],
        ]),
      ],
      [
        'items',
        {
          type: 'array',
          items: record('Item', [
            ['sku', 'string'],
            ['qty', 'int'],
          ]),
        },
      ],
      ['matrix', { type: 'array', items: { type: 'array', items: 'double' } }],
      ['byCity', { type: 'map', values: { type: 'array', items: 'Address' } }],
      ['listOfMaps', { type: 'array', items: { type: 'map', values: 'long' } }],
      ['nothing', { type: 'array', items: 'null' }],
      ['empty', { type: 'array', items: record('Empty', []) }],
    ],
    { namespace: 'shop.v1', doc: 'An order' },
  ),
  unions: record('Unions', [
    ['nullFirst', ['null', 'string']],
    ['nullLast', ['string', 'null']],
    ['numbers', ['int', 'long', 'float', 'double']],
    [
      'many',
      [
        'null',
        'boolean',
        'bytes',
        record('Point', [
          ['x', 'int'],
          ['y', 'int'],
        ]),
        { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN'] },
        { type: 'array', items: ['null', 'Point'] },
        { type: 'map', values: 'Color' },
        { type: 'fixed', name: 'Hash', size: 4 },
      ],
    ],
    ['one', ['int']],
  ]),
  enums: record('Enums', [
    ['suit', { type: 'enum', name: 'Suit', symbols: ['SPADES', 'HEARTS', 'DIAMONDS', 'CLUBS'], doc: 'A card suit' }],
    ['single', { type: 'enum', name: 'Single', symbols: ['ONLY'] }],
    ['suits', { type: 'array', items: 'Suit' }],
  ]),
  recursion: record('Node', [
    ['value', 'int'],
    ['next', ['null', 'Node']],
    ['children', { type: 'array', items: 'Node' }],
  ]),
  defaults: {
    type: 'record',
    name: 'WithDefaults',
    fields: [
      { name: 'a', type: 'int', default: 7 },
      { name: 'b', type: ['null', 'string'], default: null },
      { name: 'c', type: { type: 'array', items: 'string' }, default: ['x'] },
      { name: 'd', type: { type: 'enum', name: 'Level', symbols: ['LOW', 'HIGH'] }, default: 'LOW' },
      { name: 'e', type: { type: 'fixed', name: 'Two', size: 2 }, default: '\u00ff\u0000' },
    ],
  },
  namespaces: {
    type: 'record',
    name: 'com.example.Outer',
    fields: [
      { name: 'inner', type: { type: 'record', name: 'Inner', fields: [{ name: 'v', type: 'int' }] } },
      { name: 'again', type: 'com.example.Inner' },
      {
        name: 'other',
        type: {
          type: 'record',
          name: 'Other',
          namespace: 'org.other',
          fields: [{ name: 'w', type: ['null', 'Other'] }],
        },
      },
      { name: 'proto', type: { type: 'map', values: 'Inner' } },
      { name: '__proto__', type: 'string' },
    ],
  },
  fixed: record('Fixed', [
    ['md5', { type: 'fixed', name: 'Md5', size: 16 }],
    ['zero', { type: 'fixed', name: 'Zero', size: 0 }],
  ]),
  primitiveRoot: { type: 'map', values: ['null', 'long'] },
  /** Field names that are reserved words or the decoder's own names, with complex types (read into locals). */
  awkwardNames: {
    type: 'record',
    name: 'Awkward',
    doc: 'A doc with */ in it',
    fields: [
      { name: 'class', type: { type: 'array', items: 'int' }, doc: 'ends */ early' },
      { name: 'r', type: ['null', 'string', 'int'] },
      { name: 'value', type: { type: 'map', values: 'string' } },
      { name: 'avroInt', type: 'string' },
      { name: 'readAwkward', type: 'int' },
      { name: 'n1', type: 'int' },
      { name: 'Object', type: { type: 'map', values: 'int' } },
      { name: 'undefined', type: 'boolean' },
    ],
  },
};
