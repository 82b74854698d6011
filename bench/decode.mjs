// Decoding benchmark: the generated record helpers (generated/records.ts) against a
// hand-written floor and Powertools for AWS Lambda's Kafka consumer, on the same events.
//
// Part of `npm run bench` (section 5). Also runs alone: `node bench/decode.mjs`.
//
// What each candidate does per event: decode every record's value (base64 -> UTF-8 text, or
// -> JSON) and every header (signed bytes -> UTF-8 text). Keys are not decoded by any of them.
import { deepStrictEqual } from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nonNegativeHeaderVariant } from './events.mjs';
import { fmtInt, fmtNs, fmtRatio, section as printSection, table, verdict } from './format.mjs';
import { measureAsync } from './timing.mjs';

/** Target: the generated helpers (recordsOf + valueText + headersOf) within 1.3x of the floor. Reported, never enforced. */
export const DECODE_TARGET = 1.3;
export const POWERTOOLS_KAFKA = '@aws-lambda-powertools/kafka';
/** The version the numbers in bench/README.md were taken with; the run prints the installed one. */
export const POWERTOOLS_KAFKA_WANTED = '2.35.0';

const EVENTS = ['100 records', '~6 MB'];
const SETTINGS = {
  '100 records': { warmupMs: 300, roundMs: 50, rounds: 15 },
  '~6 MB': { warmupMs: 500, minWarmupCalls: 3, roundMs: 150, rounds: 11 },
};
/** Powertools' wrapper takes a Lambda context; its deserialization does not read it. */
const CONTEXT = Object.freeze({ functionName: 'bench', awsRequestId: 'bench' });

// ---------------------------------------------------------------------------------------
// The candidates. Each returns a positive number that depends on everything it decoded
// (the harness counts truthy results, and using the results keeps the work observable).

/** (1) The generated helpers, as a handler would use them. */
function generatedCandidates({ recordsOf, valueText, valueJson, headersOf }) {
  return {
    text(event) {
      let n = 1;
      for (const entry of recordsOf(event)) {
        const value = valueText(entry);
        if (value !== null) n += value.length;
        for (const header of headersOf(entry.record)) n += header.value.length;
      }
      return n;
    },
    json(event) {
      let n = 1;
      for (const entry of recordsOf(event)) {
        if (valueJson(entry) !== null) n++;
        for (const header of headersOf(entry.record)) n += header.value.length;
      }
      return n;
    },
    /** Untimed: what it decoded, to check every candidate decodes the same. */
    collect(event, json) {
      return recordsOf(event).map((entry) => [
        json ? valueJson(entry) : valueText(entry),
        headersOf(entry.record).map((h) => [h.name, h.value]),
      ]);
    },
  };
}

/** (2) The floor: a plain loop over the event doing only the decoding, with Node's Buffer. */
export function floorDecodeText(event) {
  let n = 1;
  const records = event.records;
  for (const key in records) {
    const list = records[key];
    for (let i = 0; i < list.length; i++) {
      const record = list[i];
      const value = record.value;
      if (value != null) n += Buffer.from(value, 'base64').toString('utf8').length;
      const headers = record.headers;
      for (let j = 0; j < headers.length; j++) {
        const header = headers[j];
        for (const name in header) n += Buffer.from(header[name]).toString('utf8').length;
      }
    }
  }
  return n;
}

export function floorDecodeJson(event) {
  let n = 1;
  const records = event.records;
  for (const key in records) {
    const list = records[key];
    for (let i = 0; i < list.length; i++) {
      const record = list[i];
      const value = record.value;
      if (value != null && JSON.parse(Buffer.from(value, 'base64').toString('utf8')) !== null) n++;
      const headers = record.headers;
      for (let j = 0; j < headers.length; j++) {
        const header = headers[j];
        for (const name in header) n += Buffer.from(header[name]).toString('utf8').length;
      }
    }
  }
  return n;
}

function floorCollect(event, json) {
  const out = [];
  for (const key in event.records) {
    for (const record of event.records[key]) {
      const text = record.value == null ? null : Buffer.from(record.value, 'base64').toString('utf8');
      const headers = [];
      for (const header of record.headers)
        for (const name in header) headers.push([name, Buffer.from(header[name]).toString('utf8')]);
      out.push([json && text !== null ? JSON.parse(text) : text, headers]);
    }
  }
  return out;
}

/**
 * (3) Powertools' `kafkaConsumer` wrapper, as documented: no schema config for primitive
 * (string) values, `{ value: { type: SchemaType.JSON } }` for JSON. Its records expose the
 * decoded `value` and `headers` as getters that decode on access, so the handler reads each
 * once, as a handler using them would.
 */
function powertoolsCandidates({ kafkaConsumer, SchemaType }) {
  const readText = async (event) => {
    let n = 1;
    for (const record of event.records) {
      const value = record.value;
      if (value != null) n += value.length;
      const headers = record.headers;
      if (headers) for (const header of headers) for (const name in header) n += header[name].length;
    }
    return n;
  };
  const readJson = async (event) => {
    let n = 1;
    for (const record of event.records) {
      if (record.value != null) n++;
      const headers = record.headers;
      if (headers) for (const header of headers) for (const name in header) n += header[name].length;
    }
    return n;
  };
  const collect = async (event) =>
    event.records.map((record) => [
      record.value ?? null,
      (record.headers ?? []).flatMap((header) => Object.entries(header)),
    ]);
  const primitive = { text: kafkaConsumer(readText), collect: kafkaConsumer(collect) };
  const jsonConfig = { value: { type: SchemaType.JSON } };
  const json = { json: kafkaConsumer(readJson, jsonConfig), collect: kafkaConsumer(collect, jsonConfig) };
  return {
    text: (event) => primitive.text(event, CONTEXT),
    json: (event) => json.json(event, CONTEXT),
    collect: (event, asJson) => (asJson ? json.collect(event, CONTEXT) : primitive.collect(event, CONTEXT)),
  };
}

/** Imports Powertools' Kafka consumer if it is installed; never throws. */
export async function loadPowertoolsKafka() {
  let mod;
  try {
    mod = await import(POWERTOOLS_KAFKA);
  } catch (error) {
    return { error: `${error.code ?? error.name}: ${String(error.message).split('\n')[0]}` };
  }
  if (typeof mod.kafkaConsumer !== 'function' || mod.SchemaType?.JSON !== 'json') {
    return { error: `${POWERTOOLS_KAFKA} does not export kafkaConsumer and SchemaType.JSON as documented` };
  }
  let version = 'unknown';
  try {
    // The package does not export its package.json: walk up from its entry point.
    let dir = dirname(fileURLToPath(import.meta.resolve(POWERTOOLS_KAFKA)));
    for (let i = 0; i < 6; i++, dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        if (pkg.name === POWERTOOLS_KAFKA) {
          version = pkg.version;
          break;
        }
      } catch {
        // no package.json here (or the nested one lib/esm/package.json has no name): keep going up
      }
    }
  } catch {
    // version stays unknown
  }
  return { mod, version };
}

// ---------------------------------------------------------------------------------------

/**
 * Section 5 of `npm run bench`. `events` are bench/events.mjs's canonical events (the
 * 100-record and ~6 MB ones are used), `generated` the imported bundle.
 * Returns the results for results.json, with `verdicts` (PASS/MISS per event).
 */
export async function runDecoding({
  events,
  generated,
  note = (text) => console.log(`  note: ${text}`),
  section = printSection,
}) {
  section('5. Decoding: every value and header of the event (median of interleaved rounds; ratios vs the floor)');
  const out = { target: DECODE_TARGET, events: {}, targetResults: [], notes: [] };
  const say = (text) => {
    out.notes.push(text);
    note(text);
  };
  const gen = generatedCandidates(generated);

  const loaded = await loadPowertoolsKafka();
  let pt = null;
  if (loaded.error) {
    out.powertools = { skipped: loaded.error };
    say(
      `Powertools Kafka consumer rows skipped: cannot import ${POWERTOOLS_KAFKA} (${loaded.error}). Add it as a dev dependency (${POWERTOOLS_KAFKA}@${POWERTOOLS_KAFKA_WANTED}) to time them.`,
    );
  } else {
    pt = powertoolsCandidates(loaded.mod);
    out.powertools = { version: loaded.version };
    console.log(
      `  Powertools: ${POWERTOOLS_KAFKA}@${loaded.version}, kafkaConsumer(handler) for text values, kafkaConsumer(handler, { value: { type: SchemaType.JSON } }) for JSON`,
    );
    if (loaded.version !== POWERTOOLS_KAFKA_WANTED)
      say(
        `installed ${POWERTOOLS_KAFKA} is ${loaded.version}; bench/README.md was written against ${POWERTOOLS_KAFKA_WANTED}`,
      );
  }

  for (const e of events.filter((x) => EVENTS.includes(x.name))) {
    // Untimed: every candidate decodes the same values and headers, in the same order.
    const expected = { text: floorCollect(e.event, false), json: floorCollect(e.event, true) };
    for (const json of [false, true]) {
      deepStrictEqual(
        gen.collect(e.event, json),
        expected[json ? 'json' : 'text'],
        `generated helpers decode "${e.name}" differently from the floor (${json ? 'JSON' : 'text'})`,
      );
    }

    // Powertools on the canonical event; if it throws (its parser package does, on negative
    // header bytes), on the non-negative-header variant instead, with floor and generated
    // rows on that variant as controls.
    let ptEvent = null;
    if (pt) {
      let decoded;
      try {
        decoded = { text: await pt.collect(e.event, false), json: await pt.collect(e.event, true) };
        ptEvent = e.event;
      } catch (error) {
        const variant = e.variant ?? nonNegativeHeaderVariant(e.event);
        say(
          `Powertools kafkaConsumer throws on the canonical "${e.name}" event (${error.name}: ${String(error.message).split('\n')[0].slice(0, 160)}); timed on the variant whose negative header bytes are replaced by their absolute values`,
        );
        decoded = { text: await pt.collect(variant, false), json: await pt.collect(variant, true) };
        ptEvent = variant;
      }
      for (const group of ['text', 'json']) {
        const want = ptEvent === e.event ? expected[group] : floorCollect(ptEvent, group === 'json');
        try {
          deepStrictEqual(decoded[group], want);
        } catch {
          say(`Powertools kafkaConsumer (${group}) does not decode "${e.name}" as the floor does (timed anyway)`);
        }
      }
    }
    const onVariant = ptEvent !== null && ptEvent !== e.event;

    const cases = [
      {
        id: 'gen',
        group: 'text',
        label: '(1)  generated recordsOf + valueText + headersOf',
        fn: gen.text,
        arg: e.event,
      },
      {
        id: 'floor',
        group: 'text',
        label: '(2)  floor: Buffer.from(base64) / Buffer.from(bytes), utf8',
        fn: floorDecodeText,
        arg: e.event,
      },
    ];
    if (pt) {
      cases.push({
        id: 'pt',
        group: 'text',
        label: `(3)  Powertools kafkaConsumer, primitive values${onVariant ? '*' : ''}`,
        fn: pt.text,
        arg: ptEvent,
        async: true,
      });
      if (onVariant)
        cases.push({
          id: 'floorVariant',
          group: 'text',
          label: "(2') floor on the Powertools variant",
          fn: floorDecodeText,
          arg: ptEvent,
        });
    }
    cases.push(
      {
        id: 'genJson',
        group: 'json',
        label: '(1j) generated recordsOf + valueJson + headersOf',
        fn: gen.json,
        arg: e.event,
      },
      {
        id: 'floorJson',
        group: 'json',
        label: '(2j) floor: JSON.parse(Buffer.from(base64)), headers as (2)',
        fn: floorDecodeJson,
        arg: e.event,
      },
    );
    if (pt) {
      cases.push({
        id: 'ptJson',
        group: 'json',
        label: `(3j) Powertools kafkaConsumer, SchemaType.JSON${onVariant ? '*' : ''}`,
        fn: pt.json,
        arg: ptEvent,
        async: true,
      });
      if (onVariant)
        cases.push({
          id: 'floorJsonVariant',
          group: 'json',
          label: "(2j') floor JSON on the Powertools variant",
          fn: floorDecodeJson,
          arg: ptEvent,
        });
    }

    const measured = await measureAsync(
      cases.map((c) => ({ ...c, label: `${c.label} [${e.name}]` })),
      SETTINGS[e.name],
    );
    const byId = Object.fromEntries(measured.map((m) => [m.id, m]));
    const refOf = { text: byId.floor.median, json: byId.floorJson.median };
    let headers = 0;
    for (const key in e.event.records) for (const r of e.event.records[key]) headers += r.headers.length;
    console.log(
      `\n  ${e.name}: ${fmtInt(e.records)} records, ${fmtInt(headers)} headers${pt ? '' : '; Powertools rows skipped (not installed)'}`,
    );
    const rows = [];
    const skipped = (what) => [`${what}: skipped (not installed)`, '-', '-', '-', '-', '-'];
    for (const [i, c] of cases.entries()) {
      if (i > 0 && c.group !== cases[i - 1].group) {
        if (!pt) rows.push(skipped('(3)  Powertools kafkaConsumer, primitive values'));
        rows.push(['', '', '', '', '', '']);
      }
      const m = byId[c.id];
      rows.push([
        c.label,
        (m.median / e.records).toFixed(m.median / e.records < 100 ? 1 : 0),
        fmtNs(m.median),
        fmtNs(m.min),
        fmtRatio(m.median / refOf[c.group]),
        fmtInt(m.iterations),
      ]);
    }
    if (!pt) rows.push(skipped('(3j) Powertools kafkaConsumer, SchemaType.JSON'));
    console.log(
      table(['candidate', 'ns/record', 'per event', 'min/event', 'x floor', 'iter/round'], rows, [
        'l',
        'r',
        'r',
        'r',
        'r',
        'r',
      ]).replace(/^/gm, '  '),
    );

    const ratio = byId.gen.median / byId.floor.median;
    const v = verdict(ratio <= DECODE_TARGET);
    out.targetResults.push({
      event: e.name,
      ratio: 'generated helpers / floor (text)',
      measured: fmtRatio(ratio),
      target: `<= ${DECODE_TARGET}x`,
      verdict: v,
    });
    out.events[e.name] = {
      records: e.records,
      headers,
      settings: SETTINGS[e.name],
      powertoolsOnVariant: onVariant,
      byId,
    };
  }
  if (out.events['~6 MB']?.powertoolsOnVariant) {
    console.log(
      "\n  * Powertools timed on the non-negative-header variant (see the note above); (2') is the floor on that same variant.",
    );
  }

  console.log('\n  Target (reported, never enforced):');
  console.log(
    table(
      ['event', 'ratio', 'measured', 'target', ''],
      out.targetResults.map((t) => [t.event, t.ratio, t.measured, t.target, t.verdict]),
      ['l', 'l', 'r', 'l', 'l'],
    ).replace(/^/gm, '  '),
  );
  if (pt) {
    const parts = Object.entries(out.events).map(
      ([name, r]) =>
        `${name} ${fmtRatio(r.byId.pt.median / r.byId.gen.median)} (text), ${fmtRatio(r.byId.ptJson.median / r.byId.genJson.median)} (JSON)`,
    );
    console.log(`  Powertools kafkaConsumer / generated helpers: ${parts.join('; ')}`);
  }
  out.verdicts = out.targetResults.map((t) => t.verdict);
  return out;
}

// `node bench/decode.mjs`: this section alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { buildBundle } = await import('./build.mjs');
  const { canonicalEvents } = await import('./events.mjs');
  const bundle = await buildBundle();
  const generated = await import(bundle.path);
  await runDecoding({ events: canonicalEvents(), generated });
}
