// Broken (and a few still-valid) copies of a canonical event, to check that the floor and
// the run-time Ajv validator agree with the generated isKafkaEvent before anything is timed.

/** [label, expected validity, mutate(copy)]; each mutation gets its own structuredClone. */
const CASES = [
  ['canonical', true, () => {}],
  [
    'self-managed, no ARN',
    true,
    (e) => {
      e.eventSource = 'SelfManagedKafka';
      delete e.eventSourceArn;
    },
  ],
  [
    'no bootstrapServers',
    true,
    (e) => {
      delete e.bootstrapServers;
    },
  ],
  [
    'tombstone: value null',
    true,
    (e, r) => {
      r.value = null;
    },
  ],
  [
    'no key, no value',
    true,
    (e, r) => {
      delete r.key;
      delete r.value;
    },
  ],
  [
    'empty headers',
    true,
    (e, r) => {
      r.headers = [];
    },
  ],
  [
    'unknown record field',
    true,
    (e, r) => {
      r.futureField = 1;
    },
  ],
  [
    'schema metadata, UUID id',
    true,
    (e, r) => {
      r.valueSchemaMetadata = { dataFormat: 'AVRO', schemaId: '0f8fad5b-d9cb-469f-a165-70867728950e' };
    },
  ],
  [
    'schema metadata, numeric id',
    true,
    (e, r) => {
      r.keySchemaMetadata = { dataFormat: 'JSON', schemaId: '42' };
    },
  ],
  [
    'schema metadata, no id',
    true,
    (e, r) => {
      r.keySchemaMetadata = { dataFormat: 'PROTOBUF' };
    },
  ],
  [
    'LOG_APPEND_TIME',
    true,
    (e, r) => {
      r.timestampType = 'LOG_APPEND_TIME';
    },
  ],
  [
    'MSK Serverless ARN (-s1)',
    true,
    (e) => {
      e.eventSourceArn = e.eventSourceArn.replace(/-1$/, '-s1');
    },
  ],
  [
    'topic with dashes',
    true,
    (e) => {
      e.records['my-topic-name-12'] = e.records[Object.keys(e.records)[0]];
    },
  ],
  ['event is null', false, () => null],
  ['event is an array', false, () => []],
  [
    'eventSource "aws:msk"',
    false,
    (e) => {
      e.eventSource = 'aws:msk';
    },
  ],
  [
    'eventSource "aws:SelfManagedKafka"',
    false,
    (e) => {
      e.eventSource = 'aws:SelfManagedKafka';
    },
  ],
  [
    'eventSource missing',
    false,
    (e) => {
      delete e.eventSource;
    },
  ],
  [
    'MSK without ARN',
    false,
    (e) => {
      delete e.eventSourceArn;
    },
  ],
  // The precise ARN and host:port forms are `validate --strict` checks (x-strict): the default check accepts them.
  [
    'ARN without -N suffix',
    true,
    (e) => {
      e.eventSourceArn = e.eventSourceArn.replace(/-1$/, '');
    },
  ],
  [
    'made-up ARN (13-digit account)',
    true,
    (e) => {
      e.eventSourceArn = e.eventSourceArn.replace(':123456789012:', ':1234567890123:');
    },
  ],
  [
    'ARN of another service',
    false,
    (e) => {
      e.eventSourceArn = e.eventSourceArn.replace(':kafka:', ':sqs:');
    },
  ],
  [
    'bootstrapServers without port',
    true,
    (e) => {
      e.bootstrapServers = 'b-1.example.com';
    },
  ],
  [
    'bootstrapServers with space',
    true,
    (e) => {
      e.bootstrapServers = 'a:1, b:2';
    },
  ],
  [
    'bootstrapServers a number',
    false,
    (e) => {
      e.bootstrapServers = 9092;
    },
  ],
  [
    'records key "a-1\\n"',
    false,
    (e) => {
      e.records['a-1\n'] = e.records[Object.keys(e.records)[0]];
    },
  ],
  [
    'records key "a-01"',
    true,
    (e) => {
      e.records['a-01'] = e.records[Object.keys(e.records)[0]];
    },
  ],
  [
    'records is an array',
    false,
    (e) => {
      e.records = [];
    },
  ],
  [
    'records missing',
    false,
    (e) => {
      delete e.records;
    },
  ],
  [
    'records key without partition',
    false,
    (e) => {
      e.records.mytopic = e.records[Object.keys(e.records)[0]];
    },
  ],
  [
    'records key "-0"',
    false,
    (e) => {
      e.records['-0'] = e.records[Object.keys(e.records)[0]];
    },
  ],
  [
    'empty partition array',
    false,
    (e) => {
      e.records['other-0'] = [];
    },
  ],
  [
    'record is null',
    false,
    (e) => {
      e.records[Object.keys(e.records)[0]].push(null);
    },
  ],
  [
    'partition as string "0" (legacy)',
    false,
    (e, r) => {
      r.partition = String(r.partition);
    },
  ],
  [
    'partition -1',
    false,
    (e, r) => {
      r.partition = -1;
    },
  ],
  [
    'offset 1.5',
    false,
    (e, r) => {
      r.offset = 1.5;
    },
  ],
  [
    'offset missing',
    false,
    (e, r) => {
      delete r.offset;
    },
  ],
  [
    'timestamp as string',
    false,
    (e, r) => {
      r.timestamp = String(r.timestamp);
    },
  ],
  [
    'timestampType NO_TIMESTAMP_TYPE',
    false,
    (e, r) => {
      r.timestampType = 'NO_TIMESTAMP_TYPE';
    },
  ],
  [
    'topic missing',
    false,
    (e, r) => {
      delete r.topic;
    },
  ],
  [
    'key is a number',
    false,
    (e, r) => {
      r.key = 42;
    },
  ],
  [
    'value is an object',
    false,
    (e, r) => {
      r.value = {};
    },
  ],
  [
    'headers missing',
    false,
    (e, r) => {
      delete r.headers;
    },
  ],
  [
    'headers is an object',
    false,
    (e, r) => {
      r.headers = {};
    },
  ],
  [
    'header with two names',
    false,
    (e, r) => {
      r.headers[0].extra = [1];
    },
  ],
  [
    'header with no name',
    false,
    (e, r) => {
      r.headers.push({});
    },
  ],
  [
    'header is an array',
    false,
    (e, r) => {
      r.headers.push([[1]]);
    },
  ],
  [
    'header value base64 string (legacy)',
    false,
    (e, r) => {
      r.headers[0] = { headerKey: 'aGVhZGVyVmFsdWU=' };
    },
  ],
  [
    'header byte 128 (unsigned)',
    false,
    (e, r) => {
      r.headers.push({ h: [195, 171] });
    },
  ],
  [
    'header byte -129',
    false,
    (e, r) => {
      r.headers.push({ h: [-129] });
    },
  ],
  [
    'header byte 1.5',
    false,
    (e, r) => {
      r.headers.push({ h: [1.5] });
    },
  ],
  [
    'header byte as string',
    false,
    (e, r) => {
      r.headers.push({ h: ['1'] });
    },
  ],
  [
    'schema metadata, unknown format',
    false,
    (e, r) => {
      r.keySchemaMetadata = { dataFormat: 'XML' };
    },
  ],
  [
    'schema metadata, no format',
    false,
    (e, r) => {
      r.valueSchemaMetadata = { schemaId: '42' };
    },
  ],
  [
    'schema metadata, bad id',
    false,
    (e, r) => {
      r.valueSchemaMetadata = { dataFormat: 'AVRO', schemaId: 'v1' };
    },
  ],
  [
    'schema metadata is a string',
    false,
    (e, r) => {
      r.valueSchemaMetadata = 'AVRO';
    },
  ],
  // The last record of the last partition, so a check that stops early cannot pass by luck.
  [
    'last record broken',
    false,
    (e) => {
      const lists = Object.values(e.records);
      const l = lists[lists.length - 1];
      l[l.length - 1].timestampType = 'X';
    },
  ],
];

/** The broken copies of `event`: [{ label, expected, value }]. Mutations hit the first record. */
export function brokenCopies(event) {
  return CASES.map(([label, expected, mutate]) => {
    const copy = structuredClone(event);
    const first = copy.records[Object.keys(copy.records)[0]][0];
    const replaced = mutate(copy, first);
    return { label, expected, value: replaced === undefined ? copy : replaced };
  });
}

/**
 * Checks that every named check gives the expected answer on each case; throws on any
 * disagreement (a bench bug, or a schema change the floor has not followed).
 */
export function checkAgreement(checks, cases) {
  const problems = [];
  for (const { label, expected, value } of cases) {
    for (const [name, check] of Object.entries(checks)) {
      const got = check(value);
      if (got !== expected) problems.push(`${name} says ${got} on "${label}" (expected ${expected})`);
    }
  }
  if (problems.length > 0) throw new Error(`validators disagree:\n  ${problems.join('\n  ')}`);
  return cases.length;
}
