/**
 * What to tell a person who has one of the forms the reference page and a few
 * libraries spread: what Lambda really sends (or, for a batch response, expects). (The
 * two documented legacy forms carry their explanation in the schema's `x-legacy-forms`
 * descriptions.)
 */
import { resolvePointer } from '../../core/json-pointer.js';

interface Hint {
  /** JSON pointer the value is at (a regular expression over the path). */
  readonly at: RegExp;
  /** The value as an issue renders it (`string "aws:msk"`). */
  readonly received: string;
  /** Also required of the document the value is in (given the path). */
  readonly when?: (document: unknown, path: string) => boolean;
  readonly hint: string;
}

const HINTS: readonly Hint[] = [
  {
    at: /^\/eventSource$/,
    received: 'string "aws:msk"',
    hint: 'the reference page says "aws:msk", but no payload has ever carried it: Amazon MSK events have "eventSource": "aws:kafka"',
  },
  {
    at: /^\/eventSource$/,
    received: 'string "aws:SelfManagedKafka"',
    hint: 'two libraries once shipped "aws:SelfManagedKafka"; Lambda sends "eventSource": "SelfManagedKafka" for self-managed Apache Kafka',
  },
  {
    at: /^\/records\/[^/]+\/\d+\/partition$/,
    received: 'string',
    hint: 'the partition is an integer; AWS\'s original 2020 example had the string "0"',
  },
  {
    at: /^\/records\/[^/]+\/\d+\/headers\/\d+\/[^/]+$/,
    received: 'string',
    hint: 'Lambda sends a header value as an array of signed bytes (-128..127), e.g. "ë" is [-61, -85]; a base64 string comes from one SDK\'s test fixture',
  },
  {
    // A batch-item identifier keyed "partition": what Powertools (Python), Middy and a Rust runtime PR emit.
    at: /^\/batchItemFailures\/\d+\/itemIdentifier\/topic-partition$/,
    received: 'missing',
    when: (document, path) =>
      resolvePointer(document, `${path.slice(0, path.lastIndexOf('/'))}/partition`) !== undefined,
    hint: 'the identifier says "partition" where the schema expects "topic-partition": {"topic-partition": "<topic>-<partition>", "offset": N}, as one version of the Lambda developer guide documents it (kafka-retry-configurations, PartialBatchResponse). Another version of that page, Powertools for AWS Lambda (Python), Middy\'s event-batch-response and a Rust runtime PR use "partition" with the same value, and which key Lambda reads is not settled (docs/lambda-kafka-invocation.md, section 1.2); an identifier Lambda cannot match to a record of the event fails the whole batch',
  },
];

/** The hint for an issue at `path` that received `received`, in `document` (the value checked), if there is one. */
export function hintFor(path: string, received: string, document?: unknown): string | undefined {
  return HINTS.find(
    (h) =>
      h.at.test(path) &&
      (received === h.received || received.startsWith(`${h.received} `)) &&
      (h.when === undefined || h.when(document, path)),
  )?.hint;
}
