/**
 * batchOutcome: what the event source mapping does with an invocation's outcome
 * (docs/lambda-kafka-invocation.md section 1). The expected fates are worked out by hand from
 * that document's worked example (section 1.5).
 */
import { describe, expect, it } from 'vitest';
import { batchOutcome, type BatchEvent } from '../../../../generator/commands/invoke/batch-outcome.js';

const record = (topic: string, partition: number, offset: number) => ({ topic, partition, offset });
/** orders-0: 10-14; orders-1: 20, 21; payments-0: 5 (section 1.5). */
const EVENT: BatchEvent = {
  records: {
    'orders-0': [10, 11, 12, 13, 14].map((o) => record('orders', 0, o)),
    'orders-1': [20, 21].map((o) => record('orders', 1, o)),
    'payments-0': [record('payments', 0, 5)],
  },
};
const failure = (topicPartition: string, offset: number, key = 'topic-partition') => ({
  itemIdentifier: { [key]: topicPartition, offset },
});
const returned = (response: unknown) => ({ kind: 'returned' as const, response });
const WHOLE = {
  'orders-0': { done: [], resumeAt: 10, redelivered: [] },
  'orders-1': { done: [], resumeAt: 20, redelivered: [] },
  'payments-0': { done: [], resumeAt: 5, redelivered: [] },
};
const ALL_DONE = {
  'orders-0': { done: [10, 11, 12, 13, 14], resumeAt: 15, redelivered: [] },
  'orders-1': { done: [20, 21], resumeAt: 22, redelivered: [] },
  'payments-0': { done: [5], resumeAt: 6, redelivered: [] },
};

function fates(outcome: ReturnType<typeof batchOutcome>) {
  return Object.fromEntries(
    outcome.partitions.map((p) => [
      p.topicPartition,
      { done: p.done, resumeAt: p.resumeAt, redelivered: p.redelivered },
    ]),
  );
}

describe('batchOutcome', () => {
  it('the worked example: orders-0 resumes at 12 (13 delivered again), orders-1 is done, payments-0 resumes at 5', () => {
    const outcome = batchOutcome(
      EVENT,
      returned({ batchItemFailures: [failure('orders-0', 12), failure('orders-0', 14), failure('payments-0', 5)] }),
      { reportBatchItemFailures: true },
    );
    expect(outcome.verdict).toEqual({ kind: 'partial', identifierKey: 'topic-partition' });
    expect(fates(outcome)).toEqual({
      'orders-0': { done: [10, 11], resumeAt: 12, redelivered: [13] },
      'orders-1': { done: [20, 21], resumeAt: 22, redelivered: [] },
      'payments-0': { done: [], resumeAt: 5, redelivered: [] },
    });
    expect(outcome.partitions.map((p) => p.failed)).toEqual([[12, 14], [], [5]]);
  });

  it('the other spelling of the identifier ("partition") is read the same, and reported', () => {
    const outcome = batchOutcome(EVENT, returned({ batchItemFailures: [failure('orders-1', 21, 'partition')] }), {
      reportBatchItemFailures: true,
    });
    expect(outcome.verdict).toEqual({ kind: 'partial', identifierKey: 'partition' });
    expect(fates(outcome)['orders-1']).toEqual({ done: [20], resumeAt: 21, redelivered: [] });
  });

  it.each([
    { name: 'an empty list', response: { batchItemFailures: [] } },
    { name: 'a null list', response: { batchItemFailures: null } },
    { name: 'an empty object', response: {} },
    { name: 'null (a Node handler returning nothing)', response: null },
  ])('success: $name', ({ response }) => {
    const outcome = batchOutcome(EVENT, returned(response), { reportBatchItemFailures: true });
    expect(outcome.verdict).toEqual({ kind: 'succeeded' });
    expect(fates(outcome)).toEqual(ALL_DONE);
  });

  it('without ReportBatchItemFailures the response is ignored', () => {
    const outcome = batchOutcome(EVENT, returned({ batchItemFailures: [failure('orders-0', 12)] }), {
      reportBatchItemFailures: false,
    });
    expect(outcome.verdict).toEqual({ kind: 'succeeded' });
    expect(fates(outcome)).toEqual(ALL_DONE);
  });

  it.each([
    {
      name: 'an identifier not in the event',
      result: returned({ batchItemFailures: [failure('orders-0', 12), failure('orders-1', 99)] }),
      reason:
        'batchItemFailures[1] names orders-1 offset 99, which is not in the event: Lambda retries the whole batch',
    },
    {
      name: 'a records key not in the event',
      result: returned({ batchItemFailures: [failure('refunds-0', 5)] }),
      reason:
        'batchItemFailures[0] names refunds-0 offset 5, which is not in the event: Lambda retries the whole batch',
    },
    {
      name: 'an offset as a string',
      result: returned({ batchItemFailures: [{ itemIdentifier: { 'topic-partition': 'orders-0', offset: '12' } }] }),
      reason:
        'batchItemFailures[0].itemIdentifier is the object {"topic-partition":"orders-0","offset":"12"}: expected a "topic-partition" string and an integer "offset" (assumed: retries the whole batch)',
    },
    {
      name: 'both spellings in one identifier',
      result: returned({
        batchItemFailures: [{ itemIdentifier: { 'topic-partition': 'orders-0', partition: 'orders-0', offset: 12 } }],
      }),
      reason:
        'batchItemFailures[0].itemIdentifier names both "topic-partition" and "partition" (assumed: retries the whole batch)',
    },
    {
      name: 'a string identifier (the SQS form)',
      result: returned({ batchItemFailures: [{ itemIdentifier: 'orders-0:12' }] }),
      reason:
        'batchItemFailures[0].itemIdentifier is string "orders-0:12", not an object with "topic-partition" (or "partition") and "offset" (assumed: retries the whole batch)',
    },
    {
      name: 'a response that is not an object',
      result: returned('ok'),
      reason:
        'the response is string "ok", not a batch response object (assumed, as for SQS and Kinesis: a response Lambda cannot read retries the whole batch)',
    },
    {
      name: 'a thrown error',
      result: { kind: 'error' as const, errorType: 'TypeError', errorMessage: 'boom' },
      reason: 'the handler threw TypeError: boom',
    },
    {
      name: 'a timeout',
      result: { kind: 'timeout' as const, timeoutMs: 3000 },
      reason: 'the handler timed out after 3000 ms',
    },
    {
      name: 'out of memory',
      result: { kind: 'crashed' as const, outOfMemory: true },
      reason: 'the handler ran out of memory',
    },
  ])('the whole batch retried: $name', ({ result, reason }) => {
    const outcome = batchOutcome(EVENT, result, { reportBatchItemFailures: true });
    expect(outcome.verdict).toEqual({ kind: 'retried', reason });
    expect(fates(outcome)).toEqual(WHOLE);
  });
});
