// 7. Validate: `msk-codegen validate` as a user runs it, each run a fresh process, on
// (1) 1,000 small event files named by a glob and (2) one ~6 MB event. References, timed in
// the same alternating rounds: `node -e 0`, a "compile at run time" Ajv script (what Ajv's own
// CLI does: bench/validate-ajv.mjs) and "process start + JSON.parse" (bench/validate-parse.mjs).
// Targets: 1,000 files in under 1 s on this machine, and in at most the Ajv script's time;
// the ~6 MB event within 3x of reading and parsing it. Reported, never enforced. Also, for
// information, the same files in a project whose msk-codegen.config.json declares typed
// payloads (every value decoded and checked against its schema): with the project's cache
// of compiled validators (node_modules/.cache/msk-codegen), and without one (compiled in
// every run, as in a CI job that keeps no cache). Runs alone with `node bench/validate.mjs`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEvent, canonicalEvents } from './events.mjs';
import { median } from './timing.mjs';
import { fmtBytes, fmtInt, fmtRatio, section as printSection, table, verdict } from './format.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(REPO, 'dist', 'generator', 'bin.js');
const SCHEMA = path.join(REPO, 'schema', 'kafka-event.schema.json');
const AJV_SCRIPT = fileURLToPath(new URL('./validate-ajv.mjs', import.meta.url));
const PARSE_SCRIPT = fileURLToPath(new URL('./validate-parse.mjs', import.meta.url));
const PHASES_SCRIPT = fileURLToPath(new URL('./validate-phases.mjs', import.meta.url));

export const VALIDATE_TARGETS = {
  manyFilesMs: 1000, // msk-codegen validate 'events/*.json' over 1,000 files: under 1 s wall time
  manyVsAjv: 1, // ... and at most the time of the Ajv script that compiles at run time
  bigVsParse: 3, // msk-codegen validate big.json: within 3x of process start + read + JSON.parse
};
const FILES = 1000;
const GLOB = 'events/*.json';

/**
 * 1,000 event files of 1 to 3 records (seeded: the same bytes on every run), written as
 * `msk-codegen sample` writes them (2-space JSON), and big.json: the ~6 MB event's text.
 */
function writeFixtures(dir, bigText) {
  mkdirSync(path.join(dir, 'events'));
  let bytes = 0;
  let records = 0;
  for (let i = 0; i < FILES; i++) {
    const count = 1 + (i % 3);
    // Every fourth file spreads its records over two topics (with 1 record, one key stays).
    const partitions =
      i % 4 === 3
        ? [
            ['orders', i % 3],
            ['payment-events', i % 2],
          ]
        : [['orders', i % 3]];
    const text = `${JSON.stringify(buildEvent({ seed: 7000 + i, partitions, count }), null, 2)}\n`;
    writeFileSync(path.join(dir, 'events', `event-${String(i).padStart(4, '0')}.json`), text);
    bytes += Buffer.byteLength(text);
    records += count;
  }
  writeFileSync(path.join(dir, 'big.json'), bigText);
  // Typed payloads: the values' schema for both topics, in a project with a cache (typed/) and in one without (nocache/: no package.json, no node_modules).
  for (const project of ['typed', 'nocache']) {
    mkdirSync(path.join(dir, project));
    const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
    writeFileSync(path.join(dir, project, 'order-status.schema.json'), json(VALUE_SCHEMA));
    const side = { key: { format: 'string' }, value: { format: 'json', schema: 'order-status.schema.json' } };
    writeFileSync(
      path.join(dir, project, 'msk-codegen.config.json'),
      json({ topics: { orders: side, 'payment-events': side }, unknownTopics: 'reject' }),
    );
  }
  writeFileSync(path.join(dir, 'typed', 'package.json'), '{ "private": true }\n');
  mkdirSync(path.join(dir, 'typed', 'node_modules'));
  return { files: FILES, bytes, records, bigBytes: Buffer.byteLength(bigText) };
}

/** The schema of the values bench/events.mjs builds (`payload()`), as a user would declare it. */
const VALUE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'OrderStatusChanged',
  type: 'object',
  additionalProperties: false,
  required: ['type', 'orderId', 'customerId', 'status', 'items', 'currency', 'total', 'shippingAddress', 'createdAt'],
  properties: {
    type: { const: 'OrderStatusChanged' },
    orderId: { type: 'string', minLength: 36, maxLength: 36 },
    customerId: { type: 'string', pattern: '^C[0-9]{6}$' },
    status: { type: 'string', minLength: 1 },
    items: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['sku', 'qty', 'unitPrice'],
        properties: {
          sku: { type: 'string', pattern: '^SKU-[0-9A-F]{6}$' },
          qty: { type: 'integer', minimum: 1 },
          unitPrice: { type: 'number', minimum: 0 },
        },
      },
    },
    currency: { enum: ['USD', 'CHF', 'EUR'] },
    total: { type: 'number', minimum: 0 },
    shippingAddress: {
      type: 'object',
      required: ['city', 'country', 'postalCode'],
      properties: {
        city: { type: 'string' },
        country: { type: 'string', pattern: '^[A-Z]{2}$' },
        postalCode: { type: 'string' },
      },
    },
    createdAt: { type: 'string' },
  },
};

function spawnTimed(args, cwd) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.error || result.status !== 0) {
    throw new Error(
      `node ${args.map((a) => path.basename(a)).join(' ')} exited with ${result.status ?? result.signal ?? result.error}: ${(result.stdout + result.stderr).slice(0, 1000)}`,
    );
  }
  return { ms, stdout: result.stdout };
}

const lastLine = (text) => text.trimEnd().split('\n').pop();

/** Each variant `runs` times after `warmup` untimed runs, in rotating order so drift spreads evenly; every run's output is checked. */
function measureProcesses(variants, cwd, { runs, warmup }) {
  const samples = variants.map(() => []);
  const extras = variants.map(() => []);
  const once = (j) => {
    const v = variants[j];
    const { ms, stdout } = spawnTimed(v.args, cwd);
    const extra = v.check?.(stdout);
    return { ms, extra };
  };
  for (let i = 0; i < warmup; i++) for (let j = 0; j < variants.length; j++) once(j);
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < variants.length; k++) {
      const j = (k + i) % variants.length;
      const { ms, extra } = once(j);
      samples[j].push(ms);
      if (extra !== undefined) extras[j].push(extra);
    }
  }
  return Object.fromEntries(
    variants.map((v, j) => [
      v.id,
      {
        label: v.label,
        median: median(samples[j]),
        min: Math.min(...samples[j]),
        samples: samples[j],
        extra: extras[j].length ? median(extras[j]) : undefined,
      },
    ]),
  );
}

/** msk-codegen prints only the summary for valid files; anything else means an event was rejected. */
const expectCli = (files) => (stdout) => {
  const want = `${files} file${files === 1 ? '' : 's'}, ${files} valid, 0 invalid, 0 warnings`;
  if (stdout.trim() !== want) throw new Error(`msk-codegen validate: expected "${want}", got: ${stdout.slice(0, 500)}`);
};
/** The Ajv script's last line: "<n> files, <n> valid, 0 invalid (compile <ms> ms)"; returns the compile time. */
const expectAjv = (files) => (stdout) => {
  const m = /^(\d+) files, (\d+) valid, 0 invalid \(compile ([\d.]+) ms\)$/.exec(lastLine(stdout));
  if (!m || +m[1] !== files || +m[2] !== files)
    throw new Error(`Ajv reference: expected ${files} valid files, got: ${lastLine(stdout)}`);
  return +m[3];
};

/** In-process step timings (bench/validate-phases.mjs), one fresh process per run, alternating workloads; medians per step. */
function measurePhases(workloads, cwd, runs) {
  const samples = workloads.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < workloads.length; k++) {
      const j = (k + i) % workloads.length;
      samples[j].push(JSON.parse(lastLine(spawnTimed([PHASES_SCRIPT, ...workloads[j]], cwd).stdout)));
    }
  }
  return samples.map((list) =>
    Object.fromEntries(
      Object.keys(list[0]).map((key) => [
        key,
        typeof list[0][key] === 'number' ? median(list.map((s) => s[key])) : list[0][key],
      ]),
    ),
  );
}

const ms = (n) => `${n.toFixed(n < 10 ? 1 : 0)}`;

export function runValidate({ runs = 7, warmup = 1, phaseRuns = 3, bigText, section = printSection } = {}) {
  section(`7. Validate (fresh process per run: median of ${runs} after ${warmup} warm-up, alternating)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'msk-codegen-bench-validate-'));
  try {
    const fixtures = writeFixtures(dir, bigText ?? canonicalEvents()[2].text);
    console.log(
      `  ${fmtInt(fixtures.files)} event files (${fmtInt(fixtures.records)} records, 1-3 per file, ${fmtBytes(fixtures.bytes)}, ${fmtBytes(fixtures.bytes / fixtures.files)} each on average) and big.json (${fmtBytes(fixtures.bigBytes)}, the ~6 MB event of section 2), all valid, in a temporary directory`,
    );

    const t = measureProcesses(
      [
        { id: 'base', label: 'node -e 0', args: ['-e', '0'] },
        { id: 'version', label: 'msk-codegen --version (CLI start-up)', args: [BIN, '--version'] },
        { id: 'many', label: `msk-codegen validate '${GLOB}'`, args: [BIN, 'validate', GLOB], check: expectCli(FILES) },
        {
          id: 'manyAjv',
          label: 'reference: Ajv compiled at run time, same files',
          args: [AJV_SCRIPT, SCHEMA, GLOB],
          check: expectAjv(FILES),
        },
        { id: 'parse', label: 'reference: process start + read + JSON.parse', args: [PARSE_SCRIPT, 'big.json'] },
        { id: 'big', label: 'msk-codegen validate big.json', args: [BIN, 'validate', 'big.json'], check: expectCli(1) },
        {
          id: 'bigAjv',
          label: 'Ajv compiled at run time, big.json (information)',
          args: [AJV_SCRIPT, SCHEMA, 'big.json'],
          check: expectAjv(1),
        },
        {
          id: 'typed',
          label: "typed payloads, with the project's cache",
          args: [BIN, 'validate', '--config', 'typed/msk-codegen.config.json', GLOB],
          check: expectCli(FILES),
        },
        {
          id: 'typedCold',
          label: 'typed payloads, no cache (compiled every run)',
          args: [BIN, 'validate', '--config', 'nocache/msk-codegen.config.json', GLOB],
          check: expectCli(FILES),
        },
      ],
      dir,
      { runs, warmup },
    );
    const base = t.base.median;

    console.log(`\n  (1) ${fmtInt(FILES)} small files`);
    console.log(
      table(
        ['process', 'median ms', 'min ms', 'x node -e 0', 'x Ajv script'],
        ['base', 'version', 'many', 'manyAjv'].map((id) => [
          t[id].label,
          ms(t[id].median),
          ms(t[id].min),
          fmtRatio(t[id].median / base),
          id === 'base' || id === 'version' ? '' : fmtRatio(t[id].median / t.manyAjv.median),
        ]),
        ['l', 'r', 'r', 'r', 'r'],
      ).replace(/^/gm, '  '),
    );
    console.log(`\n  (2) one ~6 MB event`);
    console.log(
      table(
        ['process', 'median ms', 'min ms', 'x node -e 0', 'x read + parse'],
        ['base', 'parse', 'big', 'bigAjv'].map((id) => [
          t[id].label,
          ms(t[id].median),
          ms(t[id].min),
          fmtRatio(t[id].median / base),
          id === 'base' ? '' : fmtRatio(t[id].median / t.parse.median),
        ]),
        ['l', 'r', 'r', 'r', 'r'],
      ).replace(/^/gm, '  '),
    );
    console.log(
      `\n  (3) the ${fmtInt(FILES)} files with typed payloads (msk-codegen.config.json: both topics json, every value decoded and checked; information)`,
    );
    console.log(
      table(
        ['process', 'median ms', 'min ms', 'x node -e 0', 'x Ajv script', 'x envelope only'],
        ['typed', 'typedCold'].map((id) => [
          t[id].label,
          ms(t[id].median),
          ms(t[id].min),
          fmtRatio(t[id].median / base),
          fmtRatio(t[id].median / t.manyAjv.median),
          fmtRatio(t[id].median / t.many.median),
        ]),
        ['l', 'r', 'r', 'r', 'r', 'r'],
      ).replace(/^/gm, '  '),
    );

    // Where the time goes: in-process timers in fresh processes (not the CLI's own process, so the rows only approximately add up to its wall time).
    const [pm, pb] = measurePhases([[GLOB], ['big.json']], dir, phaseRuns);
    const cliStart = t.version.median - base;
    const steps = [
      ['node -e 0 (spawn to exit)', base, base],
      ['CLI start-up beyond that (--version - node -e 0)', cliStart, cliStart],
      ['import validate modules (Ajv, model, emitters, tinyglobby)', pm.importMs, pb.importMs],
      ['resolve config', pm.configMs, pb.configMs],
      [
        `load the validators (compileRuntimeValidator: ${pm.origin}${pm.origin === 'compiled' ? '' : ', nothing compiled'})`,
        pm.compileMs,
        pb.compileMs,
      ],
      ['glob expansion', pm.globMs, pb.globMs],
      ['read (stat + readFileSync per file)', pm.readMs, pb.readMs],
      ['JSON.parse', pm.parseMs, pb.parseMs],
      ['check (validator.check)', pm.checkMs, pb.checkMs],
    ];
    const sumMany = steps.reduce((n, s) => n + s[1], 0);
    const sumBig = steps.reduce((n, s) => n + s[2], 0);
    const signed = (n) => `${n >= 0 ? '+' : '-'}${ms(Math.abs(n))}`;
    console.log(
      `\n  where the time goes (ms; steps of validateFiles timed inside bench/validate-phases.mjs, median of ${phaseRuns} fresh processes each)`,
    );
    console.log(
      table(
        ['step', `${fmtInt(FILES)} files`, '~6 MB'],
        [
          ...steps.map(([label, a, b]) => [label, ms(a), ms(b)]),
          ['sum of the steps', ms(sumMany), ms(sumBig)],
          ['msk-codegen validate, wall (table above)', ms(t.many.median), ms(t.big.median)],
          [
            'rest (wall - sum: output, exit, overlap of start-up and imports)',
            signed(t.many.median - sumMany),
            signed(t.big.median - sumBig),
          ],
        ],
        ['l', 'r', 'r'],
      ).replace(/^/gm, '  '),
    );
    const ajvCompile = t.manyAjv.extra;
    console.log(
      `  for comparison: the Ajv script's one compile ${ms(ajvCompile)} ms; a compile from scratch in the same process (what a run with no built or cached modules pays) ${ms(pm.secondCompileMs)} ms; validateFiles warm in-process ${ms(pm.warmValidateFilesMs)} ms (${fmtInt(FILES)} files) / ${ms(pb.warmValidateFilesMs)} ms (~6 MB)`,
    );

    const perFile = t.many.median / FILES;
    const marginal = (pm.globMs + pm.readMs + pm.parseMs + pm.checkMs) / FILES;
    const fixed = t.many.median - marginal * FILES;
    console.log(
      `\n  per file: ${perFile.toFixed(3)} ms all-in (wall / ${fmtInt(FILES)}), of which ${marginal.toFixed(3)} ms is per-file work (glob + read + parse + check) and ${ms(fixed)} ms fixed cost spread over the files`,
    );

    const okMany = t.many.median < VALIDATE_TARGETS.manyFilesMs;
    const vsAjv = t.many.median / t.manyAjv.median;
    const okAjv = vsAjv <= VALIDATE_TARGETS.manyVsAjv;
    const bigRatio = t.big.median / t.parse.median;
    const okBig = bigRatio <= VALIDATE_TARGETS.bigVsParse;
    console.log(
      `  target: ${fmtInt(FILES)} files in under ${VALIDATE_TARGETS.manyFilesMs / 1000} s: ${(t.many.median / 1000).toFixed(2)} s ${verdict(okMany)}`,
    );
    console.log(
      `  target: ${fmtInt(FILES)} files in at most ${VALIDATE_TARGETS.manyVsAjv.toFixed(1)}x the Ajv script: ${fmtRatio(vsAjv)} (${ms(t.many.median)} vs ${ms(t.manyAjv.median)} ms) ${verdict(okAjv)}`,
    );
    console.log(
      `  target: the ~6 MB event within ${VALIDATE_TARGETS.bigVsParse}x of process start + read + JSON.parse: ${fmtRatio(bigRatio)} (${ms(t.big.median)} vs ${ms(t.parse.median)} ms) ${verdict(okBig)}`,
    );
    if (!okBig) {
      const fixed = [
        ['first compile', pb.compileMs],
        ['CLI start-up', cliStart],
        ['module imports', pb.importMs],
      ].sort((a, b) => b[1] - a[1]);
      const fixedSum = fixed.reduce((n, [, v]) => n + v, 0);
      console.log(
        `  MISS (~6 MB): validate takes ${ms(t.big.median - t.parse.median)} ms more than read + parse. Fixed costs, paid for any file: ${fixed.map(([n, v]) => `${n} ${ms(v)}`).join(' + ')} = ${ms(fixedSum)} ms;`,
      );
      console.log(
        `    work on the event itself: read ${ms(pb.readMs)} + JSON.parse ${ms(pb.parseMs)} + check ${ms(pb.checkMs)} ms (the check is ${((pb.checkMs / pb.parseMs) * 100).toFixed(0)}% of JSON.parse)`,
      );
    }
    if (!okMany) {
      console.log(
        `  MISS (${fmtInt(FILES)} files): read ${ms(pm.readMs)} ms, first compile ${ms(pm.compileMs)} ms, CLI start-up ${ms(cliStart)} ms, imports ${ms(pm.importMs)} ms, check ${ms(pm.checkMs)} ms`,
      );
    }

    return {
      runs,
      warmup,
      fixtures,
      processes: t,
      phases: { manyFiles: pm, big: pb, runs: phaseRuns },
      perFileMs: perFile,
      marginalPerFileMs: marginal,
      targets: VALIDATE_TARGETS,
      manyFiles: {
        ms: t.many.median,
        vsNode: t.many.median / base,
        vsAjv,
        verdict: verdict(okMany),
        verdictVsAjv: verdict(okAjv),
      },
      big: { ms: t.big.median, vsParse: bigRatio, verdict: verdict(okBig) },
      typed: { ms: t.typed.median, coldMs: t.typedCold.median, vsAjv: t.typed.median / t.manyAjv.median },
      verdicts: [verdict(okMany), verdict(okAjv), verdict(okBig)],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) runValidate();
