import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

// Micro-benchmark harness: warm-up, calibrated iteration counts, interleaved timed rounds,
// medians. Wall times are only ever compared with references measured in the same run.

/**
 * A timing loop of its own for each case. The source differs per case (the label is in it),
 * so V8 compiles a separate function with its own type feedback: the `fn(arg)` call site
 * stays monomorphic instead of being shared, and deoptimized, by every candidate.
 */
function makeLoop(label) {
  const tag = label.replace(/[^\w -]/g, '_');
  // eslint-disable-next-line no-new-func
  return new Function(
    'fn',
    'arg',
    'n',
    `"use strict"; // loop for: ${tag}
let ok = 0;
for (let i = 0; i < n; i++) { if (fn(arg)) ok++; }
return ok;`,
  );
}

const now = () => process.hrtime.bigint();

/**
 * A full, synchronous GC between timed rounds, so one candidate's garbage (JSON.parse and
 * Powertools allocate a whole event per call) is not collected on another's clock. Enabled
 * at run time, so `node bench/run.mjs` needs no flags.
 */
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Times each case: `fn(arg)` must return truthy (it is the count of truthy results that
 * keeps the work observable, and a falsy result means the case is broken).
 *
 * Per case: warm-up (doubling batches until `warmupMs` has been spent, at least `minWarmupCalls`
 * calls), then an iteration count chosen so one round lasts about `roundMs`. Rounds are
 * interleaved across cases (rotating order) so drift spreads evenly, each after a full GC.
 * Returns, per case, the median and min ns per call over `rounds` rounds.
 */
export function measure(cases, { warmupMs = 250, minWarmupCalls = 5, roundMs = 60, rounds = 9 } = {}) {
  const state = cases.map((c) => ({ ...c, loop: makeLoop(c.label), samples: [], n: 1 }));
  for (const s of state) {
    let calls = 0;
    let spent = 0n;
    let batch = 1;
    let perCall = 0;
    while (spent < BigInt(warmupMs) * 1_000_000n || calls < minWarmupCalls) {
      const t0 = now();
      const ok = s.loop(s.fn, s.arg, batch);
      const dt = now() - t0;
      if (ok !== batch) throw new Error(`${s.label}: returned a falsy result during warm-up`);
      spent += dt;
      calls += batch;
      perCall = Number(dt) / batch;
      if (dt < 20_000_000n) batch *= 2;
    }
    s.n = Math.max(1, Math.round((roundMs * 1e6) / Math.max(perCall, 1)));
  }
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < state.length; k++) {
      const s = state[(k + r) % state.length];
      gc();
      const t0 = now();
      const ok = s.loop(s.fn, s.arg, s.n);
      const dt = now() - t0;
      if (ok !== s.n) throw new Error(`${s.label}: returned a falsy result`);
      s.samples.push(Number(dt) / s.n);
    }
  }
  return state.map((s) => ({
    id: s.id,
    label: s.label,
    iterations: s.n,
    rounds,
    median: median(s.samples),
    min: Math.min(...s.samples),
  }));
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;

/** Like makeLoop, for a case whose `fn(arg)` returns a promise: each call is awaited before the next. */
function makeAsyncLoop(label) {
  const tag = label.replace(/[^\w -]/g, '_');
  return new AsyncFunction(
    'fn',
    'arg',
    'n',
    `"use strict"; // async loop for: ${tag}
let ok = 0;
for (let i = 0; i < n; i++) { if (await fn(arg)) ok++; }
return ok;`,
  );
}

/**
 * `measure` for a mix of synchronous cases and cases marked `async: true` (whose `fn(arg)`
 * returns a promise, awaited before the next call). Same warm-up, calibration, interleaved
 * rounds and GC as `measure`; synchronous cases run in the same synchronous loop as there,
 * so they pay nothing for the async ones being timed beside them.
 */
export async function measureAsync(cases, { warmupMs = 250, minWarmupCalls = 5, roundMs = 60, rounds = 9 } = {}) {
  const state = cases.map((c) => ({
    ...c,
    loop: c.async ? makeAsyncLoop(c.label) : makeLoop(c.label),
    samples: [],
    n: 1,
  }));
  const run = async (s, n) => {
    const t0 = now();
    const ok = s.async ? await s.loop(s.fn, s.arg, n) : s.loop(s.fn, s.arg, n);
    return [now() - t0, ok];
  };
  for (const s of state) {
    let calls = 0;
    let spent = 0n;
    let batch = 1;
    let perCall = 0;
    while (spent < BigInt(warmupMs) * 1_000_000n || calls < minWarmupCalls) {
      const [dt, ok] = await run(s, batch);
      if (ok !== batch) throw new Error(`${s.label}: returned a falsy result during warm-up`);
      spent += dt;
      calls += batch;
      perCall = Number(dt) / batch;
      if (dt < 20_000_000n) batch *= 2;
    }
    s.n = Math.max(1, Math.round((roundMs * 1e6) / Math.max(perCall, 1)));
  }
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < state.length; k++) {
      const s = state[(k + r) % state.length];
      gc();
      const [dt, ok] = await run(s, s.n);
      if (ok !== s.n) throw new Error(`${s.label}: returned a falsy result`);
      s.samples.push(Number(dt) / s.n);
    }
  }
  return state.map((s) => ({
    id: s.id,
    label: s.label,
    iterations: s.n,
    rounds,
    median: median(s.samples),
    min: Math.min(...s.samples),
  }));
}
