// 11. `msk-codegen invoke` (issue 12): the whole command (a fresh msk-codegen process: the
// event checked, the handler bundled with esbuild, a fresh node process running it, the
// report) on a 100-record event, against `node` running the same handler, bundled
// beforehand, once on the same event. Target: at most 1.5x.
//
// The project is made here (bench/.out/invoke/): the embedded schema, init's Order as the
// payload of topic "orders", a handler that decodes every record with the generated API and
// returns a partial batch response, and a 100-record event from `sample`.
//
// Part of `npm run bench`. Also runs alone: `node bench/invoke.mjs`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { ORDER_SCHEMA } from '../dist/generator/commands/init.js';
import { fmtRatio, section as printSection, table, verdict } from './format.mjs';
import { median } from './timing.mjs';

export const INVOKE_TARGETS = { vsNode: 1.5 };

const REPO = fileURLToPath(new URL('..', import.meta.url));
const OUT = fileURLToPath(new URL('./.out/invoke/', import.meta.url));
const CLI = path.join(REPO, 'dist', 'generator', 'bin.js');

const HANDLER = `import type { KafkaBatchResponse } from '../generated/index.js';
import { decodeRecord, parseKafkaEvent, processRecords } from '../generated/index.js';

export async function handler(input: unknown): Promise<KafkaBatchResponse> {
  const event = parseKafkaEvent(input);
  return processRecords(event, async (entry) => {
    decodeRecord(entry);
  });
}
`;

function run(args, options = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: OUT, encoding: 'utf8', ...options });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== options.allow)
    throw new Error(`node ${args.join(' ')} exited with ${r.status ?? r.signal}: ${r.stderr.slice(0, 800)}`);
  return { ms, stdout: r.stdout };
}

function project() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(path.join(OUT, 'schemas'), { recursive: true });
  mkdirSync(path.join(OUT, 'handlers'));
  writeFileSync(path.join(OUT, 'package.json'), '{ "name": "bench-invoke", "type": "module", "private": true }\n');
  symlinkSync(path.join(REPO, 'node_modules'), path.join(OUT, 'node_modules'), 'dir');
  writeFileSync(path.join(OUT, 'schemas', 'order.schema.json'), JSON.stringify(ORDER_SCHEMA, null, 2));
  writeFileSync(
    path.join(OUT, 'msk-codegen.config.json'),
    JSON.stringify({ topics: { orders: { value: { format: 'json', schema: 'schemas/order.schema.json' } } } }),
  );
  writeFileSync(path.join(OUT, 'handlers', 'orders.ts'), HANDLER);
  run([CLI, 'generate']);
  run([CLI, 'sample', '--topic', 'orders', '--records', '50', '--partitions', '2', '--out', 'event.json']);
}

export async function runInvoke({ section = printSection, runs = 15 } = {}) {
  section('11. invoke: the whole command against node running the pre-bundled handler once (100 records)');
  project();
  // The reference: the handler bundled beforehand as invoke bundles it, run once by a fresh node.
  await esbuild.build({
    entryPoints: [path.join(OUT, 'handlers', 'orders.ts')],
    outfile: path.join(OUT, 'prebundled.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  writeFileSync(
    path.join(OUT, 'run-prebundled.mjs'),
    "import { readFileSync } from 'node:fs';\nimport { handler } from './prebundled.mjs';\nconst response = await handler(JSON.parse(readFileSync('event.json', 'utf8')));\nif (response.batchItemFailures.length !== 0) process.exitCode = 3;\n",
  );
  const variants = [
    {
      id: 'node',
      label: 'node run-prebundled.mjs (the handler, bundled beforehand, once)',
      args: ['run-prebundled.mjs'],
    },
    {
      id: 'invoke',
      label: 'msk-codegen invoke handlers/orders.ts --event event.json',
      args: [CLI, 'invoke', 'handlers/orders.ts', '--event', 'event.json'],
    },
  ];
  const check = run(variants[1].args);
  if (!check.stdout.includes('batch: succeeded')) throw new Error(`invoke did not report success:\n${check.stdout}`);
  for (const v of variants) run(v.args); // warm-up: caches (the compiled validator, the OS's file cache)
  const samples = { node: [], invoke: [] };
  for (let i = 0; i < runs; i++)
    for (const v of i % 2 ? variants : [...variants].reverse()) samples[v.id].push(run(v.args).ms);
  const node = median(samples.node);
  const invoke = median(samples.invoke);
  const ratio = invoke / node;
  console.log(
    table(
      ['process', 'median', 'min', 'x node'],
      variants.map((v) => [
        v.label,
        `${median(samples[v.id]).toFixed(0)} ms`,
        `${Math.min(...samples[v.id]).toFixed(0)} ms`,
        fmtRatio(median(samples[v.id]) / node),
      ]),
      ['l', 'r', 'r', 'r'],
    ).replace(/^/gm, '  '),
  );
  const v = verdict(ratio <= INVOKE_TARGETS.vsNode);
  console.log(
    `  target: invoke within ${INVOKE_TARGETS.vsNode}x of node running the pre-bundled handler: ${fmtRatio(ratio)} ${v}`,
  );
  return { nodeMs: node, invokeMs: invoke, ratio, verdicts: [v], runs };
}

if (import.meta.url === `file://${process.argv[1]}`) await runInvoke();
