// 8. Typed payloads: the generated `decodeRecords` (base64 -> UTF-8 -> JSON.parse -> the
// precompiled payload validator, per record) against a floor that only decodes and parses
// every value, and against Powertools' Kafka consumer with an equivalent Zod 4 schema.
//
// The generated code comes from the generator itself (dist/, built by `npm run build`):
// `generate()` with init's example ORDER_SCHEMA as the value schema of topic "orders",
// written to bench/.out/payloads/generated/ and bundled with esbuild.
//
// Part of `npm run bench`. Also runs alone: `node bench/payloads.mjs`.
// Targets are reported, never enforced. Something broken throws: the generator rejects
// ORDER_SCHEMA, the bundle is not self-contained, a built payload is not a valid Order, the
// candidates decode differently, or the Zod schema is not equivalent to ORDER_SCHEMA.
import { deepStrictEqual } from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { z } from 'zod';
import { CodegenError, formatDiagnostic, generate, writeGeneratedFiles } from '../dist/generator/index.js';
import { ORDER_SCHEMA } from '../dist/generator/commands/init.js';
import { loadPowertoolsKafka, POWERTOOLS_KAFKA, POWERTOOLS_KAFKA_WANTED } from './decode.mjs';
import {
  b64,
  BIG_EVENT_MAX_BYTES,
  BIG_EVENT_MIN_BYTES,
  hex,
  int,
  mulberry32,
  pick,
  signedBytes,
  uuid,
} from './events.mjs';
import { fmtBytes, fmtInt, fmtNs, fmtRatio, section as printSection, table, verdict } from './format.mjs';
import { measureAsync } from './timing.mjs';

export const PAYLOAD_TARGETS = {
  vsPowertools: 10, // Powertools kafkaConsumer + Zod >= 10x the generated decodeRecords
  vsFloor: 1.5, // generated decodeRecords <= 1.5x the floor (decode + JSON.parse, no validation)
};

const REPO = fileURLToPath(new URL('..', import.meta.url));
const OUT = fileURLToPath(new URL('./.out/payloads/', import.meta.url));
const BUNDLE = path.join(OUT, 'generated.mjs');
const TOPIC = 'orders';
const BIG_TARGET_BYTES = 5_900_000;

const SETTINGS = {
  '100 records': { warmupMs: 300, roundMs: 50, rounds: 15 },
  '~6 MB': { warmupMs: 500, minWarmupCalls: 3, roundMs: 150, rounds: 11 },
};
/** Powertools' wrapper takes a Lambda context; its deserialization does not read it. */
const CONTEXT = Object.freeze({ functionName: 'bench', awsRequestId: 'bench' });

// ---------------------------------------------------------------------------------------
// The Zod 4 schema a Powertools user would write for ORDER_SCHEMA: the same required
// fields (Zod fields are required unless optional), the same enum, patterns and minimums,
// strict objects (additionalProperties: false). One difference, by Zod's design:
// `.int()` also caps integers at Number.MAX_SAFE_INTEGER, where JSON Schema's "integer"
// has no bound (checked below, after the timing, as the one expected disagreement).

const OrderItem = z.strictObject({
  sku: z.string().regex(/^[A-Z0-9][A-Z0-9-]{2,31}$/u),
  quantity: z.number().int().min(1),
  unitPrice: z.number().min(0),
});
export const OrderZod = z.strictObject({
  orderId: z.string().min(1),
  customer: z.strictObject({ id: z.string().min(1), name: z.string().min(1) }),
  status: z.enum(['PLACED', 'PAID', 'SHIPPED', 'CANCELLED']),
  items: z.array(OrderItem).min(1),
  currency: z.string().regex(/^[A-Z]{3}$/u),
});

// ---------------------------------------------------------------------------------------
// Generating and bundling the payload decoders.

/**
 * Writes ORDER_SCHEMA, runs `generate()` on it, writes and bundles the files, imports the
 * bundle. The generator rejecting init's own example schema is broken: it throws.
 */
async function buildPayloadModule() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const schemaFile = path.join(OUT, 'order.schema.json');
  writeFileSync(schemaFile, `${JSON.stringify(ORDER_SCHEMA, null, 2)}\n`);
  const t0 = performance.now();
  let files;
  try {
    files = await generate({
      topics: [{ topic: TOPIC, key: { format: 'string' }, value: { format: 'json', schema: schemaFile } }],
      unknownTopics: 'reject',
    });
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    throw new Error(
      `the generator rejects ORDER_SCHEMA, init's example payload schema: ${error.diagnostics.map((d) => formatDiagnostic(d, REPO)).join('; ')}`,
    );
  }
  const generateMs = performance.now() - t0;
  await writeGeneratedFiles(path.join(OUT, 'generated'), files);

  const result = await esbuild.build({
    absWorkingDir: OUT,
    entryPoints: ['generated/index.ts'],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    metafile: true,
    logLevel: 'silent',
    outfile: BUNDLE,
  });
  const outside = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('generated/'));
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
  if (outside.length > 0 || imports.length > 0) {
    throw new Error(
      `the typed-payloads bundle is not self-contained: inputs ${outside.join(', ') || '-'}; imports ${imports.join(', ') || '-'}`,
    );
  }
  const mod = await import(pathToFileURL(BUNDLE).href);
  for (const name of ['decodeRecords', 'recordsOf', 'valueJson', 'keyText', 'headersOf', 'isOrder', 'isKafkaEvent']) {
    if (typeof mod[name] !== 'function') throw new Error(`the generated index.ts does not export ${name}`);
  }
  return {
    mod,
    info: {
      schemaFile: path.relative(REPO, schemaFile),
      generateMs,
      files: files.map((f) => f.path),
      bundle: path.relative(REPO, BUNDLE),
      bundleBytes: Buffer.byteLength(readFileSync(BUNDLE)),
    },
  };
}

// ---------------------------------------------------------------------------------------
// Events: records of topic "orders" whose values are base64 of Order JSON, seeded.

const FIRST = [
  'Zoë',
  'François',
  'Søren',
  'Ana',
  'Jürgen',
  'Mei',
  'Olusegun',
  'Siobhán',
  'Priya',
  'Mateo',
  'Åsa',
  'Chloé',
];
const LAST = [
  'Müller',
  'Dubois',
  'Kristiansen',
  'García',
  'Nakamura',
  "O'Brien",
  'Okafor',
  'Lindqvist',
  'Rossi',
  'Kowalski',
  'Ødegård',
  'Nguyễn',
];
const PRODUCTS = ['TSHIRT', 'HOODIE', 'MUG', 'CAP', 'SOCKS', 'POSTER', 'BOTTLE', 'TOTE', 'NOTEBOOK', 'STICKER'];
const VARIANTS = ['BLK', 'WHT', 'NVY', 'RED', 'GRN', 'S', 'M', 'L', 'XL', '350ML', '500ML'];
const CURRENCIES = ['EUR', 'EUR', 'USD', 'GBP', 'CHF', 'SEK', 'JPY'];
const STATUSES = ORDER_SCHEMA.properties.status.enum;
const PRODUCERS = ['checkout-api', 'commande-svc-ë', 'zürich-gateway', 'café-east-1'];

/** An order as ORDER_SCHEMA allows it (strict objects: exactly these fields), 2 to 8 lines. */
function order(rng) {
  const currency = pick(rng, CURRENCIES);
  const items = [];
  const lines = int(rng, 2, 8);
  for (let i = 0; i < lines; i++) {
    items.push({
      sku: `${pick(rng, PRODUCTS)}-${pick(rng, VARIANTS)}-${int(rng, 1000, 99999)}`,
      quantity: int(rng, 1, 6),
      unitPrice: currency === 'JPY' ? int(rng, 300, 12000) : int(rng, 199, 24999) / 100,
    });
  }
  return {
    orderId: uuid(rng),
    customer: { id: `C${int(rng, 100000, 999999)}`, name: `${pick(rng, FIRST)} ${pick(rng, LAST)}` },
    status: pick(rng, STATUSES),
    items,
    currency,
  };
}

/** An MSK event of topic "orders": `count` records, or as many as fit in `targetBytes` of JSON. */
function ordersEvent({ seed, partitions, count = Infinity, targetBytes = Infinity }, isOrder) {
  const rng = mulberry32(seed);
  const clusterId = hex(rng, 6);
  const head = {
    eventSource: 'aws:kafka',
    eventSourceArn: `arn:aws:kafka:us-east-1:123456789012:cluster/shop/${uuid(rng)}-1`,
    bootstrapServers: [1, 2, 3].map((i) => `b-${i}.shop.${clusterId}.c2.kafka.us-east-1.amazonaws.com:9098`).join(','),
  };
  const records = {};
  const offsets = [];
  for (let p = 0; p < partitions; p++) {
    records[`${TOPIC}-${p}`] = [];
    offsets.push(int(rng, 100_000, 9_000_000));
  }
  let bytes = JSON.stringify({ ...head, records }).length;
  let timestamp = 1_760_000_000_000 + int(rng, 0, 86_400_000);
  for (let i = 0; i < count; i++) {
    const p = i % partitions;
    const value = order(rng);
    if (!isOrder(value))
      throw new Error(
        `built order ${i} (seed ${seed}) is not a valid Order for the generated isOrder: ${JSON.stringify(value)}`,
      );
    timestamp += int(rng, 0, 40);
    const headers = [
      { traceparent: signedBytes(`00-${hex(rng, 32)}-${hex(rng, 16)}-01`) },
      { 'content-type': signedBytes('application/json') },
    ];
    if (i === 0 || rng() < 2 / 3)
      headers.push({ producer: signedBytes(i === 0 ? PRODUCERS[1] : pick(rng, PRODUCERS)) });
    const rec = {
      topic: TOPIC,
      partition: p,
      offset: offsets[p],
      timestamp,
      timestampType: 'CREATE_TIME',
      key: b64(value.orderId),
      value: b64(JSON.stringify(value)),
      headers,
    };
    const size = JSON.stringify(rec).length + 1;
    if (bytes + size > targetBytes) break;
    bytes += size;
    offsets[p] += 1;
    records[`${TOPIC}-${p}`].push(rec);
  }
  return { ...head, records };
}

function describe(name, built) {
  const text = JSON.stringify(built);
  const event = JSON.parse(text); // timed objects come from JSON.parse, as in Lambda
  let records = 0;
  let valueBytes = 0;
  for (const key in event.records) {
    for (const r of event.records[key]) {
      records++;
      valueBytes += Buffer.from(r.value, 'base64').length;
    }
  }
  return {
    name,
    event,
    text,
    bytes: Buffer.byteLength(text),
    records,
    partitions: Object.keys(event.records).length,
    valueBytes,
  };
}

export function payloadEvents(isOrder) {
  const hundred = describe('100 records', ordersEvent({ seed: 800, partitions: 3, count: 100 }, isOrder));
  const big = describe('~6 MB', ordersEvent({ seed: 806, partitions: 6, targetBytes: BIG_TARGET_BYTES }, isOrder));
  if (hundred.records !== 100) throw new Error('the 100-record orders event has the wrong record count');
  if (big.bytes < BIG_EVENT_MIN_BYTES || big.bytes > BIG_EVENT_MAX_BYTES) {
    throw new Error(
      `the big orders event is ${big.bytes} bytes of JSON, outside [${BIG_EVENT_MIN_BYTES}, ${BIG_EVENT_MAX_BYTES}]`,
    );
  }
  return [hundred, big];
}

// ---------------------------------------------------------------------------------------
// The candidates: each returns a positive number (falsy would make the harness fail).

/** (b) The floor: every value base64 -> UTF-8 -> JSON.parse with Node's Buffer; no validation, nothing else. */
export function floorParseValues(event) {
  let n = 1;
  const records = event.records;
  for (const key in records) {
    const list = records[key];
    for (let i = 0; i < list.length; i++) {
      const value = list[i].value;
      if (value != null && JSON.parse(Buffer.from(value, 'base64').toString('utf8')) !== null) n++;
    }
  }
  return n;
}

function floorValues(event) {
  const out = [];
  for (const key in event.records)
    for (const r of event.records[key])
      out.push(r.value == null ? null : JSON.parse(Buffer.from(r.value, 'base64').toString('utf8')));
  return out;
}

/** (c) Powertools' kafkaConsumer: the value deserialized as JSON, then (optionally) the Zod schema; the handler reads every value once. */
function powertoolsCandidates({ kafkaConsumer, SchemaType }) {
  const readValues = async (event) => {
    let n = 1;
    for (const record of event.records) if (record.value != null) n++;
    return n;
  };
  const collect = async (event) => event.records.map((record) => record.value ?? null);
  const withZod = { value: { type: SchemaType.JSON, parserSchema: OrderZod } };
  const jsonOnly = { value: { type: SchemaType.JSON } };
  const zod = kafkaConsumer(readValues, withZod);
  const json = kafkaConsumer(readValues, jsonOnly);
  const zodCollect = kafkaConsumer(collect, withZod);
  return {
    zod: (event) => zod(event, CONTEXT),
    json: (event) => json(event, CONTEXT),
    collect: (event) => zodCollect(event, CONTEXT),
  };
}

// ---------------------------------------------------------------------------------------

/** Payloads around a valid order on which isOrder and the Zod schema must agree (and one on which they may not). */
function equivalenceCases(base) {
  const clone = () => structuredClone(base);
  const edit = (f) => {
    const o = clone();
    f(o);
    return o;
  };
  const cases = [
    ['valid', clone()],
    [
      'price 0, quantity 1',
      edit((o) => {
        o.items[0].unitPrice = 0;
        o.items[0].quantity = 1;
      }),
    ],
    [
      'names with astral characters and a newline',
      edit((o) => {
        o.customer.name = '😀';
        o.orderId = '\n';
      }),
    ],
    [
      'SKU of 3 and of 32 characters',
      edit((o) => {
        o.items[0].sku = 'A-1';
        o.items[1].sku = `A${'-'.repeat(31)}`;
      }),
    ],
    ['a null root', null],
    ['an array root', [clone()]],
    ['a string root', 'order'],
    ...['orderId', 'customer', 'status', 'items', 'currency'].map((field) => [
      `no ${field}`,
      edit((o) => delete o[field]),
    ]),
    [
      'an extra field',
      edit((o) => {
        o.note = 'gift';
      }),
    ],
    [
      'customer: an extra field',
      edit((o) => {
        o.customer.email = 'a@b.c';
      }),
    ],
    ['customer: no id', edit((o) => delete o.customer.id)],
    [
      'customer: empty name',
      edit((o) => {
        o.customer.name = '';
      }),
    ],
    [
      'customer: null',
      edit((o) => {
        o.customer = null;
      }),
    ],
    [
      'orderId empty',
      edit((o) => {
        o.orderId = '';
      }),
    ],
    [
      'orderId a number',
      edit((o) => {
        o.orderId = 42;
      }),
    ],
    [
      'status outside the enum',
      edit((o) => {
        o.status = 'DELIVERED';
      }),
    ],
    [
      'status lower case',
      edit((o) => {
        o.status = 'paid';
      }),
    ],
    [
      'items empty',
      edit((o) => {
        o.items = [];
      }),
    ],
    [
      'items an object',
      edit((o) => {
        o.items = { 0: o.items[0] };
      }),
    ],
    [
      'item: an extra field',
      edit((o) => {
        o.items[1].discount = 1;
      }),
    ],
    ['item: no sku', edit((o) => delete o.items[0].sku)],
    [
      'item: lower-case SKU',
      edit((o) => {
        o.items[0].sku = 'sku-1';
      }),
    ],
    [
      'item: SKU of 2 characters',
      edit((o) => {
        o.items[0].sku = 'AB';
      }),
    ],
    [
      'item: SKU of 33 characters',
      edit((o) => {
        o.items[0].sku = `A${'-'.repeat(32)}`;
      }),
    ],
    [
      'item: SKU starting with "-"',
      edit((o) => {
        o.items[0].sku = '-AB1';
      }),
    ],
    [
      'item: quantity 0',
      edit((o) => {
        o.items[0].quantity = 0;
      }),
    ],
    [
      'item: quantity 1.5',
      edit((o) => {
        o.items[0].quantity = 1.5;
      }),
    ],
    [
      'item: quantity "2"',
      edit((o) => {
        o.items[0].quantity = '2';
      }),
    ],
    [
      'item: unitPrice -0.01',
      edit((o) => {
        o.items[0].unitPrice = -0.01;
      }),
    ],
    [
      'item: unitPrice "9.99"',
      edit((o) => {
        o.items[0].unitPrice = '9.99';
      }),
    ],
    [
      'currency lower case',
      edit((o) => {
        o.currency = 'eur';
      }),
    ],
    [
      'currency of 4 letters',
      edit((o) => {
        o.currency = 'EURO';
      }),
    ],
  ];
  const expectedDifferences = [
    [
      'item: quantity 2^53 (JSON Schema integer: no bound; Zod .int(): safe integers only)',
      edit((o) => {
        o.items[0].quantity = 2 ** 53;
      }),
    ],
  ];
  return { cases, expectedDifferences };
}

function checkEquivalence(isOrder, base) {
  const { cases, expectedDifferences } = equivalenceCases(base);
  const disagree = cases.filter(([, data]) => isOrder(data) !== OrderZod.safeParse(data).success).map(([name]) => name);
  if (disagree.length > 0)
    throw new Error(
      `the Zod schema is not equivalent to ORDER_SCHEMA: isOrder and Zod disagree on ${disagree.join(', ')}`,
    );
  const differences = expectedDifferences.map(
    ([name, data]) => `${name}: isOrder ${isOrder(data)}, Zod ${OrderZod.safeParse(data).success}`,
  );
  return { cases: cases.length, accepted: cases.filter(([, data]) => isOrder(data)).length, differences };
}

/**
 * Section 8 of `npm run bench`. Returns the results for results.json, with `verdicts`
 * (PASS/MISS per target and event).
 */
export async function runPayloads({ note = (text) => console.log(`  note: ${text}`), section = printSection } = {}) {
  section('8. Typed payloads: decodeRecords on "orders" events (median of interleaved rounds; ratios vs the floor)');
  const out = { targets: PAYLOAD_TARGETS, events: {}, targetResults: [], notes: [] };
  const say = (text) => {
    out.notes.push(text);
    note(text);
  };

  const { mod, info } = await buildPayloadModule();
  out.generator = info;
  const { decodeRecords, recordsOf, valueJson, keyText, headersOf, isOrder, isKafkaEvent } = mod;
  console.log(
    `  generate(): ${info.schemaFile} as the JSON value of topic "${TOPIC}" (key: string), unknownTopics "reject", in ${info.generateMs.toFixed(0)} ms: ${info.files.join(', ')}`,
  );
  console.log(`  bundle: ${info.bundle} (esm, node20, self-contained), ${fmtBytes(info.bundleBytes)}`);

  const loaded = await loadPowertoolsKafka();
  let pt = null;
  if (loaded.error) {
    out.powertools = { skipped: loaded.error };
    say(
      `Powertools rows and the Powertools target skipped: cannot import ${POWERTOOLS_KAFKA} (${loaded.error}); add ${POWERTOOLS_KAFKA}@${POWERTOOLS_KAFKA_WANTED} as a dev dependency`,
    );
  } else {
    pt = powertoolsCandidates(loaded.mod);
    out.powertools = { version: loaded.version };
    console.log(
      `  Powertools: ${POWERTOOLS_KAFKA}@${loaded.version}, kafkaConsumer(handler, { value: { type: SchemaType.JSON, parserSchema: <Zod 4 Order> } }); the handler reads every record.value`,
    );
  }

  const events = payloadEvents(isOrder);
  for (const e of events) {
    if (!isKafkaEvent(e.event))
      throw new Error(`the generated isKafkaEvent (composed schema) rejects the orders event "${e.name}"`);
    // Untimed: the three candidates decode the same objects, in the same order.
    const expected = floorValues(e.event);
    const decoded = decodeRecords(e.event);
    deepStrictEqual(
      decoded.map((r) => r.value),
      expected,
      `decodeRecords decodes "${e.name}" differently from the floor`,
    );
    const keys = [];
    for (const k in e.event.records)
      for (const r of e.event.records[k]) keys.push(Buffer.from(r.key, 'base64').toString('utf8'));
    deepStrictEqual(
      decoded.map((r) => r.key),
      keys,
      `decodeRecords decodes the keys of "${e.name}" differently`,
    );
    if (pt)
      deepStrictEqual(
        await pt.collect(e.event),
        expected,
        `Powertools kafkaConsumer + Zod decodes "${e.name}" differently from the floor`,
      );
    const lines = expected.reduce((n, o) => n + o.items.length, 0);
    console.log(
      `  ${e.name.padEnd(11)} ${fmtInt(e.records).padStart(5)} records in ${e.partitions} partitions, JSON ${fmtBytes(e.bytes).padStart(11)}, values ${fmtBytes(e.valueBytes / e.records)} of JSON each on average, ${(lines / e.records).toFixed(1)} lines per order; every order valid for isOrder, the event for isKafkaEvent; decodeRecords, the floor${pt ? ' and Powertools + Zod' : ''} decode the same objects`,
    );
  }

  // (a) as a handler calls it; (a1) and (a2), for information, take it apart with the same
  // generated helpers: what each layer on top of the floor costs.
  const gen = (event) => decodeRecords(event).length;
  /** (a1) decodeRecord's steps written out by hand, each record one object literal (a control for decodeRecord's own overhead). */
  const literalRecords = (event) => {
    const out = [];
    for (const entry of recordsOf(event)) {
      const record = entry.record;
      const value = valueJson(entry);
      if (value !== null && !isOrder(value)) return null;
      out.push({
        topicPartition: entry.topicPartition,
        index: entry.index,
        location: entry.location,
        partition: record.partition,
        offset: record.offset,
        timestamp: record.timestamp,
        timestampType: record.timestampType,
        record,
        payload: TOPIC,
        topic: record.topic,
        key: keyText(entry),
        value,
      });
    }
    return out;
  };
  const genLiteral = (event) => literalRecords(event)?.length ?? 0;
  /** (a2) values only: valueJson (base64 -> UTF-8 -> JSON.parse, with its U+FFFD check) and isOrder, nothing kept. */
  const genValues = (event) => {
    let n = 1;
    for (const entry of recordsOf(event)) {
      const value = valueJson(entry);
      if (value !== null) {
        if (!isOrder(value)) return 0;
        n++;
      }
    }
    return n;
  };
  // Untimed: (a1) builds what decodeRecords builds.
  deepStrictEqual(
    literalRecords(events[0].event),
    // decodeRecords' records are instances of a class (see payloads.ts): their own fields are compared.
    decodeRecords(events[0].event).map((record) => ({ ...record })),
    '(a1) does not build the records decodeRecords builds',
  );

  for (const e of events) {
    const cases = [
      { id: 'gen', label: '(a)  generated decodeRecords(event)', fn: gen, arg: e.event },
      { id: 'genLiteral', label: '(a1) same helpers, each record one object literal', fn: genLiteral, arg: e.event },
      { id: 'genValues', label: '(a2) generated recordsOf + valueJson + isOrder only', fn: genValues, arg: e.event },
      {
        id: 'floor',
        label: '(b)  floor: JSON.parse(Buffer.from(value, base64)), no validation',
        fn: floorParseValues,
        arg: e.event,
      },
    ];
    if (pt) {
      cases.push(
        {
          id: 'pt',
          label: '(c)  Powertools kafkaConsumer + Zod 4 parserSchema',
          fn: pt.zod,
          arg: e.event,
          async: true,
        },
        {
          id: 'ptJson',
          label: "(c') Powertools kafkaConsumer, SchemaType.JSON, no schema",
          fn: pt.json,
          arg: e.event,
          async: true,
        },
      );
    }
    const measured = await measureAsync(
      cases.map((c) => ({ ...c, label: `${c.label} [payloads ${e.name}]` })),
      SETTINGS[e.name],
    );
    const byId = Object.fromEntries(measured.map((m) => [m.id, m]));
    const ns = Object.fromEntries(cases.map((c) => [c.id, byId[c.id].median / e.records]));
    console.log(`\n  ${e.name}: ${fmtInt(e.records)} records`);
    const rows = cases.map((c) => {
      const m = byId[c.id];
      return [
        c.label,
        ns[c.id].toFixed(0),
        fmtNs(m.median),
        fmtNs(m.min),
        fmtRatio(m.median / byId.floor.median),
        fmtRatio(m.median / byId.gen.median),
        fmtInt(m.iterations),
      ];
    });
    if (!pt)
      rows.push(['(c)  Powertools kafkaConsumer + Zod 4: skipped (not installed)', '-', '-', '-', '-', '-', '-']);
    console.log(
      table(['candidate', 'ns/record', 'per event', 'min/event', 'x floor', 'x (a)', 'iter/round'], rows, [
        'l',
        'r',
        'r',
        'r',
        'r',
        'r',
        'r',
      ]).replace(/^/gm, '  '),
    );

    // Where the time goes, per record: differences of medians, each layer on top of the one before.
    const layers = [
      ['floor (b)', ns.floor],
      ["+ isOrder, valueJson's checks (a2-b)", ns.genValues - ns.floor],
      ['+ key, records kept (a1-a2)', ns.genLiteral - ns.genValues],
      ["+ decodeRecord's own code: find, decodeSide (a-a1)", ns.gen - ns.genLiteral],
    ];
    const fmtLayers = (parts) => parts.map(([what, v]) => `${what} ${v.toFixed(0)}`).join(', ');
    console.log(`  ns/record, decodeRecords: ${fmtLayers(layers)}`);
    if (pt) {
      console.log(
        `  ns/record, Powertools: ${fmtLayers([
          ['floor (b)', ns.floor],
          ["+ wrapper: base64 regex, TextDecoder, an await per record (c'-b)", ns.ptJson - ns.floor],
          ["+ Zod (c-c')", ns.pt - ns.ptJson],
        ])}`,
      );
    }

    const floorRatio = ns.gen / ns.floor;
    out.targetResults.push({
      event: e.name,
      ratio: 'decodeRecords / floor',
      measured: fmtRatio(floorRatio),
      target: `<= ${PAYLOAD_TARGETS.vsFloor}x`,
      verdict: verdict(floorRatio <= PAYLOAD_TARGETS.vsFloor),
    });
    if (pt) {
      const ptRatio = ns.pt / ns.gen;
      out.targetResults.push({
        event: e.name,
        ratio: 'Powertools + Zod / decodeRecords',
        measured: fmtRatio(ptRatio),
        target: `>= ${PAYLOAD_TARGETS.vsPowertools}x`,
        verdict: verdict(ptRatio >= PAYLOAD_TARGETS.vsPowertools),
      });
    }
    out.events[e.name] = {
      records: e.records,
      bytes: e.bytes,
      valueBytes: e.valueBytes,
      settings: SETTINGS[e.name],
      byId,
      nsPerRecord: ns,
    };
  }

  // After the timing, so the error paths it walks cannot change the timed code's JIT state.
  const equivalence = checkEquivalence(isOrder, floorValues(events[0].event)[0]);
  out.equivalence = equivalence;
  console.log(
    `\n  isOrder and the Zod schema agree on ${equivalence.cases} payloads (${equivalence.accepted} valid, ${equivalence.cases - equivalence.accepted} broken); expected difference: ${equivalence.differences.join('; ')}`,
  );

  console.log('\n  Targets (reported, never enforced):');
  console.log(
    table(
      ['event', 'ratio', 'measured', 'target', ''],
      out.targetResults.map((t) => [t.event, t.ratio, t.measured, t.target, t.verdict]),
      ['l', 'l', 'r', 'l', 'l'],
    ).replace(/^/gm, '  '),
  );
  if (pt) {
    const ceiling = Object.entries(out.events).map(
      ([name, r]) => `${name} ${fmtRatio(r.nsPerRecord.pt / r.nsPerRecord.floor)}`,
    );
    console.log(
      `  context: Powertools + Zod / floor is ${ceiling.join(', ')}: the most any decoder that parses every value could reach on the Powertools target`,
    );
  }
  for (const t of out.targetResults.filter((x) => x.verdict === 'MISS')) {
    const r = out.events[t.event].nsPerRecord;
    const why = t.ratio.startsWith('decodeRecords')
      ? `decodeRecords costs ${(r.gen - r.floor).toFixed(0)} ns/record over the floor: ${(r.genValues - r.floor).toFixed(0)} for isOrder and valueJson's checks, ${(r.genLiteral - r.genValues).toFixed(0)} for the key and keeping every record, ${(r.gen - r.genLiteral).toFixed(0)} in decodeRecord's own code (a-a1: TOPICS.find, decodeSide)`
      : `Powertools + Zod costs ${(r.pt - r.floor).toFixed(0)} ns/record over the floor (Zod ${(r.pt - r.ptJson).toFixed(0)} of it), decodeRecords ${(r.gen - r.floor).toFixed(0)}; a decoder as fast as the floor would be ${fmtRatio(r.pt / r.floor)} faster than Powertools + Zod`;
    console.log(`  MISS (${t.event}, ${t.ratio}): ${why}`);
  }
  out.verdicts = out.targetResults.map((t) => t.verdict);
  return out;
}

// `node bench/payloads.mjs`: this section alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const out = await runPayloads();
  console.log(
    `\n  ${out.verdicts.filter((v) => v === 'PASS').length}/${out.verdicts.length} targets PASS; ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
