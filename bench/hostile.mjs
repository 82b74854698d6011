// 9. Hostile input: what a broken or adversarial event costs, against the same work on a
// valid input of the same size, timed in the same run. Targets (reported, never enforced):
// within 3x of the valid input. And what the strict base64 check costs the record helpers:
// under 5% of their decode time.
//   (1) safeParseKafkaEvent on one header of 1,000,000 bytes, all out of range, vs all in range;
//   (2) `msk-codegen validate` (fresh processes) on a 20,000-record event with several problems
//       per record, vs a valid event of exactly the same size and shape;
//   (3) the base64 check (generator/runtime/base64.ts, in every key and value helper) against
//       the decoding it guards, on every value of the ~6 MB event.
// Runs alone with `node bench/hostile.mjs` (after `npm run build`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { base64Problem } from '../dist/generator/runtime/base64.js';
import { buildBundle, BUNDLE_PATH } from './build.mjs';
import { canonicalEvents } from './events.mjs';
import { fmtBytes, fmtInt, fmtNs, fmtRatio, section as printSection, table, verdict } from './format.mjs';
import { measure, median } from './timing.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(REPO, 'dist', 'generator', 'bin.js');

export const HOSTILE_TARGETS = {
  invalidVsValid: 3, // a broken input costs at most 3x the same work on a valid one of the same size
  base64Share: 0.05, // the strict base64 check costs under 5% of the helpers' decode time
};

const ARN = 'arn:aws:kafka:us-east-1:123456789012:cluster/demo/a1b2c3d4-a1b2-4c3d-8e9f-a1b2c3d4e5f6-1';

/** One header of `n` bytes, each `byte`. */
const headerEvent = (n, byte) => ({
  eventSource: 'aws:kafka',
  eventSourceArn: ARN,
  records: {
    'mytopic-0': [
      {
        topic: 'mytopic',
        partition: 0,
        offset: 1,
        timestamp: 1_700_000_000_000,
        timestampType: 'CREATE_TIME',
        headers: [{ h: new Array(n).fill(byte) }],
      },
    ],
  },
});

/**
 * 20,000 records; broken: partition -1, timestampType "CREATE_TIMX" and a header byte 300 in
 * each (three problems per record); valid: partition 10, "CREATE_TIME", byte 100. Same length.
 */
function recordsEventText(broken) {
  const records = [];
  for (let i = 0; i < 20_000; i++) {
    records.push({
      topic: 'mytopic',
      partition: broken ? -1 : 10,
      offset: 100_000 + i,
      timestamp: 1_700_000_000_000 + i,
      timestampType: broken ? 'CREATE_TIMX' : 'CREATE_TIME',
      key: 'b3JkZXItMQ==',
      value: 'eyJvcmRlcklkIjoiT1JELTEiLCJzdGF0dXMiOiJQQUlEIn0=',
      headers: [{ traceparent: [48, 48, 45, 97, 98, 99] }, { source: [broken ? 300 : 100, 101] }],
    });
  }
  return `${JSON.stringify({ eventSource: 'aws:kafka', eventSourceArn: ARN, records: { 'mytopic-10': records } }, null, 1)}\n`;
}

function spawnTimed(args, cwd, expectCode) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.error || result.status !== expectCode)
    throw new Error(
      `node ${args.join(' ')} exited with ${result.status ?? result.signal}: ${(result.stdout + result.stderr).slice(0, 800)}`,
    );
  return { ms, outputBytes: Buffer.byteLength(result.stdout) };
}

export async function runHostile({ runs = 5, section = printSection, generated } = {}) {
  section('9. Hostile input (ratios to the same work on a valid input of the same size)');
  const api =
    generated ?? (await import(pathToFileURL(existsSync(BUNDLE_PATH) ? BUNDLE_PATH : (await buildBundle()).path).href));
  const rows = [];
  const verdicts = [];

  // (1) safeParse on a million-byte header.
  const bad = headerEvent(1_000_000, 300);
  const good = headerEvent(1_000_000, 100);
  const broken = api.safeParseKafkaEvent(bad);
  if (broken.success || broken.issues.length !== 100 || broken.omitted !== 999_900)
    throw new Error(
      `safeParse on the broken header: expected 100 issues and 999,900 more, got ${JSON.stringify({ success: broken.success, n: broken.issues?.length, omitted: broken.omitted })}`,
    );
  if (!api.safeParseKafkaEvent(good).success) throw new Error('safeParse rejected the valid million-byte header');
  const [b, g, isBad] = measure(
    [
      {
        id: 'bad',
        label: 'safeParseKafkaEvent, 1,000,000 bytes out of range',
        fn: (v) => !api.safeParseKafkaEvent(v).success,
        arg: bad,
      },
      {
        id: 'good',
        label: 'safeParseKafkaEvent, 1,000,000 bytes in range',
        fn: (v) => api.safeParseKafkaEvent(v).success,
        arg: good,
      },
      {
        id: 'isBad',
        label: 'isKafkaEvent, 1,000,000 bytes out of range (stops at the first)',
        fn: (v) => !api.isKafkaEvent(v),
        arg: bad,
      },
    ],
    { warmupMs: 300, minWarmupCalls: 3, roundMs: 150, rounds: 7 },
  );
  const headerRatio = b.median / g.median;
  rows.push([b.label, fmtNs(b.median), fmtRatio(headerRatio), '100 issues + "999,900 more"']);
  rows.push([g.label, fmtNs(g.median), '1.00x', '']);
  rows.push([isBad.label, fmtNs(isBad.median), fmtRatio(isBad.median / g.median), 'false']);
  verdicts.push(verdict(headerRatio <= HOSTILE_TARGETS.invalidVsValid));

  // (2) validate on 20,000 broken records, fresh processes, alternating with the valid twin.
  const dir = mkdtempSync(path.join(tmpdir(), 'msk-codegen-bench-hostile-'));
  try {
    const badText = recordsEventText(true);
    const goodText = recordsEventText(false);
    if (badText.length !== goodText.length) throw new Error('the broken and valid events differ in size');
    writeFileSync(path.join(dir, 'broken.json'), badText);
    writeFileSync(path.join(dir, 'valid.json'), goodText);
    const samples = { broken: [], valid: [] };
    let output = 0;
    for (let i = 0; i < runs + 1; i++) {
      for (const id of i % 2 ? ['broken', 'valid'] : ['valid', 'broken']) {
        const run = spawnTimed([BIN, 'validate', `${id}.json`], dir, id === 'broken' ? 1 : 0);
        if (id === 'broken') output = run.outputBytes;
        if (i > 0) samples[id].push(run.ms); // the first round warms the file cache
      }
    }
    const [vb, vg] = [median(samples.broken), median(samples.valid)];
    const validateRatio = vb / vg;
    rows.push([
      `msk-codegen validate, 20,000 records x 3 problems (${fmtBytes(badText.length)})`,
      `${vb.toFixed(0)} ms`,
      fmtRatio(validateRatio),
      `prints ${fmtBytes(output)}`,
    ]);
    rows.push(['msk-codegen validate, the same event valid', `${vg.toFixed(0)} ms`, '1.00x', '']);
    verdicts.push(verdict(validateRatio <= HOSTILE_TARGETS.invalidVsValid));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(table(['case', 'median', 'x valid', 'result'], rows, ['l', 'r', 'r', 'l']).replace(/^/gm, '  '));
  console.log(
    `  targets: within ${HOSTILE_TARGETS.invalidVsValid}x of the valid input: safeParse ${verdicts[0]}, validate ${verdicts[1]}`,
  );

  // (3) The base64 check against the decoding it guards, on every value of the ~6 MB event.
  const values = [];
  for (const list of Object.values(canonicalEvents()[2].event.records))
    for (const r of list) if (r.value != null) values.push(r.value);
  const decodeOnly = (list) => {
    let n = 1;
    for (const v of list) n += Buffer.from(v, 'base64').toString('utf8').length;
    return n;
  };
  const decodeChecked = (list) => {
    let n = 1;
    for (const v of list) {
      const bytes = Buffer.from(v, 'base64');
      if (base64Problem(v, bytes.length) !== undefined) throw new Error('a canonical value failed the check');
      n += bytes.toString('utf8').length;
    }
    return n;
  };
  const [plain, checked] = measure(
    [
      { id: 'plain', label: 'Buffer.from(value, base64).toString(utf8)', fn: decodeOnly, arg: values },
      { id: 'checked', label: 'the same, with the base64 check', fn: decodeChecked, arg: values },
    ],
    { warmupMs: 300, minWarmupCalls: 3, roundMs: 150, rounds: 11 },
  );
  const share = checked.median / plain.median - 1;
  const ok = share < HOSTILE_TARGETS.base64Share;
  console.log(
    `\n  base64 check on ${fmtInt(values.length)} values of the ~6 MB event: decode ${fmtNs(plain.median)}, decode + check ${fmtNs(checked.median)}: the check costs ${(share * 100).toFixed(1)}% of the decoding (target < ${HOSTILE_TARGETS.base64Share * 100}%) ${verdict(ok)}`,
  );
  verdicts.push(verdict(ok));
  return {
    header: { broken: b.median, valid: g.median, isBroken: isBad.median, ratio: headerRatio },
    base64Share: share,
    targets: HOSTILE_TARGETS,
    verdicts,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runHostile();
