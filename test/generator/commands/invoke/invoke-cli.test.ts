/**
 * `msk-codegen invoke`, end to end in a project: scaffolded handlers (partial batch and plain)
 * and hand-written ones, invoked with sampled events; the report and the exit code say what the
 * event source mapping would do (docs/lambda-kafka-invocation.md section 1).
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_SCHEMA } from '../../../../generator/commands/init.js';
import { REPO_ROOT } from '../../../helpers.js';
import { runCliCaptured } from '../../../run-cli.js';

let dir: string;
const run = (...argv: string[]) => runCliCaptured(argv, { cwd: dir });

/** The records of an event file: [records key, offsets]. */
async function partitions(file: string): Promise<[string, number[]][]> {
  const event = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as {
    records: Record<string, { offset: number }[]>;
  };
  return Object.entries(event.records).map(([key, list]) => [key, list.map((r) => r.offset)]);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'msk-codegen-invoke-cli-'));
  await writeFile(path.join(dir, 'package.json'), '{ "name": "consumer", "type": "module", "private": true }\n');
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  await mkdir(path.join(dir, 'schemas'));
  await writeFile(path.join(dir, 'schemas', 'order.schema.json'), JSON.stringify(ORDER_SCHEMA, null, 2));
  await writeFile(
    path.join(dir, 'msk-codegen.config.json'),
    JSON.stringify({ topics: { orders: { value: { format: 'json', schema: 'schemas/order.schema.json' } } } }),
  );
  for (const argv of [
    ['generate'],
    ['scaffold', 'partial', '--topic', 'orders', '--partial-batch', '--test', 'none'],
    ['scaffold', 'plain', '--topic', 'orders', '--test', 'none'],
    ['sample', '--topic', 'orders', '--records', '3', '--partitions', '2', '--out', 'events/good.json'],
    ['sample', '--topic', 'orders', '--records', '2', '--invalid-value', '--out', 'events/bad.json'],
  ]) {
    const result = await run(...argv);
    expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(0);
  }
  // A handler that names a record the event does not hold.
  await writeFile(
    path.join(dir, 'handlers', 'stranger.ts'),
    "export async function handler() {\n  return { batchItemFailures: [{ itemIdentifier: { 'topic-partition': 'orders-9', offset: 1 } }] };\n}\n",
  );
  await writeFile(path.join(dir, 'handlers', 'broken.ts'), 'export const handler = (;\n');
  // Fails the second record of every partition, reporting it (a partial batch response).
  await writeFile(
    path.join(dir, 'handlers', 'second.ts'),
    `import { batchResponse, recordsOf } from '../generated/index.js';
import type { KafkaEvent } from '../generated/index.js';
export async function handler(event: KafkaEvent) {
  return batchResponse(recordsOf(event).filter((entry) => entry.index === 1));
}
`,
  );
  await writeFile(path.join(dir, 'handlers', 'slow.ts'), 'export const handler = () => new Promise(() => {});\n');
  await writeFile(path.join(dir, 'handlers', 'bigint.ts'), 'export const handler = async () => ({ total: 10n });\n');
  const threePartitions = await run(
    'sample',
    '--topic',
    'orders',
    '--records',
    '3',
    '--partitions',
    '3',
    '--out',
    'events/three.json',
  );
  expect(threePartitions.code, threePartitions.stderr).toBe(0);
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('msk-codegen invoke', () => {
  it('a batch the handler takes: exit 0, every partition done, its next offset', async () => {
    const result = await run('invoke', 'handlers/partial.ts', '--event', 'events/good.json');
    expect(result.code, result.stderr).toBe(0);
    const [[key0, [a, , c]], [key1, [d, , f]]] = (await partitions('events/good.json')) as [
      [string, number[]],
      [string, number[]],
    ];
    expect(result.stdout).toContain('ReportBatchItemFailures on');
    expect(result.stdout).toContain('events/good.json: 6 records in 2 partitions');
    expect(result.stdout).toContain('  batch: succeeded\n');
    expect(result.stdout).toContain(`    ${key0}: done ${a}-${c}; next offset ${(c as number) + 1}\n`);
    expect(result.stdout).toContain(`    ${key1}: done ${d}-${f}; next offset ${(f as number) + 1}\n`);
    // The handler's own log lines went to stderr.
    expect(result.stderr).toContain('valid Order');
  });

  it('with partial batch responses, payload-broken records: exit 1, the partition resumes at the first failed offset', async () => {
    const result = await run('invoke', 'handlers/partial.ts', '--event', 'events/bad.json');
    expect(result.code).toBe(1);
    const [[key, [first, second]]] = (await partitions('events/bad.json')) as [[string, number[]]];
    expect(result.stdout).toContain('  batch: partly failed (identifiers keyed "topic-partition")\n');
    expect(result.stdout).toContain(`    ${key}: nothing done; failed ${first}-${second}; resumes at ${first}\n`);
  });

  it('without partial batch responses, the handler throws: the whole batch is retried', async () => {
    const result = await run('invoke', 'handlers/plain.ts', '--event', 'events/bad.json');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('ReportBatchItemFailures off');
    expect(result.stdout).toMatch(
      /\n {2}batch: retried whole: the handler threw PayloadValidationError: records\/orders-0\/0\/value: not a valid Order: \/orderId: /,
    );
  });

  it('an identifier the event does not hold: the whole batch is retried (JSON report)', async () => {
    const result = await run(
      'invoke',
      'handlers/stranger.ts',
      '--event',
      'events/good.json',
      '--partial-batch',
      '--format',
      'json',
    );
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { handler: string; events: { batch: { verdict: unknown } }[] };
    expect(report.handler).toBe(path.join('handlers', 'stranger.ts'));
    expect(report.events[0]?.batch.verdict).toEqual({
      kind: 'retried',
      reason: 'batchItemFailures[0] names orders-9 offset 1, which is not in the event: Lambda retries the whole batch',
    });
  });

  it('one failed record in each of three partitions: each resumes at its failed offset, the record after it delivered again', async () => {
    const result = await run('invoke', 'handlers/second.ts', '--event', 'events/three.json', '--partial-batch');
    expect(result.code, result.stderr).toBe(1);
    const parts = await partitions('events/three.json');
    expect(parts).toHaveLength(3);
    for (const [key, [a, b, c]] of parts as [string, [number, number, number]][])
      expect(result.stdout).toContain(
        `    ${key}: done ${a}; failed ${b}; resumes at ${b}; ${c} delivered again (checkpoint reading, see the README)\n`,
      );
  });

  it('a handler that times out, one that returns what JSON cannot hold: the whole batch retried', async () => {
    const slow = await run('invoke', 'handlers/slow.ts', '--event', 'events/good.json', '--timeout', '1');
    expect(slow.code).toBe(1);
    expect(slow.stdout).toContain('  batch: retried whole: the handler timed out after 1000 ms\n');
    const big = await run('invoke', 'handlers/bigint.ts', '--event', 'events/good.json');
    expect(big.code).toBe(1);
    expect(big.stdout).toContain(
      '  batch: retried whole: the handler threw Runtime.MarshalError: Do not know how to serialize a BigInt\n',
    );
  });

  it('--sample: an event sample makes', async () => {
    const result = await run(
      'invoke',
      'handlers/partial.ts#handler',
      '--sample',
      '--topic',
      'orders',
      '--records',
      '2',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('sample: 2 records in 1 partition');
  });

  it("the invoke command in a scaffolded handler's header runs it on a sample event", async () => {
    const header = await readFile(path.join(dir, 'handlers', 'partial.ts'), 'utf8');
    const command = /`npx msk-codegen (invoke [^`]+)`/.exec(header)?.[1];
    expect(command).toBe('invoke handlers/partial.ts --sample --topic orders');
    const result = await run(...(command as string).split(' '));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('  batch: succeeded\n');
  });

  it('an event bigger than the batch size: a warning', async () => {
    const result = await run('invoke', 'handlers/partial.ts', '--event', 'events/good.json', '--batch-size', '5');
    expect(result.stdout).toContain(
      '  warning: it holds 6 records, more than the batch size 5: no mapping with that batch size delivers it (--batch-size)\n',
    );
  });

  it.each([
    { args: ['handlers/broken.ts', '--event', 'events/good.json'], says: 'error E_BUNDLE: cannot bundle the handler' },
    {
      args: ['handlers/none.ts', '--event', 'events/good.json'],
      says: 'error E_UNREADABLE: cannot read the handler file',
    },
    { args: ['handlers/partial.ts'], says: 'no event: give --event <file> (or -), or --sample' },
    {
      args: ['handlers/partial.ts', '--event', 'events/good.json', '--sample'],
      says: 'give --event or --sample, not both',
    },
    { args: ['handlers/partial.ts#nope', '--event', 'events/good.json'], says: 'has no export "nope" to invoke' },
    {
      args: ['handlers/partial.ts', '--event', 'events/good.json', '--timeout', '900'],
      says: '--timeout must be 1 to 840 seconds',
    },
  ])('$args: exit 2', async ({ args, says }) => {
    const result = await run('invoke', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(says);
  });
});
