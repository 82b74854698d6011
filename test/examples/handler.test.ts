import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../examples/handler.js';
import { isKafkaBatchResponse, KafkaEventValidationError } from '../../generated/index.js';
import { REPO_ROOT } from '../helpers.js';

const fixture = (...segments: string[]): unknown =>
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', ...segments), 'utf8'));

describe('the README handler example', () => {
  it('decodes both documented examples (values as UTF-8, signed header bytes as UTF-8)', async () => {
    const seen: unknown[] = [];
    const handler = createHandler(async (topic, value, headers) => void seen.push({ topic, value, headers }));
    expect(await handler(fixture('documented', 'managed-kafka.json'))).toEqual({ batchItemFailures: [] });
    expect(await handler(fixture('documented', 'another-managed-kafka.json'))).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual([
      { topic: 'mytopic', value: 'Hello, this is a test.', headers: [['headerKey', 'headerValue']] },
      {
        topic: 'AWSKafkaTopic',
        value: '8d5596b4-1813-4238-b24b-6dad8e3d1c0c',
        headers: [['headerKey', 'headerValue']],
      },
    ]);
  });

  it('decodes "ë" from [-61, -85] and reports failed records in the documented response shape', async () => {
    const event = fixture('events', 'valid', 'signed-header-bytes.json');
    const headerValues: string[] = [];
    const handler = createHandler(async (_topic, _value, headers) => {
      headerValues.push(...headers.map(([, v]) => v));
      throw new Error('downstream unavailable');
    });
    const response = await handler(event);
    expect(headerValues.join('')).toContain('ë');
    expect(isKafkaBatchResponse(response)).toBe(true);
    expect(response.batchItemFailures?.[0]?.itemIdentifier).toEqual({
      'topic-partition': expect.stringMatching(/-\d+$/),
      offset: expect.any(Number),
    });
  });

  it('rejects an event that is not a Kafka event', async () => {
    await expect(createHandler(async () => {})({ Records: [] })).rejects.toBeInstanceOf(KafkaEventValidationError);
  });
});

describe('README', () => {
  it('shows examples/handler.ts as it is (below its header comment)', () => {
    const source = readFileSync(path.join(REPO_ROOT, 'examples', 'handler.ts'), 'utf8');
    const code = source.slice(source.indexOf('import type'));
    expect(readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')).toContain(`\`\`\`ts\n${code}\`\`\``);
  });
});
