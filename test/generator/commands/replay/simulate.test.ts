/**
 * replay's simulation (simulate.ts): each timeline worked out by hand from the rules in
 * docs/lambda-kafka-invocation.md (section 2.4 is the first case) and the assumptions the
 * module names.
 */
import { describe, expect, it } from 'vitest';
import type { InvocationResult } from '../../../../generator/commands/invoke/batch-outcome.js';
import { replay, type ReplayOptions, type ReplayRecord } from '../../../../generator/commands/replay/simulate.js';

const NOW = 1_760_000_000_000;
const rec = (topic: string, partition: number, offset: number, ageSeconds = 1): ReplayRecord => ({
  topic,
  partition,
  offset,
  timestamp: NOW - ageSeconds * 1000,
  timestampType: 'CREATE_TIME',
  value: 'e30=',
  headers: [],
});
const OPTIONS: ReplayOptions = {
  batchSize: 10,
  maxPayloadBytes: 6 * 1024 * 1024,
  maximumRetryAttempts: -1,
  bisectBatchOnFunctionError: false,
  maximumRecordAgeSeconds: -1,
  reportBatchItemFailures: false,
  now: NOW,
  maxInvocations: 100,
  head: { eventSource: 'aws:kafka' },
};
type Event = { records: Record<string, { offset: number }[]> };
const offsetsIn = (event: unknown) =>
  Object.values((event as Event).records).flatMap((list) => list.map((r) => r.offset));
const throwsWhen =
  (offset: number) =>
  async (event: unknown): Promise<InvocationResult> =>
    offsetsIn(event).includes(offset)
      ? { kind: 'error', errorType: 'Error', errorMessage: `offset ${offset}` }
      : { kind: 'returned', response: null };
const spans = (timeline: readonly { spans: readonly { topicPartition: string; first: number; last: number }[] }[]) =>
  timeline.map((t) => t.spans.map((s) => `${s.topicPartition}:${s.first}-${s.last}`).join(' '));

describe('replay', () => {
  it('section 2.4: a batch that keeps failing is retried twice (MaximumRetryAttempts 2), then discarded, and the partition moves on', async () => {
    const records = [0, 1, 2, 3].map((o) => rec('orders', 0, o));
    const result = await replay(records, { ...OPTIONS, maximumRetryAttempts: 2 }, throwsWhen(2));
    expect(spans(result.timeline)).toEqual(['orders-0:0-3', 'orders-0:0-3', 'orders-0:0-3']);
    expect(result.timeline.map((t) => [t.attempt, t.verdict, t.then])).toEqual([
      [1, 'retried', undefined],
      [2, 'retried', undefined],
      [3, 'retried', 'discarded'],
    ]);
    expect(
      result.discarded.map((d) => [d.condition, d.approximateInvokeCount, d.records.map((r) => r.offset)]),
    ).toEqual([['RetryAttemptsExhausted', 3, [0, 1, 2, 3]]]);
    expect([result.committed, result.invocations, result.retries, result.stopped]).toEqual([
      { 'orders-0': 4 },
      3,
      2,
      false,
    ]);
  });

  it('a partial batch response: the partition resumes at the failed offset, which is retried twice, then discarded with the record after it', async () => {
    const records = [0, 1, 2, 3].map((o) => rec('orders', 0, o));
    const failTwo = async (event: unknown): Promise<InvocationResult> => ({
      kind: 'returned',
      response: {
        batchItemFailures: offsetsIn(event).includes(2)
          ? [{ itemIdentifier: { 'topic-partition': 'orders-0', offset: 2 } }]
          : [],
      },
    });
    const result = await replay(
      records,
      { ...OPTIONS, maximumRetryAttempts: 2, reportBatchItemFailures: true },
      failTwo,
    );
    expect(spans(result.timeline)).toEqual(['orders-0:0-3', 'orders-0:2-3', 'orders-0:2-3']);
    expect(result.timeline.map((t) => [t.attempt, t.verdict, t.then])).toEqual([
      [1, 'partial', undefined],
      [2, 'partial', undefined],
      [3, 'partial', 'discarded'],
    ]);
    expect(
      result.discarded.map((d) => [d.condition, d.approximateInvokeCount, d.records.map((r) => r.offset)]),
    ).toEqual([['RetryAttemptsExhausted', 3, [2, 3]]]);
    expect([result.committed, result.invocations, result.retries]).toEqual([{ 'orders-0': 4 }, 3, 2]);
  });

  it('bisecting: the failing half is split again until its retries are used up; the good half is committed', async () => {
    const records = [0, 1, 2, 3].map((o) => rec('orders', 0, o));
    const result = await replay(
      records,
      { ...OPTIONS, maximumRetryAttempts: 1, bisectBatchOnFunctionError: true },
      throwsWhen(2),
    );
    // 0-3 fails (attempt 1): bisected into 0-1 and 2-3, each keeping attempt 1. 0-1 succeeds; 2-3 fails at
    // attempt 2, past MaximumRetryAttempts 1: discarded.
    expect(spans(result.timeline)).toEqual(['orders-0:0-3', 'orders-0:0-1', 'orders-0:2-3']);
    expect(result.timeline.map((t) => [t.attempt, t.verdict, t.then])).toEqual([
      [1, 'retried', 'bisected'],
      [2, 'succeeded', undefined],
      [2, 'retried', 'discarded'],
    ]);
    expect(result.discarded.map((d) => d.records.map((r) => r.offset))).toEqual([[2, 3]]);
    expect(result.committed).toEqual({ 'orders-0': 4 });
  });

  it('batches: partition by partition up to the batch size; everything committed', async () => {
    const records = [rec('a', 0, 0), rec('b', 0, 7), rec('a', 0, 1), rec('a', 0, 2), rec('b', 0, 8)];
    const result = await replay(records, { ...OPTIONS, batchSize: 3 }, throwsWhen(-1));
    expect(spans(result.timeline)).toEqual(['a-0:0-2', 'b-0:7-8']);
    expect(result.committed).toEqual({ 'a-0': 3, 'b-0': 9 });
  });

  it('records older than MaximumRecordAgeInSeconds are discarded before they are invoked', async () => {
    const records = [rec('a', 0, 0, 120), rec('a', 0, 1, 30)];
    const seen: number[][] = [];
    const result = await replay(records, { ...OPTIONS, maximumRecordAgeSeconds: 60 }, async (event) => {
      seen.push(offsetsIn(event));
      return { kind: 'returned', response: null };
    });
    expect(seen).toEqual([[1]]);
    expect(result.discarded.map((d) => [d.condition, d.records.map((r) => r.offset)])).toEqual([
      ['RecordAgeExceeded', [0]],
    ]);
    expect(result.committed).toEqual({ 'a-0': 2 });
  });

  it('the payload limit: a batch closes before it; a record alone beyond it is discarded (MaximumPayloadSizeExceeded)', async () => {
    const small = rec('a', 0, 0);
    const big = { ...rec('a', 0, 1), value: 'x'.repeat(500) };
    const last = rec('a', 0, 2);
    // Room for one small record's event, not two, and never for the big one.
    const oneRecord = Buffer.byteLength(JSON.stringify({ eventSource: 'aws:kafka', records: { 'a-0': [small] } }));
    const result = await replay([small, big, last], { ...OPTIONS, maxPayloadBytes: oneRecord + 10 }, throwsWhen(-1));
    expect(spans(result.timeline)).toEqual(['a-0:0-0', 'a-0:2-2']);
    expect(result.discarded.map((d) => [d.condition, d.records.map((r) => r.offset)])).toEqual([
      ['MaximumPayloadSizeExceeded', [1]],
    ]);
    expect(result.committed).toEqual({ 'a-0': 3 });
  });

  it('the payload size is counted exactly: a batch of exactly the limit is one invocation, one byte less makes two', async () => {
    const records = [rec('a', 0, 0), rec('b', 3, 9)];
    const exact = Buffer.byteLength(
      JSON.stringify({ eventSource: 'aws:kafka', records: { 'a-0': [records[0]], 'b-3': [records[1]] } }),
    );
    const at = await replay(records, { ...OPTIONS, maxPayloadBytes: exact }, throwsWhen(-1));
    expect(spans(at.timeline)).toEqual(['a-0:0-0 b-3:9-9']);
    const below = await replay(records, { ...OPTIONS, maxPayloadBytes: exact - 1 }, throwsWhen(-1));
    expect(spans(below.timeline)).toEqual(['a-0:0-0', 'b-3:9-9']);
  });

  it('infinite retries of a batch that always fails: stopped at maxInvocations, nothing committed', async () => {
    const result = await replay([rec('a', 0, 5)], { ...OPTIONS, maxInvocations: 4 }, throwsWhen(5));
    expect([result.invocations, result.retries, result.stopped, result.committed]).toEqual([4, 3, true, { 'a-0': 5 }]);
  });
});
