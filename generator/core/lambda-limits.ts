/**
 * What Lambda allows a Kafka event source mapping and its function, shared by `sample`,
 * `invoke` and `replay` (sources: docs/lambda-kafka-invocation.md section 4,
 * /work/shared/spec/kafka-event-facts.md "Limits").
 */

/** A batch holds at most 10,000 records (the mapping's batch size: default 100). */
export const MAX_BATCH_RECORDS = 10_000;
export const DEFAULT_BATCH_SIZE = 100;

/** The synchronous invocation payload limit, "6 MB": AWS does not say whether 6,000,000 or 6,291,456 bytes; the larger is taken. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Kafka event source mappings allow function timeouts of at most 14 minutes. */
export const MAX_TIMEOUT_SECONDS = 14 * 60;

/** A function's memory, MB. */
export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = 10_240;
