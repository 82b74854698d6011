/**
 * What `scaffold --topic` needs about a topic the config declares: its decoded record
 * type, its value type, and for the test a typed value the payload schema accepts (a JSON
 * schema's first example, or the smallest value a schema describes) and, for a JSON, Avro
 * or Protobuf topic, one its decoder rejects.
 */
import { recordTypeName, RESERVED_WORDS, typeNameOf } from '../../core/identifiers.js';
import type { ResolvedConfig } from '../../core/config.js';
import { createAjv } from '../../core/ajv.js';
import { CodegenError, DiagnosticCodes } from '../../core/diagnostics.js';
import { loadSchema } from '../../core/load.js';
import { exampleValue } from './example-value.js';
import { literal } from '../../emit/literal.js';
import * as path from 'node:path';
import { loadBinaryCodec } from '../../core/codecs.js';
import { displayPath } from '../../core/config.js';
import { avroEncode } from '../../runtime/avro-writer.js';
import { protobufEncode } from '../../runtime/protobuf-writer.js';
import { DEFAULT_SCHEMA_IDS, frame } from '../../runtime/payload-framing-writer.js';
import { binaryExample } from './binary-example.js';

export interface TopicScaffold {
  readonly name: string;
  /** A JavaScript string literal of the topic (as configured). */
  readonly quoted: string;
  /** A string literal of the topic the test's records are on: the topic, or a pattern with each `*` as `example`. */
  readonly recordTopic: string;
  readonly recordType: string;
  readonly valueType: string;
  /** Whether the value type is one of the generated payload types (to import). */
  readonly importValueType: boolean;
  readonly processName: string;
  /** The test's typed value: its variable, a sentence saying what it is, and its initializer (source code). */
  readonly value: { readonly variable: string; readonly description: string; readonly literal: string };
  /** Keys for the test's two records (string literals), when the topic's keys are text. (Always present: templates are strict.) */
  readonly keys: readonly [string, string] | undefined;
  /**
   * The test's value the topic's decoder rejects, when there is one: source code of a
   * TestPayload (`json({})`, `bytes([...])`), the testing.ts helper that makes it, the
   * error decodeRecord throws, and a comment saying what it is.
   */
  readonly invalid:
    | {
        readonly payload: string;
        readonly imports: readonly ('json' | 'bytes' | 'payloadBytes')[];
        readonly error: 'PayloadValidationError' | 'PayloadDecodeError';
        readonly comment: string;
      }
    | undefined;
}

/** Names the scaffolded tests declare or import: the value's variable must be none of them. */
const TAKEN = new Set(
  'describe expect it assert handler event json text bytes kafkaEvent batchResponseFor payloadBytes KafkaEventValidationError PayloadValidationError PayloadDecodeError'.split(
    ' ',
  ),
);

/** `Order` -> `order`, `JSONValue` -> `jsonValue`; `validX` when that is taken or a reserved word. */
function variableFor(type: string): string {
  const name = type.replace(/^[A-Z]+(?=[A-Z][a-z]|[0-9]|$)|^[A-Z]/, (head) => head.toLowerCase());
  return RESERVED_WORDS.has(name) || TAKEN.has(name) || !/^[A-Za-z_$][\w$]*$/.test(name) ? `valid${type}` : name;
}

/**
 * `update`: for `scaffold --update`, which takes only the template's imports and types from
 * the rendered test, so a sample the schema no longer accepts (a stale example) is no error.
 */
export async function topicScaffold(
  config: ResolvedConfig,
  topic: string,
  quote: (text: string) => string,
  { update = false }: { readonly update?: boolean } = {},
): Promise<TopicScaffold> {
  const declared = config.topics.find((t) => t.topic === topic);
  if (!declared) {
    const known = config.topics.map((t) => JSON.stringify(t.topic)).join(', ');
    throw new CodegenError([
      {
        code: DiagnosticCodes.usage,
        ...(config.configFile ? { file: config.configFile } : {}),
        message: `--topic ${JSON.stringify(topic)} is not declared under "topics" in msk-codegen.config.json${known ? ` (declared: ${known})` : ' (it declares no topics; `npx msk-codegen init` writes an example)'}`,
      },
    ]);
  }
  const concrete = topic.replace(/\*/g, 'example');
  const typeBase = typeNameOf(topic);
  let valueType: string;
  let value: TopicScaffold['value'];
  let invalid: TopicScaffold['invalid'];
  const { format, schema: schemaFile } = declared.value;
  if ((format === 'avro' || format === 'protobuf') && schemaFile) {
    const base = config.configFile ? path.dirname(config.configFile) : process.cwd();
    const codec = await loadBinaryCodec(
      { ...declared.value, format, schema: schemaFile },
      displayPath(base, schemaFile),
      config.configFile,
    );
    valueType = codec.emitted.typeName;
    // Encoded as testing.ts encodes it, which checks it.
    let example: unknown;
    let body: Uint8Array;
    try {
      example = binaryExample(codec.writer);
      body =
        codec.writer.format === 'avro'
          ? avroEncode(codec.writer.schema, example)
          : protobufEncode(codec.writer.schema, codec.writer.message, example);
    } catch (error) {
      throw new CodegenError([
        {
          code: DiagnosticCodes.unsupportedSchema,
          file: schemaFile,
          message: `cannot make a sample ${valueType} for the scaffolded test from ${codec.display}: ${(error as Error).message}`,
        },
      ]);
    }
    const variable = variableFor(valueType);
    value = {
      variable,
      description: `${/^[AEIOU]/.test(valueType) ? 'An' : 'A'} ${valueType} (${codec.display}), the smallest its schema describes; kafkaEvent encodes it as the topic's records are. A schema change it no longer fits is a type error here.`,
      literal: literal(example, '', `const ${variable}: ${valueType} = `.length),
    };
    // Its bytes as kafkaEvent sends them, cut one byte short: no decoder of the schema accepts a
    // strict prefix of a value (an Avro datum is never a prefix of another; a Protobuf message's
    // last field cut short is incomplete). With no bytes at all (a Protobuf message of defaults,
    // unframed), one byte that starts a field and ends there.
    const empty = frame(body, codec.framing, undefined, DEFAULT_SCHEMA_IDS).length === 0;
    invalid = empty
      ? {
          payload: 'bytes([0x08])',
          imports: ['bytes'],
          error: 'PayloadDecodeError',
          comment: `bytes() sends bytes as given: here a field tag without its value, which ${valueType}'s decoder rejects, at offset 1.`,
        }
      : {
          payload: `bytes(payloadBytes({ topic: ${quote(concrete)}, value: ${variable} }).subarray(0, -1))`,
          imports: ['bytes', 'payloadBytes'],
          error: 'PayloadDecodeError',
          comment: `bytes() sends bytes as given: here ${variable}'s, cut one byte short, which its decoder rejects, at offset 1.`,
        };
  } else if (format === 'json' && declared.value.schema) {
    const { schema, source: file } = await loadSchema(declared.value.schema);
    valueType = typeNameOf(String(schema['title']));
    const validate = createAjv({ checkSchemas: false }).compile(schema);
    // Its first example; else (none, or one a schema change has left behind) the smallest value it describes.
    const hasExamples = Array.isArray(schema['examples']) && schema['examples'].length > 0;
    let example = exampleValue(schema);
    let fromExamples = hasExamples;
    if (hasExamples && !validate(example)) {
      const { examples: _stale, ...withoutExamples } = schema;
      example = exampleValue(withoutExamples);
      fromExamples = false;
    }
    if (!validate(example) && !update) {
      throw new CodegenError([
        file.diagnostic(
          DiagnosticCodes.unsupportedSchema,
          '',
          `cannot make a sample ${valueType} for the scaffolded test from this schema: add one under "examples"${hasExamples ? ' (the first one there does not fit the schema)' : ''}`,
        ),
      ]);
    }
    const variable = variableFor(valueType);
    value = {
      variable,
      description: `${/^[AEIOU]/.test(valueType) ? 'An' : 'A'} ${valueType} the payload schema accepts (${fromExamples ? 'its first example' : 'the smallest value it describes'}). A schema change it no longer fits is a type error here.`,
      literal: literal(example, '', `const ${variable}: ${valueType} = `.length),
    };
    const wrong = [{}, [], `not a ${valueType}`].find((candidate) => !validate(candidate));
    if (wrong !== undefined)
      invalid = {
        payload: `json(${literal(wrong)})`,
        imports: ['json'],
        error: 'PayloadValidationError',
        comment: 'json() sends any value as JSON, past the type: here one the schema rejects, at offset 1.',
      };
  } else {
    valueType = declared.value.format === 'string' ? 'string' : 'Uint8Array';
    value =
      declared.value.format === 'string'
        ? { variable: 'message', description: 'A value of the topic: text.', literal: quote('hello') }
        : { variable: 'payload', description: 'A value of the topic: bytes.', literal: 'new Uint8Array([1, 2, 3])' };
  }
  return {
    name: topic,
    quoted: quote(topic),
    recordTopic: quote(concrete),
    recordType: recordTypeName(typeBase),
    valueType,
    importValueType: format === 'json' || format === 'avro' || format === 'protobuf',
    processName: `process${format === 'string' || format === 'bytes' ? typeBase : valueType}`,
    value,
    keys: declared.key.format === 'string' ? [quote('key-1'), quote('key-2')] : undefined,
    invalid,
  };
}
