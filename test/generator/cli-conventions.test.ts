/**
 * The command-line conventions users expect (as in openapi-typescript and graphql-codegen):
 * short flags, --quiet and --silent on every command, one error style for commander's own
 * usage errors, help without noise, a JSONC config file, a progress line before slow work,
 * and a LICENSE that matches package.json.
 */
import { readFile, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../generator/cli.js';
import { positionOf, REPO_ROOT, snapshotDir, tempDir } from '../helpers.js';
import { runCliCaptured } from '../run-cli.js';

const run = (cwd: string, ...argv: string[]) => runCliCaptured(argv, { cwd });

const MANAGED_KAFKA = path.join(REPO_ROOT, 'test', 'fixtures', 'documented', 'managed-kafka.json'); // one legacy-form warning
const HEADER_BYTE_128 = path.join(REPO_ROOT, 'test', 'fixtures', 'events', 'invalid', 'header-byte-128.json'); // one error

describe('short flags: -o (--out), -c (--config), -w (--watch)', () => {
  it('generate -c <config> -o <dir> writes where -o says, from the schema the config names', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'codegen.jsonc'), '{ "out": "ignored" }');
    const result = await run(dir, 'generate', '-c', 'codegen.jsonc', '-o', 'src/gen');
    expect(result.code, result.stderr).toBe(0);
    expect(Object.keys(await snapshotDir(path.join(dir, 'src', 'gen')))).toContain('index.ts');
    expect(await snapshotDir(path.join(dir, 'ignored'))).toEqual({});
  });

  it('generate -w generates, then watches (stopped at once here by an aborted signal)', async () => {
    const dir = await tempDir();
    const stop = new AbortController();
    stop.abort();
    const result = await runCliCaptured(['generate', '-w'], { cwd: dir, signal: stop.signal });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('[msk-codegen] started: regenerated generated/index.ts');
    expect(result.stdout).toContain('[msk-codegen] watching for changes');
  });

  it('sample -o <file> and validate -c <config>', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'codegen.json'), '{}');
    const sample = await run(dir, 'sample', '-o', 'event.json');
    expect(sample.code, sample.stderr).toBe(0);
    const validate = await run(dir, 'validate', '-c', 'codegen.json', 'event.json');
    expect(validate.code, validate.stdout).toBe(0);
    expect(validate.stdout).toBe('1 file, 1 valid, 0 invalid, 0 warnings\n');
  });

  it.each([
    { command: 'generate', flags: ['-o, --out <dir>', '-c, --config <file>', '-w, --watch'] },
    { command: 'validate', flags: ['-c, --config <file>'] },
    { command: 'sample', flags: ['-o, --out <file>', '-c, --config <file>'] },
    { command: 'scaffold', flags: ['-c, --config <file>'] },
  ])('$command --help lists $flags, and the global --quiet and --silent', async ({ command, flags }) => {
    const help = await run(await tempDir(), command, '--help');
    expect(help.code).toBe(0);
    for (const flag of [...flags, '--quiet', '--silent']) expect(help.stdout).toContain(flag);
    expect(help.stdout).toContain('Global Options:');
  });
});

describe('--help without noise', () => {
  it.each(['generate', 'validate', 'sample', 'scaffold', 'init'])(
    '%s --help shows no empty default',
    async (command) => {
      const help = await run(await tempDir(), command, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).not.toContain('(default: [])');
      expect(help.stdout).not.toMatch(/default: (\[\]|false|undefined)/);
    },
  );

  it('keeps the defaults that say something', async () => {
    const dir = await tempDir();
    expect((await run(dir, 'scaffold', '--help')).stdout).toContain('(default: "handlers")');
    expect((await run(dir, 'validate', '--help')).stdout).toContain('(default: 100)');
    const sample = (await run(dir, 'sample', '--help')).stdout;
    expect(sample).toMatch(/--partitions <n>\s+partitions per topic \(default: 1\)/);
  });
});

describe("commander's usage errors, in msk-codegen's style: one line, E_USAGE, the command's --help, exit 2", () => {
  it.each([
    {
      argv: ['generate', '--chek'],
      line: 'unknown option \'--chek\'; did you mean --check? (run "msk-codegen generate --help")',
    },
    {
      argv: ['generate', '--schema'],
      line: 'option \'--schema <file>\' argument missing (run "msk-codegen generate --help")',
    },
    {
      argv: ['generate', '-c'],
      line: 'option \'-c, --config <file>\' argument missing (run "msk-codegen generate --help")',
    },
    { argv: ['scaffold'], line: 'missing required argument \'name\' (run "msk-codegen scaffold --help")' },
    {
      argv: ['validate', '--max-issues', 'many', 'a.json'],
      line: 'option \'--max-issues <n>\' argument \'many\' is invalid. expected a whole number, got "many" (run "msk-codegen validate --help")',
    },
    {
      argv: ['validate', '--kind', 'request', 'a.json'],
      line: "option '--kind <kind>' argument 'request' is invalid. Allowed choices are event, response, on-failure. (run \"msk-codegen validate --help\")",
    },
    {
      argv: ['init', 'extra'],
      line: 'too many arguments for \'init\'. Expected 0 arguments but got 1. (run "msk-codegen init --help")',
    },
    { argv: ['generat'], line: 'unknown command \'generat\'; did you mean generate? (run "msk-codegen --help")' },
    { argv: ['--frobnicate'], line: 'unknown option \'--frobnicate\' (run "msk-codegen --help")' },
  ])('$argv', async ({ argv, line }) => {
    const result = await run(await tempDir(), ...argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`msk-codegen: error E_USAGE: ${line}\n`);
  });

  it('the same form as the errors msk-codegen finds itself', async () => {
    const own = await run(await tempDir(), 'generate', '--watch', '--check');
    expect(own.stderr).toMatch(/^msk-codegen: error E_USAGE: /);
  });
});

describe('--quiet (errors only) and --silent (nothing; the exit code only), on every command', () => {
  interface Row {
    readonly name: string;
    readonly setup?: (dir: string) => Promise<unknown>;
    readonly argv: readonly string[];
    readonly code: number;
    /** What --quiet prints: stdout and stderr. */
    readonly quiet: { readonly stdout: string | RegExp; readonly stderr: string | RegExp };
  }
  const generated = (dir: string) => run(dir, 'generate');
  const ROWS: readonly Row[] = [
    { name: 'generate (ok)', argv: ['generate'], code: 0, quiet: { stdout: '', stderr: '' } },
    {
      name: 'generate --check (up to date)',
      setup: generated,
      argv: ['generate', '--check'],
      code: 0,
      quiet: { stdout: '', stderr: '' },
    },
    {
      name: 'generate --check (out of date): the report is the error',
      setup: async (dir) => {
        await generated(dir);
        await writeFile(path.join(dir, 'generated', 'types.ts'), '// Generated by msk-codegen from x. DO NOT EDIT\n');
      },
      argv: ['generate', '--check'],
      code: 1,
      quiet: {
        stdout: '',
        stderr:
          /^msk-codegen: generated\/ is out of date with msk-codegen\/schema\/kafka-event\.schema\.json:\n {2}stale: {3}generated\/types\.ts\n[\s\S]*Run `npx msk-codegen generate` to update it\.\n$/,
      },
    },
    {
      name: 'generate with bad input',
      argv: ['generate', '--schema', 'nope.json'],
      code: 2,
      quiet: {
        stdout: '',
        stderr: 'nope.json: error E_UNREADABLE: cannot read schema: no such file\nmsk-codegen: nothing was written.\n',
      },
    },
    {
      name: 'a usage error',
      argv: ['generate', '--chek'],
      code: 2,
      quiet: {
        stdout: '',
        stderr:
          'msk-codegen: error E_USAGE: unknown option \'--chek\'; did you mean --check? (run "msk-codegen generate --help")\n',
      },
    },
    { name: 'validate (all valid)', argv: ['validate', MANAGED_KAFKA], code: 0, quiet: { stdout: '', stderr: '' } },
    {
      name: 'validate (a warning and an error): the error alone, no summary',
      argv: ['validate', MANAGED_KAFKA, HEADER_BYTE_128],
      code: 1,
      quiet: {
        stdout: /^\S+header-byte-128\.json:\d+:\d+: error schema\.maximum: [^\n]*\n {4}expected [^\n]*\n$/,
        stderr: '',
      },
    },
    {
      name: 'sample: the event is the result',
      argv: ['sample', '--seed', '3'],
      code: 0,
      quiet: { stdout: /^\{\n {2}"eventSource": "aws:kafka",[\s\S]*\}\n$/, stderr: '' },
    },
    {
      name: 'sample -o: no "wrote" message',
      argv: ['sample', '-o', 'event.json'],
      code: 0,
      quiet: { stdout: '', stderr: '' },
    },
    { name: 'init', argv: ['init'], code: 0, quiet: { stdout: '', stderr: '' } },
  ];

  it.each(ROWS)(
    '$name',
    async ({ setup, argv, code, quiet }) => {
      const outputs: Record<string, { stdout: string; stderr: string }> = {};
      for (const [level, args] of [
        ['normal', argv],
        ['quiet', ['--quiet', ...argv]],
        ['quiet after the command', [...argv, '--quiet']],
        ['silent', [...argv, '--silent']],
      ] as const) {
        const dir = await tempDir();
        await setup?.(dir);
        const result = await run(dir, ...args);
        expect(result.code, `${level}: ${result.stderr}`).toBe(code);
        outputs[level] = result;
      }
      expect(outputs['quiet']).toEqual(outputs['quiet after the command']);
      const matches = (text: string, expected: string | RegExp) =>
        typeof expected === 'string' ? expect(text).toBe(expected) : expect(text).toMatch(expected);
      matches(outputs['quiet']?.stdout ?? '', quiet.stdout);
      matches(outputs['quiet']?.stderr ?? '', quiet.stderr);
      expect(outputs['silent']).toEqual({ stdout: '', stderr: '', code });
      // --quiet prints a subset of what a normal run prints.
      expect(`${outputs['normal']?.stdout}${outputs['normal']?.stderr}`.length).toBeGreaterThan(0);
    },
    30_000,
  );

  it('the work is done all the same: --silent generate writes the files, --quiet sample -o the event', async () => {
    const dir = await tempDir();
    expect((await run(dir, '--silent', 'generate')).code).toBe(0);
    expect(Object.keys(await snapshotDir(path.join(dir, 'generated')))).toContain('index.ts');
    expect((await run(dir, 'sample', '--quiet', '-o', 'e.json')).code).toBe(0);
    expect(JSON.parse(await readFile(path.join(dir, 'e.json'), 'utf8'))).toMatchObject({ eventSource: 'aws:kafka' });
  });

  it('--silent --help and --silent --version print nothing, exit 0', async () => {
    for (const argv of [
      ['--silent', '--help'],
      ['generate', '--help', '--silent'],
      ['--version', '--silent'],
    ]) {
      expect(await run(await tempDir(), ...argv)).toEqual({ code: 0, stdout: '', stderr: '' });
    }
  });
});

describe('msk-codegen.config.json is JSONC: comments and trailing commas, positions still right', () => {
  const JSONC =
    '// msk-codegen settings\n{\n  /* where the generated API goes */\n  "out": "src/generated", // a folder of its own\n}\n';

  it('is read', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'msk-codegen.config.json'), JSONC);
    const result = await run(dir, 'generate');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^msk-codegen: src\/generated\/ from msk-codegen\/schema\/kafka-event\.schema\.json: \d+ written, 0 unchanged\n/,
    );
  });

  it.each([
    {
      name: 'an unknown setting after comments',
      text: '{\n  // the schema\n  "schema": "x.json", /* flag */\n  /* typo: */ "output": "gen",\n}\n',
      at: '"output"',
      code: 'E_INVALID_CONFIG',
      message: 'unknown setting "output"',
    },
    {
      name: 'a wrong type after a block comment spanning lines',
      text: '{\n  /* line one\n     line two */ "out": 3,\n}\n',
      at: '3',
      code: 'E_INVALID_CONFIG',
      message: 'invalid config: expected string',
    },
    {
      name: 'a missing comma (still not JSONC)',
      text: '{\n  // ok\n  "out": "gen"\n  "schema": "x.json"\n}\n',
      at: '"schema"',
      code: 'E_INVALID_JSON',
      message: 'not valid JSON',
    },
    {
      name: 'an unterminated comment',
      text: '{ "out": "gen" /* no end\n}\n',
      at: '/*',
      code: 'E_INVALID_JSON',
      message: 'not valid JSON: unterminated comment',
    },
  ])('$name: reported at its line:column', async ({ text, at, code, message }) => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'msk-codegen.config.json'), text);
    const result = await run(dir, 'generate');
    expect(result.code).toBe(2);
    const place = positionOf(text, at);
    expect(result.stderr).toContain(`msk-codegen.config.json:${place.line}:${place.column}: error ${code}: ${message}`);
  });
});

describe('a progress line before slow work', () => {
  /** runCli with a terminal-like stderr (`progress: true`), recording the order of writes. */
  async function runWithProgress(cwd: string, argv: readonly string[], progress: boolean) {
    const events: string[] = [];
    const code = await runCli(argv, {
      cwd,
      env: {},
      progress,
      stdout: (t) => events.push(`out:${t}`),
      stderr: (t) => events.push(`err:${t}`),
    });
    return { code, events };
  }

  it('scaffold prints "type-checking handlers/<name>.ts…" on stderr before the type check when stderr is a terminal, else nothing', async () => {
    // An ES module project with the repo's node_modules (the scaffolded test imports vitest).
    const dir = await tempDir();
    await writeFile(path.join(dir, 'package.json'), '{ "name": "consumer", "type": "module", "private": true }\n');
    await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    expect((await run(dir, 'generate')).code).toBe(0);
    const shown = await runWithProgress(dir, ['scaffold', 'orders'], true);
    expect(shown.code, shown.events.join('')).toBe(0);
    expect(shown.events[0]).toBe(`err:msk-codegen: type-checking ${path.join('handlers', 'orders.ts')}…\n`);
    expect(
      shown.events
        .slice(1)
        .some((e) => e.startsWith('out:msk-codegen: scaffolded handlers/orders.ts (type-checked in')),
    ).toBe(true);

    const piped = await runWithProgress(dir, ['scaffold', 'payments'], false);
    expect(piped.code).toBe(0);
    expect(piped.events.filter((e) => e.startsWith('err:'))).toEqual([]);

    const quiet = await runWithProgress(dir, ['scaffold', 'refunds', '--quiet'], true);
    expect(quiet).toEqual({ code: 0, events: [] });
  }, 60_000);
});

describe('LICENSE', () => {
  it('is the MIT license package.json names, for the msk-codegen contributors', async () => {
    const license = await readFile(path.join(REPO_ROOT, 'LICENSE'), 'utf8');
    const manifest = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { license: string };
    expect(manifest.license).toBe('MIT');
    expect(license.split('\n')[0]).toBe('MIT License');
    expect(license).toMatch(/^Copyright \(c\) \d{4} msk-codegen contributors$/m);
    expect(license).toContain('Permission is hereby granted, free of charge, to any person obtaining a copy');
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });
});
