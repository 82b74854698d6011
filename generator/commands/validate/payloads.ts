/**
 * `validate`'s check of typed payloads: each record's key and value decoded as
 * msk-codegen.config.json declares its topic, as the generated payloads.ts decodes it
 * (decodeRecord): the entry matching the topic (exact names before patterns), then for
 * `json` the schema-registry data format, strict UTF-8, JSON.parse and the payload's
 * precompiled validator; `string` is UTF-8 text and `bytes` any bytes. The decoding steps
 * are runtime/payload-decode.ts's; the validators are the modules `generate` emits. Each
 * problem is a finding at the base64 string in the file, naming the path inside the
 * payload (`records/orders-0/3/value/items/0/quantity: expected a number >= 1, ...`).
 * Runs only on events whose envelope is valid.
 */
import { Buffer } from 'node:buffer';
import type { PayloadPlan, PayloadsPlan, TopicPlan } from '../../core/compose.js';
import { joinPointer } from '../../core/json-pointer.js';
import { base64Problem } from '../../runtime/base64.js';
import { collectIssues, type IssueContext } from '../../runtime/issues.js';
import type { ErrorCollector, Validator } from '../../runtime/validator.js';
import {
  dataFormatReason,
  entryForTopic,
  inMatchOrder,
  notUtf8,
  parseJsonPayload,
  unknownTopicReason,
} from '../../runtime/payload-decode.js';
import { matchesTopicPattern } from '../../runtime/topic-pattern.js';
import type { BinaryDecodeError } from '../../runtime/binary-decode-error.js';
import { decodeFailure, unframe, type SchemaMetadataFields, type Unframed } from '../../runtime/payload-framing.js';
import type { Finding } from './index.js';
import { codecLabel } from '../../core/codecs.js';

/** A config entry, in the order decoding tries them, with its matcher. */
export interface TopicEntry extends TopicPlan {
  readonly matches: (topic: string) => boolean;
}

/** The plan's entries in match order (exact names first, then patterns), each with its matcher (matchesTopicPattern for patterns). */
export function topicEntries(plan: PayloadsPlan): readonly TopicEntry[] {
  return inMatchOrder(
    plan.topics.map((topic) => ({
      ...topic,
      matches: topic.parts
        ? (name: string) => matchesTopicPattern(name, topic.parts as readonly string[])
        : (name: string) => name === topic.topic,
    })),
  );
}

/** What the payloads of one event hold, within a limit of listed findings. */
export interface PayloadReport {
  /** At most the limit's findings, in record order (key before value). */
  readonly findings: readonly Finding[];
  /** Findings beyond those listed, counted. */
  readonly omitted: number;
  /** Errors found, listed or not: the event is invalid when there is one. */
  readonly errors: number;
  /** Warnings found, listed or not. */
  readonly warnings: number;
}

export interface PayloadChecker {
  readonly entries: readonly TopicEntry[];
  readonly unknownTopics: 'reject' | 'bytes';
  /** Checks the payloads of `event` (an event whose envelope is valid), listing at most `limit` findings. */
  check(event: unknown, limit: number): PayloadReport;
}

export interface PayloadValidators {
  /** The first-error validator of a payload type (`validateOrder`). */
  validator(typeName: string): Validator;
  /** The error collector of a payload type (`collectOrderErrors`), compiled on first need. */
  collector(typeName: string): ErrorCollector;
  /** For issue messages, as the generated parse.ts words them. */
  readonly context: IssueContext;
  /** The generated decoder of an Avro or Protobuf payload (`decodeUserAvro`), from the codecs module generate emits. */
  decoder(decoderName: string): (bytes: Uint8Array) => unknown;
}

interface KafkaRecordLike {
  readonly topic: string;
  readonly key?: unknown;
  readonly value?: unknown;
  readonly keySchemaMetadata?: { readonly dataFormat?: unknown; readonly schemaId?: unknown };
  readonly valueSchemaMetadata?: { readonly dataFormat?: unknown; readonly schemaId?: unknown };
}

/** Schema metadata as unframe reads it: only string fields count (the envelope's schema checked their types). */
function metadataFields(metadata: KafkaRecordLike['keySchemaMetadata']): SchemaMetadataFields | undefined {
  if (metadata === undefined || metadata === null) return undefined;
  return {
    dataFormat: typeof metadata.dataFormat === 'string' ? metadata.dataFormat : undefined,
    schemaId: typeof metadata.schemaId === 'string' ? metadata.schemaId : undefined,
  };
}

const preview = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

export function payloadChecker(plan: PayloadsPlan, validators: PayloadValidators): PayloadChecker {
  const entries = topicEntries(plan);
  const declared = entries.map((e) => JSON.stringify(e.topic)).join(', ');
  return {
    entries,
    unknownTopics: plan.unknownTopics,
    check(event, limit) {
      const findings: Finding[] = [];
      let omitted = 0;
      let errors = 0;
      let warnings = 0;
      const room = () => Math.max(0, Math.floor(limit) - findings.length);
      const add = (finding: Finding) => {
        if (finding.severity === 'error') errors++;
        else warnings++;
        if (room() > 0) findings.push(finding);
        else omitted++;
      };

      const side = (
        record: KafkaRecordLike,
        entry: TopicEntry,
        which: 'key' | 'value',
        location: string,
        pointer: string,
      ) => {
        const encoded = record[which];
        const payload: PayloadPlan = entry[which];
        if (typeof encoded !== 'string' || payload.format === 'bytes') return;
        const bytes = Buffer.from(encoded, 'base64');
        // Not canonical base64: already an invalid-base64 error at this value.
        if (base64Problem(encoded, bytes.length) !== undefined) return;
        const text = bytes.toString('utf8');
        const where = `${location}/${which}`;
        const at = joinPointer(pointer, which);
        const declaredAs = `topic ${JSON.stringify(record.topic)} is declared ${payload.format} in msk-codegen.config.json${entry.pattern ? ` (by ${JSON.stringify(entry.topic)})` : ''}`;
        if (payload.codec) {
          // As the generated payloads.ts decodes it: framing off (the same runtime code), then the generated decoder.
          const metadata = metadataFields(which === 'key' ? record.keySchemaMetadata : record.valueSchemaMetadata);
          let framing: Partial<Unframed> = {};
          try {
            framing = unframe(bytes, payload.codec.framing, metadata);
            validators.decoder(payload.codec.emitted.decoderName)(framing.body as Uint8Array);
          } catch (error) {
            if (!(error instanceof Error) || error.name !== 'BinaryDecodeError') throw error;
            const failure = error as BinaryDecodeError;
            const { offset, message } = decodeFailure(codecLabel(payload.codec), failure, framing, bytes);
            add({
              severity: 'error',
              code: 'payload-decode',
              message: `${where}: ${message}`,
              path: at,
              expected: failure.expected,
              received: failure.found ?? `bytes that end or differ at byte ${offset}`,
              hint: `${declaredAs}: decodeRecords throws PayloadDecodeError for this record`,
            });
          }
          return;
        }
        if (payload.format === 'string') {
          if (notUtf8(bytes, text)) {
            add({
              severity: 'warning',
              code: 'payload-not-utf8',
              message: `${where}: not UTF-8 text`,
              path: at,
              expected: 'UTF-8 text',
              received: `bytes that are not UTF-8 (decoded leniently: ${preview(text)})`,
              hint: `${declaredAs}: decodeRecords replaces each byte sequence that is not UTF-8 with U+FFFD`,
            });
          }
          return;
        }
        const metadata = which === 'key' ? record.keySchemaMetadata : record.valueSchemaMetadata;
        const dataFormat = metadata?.dataFormat;
        const formatReason = dataFormatReason(which, dataFormat, record.topic);
        const thrown = `decodeRecords throws KafkaRecordDecodeError for this record`;
        if (formatReason !== undefined) {
          add({
            severity: 'error',
            code: 'payload-data-format',
            message: `${where}: ${formatReason}`,
            path: at,
            expected: 'JSON text (no schema-registry metadata, or dataFormat JSON)',
            received: `dataFormat ${String(dataFormat)}`,
            hint: thrown,
          });
          return;
        }
        const decoded = parseJsonPayload(bytes, text);
        if (!decoded.ok) {
          add({
            severity: 'error',
            code: `payload-${decoded.problem}`,
            message: `${where}: ${decoded.reason}`,
            path: at,
            expected: `JSON text (UTF-8)${payload.typeName ? ` of a ${payload.typeName}` : ''}`,
            received:
              decoded.problem === 'not-utf8'
                ? `bytes that are not UTF-8 (decoded leniently: ${preview(text)})`
                : `text ${preview(text)}`,
            hint: `${declaredAs}: ${thrown}`,
          });
          return;
        }
        const typeName = payload.typeName as string;
        if (validators.validator(typeName)(decoded.value)) return;
        const collect = validators.collector(typeName);
        const space = room();
        if (space === 0) {
          // Nothing more is listed: only counted, with no error objects built.
          const count = Math.max(1, collect(decoded.value, 0).errorCount);
          errors += count;
          omitted += count;
          return;
        }
        const { issues, omitted: more } = collectIssues(collect, decoded.value, validators.context, space);
        for (const issue of issues) {
          const where_ = issue.path === '' ? '/' : issue.path;
          add({
            severity: 'error',
            code: `payload.${issue.keyword}`,
            message: `${where}${issue.path}: ${issue.message.slice(where_.length + 2)}`,
            path: at,
            payloadPath: issue.path,
            expected: issue.expected,
            received: issue.received,
            hint: `not a valid ${typeName}: decodeRecords throws PayloadValidationError for this record`,
          });
        }
        if (issues.length === 0) errors++;
        errors += more;
        omitted += more;
      };

      const records = (event as { records: Record<string, readonly KafkaRecordLike[]> }).records;
      for (const topicPartition of Object.keys(records)) {
        const list = records[topicPartition] ?? [];
        for (let index = 0; index < list.length; index++) {
          const record = list[index] as KafkaRecordLike;
          const location = `records/${topicPartition}/${index}`;
          const pointer = joinPointer('/records', topicPartition, index);
          const entry = entryForTopic(record.topic, entries);
          if (entry) {
            side(record, entry, 'key', location, pointer);
            side(record, entry, 'value', location, pointer);
          } else if (plan.unknownTopics === 'reject') {
            add({
              severity: 'error',
              code: 'payload-unknown-topic',
              message: `${location}: ${unknownTopicReason(record.topic)}`,
              path: joinPointer(pointer, 'topic'),
              expected: `a topic msk-codegen.config.json declares (${declared})`,
              received: `string ${JSON.stringify(record.topic)}`,
              hint: 'decodeRecords throws KafkaRecordDecodeError for this record: declare the topic under "topics", or set "unknownTopics": "bytes" to pass such records through undecoded',
            });
          }
        }
      }
      return { findings, omitted, errors, warnings };
    },
  };
}
