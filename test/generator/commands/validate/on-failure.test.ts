/**
 * `msk-codegen validate --kind on-failure`: the records Lambda sends an on-failure destination,
 * checked against schema/kafka-on-failure-record.schema.json, and the event an S3 or Kafka-topic
 * record carries checked as an event file is (the project's schema, its topics' payloads),
 * each finding at its line:column (counted by an independent JSON scanner).
 */
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../../../helpers.js';
import { jsonPlaces } from '../../../json-offsets.js';
import { runCliCaptured } from '../../../run-cli.js';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'on-failure');
const run = (cwd: string, argv: string[]) => runCliCaptured(['validate', '--kind', 'on-failure', ...argv], { cwd });
const read = async (name: string) => JSON.parse(await readFile(path.join(FIXTURES, name), 'utf8'));
const multiPartition = async () =>
  JSON.parse(await readFile(path.join(REPO_ROOT, 'schema', 'examples', 'multi-partition.json'), 'utf8'));

/** Writes `record` (2-space JSON) into a new folder; returns the folder and the text. */
async function written(record: unknown, name = 'record.json'): Promise<{ dir: string; text: string }> {
  const dir = await tempDir();
  const text = `${JSON.stringify(record, null, 2)}\n`;
  await writeFile(path.join(dir, name), text);
  return { dir, text };
}

describe('validate --kind on-failure', () => {
  it('every fixture (SQS, S3, Kafka topic, MaximumPayloadSizeExceeded): valid, also with --strict', async () => {
    for (const flags of [[], ['--strict']]) {
      const result = await run(FIXTURES, [...flags, '*.json']);
      expect(result.code, result.stdout).toBe(0);
      expect(result.stdout).toBe('4 files, 4 valid, 0 invalid, 0 warnings\n');
    }
  });

  it('an event file is not an on-failure record: each missing field at the top', async () => {
    const result = await run(path.join(REPO_ROOT, 'schema', 'examples'), ['multi-partition.json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'multi-partition.json:1:1: error schema.required: /requestContext: expected a value (required), received missing',
    );
  });

  it('a problem in the record: at its line:column', async () => {
    const record = await read('sqs-retry-attempts-exhausted.json');
    record.KafkaBatchInfo.recordsInfo['orders-1'].firstRecordOffset =
      '49601189658422359378836298521827638475320189012309704722';
    const { dir, text } = await written(record);
    const at = jsonPlaces(text).values.get('/KafkaBatchInfo/recordsInfo/orders-1/firstRecordOffset');
    const result = await run(dir, ['record.json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `record.json:${at?.line}:${at?.column}: error schema.pattern: /KafkaBatchInfo/recordsInfo/orders-1/firstRecordOffset: expected a string matching ^(0|[1-9][0-9]{0,18})$`,
    );
  });

  it("a problem in an S3 record's event (JSON text): at the payload string, with the place inside the event", async () => {
    const event = await multiPartition();
    event.records['orders-1'][0].partition = -1;
    const record = { ...(await read('s3-retry-attempts-exhausted.json')), payload: JSON.stringify(event) };
    const { dir, text } = await written(record);
    const at = jsonPlaces(text).values.get('/payload');
    const result = await run(dir, ['record.json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `record.json:${at?.line}:${at?.column}: error schema.minimum: /payload (the event as JSON text), at /records/orders-1/0/partition: expected a number >= 0, received integer -1`,
    );
    const json = JSON.parse((await run(dir, ['--format', 'json', 'record.json'])).stdout);
    expect(json.files[0].findings[0]).toMatchObject({
      code: 'schema.minimum',
      path: '/payload',
      eventPath: '/records/orders-1/0/partition',
      line: at?.line,
      column: at?.column,
    });
  });

  it("a problem in a Kafka-topic record's event (an object): under /payload, at the value's line:column", async () => {
    const record = await read('kafka-topic-retries-exhausted.json');
    record.payload.records['my-topic-0'][0].timestampType = 'APPEND_TIME';
    const { dir, text } = await written(record);
    const at = jsonPlaces(text).values.get('/payload/records/my-topic-0/0/timestampType');
    const result = await run(dir, ['record.json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `record.json:${at?.line}:${at?.column}: error schema.enum: /payload/records/my-topic-0/0/timestampType: expected one of "CREATE_TIME", "LOG_APPEND_TIME", received string "APPEND_TIME"`,
    );
  });

  it('a payload string whose JSON is not an object (null): at the payload string, "at its root"', async () => {
    const record = { ...(await read('s3-retry-attempts-exhausted.json')), payload: 'null' };
    const { dir, text } = await written(record);
    const at = jsonPlaces(text).values.get('/payload');
    const result = await run(dir, ['record.json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `record.json:${at?.line}:${at?.column}: error schema.type: /payload (the event as JSON text), at its root: expected object, received null\n`,
    );
  });

  it('a payload string that is not JSON: an error at the string', async () => {
    const record = { ...(await read('s3-retry-attempts-exhausted.json')), payload: '{"eventSource":' };
    const { dir, text } = await written(record);
    const at = jsonPlaces(text).values.get('/payload');
    const result = await run(dir, ['record.json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `record.json:${at?.line}:${at?.column}: error invalid-json: /payload: expected the event as JSON text, received a string that is not JSON (`,
    );
  });

  it('KafkaBatchInfo that does not describe the event: warnings (exit 0), failing under --strict', async () => {
    const record = await read('s3-retry-attempts-exhausted.json');
    record.KafkaBatchInfo.batchSize = 5;
    record.KafkaBatchInfo.recordsInfo['orders-0'].lastRecordOffset = '1044';
    delete record.KafkaBatchInfo.recordsInfo['orders-1'];
    record.KafkaBatchInfo.recordsInfo['orders-9'] = record.KafkaBatchInfo.recordsInfo['payments-2'];
    const { dir, text } = await written(record);
    const { values } = jsonPlaces(text);
    const result = await run(dir, ['record.json']);
    expect(result.code, result.stdout).toBe(0);
    const line = (pointer: string) => `${values.get(pointer)?.line}:${values.get(pointer)?.column}`;
    expect(result.stdout.split('\n').filter((l) => l.startsWith('record.json'))).toEqual([
      `record.json:${line('/KafkaBatchInfo/batchSize')}: warning on-failure-mismatch: /KafkaBatchInfo/batchSize: 5 records, but the payload's event holds 4`,
      `record.json:${line('/KafkaBatchInfo/recordsInfo/orders-0')}: warning on-failure-mismatch: /KafkaBatchInfo/recordsInfo/orders-0: offsets 1042 to 1044, but the payload's event holds 1042 to 1043`,
      `record.json:${line('/KafkaBatchInfo/recordsInfo')}: warning on-failure-mismatch: /KafkaBatchInfo/recordsInfo: no entry for "orders-1", whose records the payload's event holds`,
      `record.json:${line('/KafkaBatchInfo/recordsInfo/orders-9')}: warning on-failure-mismatch: /KafkaBatchInfo/recordsInfo/orders-9: a partition the payload's event holds no records of`,
    ]);
    expect((await run(dir, ['--strict', 'record.json'])).code).toBe(1);
  });

  it("a Kafka-topic record whose recordInfo.offset is not its record's: a warning", async () => {
    const record = await read('kafka-topic-retries-exhausted.json');
    record.KafkaBatchInfo.recordInfo.offset = '101';
    const { dir } = await written(record);
    const result = await run(dir, ['record.json']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `warning on-failure-mismatch: /KafkaBatchInfo/recordInfo/offset: not the offset of the record in the payload's event`,
    );
  });

  it("checks the event's values as the project's topics declare them (and not with --envelope-only)", async () => {
    const { dir, text } = await written(await read('kafka-topic-retries-exhausted.json'));
    await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    await writeFile(
      path.join(dir, 'msk-codegen.config.json'),
      JSON.stringify({ topics: { 'my-topic': { value: { format: 'json', schema: 'value.schema.json' } } } }),
    );
    await writeFile(path.join(dir, 'value.schema.json'), JSON.stringify({ title: 'MyValue', type: 'object' }));
    const at = jsonPlaces(text).values.get('/payload/records/my-topic-0/0/value');
    const result = await run(dir, ['record.json']);
    expect(result.code, result.stdout).toBe(1);
    // "dGVzdC12YWx1ZQ==" is the text "test-value": not JSON.
    expect(result.stdout).toContain(
      `record.json:${at?.line}:${at?.column}: error payload-not-json: /payload/records/my-topic-0/0/value: not JSON: Unexpected token 'e', "test-value" is not valid JSON`,
    );
    expect((await run(dir, ['--envelope-only', 'record.json'])).code).toBe(0);
  });
});
