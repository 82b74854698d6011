/**
 * msk-codegen scaffold, end to end in temporary projects: the files it writes
 * type-check under strict TypeScript and their tests pass under vitest; and every way
 * it refuses to write leaves the project as it was.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../run-cli.js';
import { generate, writeGeneratedFiles } from '../../../../generator/index.js';
import { positionOf, REPO_ROOT, snapshotDir, tempDir } from '../../../helpers.js';
import { createProgram } from '../../../typescript.js';
import { runVitest } from '../../../run-vitest.js';

const run = (cwd: string, ...argv: string[]) => runCliCaptured(argv, { cwd });

/** A new ES module project with the generated API in generated/ and the repo's node_modules (removed after the test, or by the caller with `keep`). */
async function project(keep = false): Promise<string> {
  const dir = keep
    ? await mkdtemp(path.join(tmpdir(), 'msk-codegen-scaffold-'))
    : await tempDir('msk-codegen-scaffold-');
  await writeFile(path.join(dir, 'package.json'), '{ "name": "consumer", "type": "module", "private": true }\n');
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  await writeGeneratedFiles(path.join(dir, 'generated'), await generate());
  return dir;
}

function strictTypeErrors(files: string[]): string[] {
  const program = createProgram(files, {
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noImplicitReturns: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
    noEmit: true,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

const COMBINATIONS = [
  { source: 'msk', partialBatch: false },
  { source: 'msk', partialBatch: true },
  { source: 'self-managed', partialBatch: false },
  { source: 'self-managed', partialBatch: true },
  { source: 'any', partialBatch: false },
  { source: 'any', partialBatch: true },
] as const;

describe('scaffold orders, for each --source, with and without --partial-batch', () => {
  let dir: string;
  const dirs = COMBINATIONS.map(({ source, partialBatch }) => `handlers/${source}${partialBatch ? '-partial' : ''}`);

  beforeAll(async () => {
    dir = await project(true);
    for (const [i, { source, partialBatch }] of COMBINATIONS.entries()) {
      const result = await run(
        dir,
        'scaffold',
        'orders',
        '--source',
        source,
        ...(partialBatch ? ['--partial-batch'] : []),
        '--dir',
        dirs[i] as string,
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('type-checked');
    }
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes the handler, its test and an index exporting it', async () => {
    for (const handlers of dirs) {
      expect(Object.keys(await snapshotDir(path.join(dir, handlers)))).toEqual([
        'index.ts',
        'orders.test.ts',
        'orders.ts',
      ]);
      expect(await readFile(path.join(dir, handlers, 'index.ts'), 'utf8')).toContain(
        "export { handler as orders } from './orders.js';",
      );
    }
  });

  it('the handlers and tests type-check under strict TypeScript', () => {
    const files = dirs.flatMap((handlers) => [
      path.join(dir, handlers, 'orders.ts'),
      path.join(dir, handlers, 'orders.test.ts'),
    ]);
    expect(strictTypeErrors(files)).toEqual([]);
  });

  it('each generated test passes under vitest, as generated', async () => {
    const result = await runVitest(dir);
    expect(result.files.map((file) => path.relative(dir, file)).sort()).toEqual(
      dirs.map((d) => `${d}/orders.test.ts`).sort(),
    );
    expect(result.passed).toBe(result.total);
    expect(result.total).toBeGreaterThanOrEqual(6 * 5);
    expect(result.ok).toBe(true);
  });

  it('the handlers check the event source, and partial-batch handlers return the documented response', async () => {
    const handlerOf = async (handlers: string) =>
      (await import(path.join(dir, handlers, 'orders.ts'))) as { handler: (event: unknown) => Promise<unknown> };
    const example = JSON.parse(
      await readFile(path.join(REPO_ROOT, 'schema', 'examples', 'managed-kafka.json'), 'utf8'),
    ) as Record<string, unknown>;
    const { eventSourceArn: _arn, ...rest } = example;
    const selfManaged = { ...rest, eventSource: 'SelfManagedKafka' };
    await expect((await handlerOf('handlers/msk-partial')).handler(example)).resolves.toEqual({
      batchItemFailures: [],
    });
    await expect((await handlerOf('handlers/msk')).handler(selfManaged)).rejects.toThrow('expected Amazon MSK events');
    await expect((await handlerOf('handlers/self-managed')).handler(example)).rejects.toThrow(
      'expected self-managed Apache Kafka events',
    );
    await expect((await handlerOf('handlers/any')).handler(selfManaged)).resolves.toBeUndefined();
  });
});

describe('scaffold refuses, and writes nothing', () => {
  it.each([
    { name: '../orders', text: 'E_INVALID_NAME' },
    { name: 'class', text: 'reserved word' },
    { name: 'x'.repeat(65), text: 'at most 64 characters' },
  ])('a name like $name', async ({ name, text }) => {
    const dir = await project();
    const result = await run(dir, 'scaffold', name);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(text);
    expect(await snapshotDir(path.join(dir, 'handlers'))).toEqual({});
  });

  it('to overwrite an existing handler without --force; --force overwrites', async () => {
    const dir = await project();
    expect((await run(dir, 'scaffold', 'orders')).code).toBe(0);
    const handler = path.join(dir, 'handlers', 'orders.ts');
    await writeFile(handler, `${await readFile(handler, 'utf8')}\n// my change\n`);
    const before = await snapshotDir(path.join(dir, 'handlers'));
    const refused = await run(dir, 'scaffold', 'orders');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('handlers/orders.ts: error E_FILE_EXISTS: already exists: use --force');
    expect(await snapshotDir(path.join(dir, 'handlers'))).toEqual(before);
    const forced = await run(dir, 'scaffold', 'orders', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(await readFile(handler, 'utf8')).not.toContain('// my change');
  });

  it('when the generated API is missing', async () => {
    const dir = await tempDir();
    const result = await run(dir, 'scaffold', 'orders');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'generated/index.ts: error E_FILE_MISSING: the generated API is missing: run `npx msk-codegen generate` first',
    );
  });

  it('when a template renders code that does not type-check: the diagnostics point into the rendered file', async () => {
    const dir = await project();
    const templates = path.join(dir, 'my-templates');
    await mkdir(templates);
    const builtIn = path.join(REPO_ROOT, 'templates', 'scaffold');
    await writeFile(
      path.join(templates, 'handler.test.ts.hbs'),
      await readFile(path.join(builtIn, 'handler.test.ts.hbs'), 'utf8'),
    );
    const broken = `${await readFile(path.join(builtIn, 'handler.ts.hbs'), 'utf8')}\nexport const answer: number = 'forty-two';\n`;
    await writeFile(path.join(templates, 'handler.ts.hbs'), broken);
    const result = await run(dir, 'scaffold', 'orders', '--templates', 'my-templates');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /handlers\/orders\.ts:\d+:14: error E_TYPE_CHECK: TS2322: Type 'string' is not assignable to type 'number'/,
    );
    expect(result.stderr).toContain('nothing was written');
    expect(await snapshotDir(path.join(dir, 'handlers'))).toEqual({});
  });

  it('when a template does not render', async () => {
    const dir = await project();
    const templates = path.join(dir, 'my-templates');
    await mkdir(templates);
    await writeFile(path.join(templates, 'handler.ts.hbs'), '// {{#if partialBatch}} never closed\n');
    await writeFile(path.join(templates, 'handler.test.ts.hbs'), '// {{unknownVariable}}\n');
    const result = await run(dir, 'scaffold', 'orders', '--templates', 'my-templates');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'my-templates/handler.ts.hbs:2: error E_TEMPLATE: Parse error on line 2:\n    ...atch}} never closed\n    ----',
    );
    expect(result.stderr).toContain("\n    Expecting 'OPEN_INVERSE_CHAIN', 'INVERSE', 'OPEN_ENDBLOCK', got 'EOF'\n");
    expect(await snapshotDir(path.join(dir, 'handlers'))).toEqual({});
  });
});

describe('handlers/index.ts', () => {
  it("gains one export per handler, keeps the user's edits, and is unchanged by re-running", async () => {
    const dir = await project();
    expect((await run(dir, 'scaffold', 'orders')).code).toBe(0);
    const index = path.join(dir, 'handlers', 'index.ts');
    await writeFile(index, `${await readFile(index, 'utf8')}export const region = 'eu-west-1';\n`);
    expect((await run(dir, 'scaffold', 'order-events', '--source', 'any')).code).toBe(0);
    expect((await run(dir, 'scaffold', 'orders', '--force')).code).toBe(0);
    const text = await readFile(index, 'utf8');
    expect(text.match(/export \{ handler as orders \} from '\.\/orders\.js';/g)).toHaveLength(1);
    expect(text).toContain("export { handler as orderEvents } from './order-events.js';");
    expect(text).toContain("export const region = 'eu-west-1';");
    const before = await snapshotDir(path.join(dir, 'handlers'));
    expect((await run(dir, 'scaffold', 'orders', '--update')).code).toBe(0);
    expect(await snapshotDir(path.join(dir, 'handlers'))).toEqual(before);
  });
});

describe('scaffold --update', () => {
  it("re-applies the template's imports and types, keeping the hand-written function bodies byte for byte", async () => {
    const dir = await project();
    expect((await run(dir, 'scaffold', 'orders', '--partial-batch')).code).toBe(0);
    const file = path.join(dir, 'handlers', 'orders.ts');
    const scaffolded = await readFile(file, 'utf8');
    const myBody = `{
  // My logic: store the order.
  const order = valueJson<{ id: string }>(entry);
  if (order === null) return;
  orders.set(order.id, entry.record.offset);
}`;
    // As a user would have it after editing, with imports and a return type from an older template.
    const edited = scaffolded
      .replace(
        /export async function processRecord\(entry: KafkaRecordEntry\): Promise<void> \{[\s\S]*?\n\}/,
        `const orders = new Map<string, number>();\n\nexport async function processRecord(entry: KafkaRecordEntry): Promise<void> ${myBody}`,
      )
      .replace(
        "import { parseKafkaEvent, processRecords, valueText } from '../generated/index.js';",
        "import { parseKafkaEvent, processRecords, valueJson } from '../generated/index.js';",
      )
      .replace(
        "import type { KafkaBatchResponse, MSKEvent, KafkaRecordEntry } from '../generated/index.js';",
        "import type { MSKEvent, KafkaRecordEntry, MSKRecord } from '../generated/index.js';",
      )
      .replace(
        'export async function handler(input: unknown): Promise<KafkaBatchResponse> {',
        'export async function handler(input: unknown): Promise<object> {',
      );
    expect(edited).not.toBe(scaffolded);
    await writeFile(file, edited);

    const result = await run(dir, 'scaffold', 'orders', '--update');
    expect(result.code, result.stderr).toBe(0);
    const updated = await readFile(file, 'utf8');
    expect(updated).toContain(`export async function processRecord(entry: KafkaRecordEntry): Promise<void> ${myBody}`);
    expect(updated).toContain('export async function handler(input: unknown): Promise<KafkaBatchResponse> {');
    expect(updated).toContain(
      "import type { MSKEvent, KafkaRecordEntry, KafkaBatchResponse } from '../generated/index.js';",
    );
    expect(updated).toContain("import { parseKafkaEvent, processRecords, valueJson } from '../generated/index.js';");
    expect(updated).not.toContain('MSKRecord'); // not exported by the generated API
    expect(strictTypeErrors([file])).toEqual([]);
  });

  it('refuses to change --source (the bodies were written for the old one) and needs an existing handler', async () => {
    const dir = await project();
    expect((await run(dir, 'scaffold', 'orders')).code).toBe(0);
    const change = await run(dir, 'scaffold', 'orders', '--update', '--source', 'any');
    expect(change.code).toBe(2);
    expect(change.stderr).toContain(
      'error E_USAGE: --update keeps your function bodies, so it cannot change --source any (it has msk)',
    );
    const missing = await run(dir, 'scaffold', 'payments', '--update');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('handlers/payments.ts: error E_FILE_MISSING: no handler to update');
  });

  it('reports code the schema change broke, at its line, and writes nothing', async () => {
    const dir = await project();
    expect((await run(dir, 'scaffold', 'orders')).code).toBe(0);
    const file = path.join(dir, 'handlers', 'orders.ts');
    const text = (await readFile(file, 'utf8')).replace(
      'const value = valueText(entry);',
      'const value = valueText(entry);\n  const id: string = entry.record.orderId;',
    );
    await writeFile(file, text);
    const result = await run(dir, 'scaffold', 'orders', '--update');
    expect(result.code).toBe(2);
    const place = positionOf(text, 'orderId;');
    expect(result.stderr).toContain(
      `handlers/orders.ts:${place.line}:${place.column}: error E_TYPE_CHECK: TS2339: Property 'orderId' does not exist`,
    );
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});

describe('scaffold --update and the test', () => {
  it("re-applies the template's imports to the test too, keeping the user's own tests", async () => {
    const dir = await project();
    expect((await run(dir, 'scaffold', 'orders')).code).toBe(0);
    const file = path.join(dir, 'handlers', 'orders.test.ts');
    const scaffolded = await readFile(file, 'utf8');
    const mine = `
describe('my own cases', () => {
  it('handles a record with a key', async () => {
    await expect(handler(kafkaEvent({ records: [{ topic: 'orders', key: text('k'), value: bytes([1, 2]) }] }))).resolves.toBeUndefined();
  });
});
`;
    // The user dropped `text` from the import (it stopped compiling) and wrote a test that also needs bytes.
    const edited = `${scaffolded.replace("import { kafkaEvent, text } from '../generated/testing.js';", "import { kafkaEvent } from '../generated/testing.js';")}${mine}`;
    expect(edited).not.toBe(scaffolded);
    await writeFile(
      file,
      edited.replace(
        "import { kafkaEvent } from '../generated/testing.js';",
        "import { bytes, kafkaEvent } from '../generated/testing.js';",
      ),
    );

    const result = await run(dir, 'scaffold', 'orders', '--update');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('  wrote handlers/orders.test.ts\n');
    const updated = await readFile(file, 'utf8');
    expect(updated).toContain("import { bytes, kafkaEvent, text } from '../generated/testing.js';");
    expect(updated.endsWith(mine)).toBe(true);
    expect(strictTypeErrors([file])).toEqual([]);
  });

  it('says the test no longer type-checks, at its line, and writes nothing: never "up to date"', async () => {
    const dir = await project();
    expect((await run(dir, 'scaffold', 'orders')).code).toBe(0);
    const file = path.join(dir, 'handlers', 'orders.test.ts');
    // As a schema change would leave it: a value that no longer has its type.
    const text = (await readFile(file, 'utf8')).replace(
      "{ topic: 'orders', key: text('order-1042'), value: null }",
      "{ topic: 'orders', key: text('order-1042'), value: null, partition: 'zero' }",
    );
    await writeFile(file, text);
    const before = await snapshotDir(path.join(dir, 'handlers'));
    const result = await run(dir, 'scaffold', 'orders', '--update');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const place = positionOf(text, "{ topic: 'orders', key: text('order-1042'), value: null, partition");
    expect(result.stderr).toMatch(
      new RegExp(`^handlers/orders\\.test\\.ts:${place.line}:\\d+: error E_TYPE_CHECK: TS2322: `),
    );
    expect(result.stderr).toContain(
      'handlers/orders.test.ts: error E_TYPE_CHECK: the test no longer type-checks against the generated API: fix the values it builds (the lines above), then run `npx msk-codegen scaffold --update orders` again\nmsk-codegen: nothing was written.\n',
    );
    expect(await snapshotDir(path.join(dir, 'handlers'))).toEqual(before);
  });

  it('leaves a test scaffolded before the test helper as it is (its imports stay what it uses)', async () => {
    const dir = await project();
    expect((await run(dir, 'scaffold', 'orders')).code).toBe(0);
    const file = path.join(dir, 'handlers', 'orders.test.ts');
    const old = `import { describe, expect, it } from 'vitest';\nimport { KafkaEventValidationError } from '../generated/index.js';\nimport { handler } from './orders.js';\n\ndescribe('orders', () => {\n  it('rejects', async () => {\n    await expect(handler({})).rejects.toBeInstanceOf(KafkaEventValidationError);\n  });\n});\n`;
    await writeFile(file, old);
    const handler = path.join(dir, 'handlers', 'orders.ts');
    await writeFile(handler, (await readFile(handler, 'utf8')).replace(' --test vitest', ''));
    const result = await run(dir, 'scaffold', 'orders', '--update');
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(old);
  });
});
