/**
 * The generated output of four representative configs, as files reviewed by eye
 * (`toMatchFileSnapshot`): every change to generated code shows in review as a diff of
 * these files. `npx vitest run test/snapshots -u` rewrites them after an intended change.
 *
 * - embedded: the embedded schema, no topics. Its snapshot is generated/ itself (the
 *   committed output, which `generate --check` and test/meta keep equal to `generate`).
 * - json-topics: `orders` with a JSON payload schema (string keys), an `audit-*` pattern
 *   with JSON values, undeclared topics kept as bytes.
 * - avro-protobuf: an Avro order (nested record, array, enum, optional field, map, logical
 *   types) and a Protobuf payment on a pattern (oneof, enum, int64, packed repeated, proto3
 *   optional), Confluent framing: codecs.ts.
 * - string-bytes: text and bytes payloads only (no payload schema), an exact topic and a
 *   pattern, undeclared topics rejected.
 *
 * Each project lives in a fresh temporary folder: the snapshots hold no absolute path
 * (checked below) and no date.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME, generate, resolveConfig, type GeneratedFile } from '../../generator/index.js';
import { ORDER_SCHEMA } from '../fixtures/order-payload.js';
import { REPO_ROOT, tempDir } from '../helpers.js';

const AUDIT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'AuditEntry',
  type: 'object',
  required: ['actor', 'action'],
  properties: {
    actor: { type: 'string', description: "Who did it: a user's id, or 'system'." },
    action: { enum: ['create', 'update', 'delete'] },
    at: { type: 'integer', description: 'Milliseconds since the epoch.' },
  },
};

/** An Avro order with the constructs a decoder must handle: a nested record, an array, an enum, optional fields, a map, logical types. */
const ORDER_AVSC = {
  type: 'record',
  name: 'Order',
  namespace: 'shop.avro',
  doc: 'An order as the checkout service writes it.',
  fields: [
    { name: 'orderId', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'placedAt', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'When it was placed.' },
    { name: 'status', type: { type: 'enum', name: 'OrderStatus', symbols: ['PENDING', 'PAID', 'SHIPPED'] } },
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
            { name: 'unitPrice', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 } },
          ],
        },
      },
    },
    { name: 'coupon', type: ['null', 'string'], default: null },
    { name: 'attributes', type: { type: 'map', values: 'string' } },
  ],
};

const SHOP_PROTO = `syntax = "proto3";
package shop.v1;

// A payment for an order.
message Payment {
  string payment_id = 1;
  int64 amount_minor = 2; // in the currency's minor unit
  Currency currency = 3;
  oneof method {
    Card card = 4;
    string iban = 5;
  }
  repeated int32 attempts = 6;
  optional string note = 7;

  message Card {
    string last4 = 1;
  }
}

enum Currency {
  CURRENCY_UNSPECIFIED = 0;
  EUR = 1;
  USD = 2;
}
`;

interface Project {
  readonly config: Record<string, unknown>;
  readonly files: Record<string, unknown>;
}

const PROJECTS: Record<string, Project> = {
  'json-topics': {
    config: {
      topics: {
        orders: { key: { format: 'string' }, value: { format: 'json', schema: 'schemas/order.schema.json' } },
        'audit-*': { value: { format: 'json', schema: 'schemas/audit.schema.json' } },
      },
      unknownTopics: 'bytes',
    },
    files: { 'schemas/order.schema.json': ORDER_SCHEMA, 'schemas/audit.schema.json': AUDIT_SCHEMA },
  },
  'avro-protobuf': {
    config: {
      topics: {
        orders: { key: { format: 'string' }, value: { format: 'avro', schema: 'schemas/order.avsc' } },
        'payments-*': {
          value: { format: 'protobuf', schema: 'schemas/shop.proto', message: 'shop.v1.Payment', framing: 'confluent' },
        },
      },
      unknownTopics: 'reject',
    },
    files: { 'schemas/order.avsc': ORDER_AVSC, 'schemas/shop.proto': SHOP_PROTO },
  },
  'string-bytes': {
    config: {
      topics: {
        clicks: { key: { format: 'bytes' }, value: { format: 'string' } },
        'raw-*': { key: { format: 'string' }, value: { format: 'bytes' } },
      },
      unknownTopics: 'reject',
    },
    files: {},
  },
};

const text = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** What `generate` writes for `project`, from a fresh temporary folder (as the CLI resolves its config). */
async function generateProject(project: Project): Promise<{ readonly dir: string; readonly files: GeneratedFile[] }> {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(path.join(dir, CONFIG_FILE_NAME), text(project.config));
  for (const [file, contents] of Object.entries(project.files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), typeof contents === 'string' ? contents : text(contents));
  }
  const config = await resolveConfig({ cwd: dir });
  const files = await generate({
    topics: config.topics,
    unknownTopics: config.unknownTopics,
    ...(config.configFile ? { configFile: config.configFile } : {}),
  });
  return { dir, files };
}

describe('generated output snapshots', () => {
  it('embedded schema, no topics: generated/ is the snapshot', async () => {
    const files = await generate();
    expect(files.map((f) => f.path)).toEqual([
      'index.ts',
      'on-failure-validators.ts',
      'on-failure.ts',
      'parse.ts',
      'records.ts',
      'testing.ts',
      'types.ts',
      'validators-all-errors.ts',
      'validators.ts',
    ]);
    for (const file of files) await expect(file.contents).toMatchFileSnapshot(`../../generated/${file.path}`);
  });

  for (const [name, project] of Object.entries(PROJECTS)) {
    it(`${name}: every file`, async () => {
      const { dir, files } = await generateProject(project);
      for (const file of files) {
        expect(file.contents, `${file.path} names the temporary folder`).not.toContain(path.dirname(dir));
        expect(file.contents, `${file.path} names the repository's folder`).not.toContain(REPO_ROOT);
        // The on-failure files depend only on the event's root name: the same as generated/'s, not snapshotted again.
        if (file.path.startsWith('on-failure'))
          expect(file.contents, file.path).toBe(readFileSync(path.join(REPO_ROOT, 'generated', file.path), 'utf8'));
        else await expect(file.contents).toMatchFileSnapshot(`files/${name}/${file.path}`);
      }
    });
  }
});
