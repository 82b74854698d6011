/**
 * The event an on-failure record carries in `payload`: S3 destinations carry it as "an escaped
 * JSON string" (with-msk-on-failure), the Kafka-topic page shows an object
 * (kafka-on-failure-destination), and SQS and SNS records carry none
 * (docs/lambda-kafka-invocation.md, section 3). One reading for the generated on-failure.ts
 * (`kafkaEventFromOnFailureRecord`), `validate --kind on-failure`, `invoke` and `replay`.
 */
import type { ValidationIssue } from './issues.js';

/** The payload's event (not yet checked as one), or the one reason there is none to read. */
export type OnFailurePayload =
  | { readonly event: unknown; readonly asText: boolean; readonly issue?: undefined }
  | { readonly issue: ValidationIssue };

export function onFailurePayload(record: { readonly payload?: unknown }): OnFailurePayload {
  const { payload } = record;
  if (payload === undefined || payload === null) {
    const received = payload === null ? 'null' : 'missing';
    return {
      issue: {
        path: '/payload',
        keyword: 'required',
        expected: "the discarded invocation's event, which S3 and Kafka-topic destinations carry",
        received,
        message: `/payload: expected the discarded invocation's event, received ${received} (SQS and SNS destinations carry none: find the records by the offsets in KafkaBatchInfo.recordsInfo)`,
      },
    };
  }
  if (typeof payload !== 'string') return { event: payload, asText: false };
  try {
    return { event: JSON.parse(payload), asText: true };
  } catch (error) {
    const reason = `a string that is not JSON (${(error as Error).message})`;
    return {
      issue: {
        path: '/payload',
        keyword: 'contentMediaType',
        expected: 'the event as JSON text',
        received: reason,
        message: `/payload: expected the event as JSON text, received ${reason}`,
      },
    };
  }
}
