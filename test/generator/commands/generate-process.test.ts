/**
 * generate as real processes: killed with SIGKILL at renames of a generation (a
 * preload makes the Nth rename kill the process), `--check` then fails naming what was left
 * and `generate` cleans it up; two processes with different inputs into one folder end
 * with one run's complete output; a closed standard output (`| head -1`) neither crashes
 * the command nor stops it half-way.
 */
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME, generate, resolveConfig, LOCK_FILE_NAME } from '../../../generator/index.js';
import { ORDER_SCHEMA } from '../../fixtures/order-payload.js';
import { REPO_ROOT, tempDir } from '../../helpers.js';
import { runCliCaptured } from '../../run-cli.js';
import { bundleCli, runProcess, type BundledCli } from '../cli-process.js';

const KILL_ON_RENAME = path.join(REPO_ROOT, 'test', 'fixtures', 'kill-on-rename.mjs');
const TOPICS = { orders: { key: { format: 'string' }, value: { format: 'json', schema: 'order.schema.json' } } };

let cli: BundledCli;
beforeAll(async () => {
  cli = await bundleCli();
});
afterAll(() => cli.dispose());

/** A project generated without payload topics, whose config now declares one: the next generate changes most files. */
async function projectAboutToChange(): Promise<{ dir: string; out: string }> {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'order.schema.json'), JSON.stringify(ORDER_SCHEMA));
  await writeFile(path.join(dir, CONFIG_FILE_NAME), JSON.stringify({ out: 'generated' }));
  const first = await runCliCaptured(['generate'], { cwd: dir });
  expect(first.code, first.stderr).toBe(0);
  await writeFile(path.join(dir, CONFIG_FILE_NAME), JSON.stringify({ out: 'generated', topics: TOPICS }));
  return { dir, out: path.join(dir, 'generated') };
}

/** How many files the pending generation renames into place (one rename each). */
async function pendingRenames(dir: string, out: string): Promise<number> {
  const config = await resolveConfig({ cwd: dir });
  const files = await generate(config);
  let count = 0;
  for (const file of files)
    if ((await readFile(path.join(out, file.path), 'utf8').catch(() => undefined)) !== file.contents) count++;
  return count;
}

describe('kill -9 in the middle of generate', () => {
  it('at the first, second, middle and last rename: --check fails naming the leftovers, generate cleans up, --check passes', async () => {
    const probe = await projectAboutToChange();
    const renames = await pendingRenames(probe.dir, probe.out);
    expect(renames).toBeGreaterThan(3);
    // Each kill point costs several generations; these cover before, during and after the middle of the renames.
    for (const n of new Set([1, 2, Math.ceil(renames / 2), renames])) {
      const dir = await tempDir();
      await cp(probe.dir, dir, { recursive: true });
      const out = path.join(dir, 'generated');
      const killed = await runProcess(cli.bin, ['generate'], {
        cwd: dir,
        preload: KILL_ON_RENAME,
        env: { MSK_CODEGEN_KILL_ON_RENAME: String(n) },
      });
      expect(killed.signal, `rename ${n}: ${killed.stderr}`).toBe('SIGKILL');

      const check = await runCliCaptured(['generate', '--check'], { cwd: dir });
      expect(check.code, `rename ${n}`).toBe(1);
      expect(check.stderr).toContain(
        `  leftover: generated/${LOCK_FILE_NAME} (left by an interrupted generate; running generate cleans it up)`,
      );
      expect(check.stderr).toMatch(
        / {2}leftover: generated\/\.[a-z.-]+\.msk-codegen-[0-9]+-[0-9]+\.tmp \(left by an interrupted generate/,
      );

      const again = await runCliCaptured(['generate'], { cwd: dir });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain(`  cleaned generated/${LOCK_FILE_NAME} (left by an interrupted run)`);
      const after = await runCliCaptured(['generate', '--check'], { cwd: dir });
      expect(after.code, after.stderr).toBe(0);
      expect((await readdir(out)).filter((name) => name.startsWith('.'))).toEqual([]);
    }
  }, 300_000);
});

describe('two generate processes, different inputs, one output folder', () => {
  it("both exit 0 (or one refuses cleanly), and the folder holds exactly one run's output", async () => {
    const root = await tempDir();
    const shared = path.join(root, 'shared-generated');
    const plain = path.join(root, 'plain');
    const typed = path.join(root, 'typed');
    await mkdir(plain);
    await mkdir(typed);
    await writeFile(path.join(typed, 'order.schema.json'), JSON.stringify(ORDER_SCHEMA));
    await writeFile(path.join(typed, CONFIG_FILE_NAME), JSON.stringify({ out: shared, topics: TOPICS }));
    const runs = { plain: ['generate', '--out', shared], typed: ['generate'] };
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all([
        runProcess(cli.bin, runs.plain, { cwd: plain }),
        runProcess(cli.bin, runs.typed, { cwd: typed }),
      ]);
      for (const result of results) {
        if (result.code !== 0) expect(result.stderr).toMatch(/error E_LOCKED: .*pid [0-9]+/);
        expect(result.code === 0 || result.code === 2, result.stderr).toBe(true);
        expect(result.stderr).not.toMatch(/\n\s+at /);
      }
      expect(results.some((r) => r.code === 0)).toBe(true);
      // (In-process checks: the bundled CLI and the sources generate byte-identical files.)
      const checks = await Promise.all([
        runCliCaptured([...runs.plain, '--check'], { cwd: plain }),
        runCliCaptured([...runs.typed, '--check'], { cwd: typed }),
      ]);
      expect(checks.map((c) => c.code).sort(), checks.map((c) => c.stderr).join('\n')).toEqual([0, 1]);
      expect((await readdir(shared)).filter((name) => name.startsWith('.'))).toEqual([]);
    }
  }, 120_000);
});

describe('a closed standard output (generate | head -1)', () => {
  it.each([{ argv: ['generate'] }, { argv: ['generate', '--help'] }, { argv: ['generate', '--check'] }])(
    '$argv: no crash, no stack, the usual exit code, and the work is done',
    async ({ argv }) => {
      const dir = await tempDir();
      if (argv.includes('--check')) expect((await runCliCaptured(['generate'], { cwd: dir })).code).toBe(0);
      const result = await runProcess(cli.bin, argv, { cwd: dir, closeStdout: true });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      if (argv.length === 1) expect((await runCliCaptured(['generate', '--check'], { cwd: dir })).code).toBe(0); // every file was written
    },
  );
});
