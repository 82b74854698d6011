/**
 * Schema-registry framing written around an Avro datum or a Protobuf message: the inverse of
 * payload-framing.ts's `unframe`, for what builds test events (the generated testing.ts,
 * which carries this code, and `sample`). The layouts and their sources are in
 * docs/payload-formats.md sections 1 and 2:
 *
 * - without schema metadata, the bytes as a producer's serializer writes them: Confluent
 *   (`00`, the 4-byte big-endian schema id, for Protobuf the message-index array, `[0]` as
 *   the single byte `00`), Glue (`03`, compression `00`, the 16-byte schema version UUID,
 *   for Protobuf the message index as one varint) or nothing. `auto` writes Confluent's.
 * - with schema metadata (`EventRecordFormat: SOURCE`), as the mapping delivers them: the
 *   registry header gone, a Protobuf message index kept in the form of the registry that
 *   `schemaId` names (digits: Confluent, a UUID: Glue).
 */
import { registryOfSchemaId, type FramingExpectation, type SchemaMetadataFields } from './payload-framing.js';

/** The schema ids a raw frame carries: Confluent's number and Glue's schema version UUID. */
export interface FrameSchemaIds {
  readonly confluent: number;
  readonly glue: string;
}

/** The schema ids raw frames carry in test events: Confluent's schema id 1, and a made-up Glue schema version UUID. */
export const DEFAULT_SCHEMA_IDS: FrameSchemaIds = { confluent: 1, glue: '00000000-0000-4000-8000-000000000001' };

/** `body` framed as `expected`'s topic frames it, raw or (with `metadata`) as `EventRecordFormat: SOURCE` delivers it. */
export function frame(
  body: Uint8Array,
  expected: FramingExpectation,
  metadata: SchemaMetadataFields | undefined,
  ids: FrameSchemaIds,
): Uint8Array {
  const protobuf = expected.format === 'protobuf';
  if (metadata !== undefined) {
    const registry = expected.framing === 'auto' ? registryOfSchemaId(metadata.schemaId) : expected.framing;
    if (!protobuf || registry === 'none') return body;
    if (registry === undefined) {
      throw new TypeError(
        `a Protobuf value with schema metadata needs a schemaId of digits (Confluent) or a UUID (Glue), to know the form of its message index; received ${JSON.stringify(metadata.schemaId)}`,
      );
    }
    return concat(registry === 'confluent' ? confluentIndexes(expected) : glueIndex(expected), body);
  }
  const registry = expected.framing === 'auto' ? 'confluent' : expected.framing;
  if (registry === 'none') return body;
  if (registry === 'confluent') {
    const id = ids.confluent;
    const header = [0, (id >>> 24) & 0xff, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff];
    return concat([...header, ...(protobuf ? confluentIndexes(expected) : [])], body);
  }
  const uuid = ids.glue.replace(/-/g, '');
  const header = [3, 0, ...Array.from({ length: 16 }, (_, i) => Number.parseInt(uuid.slice(2 * i, 2 * i + 2), 16))];
  return concat([...header, ...(protobuf ? glueIndex(expected) : [])], body);
}

function concat(head: readonly number[], body: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(head.length + body.length);
  bytes.set(head);
  bytes.set(body, head.length);
  return bytes;
}

/** An unsigned varint of a 32-bit value. */
function varint(out: number[], value: number): void {
  let rest = value >>> 0;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  out.push(rest);
}

/** Confluent's message-index array: zig-zag varints of the count and each index; `[0]` as the single byte 00. */
function confluentIndexes(expected: FramingExpectation): number[] {
  const indexes = expected.confluentIndexes ?? [0];
  const out: number[] = [];
  if (indexes.length === 1 && indexes[0] === 0) return [0];
  const zigzag = (n: number) => ((n << 1) ^ (n >> 31)) >>> 0;
  varint(out, zigzag(indexes.length));
  for (const index of indexes) varint(out, zigzag(index));
  return out;
}

/** Glue's message index: one plain varint. */
function glueIndex(expected: FramingExpectation): number[] {
  const out: number[] = [];
  varint(out, expected.glueIndex ?? 0);
  return out;
}
