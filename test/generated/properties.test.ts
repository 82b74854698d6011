/**
 * Property-based tests (fast-check) of the generated API against the facts: random
 * valid events are accepted by is*, parse* and the record helpers; every single
 * mutation that breaks a fact is rejected by each check that owns it; safeParse never
 * throws on any JSON value or hostile object; inputs are never mutated; Object.prototype
 * is unchanged afterwards. Seeded, so a failure reproduces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  batchResponse,
  getKafkaEventIssues,
  headersOf,
  isKafkaBatchResponse,
  isKafkaEvent,
  KafkaEventValidationError,
  KafkaRecordDecodeError,
  keyBytes,
  parseKafkaEvent,
  recordsOf,
  safeParseKafkaEvent,
  valueBytes,
} from '../../generated/index.js';
import { kafkaEvent, kafkaEventWithRecords, MUTATIONS } from '../kafka-arbitraries.js';

const RUNS = { seed: 20261201, numRuns: 300 };

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** Object.prototype's own property names and descriptors, to prove it unchanged. */
function prototypeState(): string {
  return Reflect.ownKeys(Object.prototype)
    .map(
      (key) =>
        `${String(key)}:${JSON.stringify(Object.getOwnPropertyDescriptor(Object.prototype, key), (_k, v: unknown) => (typeof v === 'function' ? v.name : v))}`,
    )
    .join('\n');
}

describe('random valid events built from the facts', () => {
  it('are accepted by isKafkaEvent, parseKafkaEvent (as is) and safeParseKafkaEvent (no warnings), with no issues', () => {
    fc.assert(
      fc.property(kafkaEvent, (event) => {
        expect(isKafkaEvent(event)).toBe(true);
        expect(getKafkaEventIssues(event)).toEqual([]);
        expect(parseKafkaEvent(event)).toBe(event);
        expect(safeParseKafkaEvent(event)).toEqual({ success: true, data: event, warnings: [] });
      }),
      RUNS,
    );
  });

  it('decode with every record helper, and a batch response naming all their records is a valid KafkaBatchResponse', () => {
    fc.assert(
      fc.property(kafkaEvent, (event) => {
        const entries = recordsOf(event);
        for (const entry of entries) {
          keyBytes(entry);
          valueBytes(entry);
          expect(headersOf(entry.record).length).toBe(entry.record.headers.length);
        }
        expect(isKafkaBatchResponse(batchResponse(entries))).toBe(true);
      }),
      RUNS,
    );
  });
});

describe.each(MUTATIONS)('breaking the fact "$fact"', (mutation) => {
  it(
    mutation.rejectedBy === 'schema'
      ? 'is rejected by isKafkaEvent, safeParseKafkaEvent and parseKafkaEvent'
      : 'is rejected by the record helpers',
    () => {
      fc.assert(
        fc.property(kafkaEventWithRecords, (valid) => {
          const broken = structuredClone(valid);
          mutation.apply(broken as Parameters<typeof mutation.apply>[0]);
          if (mutation.rejectedBy === 'schema') {
            expect(isKafkaEvent(broken)).toBe(false);
            const result = safeParseKafkaEvent(broken);
            expect(result.success).toBe(false);
            expect(() => parseKafkaEvent(broken)).toThrow(KafkaEventValidationError);
          } else {
            expect(isKafkaEvent(broken)).toBe(true); // the schema does not check base64 (too costly); the helpers do
            const [entry] = recordsOf(broken as never);
            expect(() => {
              keyBytes(entry as never);
              valueBytes(entry as never);
            }).toThrow(KafkaRecordDecodeError);
          }
        }),
        { ...RUNS, numRuns: 60 },
      );
    },
  );
});

/** Objects that fight back: getters that throw or lie, Proxies, exotic prototypes. */
const hostile = fc.oneof(
  fc.anything({
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withSparseArray: true,
    withNullPrototype: true,
  }),
  kafkaEvent.map(
    (event) =>
      new Proxy(event, {
        get: (t, k, r) =>
          k === 'records' ? Reflect.get(t, k, r) : Math.random() < 0.5 ? undefined : Reflect.get(t, k, r),
      }),
  ),
  kafkaEvent.map((event) => {
    let reads = 0;
    return Object.defineProperty({ ...event }, 'records', {
      enumerable: true,
      get: () => (reads++ > 0 ? { 'x-1': 'changed' } : event.records),
    });
  }),
  kafkaEvent.map((event) =>
    Object.defineProperty({ ...event }, 'eventSource', {
      enumerable: true,
      get: () => {
        throw new TypeError('no');
      },
    }),
  ),
  kafkaEvent.map(
    (event) =>
      new Proxy(event, {
        ownKeys: () => {
          throw new Error('trap');
        },
        getPrototypeOf: () => {
          throw new Error('trap');
        },
      }),
  ),
  kafkaEvent.map((event) => Object.create(event) as unknown),
);

describe('safeParseKafkaEvent', () => {
  it('never throws on any JSON value, always answering success or issues', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = safeParseKafkaEvent(value);
        expect(typeof result.success).toBe('boolean');
        if (!result.success) expect(result.issues.length + result.omitted).toBeGreaterThan(0);
      }),
      { ...RUNS, numRuns: 1000 },
    );
  });

  it('never throws on hostile objects; isKafkaEvent and getKafkaEventIssues neither', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        expect(() => safeParseKafkaEvent(value)).not.toThrow();
        expect(() => isKafkaEvent(value)).not.toThrow();
        expect(() => getKafkaEventIssues(value)).not.toThrow();
        try {
          parseKafkaEvent(value);
        } catch (error) {
          expect(error).toBeInstanceOf(KafkaEventValidationError);
        }
      }),
      { ...RUNS, numRuns: 500 },
    );
  });

  it('never mutates its input (deep-frozen), valid or broken, and leaves Object.prototype as it was', () => {
    const before = prototypeState();
    fc.assert(
      fc.property(kafkaEventWithRecords, fc.constantFrom(...MUTATIONS), fc.boolean(), (valid, mutation, breakIt) => {
        const input = structuredClone(valid);
        if (breakIt) mutation.apply(input as Parameters<typeof mutation.apply>[0]);
        const copy = structuredClone(input);
        deepFreeze(input);
        safeParseKafkaEvent(input);
        isKafkaEvent(input);
        getKafkaEventIssues(input);
        try {
          parseKafkaEvent(input);
        } catch {
          // rejected: what matters is that nothing changed
        }
        expect(input).toEqual(copy);
      }),
      { ...RUNS, numRuns: 500 },
    );
    expect(prototypeState()).toBe(before);
  });
});
