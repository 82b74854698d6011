/**
 * The record Lambda sends an on-failure destination for a discarded batch, built from the
 * batch's event (docs/lambda-kafka-invocation.md section 3; schema/kafka-on-failure-record.schema.json):
 * `replay --on-failure-dir` writes one for each discarded batch, `sample --on-failure` prints one.
 * Offsets are decimal strings and timestamps ISO 8601, as both AWS pages write them.
 */

/** Where the record goes: SQS and SNS get the metadata, S3 the event too (as JSON text), a Kafka topic one record's event (an object). */
export const ON_FAILURE_DESTINATIONS = ['sqs', 'sns', 's3', 'kafka-topic'] as const;
export type OnFailureDestination = (typeof ON_FAILURE_DESTINATIONS)[number];

interface RecordLike {
  readonly offset: number;
  readonly timestamp: number;
}

export interface OnFailureRecordInput {
  /** The discarded invocation's event. */
  readonly event: {
    readonly eventSourceArn?: string;
    readonly bootstrapServers?: string;
    readonly records: Readonly<Record<string, readonly RecordLike[]>>;
  };
  readonly destination: OnFailureDestination;
  readonly condition: string;
  /** 0 for a batch never invoked (a record over the payload limit): `responseContext` is then null. */
  readonly approximateInvokeCount: number;
  readonly requestId: string;
  readonly functionArn: string;
  /** When the record was written, ISO 8601. */
  readonly timestamp: string;
  /** The invocation payload's size in bytes (the event as compact JSON). */
  readonly payloadSize: number;
}

export function onFailureRecord(input: OnFailureRecordInput): object {
  const { event, destination, condition, approximateInvokeCount } = input;
  const iso = (ms: number) => new Date(ms).toISOString();
  const all = Object.values(event.records).flat();
  const recordsInfo: Record<string, object> = {};
  for (const [key, list] of Object.entries(event.records)) {
    const first = list[0];
    const last = list[list.length - 1];
    if (first === undefined || last === undefined) continue;
    recordsInfo[key] = {
      firstRecordOffset: String(first.offset),
      lastRecordOffset: String(last.offset),
      firstRecordTimestamp: iso(first.timestamp),
      lastRecordTimestamp: iso(last.timestamp),
    };
  }
  const only = all[0];
  // The Kafka-topic page's example: one message per failed record, its condition spelled RetriesExhausted.
  const batch =
    destination === 'kafka-topic' && only !== undefined
      ? { batchSize: 1, recordInfo: { offset: String(only.offset), timestamp: iso(only.timestamp) } }
      : { batchSize: all.length, recordsInfo };
  return {
    requestContext: {
      requestId: input.requestId,
      functionArn: input.functionArn,
      condition,
      approximateInvokeCount,
    },
    responseContext:
      condition === 'MaximumPayloadSizeExceeded' || approximateInvokeCount === 0
        ? null
        : { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: input.timestamp,
    KafkaBatchInfo: {
      batchSize: batch.batchSize,
      ...(event.eventSourceArn !== undefined ? { eventSourceArn: event.eventSourceArn } : {}),
      bootstrapServers: event.bootstrapServers ?? '',
      payloadSize: input.payloadSize,
      ...('recordInfo' in batch ? { recordInfo: batch.recordInfo } : { recordsInfo: batch.recordsInfo }),
    },
    ...(destination === 's3' ? { payload: JSON.stringify(event) } : {}),
    ...(destination === 'kafka-topic' ? { payload: event } : {}),
  };
}
