/**
 * Tests of the generated parse API (generated/) against the fixture corpus (test/fixtures/).
 *
 * The expectations come from /work/shared/spec/kafka-event-facts.md and from reading
 * schema/kafka-event.schema.json, not from the generated code's output:
 *  - documented/*.canonical.json were written by hand;
 *  - the expected issue paths and keywords of the invalid fixtures were derived from the
 *    schema (JSON pointers into the fixture, the keyword of the subschema that fails).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as powertoolsParse, ParseError } from '@aws-lambda-powertools/parser';
import { describe, expect, it } from 'vitest';
import {
  getKafkaBatchResponseIssues,
  getKafkaEventIssues,
  isKafkaBatchResponse,
  isKafkaEvent,
  isMSKEvent,
  isSelfManagedKafkaEvent,
  KafkaEventSchema,
  KafkaEventValidationError,
  parseKafkaEvent,
  safeParseKafkaEvent,
} from '../../generated/index.js';
import type { KafkaEvent, ValidationIssue } from '../../generated/index.js';
import { INVALID } from '../fixtures/invalid-events.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** Reads a fixture as bytes and decodes it as UTF-8 JSON, as a handler would receive it. */
function readJson(...segments: string[]): unknown {
  const bytes: Buffer = readFileSync(join(FIXTURES, ...segments));
  return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
}

function listJson(...segments: string[]): string[] {
  return readdirSync(join(FIXTURES, ...segments))
    .filter((name) => name.endsWith('.json'))
    .sort();
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

/** Plain-object access for assertions on untyped fixtures. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  let node = value;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

function pathsAndKeywords(issues: readonly ValidationIssue[]): [string, string][] {
  return issues.map((issue): [string, string] => [issue.path, issue.keyword]).sort();
}

function failedIssues(value: unknown): readonly ValidationIssue[] {
  const result = safeParseKafkaEvent(value);
  if (result.success) throw new Error('expected safeParseKafkaEvent to fail');
  return result.issues;
}

// ---------------------------------------------------------------------------
// The documented examples (the reference page's two JSON examples)

interface DocumentedCase {
  readonly file: string;
  readonly canonical: string;
  /** The legacy values the page shows, by JSON pointer, with the form parse must name. */
  readonly legacy: readonly { readonly path: string; readonly form: string }[];
}

const DOCUMENTED: readonly DocumentedCase[] = [
  {
    file: 'managed-kafka.json',
    canonical: 'managed-kafka.canonical.json',
    legacy: [{ path: '/records/mytopic-0/0/partition', form: 'partition-as-decimal-string' }],
  },
  {
    file: 'another-managed-kafka.json',
    canonical: 'another-managed-kafka.canonical.json',
    legacy: [{ path: '/records/AWSKafkaTopic-0/0/headers/0/headerKey', form: 'header-value-as-base64-string' }],
  },
];

describe.each(DOCUMENTED)('documented example $file', ({ file, canonical, legacy }) => {
  const raw = () => readJson('documented', file);
  const expected = () => readJson('documented', canonical);

  it('the hand-written canonical form is itself a canonical KafkaEvent, and parse returns it as is', () => {
    const event = expected();
    expect(isKafkaEvent(event)).toBe(true);
    expect(getKafkaEventIssues(event)).toEqual([]);
    expect(parseKafkaEvent(event)).toBe(event);
  });

  it('parseKafkaEvent returns the canonical event', () => {
    expect(parseKafkaEvent(raw())).toStrictEqual(expected());
  });

  it('isKafkaEvent rejects the raw example, and the issues name exactly the legacy paths', () => {
    const event = raw();
    expect(isKafkaEvent(event)).toBe(false);
    const issues = getKafkaEventIssues(event);
    expect(issues.map((issue) => issue.path).sort()).toEqual(legacy.map((l) => l.path).sort());
    for (const issue of issues) expect(issue.keyword).toBe('type');
  });

  it('safeParseKafkaEvent succeeds with one warning per normalized value, naming its form and path', () => {
    const result = safeParseKafkaEvent(raw());
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data).toStrictEqual(expected());
    expect(result.warnings.map(({ path, form }) => ({ path, form }))).toEqual(legacy);
    for (const warning of result.warnings) {
      expect(typeof warning.message).toBe('string');
      expect(warning.message.length).toBeGreaterThan(0);
    }
  });

  it('parse never mutates its (deep-frozen) input and returns a new object', () => {
    const before = raw();
    const snapshot = structuredClone(before);
    const input = deepFreeze(before);
    const result = parseKafkaEvent(input);
    expect(input).toStrictEqual(snapshot);
    expect(result).not.toBe(input);
    expect(result).toStrictEqual(expected());
    // safeParse and the Standard Schema do not mutate either
    safeParseKafkaEvent(input);
    KafkaEventSchema['~standard'].validate(input);
    expect(input).toStrictEqual(snapshot);
  });
});

describe('documented examples: details', () => {
  it('the header "aGVhZGVyVmFsdWU=" becomes the bytes of the ASCII text "headerValue"', () => {
    // h e a d e r V a l u e, from the ASCII table
    const headerValue = [104, 101, 97, 100, 101, 114, 86, 97, 108, 117, 101];
    const result = parseKafkaEvent(readJson('documented', 'another-managed-kafka.json'));
    expect(at(result, 'records', 'AWSKafkaTopic-0', 0, 'headers')).toStrictEqual([{ headerKey: headerValue }]);
    // the same bytes the first example already carries as numbers
    expect(
      at(readJson('documented', 'managed-kafka.json'), 'records', 'mytopic-0', 0, 'headers', 0, 'headerKey'),
    ).toStrictEqual(headerValue);
  });

  it('normalization is copy-on-write: changed path copied, untouched sub-objects shared (first example)', () => {
    const input = deepFreeze(readJson('documented', 'managed-kafka.json'));
    const result = parseKafkaEvent(input);
    expect(result).not.toBe(input);
    expect(at(result, 'records')).not.toBe(at(input, 'records'));
    expect(at(result, 'records', 'mytopic-0')).not.toBe(at(input, 'records', 'mytopic-0'));
    expect(at(result, 'records', 'mytopic-0', 0)).not.toBe(at(input, 'records', 'mytopic-0', 0));
    expect(at(result, 'records', 'mytopic-0', 0, 'partition')).toBe(0);
    expect(at(result, 'records', 'mytopic-0', 0, 'headers')).toBe(at(input, 'records', 'mytopic-0', 0, 'headers'));
    expect(at(result, 'records', 'mytopic-0', 0, 'headers', 0)).toBe(
      at(input, 'records', 'mytopic-0', 0, 'headers', 0),
    );
  });

  it('normalization is copy-on-write (second example): only the header path is copied', () => {
    const input = deepFreeze(readJson('documented', 'another-managed-kafka.json'));
    const result = parseKafkaEvent(input);
    expect(result).not.toBe(input);
    expect(at(result, 'records', 'AWSKafkaTopic-0', 0, 'headers')).not.toBe(
      at(input, 'records', 'AWSKafkaTopic-0', 0, 'headers'),
    );
    expect(at(input, 'records', 'AWSKafkaTopic-0', 0, 'headers', 0, 'headerKey')).toBe('aGVhZGVyVmFsdWU=');
  });

  it('normalization shares untouched partitions and records of a larger event', () => {
    const canonical = readJson('events', 'valid', 'several-topics-and-partitions.json') as Record<string, unknown>;
    const input = structuredClone(canonical);
    const orders0 = at(input, 'records', 'orders-0') as Record<string, unknown>[];
    orders0[1] = { ...orders0[1], partition: '0' };
    deepFreeze(input);
    const result = safeParseKafkaEvent(input);
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data).toStrictEqual(canonical);
    expect(result.warnings.map(({ path, form }) => ({ path, form }))).toEqual([
      { path: '/records/orders-0/1/partition', form: 'partition-as-decimal-string' },
    ]);
    expect(at(result.data, 'records', 'orders-1')).toBe(at(input, 'records', 'orders-1'));
    expect(at(result.data, 'records', 'payments-2')).toBe(at(input, 'records', 'payments-2'));
    expect(at(result.data, 'records', 'orders-0', 0)).toBe(at(input, 'records', 'orders-0', 0));
    expect(at(result.data, 'records', 'orders-0', 1)).not.toBe(at(input, 'records', 'orders-0', 1));
  });

  it('both legacy forms in one event are normalized together', () => {
    const input = structuredClone(readJson('documented', 'another-managed-kafka.json'));
    (at(input, 'records', 'AWSKafkaTopic-0', 0) as Record<string, unknown>)['partition'] = '0';
    deepFreeze(input);
    const result = safeParseKafkaEvent(input);
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data).toStrictEqual(readJson('documented', 'another-managed-kafka.canonical.json'));
    expect(
      result.warnings.map(({ path, form }) => ({ path, form })).sort((a, b) => a.path.localeCompare(b.path)),
    ).toEqual([
      { path: '/records/AWSKafkaTopic-0/0/headers/0/headerKey', form: 'header-value-as-base64-string' },
      { path: '/records/AWSKafkaTopic-0/0/partition', form: 'partition-as-decimal-string' },
    ]);
  });

  it('a legacy-form warning carries the value received, the value normalized to and the description, and its message says them', () => {
    const input = structuredClone(readJson('documented', 'managed-kafka.json'));
    const result = safeParseKafkaEvent(input);
    expect(result.success).toBe(true);
    if (!result.success) return;
    const [warning] = result.warnings;
    expect(warning).toEqual({
      kind: 'legacy-form',
      path: '/records/mytopic-0/0/partition',
      form: 'partition-as-decimal-string',
      from: '0',
      to: 0,
      description: expect.stringContaining('decimal string'),
      message: expect.stringMatching(
        /^\/records\/mytopic-0\/0\/partition: legacy form "partition-as-decimal-string" \(string "0"\) normalized to integer 0\. AWS's original 2020 example/,
      ),
    });
    expect(warning?.kind === 'legacy-form' && warning.message.endsWith(warning.description)).toBe(true);
  });

  it('a legacy form combined with a real defect fails with the real defect only', () => {
    const input = structuredClone(readJson('documented', 'managed-kafka.json'));
    (at(input, 'records', 'mytopic-0', 0) as Record<string, unknown>)['timestamp'] = 'x';
    const result = safeParseKafkaEvent(input);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(pathsAndKeywords(result.issues)).toEqual([['/records/mytopic-0/0/timestamp', 'type']]);
    // the strict check still reports both
    expect(pathsAndKeywords(getKafkaEventIssues(input))).toEqual([
      ['/records/mytopic-0/0/partition', 'type'],
      ['/records/mytopic-0/0/timestamp', 'type'],
    ]);
    expect(() => parseKafkaEvent(input)).toThrow(KafkaEventValidationError);
  });

  it('keeps unknown fields when it normalizes a legacy form', () => {
    const input = structuredClone(readJson('events', 'valid', 'unknown-future-fields.json'));
    (at(input, 'records', 'orders-0', 0) as Record<string, unknown>)['partition'] = '0';
    const result = parseKafkaEvent(deepFreeze(input));
    expect(result).toStrictEqual(readJson('events', 'valid', 'unknown-future-fields.json'));
    expect(at(result, 'futureEnvelopeField')).toBe('kept');
    expect(at(result, 'records', 'orders-0', 0, 'futureRecordField')).toStrictEqual({ leaderEpoch: 7 });
  });
});

// ---------------------------------------------------------------------------
// Legacy forms beyond the declared ones are rejected

interface NotLegacyCase {
  readonly name: string;
  readonly file: string;
  readonly pointer: readonly (string | number)[];
  readonly value: unknown;
  readonly path: string;
}

const NOT_LEGACY: readonly NotLegacyCase[] = [
  {
    name: 'partition "-1"',
    file: 'managed-kafka.json',
    pointer: ['records', 'mytopic-0', 0, 'partition'],
    value: '-1',
    path: '/records/mytopic-0/0/partition',
  },
  {
    name: 'partition "01"',
    file: 'managed-kafka.json',
    pointer: ['records', 'mytopic-0', 0, 'partition'],
    value: '01',
    path: '/records/mytopic-0/0/partition',
  },
  {
    name: 'partition " 0"',
    file: 'managed-kafka.json',
    pointer: ['records', 'mytopic-0', 0, 'partition'],
    value: ' 0',
    path: '/records/mytopic-0/0/partition',
  },
  {
    name: 'partition "" (empty string)',
    file: 'managed-kafka.json',
    pointer: ['records', 'mytopic-0', 0, 'partition'],
    value: '',
    path: '/records/mytopic-0/0/partition',
  },
  {
    name: 'header value "not base64!"',
    file: 'another-managed-kafka.json',
    pointer: ['records', 'AWSKafkaTopic-0', 0, 'headers', 0, 'headerKey'],
    value: 'not base64!',
    path: '/records/AWSKafkaTopic-0/0/headers/0/headerKey',
  },
];

describe.each(NOT_LEGACY)('not a declared legacy form: $name', ({ file, pointer, value, path }) => {
  it('is rejected by isKafkaEvent, safeParseKafkaEvent and parseKafkaEvent, at its path', () => {
    const input = structuredClone(readJson('documented', file));
    const parent = at(input, ...pointer.slice(0, -1)) as Record<string | number, unknown>;
    parent[pointer[pointer.length - 1] as string | number] = value;
    expect(isKafkaEvent(input)).toBe(false);
    const result = safeParseKafkaEvent(input);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(pathsAndKeywords(result.issues)).toEqual([[path, 'type']]);
    expect(result.warnings).toEqual([]);
    expect(() => parseKafkaEvent(input)).toThrow(KafkaEventValidationError);
  });
});

// ---------------------------------------------------------------------------
// Valid fixtures: one canonical event per fact

const VALID = listJson('events', 'valid');

describe('valid fixtures', () => {
  it('cover every fact listed in the brief', () => {
    expect(VALID).toEqual(
      expect.arrayContaining([
        'signed-header-bytes.json',
        'duplicate-header-names.json',
        'empty-headers.json',
        'key-absent.json',
        'key-null.json',
        'tombstone-value-null.json',
        'tombstone-value-absent.json',
        'schema-registry-numeric-schema-id.json',
        'schema-registry-uuid-schema-id.json',
        'schema-registry-no-schema-id.json',
        'self-managed-without-arn.json',
        'several-topics-and-partitions.json',
        'topic-name-with-dashes.json',
        'unknown-future-fields.json',
        'msk-serverless-arn.json',
        'bootstrap-servers-absent.json',
      ]),
    );
  });

  describe.each(VALID)('%s', (file) => {
    it('is a canonical KafkaEvent, and parse returns the very same object, unmutated', () => {
      const event = readJson('events', 'valid', file);
      const snapshot = structuredClone(event);
      deepFreeze(event);
      expect(getKafkaEventIssues(event)).toEqual([]);
      expect(isKafkaEvent(event)).toBe(true);
      expect(parseKafkaEvent(event)).toBe(event);
      const result = safeParseKafkaEvent(event);
      expect(result).toEqual({ success: true, data: event, warnings: [] });
      expect(result.success && result.data).toBe(event);
      expect(event).toStrictEqual(snapshot);
    });

    it('is exactly one of MSKEvent and SelfManagedKafkaEvent, by eventSource', () => {
      const event = readJson('events', 'valid', file);
      const source = at(event, 'eventSource');
      expect(isMSKEvent(event)).toBe(source === 'aws:kafka');
      expect(isSelfManagedKafkaEvent(event)).toBe(source === 'SelfManagedKafka');
      expect(isMSKEvent(event) !== isSelfManagedKafkaEvent(event)).toBe(true);
    });
  });

  it('unknown future fields are kept, on the envelope and on a record', () => {
    const event = parseKafkaEvent(readJson('events', 'valid', 'unknown-future-fields.json'));
    expect(at(event, 'futureEnvelopeField')).toBe('kept');
    expect(at(event, 'records', 'orders-0', 0, 'futureRecordField')).toStrictEqual({ leaderEpoch: 7 });
  });

  it('signed header bytes decode to UTF-8 through Buffer.from ("ë" is [-61, -85])', () => {
    const event = parseKafkaEvent(readJson('events', 'valid', 'signed-header-bytes.json'));
    const headers = at(event, 'records', 'orders-0', 0, 'headers') as Record<string, number[]>[];
    expect(headers[0]).toStrictEqual({ marker: [-61, -85] });
    expect(Buffer.from(headers[0]?.['marker'] ?? []).toString('utf8')).toBe('ë');
    expect(Buffer.from(headers[1]?.['customer-name'] ?? []).toString('utf8')).toBe('Zoë');
  });

  it('duplicate header names are kept, in order', () => {
    const event = parseKafkaEvent(readJson('events', 'valid', 'duplicate-header-names.json'));
    const headers = at(event, 'records', 'orders-0', 0, 'headers') as Record<string, number[]>[];
    expect(headers.map((h) => Object.keys(h)[0])).toEqual(['x-retry', 'traceparent', 'x-retry', 'x-retry']);
    expect(headers.filter((h) => 'x-retry' in h).map((h) => Buffer.from(h['x-retry'] ?? []).toString('utf8'))).toEqual([
      '1',
      '2',
      '3',
    ]);
  });

  it('a topic name containing "-" splits on the last "-" of its records key', () => {
    const event = parseKafkaEvent(readJson('events', 'valid', 'topic-name-with-dashes.json'));
    const key = Object.keys(event.records)[0] ?? '';
    expect(key).toBe('orders-eu-west-1-12');
    const cut = key.lastIndexOf('-');
    expect([key.slice(0, cut), Number(key.slice(cut + 1))]).toEqual(['orders-eu-west-1', 12]);
    expect(at(event, 'records', key, 0, 'topic')).toBe('orders-eu-west-1');
    expect(at(event, 'records', key, 0, 'partition')).toBe(12);
  });

  it('a records key that does not match its records (one SDK keys partition 0 as "mytopic-01") is accepted', () => {
    const event = readJson('events', 'valid', 'records-key-not-matching-records.json');
    expect(isKafkaEvent(event)).toBe(true);
    expect(at(event, 'records', 'mytopic-01', 0, 'partition')).toBe(0);
  });

  it('the fixture values that should be base64 really are base64', () => {
    const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
    for (const file of VALID) {
      const event = readJson('events', 'valid', file) as KafkaEvent;
      for (const records of Object.values(event.records)) {
        for (const record of records) {
          for (const field of [record.key, record.value]) {
            if (typeof field === 'string') expect(field, file).toMatch(base64);
          }
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------
// Invalid fixtures: one defect each, with the issue(s) expected from the schema

describe('invalid fixtures', () => {
  it('every file has an expectation and every expectation a file', () => {
    expect(listJson('events', 'invalid')).toEqual(INVALID.map((c) => c.file).sort());
  });

  describe.each(INVALID)('$file', ({ file, issues }) => {
    it('is rejected by isKafkaEvent and by safeParseKafkaEvent with exactly the expected issues', () => {
      const event = readJson('events', 'invalid', file);
      expect(isKafkaEvent(event)).toBe(false);
      expect(pathsAndKeywords(getKafkaEventIssues(event))).toEqual([...issues].map((i) => [...i]).sort());
      const result = safeParseKafkaEvent(event);
      expect(result.success).toBe(false);
      if (result.success) return;
      expect(pathsAndKeywords(result.issues)).toEqual([...issues].map((i) => [...i]).sort());
      expect(result.warnings).toEqual([]);
    });

    it('makes parseKafkaEvent throw a KafkaEventValidationError with readable issues', () => {
      const event = deepFreeze(readJson('events', 'invalid', file));
      let thrown: unknown;
      try {
        parseKafkaEvent(event);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(KafkaEventValidationError);
      expect(thrown).toBeInstanceOf(Error);
      const error = thrown as KafkaEventValidationError;
      expect(error.issues.length).toBeGreaterThan(0);
      for (const issue of error.issues) {
        for (const field of ['path', 'message', 'expected', 'received', 'keyword'] as const) {
          expect(typeof issue[field], field).toBe('string');
        }
        expect(issue.message.length).toBeGreaterThan(0);
        expect(issue.expected.length).toBeGreaterThan(0);
        expect(issue.received.length).toBeGreaterThan(0);
      }
      expect(pathsAndKeywords(error.issues)).toEqual([...issues].map((i) => [...i]).sort());
    });

    it('is rejected by the Standard Schema with an issue per path', () => {
      const result = KafkaEventSchema['~standard'].validate(readJson('events', 'invalid', file));
      expect(result).not.toBeInstanceOf(Promise);
      if (result instanceof Promise || !result.issues) throw new Error('expected issues');
      expect(result.issues.length).toBe(issues.length);
    });
  });

  it('an issue path includes the record index within its partition', () => {
    const [issue] = failedIssues(readJson('events', 'invalid', 'partition-negative-in-record-3.json'));
    expect(issue?.path).toBe('/records/mytopic-0/3/partition');
    expect(issue?.received).toContain('-1');
  });

  it('a wrong eventSource is reported against the discriminator, naming both accepted values', () => {
    for (const file of ['event-source-aws-msk.json', 'event-source-aws-self-managed-kafka.json']) {
      const [issue] = failedIssues(readJson('events', 'invalid', file));
      expect(issue?.expected).toContain('"aws:kafka"');
      expect(issue?.expected).toContain('"SelfManagedKafka"');
    }
  });

  it('a missing property is received as "missing"', () => {
    const [issue] = failedIssues(readJson('events', 'invalid', 'msk-missing-event-source-arn.json'));
    expect(issue?.received).toBe('missing');
  });
});

// ---------------------------------------------------------------------------
// Discrimination between the two event kinds

describe('isMSKEvent / isSelfManagedKafkaEvent', () => {
  it.each([
    ['documented canonical (MSK)', readJson('documented', 'managed-kafka.canonical.json'), true, false],
    ['MSK Serverless', readJson('events', 'valid', 'msk-serverless-arn.json'), true, false],
    ['self-managed', readJson('events', 'valid', 'self-managed-without-arn.json'), false, true],
    ['eventSource "aws:msk"', readJson('events', 'invalid', 'event-source-aws-msk.json'), false, false],
    [
      'eventSource "aws:SelfManagedKafka"',
      readJson('events', 'invalid', 'event-source-aws-self-managed-kafka.json'),
      false,
      false,
    ],
    ['MSK without ARN', readJson('events', 'invalid', 'msk-missing-event-source-arn.json'), false, false],
  ])('%s', (_name, event, msk, selfManaged) => {
    expect(isMSKEvent(event)).toBe(msk);
    expect(isSelfManagedKafkaEvent(event)).toBe(selfManaged);
  });

  it('a self-managed event relabelled "aws:kafka" is not an MSK event without an ARN', () => {
    const event = {
      ...(readJson('events', 'valid', 'self-managed-without-arn.json') as object),
      eventSource: 'aws:kafka',
    };
    expect(isMSKEvent(event)).toBe(false);
    expect(isKafkaEvent(event)).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// The partial batch response

describe('KafkaBatchResponse', () => {
  it.each([
    ['one failure', { batchItemFailures: [{ itemIdentifier: { 'topic-partition': 'mytopic-0', offset: 15 } }] }],
    [
      'the exact JSON of the facts',
      JSON.parse(
        '{ "batchItemFailures": [ { "itemIdentifier": { "topic-partition": "mytopic-0", "offset": 15 } } ] }',
      ) as unknown,
    ],
    ['an empty list', { batchItemFailures: [] }],
    ['a null list', { batchItemFailures: null }],
    [
      'a topic name containing "-"',
      { batchItemFailures: [{ itemIdentifier: { 'topic-partition': 'orders-eu-west-1-12', offset: 300 } }] },
    ],
  ])('accepts %s', (_name, response) => {
    expect(getKafkaBatchResponseIssues(response)).toEqual([]);
    expect(isKafkaBatchResponse(response)).toBe(true);
  });

  it('accepts no list at all: "an empty valid JSON" is success (kafka-retry-configurations)', () => {
    expect(isKafkaBatchResponse({})).toBe(true);
    expect(getKafkaBatchResponseIssues({})).toEqual([]);
  });

  it.each([
    [
      'a string itemIdentifier (the SQS shape)',
      { batchItemFailures: [{ itemIdentifier: 'mytopic-0' }] },
      '/batchItemFailures/0/itemIdentifier',
      'type',
    ],
    [
      'a missing offset',
      { batchItemFailures: [{ itemIdentifier: { 'topic-partition': 'mytopic-0' } }] },
      '/batchItemFailures/0/itemIdentifier/offset',
      'required',
    ],
  ])('rejects %s', (_name, response, path, keyword) => {
    expect(isKafkaBatchResponse(response)).toBe(false);
    expect(pathsAndKeywords(getKafkaBatchResponseIssues(response))).toEqual([[path, keyword]]);
  });
});

// ---------------------------------------------------------------------------
// Standard Schema, and through it Powertools for AWS Lambda's parser

describe('KafkaEventSchema (Standard Schema v1)', () => {
  it('declares version 1 and a vendor', () => {
    expect(KafkaEventSchema['~standard'].version).toBe(1);
    expect(typeof KafkaEventSchema['~standard'].vendor).toBe('string');
  });

  it('returns { value } for a valid event: the same object when canonical', () => {
    const event = readJson('events', 'valid', 'several-topics-and-partitions.json');
    const result = KafkaEventSchema['~standard'].validate(event);
    expect(result).toEqual({ value: event });
    expect(!(result instanceof Promise) && !result.issues && result.value).toBe(event);
  });

  it('returns { value } with the canonical event for a documented legacy example', () => {
    const result = KafkaEventSchema['~standard'].validate(readJson('documented', 'managed-kafka.json'));
    expect(result).toStrictEqual({ value: readJson('documented', 'managed-kafka.canonical.json') });
  });

  it('returns { issues } whose path is an array, with array indices as numbers', () => {
    const result = KafkaEventSchema['~standard'].validate(
      readJson('events', 'invalid', 'partition-negative-in-record-3.json'),
    );
    if (result instanceof Promise || !result.issues) throw new Error('expected issues');
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]?.path).toStrictEqual(['records', 'mytopic-0', 3, 'partition']);
    expect(typeof result.issues[0]?.message).toBe('string');
  });

  it.each([
    ['header-byte-128.json', ['records', 'orders-0', 0, 'headers', 1, 'flag', 1]],
    ['records-empty-array.json', ['records', 'orders-1']],
    ['msk-missing-event-source-arn.json', ['eventSourceArn']],
    ['records-key-not-topic-partition.json', ['records', 'orders']],
  ])('%s: issue path %j', (file, path) => {
    const result = KafkaEventSchema['~standard'].validate(readJson('events', 'invalid', file));
    if (result instanceof Promise || !result.issues) throw new Error('expected issues');
    expect(result.issues.map((issue) => issue.path)).toStrictEqual([path]);
  });

  it('works through Powertools: parse(event, undefined, KafkaEventSchema) returns the canonical event', () => {
    const canonical = readJson('events', 'valid', 'self-managed-without-arn.json');
    expect(powertoolsParse(canonical, undefined, KafkaEventSchema)).toBe(canonical);
    expect(
      powertoolsParse(readJson('documented', 'another-managed-kafka.json'), undefined, KafkaEventSchema),
    ).toStrictEqual(readJson('documented', 'another-managed-kafka.canonical.json'));
    const safe = powertoolsParse(readJson('documented', 'managed-kafka.json'), undefined, KafkaEventSchema, true);
    expect(safe).toStrictEqual({ success: true, data: readJson('documented', 'managed-kafka.canonical.json') });
  });

  it('works through Powertools: parse throws a ParseError for an invalid event', () => {
    const invalid = readJson('events', 'invalid', 'event-source-aws-msk.json');
    expect(() => powertoolsParse(invalid, undefined, KafkaEventSchema)).toThrow(ParseError);
    const safe = powertoolsParse(invalid, undefined, KafkaEventSchema, true);
    expect(safe.success).toBe(false);
  });
});
