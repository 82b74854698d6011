/**
 * Type-level tests of the generated API, checked by test/meta/typecheck.test.ts under
 * strict TypeScript. Each `@ts-expect-error` must stay an error: if it stops being
 * one, the type has become looser and the check fails.
 */
import type { StandardSchemaV1 as SpecStandardSchemaV1 } from '@standard-schema/spec';
import type { MSKEvent as AwsMSKEvent, SelfManagedKafkaEvent as AwsSelfManagedKafkaEvent } from 'aws-lambda';
import {
  KafkaEventSchema,
  KafkaEventValidationError,
  isKafkaEvent,
  parseKafkaEvent,
  safeParseKafkaEvent,
  type KafkaBatchResponse,
  type KafkaEvent,
  type KafkaRecord,
  type MSKEvent,
  type SelfManagedKafkaEvent,
  type ValidationIssue,
} from '../../generated/index.js';

// We accept everything @types/aws-lambda describes.
declare const awsMsk: AwsMSKEvent;
declare const awsSelfManaged: AwsSelfManagedKafkaEvent;
export const fromAwsMsk: KafkaEvent = awsMsk;
export const fromAwsSelfManaged: KafkaEvent = awsSelfManaged;
export const mskFromAws: MSKEvent = awsMsk;
export const selfManagedFromAws: SelfManagedKafkaEvent = awsSelfManaged;

// The generated Standard Schema satisfies the official interface, with our output type.
export const standard: SpecStandardSchemaV1<unknown, KafkaEvent> = KafkaEventSchema;

// eventSource discriminates the union.
export function arnOf(event: KafkaEvent): string | undefined {
  if (event.eventSource === 'aws:kafka') return event.eventSourceArn;
  // @ts-expect-error a self-managed event has no eventSourceArn
  return event.eventSourceArn;
}

// Guards narrow unknown input; parse returns the event type.
export function guards(input: unknown): number {
  if (isKafkaEvent(input)) return Object.keys(input.records).length;
  const parsed: KafkaEvent = parseKafkaEvent(input);
  const result = safeParseKafkaEvent(input);
  if (!result.success) {
    const issues: readonly ValidationIssue[] = result.issues;
    return issues.length;
  }
  return parsed === result.data ? 0 : 1;
}

export const error: readonly ValidationIssue[] = new KafkaEventValidationError([]).issues;

// Types are exact: unknown fields are accepted at run time but not in types.
export const record: KafkaRecord = {
  topic: 'orders',
  partition: 0,
  offset: 0,
  timestamp: 0,
  timestampType: 'CREATE_TIME',
  headers: [{ traceparent: [48, -61, -85] }],
  key: null,
  // @ts-expect-error not a KafkaRecord field
  extra: 1,
};

// @ts-expect-error timestampType is closed
export const noTimestampType: KafkaRecord['timestampType'] = 'NO_TIMESTAMP_TYPE';

// @ts-expect-error partition is a number, never the legacy string
export const stringPartition: KafkaRecord['partition'] = '0';

export const tombstone: KafkaRecord['value'] = null;

export const response: KafkaBatchResponse = {
  batchItemFailures: [{ itemIdentifier: { 'topic-partition': 'mytopic-0', offset: 15 } }],
};

// @ts-expect-error the item identifier is an object, unlike SQS and Kinesis
export const sqsShape: KafkaBatchResponse = { batchItemFailures: [{ itemIdentifier: '15' }] };
