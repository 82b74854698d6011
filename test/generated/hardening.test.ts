/**
 * The generated API on hostile input: it never throws from a safe function, reads only
 * own properties of plain objects, stops `is*` at the first problem, caps issue lists
 * (and counts the rest), warns about integers JSON.parse has rounded, and decodes only
 * canonical base64. Scaling is asserted with counts (property reads, issues), never times.
 * Expected values are worked out by hand from kafka-event-facts.md.
 */
import { describe, expect, it } from 'vitest';
import {
  batchItemFailure,
  getKafkaEventIssues,
  headersOf,
  headerValue,
  isKafkaEvent,
  isKafkaRecord,
  KafkaEventSchema,
  KafkaEventValidationError,
  KafkaRecordDecodeError,
  keyBytes,
  keyJson,
  keyText,
  parseKafkaEvent,
  processRecords,
  recordsOf,
  safeParseKafkaEvent,
  valueBytes,
  valueJson,
  valueText,
} from '../../generated/index.js';
import type { KafkaEvent, KafkaRecord } from '../../generated/index.js';
import { collectKafkaEventErrors } from '../../generated/validators-all-errors.js';

const ARN = 'arn:aws:kafka:us-east-1:123456789012:cluster/demo/a1b2c3d4-a1b2-4c3d-8e9f-a1b2c3d4e5f6-1';

function record(fields: Partial<Record<keyof KafkaRecord, unknown>> = {}): KafkaRecord {
  return {
    topic: 'mytopic',
    partition: 0,
    offset: 15,
    timestamp: 1_700_000_000_000,
    timestampType: 'CREATE_TIME',
    headers: [],
    ...fields,
  } as KafkaRecord;
}

function event(records: unknown[] = [record()]): KafkaEvent {
  return { eventSource: 'aws:kafka', eventSourceArn: ARN, records: { 'mytopic-0': records } } as KafkaEvent;
}

/** Runs `fn` with `name` set (enumerable) on Object.prototype, and always removes it. */
function withPollutedPrototype<T>(name: string, value: unknown, fn: () => T): T {
  (Object.prototype as Record<string, unknown>)[name] = value;
  try {
    return fn();
  } finally {
    delete (Object.prototype as Record<string, unknown>)[name];
  }
}

describe('safe functions never throw', () => {
  const boom = new Error('boom');
  const throwingGetter = () => {
    const e = event() as unknown as Record<string, unknown>;
    Object.defineProperty(e, 'records', {
      enumerable: true,
      get: () => {
        throw boom;
      },
    });
    return e;
  };
  const throwingNestedGetter = () => {
    const r = record() as unknown as Record<string, unknown>;
    Object.defineProperty(r, 'offset', {
      enumerable: true,
      get: () => {
        throw boom;
      },
    });
    return event([r]);
  };
  const trap = (name: keyof ProxyHandler<object>) =>
    new Proxy(event(), {
      [name]: () => {
        throw boom;
      },
    });
  const recordsTrap = (name: keyof ProxyHandler<object>) => {
    const e = event() as unknown as Record<string, unknown>;
    e['records'] = new Proxy(e['records'] as object, {
      [name]: () => {
        throw boom;
      },
    });
    return e;
  };
  const cases: [string, () => unknown][] = [
    ['a getter that throws (the records)', throwingGetter],
    ["a getter that throws (a record's offset)", throwingNestedGetter],
    ['a Proxy whose get trap throws', () => trap('get')],
    ['a Proxy whose getPrototypeOf trap throws', () => trap('getPrototypeOf')],
    ['records: a Proxy whose ownKeys trap throws', () => recordsTrap('ownKeys')],
    ['records: a Proxy whose getOwnPropertyDescriptor trap throws', () => recordsTrap('getOwnPropertyDescriptor')],
    [
      'a revoked Proxy',
      () => {
        const { proxy, revoke } = Proxy.revocable(event(), {});
        revoke();
        return proxy;
      },
    ],
  ];

  it.each(cases)(
    '%s: is* is false, safeParse and getIssues report it, parse throws the validation error',
    (_name, make) => {
      const value = make();
      expect(isKafkaEvent(value)).toBe(false);
      const result = safeParseKafkaEvent(value);
      expect(result.success).toBe(false);
      if (!result.success)
        expect(result.issues[0]).toMatchObject({ path: '', keyword: 'readable', expected: 'plain JSON data' });
      expect(getKafkaEventIssues(value).length).toBeGreaterThan(0);
      expect(() => parseKafkaEvent(value)).toThrow(KafkaEventValidationError);
      const standard = KafkaEventSchema['~standard'].validate(value);
      expect('issues' in standard && standard.issues?.length).toBeTruthy();
    },
  );

  it('a getter that throws, for the only problem, is named in the issue', () => {
    const result = safeParseKafkaEvent(throwingNestedGetter());
    expect(result.success || result.issues[0]?.received).toContain('Error: boom');
  });
});

describe('only own properties of plain objects count', () => {
  it('Object.create(validEvent) has no own properties: not an event', () => {
    const fake = Object.create(event()) as unknown;
    expect(isKafkaEvent(event())).toBe(true);
    expect(isKafkaEvent(fake)).toBe(false);
    expect(getKafkaEventIssues(fake).map((i) => i.keyword)).toContain('x-plain-object');
  });

  it('Object.create(validRecord) inside an event, or a class instance as a record: not valid', () => {
    expect(isKafkaEvent(event([Object.create(record())]))).toBe(false);
    class Record_ {
      topic = 'mytopic';
      partition = 0;
      offset = 1;
      timestamp = 1;
      timestampType = 'CREATE_TIME';
      headers = [];
    }
    expect(isKafkaEvent(event([new Record_()]))).toBe(false);
    expect(isKafkaEvent(event([{ ...new Record_() }]))).toBe(true);
  });

  it('an object with a null prototype is plain', () => {
    const bare = Object.assign(Object.create(null) as object, record());
    expect(isKafkaEvent(event([bare]))).toBe(true);
  });

  it('a property on a polluted Object.prototype does not stand in for a missing one', () => {
    const { topic: _topic, ...withoutTopic } = record();
    withPollutedPrototype('topic', 'mytopic', () => {
      expect(isKafkaEvent(event([withoutTopic]))).toBe(false);
      expect(getKafkaEventIssues(event([withoutTopic]))[0]).toMatchObject({
        path: '/records/mytopic-0/0/topic',
        keyword: 'required',
      });
      expect(isKafkaEvent(event())).toBe(true);
    });
  });

  it('headersOf and headerValue return own headers only, whatever Object.prototype holds', () => {
    const r = record({ headers: [{ a: [104, 105] }] });
    withPollutedPrototype('injected', [104], () => {
      expect(headersOf(r).map((h) => h.name)).toEqual(['a']);
      expect(headerValue(r, 'injected')).toBeUndefined();
      expect(headerValue(r, 'a')).toBe('hi');
    });
  });
});

/** A deep Proxy over plain JSON data counting every property read (get trap). */
function counted(value: unknown, counter: { reads: number }): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      counter.reads++;
      return counted(Reflect.get(target, key, receiver), counter);
    },
  });
}

describe('scaling: counts, not times', () => {
  const badRecords = (n: number) =>
    Array.from({ length: n }, (_, i) => record({ offset: i, partition: -1, timestampType: 'NOPE' }));

  it('is* stops at the first problem: the same number of property reads for 10 and 10,000 broken records', () => {
    const reads = (n: number) => {
      const counter = { reads: 0 };
      expect(isKafkaEvent(counted(event(badRecords(n)), counter))).toBe(false);
      return counter.reads;
    };
    const few = reads(10);
    expect(few).toBeGreaterThan(0);
    expect(reads(10_000)).toBe(few);
  });

  it('a header of 1,000,000 out-of-range bytes: 100 issues listed, the other 999,900 counted', () => {
    const value = event([record({ headers: [{ h: new Array(1_000_000).fill(300) }] })]);
    expect(isKafkaEvent(value)).toBe(false);
    const result = safeParseKafkaEvent(value);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues).toHaveLength(100);
    expect(result.omitted).toBe(999_900);
    expect(result.issues[0]).toMatchObject({
      path: '/records/mytopic-0/0/headers/0/h/0',
      keyword: 'maximum',
      expected: 'a number <= 127',
    });
    expect(result.issues[99]?.path).toBe('/records/mytopic-0/0/headers/0/h/99');
    expect(() => parseKafkaEvent(value)).toThrow(/\(1000000 issues\): .*; and 999997 more$/);
  });

  it('the cap is configurable, and the collector keeps only as many errors as asked', () => {
    const value = event([record({ headers: [{ h: new Array(10_000).fill(-200) }] })]);
    const five = safeParseKafkaEvent(value, { maxIssues: 5 });
    expect(five.success === false && [five.issues.length, five.omitted]).toEqual([5, 9_995]);
    const none = safeParseKafkaEvent(value, { maxIssues: 0 });
    expect(none.success === false && [none.issues.length, none.omitted]).toEqual([0, 10_000]);
    expect(getKafkaEventIssues(value, { maxIssues: 3 })).toHaveLength(3);
    expect(getKafkaEventIssues(value)).toHaveLength(100);
    const collected = collectKafkaEventErrors(value, 7);
    expect([collected.valid, collected.errors.length, collected.errorCount]).toEqual([false, 7, 10_000]);
    try {
      parseKafkaEvent(value, { maxIssues: 2 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(KafkaEventValidationError);
      expect([
        (error as KafkaEventValidationError).issues.length,
        (error as KafkaEventValidationError).omitted,
      ]).toEqual([2, 9_998]);
    }
  });

  it('20,000 records with several problems each: the issues are capped and the count exact', () => {
    const value = event(badRecords(20_000));
    const result = safeParseKafkaEvent(value);
    // Per record: partition below 0 and an unknown timestampType.
    expect(result.success === false && [result.issues.length, result.omitted]).toEqual([100, 39_900]);
  });
});

describe('integers beyond Number.MAX_SAFE_INTEGER', () => {
  // JSON.parse of 9007199254740993 gives 9007199254740992: the offset Lambda sent is lost.
  const rounded = JSON.parse('9007199254740993') as number;

  it('an offset JSON.parse has rounded: a valid event, parsed with a warning naming its path', () => {
    const value = event([record({ offset: rounded })]);
    expect(rounded).toBe(2 ** 53);
    expect(isKafkaEvent(value)).toBe(true);
    const result = safeParseKafkaEvent(value);
    expect(result.success && result.warnings).toEqual([
      {
        kind: 'unsafe-integer',
        form: 'unsafe-integer',
        path: '/records/mytopic-0/0/offset',
        value: 2 ** 53,
        message: expect.stringContaining('beyond Number.MAX_SAFE_INTEGER'),
      },
    ]);
    expect(parseKafkaEvent(value)).toBe(value);
  });

  it('the largest safe offset gets no warning', () => {
    const result = safeParseKafkaEvent(event([record({ offset: Number.MAX_SAFE_INTEGER })]));
    expect(result.success && result.warnings).toEqual([]);
  });

  it('the batch-response helpers refuse to name a rounded offset; processRecords then throws, so Lambda retries the batch', async () => {
    const value = event([record({ offset: rounded }), record({ offset: 16 })]);
    const [first] = recordsOf(value);
    expect(() => batchItemFailure(first as Parameters<typeof batchItemFailure>[0])).toThrow(RangeError);
    expect(() => batchItemFailure(first as Parameters<typeof batchItemFailure>[0])).toThrow(
      /records\/mytopic-0\/0: offset 9007199254740992 is beyond Number.MAX_SAFE_INTEGER/,
    );
    await expect(
      processRecords(value, () => {
        throw new Error('fail');
      }),
    ).rejects.toThrow(RangeError);
    await expect(processRecords(value, () => undefined)).resolves.toEqual({ batchItemFailures: [] });
  });

  it.each([
    ['2^31 (beyond int32)', 2 ** 31],
    ['2^64', 2 ** 64],
  ])('a partition of %s is invalid (Kafka partitions are int32)', (_name, partition) => {
    const value = event([record({ partition })]);
    expect(isKafkaEvent(value)).toBe(false);
    expect(getKafkaEventIssues(value)).toEqual([
      expect.objectContaining({
        path: '/records/mytopic-0/0/partition',
        keyword: 'maximum',
        expected: 'a number <= 2147483647',
      }),
    ]);
  });

  it('the largest int32 partition is valid', () => {
    expect(isKafkaRecord(record({ partition: 2 ** 31 - 1 }))).toBe(true);
  });
});

describe('keys and values decode only from canonical base64', () => {
  const entryOf = (fields: Partial<Record<keyof KafkaRecord, unknown>>) =>
    recordsOf(event([record(fields)]))[0] as ReturnType<typeof recordsOf>[number];

  it.each([
    ['"!!!!" (no base64 character at all)', '!!!!', /characters outside the base64 alphabet/],
    ['"%%%" (not a multiple of 4)', '%%%', /length \(3\) is not a multiple of 4/],
    ['two encodings glued together', 'eyJhIjoxfQ==eyJhIjoxfQ==', /characters outside the base64 alphabet/],
    ['"@@@not base64@@@"', '@@@not base64@@@', /characters outside the base64 alphabet/],
    ['a space inside', 'QUJ DRA=', /characters outside the base64 alphabet/],
    ['a trailing newline', 'QUJD\n', /not a multiple of 4/],
    ['no padding', 'QUI', /not a multiple of 4/],
    ['too much padding', 'Q===', /characters outside the base64 alphabet/],
    ['bits set under the padding ("QR==" is not "QQ==")', 'QR==', /bits set that the padding drops/],
  ])('%s is a KafkaRecordDecodeError naming the record, for every helper', (_name, text, reason) => {
    for (const side of ['key', 'value'] as const) {
      const entry = entryOf({ [side]: text });
      const helpers = side === 'key' ? [keyBytes, keyText, keyJson] : [valueBytes, valueText, valueJson];
      for (const helper of helpers) {
        let thrown: unknown;
        try {
          helper(entry);
        } catch (error) {
          thrown = error;
        }
        expect(thrown, `${helper.name}(${JSON.stringify(text)})`).toBeInstanceOf(KafkaRecordDecodeError);
        expect((thrown as KafkaRecordDecodeError).location).toBe(`records/mytopic-0/0/${side}`);
        expect((thrown as Error).message).toMatch(reason);
      }
    }
  });

  it('the URL-safe alphabet decodes to the bytes of the standard one (no byte lost or changed; validate reports it)', () => {
    expect([...(valueBytes(entryOf({ value: 'a-b_' })) ?? [])]).toEqual([...Buffer.from('a+b/', 'base64')]);
  });

  it.each([
    ['', []],
    ['QQ==', [0x41]],
    ['QUI=', [0x41, 0x42]],
    ['QUJD', [0x41, 0x42, 0x43]],
    ['AAEC/f7/', [0, 1, 2, 0xfd, 0xfe, 0xff]],
  ])('canonical %j decodes to its bytes', (text, bytes) => {
    expect([...(valueBytes(entryOf({ value: text })) ?? [])]).toEqual(bytes);
    expect([...(keyBytes(entryOf({ key: text })) ?? [])]).toEqual(bytes);
  });
});
