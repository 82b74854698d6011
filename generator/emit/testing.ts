/**
 * Emits `testing.ts`: `kafkaEvent()` and friends, which build events from readable records
 * for tests, with each declared topic's key and value typed by its payload (from the
 * config's payloads plan), and encode them the way Lambda does.
 */
import Handlebars from 'handlebars';
import * as path from 'node:path';
import type { PayloadPlan, PayloadsPlan, TopicPlan } from '../core/compose.js';
import type { BinaryCodecPlan } from '../core/codecs.js';
import type { CodegenModel } from '../core/model.js';
import { testRecordTypeName } from '../core/identifiers.js';
import { TEMPLATES_DIR } from '../core/package-root.js';
import { compileTemplate, readTemplate } from '../core/templates.js';
import { literal } from './literal.js';
import { testEncodersSource } from './runtime-source.js';

export const TESTING_TEMPLATE = path.join(TEMPLATES_DIR, 'testing.ts.hbs');

export { TESTING_TYPES, hasTestingHelpers } from './registry.js';

/** Payload types are imported as `Payloads.X` (and `Codecs.X`): a payload type may have any name, even one this file declares. */
const tsType = (payload: PayloadPlan) =>
  payload.codec
    ? `Codecs.${payload.codec.emitted.typeName}`
    : payload.format === 'json'
      ? `Payloads.${payload.typeName as string}`
      : payload.format === 'string'
        ? 'string'
        : 'Uint8Array';

const describeSide = (side: 'key' | 'value', payload: PayloadPlan) =>
  `The ${side}: ${payload.codec ? `a ${payload.codec.emitted.typeName}, sent as its ${payload.format === 'avro' ? 'Avro' : 'Protobuf'} bytes framed as the topic's ${framingNote(payload.codec)}` : payload.format === 'json' ? `a ${payload.typeName as string}, sent as JSON text` : payload.format === 'string' ? 'text, sent as UTF-8' : 'bytes, sent as given'}.`;

/** How a codec's test values are framed, in words. */
function framingNote(codec: BinaryCodecPlan): string {
  const raw =
    codec.framing.framing === 'none'
      ? 'no framing'
      : codec.framing.framing === 'glue'
        ? "Glue's framing"
        : `Confluent's framing${codec.framing.framing === 'auto' ? ' (the topic says auto)' : ''}`;
  return `(${raw}; with schema metadata on the record, as EventRecordFormat SOURCE delivers it)`;
}

/** The constant holding a codec's writer schema in testing.ts: `orderAvroSchema`. */
const writerConstant = (codec: BinaryCodecPlan) =>
  `${codec.emitted.typeName.replace(/^[A-Z]+(?=[A-Z][a-z]|[0-9_]|$)|^[A-Z]/, (head) => head.toLowerCase())}${codec.format === 'avro' ? 'Avro' : 'Protobuf'}Schema`;

/** How testing.ts encodes a side: as JSON, by a codec (source code of a SideEncoding), or as given. */
function sideEncoding(payload: PayloadPlan): string {
  if (payload.codec) {
    const writer = payload.codec.writer;
    const encode =
      writer.format === 'avro'
        ? `avroEncode(${writerConstant(payload.codec)}, value, where)`
        : `protobufEncode(${writerConstant(payload.codec)}, ${literal(writer.message)}, value, where)`;
    return `{ encode: (value, where) => ${encode}, framing: ${literal(payload.codec.framing)} }`;
  }
  return payload.format === 'json' ? "'json'" : "'plain'";
}

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
  // Each schema's writer descriptor once, however many topics and sides use it.
  const codecs = new Map<string, BinaryCodecPlan>();
  for (const side of topics.flatMap((t) => [t.key, t.value]))
    if (side.codec) codecs.set(writerConstant(side.codec), side.codec);
  const writerSchemas = [...codecs].map(([name, codec]) => ({
    name,
    type: codec.writer.format === 'avro' ? 'AvroWriterSchema' : 'ProtobufWriterSchema',
    description: `What encodes ${/^[AEIOU]/.test(codec.emitted.typeName) ? 'an' : 'a'} ${codec.emitted.typeName} (${codec.display}${codec.writer.format === 'protobuf' ? `, message ${codec.writer.message}` : ''}) for a test: the schema, as data.`,
    source: literal(
      codec.writer.schema,
      '',
      `const ${name}: ${codec.writer.format === 'avro' ? 'AvroWriterSchema' : 'ProtobufWriterSchema'} = `.length,
    ),
  }));
  const decoders = ordered.map((t) => ({
    matcher: t.parts
      ? `(topic) => matchesTopicPattern(topic, ${literal(t.parts)})`
      : `(topic) => topic === ${literal(t.topic)}`,
    key: sideEncoding(t.key),
    value: sideEncoding(t.value),
  }));
  const codecRuntime =
    codecs.size > 0 ? await testEncodersSource(decoders.map((d) => `${d.key} ${d.value}`)) : undefined;
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
    decoders,
    codecs: codecs.size > 0,
    codecRuntime,
    writerSchemas,
  });
}
