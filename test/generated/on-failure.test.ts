/**
 * The generated on-failure API (generated/on-failure.ts) on the records Lambda sends an
 * on-failure destination: hand-made from the AWS pages' examples (test/fixtures/on-failure/,
 * valid JSON with real Kafka offsets, docs/lambda-kafka-invocation.md section 3), what each page
 * spells differently, and the event read back out of an S3 or Kafka-topic record.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KafkaEventValidationError } from '../../generated/index.js';
import {
  getKafkaOnFailureRecordIssues,
  isKafkaOnFailureRecord,
  type KafkaOnFailureRecord,
  KafkaOnFailureRecordValidationError,
  kafkaEventFromOnFailureRecord,
  parseKafkaOnFailureRecord,
  safeParseKafkaOnFailureRecord,
} from '../../generated/on-failure.js';
import { REPO_ROOT } from '../helpers.js';

const fixture = (name: string): KafkaOnFailureRecord =>
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'on-failure', `${name}.json`), 'utf8'));
const example = (name: string): unknown =>
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'schema', 'examples', `${name}.json`), 'utf8'));

/** A deep copy of `record` changed by `edit`. */
function changed(record: KafkaOnFailureRecord, edit: (r: Record<string, any>) => void): unknown {
  const copy = structuredClone(record) as Record<string, any>;
  edit(copy);
  return copy;
}

const SQS = fixture('sqs-retry-attempts-exhausted');
const S3 = fixture('s3-retry-attempts-exhausted');
const KAFKA_TOPIC = fixture('kafka-topic-retries-exhausted');
const TOO_LARGE = fixture('sqs-maximum-payload-size-exceeded');

describe('parseKafkaOnFailureRecord', () => {
  it.each([
    ['an SQS or SNS record (metadata only, offsets as strings)', SQS],
    ['an S3 record (the event as an escaped JSON string)', S3],
    ['a Kafka-topic record (recordInfo, condition RetriesExhausted, the event as an object)', KAFKA_TOPIC],
    ['a MaximumPayloadSizeExceeded record (responseContext null)', TOO_LARGE],
  ])('accepts %s, returned as is', (_name, record) => {
    expect(isKafkaOnFailureRecord(record)).toBe(true);
    expect(parseKafkaOnFailureRecord(record)).toBe(record);
    expect(getKafkaOnFailureRecordIssues(record)).toEqual([]);
  });

  it.each<[string, (r: Record<string, any>) => void]>([
    // The pages disagree; each spelling is accepted (section 3.3).
    [
      'offsets as integers (as the event writes them)',
      (r) => {
        r.KafkaBatchInfo.recordsInfo['orders-0'].firstRecordOffset = 1042;
      },
    ],
    [
      'the largest int64 offset as a string',
      (r) => {
        r.KafkaBatchInfo.recordsInfo['orders-0'].lastRecordOffset = '9223372036854775807';
      },
    ],
    [
      'a condition no page shows (a maximum record age)',
      (r) => {
        r.requestContext.condition = 'RecordAgeExceeded';
      },
    ],
    [
      'an unqualified and an alias-qualified function ARN',
      (r) => {
        r.requestContext.functionArn = 'arn:aws:lambda:eu-west-1:123456789012:function:process-orders:live';
      },
    ],
    [
      'no eventSourceArn (a self-managed cluster)',
      (r) => {
        delete r.KafkaBatchInfo.eventSourceArn;
      },
    ],
    [
      'a payload object instead of a string',
      (r) => {
        r.payload = example('multi-partition');
      },
    ],
    [
      'fields AWS may add',
      (r) => {
        r.KafkaBatchInfo.somethingNew = true;
      },
    ],
    [
      'a timestamp with an offset instead of Z',
      (r) => {
        r.timestamp = '2024-06-10T08:14:02.311+02:00';
      },
    ],
  ])('accepts %s', (_name, edit) => {
    expect(getKafkaOnFailureRecordIssues(changed(S3, edit))).toEqual([]);
  });

  it.each<[string, (r: Record<string, any>) => void, string]>([
    [
      'neither recordsInfo nor recordInfo',
      (r) => {
        delete r.KafkaBatchInfo.recordsInfo;
      },
      '/KafkaBatchInfo/recordsInfo: expected a value (required), received missing',
    ],
    [
      "the pages' 56-digit example offset (a Kinesis sequence number)",
      (r) => {
        r.KafkaBatchInfo.recordsInfo['orders-0'].firstRecordOffset =
          '49601189658422359378836298521827638475320189012309704722';
      },
      '/KafkaBatchInfo/recordsInfo/orders-0/firstRecordOffset: expected a string matching ^(0|[1-9][0-9]{0,18})$, received string "4960118965842235937883629852182763847532…"',
    ],
    [
      'a negative offset',
      (r) => {
        r.KafkaBatchInfo.recordsInfo['orders-0'].firstRecordOffset = -1;
      },
      '/KafkaBatchInfo/recordsInfo/orders-0/firstRecordOffset: expected a number >= 0, received integer -1',
    ],
    [
      'a records key without its partition',
      (r) => {
        r.KafkaBatchInfo.recordsInfo.orders = r.KafkaBatchInfo.recordsInfo['orders-0'];
      },
      '/KafkaBatchInfo/recordsInfo/orders: expected a property name matching ^.+-[0-9]+$, received "orders"',
    ],
    [
      'a condition that is not a string',
      (r) => {
        r.requestContext.condition = 5;
      },
      '/requestContext/condition: expected string, received integer 5',
    ],
    [
      'a timestamp as epoch milliseconds',
      (r) => {
        r.KafkaBatchInfo.recordsInfo['orders-1'].lastRecordTimestamp = 1718000000877;
      },
      '/KafkaBatchInfo/recordsInfo/orders-1/lastRecordTimestamp: expected string, received integer 1718000000877',
    ],
    [
      'responseContext missing (it is null, not absent, for an oversized batch)',
      (r) => {
        delete r.responseContext;
      },
      '/responseContext: expected a value (required), received missing',
    ],
    [
      'an ARN of another service',
      (r) => {
        r.requestContext.functionArn = 'arn:aws:sqs:eu-west-1:123456789012:dlq';
      },
      '/requestContext/functionArn: expected a string matching ^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$, received string "arn:aws:sqs:eu-west-1:123456789012:dlq"',
    ],
    [
      'a payload that is a number',
      (r) => {
        r.payload = 5;
      },
      '/payload: expected string or object, received integer 5',
    ],
  ])('rejects %s', (_name, edit, message) => {
    const record = changed(S3, edit);
    expect(isKafkaOnFailureRecord(record)).toBe(false);
    expect(getKafkaOnFailureRecordIssues(record).map((i) => i.message)).toContain(message);
    const result = safeParseKafkaOnFailureRecord(record);
    expect(result.success).toBe(false);
    expect(() => parseKafkaOnFailureRecord(record)).toThrow(KafkaOnFailureRecordValidationError);
  });

  it('never throws from the safe functions, whatever it is given', () => {
    for (const value of [null, undefined, 1, 'x', [], { KafkaBatchInfo: null }, Object.create({ version: '1.0' })]) {
      expect(isKafkaOnFailureRecord(value)).toBe(false);
      expect(safeParseKafkaOnFailureRecord(value).success).toBe(false);
      expect(getKafkaOnFailureRecordIssues(value).length).toBeGreaterThan(0);
    }
  });
});

describe('kafkaEventFromOnFailureRecord', () => {
  it("reads an S3 record's event from its escaped JSON string: the multi-partition example", () => {
    const event = kafkaEventFromOnFailureRecord(parseKafkaOnFailureRecord(S3));
    expect(event).toEqual(example('multi-partition'));
    expect(Object.keys(event.records)).toEqual(['orders-0', 'orders-1', 'payments-2']);
  });

  it("reads a Kafka-topic record's event from its object: the one failed record, offset 100", () => {
    const event = kafkaEventFromOnFailureRecord(parseKafkaOnFailureRecord(KAFKA_TOPIC));
    expect(event.records['my-topic-0']?.map((r) => [r.topic, r.partition, r.offset, r.value])).toEqual([
      ['my-topic', 0, 100, 'dGVzdC12YWx1ZQ=='],
    ]);
  });

  it('normalizes a legacy form in the event, as parseKafkaEvent does (partition "0" in the documented example)', () => {
    const record = changed(S3, (r) => {
      r.payload = JSON.stringify(example('managed-kafka'));
    }) as KafkaOnFailureRecord;
    expect(kafkaEventFromOnFailureRecord(record).records['mytopic-0']?.[0]?.partition).toBe(0);
  });

  it('refuses an SQS or SNS record, which carries no event, saying where to find the records', () => {
    try {
      kafkaEventFromOnFailureRecord(SQS);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(KafkaOnFailureRecordValidationError);
      const issue = (error as KafkaOnFailureRecordValidationError).issues[0];
      expect(issue).toMatchObject({ path: '/payload', keyword: 'required', received: 'missing' });
      expect(issue?.message).toBe(
        "/payload: expected the discarded invocation's event, received missing (SQS and SNS destinations carry none: find the records by the offsets in KafkaBatchInfo.recordsInfo)",
      );
    }
  });

  it("refuses a payload string that is not JSON, with JSON.parse's reason", () => {
    const record = changed(S3, (r) => {
      r.payload = '{"eventSource":';
    }) as KafkaOnFailureRecord;
    expect(() => kafkaEventFromOnFailureRecord(record)).toThrow(
      /^Invalid KafkaOnFailureRecord \(1 issue\): \/payload: expected the event as JSON text, received a string that is not JSON \(/,
    );
  });

  it('refuses an event that is not valid with KafkaEventValidationError, its issues inside the event', () => {
    const event = example('multi-partition') as { records: Record<string, { offset: unknown }[]> };
    (event.records['orders-1'] as { offset: unknown }[])[0] = { ...event.records['orders-1']?.[0], offset: 'x' };
    const record = changed(S3, (r) => {
      r.payload = JSON.stringify(event);
    }) as KafkaOnFailureRecord;
    try {
      kafkaEventFromOnFailureRecord(record);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(KafkaEventValidationError);
      expect((error as KafkaEventValidationError).issues.map((i) => i.path)).toEqual(['/records/orders-1/0/offset']);
    }
  });
});
