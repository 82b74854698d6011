/**
 * The one error of binary decoding, for the Avro and Protobuf readers and the framing.
 * Self-contained (no imports): emit/runtime-source.ts copies it into generated codecs.ts.
 */

/**
 * What a generated Avro or Protobuf decoder throws when bytes are not a value of its
 * schema: the offset in the bytes where decoding stopped and what it expected there. The
 * generated payloads.ts turns it into a PayloadDecodeError naming the record.
 */
export class BinaryDecodeError extends Error {
  /** The byte offset (0-based, in the bytes the decoder was given) where decoding stopped. */
  readonly offset: number;
  /** What the decoder expected at `offset`, as a phrase: "a union branch index below 3". */
  readonly expected: string;
  /** What was there instead, when there is something to say: "byte 0x07", "index 5". */
  readonly found: string | undefined;

  constructor(offset: number, expected: string, found?: string) {
    super(`at byte ${offset}: expected ${expected}${found === undefined ? '' : `, found ${found}`}`);
    this.name = 'BinaryDecodeError';
    this.offset = offset;
    this.expected = expected;
    this.found = found;
  }
}
