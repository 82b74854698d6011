/**
 * What to tell a person who has one of the forms the reference page and a few
 * libraries spread: what Lambda really sends. (The two documented legacy forms carry
 * their explanation in the schema's `x-legacy-forms` descriptions.)
 */

interface Hint {
  /** JSON pointer the value is at (a regular expression over the path). */
  readonly at: RegExp;
  /** The value as an issue renders it (`string "aws:msk"`). */
  readonly received: string;
  readonly hint: string;
}

const HINTS: readonly Hint[] = [
  {
    at: /^\/eventSource$/,
    received: 'string "aws:msk"',
    hint: 'the reference page says "aws:msk", but no payload has ever carried it: Amazon MSK events have "eventSource": "aws:kafka"',
  },
  {
    at: /^\/eventSource$/,
    received: 'string "aws:SelfManagedKafka"',
    hint: 'two libraries once shipped "aws:SelfManagedKafka"; Lambda sends "eventSource": "SelfManagedKafka" for self-managed Apache Kafka',
  },
  {
    at: /^\/records\/[^/]+\/\d+\/partition$/,
    received: 'string',
    hint: 'the partition is an integer; AWS\'s original 2020 example had the string "0"',
  },
  {
    at: /^\/records\/[^/]+\/\d+\/headers\/\d+\/[^/]+$/,
    received: 'string',
    hint: 'Lambda sends a header value as an array of signed bytes (-128..127), e.g. "ë" is [-61, -85]; a base64 string comes from one SDK\'s test fixture',
  },
];

export function hintFor(path: string, received: string): string | undefined {
  return HINTS.find((h) => h.at.test(path) && (received === h.received || received.startsWith(`${h.received} `)))?.hint;
}
