/** msk-codegen sample through the CLI: output checked by the generated API, reproducibility, --out, usage errors. */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../run-cli.js';
import { isKafkaBatchResponse, isKafkaEvent, parseKafkaEvent, safeParseKafkaEvent } from '../../generated/index.js';
import { tempDir } from '../helpers.js';

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
    const [a, b, c] = [await run(dir, '--seed', '7', '--records', '3'), await run(dir, '--seed', '7', '--records', '3'), await run(dir, '--seed', '8', '--records', '3')];
    expect(a.stdout).toBe(b.stdout);
    expect(c.stdout).not.toBe(a.stdout);
  });

  it('encodes a header "ë" as Lambda does: [-61, -85]', async () => {
    const result = await run(await tempDir(), '--header', 'name=ë');
    const event = JSON.parse(result.stdout) as { records: Record<string, { headers: Record<string, number[]>[] }[]> };
    expect(Object.values(event.records)[0]?.[0]?.headers).toEqual([{ name: [-61, -85] }]);
    expect(result.stdout).toContain('"name": [-61, -85]');
  });

  it('--value-file base64-encodes the file\'s bytes', async () => {
    const dir = await tempDir();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(dir, 'payload.bin'), Buffer.from([0, 1, 254, 255]));
    const event = JSON.parse((await run(dir, '--value-file', 'payload.bin')).stdout) as { records: Record<string, { value: string }[]> };
    expect(Object.values(event.records)[0]?.[0]?.value).toBe('AAH+/w==');
  });

  it('--legacy reproduces the reference page\'s forms: rejected by isKafkaEvent, accepted by parseKafkaEvent', async () => {
    const event = JSON.parse((await run(await tempDir(), '--legacy', '--header', 'h=v')).stdout) as unknown;
    expect(isKafkaEvent(event)).toBe(false);
    expect(() => parseKafkaEvent(event)).not.toThrow();
    const result = safeParseKafkaEvent(event);
    expect(result.success && result.warnings.map((w) => w.form).sort()).toEqual(['header-value-as-base64-string', 'partition-as-decimal-string']);
  });

  it('--response prints the batch response for the --failure records', async () => {
    const result = await run(await tempDir(), '--response', '--failure', 'mytopic-0:15', '--failure', 'orders-eu-2:7');
    expect(result.code).toBe(0);
    const response = JSON.parse(result.stdout) as unknown;
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: { 'topic-partition': 'mytopic-0', offset: 15 } }, { itemIdentifier: { 'topic-partition': 'orders-eu-2', offset: 7 } }] });
    expect(isKafkaBatchResponse(response)).toBe(true);
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
