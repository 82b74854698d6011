/**
 * The core of `msk-codegen replay` (issue 12, not a command yet): recorded records fed through a
 * handler the way a Kafka event source mapping would over time. Pure but for `invoke`, which
 * runs one batch (run-handler.ts in the command). The rules, and which of them are assumptions
 * because AWS does not document them for Kafka, are in docs/lambda-kafka-invocation.md
 * sections 1-2; each assumption is named here, where it is applied:
 *
 * - Batches: the records of each partition in offset order, taken partition by partition (in
 *   the order the records first appear) until the batch size or the 6 MB payload limit. A record
 *   that alone exceeds the limit is discarded (`MaximumPayloadSizeExceeded`).
 * - A batch Lambda must retry whole (an error, a timeout, an unreadable response) is retried as
 *   it is before anything else (in-order processing holds back every partition in it; ASSUMED:
 *   nothing else is polled meanwhile), bisected first with `bisectBatchOnFunctionError` (each
 *   half keeps the batch's attempt count: ASSUMED).
 * - A partial batch response: each partition with failures resumes at its lowest failed offset
 *   (the checkpoint model, ASSUMED: section 1.3); the others are committed.
 * - Retries: the first invocation is not a retry. A batch retried whole is discarded after
 *   `maximumRetryAttempts` retries; a partition's lowest failed record likewise, after that
 *   many retries of it (ASSUMED: section 2.3). Discarded records are skipped (ASSUMED) and
 *   reported in on-failure records (condition `RetryAttemptsExhausted`).
 * - Record age: `maximumRecordAgeSeconds` against the replay's clock, `now` (default: the newest
 *   record's timestamp); older records are discarded before they are invoked (the condition's
 *   name for it is not documented: `RecordAgeExceeded` here, marked as ours).
 */
import { batchOutcome, type InvocationResult } from '../invoke/batch-outcome.js';

export interface ReplayRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly [field: string]: unknown;
}

export interface ReplayOptions {
  readonly batchSize: number;
  readonly maxPayloadBytes: number;
  /** -1: retry until success (the default, as Lambda's). */
  readonly maximumRetryAttempts: number;
  readonly bisectBatchOnFunctionError: boolean;
  /** -1: no limit. */
  readonly maximumRecordAgeSeconds: number;
  readonly reportBatchItemFailures: boolean;
  /** The replay's clock, ms since the epoch (default: the newest record's timestamp). */
  readonly now?: number;
  /** Stops a replay that would never end (a record failing forever with infinite retries). */
  readonly maxInvocations: number;
  /** The event's fields besides `records`. */
  readonly head: Readonly<Record<string, unknown>>;
}

export interface BatchSpan {
  readonly topicPartition: string;
  readonly first: number;
  readonly last: number;
  readonly records: number;
}

export interface TimelineEntry {
  readonly invocation: number;
  readonly spans: readonly BatchSpan[];
  /** How many times this batch (or, for a partial retry, its lowest failed record) has been invoked, this one included. */
  readonly attempt: number;
  readonly verdict: 'succeeded' | 'partial' | 'retried';
  readonly reason?: string;
  /** What the invocation led to: `bisected`, `discarded`, or nothing. */
  readonly then?: 'bisected' | 'discarded';
}

export interface DiscardedBatch {
  readonly condition: 'RetryAttemptsExhausted' | 'MaximumPayloadSizeExceeded' | 'RecordAgeExceeded';
  readonly approximateInvokeCount: number;
  readonly records: readonly ReplayRecord[];
  readonly payloadSize: number;
}

export interface ReplayResult {
  readonly timeline: readonly TimelineEntry[];
  readonly discarded: readonly DiscardedBatch[];
  /** Per records key: the next offset to read (what the consumer group has committed). */
  readonly committed: Readonly<Record<string, number>>;
  readonly invocations: number;
  /** Invocations that were retries (of a whole batch, or of a partition's failed record). */
  readonly retries: number;
  /** Whether it stopped at maxInvocations with records left. */
  readonly stopped: boolean;
}

interface Pending {
  readonly records: readonly ReplayRecord[];
  readonly attempts: number;
}

const keyOf = (r: ReplayRecord) => `${r.topic}-${r.partition}`;

/** The event Lambda would send for `records`. */
function eventOf(
  records: readonly ReplayRecord[],
  head: Readonly<Record<string, unknown>>,
): { readonly records: Record<string, ReplayRecord[]> } {
  const grouped: Record<string, ReplayRecord[]> = {};
  for (const r of records) (grouped[keyOf(r)] ??= []).push(r);
  return { ...head, records: grouped };
}

/** The event Lambda would send for `records`, with the size of its JSON. */
export function batchEvent(
  records: readonly ReplayRecord[],
  head: Readonly<Record<string, unknown>>,
): { readonly event: { readonly records: Record<string, ReplayRecord[]> }; readonly payloadSize: number } {
  const event = eventOf(records, head);
  return { event, payloadSize: Buffer.byteLength(JSON.stringify(event)) };
}

function spansOf(records: readonly ReplayRecord[]): BatchSpan[] {
  const spans = new Map<string, { first: number; last: number; records: number }>();
  for (const r of records) {
    const span = spans.get(keyOf(r));
    if (span === undefined) spans.set(keyOf(r), { first: r.offset, last: r.offset, records: 1 });
    else spans.set(keyOf(r), { first: span.first, last: r.offset, records: span.records + 1 });
  }
  return [...spans].map(([topicPartition, s]) => ({ topicPartition, ...s }));
}

export async function replay(
  records: readonly ReplayRecord[],
  options: ReplayOptions,
  invoke: (event: unknown) => Promise<InvocationResult>,
): Promise<ReplayResult> {
  // Partitions in the order their records first appear, each in offset order.
  const partitions = new Map<string, ReplayRecord[]>();
  for (const r of records) {
    let list = partitions.get(keyOf(r));
    if (list === undefined) partitions.set(keyOf(r), (list = []));
    list.push(r);
  }
  for (const list of partitions.values()) list.sort((a, b) => a.offset - b.offset);
  /** Each record's index in its partition's list. */
  const indexOf = new Map<ReplayRecord, number>();
  for (const list of partitions.values()) list.forEach((r, i) => indexOf.set(r, i));
  const cursor = new Map([...partitions.keys()].map((key) => [key, 0]));
  /** Failed invocations of each partition's current head record (partial batch responses). */
  const headFailures = new Map<string, number>();
  const now = options.now ?? Math.max(...records.map((r) => r.timestamp));
  const timeline: TimelineEntry[] = [];
  const discarded: DiscardedBatch[] = [];
  const queue: Pending[] = [];
  let retries = 0;

  const advancePast = (batch: readonly ReplayRecord[]) => {
    for (const r of batch) {
      const key = keyOf(r);
      const at = indexOf.get(r) as number;
      if (at + 1 > (cursor.get(key) ?? 0)) cursor.set(key, at + 1);
      headFailures.delete(key);
    }
  };
  const discard = (condition: DiscardedBatch['condition'], batch: readonly ReplayRecord[], invokeCount: number) => {
    discarded.push({
      condition,
      approximateInvokeCount: invokeCount,
      records: batch,
      payloadSize: batchEvent(batch, options.head).payloadSize,
    });
    advancePast(batch);
  };

  // The batch's payload size, kept as records are added (the event's compact JSON, in bytes:
  // batchEvent's, without serializing the batch again for every record).
  const recordBytes = new Map<ReplayRecord, number>();
  const bytesOf = (r: ReplayRecord) => {
    let n = recordBytes.get(r);
    if (n === undefined) recordBytes.set(r, (n = Buffer.byteLength(JSON.stringify(r))));
    return n;
  };
  const emptyEventBytes = batchEvent([], options.head).payloadSize;

  /** The next batch from the partitions' cursors: records too old are discarded first. */
  const nextBatch = (): ReplayRecord[] => {
    const batch: ReplayRecord[] = [];
    let size = emptyEventBytes;
    let keysInBatch = 0;
    for (const [key, list] of partitions) {
      let at = cursor.get(key) ?? 0;
      let inKey = 0;
      while (at < list.length && batch.length < options.batchSize) {
        const record = list[at] as ReplayRecord;
        if (options.maximumRecordAgeSeconds >= 0 && now - record.timestamp > options.maximumRecordAgeSeconds * 1000) {
          discard('RecordAgeExceeded', [record], 0);
          at++;
          continue;
        }
        // A new key adds `"<key>":[]` (and a comma after another key); a record its JSON (and a comma after another).
        const added =
          (inKey === 0 ? Buffer.byteLength(JSON.stringify(key)) + 3 + (keysInBatch > 0 ? 1 : 0) : 1) + bytesOf(record);
        if (size + added > options.maxPayloadBytes) {
          if (batch.length === 0) {
            discard('MaximumPayloadSizeExceeded', [record], 0);
            at++;
            continue;
          }
          return batch;
        }
        size += added;
        if (inKey === 0) keysInBatch++;
        inKey++;
        batch.push(record);
        at++;
      }
      if (batch.length >= options.batchSize) break;
    }
    return batch;
  };

  let invocations = 0;
  for (;;) {
    const pending = queue.shift();
    const batch = pending?.records ?? nextBatch();
    if (batch.length === 0) break;
    if (invocations >= options.maxInvocations) {
      if (pending) queue.unshift(pending);
      break;
    }
    invocations++;
    const attempts = (pending?.attempts ?? 0) + 1;
    const headAttempts = Math.max(0, ...spansOf(batch).map((s) => headFailures.get(s.topicPartition) ?? 0)) + 1;
    if (attempts > 1 || headAttempts > 1) retries++;
    const event = eventOf(batch, options.head);
    const outcome = batchOutcome(event, await invoke(event), {
      reportBatchItemFailures: options.reportBatchItemFailures,
    });
    const entry = {
      invocation: invocations,
      spans: spansOf(batch),
      attempt: Math.max(attempts, headAttempts),
      verdict: outcome.verdict.kind,
      ...(outcome.verdict.kind === 'retried' ? { reason: outcome.verdict.reason } : {}),
    };
    if (outcome.verdict.kind === 'succeeded') {
      advancePast(batch);
      timeline.push(entry);
      continue;
    }
    if (outcome.verdict.kind === 'retried') {
      const exhausted = options.maximumRetryAttempts >= 0 && attempts > options.maximumRetryAttempts;
      if (exhausted) {
        discard('RetryAttemptsExhausted', batch, attempts);
        timeline.push({ ...entry, then: 'discarded' });
      } else if (options.bisectBatchOnFunctionError && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        queue.unshift({ records: batch.slice(0, half), attempts }, { records: batch.slice(half), attempts });
        timeline.push({ ...entry, then: 'bisected' });
      } else {
        queue.unshift({ records: batch, attempts });
        timeline.push(entry);
      }
      continue;
    }
    // Partial: commit what is done; each partition with failures resumes at its lowest failed offset.
    let discardedAny = false;
    for (const fate of outcome.partitions) {
      const inBatch = batch.filter((r) => keyOf(r) === fate.topicPartition);
      if (fate.failed.length === 0) {
        advancePast(inBatch);
        continue;
      }
      advancePast(inBatch.filter((r) => r.offset < fate.resumeAt));
      const failures = (headFailures.get(fate.topicPartition) ?? 0) + 1;
      if (options.maximumRetryAttempts >= 0 && failures > options.maximumRetryAttempts) {
        discard(
          'RetryAttemptsExhausted',
          inBatch.filter((r) => r.offset >= fate.resumeAt),
          failures,
        );
        discardedAny = true;
      } else headFailures.set(fate.topicPartition, failures);
    }
    timeline.push(discardedAny ? { ...entry, then: 'discarded' } : entry);
  }
  const committed: Record<string, number> = {};
  for (const [key, list] of partitions) {
    const at = cursor.get(key) ?? 0;
    const last = list[list.length - 1];
    committed[key] = at < list.length ? (list[at] as ReplayRecord).offset : last === undefined ? 0 : last.offset + 1;
  }
  const left = [...partitions].some(([key, list]) => (cursor.get(key) ?? 0) < list.length) || queue.length > 0;
  return { timeline, discarded, committed, invocations, retries, stopped: left };
}
