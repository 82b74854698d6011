/**
 * fast-check arbitraries for Kafka events, built from ../shared/spec/kafka-event-facts.md
 * (not from the schema, so the schema is tested against the facts), and the mutations
 * that each break one fact. Shared by the property and differential tests.
 */
import fc from 'fast-check';

const TOPIC_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-';

/** Kafka topic names: [A-Za-z0-9._-], 1 to 249 characters (mostly short, sometimes with dashes). */
export const topicName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('mytopic', 'orders', 'payment-events', 'a-b-c', 'x.y_z', 'T') },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...TOPIC_CHARS), minLength: 1, maxLength: 249 }) },
);

/** A base64 text of some bytes, as Lambda encodes keys and values. */
export const base64Text = fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64'));

/** Header bytes as Lambda sends them: Java's signed bytes. */
export const signedBytes = fc.array(fc.integer({ min: -128, max: 127 }), { maxLength: 24 });

const header = fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), signedBytes).map(([name, bytes]) => {
  const h: Record<string, number[]> = {};
  // defineProperty: a header may be named "__proto__" and must stay an own property.
  Object.defineProperty(h, name, { value: bytes, enumerable: true, writable: true, configurable: true });
  return h;
});

const uuid = fc.uuid();
const schemaMetadata = fc.record(
  { dataFormat: fc.constantFrom('AVRO', 'JSON', 'PROTOBUF'), schemaId: fc.oneof(fc.nat().map(String), uuid) },
  { requiredKeys: ['dataFormat'] },
);

export interface ArbitraryRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'CREATE_TIME' | 'LOG_APPEND_TIME';
  key?: string | null;
  value?: string | null;
  headers: Record<string, number[]>[];
  [field: string]: unknown;
}

const recordOf = (topic: string, partition: number) =>
  fc
    .record(
      {
        offset: fc.oneof(fc.nat(), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
        timestamp: fc.oneof(fc.integer({ min: 1_500_000_000_000, max: 1_900_000_000_000 }), fc.integer()),
        timestampType: fc.constantFrom('CREATE_TIME', 'LOG_APPEND_TIME'),
        key: fc.option(base64Text, { nil: null }),
        value: fc.option(base64Text, { nil: null }),
        headers: fc.array(header, { maxLength: 4 }),
        keySchemaMetadata: schemaMetadata,
        valueSchemaMetadata: schemaMetadata,
        // AWS has added record fields twice: unknown fields are kept.
        futureField: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: ['offset', 'timestamp', 'timestampType', 'headers'] },
    )
    .map((fields) => ({ topic, partition, ...fields }) as ArbitraryRecord);

const partitionRecords = fc
  .tuple(topicName, fc.integer({ min: 0, max: 2 ** 31 - 1 }))
  .chain(([topic, partition]) =>
    fc.tuple(
      fc.constant(`${topic}-${partition}`),
      fc.array(recordOf(topic, partition), { minLength: 1, maxLength: 4 }),
    ),
  );

const records = fc.array(partitionRecords, { minLength: 0, maxLength: 3 }).map((entries) => {
  const map: Record<string, ArbitraryRecord[]> = {};
  for (const [key, list] of entries) map[key] = list;
  return map;
});

const host = fc.constantFrom('b-1.mycluster.kafka.us-east-1.amazonaws.com', 'broker-2', '10.0.0.1', 'localhost');
const bootstrapServers = fc
  .array(fc.tuple(host, fc.integer({ min: 1, max: 65535 })), { minLength: 1, maxLength: 3 })
  .map((list) => list.map(([h, p]) => `${h}:${p}`).join(','));

const account = fc.stringMatching(/^[0-9]{12}$/);
const region = fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2');
const clusterArn = fc
  .tuple(region, account, fc.constantFrom('demo', 'my-cluster'), uuid, fc.constantFrom('-1', '-s1', '-25'))
  .map(([r, a, name, id, suffix]) => `arn:aws:kafka:${r}:${a}:cluster/${name}/${id}${suffix}`);

/** A valid event: Amazon MSK or self-managed, as Lambda sends it. */
export const kafkaEvent = fc.oneof(
  fc.record(
    { eventSource: fc.constant('aws:kafka'), eventSourceArn: clusterArn, bootstrapServers, records },
    { requiredKeys: ['eventSource', 'eventSourceArn', 'records'] },
  ),
  fc.record(
    { eventSource: fc.constant('SelfManagedKafka'), bootstrapServers, records },
    { requiredKeys: ['eventSource', 'records'] },
  ),
);

/** A valid event with at least one record (so every record-level mutation has a target). */
export const kafkaEventWithRecords = kafkaEvent.filter((event) => Object.keys(event.records).length > 0);

type Event = { eventSource: string; records: Record<string, ArbitraryRecord[]>; [field: string]: unknown };

/** One broken fact: `apply` breaks it in a copy-safe event (the caller passes its own copy). */
export interface Mutation {
  readonly fact: string;
  /** Which checks must reject it: the schema (is*, parse*, validate) or only the encoding checks (helpers, validate). */
  readonly rejectedBy: 'schema' | 'encoding';
  readonly apply: (event: Event) => void;
}

const firstRecord = (event: Event): ArbitraryRecord => Object.values(event.records)[0]?.[0] as ArbitraryRecord;

export const MUTATIONS: readonly Mutation[] = [
  {
    fact: 'eventSource is "aws:kafka", never "aws:msk"',
    rejectedBy: 'schema',
    apply: (e) => void (e.eventSource = 'aws:msk'),
  },
  {
    fact: 'self-managed is "SelfManagedKafka", not "aws:SelfManagedKafka"',
    rejectedBy: 'schema',
    apply: (e) => void (e.eventSource = 'aws:SelfManagedKafka'),
  },
  {
    fact: 'an MSK event has an eventSourceArn',
    rejectedBy: 'schema',
    apply: (e) => void ((e.eventSource = 'aws:kafka'), delete e['eventSourceArn']),
  },
  { fact: 'records is an object', rejectedBy: 'schema', apply: (e) => void (e.records = [] as never) },
  {
    fact: 'a partition array is never empty',
    rejectedBy: 'schema',
    apply: (e) => void (e.records[Object.keys(e.records)[0] as string] = []),
  },
  {
    fact: 'records keys are <topic>-<partition>',
    rejectedBy: 'schema',
    apply: (e) => void (e.records['no-partition-here-x'] = Object.values(e.records)[0] as ArbitraryRecord[]),
  },
  { fact: 'partition is an integer', rejectedBy: 'schema', apply: (e) => void (firstRecord(e).partition = 1.5) },
  { fact: 'partition is >= 0', rejectedBy: 'schema', apply: (e) => void (firstRecord(e).partition = -1) },
  { fact: 'partition is an int32', rejectedBy: 'schema', apply: (e) => void (firstRecord(e).partition = 2 ** 31) },
  { fact: 'offset is an integer', rejectedBy: 'schema', apply: (e) => void (firstRecord(e).offset = 2.5) },
  { fact: 'offset is >= 0', rejectedBy: 'schema', apply: (e) => void (firstRecord(e).offset = -3) },
  {
    fact: 'offset is a number',
    rejectedBy: 'schema',
    apply: (e) => void ((firstRecord(e) as Record<string, unknown>)['offset'] = '15'),
  },
  {
    fact: 'timestamp is an integer',
    rejectedBy: 'schema',
    apply: (e) => void ((firstRecord(e) as Record<string, unknown>)['timestamp'] = '1700000000000'),
  },
  {
    fact: 'timestampType is CREATE_TIME or LOG_APPEND_TIME',
    rejectedBy: 'schema',
    apply: (e) => void ((firstRecord(e) as Record<string, unknown>)['timestampType'] = 'NO_TIMESTAMP_TYPE'),
  },
  {
    fact: 'a record has a topic',
    rejectedBy: 'schema',
    apply: (e) => void delete (firstRecord(e) as Record<string, unknown>)['topic'],
  },
  {
    fact: 'a record has headers',
    rejectedBy: 'schema',
    apply: (e) => void delete (firstRecord(e) as Record<string, unknown>)['headers'],
  },
  {
    fact: 'key is a string, null or absent',
    rejectedBy: 'schema',
    apply: (e) => void ((firstRecord(e) as Record<string, unknown>)['key'] = 42),
  },
  {
    fact: 'value is a string, null or absent',
    rejectedBy: 'schema',
    apply: (e) => void ((firstRecord(e) as Record<string, unknown>)['value'] = { a: 1 }),
  },
  {
    fact: 'header bytes are signed (<= 127)',
    rejectedBy: 'schema',
    apply: (e) => void (firstRecord(e).headers = [{ h: [1, 128] }]),
  },
  {
    fact: 'header bytes are signed (>= -128)',
    rejectedBy: 'schema',
    apply: (e) => void (firstRecord(e).headers = [{ h: [-129] }]),
  },
  {
    fact: 'header bytes are integers',
    rejectedBy: 'schema',
    apply: (e) => void (firstRecord(e).headers = [{ h: [1.5] }]),
  },
  {
    fact: 'a header has exactly one name',
    rejectedBy: 'schema',
    apply: (e) => void (firstRecord(e).headers = [{ a: [1], b: [2] }]),
  },
  { fact: 'a header has a name', rejectedBy: 'schema', apply: (e) => void (firstRecord(e).headers = [{}]) },
  {
    fact: 'dataFormat is AVRO, JSON or PROTOBUF',
    rejectedBy: 'schema',
    apply: (e) => void (firstRecord(e)['valueSchemaMetadata'] = { dataFormat: 'XML' }),
  },
  {
    fact: 'schemaId is numeric or a UUID',
    rejectedBy: 'schema',
    apply: (e) => void (firstRecord(e)['keySchemaMetadata'] = { dataFormat: 'AVRO', schemaId: 'latest' }),
  },
  {
    fact: 'a value is canonical base64',
    rejectedBy: 'encoding',
    apply: (e) => void (firstRecord(e).value = '@@@not base64@@@'),
  },
  {
    fact: 'a key is canonical base64 (padded)',
    rejectedBy: 'encoding',
    apply: (e) => void (firstRecord(e).key = 'QUI'),
  },
];
