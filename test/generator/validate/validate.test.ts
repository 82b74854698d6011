/**
 * msk-codegen validate through the CLI, in-process: the corpus and the documented
 * examples, positions checked against an independent JSON scanner, output formats,
 * --strict, and the bad-input matrix.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../run-cli.js';
import { INVALID } from '../../fixtures/invalid-events.js';
import { REPO_ROOT, tempDir } from '../../helpers.js';
import { jsonPlaces } from '../../json-offsets.js';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');

const run = (cwd: string, argv: string[], env: Record<string, string> = {}, stdin = '') => runCliCaptured(['validate', ...argv], { cwd, env, stdin });

describe('validate the corpus', () => {
  it('every valid fixture: exit 0, no findings', async () => {
    const files = (await readdir(path.join(FIXTURES, 'events', 'valid'))).filter((f) => f.endsWith('.json'));
    const result = await run(FIXTURES, ['events/valid/*.json']);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toBe(`${files.length} files, ${files.length} valid, 0 invalid, 0 warnings\n`);
  });

  it.each([
    { file: 'managed-kafka.json', path: '/records/mytopic-0/0/partition', form: 'partition-as-decimal-string', says: 'Lambda sends an integer' },
    { file: 'another-managed-kafka.json', path: '/records/AWSKafkaTopic-0/0/headers/0/headerKey', form: 'header-value-as-base64-string', says: 'Lambda sends an array of signed bytes' },
  ])('documented example $file: a legacy-form warning at the value, with what Lambda sends; exit 0, or 1 with --strict', async ({ file, path: pointer, form, says }) => {
    const text = await readFile(path.join(FIXTURES, 'documented', file), 'utf8');
    const at = jsonPlaces(text).values.get(pointer);
    const result = await run(FIXTURES, [`documented/${file}`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`documented/${file}:${at?.line}:${at?.column}: warning legacy-form: ${pointer}: legacy form "${form}"`);
    expect(result.stdout).toContain(says);
    expect(result.stdout).toContain('1 file, 1 valid, 0 invalid, 1 warning');
    expect((await run(FIXTURES, ['--strict', `documented/${file}`])).code).toBe(1);
  });

  describe.each(INVALID)('invalid fixture $file', ({ file, issues }) => {
    it('exit 1, each issue at the line:column of the offending value', async () => {
      const text = await readFile(path.join(FIXTURES, 'events', 'invalid', file), 'utf8');
      const { values, keys } = jsonPlaces(text);
      const result = await run(FIXTURES, [`events/invalid/${file}`]);
      expect(result.code).toBe(1);
      for (const [pointer, keyword] of issues) {
        // A missing property is reported where its object is; a bad property name at the name.
        const where = keyword === 'required' ? values.get(pointer.slice(0, pointer.lastIndexOf('/'))) : keyword === 'pattern' && pointer === '/records/orders' ? keys.get(pointer) : values.get(pointer);
        expect(where, pointer).toBeDefined();
        expect(result.stdout).toContain(`events/invalid/${file}:${where?.line}:${where?.column}: error schema.${keyword}: ${pointer}: expected `);
      }
      expect(result.stdout).toMatch(/\n {4}expected .*; received /);
      expect(result.stdout).toContain('1 file, 0 valid, 1 invalid');
    });
  });

  it.each([
    ['event-source-aws-msk.json', 'the reference page says "aws:msk", but no payload has ever carried it'],
    ['event-source-aws-self-managed-kafka.json', 'two libraries once shipped "aws:SelfManagedKafka"; Lambda sends "eventSource": "SelfManagedKafka"'],
  ])('%s carries a hint about what Lambda really sends', async (file, hint) => {
    expect((await run(FIXTURES, [`events/invalid/${file}`])).stdout).toContain(`hint: ${hint}`);
  });
});

describe('output formats', () => {
  it('--format json parses and holds the same findings as the text output', async () => {
    const inputs = ['documented/managed-kafka.json', 'events/invalid/header-byte-128.json', 'events/valid/key-null.json'];
    const text = await run(FIXTURES, inputs);
    const json = await run(FIXTURES, ['--format', 'json', ...inputs]);
    expect(json.code).toBe(text.code);
    const report = JSON.parse(json.stdout) as { files: { file: string; status: string; findings: { severity: string; code: string; line: number; column: number; message: string }[] }[]; summary: Record<string, number> };
    expect(report.summary).toEqual({ files: 3, valid: 2, invalid: 1, warnings: 1, unreadable: 0 });
    const fromJson = report.files.flatMap((f) => f.findings.map((x) => `${f.file}:${x.line}:${x.column}: ${x.severity} ${x.code}: ${x.message}`));
    const fromText = text.stdout.split('\n').filter((l) => /^\S+:\d+:\d+: /.test(l));
    expect(fromJson).toEqual(fromText);
  });

  it('GitHub annotations appear only under GITHUB_ACTIONS=true', async () => {
    const inputs = ['events/invalid/header-byte-128.json', 'documented/managed-kafka.json'];
    expect((await run(FIXTURES, inputs)).stdout).not.toContain('::');
    const annotated = await run(FIXTURES, inputs, { GITHUB_ACTIONS: 'true' });
    expect(annotated.stdout).toMatch(/^::error file=events\/invalid\/header-byte-128\.json,line=\d+,col=\d+,title=msk-codegen schema\.maximum::\/records/m);
    expect(annotated.stdout).toMatch(/^::warning file=documented\/managed-kafka\.json,line=8,col=25,title=msk-codegen legacy-form::/m);
  });
});

describe('--strict', () => {
  it('turns warnings into failures: legacy forms, unknown fields, a records key that does not match its records', async () => {
    const plain = await run(FIXTURES, ['events/valid/unknown-future-fields.json', 'events/valid/records-key-not-matching-records.json']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe('2 files, 2 valid, 0 invalid, 0 warnings\n');
    const strict = await run(FIXTURES, ['--strict', 'events/valid/unknown-future-fields.json', 'events/valid/records-key-not-matching-records.json']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/unknown-future-fields\.json:\d+:\d+: warning unknown-field: \/\w+/);
    expect(strict.stdout).toContain('warning records-key: /records/mytopic-01/0: a record of topic "mytopic", partition 0 under the records key "mytopic-01"');
    expect(strict.stdout).toContain('2 files, 0 valid, 2 invalid');
  });
});

describe('validate --kind response', () => {
  it('checks batch responses', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'ok.json'), '{ "batchItemFailures": [ { "itemIdentifier": { "topic-partition": "mytopic-0", "offset": 15 } } ] }');
    const sqs = '{ "batchItemFailures": [ { "itemIdentifier": "15" } ] }';
    await writeFile(path.join(dir, 'sqs.json'), sqs);
    expect((await run(dir, ['--kind', 'response', 'ok.json'])).code).toBe(0);
    const bad = await run(dir, ['--kind', 'response', 'sqs.json']);
    expect(bad.code).toBe(1);
    const at = jsonPlaces(sqs).values.get('/batchItemFailures/0/itemIdentifier');
    expect(bad.stdout).toContain(`sqs.json:1:${at?.column}: error schema.type: /batchItemFailures/0/itemIdentifier: expected object, received string "15"`);
  });
});

describe('bad input', () => {
  it.each([
    { name: 'a UTF-8 byte order mark', text: `\uFEFF${'{"eventSource":"SelfManagedKafka","records":{}}'}`, code: 0, out: '1 file, 1 valid' },
    { name: 'invalid JSON', text: '{\n  "eventSource": "aws:kafka",\n  "records": {,}\n}', code: 1, out: 'event.json:3:15: error invalid-json: not valid JSON' },
    { name: 'an empty file', text: '', code: 1, out: 'event.json:1:1: error invalid-json: not valid JSON: the file is empty' },
  ])('$name', async ({ text, code, out }) => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'event.json'), text);
    const result = await run(dir, ['event.json']);
    expect(result.code).toBe(code);
    expect(result.stdout).toContain(out);
    expect(result.stderr).toBe('');
  });

  it.each([
    { name: 'a missing file', args: ['nope.json'], out: 'nope.json: error unreadable: cannot read: no such file' },
    { name: 'a directory', args: ['events'], out: 'events: error unreadable: cannot read: it is a directory, not a file' },
  ])('$name: exit 2, a message, no stack trace', async ({ args, out }) => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'events'));
    const result = await run(dir, args);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(out);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a glob that matches nothing, and no inputs at all: exit 2 with a usage message', async () => {
    const dir = await tempDir();
    const none = await run(dir, ['events/**/*.json']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no files match "events/**/*.json"');
    const empty = await run(dir, []);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no files given');
  });

  it('standard input with -', async () => {
    const example = await readFile(path.join(FIXTURES, 'events', 'valid', 'key-null.json'), 'utf8');
    const result = await run(await tempDir(), ['-'], {}, example);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('1 file, 1 valid, 0 invalid, 0 warnings\n');
  });

  it('a 6 MB event: checked, and a defect deep inside it placed at its line', async () => {
    const dir = await tempDir();
    const record = (i: number) => ({ topic: 'orders', partition: 0, offset: i, timestamp: 1718000000000 + i, timestampType: 'CREATE_TIME', key: null, value: Buffer.from(JSON.stringify({ id: i, pad: 'x'.repeat(400) })).toString('base64'), headers: [{ trace: [48, 49, -61, -85] }] });
    const records = Array.from({ length: 9000 }, (_, i) => record(i));
    (records[8765] as { offset: number }).offset = -1;
    const text = JSON.stringify({ eventSource: 'SelfManagedKafka', records: { 'orders-0': records } }, null, 1);
    expect(text.length).toBeGreaterThan(5_500_000);
    await writeFile(path.join(dir, 'big.json'), text);
    const result = await run(dir, ['big.json']);
    expect(result.code).toBe(1);
    const at = jsonPlaces(text).values.get('/records/orders-0/8765/offset');
    expect(result.stdout).toContain(`big.json:${at?.line}:${at?.column}: error schema.minimum: /records/orders-0/8765/offset`);
  });
});
