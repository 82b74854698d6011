/**
 * What a Kafka event source mapping does with one invocation's outcome (issue 12), as
 * docs/lambda-kafka-invocation.md section 1 sets it out with its sources. Pure: an event, the
 * outcome of invoking the handler with it, and whether the mapping reports batch item failures,
 * in; the verdict and each partition's fate, out.
 *
 * - A handler that throws, times out or crashes: the whole batch is retried.
 * - Without ReportBatchItemFailures the response is ignored: the batch succeeded.
 * - With it: `{}`, `null` (a Node handler that returns nothing sends `null`), and a
 *   `batchItemFailures` that is empty or null mean success. Each failure's `itemIdentifier` is an
 *   object naming a records key of the event and an offset of that partition; the key is
 *   `"topic-partition"` on one version of the AWS page and `"partition"` on another, so either is
 *   accepted (exactly one) and the one used is reported. An identifier that is not in the event
 *   retries the whole batch (documented); so does any other malformed response (documented for
 *   SQS and Kinesis, assumed for Kafka: said so in the reason).
 * - Per partition with failures, two readings of the documentation (it does not say which):
 *   everything below the lowest failed offset is done for certain; under the checkpoint model
 *   (Kinesis's documented rule, and a Kafka consumer group's single committed offset) the
 *   partition resumes at the lowest failed offset and its later successful records are
 *   delivered again; under the only-failed reading just the reported offsets are retried.
 */

/** The records of an event, as far as the outcome needs them. */
export interface BatchEvent {
  readonly records: Readonly<
    Record<string, readonly { readonly topic: string; readonly partition: number; readonly offset: number }[]>
  >;
}

/** How the invocation ended (run-handler.ts's InvokeOutcome, reduced to what decides the batch's fate). */
export type InvocationResult =
  | { readonly kind: 'returned'; readonly response: unknown }
  | { readonly kind: 'error'; readonly errorType: string; readonly errorMessage: string }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  | { readonly kind: 'crashed'; readonly outOfMemory: boolean };

export interface PartitionFate {
  /** The records key: `<topic>-<partition>`. */
  readonly topicPartition: string;
  /** The event's offsets of the partition, in order. */
  readonly offsets: readonly number[];
  /** The offsets the response reported as failed (empty when the batch succeeded or is retried whole). */
  readonly failed: readonly number[];
  /** Offsets Lambda is done with under either reading (all of them when nothing in the partition failed; none when the batch is retried whole). */
  readonly done: readonly number[];
  /** Where the partition resumes: the next offset after the batch when it is done, else the lowest failed offset (or the first, when the batch is retried whole). */
  readonly resumeAt: number;
  /** Successful offsets delivered again under the checkpoint model: those after the lowest failed offset that did not fail. */
  readonly redelivered: readonly number[];
}

export type BatchVerdict =
  | { readonly kind: 'succeeded' }
  | { readonly kind: 'partial'; readonly identifierKey: 'topic-partition' | 'partition' }
  | { readonly kind: 'retried'; readonly reason: string };

export interface BatchOutcome {
  readonly verdict: BatchVerdict;
  readonly partitions: readonly PartitionFate[];
}

export function batchOutcome(
  event: BatchEvent,
  result: InvocationResult,
  options: { readonly reportBatchItemFailures: boolean },
): BatchOutcome {
  const keys = Object.keys(event.records);
  const offsetsOf = (key: string) => (event.records[key] ?? []).map((r) => r.offset);
  const retried = (reason: string): BatchOutcome => ({
    verdict: { kind: 'retried', reason },
    partitions: keys.map((key) => {
      const offsets = offsetsOf(key);
      return { topicPartition: key, offsets, failed: [], done: [], resumeAt: offsets[0] ?? 0, redelivered: [] };
    }),
  });
  const allDone = (verdict: BatchVerdict, failures: ReadonlyMap<string, ReadonlySet<number>>): BatchOutcome => ({
    verdict,
    partitions: keys.map((key) => partitionFate(key, offsetsOf(key), failures.get(key))),
  });

  switch (result.kind) {
    case 'error':
      return retried(`the handler threw ${result.errorType}: ${result.errorMessage}`);
    case 'timeout':
      return retried(`the handler timed out after ${result.timeoutMs} ms`);
    case 'crashed':
      return retried(result.outOfMemory ? 'the handler ran out of memory' : 'the handler process exited');
    case 'returned':
      break;
  }
  if (!options.reportBatchItemFailures) return allDone({ kind: 'succeeded' }, new Map());
  const parsed = parseBatchResponse(result.response, event);
  if (typeof parsed === 'string') return retried(parsed);
  if (parsed.failures.size === 0) return allDone({ kind: 'succeeded' }, parsed.failures);
  return allDone({ kind: 'partial', identifierKey: parsed.identifierKey ?? 'topic-partition' }, parsed.failures);
}

function partitionFate(
  topicPartition: string,
  offsets: readonly number[],
  failures?: ReadonlySet<number>,
): PartitionFate {
  const failed = offsets.filter((offset) => failures?.has(offset));
  if (failed.length === 0) {
    const last = offsets[offsets.length - 1];
    return {
      topicPartition,
      offsets,
      failed,
      done: offsets,
      resumeAt: last === undefined ? 0 : last + 1,
      redelivered: [],
    };
  }
  const lowest = Math.min(...failed);
  return {
    topicPartition,
    offsets,
    failed,
    done: offsets.filter((offset) => offset < lowest),
    resumeAt: lowest,
    redelivered: offsets.filter((offset) => offset > lowest && !failures?.has(offset)),
  };
}

/**
 * The failures a response reports, by records key, or why Lambda would retry the whole batch
 * (a sentence). Success forms: `{}`, `null`, and an empty or null `batchItemFailures`.
 */
export function parseBatchResponse(
  response: unknown,
  event: BatchEvent,
):
  | string
  | {
      readonly failures: ReadonlyMap<string, ReadonlySet<number>>;
      readonly identifierKey?: 'topic-partition' | 'partition';
    } {
  if (response === null) return { failures: new Map() };
  if (typeof response !== 'object' || Array.isArray(response))
    return `the response is ${describe(response)}, not a batch response object (assumed, as for SQS and Kinesis: a response Lambda cannot read retries the whole batch)`;
  const list = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === undefined || list === null) return { failures: new Map() };
  if (!Array.isArray(list))
    return `batchItemFailures is ${describe(list)}, not a list (assumed: retries the whole batch)`;
  const failures = new Map<string, Set<number>>();
  let identifierKey: 'topic-partition' | 'partition' | undefined;
  for (const [index, item] of list.entries()) {
    const at = `batchItemFailures[${index}]`;
    const identifier = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof identifier !== 'object' || identifier === null || Array.isArray(identifier))
      return `${at}.itemIdentifier is ${describe(identifier)}, not an object with "topic-partition" (or "partition") and "offset" (assumed: retries the whole batch)`;
    const fields = identifier as Record<string, unknown>;
    const named = (['topic-partition', 'partition'] as const).filter((key) => key in fields);
    if (named.length !== 1)
      return `${at}.itemIdentifier names ${named.length === 0 ? 'no records key ("topic-partition" or "partition")' : 'both "topic-partition" and "partition"'} (assumed: retries the whole batch)`;
    const key = named[0] as 'topic-partition' | 'partition';
    identifierKey ??= key;
    const topicPartition = fields[key];
    const offset = fields['offset'];
    if (typeof topicPartition !== 'string' || typeof offset !== 'number' || !Number.isInteger(offset))
      return `${at}.itemIdentifier is ${describe(identifier)}: expected a "${key}" string and an integer "offset" (assumed: retries the whole batch)`;
    const offsets = event.records[topicPartition];
    if (offsets === undefined || !offsets.some((r) => r.offset === offset))
      return `${at} names ${topicPartition} offset ${offset}, which is not in the event: Lambda retries the whole batch`;
    let set = failures.get(topicPartition);
    if (set === undefined) failures.set(topicPartition, (set = new Set()));
    set.add(offset);
  }
  return identifierKey === undefined ? { failures } : { failures, identifierKey };
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const text = JSON.stringify(value);
  return `${typeof value === 'object' ? 'the object' : typeof value} ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}
