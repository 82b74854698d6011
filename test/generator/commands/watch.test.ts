/**
 * generate --watch: a schema edit regenerates once; a broken schema prints the error and
 * the watcher keeps running; fixing it regenerates. (Waits are liveness bounds for file
 * events, not performance limits.)
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../generator/cli.js';
import { EMBEDDED_SCHEMA_PATH, tempDir } from '../../helpers.js';

async function until(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('generate --watch', () => {
  it('regenerates on a schema edit, survives a broken schema, and recovers when it is fixed', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'schema'));
    const schema = path.join(dir, 'schema', 'event.schema.json');
    await cp(EMBEDDED_SCHEMA_PATH, schema);
    await writeFile(path.join(dir, 'msk-codegen.config.json'), JSON.stringify({ schema: 'schema/event.schema.json' }));
    let stdout = '';
    let stderr = '';
    const stop = new AbortController();
    const running = runCli(['generate', '--watch'], {
      cwd: dir,
      signal: stop.signal,
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
    });
    await until(() => stdout.includes('watching for changes'), 'the first generation');
    expect(stdout).toContain('[msk-codegen] started: regenerated generated/index.ts');

    const original = await readFile(schema, 'utf8');
    await writeFile(schema, original.replace('"The topic the record was read from."', '"The Kafka topic."'));
    await until(
      () => stdout.includes('schema/event.schema.json changed: regenerated generated/types.ts'),
      'the regeneration',
    );
    expect(await readFile(path.join(dir, 'generated', 'types.ts'), 'utf8')).toContain('The Kafka topic.');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stdout.match(/changed: /g)).toHaveLength(1); // debounced: one regeneration for one edit

    const before = await readFile(path.join(dir, 'generated', 'types.ts'), 'utf8');
    await writeFile(schema, '{ "$defs": ');
    await until(() => stderr.includes('error E_INVALID_JSON'), 'the error');
    expect(stderr).toContain('schema/event.schema.json:1:12: error E_INVALID_JSON');
    expect(stderr).toContain('watching for a fix');
    expect(await readFile(path.join(dir, 'generated', 'types.ts'), 'utf8')).toBe(before);

    await writeFile(schema, original);
    await until(() => (stdout.match(/changed: regenerated/g) ?? []).length === 2, 'the second regeneration');
    expect(await readFile(path.join(dir, 'generated', 'types.ts'), 'utf8')).toContain(
      'The topic the record was read from.',
    );

    stop.abort();
    expect(await running).toBe(0);
  });

  it('regenerates when a payload schema the config names changes', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'schema'));
    const order = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'Order',
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string' } },
    };
    const orderFile = path.join(dir, 'schema', 'order.schema.json');
    await writeFile(orderFile, JSON.stringify(order));
    await writeFile(
      path.join(dir, 'msk-codegen.config.json'),
      JSON.stringify({ topics: { orders: { value: { format: 'json', schema: 'schema/order.schema.json' } } } }),
    );
    let stdout = '';
    const stop = new AbortController();
    const running = runCli(['generate', '--watch'], {
      cwd: dir,
      signal: stop.signal,
      stdout: (t) => (stdout += t),
      stderr: () => {},
    });
    await until(() => stdout.includes('watching for changes'), 'the first generation');
    await writeFile(
      orderFile,
      JSON.stringify({ ...order, properties: { ...order.properties, total: { type: 'number' } } }),
    );
    await until(() => stdout.includes('schema/order.schema.json changed: regenerated'), 'the regeneration');
    expect(await readFile(path.join(dir, 'generated', 'types.ts'), 'utf8')).toContain('total?: number;');
    stop.abort();
    expect(await running).toBe(0);
  });

  it('refuses --watch with --check', async () => {
    let stderr = '';
    const code = await runCli(['generate', '--watch', '--check'], {
      cwd: await tempDir(),
      stdout: () => {},
      stderr: (t) => (stderr += t),
    });
    expect(code).toBe(2);
    expect(stderr).toContain('--watch and --check do not go together');
  });
});
