// 12. `msk-codegen replay` throughput (issue 12): 100,000 recorded records over 3 partitions
// through a no-op handler, bundled once and run in one warm process, batches of 100 (1,000
// invocations). Target: at least 50,000 records/s. The time includes reading the records,
// bundling the handler and starting its process: the whole command, as a user runs it.
//
// Part of `npm run bench`. Also runs alone: `node bench/replay.mjs`.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { replayCommand } from '../dist/generator/commands/replay/index.js';
import { section as printSection, verdict } from './format.mjs';

export const REPLAY_TARGETS = { recordsPerSecond: 50_000 };

const REPO = fileURLToPath(new URL('..', import.meta.url));
const OUT = fileURLToPath(new URL('./.out/replay/', import.meta.url));
const RECORDS = 100_000;

function project() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(path.join(OUT, 'handlers'), { recursive: true });
  writeFileSync(path.join(OUT, 'package.json'), '{ "name": "bench-replay", "type": "module", "private": true }\n');
  symlinkSync(path.join(REPO, 'node_modules'), path.join(OUT, 'node_modules'), 'dir');
  writeFileSync(path.join(OUT, 'handlers', 'noop.ts'), 'export async function handler() {}\n');
  const lines = [];
  for (let i = 0; i < RECORDS; i++) {
    const partition = i % 3;
    lines.push(
      JSON.stringify({
        topic: 'orders',
        partition,
        offset: Math.floor(i / 3),
        timestamp: 1_760_000_000_000 + i,
        timestampType: 'CREATE_TIME',
        key: 'b3JkZXItMQ==',
        value: Buffer.from(JSON.stringify({ orderId: `o-${i}`, total: i % 1000 })).toString('base64'),
        headers: [],
      }),
    );
  }
  writeFileSync(path.join(OUT, 'records.jsonl'), `${lines.join('\n')}\n`);
}

export async function runReplay({ section = printSection } = {}) {
  section(
    `12. replay: ${RECORDS.toLocaleString('en-US')} records, a no-op handler in one warm process, batches of 100`,
  );
  project();
  const request = {
    cwd: OUT,
    handler: 'handlers/noop.ts',
    records: 'records.jsonl',
    batchSize: 100,
    maximumRetryAttempts: -1,
    bisectBatchOnFunctionError: false,
    maximumRecordAgeSeconds: -1,
    timeoutSeconds: 60,
    memoryMb: 1024,
    maxInvocations: 100_000,
    onLog: () => {},
  };
  await replayCommand(request); // warm-up: esbuild's and the file cache
  const runs = [];
  let report;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    report = await replayCommand(request);
    runs.push(performance.now() - t0);
  }
  if (report.invocations !== RECORDS / 100 || report.discarded.length > 0)
    throw new Error(`replay did not run ${RECORDS / 100} clean invocations: ${report.invocations}`);
  runs.sort((a, b) => a - b);
  const ms = runs[1];
  const perSecond = RECORDS / (ms / 1000);
  const v = verdict(perSecond >= REPLAY_TARGETS.recordsPerSecond);
  console.log(
    `  ${report.invocations.toLocaleString('en-US')} invocations in ${(ms / 1000).toFixed(2)} s (median of 3; reading, bundling and the process included): ${Math.round(perSecond).toLocaleString('en-US')} records/s`,
  );
  console.log(`  target: at least ${REPLAY_TARGETS.recordsPerSecond.toLocaleString('en-US')} records/s: ${v}`);
  return { seconds: ms / 1000, recordsPerSecond: perSecond, verdicts: [v] };
}

if (import.meta.url === `file://${process.argv[1]}`) await runReplay();
