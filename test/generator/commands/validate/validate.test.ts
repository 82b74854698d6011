/**
 * msk-codegen validate through the CLI, in-process: the corpus and the documented
 * examples, positions checked against an independent JSON scanner, output formats,
 * --strict, and the bad-input matrix.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../run-cli.js';
import { INVALID } from '../../../fixtures/invalid-events.js';
import { positionOf, REPO_ROOT, replaceOnce, tempDir } from '../../../helpers.js';
import { jsonPlaces } from '../../../json-offsets.js';
import { CAN_MKFIFO, makeFifo } from '../../../fifo.js';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');

const run = (cwd: string, argv: string[], env: Record<string, string> = {}, stdin = '') =>
  runCliCaptured(['validate', ...argv], { cwd, env, stdin });

describe('validate the corpus', () => {
  it('every valid fixture: exit 0, no findings', async () => {
    const files = (await readdir(path.join(FIXTURES, 'events', 'valid'))).filter((f) => f.endsWith('.json'));
    const result = await run(FIXTURES, ['events/valid/*.json']);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toBe(`${files.length} files, ${files.length} valid, 0 invalid, 0 warnings\n`);
  });

  it.each([
    {
      file: 'managed-kafka.json',
      path: '/records/mytopic-0/0/partition',
      form: 'partition-as-decimal-string',
      says: 'Lambda sends an integer',
    },
    {
      file: 'another-managed-kafka.json',
      path: '/records/AWSKafkaTopic-0/0/headers/0/headerKey',
      form: 'header-value-as-base64-string',
      says: 'Lambda sends an array of signed bytes',
    },
  ])(
    'documented example $file: a legacy-form warning at the value, with what Lambda sends; exit 0, or 1 with --strict',
    async ({ file, path: pointer, form, says }) => {
      const text = await readFile(path.join(FIXTURES, 'documented', file), 'utf8');
      const at = jsonPlaces(text).values.get(pointer);
      const result = await run(FIXTURES, [`documented/${file}`]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        `documented/${file}:${at?.line}:${at?.column}: warning legacy-form: ${pointer}: legacy form "${form}"`,
      );
      expect(result.stdout).toContain(says);
      expect(result.stdout).toContain('1 file, 1 valid, 0 invalid, 1 warning');
      expect((await run(FIXTURES, ['--strict', `documented/${file}`])).code).toBe(1);
    },
  );

  describe.each(INVALID)('invalid fixture $file', ({ file, issues }) => {
    it('exit 1, each issue at the line:column of the offending value', async () => {
      const text = await readFile(path.join(FIXTURES, 'events', 'invalid', file), 'utf8');
      const { values, keys } = jsonPlaces(text);
      const result = await run(FIXTURES, [`events/invalid/${file}`]);
      expect(result.code).toBe(1);
      for (const [pointer, keyword] of issues) {
        // A missing property is reported where its object is; a bad property name at the name.
        const where =
          keyword === 'required'
            ? values.get(pointer.slice(0, pointer.lastIndexOf('/')))
            : keyword === 'pattern' && pointer === '/records/orders'
              ? keys.get(pointer)
              : values.get(pointer);
        expect(where, pointer).toBeDefined();
        expect(result.stdout).toContain(
          `events/invalid/${file}:${where?.line}:${where?.column}: error schema.${keyword}: ${pointer}: expected `,
        );
      }
      expect(result.stdout).toMatch(/\n {4}expected .*; received /);
      expect(result.stdout).toContain('1 file, 0 valid, 1 invalid');
    });
  });

  it.each([
    ['event-source-aws-msk.json', 'the reference page says "aws:msk", but no payload has ever carried it'],
    [
      'event-source-aws-self-managed-kafka.json',
      'two libraries once shipped "aws:SelfManagedKafka"; Lambda sends "eventSource": "SelfManagedKafka"',
    ],
  ])('%s carries a hint about what Lambda really sends', async (file, hint) => {
    expect((await run(FIXTURES, [`events/invalid/${file}`])).stdout).toContain(`hint: ${hint}`);
  });
});

describe('output formats', () => {
  it('--format json parses and holds the same findings as the text output', async () => {
    const inputs = [
      'documented/managed-kafka.json',
      'events/invalid/header-byte-128.json',
      'events/valid/key-null.json',
    ];
    const text = await run(FIXTURES, inputs);
    const json = await run(FIXTURES, ['--format', 'json', ...inputs]);
    expect(json.code).toBe(text.code);
    const report = JSON.parse(json.stdout) as {
      files: {
        file: string;
        status: string;
        findings: { severity: string; code: string; line: number; column: number; message: string }[];
      }[];
      summary: Record<string, number>;
    };
    expect(report.summary).toEqual({ files: 3, valid: 2, invalid: 1, warnings: 1, unreadable: 0 });
    const fromJson = report.files.flatMap((f) =>
      f.findings.map((x) => `${f.file}:${x.line}:${x.column}: ${x.severity} ${x.code}: ${x.message}`),
    );
    const fromText = text.stdout.split('\n').filter((l) => /^\S+:\d+:\d+: /.test(l));
    expect(fromJson).toEqual(fromText);
  });

  it('GitHub annotations appear only under GITHUB_ACTIONS=true', async () => {
    const inputs = ['events/invalid/header-byte-128.json', 'documented/managed-kafka.json'];
    expect((await run(FIXTURES, inputs)).stdout).not.toContain('::');
    const annotated = await run(FIXTURES, inputs, { GITHUB_ACTIONS: 'true' });
    expect(annotated.stdout).toMatch(
      /^::error file=events\/invalid\/header-byte-128\.json,line=\d+,col=\d+,title=msk-codegen schema\.maximum::\/records/m,
    );
    expect(annotated.stdout).toMatch(
      /^::warning file=documented\/managed-kafka\.json,line=8,col=25,title=msk-codegen legacy-form::/m,
    );
  });
});

describe('--strict', () => {
  it('turns warnings into failures: legacy forms, unknown fields, a records key that does not match its records', async () => {
    const plain = await run(FIXTURES, [
      'events/valid/unknown-future-fields.json',
      'events/valid/records-key-not-matching-records.json',
    ]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe('2 files, 2 valid, 0 invalid, 0 warnings\n');
    const strict = await run(FIXTURES, [
      '--strict',
      'events/valid/unknown-future-fields.json',
      'events/valid/records-key-not-matching-records.json',
    ]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/unknown-future-fields\.json:\d+:\d+: warning unknown-field: \/\w+/);
    expect(strict.stdout).toContain(
      'warning records-key: /records/mytopic-01/0: a record of topic "mytopic", partition 0 under the records key "mytopic-01"',
    );
    expect(strict.stdout).toContain('2 files, 0 valid, 2 invalid');
  });
});

describe('validate --kind response', () => {
  it('checks batch responses', async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'ok.json'),
      '{ "batchItemFailures": [ { "itemIdentifier": { "topic-partition": "mytopic-0", "offset": 15 } } ] }',
    );
    const sqs = '{ "batchItemFailures": [ { "itemIdentifier": "15" } ] }';
    await writeFile(path.join(dir, 'sqs.json'), sqs);
    expect((await run(dir, ['--kind', 'response', 'ok.json'])).code).toBe(0);
    const bad = await run(dir, ['--kind', 'response', 'sqs.json']);
    expect(bad.code).toBe(1);
    const at = jsonPlaces(sqs).values.get('/batchItemFailures/0/itemIdentifier');
    expect(bad.stdout).toContain(
      `sqs.json:1:${at?.column}: error schema.type: /batchItemFailures/0/itemIdentifier: expected object, received string "15"`,
    );
  });
});

describe('duplicate keys', () => {
  const EVENT = `{
  "eventSource": "aws:kafka",
  "eventSourceArn": "arn:aws:kafka:us-east-1:123456789012:cluster/demo/6a2f2f6e-8c84-4d7c-9d5b-2f6f0d1e7a11-1",
  "records": {
    "mytopic-0": [
      {
        "topic": "mytopic",
        "partition": 0,
        "offset": 15,
        "timestamp": 1718000000000,
        "timestampType": "CREATE_TIME",
        "value": "e30=",
        "headers": []
      }
    ]
  }
}
`;
  // JSON.parse keeps the last occurrence: a warning at each earlier one, and every other finding at the value used.
  it.each([
    {
      name: 'the used (last) eventSource is wrong: the error is at it, not at the first',
      text: replaceOnce(
        EVENT,
        '"eventSource": "aws:kafka",',
        '"eventSource": "aws:kafka",\n  "eventSource": "aws:msk",',
      ),
      key: '"eventSource"',
      pointer: '/eventSource',
      times: 2,
      code: 1,
      errorAt: '"aws:msk"',
    },
    {
      name: 'the dropped (first) eventSource is wrong: valid, with a warning',
      text: replaceOnce(
        EVENT,
        '"eventSource": "aws:kafka",',
        '"eventSource": "aws:msk",\n  "eventSource": "aws:kafka",',
      ),
      key: '"eventSource"',
      pointer: '/eventSource',
      times: 2,
      code: 0,
    },
    {
      name: 'a record field given three times: a warning at each of the first two',
      text: replaceOnce(EVENT, '"offset": 15,', '"offset": -1,\n        "offset": "15",\n        "offset": 15,'),
      key: '"offset"',
      pointer: '/records/mytopic-0/0/offset',
      times: 3,
      code: 0,
    },
  ])('$name', async ({ text, key, pointer, times, code, errorAt }) => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'event.json'), text);
    const result = await run(dir, ['event.json']);
    expect(result.code, result.stdout).toBe(code);
    const used = positionOf(text, key, times);
    for (let occurrence = 1; occurrence < times; occurrence++) {
      const at = positionOf(text, key, occurrence);
      expect(result.stdout).toContain(
        `event.json:${at.line}:${at.column}: warning duplicate-key: ${pointer}: duplicate key; the last one (line ${used.line}) is the one used\n`,
      );
    }
    expect(result.stdout.match(/duplicate-key/g)).toHaveLength(times - 1);
    if (errorAt !== undefined) {
      const at = positionOf(text, errorAt);
      expect(result.stdout).toMatch(
        new RegExp(`^event\\.json:${at.line}:${at.column}: error schema\\.\\w+: ${pointer}: `, 'm'),
      );
    }
    expect(result.stdout).toContain(`${times - 1} warning`);
    // --strict makes the warning a failure.
    expect((await run(dir, ['--strict', 'event.json'])).code).toBe(1);
  });

  it('a file without duplicates gets no warning, even with escaped quotes and colons inside strings', async () => {
    const dir = await tempDir();
    const text = replaceOnce(
      EVENT,
      '"value": "e30=",',
      '"x-note": "a \\"quoted\\": text\\\\",\n        "x-path\\\\": "c:\\\\",\n        "value": "e30=",',
    );
    expect(() => JSON.parse(text) as unknown).not.toThrow();
    await writeFile(path.join(dir, 'event.json'), text);
    const result = await run(dir, ['event.json']);
    expect(result.stdout).toBe('1 file, 1 valid, 0 invalid, 0 warnings\n');
  });
});

describe('bad input', () => {
  it.each([
    {
      name: 'a UTF-8 byte order mark',
      text: `\uFEFF${'{"eventSource":"SelfManagedKafka","records":{}}'}`,
      code: 0,
      out: '1 file, 1 valid',
    },
    {
      name: 'invalid JSON',
      text: '{\n  "eventSource": "aws:kafka",\n  "records": {,}\n}',
      code: 1,
      out: 'event.json:3:15: error invalid-json: not valid JSON',
    },
    {
      name: 'an empty file',
      text: '',
      code: 1,
      out: 'event.json:1:1: error invalid-json: not valid JSON: the file is empty',
    },
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
    {
      name: 'a directory',
      args: ['events'],
      out: 'events: error unreadable: cannot read: it is a directory, not a regular file',
    },
  ])('$name: exit 2, a message, no stack trace', async ({ args, out }) => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'events'));
    const result = await run(dir, args);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(out);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  // Checked with stat before opening: opening a named pipe blocks until something writes to it, a device may never end.
  it.skipIf(!CAN_MKFIFO).each([
    { name: 'a named pipe (mkfifo)', file: 'fifo.json', kind: 'a named pipe' },
    { name: 'a character device', file: '/dev/null', kind: 'a character device' },
  ])(
    '$name: exit 2, an unreadable finding naming it, without opening it (no hang)',
    async ({ file, kind }) => {
      const dir = await tempDir();
      if (file === 'fifo.json') makeFifo(path.join(dir, file));
      const result = await run(dir, [file]);
      expect(result.code).toBe(2);
      expect(result.stdout).toContain(
        `${file}: error unreadable: cannot read: it is ${kind}, not a regular file; to read standard input, give -\n`,
      );
      expect(result.stdout).toContain('1 file, 0 valid, 0 invalid, 0 warnings, 1 unreadable');
    },
    10_000,
  );

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
    const record = (i: number) => ({
      topic: 'orders',
      partition: 0,
      offset: i,
      timestamp: 1718000000000 + i,
      timestampType: 'CREATE_TIME',
      key: null,
      value: Buffer.from(JSON.stringify({ id: i, pad: 'x'.repeat(400) })).toString('base64'),
      headers: [{ trace: [48, 49, -61, -85] }],
    });
    const records = Array.from({ length: 9000 }, (_, i) => record(i));
    (records[8765] as { offset: number }).offset = -1;
    const text = JSON.stringify({ eventSource: 'SelfManagedKafka', records: { 'orders-0': records } }, null, 1);
    expect(text.length).toBeGreaterThan(5_500_000);
    await writeFile(path.join(dir, 'big.json'), text);
    const result = await run(dir, ['big.json']);
    expect(result.code).toBe(1);
    const at = jsonPlaces(text).values.get('/records/orders-0/8765/offset');
    expect(result.stdout).toContain(
      `big.json:${at?.line}:${at?.column}: error schema.minimum: /records/orders-0/8765/offset`,
    );
  });
});

describe('hostile input', () => {
  const ARN = 'arn:aws:kafka:us-east-1:123456789012:cluster/demo/a1b2c3d4-a1b2-4c3d-8e9f-a1b2c3d4e5f6-1';
  const record = (fields: Record<string, unknown> = {}) => ({
    topic: 'mytopic',
    partition: 0,
    offset: 15,
    timestamp: 1700000000000,
    timestampType: 'CREATE_TIME',
    headers: [],
    ...fields,
  });
  const eventText = (records: unknown[]) =>
    `${JSON.stringify({ eventSource: 'aws:kafka', eventSourceArn: ARN, records: { 'mytopic-0': records } }, null, 2)}\n`;

  it('a value that is not canonical base64 is an error at its line and column', async () => {
    const dir = await tempDir();
    const text = eventText([record({ key: 'b3JkZXItMQ==', value: '@@@not base64@@@' })]);
    await writeFile(path.join(dir, 'e.json'), text);
    const result = await run(dir, ['e.json']);
    expect(result.code).toBe(1);
    const at = positionOf(text, '"@@@not base64@@@"');
    expect(result.stdout).toContain(
      `e.json:${at.line}:${at.column}: error invalid-base64: /records/mytopic-0/0/value: not canonical base64: it has characters outside the base64 alphabet`,
    );
    expect(result.stdout).toContain('1 file, 0 valid, 1 invalid');
  });

  it('a key in the URL-safe alphabet is an error at its line and column too (Lambda never sends it)', async () => {
    const dir = await tempDir();
    const text = eventText([record({ key: 'b3JkZXItMQ-_' })]);
    await writeFile(path.join(dir, 'e.json'), text);
    const result = await run(dir, ['e.json']);
    expect(result.code).toBe(1);
    const at = positionOf(text, '"b3JkZXItMQ-_"');
    expect(result.stdout).toContain(
      `e.json:${at.line}:${at.column}: error invalid-base64: /records/mytopic-0/0/key: not canonical base64: it uses the URL-safe alphabet`,
    );
  });

  it('an offset beyond 2^53 - 1: a warning (exit 0), an error under --strict', async () => {
    const dir = await tempDir();
    // Written as text: JSON.parse rounds 9007199254740993 to 9007199254740992.
    const text = eventText([record()]).replace('"offset": 15', '"offset": 9007199254740993');
    await writeFile(path.join(dir, 'e.json'), text);
    const at = positionOf(text, '9007199254740993');
    const lenient = await run(dir, ['e.json']);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain(
      `e.json:${at.line}:${at.column}: warning unsafe-integer: /records/mytopic-0/0/offset: 9007199254740992 is beyond Number.MAX_SAFE_INTEGER (2^53 - 1): JSON.parse has rounded it`,
    );
    expect(lenient.stdout).toContain('1 file, 1 valid, 0 invalid, 1 warning');
    expect((await run(dir, ['--strict', 'e.json'])).code).toBe(1);
  });

  it('a partition beyond int32 is an error', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'e.json'), eventText([record({ partition: 2 ** 31 })]));
    const result = await run(dir, ['e.json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'error schema.maximum: /records/mytopic-0/0/partition: expected a number <= 2147483647, received integer 2147483648',
    );
  });

  it('20,000 records with two problems each: 100 findings listed, the other 39,900 counted, in text and JSON', async () => {
    const dir = await tempDir();
    const records = Array.from({ length: 20_000 }, (_, i) =>
      record({ offset: i, partition: -1, timestampType: 'NOPE' }),
    );
    await writeFile(path.join(dir, 'e.json'), eventText(records));
    const result = await run(dir, ['e.json']);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('e.json:') && l.includes(': error schema.'))).toHaveLength(100);
    expect(lines.at(-2)).toBe('e.json: ... and 39900 more findings (--max-issues lists more)');
    const json = JSON.parse((await run(dir, ['--format', 'json', '--max-issues', '5', 'e.json'])).stdout) as {
      files: { findings: unknown[]; omitted: number }[];
    };
    expect([json.files[0]?.findings.length, json.files[0]?.omitted]).toEqual([5, 39_995]);
    const none = await run(dir, ['--max-issues', '0', 'e.json']);
    expect(none.stdout).toBe(
      'e.json: ... and 40000 more findings (--max-issues lists more)\n1 file, 0 valid, 1 invalid, 0 warnings\n',
    );
  });
});
