// Cold start: fresh node processes, timed from spawn to exit.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median } from './timing.mjs';

const OUT = new URL('./.out/', import.meta.url);

/** Writes the cold-start scripts; the two real ones validate the same 1-record event, inlined as a literal. */
export function writeColdScripts(event) {
  const literal = JSON.stringify(event);
  const generated = fileURLToPath(new URL('cold-generated.mjs', OUT));
  const powertools = fileURLToPath(new URL('cold-powertools.mjs', OUT));
  writeFileSync(
    generated,
    `// Cold start: import the bundled generated API, validate one 1-record event.
import { isKafkaEvent } from './generated.mjs';
const event = ${literal};
if (!isKafkaEvent(event)) process.exitCode = 3;
`,
  );
  writeFileSync(
    powertools,
    `// Cold start: import Powertools' Kafka schema (zod 4), parse the same event.
import { KafkaMskEventSchema } from '@aws-lambda-powertools/parser/schemas/kafka';
const event = ${literal};
if (!KafkaMskEventSchema.safeParse(event).success) process.exitCode = 3;
`,
  );
  // Reference for attribution only: the cost of starting from any ES module file at all.
  const empty = fileURLToPath(new URL('cold-empty.mjs', OUT));
  writeFileSync(empty, '// Cold start reference: an empty ES module (the ESM loader, no code).\n');
  return { generated, powertools, empty };
}

function spawnOnce(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0)
    throw new Error(`node ${args.join(' ')} exited with ${r.status ?? r.signal}: ${String(r.stderr).slice(0, 500)}`);
  return ms;
}

/** Spawns each variant `runs` times, alternating (rotating order), after `warmup` untimed runs each. */
export function measureColdStart(variants, { runs = 50, warmup = 3 } = {}) {
  for (let i = 0; i < warmup; i++) for (const v of variants) spawnOnce(v.args);
  const samples = variants.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < variants.length; k++) {
      const j = (k + i) % variants.length;
      samples[j].push(spawnOnce(variants[j].args));
    }
  }
  return variants.map((v, j) => ({
    id: v.id,
    label: v.label,
    runs,
    median: median(samples[j]),
    min: Math.min(...samples[j]),
  }));
}
