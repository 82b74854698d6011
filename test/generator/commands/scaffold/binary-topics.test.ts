/**
 * scaffold --topic on Avro and Protobuf topics, in a project that generated its API with the
 * CLI: the scaffolded test builds its events from a typed value (the smallest the schema
 * describes, checked here by hand), which generated testing.ts encodes and frames as the
 * topic's records are; its rejected value is those bytes cut one byte short. Everything
 * type-checks under strict TypeScript and the tests pass under vitest, as scaffolded.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../run-cli.js';
import { REPO_ROOT } from '../../../helpers.js';
import { runVitest } from '../../../run-vitest.js';
import { SHOP_ORDER_AVSC } from '../../../fixtures/binary-schemas.js';
import { createProgram, STRICTEST } from '../../../typescript.js';
import ts from 'typescript';

const run = (cwd: string, ...argv: string[]) => runCliCaptured(argv, { cwd });

const CONFIG = {
  topics: {
    orders: { key: { format: 'string' }, value: { format: 'avro', schema: 'schemas/order.avsc' } },
    'profiles-*': {
      value: {
        format: 'protobuf',
        schema: 'schemas/complex.proto',
        message: 'com.example.protobuf.UserProfile',
        framing: 'glue',
      },
    },
    ledger: { value: { format: 'avro', schema: 'schemas/entry.avsc', longs: 'bigint', framing: 'none' } },
  },
};

const HANDLERS = [
  { name: 'orders', args: ['--topic', 'orders'] },
  { name: 'profiles', args: ['--topic', 'profiles-*', '--partial-batch'] },
  { name: 'ledger', args: ['--topic', 'ledger', '--partial-batch'] },
];

const ENTRY_AVSC = {
  type: 'record',
  name: 'Entry',
  namespace: 'ledger',
  fields: [
    { name: 'amount', type: 'long' },
    { name: 'memo', type: ['null', 'string'] },
  ],
};

/** The smallest ShopOrder, field by field (SHOP_ORDER_AVSC): as the scaffolded test writes it. */
const SMALLEST_ORDER = [
  '{',
  "  total: '0.000',",
  "  id: '00000000-0000-4000-8000-000000000000',",
  "  status: 'PLACED',",
  '  items: [],',
  '  note: null,',
  '  attributes: {},',
  '  placedAt: 0,',
  '  day: 0,',
  '  nanos: 0,',
  '  window: { months: 0, days: 0, milliseconds: 0 },',
  '  checksum: new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),',
  '  previous: null,',
  '}',
].join('\n');

/**
 * Its Avro encoding, by hand: the decimal 0 in a fixed of 5; the uuid's length 36 (zig-zag 72 = 0x48)
 * and text; the enum index 0; an empty array (0); the union's null branch (0); an empty map (0);
 * longs and the date 0; the duration's 12 zero bytes; the md5's 16; the union's null branch (0).
 */
const ORDER_BYTES = [
  ...[0, 0, 0, 0, 0],
  0x48,
  ...Buffer.from('00000000-0000-4000-8000-000000000000'),
  ...[0, 0, 0, 0, 0, 0, 0], // status, items, note, attributes, placedAt, day, nanos
  ...new Array(12).fill(0),
  ...new Array(16).fill(0),
  0,
];

/**
 * The smallest UserProfile: implicit-presence fields at 'x', 0, false, empty repeated and map, address
 * absent. On the wire (age and isActive at their defaults are left off): fields 1, 2, 3 and 6, each
 * the tag (field << 3 | 2), the length 1 and "x".
 */
const PROFILE_BYTES = [0x0a, 1, 0x78, 0x12, 1, 0x78, 0x1a, 1, 0x78, 0x32, 1, 0x78];
/** Glue's frame: 03, no compression, the test schema version 00000000-0000-4000-8000-000000000001, and Glue's index of UserProfile (1: Address, UserProfile, UserProfile.PreferencesEntry). */
const GLUE_FRAME = [3, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 1, 1];

describe('scaffold --topic on Avro and Protobuf topics', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'msk-codegen-scaffold-binary-'));
    await writeFile(path.join(dir, 'package.json'), '{ "name": "consumer", "type": "module", "private": true }\n');
    await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    await mkdir(path.join(dir, 'schemas'));
    await writeFile(path.join(dir, 'msk-codegen.config.json'), JSON.stringify(CONFIG, null, 2));
    await writeFile(path.join(dir, 'schemas', 'order.avsc'), JSON.stringify(SHOP_ORDER_AVSC, null, 2));
    await writeFile(path.join(dir, 'schemas', 'entry.avsc'), JSON.stringify(ENTRY_AVSC, null, 2));
    await copyFile(
      path.join(REPO_ROOT, 'test', 'fixtures', 'powertools', 'complex.proto'),
      path.join(dir, 'schemas', 'complex.proto'),
    );
    const generated = await run(dir, 'generate');
    expect(generated.code, generated.stderr).toBe(0);
    for (const { name, args } of HANDLERS) {
      const result = await run(dir, 'scaffold', name, ...args);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('type-checked');
    }
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const test = (name: string) => readFile(path.join(dir, 'handlers', `${name}.test.ts`), 'utf8');

  it('writes the smallest value of the schema, typed', async () => {
    expect(await test('orders')).toContain(`const shopOrder: ShopOrder = ${SMALLEST_ORDER};`);
    // "longs": "bigint": 0n.
    expect(await test('ledger')).toContain('const entry: Entry = { amount: 0n, memo: null };');
    expect(await test('profiles')).toContain(
      "const userProfile: UserProfile = {\n  userId: 'x',\n  name: 'x',\n  email: 'x',\n  age: 0,\n  isActive: false,\n  signupDate: 'x',\n  tags: [],\n  preferences: {},\n};",
    );
    expect(await test('orders')).toContain("import type { ShopOrder } from '../generated/index.js';");
    // The test's header and the handler's name the command that runs the handler as Lambda would.
    expect(await test('profiles')).toContain(
      ' * The handler run as Lambda would, on a sample event: npx msk-codegen invoke handlers/profiles.ts --sample --topic profiles-example\n',
    );
    expect(await readFile(path.join(dir, 'handlers', 'orders.ts'), 'utf8')).toContain(
      'export async function processShopOrder(value: ShopOrder | null, record: OrdersRecord): Promise<void> {',
    );
  });

  it('rejects its bytes as kafkaEvent sends them (framed as the topic frames them, checked by hand), cut one byte short', async () => {
    expect(await test('orders')).toContain(
      "{ topic: 'orders', value: bytes(payloadBytes({ topic: 'orders', value: shopOrder }).subarray(0, -1)) },",
    );
    expect(await test('orders')).toContain(
      "import { bytes, payloadBytes, kafkaEvent } from '../generated/testing.js';",
    );
    expect(await test('profiles')).toContain(
      "{ topic: 'profiles-example', value: bytes(payloadBytes({ topic: 'profiles-example', value: userProfile }).subarray(0, -1)) },",
    );
    const testing = (await import(pathToFileURL(path.join(dir, 'generated', 'testing.ts')).href)) as Record<
      string,
      any
    >;
    const smallestOrder = new Function(`return ${SMALLEST_ORDER};`)();
    // auto: Confluent's frame, 00 and the test schema id 1; glue: Glue's; none: the datum alone.
    expect([...testing['payloadBytes']({ topic: 'orders', value: smallestOrder })]).toEqual([
      0,
      0,
      0,
      0,
      1,
      ...ORDER_BYTES,
    ]);
    expect([...testing['payloadBytes']({ topic: 'ledger', value: { amount: 0n, memo: null } })]).toEqual([0, 0]);
    const smallestProfile = {
      userId: 'x',
      name: 'x',
      email: 'x',
      age: 0,
      isActive: false,
      signupDate: 'x',
      tags: [],
      preferences: {},
    };
    expect([...testing['payloadBytes']({ topic: 'profiles-example', value: smallestProfile })]).toEqual([
      ...GLUE_FRAME,
      ...PROFILE_BYTES,
    ]);
    expect(await test('orders')).toContain('await expect(handler(event)).rejects.toBeInstanceOf(PayloadDecodeError);');
    expect(await test('profiles')).toContain(
      "await expect(handler(event)).resolves.toEqual(batchResponseFor([{ topic: 'profiles-example', partition: 0, offset: 1 }]));",
    );
  });

  it('the handlers and tests type-check under the strictest settings', () => {
    const files = HANDLERS.flatMap(({ name }) => [
      path.join(dir, 'handlers', `${name}.ts`),
      path.join(dir, 'handlers', `${name}.test.ts`),
    ]);
    const program = createProgram(files, {
      ...STRICTEST,
      types: ['node'],
      typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
    });
    expect(
      ts
        .getPreEmitDiagnostics(program)
        .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`),
    ).toEqual([]);
  });

  it('with --test node, the same test for node:test, type-checked', async () => {
    const result = await run(
      dir,
      'scaffold',
      'orders',
      '--topic',
      'orders',
      '--test',
      'node',
      '--dir',
      'node-handlers',
    );
    expect(result.code, result.stderr).toBe(0);
    const text = await readFile(path.join(dir, 'node-handlers', 'orders.test.ts'), 'utf8');
    expect(text).toContain("import { bytes, payloadBytes, kafkaEvent } from '../generated/testing.js';");
    expect(text).toContain('await assert.rejects(handler(event), PayloadDecodeError);');
    const program = createProgram([path.join(dir, 'node-handlers', 'orders.test.ts')], {
      ...STRICTEST,
      types: ['node'],
      typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
    });
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '))).toEqual(
      [],
    );
    // Not left for vitest to find.
    await rm(path.join(dir, 'node-handlers'), { recursive: true });
  });

  it('the scaffolded tests pass under vitest, as scaffolded', async () => {
    const result = await runVitest(dir);
    expect(result.files.map((file) => path.relative(dir, file)).sort()).toEqual(
      HANDLERS.map(({ name }) => `handlers/${name}.test.ts`).sort(),
    );
    // Each: the typed values, a tombstone, the rejected bytes, a non-Kafka event.
    expect(result.total).toBe(3 * 4);
    expect(result.passed).toBe(result.total);
    expect(result.ok).toBe(true);
  });
});
