/**
 * `msk-codegen replay`, end to end: records from a JSON Lines file and from a folder of event
 * files, through a real handler in a warm process (its module state survives between
 * invocations, which the handler below relies on), timelines worked out by hand.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../helpers.js';
import { runCliCaptured } from '../../../run-cli.js';

let dir: string;
const run = (...argv: string[]) => runCliCaptured(argv, { cwd: dir });
const record = (partition: number, offset: number) => ({
  topic: 'a',
  partition,
  offset,
  timestamp: 1_760_000_000_000 + offset,
  timestampType: 'CREATE_TIME',
  value: 'e30=',
  headers: [],
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'msk-codegen-replay-'));
  await writeFile(path.join(dir, 'package.json'), '{ "name": "consumer", "type": "module", "private": true }\n');
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  await mkdir(path.join(dir, 'handlers'));
  // Fails a-0@1 and a-2@3 the first two times it sees them, reporting them in a partial batch response.
  await writeFile(
    path.join(dir, 'handlers', 'flaky.ts'),
    `const seen = new Map<string, number>();
export async function handler(event: { records: Record<string, { topic: string; partition: number; offset: number }[]> }) {
  const failures = [];
  for (const [key, records] of Object.entries(event.records))
    for (const r of records) {
      const id = key + '@' + r.offset;
      const times = (seen.get(id) ?? 0) + 1;
      seen.set(id, times);
      if ((id === 'a-0@1' || id === 'a-2@3') && times <= 2) failures.push({ itemIdentifier: { 'topic-partition': key, offset: r.offset } });
    }
  return { batchItemFailures: failures };
}
`,
  );
  await writeFile(path.join(dir, 'handlers', 'ok.ts'), 'export async function handler() {}\n');
  const lines = [0, 1, 2].flatMap((p) => [0, 1, 2, 3].map((o) => JSON.stringify(record(p, o))));
  await writeFile(path.join(dir, 'records.jsonl'), `${lines.join('\n')}\n`);
  await mkdir(path.join(dir, 'events'));
  // Two event files that overlap at a-0@1: replayed once.
  const event = (offsets: number[]) => ({
    eventSource: 'aws:kafka',
    eventSourceArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/x/y',
    records: { 'a-0': offsets.map((o) => record(0, o)) },
  });
  await writeFile(path.join(dir, 'events', '1.json'), JSON.stringify(event([0, 1])));
  await writeFile(path.join(dir, 'events', '2.json'), JSON.stringify(event([1, 2])));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('msk-codegen replay', () => {
  it('records failing twice, then passing: each partition resumes at its failed offset until they pass; exit 0', async () => {
    const result = await run('replay', 'handlers/flaky.ts', '--records', 'records.jsonl', '--partial-batch');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      [
        'msk-codegen replay handlers/flaky.ts#handler: 12 records in 3 partitions (ReportBatchItemFailures on)',
        '  #1 a-0:0-3 a-1:0-3 a-2:0-3: partial',
        '  #2 a-0:1-3 a-2:3: partial (attempt 2)',
        '  #3 a-0:1-3 a-2:3: succeeded (attempt 3)',
        'summary: 3 invocations, 2 retries; committed a-0 up to 4, a-1 up to 4, a-2 up to 4; 0 records for the on-failure destination',
        '',
      ].join('\n'),
    );
  });

  it('with one retry allowed: the failing records are discarded and written as S3 on-failure records; exit 1', async () => {
    const result = await run(
      'replay',
      'handlers/flaky.ts',
      '--records',
      'records.jsonl',
      '--partial-batch',
      '--maximum-retry-attempts',
      '1',
      '--on-failure-dir',
      'failed',
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('  #2 a-0:1-3 a-2:3: partial (attempt 2); discarded\n');
    expect(result.stdout).toContain(
      'summary: 2 invocations, 1 retry; committed a-0 up to 4, a-1 up to 4, a-2 up to 4; 4 records for the on-failure destination (RetryAttemptsExhausted ×3, RetryAttemptsExhausted ×1)',
    );
    const first = JSON.parse(await readFile(path.join(dir, 'failed', 'on-failure-0001.json'), 'utf8'));
    expect(first.requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 });
    expect(first.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(first.KafkaBatchInfo).toMatchObject({
      batchSize: 3,
      recordsInfo: {
        'a-0': {
          firstRecordOffset: '1',
          lastRecordOffset: '3',
          firstRecordTimestamp: new Date(1_760_000_000_001).toISOString(),
          lastRecordTimestamp: new Date(1_760_000_000_003).toISOString(),
        },
      },
    });
    const payload = JSON.parse(first.payload);
    expect(payload.records['a-0'].map((r: { offset: number }) => r.offset)).toEqual([1, 2, 3]);
    expect(first.KafkaBatchInfo.payloadSize).toBe(Buffer.byteLength(first.payload));
  });

  it('the S3 on-failure records it wrote: valid and consistent for validate, re-run by invoke and replay (their events read back)', async () => {
    // Written by the test above: a-0@1-3 and a-2@3.
    const checked = await run('validate', '--kind', 'on-failure', '--strict', 'failed/*.json');
    expect(checked.stdout).toBe('2 files, 2 valid, 0 invalid, 0 warnings\n');
    expect(checked.code).toBe(0);

    const invoked = await run(
      'invoke',
      'handlers/flaky.ts',
      '--event',
      'failed/on-failure-0001.json',
      '--partial-batch',
    );
    // A fresh handler process: a-0@1 fails again (its first time there), a-0@2-3 are done again after it.
    expect(invoked.code, invoked.stderr).toBe(1);
    expect(invoked.stdout).toContain('failed/on-failure-0001.json (its payload)');
    expect(invoked.stdout).toContain('a-0: nothing done; failed 1; resumes at 1; 2-3 delivered again');

    const replayed = await run('replay', 'handlers/ok.ts', '--records', 'failed');
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(replayed.stdout).toContain('4 records in 2 partitions');
    expect(replayed.stdout).toContain('  #1 a-0:1-3 a-2:3: succeeded\n');
  });

  it('an SQS on-failure record (no event): invoke and replay say so, naming the file; exit 2', async () => {
    const sqs = JSON.parse(await readFile(path.join(dir, 'failed', 'on-failure-0001.json'), 'utf8'));
    delete sqs.payload;
    await writeFile(path.join(dir, 'sqs-record.json'), JSON.stringify(sqs, null, 2));
    const message =
      "an on-failure record without an event to %s: /payload: expected the discarded invocation's event, received missing (SQS and SNS destinations carry none: find the records by the offsets in KafkaBatchInfo.recordsInfo)";
    const invoked = await run('invoke', 'handlers/ok.ts', '--event', 'sqs-record.json');
    expect(invoked.code).toBe(2);
    expect(invoked.stderr).toContain(`sqs-record.json: error E_USAGE: ${message.replace('%s', 'invoke with')}`);
    const replayed = await run('replay', 'handlers/ok.ts', '--records', 'sqs-record.json');
    expect(replayed.code).toBe(2);
    expect(replayed.stderr).toContain(`sqs-record.json: error E_USAGE: ${message.replace('%s', 'replay')}`);
  });

  it('1,000 records over 3 partitions, three of them failing the first two times they are seen: the timeline worked out by hand', async () => {
    // a-0: offsets 0-399, a-1: 0-299, a-2: 0-299, in that order; batches of 100, taken partition by partition.
    const lines = [
      ...Array.from({ length: 400 }, (_, o) => record(0, o)),
      ...Array.from({ length: 300 }, (_, o) => record(1, o)),
      ...Array.from({ length: 300 }, (_, o) => record(2, o)),
    ].map((r) => JSON.stringify(r));
    await writeFile(path.join(dir, 'thousand.jsonl'), `${lines.join('\n')}\n`);
    await writeFile(
      path.join(dir, 'handlers', 'flaky1000.ts'),
      `const seen = new Map<string, number>();
const FAILING = new Set(['a-0@150', 'a-1@20', 'a-2@299']);
export async function handler(event: { records: Record<string, { offset: number }[]> }) {
  const batchItemFailures = [];
  for (const [key, records] of Object.entries(event.records))
    for (const r of records) {
      const id = key + '@' + r.offset;
      const times = (seen.get(id) ?? 0) + 1;
      seen.set(id, times);
      if (FAILING.has(id) && times <= 2) batchItemFailures.push({ itemIdentifier: { 'topic-partition': key, offset: r.offset } });
    }
  return { batchItemFailures };
}
`,
    );
    const result = await run('replay', 'handlers/flaky1000.ts', '--records', 'thousand.jsonl', '--partial-batch');
    expect(result.code, result.stderr).toBe(0);
    // By hand: a-0@150 fails in #2 (a-0 resumes at 150) and #3, passes in #4; a-0's last 50 records share #6 with
    // a-1's first 50, where a-1@20 fails (resumes at 20), again in #7, passes in #8; a-1's last 80 share #10 with
    // a-2's first 20; a-2@299 fails in #13 (220-298 committed), in #14 alone, passes in #15.
    expect(result.stdout).toBe(
      [
        'msk-codegen replay handlers/flaky1000.ts#handler: 1000 records in 3 partitions (ReportBatchItemFailures on)',
        '  #1 a-0:0-99: succeeded',
        '  #2 a-0:100-199: partial',
        '  #3 a-0:150-249: partial (attempt 2)',
        '  #4 a-0:150-249: succeeded (attempt 3)',
        '  #5 a-0:250-349: succeeded',
        '  #6 a-0:350-399 a-1:0-49: partial',
        '  #7 a-1:20-119: partial (attempt 2)',
        '  #8 a-1:20-119: succeeded (attempt 3)',
        '  #9 a-1:120-219: succeeded',
        '  #10 a-1:220-299 a-2:0-19: succeeded',
        '  #11 a-2:20-119: succeeded',
        '  #12 a-2:120-219: succeeded',
        '  #13 a-2:220-299: partial',
        '  #14 a-2:299: partial (attempt 2)',
        '  #15 a-2:299: succeeded (attempt 3)',
        'summary: 15 invocations, 6 retries; committed a-0 up to 400, a-1 up to 300, a-2 up to 300; 0 records for the on-failure destination',
        '',
      ].join('\n'),
    );
  });

  it('a folder of event files: their records, each once, in offset order', async () => {
    const result = await run('replay', 'handlers/ok.ts', '--records', 'events');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('3 records in 1 partition');
    expect(result.stdout).toContain('  #1 a-0:0-2: succeeded\n');
  });

  it.each([
    { args: ['--records', 'none.jsonl'], says: 'E_UNREADABLE: cannot read the records' },
    {
      args: ['--records', 'records.jsonl', '--maximum-record-age', '30'],
      says: '--maximum-record-age must be -1 (no limit) or 60 to 604800 seconds',
    },
    { args: ['--records', 'handlers'], says: 'holds no .json or .jsonl files' },
  ])('$args: exit 2', async ({ args, says }) => {
    const result = await run('replay', 'handlers/ok.ts', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(says);
  });
});
