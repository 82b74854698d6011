/**
 * generate --watch: a schema edit regenerates once; a broken schema prints the error and
 * the watcher keeps running; fixing it regenerates. (Waits are liveness bounds for file
 * events, not performance limits.)
 */
import { cp, mkdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../generator/cli.js';
import { watchGenerate } from '../../../generator/commands/watch.js';
import { EMBEDDED_SCHEMA_PATH, tempDir } from '../../helpers.js';

async function until(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const ORIGINAL = '"The topic the record was read from."';

/** A project whose config names schema/event.schema.json, with `generate --watch` running in it. */
async function watching(debounceMs = 100, config: object = { schema: 'schema/event.schema.json' }) {
  const dir = await tempDir();
  await mkdir(path.join(dir, 'schema'));
  const schema = path.join(dir, 'schema', 'event.schema.json');
  await cp(EMBEDDED_SCHEMA_PATH, schema);
  await writeFile(path.join(dir, 'msk-codegen.config.json'), JSON.stringify(config));
  const original = await readFile(schema, 'utf8');
  const io = { stdout: '', stderr: '' };
  const stop = new AbortController();
  const running = watchGenerate({
    overrides: { cwd: dir },
    debounceMs,
    signal: stop.signal,
    stdout: (t) => (io.stdout += t),
    stderr: (t) => (io.stderr += t),
  });
  await until(() => io.stdout.includes('watching for changes'), 'the first generation');
  const types = () => readFile(path.join(dir, 'generated', 'types.ts'), 'utf8');
  /** The schema with the topic's description replaced by `text`. */
  const edited = (text: string) => original.replace(ORIGINAL, JSON.stringify(text));
  const regenerations = () => (io.stdout.match(/changed: regenerated/g) ?? []).length;
  const finish = async () => {
    stop.abort();
    await running;
  };
  return { dir, schema, io, types, edited, regenerations, finish };
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

  it("follows a save by rename (editors' safe write): a new file renamed over the schema regenerates", async () => {
    const w = await watching();
    const temp = path.join(w.dir, 'schema', '.event.schema.json.swp-save');
    await writeFile(temp, w.edited('Saved by rename.'));
    await rename(temp, w.schema);
    await until(() => w.regenerations() === 1, 'the regeneration');
    expect(await w.types()).toContain('Saved by rename.');
    await w.finish();
  });

  it('keeps following a schema replaced again and again (as git checkout replaces files)', async () => {
    // A watch on the file itself (its inode) is lost on Linux when the file is replaced; the folder's is not.
    const w = await watching();
    for (const [round, text] of ['First checkout.', 'Second checkout.', 'Third checkout.'].entries()) {
      // What git does: the old file unlinked, a new one written under the same name.
      await unlink(w.schema);
      writeFileSync(w.schema, w.edited(text));
      await until(() => w.regenerations() === round + 1, `regeneration ${round + 1}`);
      expect(await w.types()).toContain(text);
    }
    await w.finish();
  });

  it('a schema deleted and re-created: reports the missing file, then regenerates', async () => {
    const w = await watching();
    await unlink(w.schema);
    await until(() => w.io.stderr.includes('watching for a fix'), 'the error');
    expect(w.io.stderr).toContain('schema/event.schema.json');
    await writeFile(w.schema, w.edited('Re-created.'));
    await until(() => w.regenerations() === 1, 'the regeneration');
    expect(await w.types()).toContain('Re-created.');
    await w.finish();
  });

  it('the schema folder removed and re-created: reports the missing file, then regenerates', async () => {
    const w = await watching();
    await rm(path.join(w.dir, 'schema'), { recursive: true });
    await until(() => w.io.stderr.includes('watching for a fix'), 'the error');
    await mkdir(path.join(w.dir, 'schema'));
    await writeFile(w.schema, w.edited('Folder re-created.'));
    await until(() => w.regenerations() === 1, 'the regeneration');
    expect(await w.types()).toContain('Folder re-created.');
    await w.finish();
  });

  it('a config naming a schema in a folder that does not exist yet regenerates once it is created', async () => {
    const w = await watching(100, { schema: 'later/event.schema.json' });
    expect(w.io.stderr).toContain('later/event.schema.json');
    expect(w.io.stderr).toContain('watching for a fix');
    await mkdir(path.join(w.dir, 'later'));
    await writeFile(path.join(w.dir, 'later', 'event.schema.json'), w.edited('Created later.'));
    await until(() => w.regenerations() === 1, 'the regeneration');
    expect(await w.types()).toContain('Created later.');
    await w.finish();
  });

  it('debounced: a burst of writes gives one regeneration, of the last contents', async () => {
    // A debounce far longer than the burst takes, so the count does not depend on the machine's speed.
    const w = await watching(1_000);
    for (let i = 1; i <= 20; i++) writeFileSync(w.schema, w.edited(`Write ${i} of the burst.`));
    await until(() => w.regenerations() === 1, 'the regeneration');
    expect(await w.types()).toContain('Write 20 of the burst.');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(w.regenerations()).toBe(1);
    expect(w.io.stdout.match(/changed: /g)).toHaveLength(1);
    await w.finish();
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
