/**
 * The README's payload walkthrough, end to end in an empty folder: init, generate,
 * scaffold --topic, the scaffolded test passing; then a schema change and what the
 * compiler says about it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../run-cli.js';
import { REPO_ROOT } from '../helpers.js';

let dir: string;

const run = (...argv: string[]) => runCliCaptured(argv, { cwd: dir });

function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, {
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
    expect(first.stdout).toContain('npx msk-codegen scaffold orders --topic orders');
    const again = await run('init');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('msk-codegen.config.json: error E_FILE_EXISTS');
  });

  it('generate composes the Order schema into the event schema and emits the payload API', async () => {
    const result = await run('generate');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('wrote   generated/payloads.ts');
    const composed = JSON.parse(await readFile(path.join(dir, 'generated', 'event.schema.json'), 'utf8')) as { $defs: Record<string, { properties: Record<string, unknown> }> };
    expect(composed.$defs['OrdersKafkaRecord']?.properties['value']).toMatchObject({ contentEncoding: 'base64', contentMediaType: 'application/json', contentSchema: { $ref: '#/$defs/Order' } });
    expect((await run('generate', '--check')).code).toBe(0);
  });

  it('scaffold --topic orders writes a handler of typed Orders whose test passes as generated', async () => {
    const result = await run('scaffold', 'orders', '--topic', 'orders', '--partial-batch');
    expect(result.code, result.stderr).toBe(0);
    const handler = await readFile(path.join(dir, 'handlers', 'orders.ts'), 'utf8');
    expect(handler).toContain('export async function processOrder(value: Order | null, record: OrdersRecord): Promise<void> {');
    const vitest = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', dir, '--reporter', 'json'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    const report = JSON.parse(vitest.stdout.slice(vitest.stdout.indexOf('{'))) as { numTotalTests: number; numPassedTests: number };
    expect(report.numTotalTests).toBe(4);
    expect(report.numPassedTests).toBe(4);
  });

  it('a schema change: code that ignores a new required field still compiles; code that reads a removed field does not', async () => {
    const body = (use: string) => `import type { Order } from '../generated/index.js';\nexport function total(order: Order): number {\n  ${use}\n  return order.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);\n}\n`;
    await writeFile(path.join(dir, 'handlers', 'ignores.ts'), body('void order.status;'));
    await writeFile(path.join(dir, 'handlers', 'reads.ts'), body('const currency: string = order.currency;\n  void currency;'));
    expect(typeErrors([path.join(dir, 'handlers', 'ignores.ts'), path.join(dir, 'handlers', 'reads.ts')])).toEqual([]);

    const schemaFile = path.join(dir, 'schema', 'order.schema.json');
    const schema = JSON.parse(await readFile(schemaFile, 'utf8')) as { required: string[]; properties: Record<string, unknown>; examples: Record<string, unknown>[] };
    schema.properties['channel'] = { description: 'Where the order was placed.', enum: ['WEB', 'STORE'] };
    schema.required = [...schema.required.filter((name) => name !== 'currency'), 'channel'];
    delete schema.properties['currency'];
    for (const example of schema.examples) {
      delete example['currency'];
      example['channel'] = 'WEB';
    }
    await writeFile(schemaFile, `${JSON.stringify(schema, null, 2)}\n`);
    expect((await run('generate', '--check')).code).toBe(1);
    expect((await run('generate')).code).toBe(0);

    expect(typeErrors([path.join(dir, 'handlers', 'ignores.ts')])).toEqual([]);
    expect(typeErrors([path.join(dir, 'handlers', 'reads.ts')])).toEqual([`reads.ts:3: TS2339: Property 'currency' does not exist on type 'Order'.`]);
  });
});
