/**
 * msk-codegen scaffold with paths that are not what they must be (a file as --dir or
 * --templates, a directory where a file goes, a named pipe as a template, a broken
 * tsconfig.json) and templates that do not compile: each is one message naming the path
 * (and the line, for templates), exit 2, no stack trace, and nothing written.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../run-cli.js';
import { generate, writeGeneratedFiles, type GeneratedFile } from '../../../../generator/index.js';
import { CAN_MKFIFO, makeFifo } from '../../../fifo.js';
import { REPO_ROOT, tempDir } from '../../../helpers.js';

let generated: GeneratedFile[];
beforeAll(async () => {
  generated = await generate();
}, 60_000);

/** A project with the generated API (no node_modules: every case fails before the type check needs them). */
async function project(): Promise<string> {
  const dir = await tempDir('msk-codegen-scaffold-paths-');
  await writeFile(path.join(dir, 'package.json'), '{ "name": "consumer", "type": "module", "private": true }\n');
  await writeGeneratedFiles(path.join(dir, 'generated'), generated);
  return dir;
}

/** Every entry under `dir` (files, folders, pipes), with the contents of the regular files. */
async function tree(dir: string): Promise<Record<string, string | null>> {
  const entries: Record<string, string | null> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    entries[path.relative(dir, full)] = entry.isFile() ? await readFile(full, 'utf8') : null;
  }
  return entries;
}

const TEMPLATES = path.join(REPO_ROOT, 'templates', 'scaffold');

async function copyTemplates(dir: string): Promise<string> {
  const templates = path.join(dir, 'my-templates');
  await mkdir(templates);
  for (const name of await readdir(TEMPLATES))
    await writeFile(path.join(templates, name), await readFile(path.join(TEMPLATES, name), 'utf8'));
  return templates;
}

describe('scaffold refuses paths that are not what they must be: one line naming the path, exit 2, nothing written', () => {
  it.each([
    {
      name: '--dir that is a file',
      args: ['--dir', 'package.json'],
      error: 'package.json: error E_USAGE: --dir must be a folder, but it is a regular file',
    },
    {
      name: '--dir under a file',
      args: ['--dir', 'package.json/handlers'],
      error:
        'package.json/handlers: error E_USAGE: --dir must be a folder, but package.json on its path is a regular file',
    },
    {
      name: 'handlers/index.ts that is a directory',
      setup: (dir: string) => mkdir(path.join(dir, 'handlers', 'index.ts'), { recursive: true }),
      error:
        'handlers/index.ts: error E_FILE_EXISTS: scaffold writes the handlers index here, but it is a directory, not a regular file: move it out of the way',
    },
    {
      name: 'handlers/orders.ts that is a directory, with --force',
      args: ['--force'],
      setup: (dir: string) => mkdir(path.join(dir, 'handlers', 'orders.ts'), { recursive: true }),
      error:
        'handlers/orders.ts: error E_FILE_EXISTS: scaffold writes the handler here, but it is a directory, not a regular file: move it out of the way',
    },
    {
      name: 'handlers/orders.test.ts that is a directory, with --force',
      args: ['--force'],
      setup: (dir: string) => mkdir(path.join(dir, 'handlers', 'orders.test.ts'), { recursive: true }),
      error:
        "handlers/orders.test.ts: error E_FILE_EXISTS: scaffold writes the handler's test here, but it is a directory, not a regular file: move it out of the way",
    },
    {
      name: '--templates that is a file',
      args: ['--templates', 'package.json'],
      error: 'package.json: error E_TEMPLATE: --templates must be a folder, but it is a regular file',
    },
    {
      name: '--templates that does not exist',
      args: ['--templates', 'my-templates'],
      error:
        'my-templates: error E_TEMPLATE: --templates must be a folder holding your templates, but there is no such folder',
    },
    {
      name: 'generated/index.ts that is a directory',
      setup: async (dir: string) => {
        await rm(path.join(dir, 'generated', 'index.ts'));
        await mkdir(path.join(dir, 'generated', 'index.ts'));
      },
      error:
        'generated/index.ts: error E_FILE_MISSING: it is a directory, not the generated API: run `npx msk-codegen generate` first',
    },
    {
      name: 'tsconfig.json that is a directory',
      setup: (dir: string) => mkdir(path.join(dir, 'tsconfig.json')),
      error:
        'tsconfig.json: error E_UNREADABLE: cannot use it to type-check the handler: it is a directory, not a regular file',
    },
    {
      name: 'tsconfig.json that TypeScript cannot parse',
      setup: (dir: string) => writeFile(path.join(dir, 'tsconfig.json'), '{ "compilerOptions": { "strict": tru } }\n'),
      error: 'tsconfig.json: error E_UNREADABLE: cannot use it to type-check the handler: ',
    },
  ])('$name', async ({ args = [], setup, error }) => {
    const dir = await project();
    await setup?.(dir);
    const before = await tree(dir);
    const result = await runCliCaptured(['scaffold', 'orders', ...args], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${error}`);
    expect(result.stderr.split('\n').filter((line) => line !== '')).toHaveLength(2);
    expect(result.stderr).toMatch(/\nmsk-codegen: nothing was written\.\n$/);
    expect(result.stderr).not.toContain('internal error');
    expect(result.stdout).toBe('');
    expect(await tree(dir)).toEqual(before);
  });

  it.skipIf(!CAN_MKFIFO)(
    'a template that is a named pipe: refused without opening it',
    async () => {
      const dir = await project();
      const templates = await copyTemplates(dir);
      await rm(path.join(templates, 'handler.ts.hbs'));
      makeFifo(path.join(templates, 'handler.ts.hbs'));
      const result = await runCliCaptured(['scaffold', 'orders', '--templates', 'my-templates'], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'my-templates/handler.ts.hbs: error E_TEMPLATE: cannot read template: it is a named pipe, not a regular file\nmsk-codegen: nothing was written.\n',
      );
      expect(await readdir(dir)).not.toContain('handlers');
    },
    10_000,
  );
});

describe("a template that does not compile or render: its path and line, and handlebars' whole message", () => {
  it('an unclosed {{#if}}: the parse error with its excerpt and what was expected, indented under it', async () => {
    const dir = await project();
    const templates = await copyTemplates(dir);
    const lines = (await readFile(path.join(templates, 'handler.ts.hbs'), 'utf8')).split('\n');
    const closing = lines.lastIndexOf('{{/if}}');
    expect(closing).toBeGreaterThan(0);
    const broken = lines.filter((_, i) => i !== closing).join('\n');
    await writeFile(path.join(templates, 'handler.ts.hbs'), broken);
    const eofLine = broken.split('\n').length;
    const result = await runCliCaptured(['scaffold', 'orders', '--templates', 'my-templates'], { cwd: dir });
    expect(result.code).toBe(2);
    const lines2 = result.stderr.split('\n');
    expect(lines2[0]).toBe(`my-templates/handler.ts.hbs:${eofLine}: error E_TEMPLATE: Parse error on line ${eofLine}:`);
    expect(lines2[1]).toMatch(/^ {4}\S/); // the excerpt of the template
    expect(lines2[2]).toMatch(/^ {4}-+\^$/); // the caret under it
    expect(lines2[3]).toBe("    Expecting 'OPEN_INVERSE_CHAIN', 'INVERSE', 'OPEN_ENDBLOCK', got 'EOF'");
    expect(lines2.slice(4)).toEqual(['msk-codegen: nothing was written.', '']);
    expect(await readdir(dir)).not.toContain('handlers');
  });

  it.each([
    { runner: 'vitest', template: 'handler.test.ts.hbs' },
    { runner: 'node', template: 'handler.node.test.ts.hbs' },
  ])(
    'an unknown variable in the test template of --test $runner: the line and column handlebars gives (before the runner is looked for)',
    async ({ runner, template }) => {
      const dir = await project();
      const templates = await copyTemplates(dir);
      await writeFile(path.join(templates, template), '// a test\n// {{unknownVariable}}\n');
      const result = await runCliCaptured(['scaffold', 'orders', '--templates', 'my-templates', '--test', runner], {
        cwd: dir,
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `my-templates/${template}:2:6: error E_TEMPLATE: "unknownVariable" not defined in [object Object] - 2:5\nmsk-codegen: nothing was written.\n`,
      );
      expect(await readdir(dir)).not.toContain('handlers');
    },
  );
});
