/**
 * Emits, when the config declares payloads, `payloads.ts` (decoded record types that
 * narrow by topic, and decoders that validate each key and value with a precompiled
 * validator) and `event.schema.json` (the composed schema, readable and reusable).
 */
import type { PayloadPlan, PayloadsPlan, TopicPlan } from '../core/compose.js';
import type { CodegenModel } from '../core/model.js';
import type { JsonSchemaObject } from '../core/schema-walk.js';
import type { Template } from '../core/templates.js';
import { BANNER_MARK } from './banner.js';
import { collectorName, validatorName } from './validators.js';
import { recordTypeName } from '../core/identifiers.js';
import { literal } from './literal.js';
import { codecsOf } from './codecs.js';
import { codecLabel } from '../core/codecs.js';

const tsType = (payload: PayloadPlan) =>
  payload.typeName !== undefined ? payload.typeName : payload.format === 'string' ? 'string' : 'Uint8Array';

const HOW: Readonly<Record<PayloadPlan['format'], string>> = {
  json: 'parsed and validated',
  avro: 'decoded from Avro (schema-registry framing taken off)',
  protobuf: 'decoded from Protobuf (schema-registry framing taken off)',
  string: '',
  bytes: '',
};

const describe = (side: 'key' | 'value', payload: PayloadPlan) =>
  `The ${side}${payload.typeName !== undefined ? ` as ${payload.typeName}, ${HOW[payload.format]}` : payload.format === 'string' ? ' as UTF-8 text' : "'s bytes"}; null ${side === 'key' ? 'when the record has no key' : 'for a tombstone'}.`;

const decoderPayload = (payload: PayloadPlan) =>
  payload.codec
    ? `{ format: 'binary', type: ${literal(codecLabel(payload.codec))}, decode: ${payload.codec.emitted.decoderName}, framing: ${literal(payload.codec.framing)} }`
    : payload.format === 'json'
      ? `{ format: 'json', type: ${literal(payload.typeName)}, validate: ${validatorName(payload.typeName as string)}, collect: ${collectorName(payload.typeName as string)} }`
      : `{ format: ${literal(payload.format)} }`;

/** `audit-*` -> `` `audit-${string}` ``; topic names hold only [A-Za-z0-9._-] besides `*`. */
const topicType = (topic: TopicPlan) =>
  topic.pattern ? `\`${topic.topic.replace(/\*/g, '${string}')}\`` : literal(topic.topic);

export function emitPayloads(
  model: CodegenModel,
  plan: PayloadsPlan,
  banner: string,
  template: Template,
  topicMatcher: string,
): string {
  const json = plan.topics
    .flatMap((t) => [t.key, t.value])
    .filter((p) => p.format === 'json')
    .map((p) => p.typeName as string);
  const ordered = [...plan.topics.filter((t) => !t.pattern), ...plan.topics.filter((t) => t.pattern)];
  const codecs = codecsOf(plan);
  return template({
    codecTypes: [...new Set(codecs.flatMap((codec) => codec.emitted.typeName))],
    codecDecoders: codecs.map((codec) => codec.emitted.decoderName),
    banner,
    root: { name: model.root.name },
    unknownBytes: plan.unknownTopics === 'bytes',
    payloadTypes: [...new Set(json)],
    payloadValidators: [...new Set(json)].map(validatorName),
    payloadCollectors: [...new Set(json)].map(collectorName),
    topicMatcher: plan.topics.some((t) => t.pattern) ? topicMatcher : undefined,
    topics: plan.topics.map((t) => ({
      recordType: recordTypeName(t.typeBase),
      topic: t.topic,
      description: t.pattern ? `a topic matching "${t.topic}"` : `topic "${t.topic}"`,
      topicType: topicType(t),
      key: { tsType: tsType(t.key), description: describe('key', t.key) },
      value: { tsType: tsType(t.value), description: describe('value', t.value) },
    })),
    decoders: ordered.map((t) => ({
      topic: t.topic,
      matcher: t.parts
        ? `(topic) => matchesTopicPattern(topic, ${literal(t.parts)})`
        : `(topic) => topic === ${literal(t.topic)}`,
      key: decoderPayload(t.key),
      value: decoderPayload(t.value),
    })),
  });
}

/** The composed schema as a file: its first property says where it comes from (JSON has no comments). */
export function emitComposedSchema(schema: JsonSchemaObject, schemaDisplay: string, regenerateCommand: string): string {
  const { $schema, ...rest } = schema;
  const comment = `${BANNER_MARK.slice(3)} from ${schemaDisplay} and the payload schemas in msk-codegen.config.json. DO NOT EDIT: regenerate with ${regenerateCommand}`;
  return `${JSON.stringify({ $comment: comment, ...($schema !== undefined ? { $schema } : {}), ...rest }, null, 2)}\n`;
}
