/**
 * What `scaffold --topic` needs about a topic the config declares: its decoded record
 * type, its value type, and sample events for the test (a value the payload schema
 * accepts, a tombstone, and one it rejects), made by `msk-codegen sample`.
 */
import { typeNameOf } from '../compose.js';
import type { ResolvedConfig } from '../config.js';
import { createAjv } from '../ajv.js';
import { CodegenError, DiagnosticCodes } from '../diagnostics.js';
import { loadSchema } from '../load.js';
import { sampleEvent, type SampleValue } from '../sample.js';
import { exampleValue } from './example-value.js';
import type { Source } from './render.js';

export interface TopicScaffold {
  readonly name: string;
  /** A JavaScript string literal of the topic (as configured). */
  readonly quoted: string;
  readonly recordType: string;
  readonly valueType: string;
  /** Whether the value type is one of the generated payload types (to import). */
  readonly importValueType: boolean;
  readonly processName: string;
  readonly validEvent: object;
  readonly tombstoneEvent: object;
  readonly invalidEvent?: object;
  readonly invalidIdentifier?: { readonly 'topic-partition': string; readonly offset: number };
}

export async function topicScaffold(config: ResolvedConfig, topic: string, source: Source, quote: (text: string) => string): Promise<TopicScaffold> {
  const declared = config.topics.find((t) => t.topic === topic);
  if (!declared) {
    const known = config.topics.map((t) => JSON.stringify(t.topic)).join(', ');
    throw new CodegenError([
      { code: DiagnosticCodes.usage, ...(config.configFile ? { file: config.configFile } : {}), message: `--topic ${JSON.stringify(topic)} is not declared under "topics" in msk-codegen.config.json${known ? ` (declared: ${known})` : ' (it declares no topics; `npx msk-codegen init` writes an example)'}` },
    ]);
  }
  const concrete = topic.replace(/\*/g, 'example');
  const typeBase = typeNameOf(topic);
  let valueType: string;
  let valid: SampleValue;
  let invalid: SampleValue | undefined;
  if (declared.value.format === 'json' && declared.value.schema) {
    const { schema, source: file } = await loadSchema(declared.value.schema);
    valueType = typeNameOf(String(schema['title']));
    const validate = createAjv({ checkSchemas: false }).compile(schema);
    const example = exampleValue(schema);
    if (!validate(example)) {
      throw new CodegenError([file.diagnostic(DiagnosticCodes.unsupportedSchema, '', `cannot make a sample ${valueType} for the scaffolded test from this schema: add one under "examples"`)]);
    }
    valid = { json: example };
    const wrong = [`not a ${valueType}`, {}, []].find((candidate) => !validate(candidate));
    if (wrong !== undefined) invalid = { json: wrong };
  } else {
    valueType = declared.value.format === 'string' ? 'string' : 'Uint8Array';
    valid = declared.value.format === 'string' ? { text: 'hello' } : { bytes: new Uint8Array([1, 2, 3]) };
  }
  const eventSource = source === 'self-managed' ? 'self-managed' : 'msk';
  const event = (value: SampleValue | undefined, records: number, tombstone = false) =>
    sampleEvent({ source: eventSource, topics: [concrete], partitions: 1, records, value, headers: [], tombstone, seed: 1, legacy: false });
  const invalidEvent = invalid ? event(invalid, 1) : undefined;
  const offset = invalidEvent ? ((invalidEvent as { records: Record<string, { offset: number }[]> }).records[`${concrete}-0`]?.[0]?.offset ?? 0) : 0;
  return {
    name: topic,
    quoted: quote(topic),
    recordType: `${typeBase}Record`,
    valueType,
    importValueType: declared.value.format === 'json',
    processName: `process${declared.value.format === 'json' ? valueType : typeBase}`,
    validEvent: event(valid, 2),
    tombstoneEvent: event(undefined, 1, true),
    ...(invalidEvent ? { invalidEvent, invalidIdentifier: { 'topic-partition': `${concrete}-0`, offset } } : {}),
  };
}
