/**
 * Real-world sample events (test/fixtures/events/real-world/, see real-world-events.ts):
 * written the way the AWS SDKs' and Powertools' test fixtures are, they pass `validate`
 * and `parseKafkaEvent`; the precise formats of eventSourceArn and bootstrapServers
 * (the schema's `x-strict`) are `--strict` findings at the value, with a hint. Plus the
 * batch response identifier keyed "partition" and the `x-strict` keyword's own checks.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isKafkaEvent,
  KafkaEventValidationError,
  parseKafkaEvent,
  safeParseKafkaEvent,
} from '../../../../generated/index.js';
import { CodegenError } from '../../../../generator/core/diagnostics.js';
import { loadSchema } from '../../../../generator/core/load.js';
import { buildModel } from '../../../../generator/core/model.js';
import { NORMALIZER_NAMES } from '../../../../generator/runtime/normalizers.js';
import { REAL_WORLD } from '../../../fixtures/real-world-events.js';
import { EMBEDDED_SCHEMA_PATH, positionOf, REPO_ROOT, replaceOnce, tempDir } from '../../../helpers.js';
import { EMBEDDED_TEXT } from '../../../fixtures/bad-schemas.js';
import { jsonPlaces } from '../../../json-offsets.js';
import { runCliCaptured } from '../../../run-cli.js';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
const DIR = path.join(FIXTURES, 'events', 'real-world');

const validate = (cwd: string, ...argv: string[]) => runCliCaptured(['validate', ...argv], { cwd });

/** [code, pointer] of each finding in a JSON report. */
async function findingsOf(...argv: string[]) {
  const result = await validate(FIXTURES, '--format', 'json', ...argv);
  const report = JSON.parse(result.stdout) as {
    files: {
      status: string;
      findings: {
        code: string;
        path?: string;
        line?: number;
        column?: number;
        hint?: string;
        expected?: string;
        received?: string;
      }[];
    }[];
  };
  const file = report.files[0];
  return { code: result.code, status: file?.status, findings: file?.findings ?? [] };
}

/** The event as a handler's test harness reads it: UTF-8, BOM dropped (TextDecoder drops it), JSON.parse. */
const readEvent = (file: string): unknown =>
  JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path.join(DIR, file))));

describe.each(REAL_WORLD)('$file ($imitates)', ({ file, bom, outcome, findings, strictAdds }) => {
  const text = readFileSync(path.join(DIR, file), 'utf8');
  const pairs = (list: readonly { code: string; path?: string }[]) => list.map((f) => [f.code, f.path ?? '']).sort();

  it(`is written as described (byte order mark: ${bom})`, () => {
    expect(
      readFileSync(path.join(DIR, file))
        .subarray(0, 3)
        .equals(Buffer.from([0xef, 0xbb, 0xbf])),
    ).toBe(bom);
  });

  it(`validate: ${outcome === 'rejected' ? 'invalid (exit 1)' : 'valid (exit 0)'}, with exactly the findings listed`, async () => {
    const result = await findingsOf(`events/real-world/${file}`);
    expect(result.code).toBe(outcome === 'rejected' ? 1 : 0);
    expect(pairs(result.findings)).toEqual([...findings].map(([c, p]) => [c, p]).sort());
  });

  it(`validate --strict: ${strictAdds.length === 0 && outcome !== 'rejected' ? 'still valid' : 'fails'}, each added finding at the value's line:column, with a hint`, async () => {
    const result = await findingsOf('--strict', `events/real-world/${file}`);
    const failed = outcome !== 'valid' || strictAdds.length > 0;
    expect(result.code).toBe(failed ? 1 : 0);
    expect(pairs(result.findings)).toEqual([...findings, ...strictAdds].map(([c, p]) => [c, p]).sort());
    const places = jsonPlaces(text).values;
    for (const [code, pointer] of strictAdds) {
      const finding = result.findings.find((f) => f.code === code && f.path === pointer);
      const at = code === 'records-key' ? places.get(pointer) : places.get(pointer);
      expect([finding?.line, finding?.column], pointer).toEqual([at?.line, at?.column]);
      expect(finding?.hint, pointer).toBeTruthy();
    }
  });

  it(`the generated API: ${outcome === 'valid' ? 'a canonical event, returned as is' : outcome === 'legacy' ? 'parse normalizes it, with the legacy-form warning' : 'rejected, at /eventSource'}`, () => {
    const event = readEvent(file);
    if (outcome === 'valid') {
      expect(isKafkaEvent(event)).toBe(true);
      expect(parseKafkaEvent(event)).toBe(event);
    } else if (outcome === 'legacy') {
      expect(isKafkaEvent(event)).toBe(false);
      const result = safeParseKafkaEvent(event);
      expect(result.success).toBe(true);
      expect(result.warnings.map((w) => [w.kind, w.path])).toEqual(
        findings.map(([, pointer]) => ['legacy-form', pointer]),
      );
      expect(isKafkaEvent(parseKafkaEvent(event))).toBe(true);
    } else {
      expect(isKafkaEvent(event)).toBe(false);
      expect(() => parseKafkaEvent(event)).toThrow(KafkaEventValidationError);
      const result = safeParseKafkaEvent(event);
      expect(result.success ? [] : result.issues.map((i) => [i.path, i.keyword])).toEqual([
        ['/eventSource', 'discriminator'],
      ]);
    }
  });
});

describe('real-world details', () => {
  it('the Jackson round trip: the base64 header decodes to the bytes the Java test event carries as numbers', () => {
    const roundTrip = parseKafkaEvent(readEvent('java-jackson-round-trip.json'));
    const original = readEvent('java-tests-event.json') as {
      records: Record<string, { headers: Record<string, number[]>[] }[]>;
    };
    expect(roundTrip.records['orders-0']?.[0]?.headers).toEqual(original.records['orders-01']?.[0]?.headers);
  });

  it('"aws:SelfManagedKafka" is rejected with its hint, on purpose', async () => {
    const result = await validate(FIXTURES, 'events/real-world/aws-self-managed-kafka-source.json');
    expect(result.stdout).toContain(
      'hint: two libraries once shipped "aws:SelfManagedKafka"; Lambda sends "eventSource": "SelfManagedKafka"',
    );
  });

  it('a strict-format finding says what was expected, what was found and what Lambda sends', async () => {
    const result = await validate(FIXTURES, '--strict', 'events/real-world/powertools-msk-event.json');
    const text = readFileSync(path.join(DIR, 'powertools-msk-event.json'), 'utf8');
    const at = positionOf(text, '"arn:aws:kafka:eu-west-1:0246813579024');
    expect(result.stdout).toContain(
      `events/real-world/powertools-msk-event.json:${at.line}:${at.column}: warning strict-format: /eventSourceArn: not in the precise format Lambda sends (accepted; --strict reports it)\n`,
    );
    expect(result.stdout).toContain(
      '    expected arn:aws:kafka:<region>:<12-digit account>:cluster/<name>/<uuid>-<N> (MSK Serverless: -s<N>); received string "arn:aws:kafka:eu-west-1:0246813579024:cluster/InventoryCluster/beef0001-cafe-4d2e-abab-0123456789ab-4"; hint: Lambda sends the cluster\'s real ARN: a 12-digit account',
    );
  });

  it.each([
    { name: 'an ARN of another service', arn: 'arn:aws:sqs:us-east-1:123456789012:orders', valid: false },
    { name: 'no ARN at all', arn: 'orders-cluster', valid: false },
    { name: 'a made-up MSK ARN', arn: 'arn:aws:kafka:us-east-1:1:cluster/x/y', valid: true },
    {
      name: 'an MSK ARN of another partition (China)',
      arn: 'arn:aws-cn:kafka:cn-north-1:123456789012:cluster/c/6a2f2f6e-8c84-4d7c-9d5b-2f6f0d1e7a11-1',
      valid: true,
    },
  ])('the default check: $name -> valid $valid', ({ arn, valid }) => {
    const event = { eventSource: 'aws:kafka', eventSourceArn: arn, records: {} };
    expect(isKafkaEvent(event)).toBe(valid);
  });

  it.each(['', 'localhost', 'a:1, b:2', 'b-1.example.com', ' , '])(
    'the default check accepts bootstrapServers %j',
    (servers) => {
      expect(isKafkaEvent({ eventSource: 'SelfManagedKafka', bootstrapServers: servers, records: {} })).toBe(true);
      expect(isKafkaEvent({ eventSource: 'SelfManagedKafka', bootstrapServers: 9092, records: {} })).toBe(false);
    },
  );
});

describe('validate --kind response: an identifier keyed "partition"', () => {
  it('fails the schema, with a hint saying what the schema expects, who uses "partition", and that it is not settled', async () => {
    const dir = await tempDir();
    const text =
      '{\n  "batchItemFailures": [\n    { "itemIdentifier": { "partition": "mytopic-0", "offset": 15 } }\n  ]\n}\n';
    await writeFile(path.join(dir, 'response.json'), text);
    const result = await validate(dir, '--kind', 'response', 'response.json');
    expect(result.code).toBe(1);
    const at = jsonPlaces(text).values.get('/batchItemFailures/0/itemIdentifier');
    expect(result.stdout).toContain(
      `response.json:${at?.line}:${at?.column}: error schema.required: /batchItemFailures/0/itemIdentifier/topic-partition: expected a value (required), received missing`,
    );
    expect(result.stdout).toContain(
      'hint: the identifier says "partition" where the schema expects "topic-partition": {"topic-partition": "<topic>-<partition>", "offset": N}, as one version of the Lambda developer guide documents it (kafka-retry-configurations, PartialBatchResponse). Another version of that page, Powertools for AWS Lambda (Python), Middy\'s event-batch-response and a Rust runtime PR use "partition" with the same value, and which key Lambda reads is not settled',
    );
  });

  it.each([
    {
      name: 'the documented identifier',
      identifier: '{ "topic-partition": "mytopic-0", "offset": 15 }',
      code: 0,
      hint: false,
    },
    { name: 'no key for the partition at all', identifier: '{ "offset": 15 }', code: 1, hint: false },
    {
      name: 'both keys',
      identifier: '{ "topic-partition": "mytopic-0", "partition": "mytopic-0", "offset": 15 }',
      code: 0,
      hint: false,
    },
  ])('$name: exit $code, no "partition" hint', async ({ identifier, code, hint }) => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'response.json'),
      `{ "batchItemFailures": [ { "itemIdentifier": ${identifier} } ] }`,
    );
    const result = await validate(dir, '--kind', 'response', 'response.json');
    expect(result.code).toBe(code);
    expect(result.stdout.includes('where the schema expects "topic-partition"')).toBe(hint);
  });
});

describe('the x-strict keyword', () => {
  it('the embedded schema declares eventSourceArn (MSK) and bootstrapServers (both kinds, counted once)', async () => {
    const model = buildModel(await loadSchema(EMBEDDED_SCHEMA_PATH), NORMALIZER_NAMES);
    expect(model.strictFormats.map((f) => [f.instancePath.join('/'), f.schemaPointer])).toEqual([
      ['eventSourceArn', '/$defs/MSKEvent/properties/eventSourceArn/x-strict'],
      ['bootstrapServers', '/$defs/MSKEvent/properties/bootstrapServers/x-strict'],
    ]);
  });

  it.each([
    {
      name: 'an unknown property (a typo)',
      from: '"expected": "arn:aws:kafka:<region>',
      to: '"expectd": "arn:aws:kafka:<region>',
      message: 'x-strict has an unknown property "expectd"',
    },
    {
      name: 'a pattern that is no regular expression',
      from: '"pattern": "^arn:aws[a-z-]*:kafka:[a-z0-9-]+:',
      to: '"pattern": "^(arn:aws[a-z-]*:kafka:[a-z0-9-]+:',
      message: 'x-strict pattern is not a regular expression',
    },
  ])('a malformed declaration ($name) is bad input, at its line:column', async ({ from, to, message }) => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'schema'));
    const text = replaceOnce(EMBEDDED_TEXT, from, to);
    await writeFile(path.join(dir, 'schema', 'event.json'), text);
    try {
      buildModel(await loadSchema(path.join(dir, 'schema', 'event.json')), NORMALIZER_NAMES);
      expect.unreachable('buildModel should fail');
    } catch (error) {
      expect(error).toBeInstanceOf(CodegenError);
      const d = (error as CodegenError).diagnostics[0];
      expect(d?.message).toContain(message);
      expect(d?.code).toBe('E_UNSUPPORTED_SCHEMA');
    }
    const result = await runCliCaptured(['generate', '--schema', 'schema/event.json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `^schema/event\\.json:\\d+:\\d+: error E_UNSUPPORTED_SCHEMA: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
      ),
    );
  });
});
