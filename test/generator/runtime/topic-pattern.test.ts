/**
 * Topic patterns (`orders-*`) match in linear time, both in the generated payloads.ts
 * (matchesTopicPattern, no regular expression) and in the composed schema's `pattern`
 * (topicPatternRegex, no backtracking), and agree with a reference glob matcher written
 * here independently (dynamic programming over pattern and topic).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topicPatternParts, topicPatternRegex } from '../../../generator/core/compose.js';
import { matchesTopicPattern } from '../../../generator/runtime/topic-pattern.js';
import { CONFIG_FILE_NAME, generate, resolveConfig, writeGeneratedFiles } from '../../../generator/index.js';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { EMBEDDED_SCHEMA_PATH, tempDir } from '../../helpers.js';
import { importGenerated } from '../../load-generated.js';

/** Whether `topic` matches `pattern` (`*` = any characters): the textbook O(n·m) table, no shortcuts. */
function referenceGlob(pattern: string, topic: string): boolean {
  let row = Array.from({ length: topic.length + 1 }, (_, j) => j === 0);
  for (const p of pattern) {
    const next = [p === '*' && row[0] === true];
    for (let j = 1; j <= topic.length; j++)
      next[j] = p === '*' ? row[j] === true || next[j - 1] === true : row[j - 1] === true && topic[j - 1] === p;
    row = next;
  }
  return row[topic.length] === true;
}

const ADVERSARIAL: [string, string][] = [
  ['x*x*x*x*x*x*x*x*x*x*y', 'x'.repeat(249)],
  ['x*x*x*x*x*x*x*x*x*x*y', `${'x'.repeat(248)}y`],
  ['*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(249)],
  ['a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a', 'a'.repeat(249)],
  ['*-*-*-*-*-*-*-*-*-*-*.', '-'.repeat(249)],
];

describe('topic patterns', () => {
  it.each([
    ['orders-*', 'orders-eu', true],
    ['orders-*', 'orders-', true],
    ['orders-*', 'orders', false],
    ['*-eu', 'orders-eu', true],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['a.b*', 'aXb', false],
    ['*', '', true],
    ['**x**', 'x', true],
    ...ADVERSARIAL.map(([p, t]): [string, string, boolean] => [p, t, referenceGlob(p, t)]),
  ])('%s against %s: %s, in the matcher and in the schema pattern', (pattern, topic, expected) => {
    expect(referenceGlob(pattern, topic)).toBe(expected);
    const parts = topicPatternParts(pattern);
    expect(matchesTopicPattern(topic, parts)).toBe(expected);
    expect(new RegExp(topicPatternRegex(parts), 'u').test(topic)).toBe(expected);
  });

  it('agree with the reference on random patterns and topics', () => {
    const chars = fc.constantFrom('a', 'b', '-', '.');
    fc.assert(
      fc.property(
        fc.string({ unit: fc.oneof(chars, fc.constant('*')), maxLength: 12 }),
        fc.string({ unit: chars, maxLength: 30 }),
        (pattern, topic) => {
          const parts = topicPatternParts(pattern);
          const expected = referenceGlob(pattern, topic);
          expect(matchesTopicPattern(topic, parts)).toBe(expected);
          expect(new RegExp(topicPatternRegex(parts), 'u').test(topic)).toBe(expected);
        },
      ),
      { seed: 4, numRuns: 3000 },
    );
  });

  it('the matcher does a bounded number of steps: one indexOf per middle part, whatever the topic', () => {
    const indexOf = String.prototype.indexOf;
    let calls = 0;
    String.prototype.indexOf = function (this: string, ...args: Parameters<string['indexOf']>) {
      calls++;
      return indexOf.apply(this, args);
    };
    try {
      for (const [pattern, topic] of ADVERSARIAL) {
        calls = 0;
        matchesTopicPattern(topic, topicPatternParts(pattern));
        expect(calls).toBeLessThanOrEqual(topicPatternParts(pattern).length - 2);
      }
    } finally {
      String.prototype.indexOf = indexOf;
    }
  });

  it('the schema pattern has no quantifier that can backtrack over another: each middle part sits in a lookahead', () => {
    const regex = topicPatternRegex(topicPatternParts('x*x*y'));
    expect(regex).toBe('^x(?=([\\s\\S]*?x))\\1[\\s\\S]*y$');
    // Outside the lookaheads, one unbounded quantifier at most: a linear scan for the suffix.
    const outside = regex.replace(/\(\?=\(\[\\s\\S\]\*\?[^)]*\)\)\\\d+/g, '');
    expect(outside.match(/\*/g)).toHaveLength(1);
  });

  it('generated code with an adversarial pattern validates and decodes a 249-character topic', async () => {
    const dir = await tempDir();
    const pattern = 'x*x*x*x*x*x*x*x*x*x*y';
    await writeFile(
      path.join(dir, CONFIG_FILE_NAME),
      JSON.stringify({ topics: { [pattern]: { value: { format: 'string' } } }, unknownTopics: 'bytes' }),
    );
    const config = await resolveConfig({ cwd: dir });
    const out = path.join(dir, 'generated');
    await writeGeneratedFiles(
      out,
      await generate({
        schema: EMBEDDED_SCHEMA_PATH,
        topics: config.topics,
        unknownTopics: config.unknownTopics,
        configFile: config.configFile as string,
      }),
    );
    const api = await importGenerated(out);
    const typeGuard = Object.keys(api).find((name) => /^isX.*KafkaRecord$/.test(name)) as string;
    const record = (topic: string) => ({
      topic,
      partition: 0,
      offset: 1,
      timestamp: 1,
      timestampType: 'CREATE_TIME',
      value: 'aGk=',
      headers: [],
    });
    expect(api[typeGuard](record('x'.repeat(249)))).toBe(false);
    expect(api[typeGuard](record(`${'x'.repeat(248)}y`))).toBe(true);
    const event = {
      eventSource: 'SelfManagedKafka',
      records: { 'a-0': [record('x'.repeat(249)), record(`${'x'.repeat(248)}y`)] },
    };
    expect(
      api['decodeRecords'](event).map((r: { payload: string | null; value: unknown }) => [r.payload, typeof r.value]),
    ).toEqual([
      [null, 'object'],
      [pattern, 'string'],
    ]);
  });
});
