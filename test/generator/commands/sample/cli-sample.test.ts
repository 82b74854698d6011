/** msk-codegen sample through the CLI: output checked by the generated API, reproducibility, --out, usage errors. */
import { chmod, lstat, mkdir, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../run-cli.js';
import {
  isKafkaBatchResponse,
  isKafkaEvent,
  parseKafkaEvent,
  safeParseKafkaEvent,
} from '../../../../generated/index.js';
import { isKafkaOnFailureRecord, kafkaEventFromOnFailureRecord } from '../../../../generated/on-failure.js';
import { CAN_MKFIFO, makeFifo } from '../../../fifo.js';
import { tempDir } from '../../../helpers.js';

const run = (cwd: string, ...argv: string[]) => runCliCaptured(['sample', ...argv], { cwd });

describe('msk-codegen sample', () => {
  it.each([
    [[]],
    [['--source', 'self-managed']],
    [['--topic', 'orders', '--topic', 'payments-eu', '--partitions', '3', '--records', '4']],
    [['--key', 'order-1', '--value', 'héllo', '--header', 'trace=ë', '--header', 'trace=2']],
    [['--value-json', '{"orderId":1,"items":[1,2]}', '--schema-metadata', 'json:42']],
    [['--tombstone', '--schema-metadata', 'AVRO:2b5a7f64-4c3e-4c1e-9a2d-1f0e6b7c8d9a']],
    [['--seed', '99', '--records', '50']],
  ])('%j prints an event the generated isKafkaEvent accepts', async (args) => {
    const result = await run(await tempDir(), ...args);
    expect(result.code, result.stderr).toBe(0);
    expect(isKafkaEvent(JSON.parse(result.stdout))).toBe(true);
  });

  it('--seed is reproducible byte for byte; another seed differs', async () => {
    const dir = await tempDir();
    const [a, b, c] = [
      await run(dir, '--seed', '7', '--records', '3'),
      await run(dir, '--seed', '7', '--records', '3'),
      await run(dir, '--seed', '8', '--records', '3'),
    ];
    expect(a.stdout).toBe(b.stdout);
    expect(c.stdout).not.toBe(a.stdout);
  });

  it('encodes a header "ë" as Lambda does: [-61, -85]', async () => {
    const result = await run(await tempDir(), '--header', 'name=ë');
    const event = JSON.parse(result.stdout) as { records: Record<string, { headers: Record<string, number[]>[] }[]> };
    expect(Object.values(event.records)[0]?.[0]?.headers).toEqual([{ name: [-61, -85] }]);
    expect(result.stdout).toContain('"name": [-61, -85]');
  });

  it("--value-file base64-encodes the file's bytes", async () => {
    const dir = await tempDir();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(dir, 'payload.bin'), Buffer.from([0, 1, 254, 255]));
    const event = JSON.parse((await run(dir, '--value-file', 'payload.bin')).stdout) as {
      records: Record<string, { value: string }[]>;
    };
    expect(Object.values(event.records)[0]?.[0]?.value).toBe('AAH+/w==');
  });

  it("--legacy reproduces the reference page's forms: rejected by isKafkaEvent, accepted by parseKafkaEvent", async () => {
    const event = JSON.parse((await run(await tempDir(), '--legacy', '--header', 'h=v')).stdout) as unknown;
    expect(isKafkaEvent(event)).toBe(false);
    expect(() => parseKafkaEvent(event)).not.toThrow();
    const result = safeParseKafkaEvent(event);
    expect(result.success && result.warnings.map((w) => w.form).sort()).toEqual([
      'header-value-as-base64-string',
      'partition-as-decimal-string',
    ]);
  });

  it('--response prints the batch response for the --failure records', async () => {
    const result = await run(await tempDir(), '--response', '--failure', 'mytopic-0:15', '--failure', 'orders-eu-2:7');
    expect(result.code).toBe(0);
    const response = JSON.parse(result.stdout) as unknown;
    expect(response).toEqual({
      batchItemFailures: [
        { itemIdentifier: { 'topic-partition': 'mytopic-0', offset: 15 } },
        { itemIdentifier: { 'topic-partition': 'orders-eu-2', offset: 7 } },
      ],
    });
    expect(isKafkaBatchResponse(response)).toBe(true);
  });

  describe('--on-failure', () => {
    it.each([['sqs'], ['sns'], ['s3']])(
      '%s: the record for the sampled event, valid and describing it (recordsInfo per partition)',
      async (destination) => {
        const args = ['--seed', '3', '--topic', 'orders', '--partitions', '2', '--records', '2'];
        const dir = await tempDir();
        const record = JSON.parse((await run(dir, ...args, '--on-failure', destination)).stdout);
        const event = JSON.parse((await run(dir, ...args)).stdout);
        expect(isKafkaOnFailureRecord(record)).toBe(true);
        expect(record.requestContext.condition).toBe('RetryAttemptsExhausted');
        expect(record.KafkaBatchInfo.batchSize).toBe(4);
        // Each partition's first and last record, as decimal strings and ISO 8601 times.
        for (const key of ['orders-0', 'orders-1']) {
          const [first, last] = event.records[key];
          expect(record.KafkaBatchInfo.recordsInfo[key]).toEqual({
            firstRecordOffset: String(first.offset),
            lastRecordOffset: String(last.offset),
            firstRecordTimestamp: new Date(first.timestamp).toISOString(),
            lastRecordTimestamp: new Date(last.timestamp).toISOString(),
          });
        }
        expect(record.KafkaBatchInfo.payloadSize).toBe(Buffer.byteLength(JSON.stringify(event)));
        if (destination === 's3') expect(kafkaEventFromOnFailureRecord(record)).toEqual(event);
        else expect(record).not.toHaveProperty('payload');
      },
    );

    it('kafka-topic: one record, recordInfo, RetriesExhausted and the event as an object; the same seed, the same bytes', async () => {
      const dir = await tempDir();
      const first = await run(dir, '--seed', '5', '--on-failure', 'kafka-topic');
      expect((await run(dir, '--seed', '5', '--on-failure', 'kafka-topic')).stdout).toBe(first.stdout);
      const record = JSON.parse(first.stdout);
      const event = JSON.parse((await run(dir, '--seed', '5')).stdout);
      const only = event.records['mytopic-0'][0];
      expect(record.requestContext.condition).toBe('RetriesExhausted');
      expect(record.KafkaBatchInfo).toMatchObject({
        batchSize: 1,
        recordInfo: { offset: String(only.offset), timestamp: new Date(only.timestamp).toISOString() },
      });
      expect(record.payload).toEqual(event);
      // Written a few seconds after the record, in the ARN's region.
      const after = Date.parse(record.timestamp) - only.timestamp;
      expect(after >= 2000 && after <= 9000).toBe(true);
      expect(record.requestContext.functionArn).toBe(
        `arn:aws:lambda:${event.eventSourceArn.split(':')[3]}:123456789012:function:my-function`,
      );
    });

    it.each([
      [
        ['--on-failure', 'kafka-topic', '--records', '2'],
        'a Kafka-topic destination receives one message per failed record',
      ],
      [['--on-failure', 's3', '--response'], 'it does not go with --response'],
      [['--on-failure', 's3', '--legacy'], 'it does not go with --legacy'],
      [['--on-failure', 'lambda'], "argument 'lambda' is invalid. Allowed choices are sqs, sns, s3, kafka-topic."],
    ])('%j: exit 2, saying why', async (args, says) => {
      const result = await run(await tempDir(), ...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(says);
    });
  });

  it('--out writes the file (and says so on stderr)', async () => {
    const dir = await tempDir();
    const result = await run(dir, '--out', 'events/sample.json', '--seed', '3');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('wrote events/sample.json');
    expect(isKafkaEvent(JSON.parse(await readFile(path.join(dir, 'events', 'sample.json'), 'utf8')))).toBe(true);
  });

  it.each([
    [['--partitions', '0'], '--partitions'],
    [['--partitions', 'two'], 'expected a whole number'],
    [['--value', 'a', '--value-json', '1'], 'give one of --value, --value-json and --value-file'],
    [['--value-json', '{'], '--value-json is not JSON'],
    [['--header', '=x'], '--header'],
    [['--failure', 'mytopic-0:15'], '--failure goes with --response'],
    [['--response', '--tombstone'], '--response prints a batch response'],
    [['--value-file', 'missing.bin'], 'cannot read --value-file: no such file'],
    [['--source', 'kinesis'], "argument 'kinesis' is invalid"],
  ])('%j: exit 2 with a message', async (args, message) => {
    const result = await run(await tempDir(), ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });
});

// Regular files only: opening a named pipe blocks, /dev/full reads forever, and an atomic
// rename over a device, pipe or symbolic link would replace it. Each case must end at once.
describe.skipIf(!CAN_MKFIFO)('sample reads and writes regular files only', () => {
  it('--value-file that is a named pipe: exit 2, a message naming it, without opening it', async () => {
    const dir = await tempDir();
    makeFifo(path.join(dir, 'fifo.bin'));
    const result = await run(dir, '--value-file', 'fifo.bin');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'fifo.bin: error E_UNREADABLE: cannot read --value-file: it is a named pipe, not a regular file\n',
    );
    expect(result.stdout).toBe('');
  }, 10_000);

  it.each([
    { name: '/dev/full', out: '/dev/full', kind: 'a character device' },
    { name: '/dev/null', out: '/dev/null', kind: 'a character device' },
    { name: 'a named pipe', out: 'fifo.json', kind: 'a named pipe' },
    { name: 'a symbolic link to a named pipe', out: 'to-fifo.json', kind: 'a symbolic link to a named pipe' },
  ])(
    '--out $name: refused before opening it, suggesting a redirection; nothing changes',
    async ({ out, kind }) => {
      const dir = await tempDir();
      makeFifo(path.join(dir, 'fifo.json'));
      await symlink('fifo.json', path.join(dir, 'to-fifo.json'));
      const device = out.startsWith('/dev/') ? await stat(out) : undefined;
      const result = await run(dir, '--out', out);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `${out}: error E_WRITE_FAILED: cannot write --out: it is ${kind}, not a regular file: --out replaces a file, so to write to it, leave out --out and redirect standard output instead (> ${out})\n`,
      );
      expect(result.stdout).toBe('');
      expect((await stat(path.join(dir, 'fifo.json'))).isFIFO()).toBe(true);
      expect(await readlink(path.join(dir, 'to-fifo.json'))).toBe('fifo.json');
      expect((await readdir(dir)).sort()).toEqual(['fifo.json', 'to-fifo.json']);
      if (device) expect((await stat(out)).rdev).toBe(device.rdev);
    },
    10_000,
  );

  it('--out a directory: refused, asking for a file name in it', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'events'));
    const result = await run(dir, '--out', 'events');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'events: error E_WRITE_FAILED: cannot write --out: it is a directory, not a regular file: name a file inside it\n',
    );
    expect(await readdir(path.join(dir, 'events'))).toEqual([]);
  });

  it('--out a symbolic link: writes its target (atomically, in its folder) and keeps the link', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'real'));
    await writeFile(path.join(dir, 'real', 'event.json'), 'old\n');
    await symlink(path.join('real', 'event.json'), path.join(dir, 'link.json'));
    const result = await run(dir, '--out', 'link.json', '--seed', '5');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe("msk-codegen: wrote link.json (the symbolic link's target, real/event.json)\n");
    expect((await lstat(path.join(dir, 'link.json'))).isSymbolicLink()).toBe(true);
    expect(await readlink(path.join(dir, 'link.json'))).toBe(path.join('real', 'event.json'));
    const written = await readFile(path.join(dir, 'real', 'event.json'), 'utf8');
    expect(written).toBe((await run(dir, '--seed', '5')).stdout);
    expect(isKafkaEvent(JSON.parse(written))).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['link.json', 'real']);
    expect(await readdir(path.join(dir, 'real'))).toEqual(['event.json']);
  });

  it('--out a symbolic link to a file yet to be made: creates it, and keeps the link', async () => {
    const dir = await tempDir();
    await symlink('new.json', path.join(dir, 'link.json'));
    const result = await run(dir, '--out', 'link.json');
    expect(result.code, result.stderr).toBe(0);
    expect(await readlink(path.join(dir, 'link.json'))).toBe('new.json');
    expect(isKafkaEvent(JSON.parse(await readFile(path.join(dir, 'new.json'), 'utf8')))).toBe(true);
  });

  it('--out an existing file: replaced with the same permissions, no temporary file left', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'event.json');
    await writeFile(file, 'old\n');
    await chmod(file, 0o640);
    expect((await run(dir, '--out', 'event.json')).code).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect(isKafkaEvent(JSON.parse(await readFile(file, 'utf8')))).toBe(true);
    expect(await readdir(dir)).toEqual(['event.json']);
  });
});
