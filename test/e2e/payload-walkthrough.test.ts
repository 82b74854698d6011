/**
 * The README's payload walkthrough, end to end in an empty folder: init, generate,
 * scaffold --topic, the scaffolded test passing; then schema changes and what the
 * compiler says about them: a new required field is a type error in the scaffolded test,
 * at the line that builds the order (not a fixture that fails at run time), which
 * `scaffold --update` reports too, until the value is fixed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../run-cli.js';
import { positionOf, REPO_ROOT } from '../helpers.js';
import { createProgram } from '../typescript.js';
import { runVitest } from '../run-vitest.js';

let dir: string;

const run = (...argv: string[]) => runCliCaptured(argv, { cwd: dir });

/** `npx tsc --noEmit` in the project, with the tsconfig.json init wrote: its output lines. */
function projectTypeErrors(): string[] {
  const result = spawnSync(
    process.execPath,
    [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json'],
    { cwd: dir, encoding: 'utf8', timeout: 120_000 },
  );
  return result.stdout.split('\n').filter((line) => line !== '');
}

/** The scaffolded test run by vitest: how many tests passed, of how many. */
async function runTests(): Promise<{ total: number; passed: number }> {
  const { total, passed } = await runVitest(dir);
  return { total, passed };
}

function typeErrors(files: string[]): string[] {
  const program = createProgram(files, {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
    noEmit: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    return `${path.basename(d.file?.fileName ?? '')}:${(at?.line ?? 0) + 1}: TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

describe('from init to a handler with a typed Order', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'msk-codegen-walkthrough-'));
    await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('init writes the config, the schemas and the scripts, and refuses to run twice', async () => {
    const first = await run('init');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('wrote   schema/order.schema.json');
    expect(first.stdout).toContain('wrote   tsconfig.json');
    expect(first.stdout).toContain(
      'Next:\n  npm install\n  npx msk-codegen generate\n  npx msk-codegen scaffold orders --topic orders\n',
    );
    const again = await run('init');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('msk-codegen.config.json: error E_FILE_EXISTS');
  });

  it('generate composes the Order schema into the event schema and emits the payload API', async () => {
    const result = await run('generate');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('wrote   generated/payloads.ts');
    const composed = JSON.parse(await readFile(path.join(dir, 'generated', 'event.schema.json'), 'utf8')) as {
      $defs: Record<string, { properties: Record<string, unknown> }>;
    };
    expect(composed.$defs['OrdersKafkaRecord']?.properties['value']).toMatchObject({
      contentEncoding: 'base64',
      contentMediaType: 'application/json',
      contentSchema: { $ref: '#/$defs/Order' },
    });
    expect((await run('generate', '--check')).code).toBe(0);
  });

  it('scaffold --topic orders writes a handler of typed Orders whose test passes as generated', async () => {
    const result = await run('scaffold', 'orders', '--topic', 'orders', '--partial-batch');
    expect(result.code, result.stderr).toBe(0);
    const handler = await readFile(path.join(dir, 'handlers', 'orders.ts'), 'utf8');
    expect(handler).toContain(
      'export async function processOrder(value: Order | null, record: OrdersRecord): Promise<void> {',
    );
    const test = await readFile(path.join(dir, 'handlers', 'orders.test.ts'), 'utf8');
    expect(test).toContain("import type { Order } from '../generated/index.js';");
    expect(test).toContain("const order: Order = {\n  orderId: 'order-1042',\n");
    expect(test).not.toMatch(/"value": "[A-Za-z0-9+/]{20,}/); // no base64 fixtures
    expect(await runTests()).toEqual({ total: 4, passed: 4 });
    expect(projectTypeErrors()).toEqual([]);
  });

  it('a new required field: the scaffolded test no longer type-checks, at the line that builds the order; scaffold --update says so; fixing the value fixes it', async () => {
    const schemaFile = path.join(dir, 'schema', 'order.schema.json');
    const schema = JSON.parse(await readFile(schemaFile, 'utf8')) as {
      required: string[];
      properties: Record<string, unknown>;
    };
    schema.properties['channel'] = { description: 'Where the order was placed.', enum: ['WEB', 'STORE'] };
    schema.required.push('channel');
    await writeFile(schemaFile, `${JSON.stringify(schema, null, 2)}\n`);
    expect((await run('generate')).code).toBe(0);

    const testFile = path.join(dir, 'handlers', 'orders.test.ts');
    const test = await readFile(testFile, 'utf8');
    const at = positionOf(test, 'order: Order = {');
    const errors = projectTypeErrors();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(
        `^handlers/orders\\.test\\.ts\\(${at.line},${at.column}\\): error TS2741: Property 'channel' is missing in type .* but required in type 'Order'\\.$`,
      ),
    );

    const update = await run('scaffold', '--update', 'orders');
    expect(update.code).toBe(2);
    expect(update.stdout).not.toContain('up to date');
    expect(update.stderr).toContain(
      `handlers/orders.test.ts:${at.line}:${at.column}: error E_TYPE_CHECK: TS2741: Property 'channel' is missing in type`,
    );
    expect(update.stderr).toContain('the test no longer type-checks against the generated API');
    expect(await readFile(testFile, 'utf8')).toBe(test);

    await writeFile(testFile, test.replace('const order: Order = {\n', "const order: Order = {\n  channel: 'WEB',\n"));
    expect(projectTypeErrors()).toEqual([]);
    expect(await runTests()).toEqual({ total: 4, passed: 4 });
    const again = await run('scaffold', '--update', 'orders');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(
      'msk-codegen: handlers/orders.ts and handlers/orders.test.ts are up to date and type-check\n',
    );
  });

  it('a schema change: code that ignores a new required field still compiles; code that reads a removed field does not', async () => {
    const body = (use: string) =>
      `import type { Order } from '../generated/index.js';\nexport function total(order: Order): number {\n  ${use}\n  return order.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);\n}\n`;
    await writeFile(path.join(dir, 'handlers', 'ignores.ts'), body('void order.status;'));
    await writeFile(
      path.join(dir, 'handlers', 'reads.ts'),
      body('const currency: string = order.currency;\n  void currency;'),
    );
    expect(typeErrors([path.join(dir, 'handlers', 'ignores.ts'), path.join(dir, 'handlers', 'reads.ts')])).toEqual([]);

    const schemaFile = path.join(dir, 'schema', 'order.schema.json');
    const schema = JSON.parse(await readFile(schemaFile, 'utf8')) as {
      required: string[];
      properties: Record<string, unknown>;
      examples: Record<string, unknown>[];
    };
    schema.properties['channel'] = { description: 'Where the order was placed.', enum: ['WEB', 'STORE'] };
    schema.required = [...new Set([...schema.required.filter((name) => name !== 'currency'), 'channel'])];
    delete schema.properties['currency'];
    for (const example of schema.examples) {
      delete example['currency'];
      example['channel'] = 'WEB';
    }
    await writeFile(schemaFile, `${JSON.stringify(schema, null, 2)}\n`);
    expect((await run('generate', '--check')).code).toBe(1);
    expect((await run('generate')).code).toBe(0);

    expect(typeErrors([path.join(dir, 'handlers', 'ignores.ts')])).toEqual([]);
    expect(typeErrors([path.join(dir, 'handlers', 'reads.ts')])).toEqual([
      `reads.ts:3: TS2339: Property 'currency' does not exist on type 'Order'.`,
    ]);
  });
});
