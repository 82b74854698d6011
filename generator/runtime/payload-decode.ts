/**
 * Decoding a record's key or value as msk-codegen.config.json declares it, after base64:
 * which topic entry applies (exact names before patterns, each in config order), and for
 * a `json` payload the steps the generated payloads.ts takes (the schema-registry data
 * format, strict UTF-8, JSON.parse), each with the reason it fails, worded as the
 * generated KafkaRecordDecodeError words it. Used by `validate` and `sample`. Written to be
 * copied into generated code like topic-pattern.ts and base64.ts, so it stays
 * self-contained: no imports, and no Node API but the global TextDecoder.
 */

export type PayloadFormat = 'json' | 'string' | 'bytes';
export type PayloadSide = 'key' | 'value';

/** The entries in the order they are tried: exact names first, then patterns, each in config order. */
export function inMatchOrder<T extends { readonly pattern: boolean }>(entries: readonly T[]): T[] {
  return [...entries.filter((entry) => !entry.pattern), ...entries.filter((entry) => entry.pattern)];
}

/** The first of `ordered` (entries in match order) whose `matches` accepts `topic`. */
export function entryForTopic<T extends { readonly matches: (topic: string) => boolean }>(
  topic: string,
  ordered: readonly T[],
): T | undefined {
  for (const entry of ordered) if (entry.matches(topic)) return entry;
  return undefined;
}

/** Why a record of `topic`, which no entry matches, is not decoded when unknown topics are rejected. */
export function unknownTopicReason(topic: string): string {
  return `topic ${JSON.stringify(topic)} has no payload declared in msk-codegen.config.json ("unknownTopics": "reject")`;
}

/**
 * Why a `json` key or value whose schema-registry metadata says `dataFormat` cannot be
 * parsed as JSON text (Avro or Protobuf bytes); undefined when there is no metadata or it says JSON.
 */
export function dataFormatReason(side: PayloadSide, dataFormat: unknown, topic: string): string | undefined {
  if (dataFormat === undefined || dataFormat === 'JSON') return undefined;
  return `${side}SchemaMetadata.dataFormat is ${String(dataFormat)}, but topic ${JSON.stringify(topic)} is declared json in msk-codegen.config.json: the bytes are ${String(dataFormat)}, not JSON text`;
}

/**
 * Whether `bytes` are not UTF-8, given `text`, their lenient decoding (Node's Buffer, like
 * TextDecoder without `fatal`, turns each bad sequence into U+FFFD): only text holding a
 * U+FFFD is decoded again, strictly.
 */
export function notUtf8(bytes: Uint8Array, text: string): boolean {
  if (!text.includes('\uFFFD')) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return false;
  } catch {
    return true;
  }
}

/** A `json` payload's bytes as a value, or why they are not JSON. */
export type JsonDecoding =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problem: 'not-utf8' | 'not-json'; readonly reason: string };

/** The JSON value in `bytes` (given `text`, their lenient UTF-8 decoding): strict UTF-8, then JSON.parse, never a fallback to the text. */
export function parseJsonPayload(bytes: Uint8Array, text: string): JsonDecoding {
  if (notUtf8(bytes, text)) return { ok: false, problem: 'not-utf8', reason: 'not JSON: the bytes are not UTF-8 text' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, problem: 'not-json', reason: `not JSON: ${(error as Error).message}` };
  }
}
