/** schema/examples/ ships with the package for the scaffolded tests: the same events as the test fixtures. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKafkaEvent, safeParseKafkaEvent } from '../../generated/index.js';
import { REPO_ROOT } from '../helpers.js';

const read = (...segments: string[]) => readFileSync(path.join(REPO_ROOT, ...segments), 'utf8');

describe('schema/examples', () => {
  it.each([
    ['managed-kafka.json', 'test/fixtures/documented/managed-kafka.json'],
    ['another-managed-kafka.json', 'test/fixtures/documented/another-managed-kafka.json'],
    ['tombstone.json', 'test/fixtures/events/valid/tombstone-value-null.json'],
    ['multi-partition.json', 'test/fixtures/events/valid/several-topics-and-partitions.json'],
  ])('%s is byte for byte %s', (example, fixture) => {
    expect(read('schema', 'examples', example)).toBe(read(fixture));
  });

  it('the documented examples parse (with legacy-form warnings); the others are canonical', () => {
    for (const name of ['managed-kafka.json', 'another-managed-kafka.json']) {
      const result = safeParseKafkaEvent(JSON.parse(read('schema', 'examples', name)));
      expect(result.success && result.warnings.length).toBe(1);
    }
    for (const name of ['tombstone.json', 'multi-partition.json'])
      expect(isKafkaEvent(JSON.parse(read('schema', 'examples', name)))).toBe(true);
  });
});
