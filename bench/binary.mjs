// 10. Avro and Protobuf payloads: the generated decoders (codecs.ts) and the generated
// `decodeRecords` on events of a realistic Order, against avsc's own (JIT-compiled) decoder,
// protobufjs, @bufbuild/protobuf's `fromBinary` (when installed) and Powertools' Kafka
// consumer with SchemaType.AVRO / PROTOBUF; and the cold start of a script that imports the
// bundle and decodes a 1-record event.
//
// The generated code comes from the generator itself (dist/, built by `npm run build`): one
// project per format in bench/.out/binary/<format>/ (a msk-codegen.config.json naming
// schemas/order.avsc or schemas/shop.proto, as a user writes it), generated and bundled with
// esbuild.
//
// Part of `npm run bench`. Also runs alone: `node bench/binary.mjs` (45 to 90 s: Powertools' Avro
// consumer, when avro-js is installed, takes seconds per ~6 MB event).
// Targets are reported, never enforced. Something broken throws: the generator rejects a
// schema, a bundle is not self-contained, or the generated decoders decode a value
// differently from avsc / protobufjs / @bufbuild/protobuf.
import { deepStrictEqual } from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import avsc from 'avsc';
import * as esbuild from 'esbuild';
import protobuf from 'protobufjs';
import {
  CodegenError,
  CONFIG_FILE_NAME,
  formatDiagnostic,
  generate,
  resolveConfig,
  writeGeneratedFiles,
} from '../dist/generator/index.js';
import { measureColdStart } from './cold.mjs';
import { loadPowertoolsKafka, POWERTOOLS_KAFKA, POWERTOOLS_KAFKA_WANTED } from './decode.mjs';
import { BIG_EVENT_MAX_BYTES, BIG_EVENT_MIN_BYTES, hex, int, mulberry32, pick, signedBytes, uuid } from './events.mjs';
import { fmtBytes, fmtInt, fmtNs, fmtRatio, section as printSection, table, verdict } from './format.mjs';
import { measureAsync } from './timing.mjs';

export const BINARY_TARGETS = {
  vsReference: 1.0, // generated decode<Type>Avro / decode<Type>Protobuf <= 1.0x avsc's fromBuffer / @bufbuild's fromBinary
  vsPowertools: 5, // Powertools kafkaConsumer (AVRO / PROTOBUF) >= 5x the generated decodeRecords
  coldStart: 1.1, // a process importing the bundle and decoding one record <= 1.1x `node -e 0`
};

const REPO = fileURLToPath(new URL('..', import.meta.url));
const OUT = fileURLToPath(new URL('./.out/binary/', import.meta.url));
const TOPIC = 'orders';
const BIG_TARGET_BYTES = 5_900_000;
/** The Confluent schema id written in the framed values and the SOURCE-mode metadata. */
const SCHEMA_ID = 42;
const BUFBUILD = '@bufbuild/protobuf';
const BUFBUILD_WANTED = '2.17.0';
/** avro-js 1.12.2 requires underscore without declaring it (a broken release): 1.12.1 declares it. */
const AVRO_JS_WANTED = '1.12.1';

const SETTINGS = {
  '100 records': { warmupMs: 200, roundMs: 40, rounds: 11 },
  '~6 MB': { warmupMs: 300, minWarmupCalls: 2, roundMs: 120, rounds: 7 },
};
const POWERTOOLS_SETTINGS = {
  '100 records': { warmupMs: 300, minWarmupCalls: 5, roundMs: 40, rounds: 5 },
  '~6 MB': { warmupMs: 0, minWarmupCalls: 1, roundMs: 40, rounds: 3 },
};
const COLD_RUNS = { runs: 25, warmup: 3 };
/** Powertools' wrapper takes a Lambda context; its deserialization does not read it. */
const CONTEXT = Object.freeze({ functionName: 'bench', awsRequestId: 'bench' });

// ---------------------------------------------------------------------------------------
// The Order, as an Avro schema and as a .proto: a nested record/message (customer), an
// optional nested one (shipping address), an array of lines, an enum, optional fields,
// long/int64 timestamps and amounts, a map of string attributes.

export const ORDER_AVSC = {
  type: 'record',
  name: 'Order',
  namespace: 'shop.avro',
  doc: 'An order as the checkout service writes it.',
  fields: [
    { name: 'orderId', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'placedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    {
      name: 'status',
      type: { type: 'enum', name: 'OrderStatus', symbols: ['PLACED', 'PAID', 'SHIPPED', 'CANCELLED'] },
    },
    {
      name: 'customer',
      type: {
        type: 'record',
        name: 'Customer',
        fields: [
          { name: 'id', type: 'string' },
          { name: 'name', type: 'string' },
          { name: 'email', type: ['null', 'string'], default: null },
          { name: 'vip', type: 'boolean' },
        ],
      },
    },
    {
      name: 'lines',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'OrderLine',
          fields: [
            { name: 'sku', type: 'string' },
            { name: 'quantity', type: 'int' },
            { name: 'unitPriceMinor', type: 'long' },
            { name: 'discountPct', type: ['null', 'int'], default: null },
          ],
        },
      },
    },
    { name: 'currency', type: 'string' },
    { name: 'totalMinor', type: 'long' },
    { name: 'coupon', type: ['null', 'string'], default: null },
    {
      name: 'shippingAddress',
      type: [
        'null',
        {
          type: 'record',
          name: 'Address',
          fields: [
            { name: 'street', type: 'string' },
            { name: 'city', type: 'string' },
            { name: 'postcode', type: 'string' },
            { name: 'country', type: 'string' },
          ],
        },
      ],
      default: null,
    },
    { name: 'attributes', type: { type: 'map', values: 'string' } },
  ],
};

export const SHOP_PROTO = `syntax = "proto3";
package shop.v1;

// An order as the checkout service writes it.
message Order {
  string order_id = 1;
  int64 placed_at = 2; // milliseconds since the epoch
  OrderStatus status = 3;
  Customer customer = 4;
  repeated OrderLine lines = 5;
  string currency = 6;
  int64 total_minor = 7;
  optional string coupon = 8;
  Address shipping_address = 9;
  map<string, string> attributes = 10;
}

message Customer {
  string id = 1;
  string name = 2;
  optional string email = 3;
  bool vip = 4;
}

message OrderLine {
  string sku = 1;
  int32 quantity = 2;
  int64 unit_price_minor = 3;
  optional int32 discount_pct = 4;
}

message Address {
  string street = 1;
  string city = 2;
  string postcode = 3;
  string country = 4;
}

enum OrderStatus {
  ORDER_STATUS_UNSPECIFIED = 0;
  PLACED = 1;
  PAID = 2;
  SHIPPED = 3;
  CANCELLED = 4;
}
`;

const FORMATS = {
  avro: {
    title: 'Avro',
    schemaFile: 'schemas/order.avsc',
    schemaText: `${JSON.stringify(ORDER_AVSC, null, 2)}\n`,
    value: { format: 'avro', schema: 'schemas/order.avsc' },
    decoder: 'decodeOrderAvro',
  },
  protobuf: {
    title: 'Protobuf',
    schemaFile: 'schemas/shop.proto',
    schemaText: SHOP_PROTO,
    value: { format: 'protobuf', schema: 'schemas/shop.proto', message: 'shop.v1.Order' },
    decoder: 'decodeOrderProtobuf',
  },
};

// ---------------------------------------------------------------------------------------
// Generating and bundling: one project per format, as a user has it.

async function buildFormatModule(format) {
  const spec = FORMATS[format];
  const dir = path.join(OUT, format);
  mkdirSync(path.join(dir, 'schemas'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(path.join(dir, spec.schemaFile), spec.schemaText);
  const config = { topics: { [TOPIC]: { key: { format: 'string' }, value: spec.value } }, unknownTopics: 'reject' };
  writeFileSync(path.join(dir, CONFIG_FILE_NAME), `${JSON.stringify(config, null, 2)}\n`);
  const t0 = performance.now();
  let files;
  try {
    const resolved = await resolveConfig({ cwd: dir });
    files = await generate({
      topics: resolved.topics,
      unknownTopics: resolved.unknownTopics,
      ...(resolved.configFile ? { configFile: resolved.configFile } : {}),
    });
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    throw new Error(
      `the generator rejects the ${spec.title} Order (${spec.schemaFile}): ${error.diagnostics.map((d) => formatDiagnostic(d, REPO)).join('; ')}`,
    );
  }
  const generateMs = performance.now() - t0;
  await writeGeneratedFiles(path.join(dir, 'generated'), files);

  const bundle = path.join(dir, 'generated.mjs');
  const result = await esbuild.build({
    absWorkingDir: dir,
    entryPoints: ['generated/index.ts'],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    metafile: true,
    logLevel: 'silent',
    outfile: bundle,
  });
  const outside = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('generated/'));
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
  if (outside.length > 0 || imports.length > 0) {
    throw new Error(
      `the ${spec.title} bundle is not self-contained: inputs ${outside.join(', ') || '-'}; imports ${imports.join(', ') || '-'}`,
    );
  }
  const mod = await import(pathToFileURL(bundle).href);
  for (const name of ['decodeRecords', spec.decoder]) {
    if (typeof mod[name] !== 'function') throw new Error(`the generated ${format} index.ts does not export ${name}`);
  }
  return {
    mod,
    info: {
      config: path.relative(REPO, path.join(dir, CONFIG_FILE_NAME)),
      schemaFile: path.relative(REPO, path.join(dir, spec.schemaFile)),
      generateMs,
      files: files.map((f) => f.path),
      codecsBytes: Buffer.byteLength(files.find((f) => f.path === 'codecs.ts')?.contents ?? ''),
      bundle: path.relative(REPO, bundle),
      bundlePath: bundle,
      bundleBytes: Buffer.byteLength(readFileSync(bundle)),
    },
  };
}

// ---------------------------------------------------------------------------------------
// Seeded orders, encoded with avsc and protobufjs.

const FIRST = ['Zoë', 'François', 'Søren', 'Ana', 'Jürgen', 'Mei', 'Olusegun', 'Siobhán', 'Priya', 'Mateo'];
const LAST = ['Müller', 'Dubois', 'Kristiansen', 'García', 'Nakamura', "O'Brien", 'Okafor', 'Lindqvist', 'Nguyễn'];
const PRODUCTS = ['TSHIRT', 'HOODIE', 'MUG', 'CAP', 'SOCKS', 'POSTER', 'BOTTLE', 'TOTE', 'NOTEBOOK', 'STICKER'];
const VARIANTS = ['BLK', 'WHT', 'NVY', 'RED', 'GRN', 'S', 'M', 'L', 'XL', '350ML', '500ML'];
const CURRENCIES = ['EUR', 'EUR', 'USD', 'GBP', 'CHF', 'SEK', 'JPY'];
const STATUSES = ['PLACED', 'PAID', 'SHIPPED', 'CANCELLED'];
const STREETS = ['Hauptstraße 12', 'Rue de Rivoli 99', 'Vesterbrogade 4', 'Calle Mayor 7', 'Baker Street 221b'];
const CITIES = [
  ['Zürich', '8001', 'CH'],
  ['Paris', '75001', 'FR'],
  ['København', '1620', 'DK'],
  ['Madrid', '28013', 'ES'],
  ['London', 'NW1 6XE', 'GB'],
];
const CHANNELS = ['web', 'ios', 'android', 'pos'];

/** One order in the Avro shape (camelCase, unions as null or the value): 1 to 6 lines, optional fields sometimes set. */
function order(rng, placedAt) {
  const lines = [];
  let total = 0;
  for (let i = int(rng, 1, 6); i > 0; i--) {
    const line = {
      sku: `${pick(rng, PRODUCTS)}-${pick(rng, VARIANTS)}-${int(rng, 1000, 99999)}`,
      quantity: int(rng, 1, 6),
      unitPriceMinor: int(rng, 199, 24999),
      discountPct: rng() < 0.25 ? int(rng, 5, 50) : null,
    };
    total += line.quantity * line.unitPriceMinor;
    lines.push(line);
  }
  const first = pick(rng, FIRST);
  const [city, postcode, country] = pick(rng, CITIES);
  const attributes = { channel: pick(rng, CHANNELS) };
  if (rng() < 0.5) attributes.campaign = `spring-${int(rng, 1, 9)}`;
  if (rng() < 0.3) attributes.giftWrap = 'yes';
  return {
    orderId: uuid(rng),
    placedAt,
    status: pick(rng, STATUSES),
    customer: {
      id: `C${int(rng, 100000, 999999)}`,
      name: `${first} ${pick(rng, LAST)}`,
      email: rng() < 0.7 ? `${first.toLowerCase()}.${int(rng, 1, 999)}@example.com` : null,
      vip: rng() < 0.1,
    },
    lines,
    currency: pick(rng, CURRENCIES),
    totalMinor: total,
    coupon: rng() < 0.3 ? `SAVE${int(rng, 5, 30)}` : null,
    shippingAddress: rng() < 0.8 ? { street: pick(rng, STREETS), city, postcode, country } : null,
    attributes,
  };
}

/** The same order in the .proto's shape (snake_case; optional fields and messages absent rather than null). */
function protoOrder(o) {
  const m = {
    order_id: o.orderId,
    placed_at: o.placedAt,
    status: o.status,
    customer: { id: o.customer.id, name: o.customer.name, vip: o.customer.vip },
    lines: o.lines.map((l) => {
      const line = { sku: l.sku, quantity: l.quantity, unit_price_minor: l.unitPriceMinor };
      if (l.discountPct !== null) line.discount_pct = l.discountPct;
      return line;
    }),
    currency: o.currency,
    total_minor: o.totalMinor,
    attributes: { ...o.attributes },
  };
  if (o.customer.email !== null) m.customer.email = o.customer.email;
  if (o.coupon !== null) m.coupon = o.coupon;
  if (o.shippingAddress !== null) m.shipping_address = { ...o.shippingAddress };
  return m;
}

/** The two reference libraries, set up once: avsc's Type (JIT-compiled reader) and protobufjs's Order type. */
export function references() {
  const avroType = avsc.Type.forSchema(ORDER_AVSC);
  const root = protobuf.parse(SHOP_PROTO, { keepCase: true }).root;
  const protoType = root.lookupType('shop.v1.Order');
  return { avroType, protoType };
}

/** protobufjs's plain-object form closest to the generated decoder's: int64 as numbers, enums by name, scalar defaults set. */
const PROTOBUFJS_TO_OBJECT = Object.freeze({ longs: Number, enums: String, defaults: true });

/** The Confluent frame: magic byte 0, the schema id (4 bytes, big-endian), and for Protobuf the message-index array [0] (one byte 00). */
function confluentFrame(format, body) {
  const head = Buffer.alloc(format === 'protobuf' ? 6 : 5);
  head.writeUInt32BE(SCHEMA_ID, 1);
  return Buffer.concat([head, body]);
}

/**
 * The events of one format: the same orders, encoded once, as records of topic "orders"
 * (key: the order id; one header) in three variants:
 * - none: the value is the bare Avro datum / Protobuf message, no schema metadata;
 * - confluent: the value as a Confluent serializer writes it (00, schema id, [00]), no metadata
 *   (a mapping without a schema registry delivers it so);
 * - source (Protobuf only): what a mapping with a Confluent registry and EventRecordFormat SOURCE
 *   delivers: valueSchemaMetadata { dataFormat: "PROTOBUF", schemaId }, the header removed,
 *   the message index 00 kept. Powertools' Protobuf deserializer needs the metadata.
 */
export function formatEvents(format, refs) {
  const variants = format === 'protobuf' ? ['none', 'confluent', 'source'] : ['none', 'confluent'];
  const encode = (o) =>
    format === 'avro'
      ? refs.avroType.toBuffer(o)
      : Buffer.from(refs.protoType.encode(refs.protoType.fromObject(protoOrder(o))).finish());
  const value = (variant, body) =>
    (variant === 'none'
      ? body
      : variant === 'confluent'
        ? confluentFrame(format, body)
        : Buffer.concat([Buffer.of(0), body])
    ).toString('base64');

  function build({ name, seed, partitions, count = Infinity, targetBytes = Infinity }) {
    const rng = mulberry32(seed);
    const clusterId = hex(rng, 6);
    const head = {
      eventSource: 'aws:kafka',
      eventSourceArn: `arn:aws:kafka:us-east-1:123456789012:cluster/shop/${uuid(rng)}-1`,
      bootstrapServers: [1, 2, 3]
        .map((i) => `b-${i}.shop.${clusterId}.c2.kafka.us-east-1.amazonaws.com:9098`)
        .join(','),
    };
    const records = Object.fromEntries(variants.map((v) => [v, {}]));
    const offsets = [];
    for (let p = 0; p < partitions; p++) {
      for (const v of variants) records[v][`${TOPIC}-${p}`] = [];
      offsets.push(int(rng, 100_000, 9_000_000));
    }
    const bytes = Object.fromEntries(variants.map((v) => [v, JSON.stringify({ ...head, records: records[v] }).length]));
    let timestamp = 1_760_000_000_000 + int(rng, 0, 86_400_000);
    let bodyBytes = 0;
    let n = 0;
    for (; n < count; n++) {
      const p = n % partitions;
      timestamp += int(rng, 0, 40);
      const o = order(rng, timestamp - int(rng, 5, 500));
      const body = encode(o);
      const headers = [{ traceparent: signedBytes(`00-${hex(rng, 32)}-${hex(rng, 16)}-01`) }];
      const recs = {};
      for (const v of variants) {
        recs[v] = {
          topic: TOPIC,
          partition: p,
          offset: offsets[p],
          timestamp,
          timestampType: 'CREATE_TIME',
          key: Buffer.from(o.orderId, 'utf8').toString('base64'),
          value: value(v, body),
          headers,
        };
        if (v === 'source') recs[v].valueSchemaMetadata = { dataFormat: 'PROTOBUF', schemaId: String(SCHEMA_ID) };
      }
      // Every variant stays under the target: the largest decides.
      if (variants.some((v) => bytes[v] + JSON.stringify(recs[v]).length + 1 > targetBytes)) break;
      for (const v of variants) {
        bytes[v] += JSON.stringify(recs[v]).length + 1;
        records[v][`${TOPIC}-${p}`].push(recs[v]);
      }
      offsets[p] += 1;
      bodyBytes += body.length;
    }
    const events = {};
    for (const v of variants) {
      const text = JSON.stringify({ ...head, records: records[v] });
      events[v] = { event: JSON.parse(text), bytes: Buffer.byteLength(text) }; // timed objects come from JSON.parse, as in Lambda
    }
    return { name, records: n, partitions, bodyBytes, events };
  }

  const hundred = build({ name: '100 records', seed: 1000 + format.length, partitions: 3, count: 100 });
  const big = build({ name: '~6 MB', seed: 1006 + format.length, partitions: 6, targetBytes: BIG_TARGET_BYTES });
  if (hundred.records !== 100) throw new Error(`the 100-record ${format} event has the wrong record count`);
  // The variants share their records: the largest (with framing or metadata) is the ~6 MB event.
  const largest = Math.max(...Object.values(big.events).map((e) => e.bytes));
  if (largest < BIG_EVENT_MIN_BYTES || largest > BIG_EVENT_MAX_BYTES)
    throw new Error(
      `the big ${format} event is ${largest} bytes of JSON, outside [${BIG_EVENT_MIN_BYTES}, ${BIG_EVENT_MAX_BYTES}]`,
    );
  return [hundred, big];
}

/** Every record's value, in event order. */
function valuesOf(event) {
  const out = [];
  for (const key in event.records) for (const r of event.records[key]) out.push(r.value);
  return out;
}

// ---------------------------------------------------------------------------------------
// Comparing decoded values across libraries: plain objects, arrays, numbers for longs.

/** A decoded value as plain data: Long and bigint as numbers, bytes as hex, no prototypes; undefined fields dropped (and null ones when `dropNull`). */
function plain(value, dropNull = false) {
  if (value === null || value === undefined) return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value.toNumber === 'function' && 'low' in value && 'high' in value) return value.toNumber();
  if (Array.isArray(value)) return value.map((v) => plain(v, dropNull));
  const out = {};
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v === undefined || (dropNull && v === null)) continue;
    out[key] = plain(v, dropNull);
  }
  return out;
}

/** avro-js's (Powertools') form of a value with Avro's union wrappers taken off: `{ string: "x" }` -> "x", `{ "shop.avro.Address": {...} }` -> {...}. */
function unwrapUnions(value) {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(unwrapUnions);
  const keys = Object.keys(value);
  if (keys.length === 1 && (AVRO_PRIMITIVES.has(keys[0]) || keys[0].includes('.'))) return unwrapUnions(value[keys[0]]);
  const out = {};
  for (const key of keys) out[key] = unwrapUnions(value[key]);
  return out;
}
const AVRO_PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

/** A @bufbuild/protobuf message in the generated decoder's shape: proto field names, enums by name, int64 as numbers, unset messages and optionals absent. */
function bufPlain(desc, message) {
  const out = {};
  for (const f of desc.fields) {
    const v = message[f.localName];
    if (v === undefined) continue;
    if (f.fieldKind === 'message') out[f.name] = bufPlain(f.message, v);
    else if (f.fieldKind === 'list')
      out[f.name] = f.listKind === 'message' ? v.map((x) => bufPlain(f.message, x)) : v.map((x) => plain(x));
    else if (f.fieldKind === 'map') out[f.name] = plain(v);
    else if (f.fieldKind === 'enum') out[f.name] = f.enum.values.find((e) => e.number === v)?.name ?? v;
    else out[f.name] = plain(v);
  }
  return out;
}

/** An installed package's version, from the package.json above its entry point (not every package exports it). */
function packageVersion(name) {
  try {
    let dir = path.dirname(fileURLToPath(import.meta.resolve(name)));
    for (let i = 0; i < 6; i++, dir = path.dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
        if (pkg.name === name) return pkg.version;
      } catch {
        // no package.json here, or a nested one without a name: keep going up
      }
    }
  } catch {
    // not resolvable
  }
  return 'unknown';
}

// ---------------------------------------------------------------------------------------
// @bufbuild/protobuf (optional): the descriptor of SHOP_PROTO, written by hand (no buf binary).

async function loadBufbuild() {
  let mod;
  let wkt;
  try {
    mod = await import(BUFBUILD);
    wkt = await import(`${BUFBUILD}/wkt`);
  } catch (error) {
    return { error: `${error.code ?? error.name}: ${String(error.message).split('\n')[0]}` };
  }
  const version = packageVersion(BUFBUILD);
  const { create, createFileRegistry, fromBinary } = mod;
  const { FileDescriptorProtoSchema } = wkt;
  // google.protobuf.FieldDescriptorProto: Type and Label numbers.
  const T = { INT64: 3, INT32: 5, BOOL: 8, STRING: 9, MESSAGE: 11, ENUM: 14 };
  const OPTIONAL = 1;
  const REPEATED = 3;
  const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  const field = (name, number, type, extra = {}) => ({
    name,
    number,
    type,
    label: OPTIONAL,
    jsonName: camel(name),
    ...extra,
  });
  /** A proto3 `optional` field: a synthetic oneof of its own. */
  const optional = (name, number, type, oneofIndex) => field(name, number, type, { proto3Optional: true, oneofIndex });
  const file = create(FileDescriptorProtoSchema, {
    name: 'shop.proto',
    package: 'shop.v1',
    syntax: 'proto3',
    messageType: [
      {
        name: 'Order',
        field: [
          field('order_id', 1, T.STRING),
          field('placed_at', 2, T.INT64),
          field('status', 3, T.ENUM, { typeName: '.shop.v1.OrderStatus' }),
          field('customer', 4, T.MESSAGE, { typeName: '.shop.v1.Customer' }),
          field('lines', 5, T.MESSAGE, { label: REPEATED, typeName: '.shop.v1.OrderLine' }),
          field('currency', 6, T.STRING),
          field('total_minor', 7, T.INT64),
          optional('coupon', 8, T.STRING, 0),
          field('shipping_address', 9, T.MESSAGE, { typeName: '.shop.v1.Address' }),
          field('attributes', 10, T.MESSAGE, { label: REPEATED, typeName: '.shop.v1.Order.AttributesEntry' }),
        ],
        nestedType: [
          {
            name: 'AttributesEntry',
            field: [field('key', 1, T.STRING), field('value', 2, T.STRING)],
            options: { mapEntry: true },
          },
        ],
        oneofDecl: [{ name: '_coupon' }],
      },
      {
        name: 'Customer',
        field: [
          field('id', 1, T.STRING),
          field('name', 2, T.STRING),
          optional('email', 3, T.STRING, 0),
          field('vip', 4, T.BOOL),
        ],
        oneofDecl: [{ name: '_email' }],
      },
      {
        name: 'OrderLine',
        field: [
          field('sku', 1, T.STRING),
          field('quantity', 2, T.INT32),
          field('unit_price_minor', 3, T.INT64),
          optional('discount_pct', 4, T.INT32, 0),
        ],
        oneofDecl: [{ name: '_discount_pct' }],
      },
      {
        name: 'Address',
        field: [
          field('street', 1, T.STRING),
          field('city', 2, T.STRING),
          field('postcode', 3, T.STRING),
          field('country', 4, T.STRING),
        ],
      },
    ],
    enumType: [
      {
        name: 'OrderStatus',
        value: ['ORDER_STATUS_UNSPECIFIED', 'PLACED', 'PAID', 'SHIPPED', 'CANCELLED'].map((name, number) => ({
          name,
          number,
        })),
      },
    ],
  });
  const desc = createFileRegistry(file, () => undefined).getMessage('shop.v1.Order');
  if (!desc) throw new Error('@bufbuild/protobuf: the hand-written descriptor has no shop.v1.Order');
  return { version, desc, fromBinary };
}

// ---------------------------------------------------------------------------------------
// Candidates: each returns a positive number (falsy would make the harness fail).

/** A loop over every value: base64 -> Buffer -> `decode(bytes)`; counts the decoded values. */
function perValue(decode) {
  return (event) => {
    let n = 1;
    const records = event.records;
    for (const key in records) {
      const list = records[key];
      for (let i = 0; i < list.length; i++) {
        if (decode(Buffer.from(list[i].value, 'base64')) !== null) n++;
      }
    }
    return n;
  };
}

/** Like perValue, but keeps every decoded value (as decodeRecords and any batch decoder does): the values outlive the young generation. */
function keepEvery(decode) {
  return (event) => {
    const out = [];
    const records = event.records;
    for (const key in records) {
      const list = records[key];
      for (let i = 0; i < list.length; i++) out.push(decode(Buffer.from(list[i].value, 'base64')));
    }
    return out.length;
  };
}

/** Powertools' kafkaConsumer with `value` config; the handler reads every record.value once (they decode in getters). */
function powertoolsConsumer({ kafkaConsumer }, value) {
  const read = kafkaConsumer(
    async (event) => {
      let n = 1;
      for (const record of event.records) if (record.value != null) n++;
      return n;
    },
    { value },
  );
  const collect = kafkaConsumer(async (event) => event.records.map((record) => record.value), { value });
  return { run: (event) => read(event, CONTEXT), collect: (event) => collect(event, CONTEXT) };
}

// ---------------------------------------------------------------------------------------

/**
 * Section 10 of `npm run bench`. Returns the results for results.json, with `verdicts`
 * (PASS/MISS per target, event and format).
 */
export async function runBinary({ note = (text) => console.log(`  note: ${text}`), section = printSection } = {}) {
  section('10. Avro and Protobuf payloads (median of interleaved rounds; ns per record)');
  const out = { targets: BINARY_TARGETS, formats: {}, targetResults: [], info: [], notes: [] };
  const say = (text) => {
    out.notes.push(text);
    note(text);
  };
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });

  const refs = references();
  const pt = await loadPowertoolsKafka();
  if (pt.error) {
    say(
      `Powertools rows skipped: cannot import ${POWERTOOLS_KAFKA} (${pt.error}); add ${POWERTOOLS_KAFKA}@${POWERTOOLS_KAFKA_WANTED} as a dev dependency`,
    );
  }
  const buf = await loadBufbuild();
  if (buf.error) {
    out.bufbuild = { skipped: buf.error };
    say(
      `@bufbuild/protobuf rows skipped (not installed: ${buf.error}); to time them: npm install --save-dev --save-exact ${BUFBUILD}@${BUFBUILD_WANTED}`,
    );
  } else out.bufbuild = { version: buf.version };
  console.log(
    `  references: avsc@${packageVersion('avsc')} Type.forSchema(schema).fromBuffer; protobufjs@${packageVersion('protobufjs')} protobuf.parse(text, { keepCase: true }).root.lookupType('shop.v1.Order')${buf.error ? '' : `; ${BUFBUILD}@${buf.version} fromBinary with a hand-written FileDescriptorProto`}`,
  );

  const cold = {};
  for (const format of Object.keys(FORMATS)) {
    const spec = FORMATS[format];
    const { mod, info } = await buildFormatModule(format);
    const fo = { generator: info, events: {} };
    out.formats[format] = fo;
    console.log(
      `\n  ${spec.title}: generate() of ${info.config} (topic "${TOPIC}": ${JSON.stringify(spec.value)}, key string) in ${info.generateMs.toFixed(0)} ms; codecs.ts ${fmtBytes(info.codecsBytes)}; bundle ${info.bundle} ${fmtBytes(info.bundleBytes)} (self-contained)`,
    );
    const decode = mod[spec.decoder];
    const { decodeRecords } = mod;

    // The reference decoders, per value (bytes without framing).
    const refDecode =
      format === 'avro'
        ? (bytes) => refs.avroType.fromBuffer(bytes)
        : (bytes) => refs.protoType.toObject(refs.protoType.decode(bytes), PROTOBUFJS_TO_OBJECT);
    const protoDecodeOnly = (bytes) => refs.protoType.decode(bytes);
    const bufDecode = buf.error || format !== 'protobuf' ? null : (bytes) => buf.fromBinary(buf.desc, bytes);

    // Powertools: AVRO needs avro-js (not a dependency of the package); PROTOBUF a protobufjs type.
    let ptc = null;
    let ptSkip = pt.error ? `${POWERTOOLS_KAFKA} not installed` : null;
    let ptNote = '';
    if (!pt.error) {
      const value =
        format === 'avro'
          ? { type: pt.mod.SchemaType.AVRO, schema: JSON.stringify(ORDER_AVSC) }
          : { type: pt.mod.SchemaType.PROTOBUF, schema: refs.protoType };
      ptc = powertoolsConsumer(pt.mod, value);
    }

    const events = formatEvents(format, refs);
    const ptVariant = format === 'avro' ? 'none' : 'source';
    for (const e of events) {
      // Untimed: every variant decodes to what the reference decodes from the bare bytes.
      const bare = valuesOf(e.events.none.event).map((v) => Buffer.from(v, 'base64'));
      const dropNull = format === 'protobuf';
      const expected = bare.map((b) => plain(refDecode(b), dropNull));
      for (const [variant, { event }] of Object.entries(e.events)) {
        const decoded = decodeRecords(event);
        deepStrictEqual(
          decoded.map((r) => plain(r.value, dropNull)),
          expected,
          `${spec.title} ${e.name} (${variant}): decodeRecords decodes differently from ${format === 'avro' ? 'avsc' : 'protobufjs'}`,
        );
      }
      deepStrictEqual(
        bare.map((b) => plain(decode(b), dropNull)),
        expected,
        `${spec.title} ${e.name}: ${spec.decoder} decodes differently from ${format === 'avro' ? 'avsc' : 'protobufjs'}`,
      );
      if (bufDecode)
        deepStrictEqual(
          bare.map((b) => bufPlain(buf.desc, bufDecode(b))),
          expected,
          `${spec.title} ${e.name}: @bufbuild/protobuf fromBinary decodes differently from protobufjs and the generated decoder`,
        );
      // On the 100-record event only: on the ~6 MB one, a Powertools Avro call takes seconds.
      if (ptc && !ptSkip && e.records === 100) {
        try {
          const got = await ptc.collect(e.events[ptVariant].event);
          const norm =
            format === 'avro'
              ? got.map((v) => plain(v))
              : got.map((v) => plain(refs.protoType.toObject(v, PROTOBUFJS_TO_OBJECT), true));
          if (!isDeepStrictEqual(norm, expected)) {
            if (format === 'avro' && isDeepStrictEqual(norm.map(unwrapUnions), expected))
              ptNote = 'union values wrapped';
            else say(`${spec.title} ${e.name}: Powertools decodes some values differently from the reference`);
          }
        } catch (error) {
          const message = String(error?.message ?? error).split('\n')[0];
          const missing = /avro-js|underscore/.test(`${message} ${error?.cause ?? ''}`);
          ptSkip =
            format === 'avro' && missing ? 'avro-js not installed' : `Powertools throws: ${message.slice(0, 200)}`;
          say(
            `${spec.title}: Powertools rows skipped: ${ptSkip}${format === 'avro' && missing ? ` (Powertools' Avro deserializer imports it; it is not a dependency of ${POWERTOOLS_KAFKA}); to time them: npm install --save-dev --save-exact avro-js@${AVRO_JS_WANTED}` : ''}`,
          );
        }
      }
      const avgBody = e.bodyBytes / e.records;
      console.log(
        `  ${e.name.padEnd(11)} ${fmtInt(e.records).padStart(6)} records in ${e.partitions} partitions, JSON ${Object.entries(
          e.events,
        )
          .map(([v, x]) => `${v} ${fmtBytes(x.bytes)}`)
          .join(
            ', ',
          )}; ${avgBody.toFixed(0)} B per ${spec.title} value; decodeRecords (every variant) and ${spec.decoder} decode what ${format === 'avro' ? 'avsc' : `protobufjs${bufDecode ? ' and @bufbuild/protobuf' : ''}`} decode${ptc && !ptSkip && e.records === 100 ? `; so does Powertools${ptNote ? ` (avro-js: ${ptNote}, { string: "x" })` : ''}` : ''}`,
      );
    }

    for (const e of events) {
      const ev = (v) => e.events[v].event;
      const cases = [
        {
          id: 'floor',
          label: '(0)  floor: Buffer.from(value, base64) only, nothing decoded',
          fn: perValue((bytes) => bytes),
          arg: ev('none'),
        },
        {
          id: 'gen',
          label: '(a)  generated decodeRecords(event), no framing',
          fn: (x) => decodeRecords(x).length,
          arg: ev('none'),
        },
        {
          id: 'genConfluent',
          label: "(a') generated decodeRecords(event), Confluent-framed values",
          fn: (x) => decodeRecords(x).length,
          arg: ev('confluent'),
        },
      ];
      if (format === 'protobuf')
        cases.push({
          id: 'genSource',
          label: '(a") generated decodeRecords(event), SOURCE: metadata + index 00',
          fn: (x) => decodeRecords(x).length,
          arg: ev('source'),
        });
      cases.push(
        {
          id: 'dec',
          label: `(b)  generated ${spec.decoder}(Buffer.from(value, base64))`,
          fn: perValue(decode),
          arg: ev('none'),
        },
        {
          id: 'decKeep',
          label: "(b') the same, every value kept in an array",
          fn: keepEvery(decode),
          arg: ev('none'),
        },
      );
      if (format === 'avro') {
        cases.push({
          id: 'ref',
          label: '(c)  avsc type.fromBuffer(Buffer.from(value, base64))',
          fn: perValue(refDecode),
          arg: ev('none'),
        });
      } else {
        cases.push(
          {
            id: 'ref',
            label: '(d)  protobufjs toObject(Type.decode(buffer)), plain object',
            fn: perValue(refDecode),
            arg: ev('none'),
          },
          {
            id: 'refDecodeOnly',
            label: "(d') protobufjs Type.decode(buffer) only: Message, Long, enum numbers",
            fn: perValue(protoDecodeOnly),
            arg: ev('none'),
          },
        );
        if (bufDecode)
          cases.push({
            id: 'buf',
            label: '(e)  @bufbuild/protobuf fromBinary(OrderSchema, buffer)',
            fn: perValue(bufDecode),
            arg: ev('none'),
          });
      }
      const measured = await measureAsync(
        cases.map((c) => ({ ...c, label: `${c.label} [binary ${format} ${e.name}]` })),
        SETTINGS[e.name],
      );
      // Powertools, 10 to 100 times slower, in rounds of its own (a few calls: on the ~6 MB Avro event one takes seconds).
      if (ptc && !ptSkip) {
        const ptCases = [
          {
            id: 'pt',
            label: `(f)  Powertools kafkaConsumer, SchemaType.${format === 'avro' ? 'AVRO, no framing' : 'PROTOBUF, SOURCE event'}`,
            fn: ptc.run,
            arg: ev(ptVariant),
            async: true,
          },
        ];
        if (format === 'protobuf')
          ptCases.push({
            id: 'ptKeep',
            label: "(f') the same, the handler keeps every value",
            fn: async (x) => (await ptc.collect(x)).length,
            arg: ev(ptVariant),
            async: true,
          });
        cases.push(...ptCases);
        measured.push(
          ...(await measureAsync(
            ptCases.map((c) => ({ ...c, label: `${c.label} [binary ${format} ${e.name}]` })),
            POWERTOOLS_SETTINGS[e.name],
          )),
        );
      }
      const byId = Object.fromEntries(measured.map((m) => [m.id, m]));
      const ns = Object.fromEntries(cases.map((c) => [c.id, byId[c.id].median / e.records]));
      console.log(`\n  ${spec.title}, ${e.name}: ${fmtInt(e.records)} records`);
      const rows = cases.map((c) => {
        const m = byId[c.id];
        return [
          c.label,
          ns[c.id].toFixed(0),
          fmtNs(m.median),
          fmtNs(m.min),
          fmtRatio(m.median / byId.dec.median),
          fmtRatio(m.median / byId.gen.median),
          fmtInt(m.iterations),
        ];
      });
      // A skipped row goes where its letter would be: before the Powertools rows when it is (e).
      const skipped = (label) => {
        const at = label.startsWith('(f)') ? rows.length : rows.findIndex((r) => r[0].startsWith('(f'));
        rows.splice(at < 0 ? rows.length : at, 0, [label, '-', '-', '-', '-', '-', '-']);
      };
      if (format === 'protobuf' && !bufDecode) skipped('(e)  @bufbuild/protobuf fromBinary: skipped (not installed)');
      if (!ptc || ptSkip)
        skipped(
          `(f)  Powertools SchemaType.${format === 'avro' ? 'AVRO' : 'PROTOBUF'}: skipped (${ptSkip.startsWith('avro-js') ? 'avro-js not installed' : ptSkip.slice(0, 40)})`,
        );
      console.log(
        table(['candidate', 'ns/record', 'per event', 'min/event', 'x (b)', 'x (a)', 'iter/round'], rows, [
          'l',
          'r',
          'r',
          'r',
          'r',
          'r',
          'r',
        ]).replace(/^/gm, '  '),
      );
      console.log(
        `  ns/record, decodeRecords (a): base64 (0) ${ns.floor.toFixed(0)}, + the decoder (b-0) ${(ns.dec - ns.floor).toFixed(0)}, + keeping every value (b'-b) ${(ns.decKeep - ns.dec).toFixed(0)}, + records, keys, framing check (a-b') ${(ns.gen - ns.decKeep).toFixed(0)}; Confluent framing taken off (a'-a) ${(ns.genConfluent - ns.gen).toFixed(0)}`,
      );

      const target = (ratio, measuredRatio, targetText, ok) =>
        out.targetResults.push({
          format,
          event: e.name,
          ratio,
          measured: fmtRatio(measuredRatio),
          target: targetText,
          verdict: verdict(ok),
        });
      const refName = format === 'avro' ? 'avsc fromBuffer (c)' : 'protobufjs decode + toObject (d)';
      if (format === 'avro')
        target(
          `${spec.decoder} (b) / ${refName}`,
          ns.dec / ns.ref,
          `<= ${BINARY_TARGETS.vsReference}x`,
          ns.dec <= ns.ref * BINARY_TARGETS.vsReference,
        );
      else {
        if (bufDecode)
          target(
            `${spec.decoder} (b) / bufbuild fromBinary (e)`,
            ns.dec / ns.buf,
            `<= ${BINARY_TARGETS.vsReference}x`,
            ns.dec <= ns.buf * BINARY_TARGETS.vsReference,
          );
        out.info.push({
          format,
          event: e.name,
          ratio: `${spec.decoder} (b) / ${refName}`,
          measured: fmtRatio(ns.dec / ns.ref),
        });
        out.info.push({
          format,
          event: e.name,
          ratio: `${spec.decoder} (b) / protobufjs decode only (d')`,
          measured: fmtRatio(ns.dec / ns.refDecodeOnly),
        });
      }
      if (ns.pt !== undefined) {
        const base = format === 'avro' ? 'gen' : 'genSource';
        target(
          `Powertools (f) / decodeRecords (${format === 'avro' ? 'a' : 'a"'}, same event)`,
          ns.pt / ns[base],
          `>= ${BINARY_TARGETS.vsPowertools}x`,
          ns.pt >= ns[base] * BINARY_TARGETS.vsPowertools,
        );
      }
      if (ns.ptKeep !== undefined)
        out.info.push({
          format,
          event: e.name,
          ratio: `Powertools keeping every value (f') / decodeRecords (a")`,
          measured: fmtRatio(ns.ptKeep / ns.genSource),
        });
      fo.events[e.name] = {
        records: e.records,
        bytes: Object.fromEntries(Object.entries(e.events).map(([v, x]) => [v, x.bytes])),
        valueBytes: e.bodyBytes / e.records,
        settings: SETTINGS[e.name],
        byId,
        nsPerRecord: ns,
      };
    }

    // The cold-start script: import the bundle, decode one 1-record event (Confluent-framed), inlined as a literal.
    const [hundred] = events;
    const one = structuredClone(hundred.events.confluent.event);
    const firstKey = Object.keys(one.records)[0];
    one.records = { [firstKey]: [one.records[firstKey][0]] };
    const script = path.join(OUT, format, 'cold.mjs');
    writeFileSync(
      script,
      `// Cold start: import the bundled generated API, decode one 1-record ${spec.title} event (Confluent-framed value).
import { decodeRecords } from './generated.mjs';
const event = ${JSON.stringify(one)};
if (decodeRecords(event).length !== 1) process.exitCode = 3;
`,
    );
    // For information: the same script bundled with esbuild as a handler is deployed (tree-shaken: only what decodeRecords uses).
    const shaken = path.join(OUT, format, 'cold-bundled.mjs');
    await esbuild.build({
      entryPoints: [script],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
      outfile: shaken,
    });
    cold[format] = {
      script,
      bundleBytes: info.bundleBytes,
      shaken,
      shakenBytes: Buffer.byteLength(readFileSync(shaken)),
    };
  }

  // Cold start: fresh processes, alternating, like section 4.
  const coldRuns = measureColdStart(
    [
      { id: 'node', label: 'node -e 0', args: ['-e', '0'] },
      ...Object.entries(cold).flatMap(([format, c]) => [
        {
          id: format,
          label: `import ${FORMATS[format].title} bundle (${fmtBytes(c.bundleBytes)}) + decodeRecords, 1 record`,
          args: [c.script],
        },
        {
          id: `${format}Shaken`,
          label: `  the same script bundled, tree-shaken (${fmtBytes(c.shakenBytes)}), for information`,
          args: [c.shaken],
        },
      ]),
    ],
    COLD_RUNS,
  );
  const coldById = Object.fromEntries(coldRuns.map((r) => [r.id, r]));
  console.log(
    `\n  Cold start (fresh node process, spawn to exit, ${COLD_RUNS.runs} runs each after ${COLD_RUNS.warmup} warm-ups, alternating):`,
  );
  console.log(
    table(
      ['process', 'median', 'min', 'x node -e 0'],
      coldRuns.map((r) => [
        r.label,
        `${r.median.toFixed(1)} ms`,
        `${r.min.toFixed(1)} ms`,
        fmtRatio(r.median / coldById.node.median),
      ]),
      ['l', 'r', 'r', 'r'],
    ).replace(/^/gm, '  '),
  );
  out.coldStart = {
    runs: coldRuns,
    scripts: Object.fromEntries(Object.entries(cold).map(([f, c]) => [f, path.relative(REPO, c.script)])),
  };
  for (const format of Object.keys(cold)) {
    const ratio = coldById[format].median / coldById.node.median;
    out.targetResults.push({
      format,
      event: '1 record',
      ratio: 'cold start / node -e 0',
      measured: fmtRatio(ratio),
      target: `<= ${BINARY_TARGETS.coldStart}x`,
      verdict: verdict(ratio <= BINARY_TARGETS.coldStart),
    });
  }

  console.log('\n  Targets (reported, never enforced):');
  console.log(
    table(
      ['format', 'event', 'ratio', 'measured', 'target', ''],
      out.targetResults.map((t) => [t.format, t.event, t.ratio, t.measured, t.target, t.verdict]),
      ['l', 'l', 'l', 'r', 'l', 'l'],
    ).replace(/^/gm, '  '),
  );
  if (out.info.length > 0) {
    console.log('  For information (no target):');
    console.log(
      table(
        ['format', 'event', 'ratio', 'measured'],
        out.info.map((i) => [i.format, i.event, i.ratio, i.measured]),
        ['l', 'l', 'l', 'r'],
      ).replace(/^/gm, '  '),
    );
  }
  out.verdicts = out.targetResults.map((t) => t.verdict);
  return out;
}

// `node bench/binary.mjs`: this section alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const out = await runBinary();
  console.log(
    `\n  ${out.verdicts.filter((v) => v === 'PASS').length}/${out.verdicts.length} targets PASS; ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
