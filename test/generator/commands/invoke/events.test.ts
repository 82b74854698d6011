/**
 * invoke's events (events.ts): files and standard input checked as `validate --envelope-only`
 * checks them, measured as the invocation payload Lambda sends (compact JSON).
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodegenError } from '../../../../generator/core/diagnostics.js';
import { invocationEvent, loadEventFiles } from '../../../../generator/commands/invoke/events.js';
import { REPO_ROOT, tempDir } from '../../../helpers.js';

const EXAMPLE = path.join(REPO_ROOT, 'schema', 'examples', 'managed-kafka.json');

async function project(): Promise<string> {
  const dir = await tempDir('msk-codegen-invoke-events-');
  await mkdir(path.join(dir, 'events'));
  await copyFile(EXAMPLE, path.join(dir, 'events', 'a.json'));
  await copyFile(
    path.join(REPO_ROOT, 'schema', 'examples', 'multi-partition.json'),
    path.join(dir, 'events', 'b.json'),
  );
  return dir;
}

async function rejection(promise: Promise<unknown>): Promise<CodegenError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CodegenError);
    return error as CodegenError;
  }
  throw new Error('expected a rejection');
}

describe('loadEventFiles', () => {
  it('reads files and globs in order, each measured as compact JSON', async () => {
    const dir = await project();
    const events = await loadEventFiles({ cwd: dir, inputs: ['events/*.json'], cacheDir: false });
    expect(events.map((e) => e.source)).toEqual(['events/a.json', 'events/b.json']);
    const example = JSON.parse(await (await import('node:fs/promises')).readFile(EXAMPLE, 'utf8'));
    expect(events[0]?.event).toEqual(example);
    // The documented example, as compact JSON: 387 bytes (counted with JSON.stringify and wc -c), 1 record.
    expect([events[0]?.payloadBytes, events[0]?.records]).toEqual([387, 1]);
  });

  it('reads standard input once, for -', async () => {
    const dir = await project();
    let reads = 0;
    const text = await (await import('node:fs/promises')).readFile(EXAMPLE, 'utf8');
    const events = await loadEventFiles({
      cwd: dir,
      inputs: ['-'],
      cacheDir: false,
      readStdin: async () => {
        reads++;
        return text;
      },
    });
    expect(events.map((e) => [e.source, e.records])).toEqual([['-', 1]]);
    expect(reads).toBe(1);
  });

  it('a file that is not a Kafka event: an error at its line and column, nothing run', async () => {
    const dir = await project();
    await writeFile(path.join(dir, 'events', 'bad.json'), '{\n  "eventSource": "aws:kafka",\n  "records": []\n}\n');
    const error = await rejection(loadEventFiles({ cwd: dir, inputs: ['events/bad.json'], cacheDir: false }));
    const file = path.join(dir, 'events', 'bad.json');
    // Both findings, by hand: the ARN an MSK event needs (at the object, 1:1), and `records` is an array (3:14).
    expect(error.diagnostics).toEqual([
      {
        code: 'E_USAGE',
        file,
        line: 1,
        column: 1,
        message: 'not a Kafka event Lambda could send: /eventSourceArn: expected a value (required), received missing',
      },
      {
        code: 'E_USAGE',
        file,
        line: 3,
        column: 14,
        message: 'not a Kafka event Lambda could send: /records: expected object, received an empty array',
      },
    ]);
  });

  it('standard input that is not a Kafka event: the finding names it, with its line and column', async () => {
    const dir = await project();
    const error = await rejection(
      loadEventFiles({ cwd: dir, inputs: ['-'], cacheDir: false, readStdin: async () => '{\n  "records": {}\n}\n' }),
    );
    expect(error.diagnostics[0]?.message).toMatch(
      /^standard input \(line 1, column 1\): not a Kafka event Lambda could send: /,
    );
  });

  it('on-failure records among events: the event each carries, in the order given (S3: JSON text; Kafka topic: an object)', async () => {
    const dir = await project();
    const ON_FAILURE = path.join(REPO_ROOT, 'test', 'fixtures', 'on-failure');
    await copyFile(path.join(ON_FAILURE, 's3-retry-attempts-exhausted.json'), path.join(dir, 'events', 'c.json'));
    await copyFile(path.join(ON_FAILURE, 'kafka-topic-retries-exhausted.json'), path.join(dir, 'events', 'd.json'));
    const events = await loadEventFiles({
      cwd: dir,
      inputs: ['events/c.json', 'events/a.json', 'events/d.json'],
      cacheDir: false,
    });
    expect(events.map((e) => [e.source, e.records])).toEqual([
      ['events/c.json (its payload)', 4],
      ['events/a.json', 1],
      ['events/d.json (its payload)', 1],
    ]);
    const multiPartition = JSON.parse(
      await readFile(path.join(REPO_ROOT, 'schema', 'examples', 'multi-partition.json'), 'utf8'),
    );
    expect(events[0]?.event).toEqual(multiPartition);
    // The S3 record's payloadSize is that event as compact JSON: 1,452 bytes.
    expect(events[0]?.payloadBytes).toBe(1452);
    expect(Object.keys(events[2]?.event.records ?? {})).toEqual(['my-topic-0']);
  });

  it('an on-failure record that is not valid: checked as one, at its line and column', async () => {
    const dir = await project();
    const record = JSON.parse(
      await readFile(
        path.join(REPO_ROOT, 'test', 'fixtures', 'on-failure', 'kafka-topic-retries-exhausted.json'),
        'utf8',
      ),
    );
    record.requestContext.approximateInvokeCount = -1;
    await writeFile(path.join(dir, 'events', 'bad.json'), JSON.stringify(record, null, 2));
    const error = await rejection(loadEventFiles({ cwd: dir, inputs: ['events/bad.json'], cacheDir: false }));
    // Line 6 by hand: {, "requestContext": {, requestId, functionArn, condition, approximateInvokeCount (its value at column 31).
    expect(error.diagnostics).toEqual([
      {
        code: 'E_USAGE',
        file: path.join(dir, 'events', 'bad.json'),
        line: 6,
        column: 31,
        message:
          'not an on-failure record Lambda could send: /requestContext/approximateInvokeCount: expected a number >= 0, received integer -1',
      },
    ]);
  });

  it('a file that is not there: E_UNREADABLE', async () => {
    const dir = await project();
    const error = await rejection(loadEventFiles({ cwd: dir, inputs: ['events/none.json'], cacheDir: false }));
    expect(error.diagnostics[0]?.code).toBe('E_UNREADABLE');
  });
});

describe('invocationEvent', () => {
  it('counts records across partitions and measures UTF-8 bytes', () => {
    const event = { records: { 'a-0': [{ topic: 'a', partition: 0, offset: 1 }], 'é-1': [] } };
    const e = invocationEvent('x', event);
    expect(e.records).toBe(1);
    // é is two bytes in UTF-8: the JSON text is one character longer than its length in UTF-16 units... plus one.
    expect(e.payloadBytes).toBe(JSON.stringify(event).length + 1);
  });
});
