/**
 * Emits `testing.ts`: `kafkaEvent()` and friends, which build events from readable records
 * for tests, with each declared topic's key and value typed by its payload (from the
 * config's payloads plan), and encode them the way Lambda does.
 */
import Handlebars from 'handlebars';
import * as path from 'node:path';
import type { PayloadPlan, PayloadsPlan, TopicPlan } from '../core/compose.js';
import type { CodegenModel } from '../core/model.js';
import { testRecordTypeName } from '../core/identifiers.js';
import { TEMPLATES_DIR } from '../core/package-root.js';
import { compileTemplate, readTemplate } from '../core/templates.js';
import { literal } from './literal.js';

export const TESTING_TEMPLATE = path.join(TEMPLATES_DIR, 'testing.ts.hbs');

export { TESTING_TYPES, hasTestingHelpers } from './registry.js';

/** Payload types are imported as `Payloads.X`: a payload type may have any name, even one this file declares. */
const tsType = (payload: PayloadPlan) =>
  payload.format === 'json'
    ? `Payloads.${payload.typeName as string}`
    : payload.format === 'string'
      ? 'string'
      : 'Uint8Array';

const describeSide = (side: 'key' | 'value', payload: PayloadPlan) =>
  `The ${side}: ${payload.format === 'json' ? `a ${payload.typeName as string}, sent as JSON text` : payload.format === 'string' ? 'text, sent as UTF-8' : payload.codec ? `the ${payload.format === 'avro' ? 'Avro' : 'Protobuf'} bytes of a ${payload.typeName as string}, framed as the topic's records are, sent as given` : 'bytes, sent as given'}.`;

/** `audit-*` -> `` `audit-${string}` ``; topic names hold only [A-Za-z0-9._-] besides `*`. */
const topicType = (topic: TopicPlan) =>
  topic.pattern ? `\`${topic.topic.replace(/\*/g, '${string}')}\`` : literal(topic.topic);

export async function emitTesting(
  model: CodegenModel,
  banner: string,
  payloads: PayloadsPlan | undefined,
  topicMatcher: string,
): Promise<string> {
  const hb = Handlebars.create();
  hb.registerHelper('literal', (value: unknown) => literal(value));
  const template = compileTemplate(hb, TESTING_TEMPLATE, await readTemplate(TESTING_TEMPLATE));
  const topics = payloads?.topics ?? [];
  const payloadTypes = [
    ...new Set(
      topics
        .flatMap((t) => [t.key, t.value])
        .filter((p) => p.format === 'json')
        .map((p) => p.typeName as string),
    ),
  ];
  // The record type of undeclared topics, named unlike every topic's `<Topic>TestRecord`.
  let otherRecordType = 'OtherTopicTestRecord';
  while (topics.some((t) => testRecordTypeName(t.typeBase) === otherRecordType))
    otherRecordType = `Undeclared${otherRecordType}`;
  const ordered = [...topics.filter((t) => !t.pattern), ...topics.filter((t) => t.pattern)];
  return template({
    banner,
    root: { name: model.root.name },
    payloadTypes,
    otherRecordType,
    unknownBytes: payloads?.unknownTopics === 'bytes',
    topicMatcher: topics.some((t) => t.pattern) ? topicMatcher : undefined,
    topics:
      topics.length === 0
        ? undefined
        : topics.map((t) => ({
            testRecordType: testRecordTypeName(t.typeBase),
            description: t.pattern ? `a topic matching "${t.topic}"` : `topic "${t.topic}"`,
            topicType: topicType(t),
            key: { tsType: tsType(t.key), description: describeSide('key', t.key) },
            value: { tsType: tsType(t.value), description: describeSide('value', t.value) },
          })),
    decoders: ordered.map((t) => ({
      matcher: t.parts
        ? `(topic) => matchesTopicPattern(topic, ${literal(t.parts)})`
        : `(topic) => topic === ${literal(t.topic)}`,
      keyJson: t.key.format === 'json',
      valueJson: t.value.format === 'json',
    })),
  });
}
