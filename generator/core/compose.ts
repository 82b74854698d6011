/**
 * Phase 1b (when the config declares payloads): compose the users' payload schemas with
 * the event schema into one JSON Schema. Each payload schema goes under `$defs` by its
 * title (its own `$defs` hoisted beside it), and each topic gets a record definition
 * whose key and value say, with the standard keywords, what the base64 holds:
 * `contentEncoding: "base64"`, `contentMediaType`, and `contentSchema` for JSON.
 * Everything else is generated from the composed schema, which is also emitted as a
 * readable, reusable file.
 */
import {
  BINARY_FORMATS,
  displayPath,
  type BinaryPayloadFormat,
  type ResolvedPayload,
  type ResolvedTopic,
} from './config.js';
import * as path from 'node:path';
import type { BinaryCodecPlan } from './codecs.js';
import { CodegenError, DiagnosticCodes, type Diagnostic } from './diagnostics.js';
import { loadSchema, type LoadedSchema } from './load.js';
import { isSchemaObject, mapSchemas, type JsonSchemaObject } from './schema-walk.js';
import { createAjv } from './ajv.js';
import { generatedTypeNames } from '../emit/registry.js';
import { kafkaRecordTypeName, recordTypeName, typeNameOf } from './identifiers.js';
import { joinPointer } from './json-pointer.js';

export type PayloadSide = 'key' | 'value';

export interface PayloadPlan {
  readonly format: 'json' | 'string' | 'bytes' | BinaryPayloadFormat;
  /** For json: the payload type (the schema's title as a type name); for avro and protobuf, the codec's. */
  readonly typeName?: string;
  /** For avro and protobuf: the generated decoder and the framing it expects. */
  readonly codec?: BinaryCodecPlan;
}

export interface TopicPlan {
  /** As configured: an exact name, or a pattern with `*`. */
  readonly topic: string;
  readonly pattern: boolean;
  /** A pattern's literal parts, split on `*`: `orders-*` is `['orders-', '']`. */
  readonly parts?: readonly string[];
  /** A pattern as a regular expression for the schema, one that runs in linear time (see topicPatternRegex). */
  readonly regex?: string;
  /** Names the topic's types: `Orders` -> `OrdersRecord`. */
  readonly typeBase: string;
  readonly key: PayloadPlan;
  readonly value: PayloadPlan;
}

export interface PayloadsPlan {
  readonly topics: readonly TopicPlan[];
  readonly unknownTopics: 'reject' | 'bytes';
}

export interface Composed {
  readonly loaded: LoadedSchema;
  readonly plan: PayloadsPlan;
}

const MEDIA_TYPES = {
  json: 'application/json',
  string: 'text/plain; charset=utf-8',
  bytes: 'application/octet-stream',
  avro: 'application/avro',
  protobuf: 'application/x-protobuf',
} as const;

const isBinary = (spec: ResolvedPayload): spec is ResolvedPayload & { format: BinaryPayloadFormat; schema: string } =>
  (BINARY_FORMATS as readonly string[]).includes(spec.format) && spec.schema !== undefined;

export async function composePayloads(
  event: LoadedSchema,
  topics: readonly ResolvedTopic[],
  unknownTopics: 'reject' | 'bytes',
  configFile: string | undefined,
): Promise<Composed> {
  const defs: Record<string, unknown> = { ...(event.schema['$defs'] as Record<string, unknown>) };
  const origin = new Map<string, string>(Object.keys(defs).map((name) => [name, event.source.file]));
  const diagnostics: Diagnostic[] = [];
  const byFile = new Map<string, string>();

  const addPayloadSchema = async (file: string): Promise<string | undefined> => {
    const known = byFile.get(file);
    if (known) return known;
    const { source, schema } = await loadSchema(file);
    const title = schema['title'];
    if (typeof title !== 'string' || typeNameOf(title) === '') {
      diagnostics.push(
        source.diagnostic(
          DiagnosticCodes.unsupportedSchema,
          '',
          'a payload schema needs a "title": it names the payload type (e.g. "Order")',
        ),
      );
      return undefined;
    }
    const name = typeNameOf(title);
    const { $defs: nested, definitions: legacyNested, $schema: _dialect, $id: ownId, ...rest } = schema;
    const compileProblem = strictCompileProblem(schema);
    if (compileProblem) {
      diagnostics.push(
        source.diagnostic(
          DiagnosticCodes.unsupportedSchema,
          '',
          `Ajv (strict mode) cannot compile this payload schema: ${compileProblem}`,
        ),
      );
      return undefined;
    }
    const hoist = (defName: string, def: unknown, pointer: string) => {
      if (generatedTypeNames().has(defName)) {
        diagnostics.push(
          source.diagnostic(
            DiagnosticCodes.unsupportedSchema,
            pointer === '' ? '/title' : pointer,
            `the name "${defName}" is one the generated API uses: rename it`,
            pointer === '' ? 'value' : 'key',
          ),
        );
        return;
      }
      if (origin.has(defName)) {
        diagnostics.push(
          source.diagnostic(
            DiagnosticCodes.unsupportedSchema,
            pointer,
            `the name "${defName}" is already taken by ${origin.get(defName)}: rename one (types are named after titles and $defs keys, never renumbered)`,
            pointer === '' ? 'value' : 'key',
          ),
        );
        return;
      }
      origin.set(defName, file);
      defs[defName] = localRefs(def, typeof ownId === 'string' ? ownId : undefined, name);
    };
    hoist(name, { ...rest, title: name }, '');
    if (isSchemaObject(nested))
      for (const [defName, def] of Object.entries(nested)) hoist(defName, def, joinPointer('/$defs', defName));
    if (isSchemaObject(legacyNested))
      for (const [defName, def] of Object.entries(legacyNested))
        hoist(defName, def, joinPointer('/definitions', defName));
    byFile.set(file, name);
    return name;
  };

  const codecs = new Map<string, BinaryCodecPlan | undefined>();
  /** Which schema (format, file, long type) declared each codec type name. */
  const codecTypes = new Map<string, string>();
  const base = configFile ? path.dirname(configFile) : process.cwd();
  /** The codec of an avro or protobuf payload, loaded once per schema, message and long type; its type names join the others. */
  const addCodec = async (
    spec: ResolvedPayload & { format: BinaryPayloadFormat; schema: string },
    messageAt: string,
  ) => {
    const key = JSON.stringify([spec.format, spec.schema, spec.message, spec.longs]);
    const framing = spec.framing ?? 'auto';
    const known = codecs.get(key);
    if (codecs.has(key)) return known && { ...known, framing: { ...known.framing, framing } };
    let codec: BinaryCodecPlan | undefined;
    try {
      const { loadBinaryCodec } = await import('./codecs.js');
      const display = displayPath(base, spec.schema);
      codec = await loadBinaryCodec(spec, display, configFile, messageAt);
    } catch (error) {
      if (!(error instanceof CodegenError)) throw error;
      diagnostics.push(...error.diagnostics);
    }
    // Two messages of one .proto (or one schema read twice) share their types: the same
    // declarations, emitted once (emit/codecs.ts). Any other second declaration is a clash.
    const sameSource = JSON.stringify([spec.format, spec.schema, spec.longs]);
    for (const name of codec?.emitted.declaredTypes ?? []) {
      if (codecTypes.get(name) === sameSource) continue;
      const taken = generatedTypeNames().has(name) ? 'the generated API' : origin.get(name);
      if (taken !== undefined) {
        diagnostics.push({
          code: spec.format === 'avro' ? DiagnosticCodes.invalidAvroSchema : DiagnosticCodes.invalidProtoSchema,
          file: spec.schema,
          message: `the type name "${name}" is already taken by ${path.isAbsolute(taken) ? displayPath(base, taken) : taken}: rename the ${spec.format === 'avro' ? 'record, enum or fixed' : 'message or enum'}`,
        });
        codec = undefined;
      } else {
        origin.set(name, spec.schema);
        codecTypes.set(name, sameSource);
      }
    }
    codecs.set(key, codec);
    return codec && { ...codec, framing: { ...codec.framing, framing } };
  };

  // Topic record types first: a payload title that takes one of their names is refused at the payload file.
  for (const topic of topics) {
    const typeBase = typeNameOf(topic.topic);
    const taken = [kafkaRecordTypeName(typeBase), recordTypeName(typeBase)].find(
      (n) => origin.has(n) || generatedTypeNames().has(n),
    );
    if (taken) {
      diagnostics.push({
        code: DiagnosticCodes.invalidConfig,
        ...(configFile ? { file: configFile } : {}),
        message: `topic ${JSON.stringify(topic.topic)} names its record types ${recordTypeName(typeBase)} and ${kafkaRecordTypeName(typeBase)}, but ${taken} is already taken by ${origin.get(taken) ?? 'the generated API'}`,
      });
      continue;
    }
    origin.set(kafkaRecordTypeName(typeBase), configFile ?? 'the config');
    origin.set(recordTypeName(typeBase), configFile ?? 'the config');
  }
  if (diagnostics.length > 0) throw new CodegenError(diagnostics);

  const plans: TopicPlan[] = [];
  for (const topic of topics) {
    const sides: Partial<Record<PayloadSide, PayloadPlan>> = {};
    const properties: Record<string, unknown> = {};
    for (const side of ['key', 'value'] as const) {
      const spec = topic[side];
      const codec = isBinary(spec)
        ? await addCodec(spec, joinPointer('/topics', topic.topic, side, 'message'))
        : undefined;
      const typeName =
        spec.format === 'json' && spec.schema ? await addPayloadSchema(spec.schema) : codec?.emitted.typeName;
      sides[side] = { format: spec.format, ...(typeName ? { typeName } : {}), ...(codec ? { codec } : {}) };
      const holds =
        spec.format === 'json'
          ? `JSON (${typeName ?? 'invalid schema'})`
          : spec.format === 'string'
            ? 'UTF-8 text'
            : codec
              ? `${spec.format === 'avro' ? 'Avro' : 'Protobuf'} (${codec.emitted.typeName}, from ${codec.display}), framed ${codec.framing.framing === 'auto' ? 'as a schema registry writes it, or not' : `as ${codec.framing.framing}`}`
              : 'bytes';
      properties[side] = {
        description: `The record ${side}: base64 of ${holds}.${side === 'value' ? ' Null for a tombstone.' : ' Null or absent when the record has no key.'}`,
        type: ['string', 'null'],
        contentEncoding: 'base64',
        contentMediaType: MEDIA_TYPES[spec.format],
        ...(typeName && spec.format === 'json' ? { contentSchema: { $ref: `#/$defs/${typeName}` } } : {}),
      };
    }
    const pattern = topic.topic.includes('*');
    const parts = pattern ? topicPatternParts(topic.topic) : undefined;
    const regex = parts ? topicPatternRegex(parts) : undefined;
    const typeBase = typeNameOf(topic.topic);
    const defName = kafkaRecordTypeName(typeBase);
    defs[defName] = {
      title: defName,
      description: `A record of ${pattern ? `a topic matching ${JSON.stringify(topic.topic)}` : `topic ${JSON.stringify(topic.topic)}`}, with its key and value as msk-codegen.config.json declares them.`,
      type: 'object',
      required: ['topic'],
      allOf: [{ $ref: '#/$defs/KafkaRecord' }],
      properties: {
        topic: pattern
          ? { description: 'The topic.', type: 'string', pattern: regex }
          : { description: 'The topic.', const: topic.topic },
        ...properties,
      },
    };
    plans.push({
      topic: topic.topic,
      pattern,
      ...(parts && regex ? { parts, regex } : {}),
      typeBase,
      key: sides.key as PayloadPlan,
      value: sides.value as PayloadPlan,
    });
  }
  if (diagnostics.length > 0) throw new CodegenError(diagnostics);

  const composed: JsonSchemaObject = { ...event.schema, $defs: defs };
  // Diagnostics after composing place pointers in the event schema's own text: the event's
  // definitions keep their pointers (the payloads' were checked in their own files).
  return { loaded: { source: event.source, schema: composed }, plan: { topics: plans, unknownTopics } };
}

/** A pattern's literal parts between its `*`s (consecutive `*`s are one): `a**b*` is `['a', 'b', '']`. */
export function topicPatternParts(pattern: string): string[] {
  return pattern.replace(/\*+/g, '*').split('*');
}

/**
 * A topic pattern as a JSON Schema `pattern` that runs in linear time on any engine.
 * The obvious `^x.*x.*y$` backtracks: with ten `*`s a 50-character topic takes seconds.
 * Here each middle part is found at its first occurrence inside a lookahead and then
 * consumed through a back-reference (an atomic group, which JavaScript lacks), so no
 * engine ever retries another split: `x*y*z` is `^x(?=([\s\S]*?y))\1[\s\S]*z$`.
 */
export function topicPatternRegex(parts: readonly string[]): string {
  // Topic names hold only [A-Za-z0-9._-]: `.` is the only character to escape.
  const literal = (text: string) => text.replace(/\./g, '\\.');
  if (parts.length === 1) return `^${literal(parts[0] ?? '')}$`;
  const middles = parts.slice(1, -1).map((part, i) => `(?=([\\s\\S]*?${literal(part)}))\\${i + 1}`);
  return `^${literal(parts[0] ?? '')}${middles.join('')}[\\s\\S]*${literal(parts.at(-1) ?? '')}$`;
}

/**
 * A payload schema's references to itself keep working once it sits in the composed
 * `$defs`: its root (`#`) is now `#/$defs/<Title>`, `#/definitions/X` is hoisted to
 * `#/$defs/X`, and references through its own `$id` become local.
 */
function localRefs(schema: unknown, ownId: string | undefined, rootName: string): unknown {
  return mapSchemas(schema, (node) => {
    const ref = node['$ref'];
    if (typeof ref !== 'string') return node;
    const local = ownId !== undefined && ref.startsWith(`${ownId}#`) ? ref.slice(ownId.length) : ref;
    return { ...node, $ref: local === '#' ? `#/$defs/${rootName}` : local.replace(/^#\/definitions\//, '#/$defs/') };
  });
}

/** Why Ajv in strict mode (as the generator runs it) cannot compile a payload schema, if it cannot. */
function strictCompileProblem(schema: JsonSchemaObject): string | undefined {
  try {
    createAjv({ checkSchemas: false }).compile(schema);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
