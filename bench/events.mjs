// Canonical Kafka events for the benchmark, built deterministically from a seeded PRNG
// (no Math.random): the same bytes on every run and every machine.

/** Lambda's invocation payload cap is 6 MB; the big event must be JSON text in [MIN, MAX] bytes. */
export const BIG_EVENT_MIN_BYTES = 5.5 * 1024 * 1024; // 5,767,168: above 5.5 MiB (and 5.5 MB)
export const BIG_EVENT_MAX_BYTES = 6_000_000; // below 6 MB (and 6 MiB)
const BIG_EVENT_TARGET_BYTES = 5_900_000;

/** mulberry32: a small, fast, well-distributed 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (rng, min, max) => min + Math.floor(rng() * (max - min + 1));
export const pick = (rng, list) => list[Math.floor(rng() * list.length)];
export const hex = (rng, n) => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(rng() * 16)];
  return s;
};
export const uuid = (rng) =>
  `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${pick(rng, ['8', '9', 'a', 'b'])}${hex(rng, 3)}-${hex(rng, 12)}`;
export const b64 = (text) => Buffer.from(text, 'utf8').toString('base64');
/** A string's UTF-8 bytes as Lambda sends header values: Java `byte`, signed. "ë" -> [-61, -85]. */
export const signedBytes = (text) => Array.from(Buffer.from(text, 'utf8'), (b) => (b << 24) >> 24);

const CITIES = [
  ['Zürich', 'CH'],
  ['München', 'DE'],
  ['Lyon', 'FR'],
  ['Seattle', 'US'],
  ['Québec', 'CA'],
  ['Göteborg', 'SE'],
];
const STATUSES = ['CREATED', 'PAID', 'PACKED', 'SHIPPED'];
// Non-ASCII producer names give headers with negative (signed) bytes.
const PRODUCERS = ['commande-svc-ë', 'zürich-gateway', 'café-east-1', 'checkout-api'];

/** A few hundred bytes of JSON, as a producer would send an order event. */
function payload(rng, timestamp) {
  const items = [];
  const n = int(rng, 1, 4);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const qty = int(rng, 1, 5);
    const unitPrice = int(rng, 199, 9999) / 100;
    total += qty * unitPrice;
    items.push({ sku: `SKU-${hex(rng, 6).toUpperCase()}`, qty, unitPrice });
  }
  const [city, country] = pick(rng, CITIES);
  return JSON.stringify({
    type: 'OrderStatusChanged',
    orderId: uuid(rng),
    customerId: `C${int(rng, 100000, 999999)}`,
    status: pick(rng, STATUSES),
    items,
    currency: country === 'US' ? 'USD' : country === 'CH' ? 'CHF' : 'EUR',
    total: Math.round(total * 100) / 100,
    shippingAddress: { city, country, postalCode: String(int(rng, 10000, 99999)) },
    createdAt: new Date(timestamp).toISOString(),
  });
}

function record(rng, topic, partition, offset, timestamp, producer) {
  const value = payload(rng, timestamp);
  const headers = [
    { traceparent: signedBytes(`00-${hex(rng, 32)}-${hex(rng, 16)}-01`) },
    { 'content-type': signedBytes('application/json') },
  ];
  if (producer !== null) headers.push({ producer: signedBytes(producer) });
  return {
    topic,
    partition,
    offset,
    timestamp,
    timestampType: 'CREATE_TIME',
    key: b64(JSON.parse(value).customerId),
    value: b64(value),
    headers,
  };
}

function envelope(rng) {
  const clusterId = hex(rng, 6);
  const brokers = [1, 2, 3].map((i) => `b-${i}.demo.${clusterId}.c2.kafka.us-east-1.amazonaws.com:9098`);
  return {
    eventSource: 'aws:kafka',
    eventSourceArn: `arn:aws:kafka:us-east-1:123456789012:cluster/demo/${uuid(rng)}-1`,
    bootstrapServers: brokers.join(','),
  };
}

/**
 * One event: `count` records (or, with `targetBytes`, as many as fit in that many bytes of
 * JSON text) spread round-robin over `partitions` ("<topic>-<n>" keys), offsets increasing
 * within each partition.
 */
export function buildEvent({ seed, partitions, count = Infinity, targetBytes = Infinity }) {
  const rng = mulberry32(seed);
  const head = envelope(rng);
  const records = {};
  const nextOffset = [];
  for (const [topic, p] of partitions) {
    records[`${topic}-${p}`] = [];
    nextOffset.push(int(rng, 100_000, 9_000_000));
  }
  // Size accounting: the envelope with empty arrays, plus each record's text and a comma.
  let bytes = JSON.stringify({ ...head, records }).length;
  let timestamp = 1_760_000_000_000 + int(rng, 0, 86_400_000);
  for (let i = 0; i < count; i++) {
    const slot = i % partitions.length;
    const [topic, p] = partitions[slot];
    timestamp += int(rng, 0, 40);
    // A third header on every record of the small events and on 2 in 3 of the big one; the
    // first record of each event always gets a non-ASCII producer (negative bytes).
    const producer = i === 0 ? PRODUCERS[0] : i < 100 || rng() < 2 / 3 ? pick(rng, PRODUCERS) : null;
    const rec = record(rng, topic, p, nextOffset[slot], timestamp, producer);
    const size = JSON.stringify(rec).length + 1;
    if (bytes + size > targetBytes) break;
    bytes += size;
    nextOffset[slot] += 1;
    records[`${topic}-${p}`].push(rec);
  }
  for (const key of Object.keys(records)) if (records[key].length === 0) delete records[key];
  return { ...head, records };
}

function describeEvent(name, built) {
  const text = JSON.stringify(built);
  // What is timed is JSON.parse's output, as in Lambda (the runtime parses the payload): the
  // builder's objects are scattered among its garbage, which on the 6 MB event made every
  // validator up to 2x slower from cache misses alone.
  const event = JSON.parse(text);
  let records = 0;
  for (const key in event.records) records += event.records[key].length;
  return {
    name,
    event,
    text,
    bytes: Buffer.byteLength(text, 'utf8'),
    records,
    partitions: Object.keys(event.records).length,
  };
}

/** The three canonical events: 1 record, 100 records (the default batch), ~6 MB (the payload cap). */
export function canonicalEvents() {
  const one = buildEvent({ seed: 1, partitions: [['orders', 0]], count: 1 });
  const hundred = buildEvent({
    seed: 100,
    partitions: [
      ['orders', 0],
      ['orders', 1],
      ['orders', 2],
    ],
    count: 100,
  });
  const big = buildEvent({
    seed: 6,
    // Two topics, one with a '-' in its name (records keys split on the last '-').
    partitions: [
      ['orders', 0],
      ['orders', 1],
      ['orders', 2],
      ['payment-events', 0],
      ['payment-events', 1],
      ['payment-events', 2],
    ],
    targetBytes: BIG_EVENT_TARGET_BYTES,
  });
  const events = [describeEvent('1 record', one), describeEvent('100 records', hundred), describeEvent('~6 MB', big)];
  const bigText = events[2].bytes;
  if (bigText < BIG_EVENT_MIN_BYTES || bigText > BIG_EVENT_MAX_BYTES) {
    throw new Error(`big event is ${bigText} bytes of JSON, outside [${BIG_EVENT_MIN_BYTES}, ${BIG_EVENT_MAX_BYTES}]`);
  }
  if (events[0].records !== 1 || events[1].records !== 100)
    throw new Error('event builder produced the wrong record counts');
  return events;
}

/**
 * A copy whose negative header bytes are replaced by their absolute value (same structure,
 * same sizes, still valid for our schema). Powertools' parser decodes header bytes with
 * `String.fromCodePoint(...bytes)`, which throws a RangeError on the negative bytes Lambda
 * really sends, so Powertools can only be timed on this variant.
 */
export function nonNegativeHeaderVariant(event) {
  const copy = JSON.parse(JSON.stringify(event));
  for (const key in copy.records) {
    for (const rec of copy.records[key]) {
      for (const header of rec.headers) {
        for (const name in header) header[name] = header[name].map((b) => (b < 0 ? -b : b));
      }
    }
  }
  return JSON.parse(JSON.stringify(copy)); // re-parsed for the same memory layout as the canonical event
}
