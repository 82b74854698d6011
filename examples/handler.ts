/**
 * The README's handler example, type-checked and run by the tests (test/examples/).
 * A Kafka consumer that parses the event, decodes each record and reports the records
 * that failed (the event source mapping must enable ReportBatchItemFailures).
 */
import type { KafkaBatchItemFailure, KafkaBatchResponse } from '../generated/index.js';
import { parseKafkaEvent } from '../generated/index.js';

export type RecordHandler = (topic: string, value: string | null, headers: [string, string][]) => Promise<void>;

export function createHandler(handleRecord: RecordHandler) {
  return async (input: unknown): Promise<KafkaBatchResponse> => {
    // Throws KafkaEventValidationError (with .issues) if the event is not a Kafka event.
    const event = parseKafkaEvent(input);
    const batchItemFailures: KafkaBatchItemFailure[] = [];
    for (const [topicPartition, records] of Object.entries(event.records)) {
      for (const record of records) {
        try {
          const value = record.value == null ? null : Buffer.from(record.value, 'base64').toString('utf8');
          const headers = record.headers.flatMap((header) =>
            Object.entries(header).map(([name, bytes]): [string, string] => [
              name,
              Buffer.from(bytes).toString('utf8'),
            ]),
          );
          await handleRecord(record.topic, value, headers); // make it idempotent: delivery is at least once
        } catch {
          batchItemFailures.push({ itemIdentifier: { 'topic-partition': topicPartition, offset: record.offset } });
        }
      }
    }
    return { batchItemFailures };
  };
}

export const handler = createHandler(async (topic, value) => {
  console.log(topic, value);
});
