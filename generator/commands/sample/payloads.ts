/**
 * `sample`'s keys and values for the topics msk-codegen.config.json declares, as their
 * payload declarations say: for a `json` payload the schema's `examples` in turn (record
 * n gets example n modulo their number), else values json-schema-faker generates from the
 * schema, seeded per record; `string` text; `bytes` seeded bytes; `avro` and `protobuf`
 * seeded values of the schema, encoded and framed (binary-values.ts). Every JSON value is
 * checked by the payload's own validator (the module `generate` emits) before it is used:
 * an example the schema rejects, or a schema the generator cannot satisfy, is an error
 * naming the schema file. `invalidValue` breaks each value deterministically (a required
 * property dropped, else a value of another type; an Avro or Protobuf value cut one byte
 * short), for tests of the rejection path.
 */
import { CodegenError, DiagnosticCodes } from '../../core/diagnostics.js';
import type { ResolvedTopic } from '../../core/config.js';
import { entryForTopic } from '../../runtime/payload-decode.js';
import { int, stream, type SampleSchemaMetadata } from './index.js';
import type { SampleFraming, SampleRecordFormat } from './binary-values.js';
import type { JsonSchemaObject } from '../../core/schema-walk.js';
import type { RuntimeValidator } from '../validate/validator.js';
import type { TopicEntry } from '../validate/payloads.js';
import { parsePointer } from '../../core/json-pointer.js';

/** A record's key and value bytes, where the topic's declaration makes them (undefined: the usual default). */
export interface SampledPayloads {
  readonly key?: Uint8Array | undefined;
  readonly value?: Uint8Array | undefined;
  /** The record's keySchemaMetadata/valueSchemaMetadata (Avro and Protobuf, `--record-format source`). */
  readonly keyMetadata?: SampleSchemaMetadata | undefined;
  readonly valueMetadata?: SampleSchemaMetadata | undefined;
}

export interface PayloadSampleRequest {
  /** Compiled with the config's topics: `payloads` is set. */
  readonly validator: RuntimeValidator;
  /** The config's topics (for the schema file of each payload type, named in errors). */
  readonly declared: readonly ResolvedTopic[];
  /** The topics of the event, concrete names. */
  readonly topics: readonly string[];
  readonly seed: number;
  /** Values that break their schema (json, avro and protobuf topics). */
  readonly invalidValue: boolean;
  /** Make keys (false when `--key` gives them). */
  readonly keys: boolean;
  /** Make values (false when `--value*` gives them or records are tombstones). */
  readonly values: boolean;
  /** How Avro and Protobuf keys and values are framed (default: the topic's framing; for `auto`, Confluent's). */
  readonly framing?: SampleFraming | undefined;
  /** `source`: as a mapping with a schema registry delivers them (header removed, schema metadata on the record). */
  readonly recordFormat?: SampleRecordFormat | undefined;
}

/** Tries per value before the generator is declared unable to satisfy a schema. */
const ATTEMPTS = 10;

type Maker = (index: number) => { bytes?: Uint8Array | undefined; metadata?: SampleSchemaMetadata | undefined };

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const json = (value: unknown) => utf8(JSON.stringify(value));

/** The definitions `typeName` reaches through `$ref`s (json-schema-faker gets only those, not the event's own). */
function reachable(defs: Readonly<Record<string, unknown>>, typeName: string): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) {
      for (const [keyword, child] of Object.entries(node)) {
        if (keyword === '$ref' && typeof child === 'string' && child.startsWith('#/$defs/')) {
          const name = parsePointer(child).slice(1).join('/');
          if (!(name in found) && name in defs) {
            found[name] = defs[name];
            visit(defs[name]);
          }
        } else visit(child);
      }
    }
  };
  visit({ $ref: `#/$defs/${typeName}` });
  return found;
}

/** For each record (by event index) of each topic, its key and value as the topic's declaration says. */
export async function payloadSampler(
  request: PayloadSampleRequest,
): Promise<(topic: string, index: number) => SampledPayloads> {
  const { validator } = request;
  const checker = validator.payloads;
  if (!checker) throw new Error("payloadSampler needs a validator compiled with the config's topics");
  const defs = (validator.model.schema['$defs'] ?? {}) as Readonly<Record<string, JsonSchemaObject>>;
  const fileOf = (entry: TopicEntry, side: 'key' | 'value') =>
    request.declared.find((t) => t.topic === entry.topic)?.[side].schema;
  const usage = (message: string) => new CodegenError([{ code: DiagnosticCodes.usage, message }]);
  let generateSync: typeof import('json-schema-faker').generateSync | undefined;

  const describe = (issues: readonly { readonly message: string }[]) =>
    issues
      .slice(0, 3)
      .map((i) => i.message)
      .join('; ');

  /** Valid JSON values of `typeName`, by record index: its examples in turn, else generated. */
  const validValues = async (
    typeName: string,
    file: string | undefined,
    label: string,
  ): Promise<(index: number) => unknown> => {
    const failure = (message: string) =>
      new CodegenError([{ code: DiagnosticCodes.unsupportedSchema, ...(file ? { file } : {}), message }]);
    const examples = defs[typeName]?.['examples'];
    if (Array.isArray(examples) && examples.length > 0) {
      examples.forEach((example: unknown, i) => {
        const { valid, issues } = validator.checkDefinition(typeName, example);
        if (!valid)
          throw failure(`examples[${i}] is not a valid ${typeName}, so sample cannot use it: ${describe(issues)}`);
      });
      return (index) => examples[index % examples.length] as unknown;
    }
    generateSync ??= (await import('json-schema-faker')).generateSync;
    const generate = generateSync;
    const schema = { $defs: reachable(defs, typeName), $ref: `#/$defs/${typeName}` } as Parameters<typeof generate>[0];
    return (index) => {
      let problem = '';
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const seed = int(stream(request.seed, `${label}:${index}:${attempt}`), 1, 0x7fff_ffff);
        let value: unknown;
        try {
          value = generate(schema, { seed });
        } catch (error) {
          problem = `json-schema-faker failed: ${(error as Error).message}`;
          continue;
        }
        const { valid, issues } = validator.checkDefinition(typeName, value);
        if (valid) return value;
        problem = `its values break the schema: ${describe(issues)}`;
      }
      throw failure(
        `sample cannot generate a valid ${typeName} from this schema (${ATTEMPTS} tries; ${problem}): add values it accepts under "examples"`,
      );
    };
  };

  /** A value of `typeName` that its schema rejects, made from a valid one: a required property dropped, else a value of another type. */
  const breaking = (typeName: string, valid: unknown): unknown => {
    const candidates: unknown[] = [];
    const required = defs[typeName]?.['required'];
    if (typeof valid === 'object' && valid !== null && !Array.isArray(valid) && Array.isArray(required)) {
      for (const name of required) {
        if (typeof name !== 'string' || !Object.hasOwn(valid, name)) continue;
        const { [name]: _dropped, ...rest } = valid as Record<string, unknown>;
        candidates.push(rest);
      }
    }
    candidates.push(`not a ${typeName}`, [], {}, 0, true, null);
    const found = candidates.find((candidate) => !validator.checkDefinition(typeName, candidate, 1).valid);
    if (found === undefined)
      throw usage(
        `--invalid-value: the ${typeName} schema accepts every value sample tries (a required property dropped, a string, an array, an object, a number, a boolean, null)`,
      );
    return found;
  };

  const makers = new Map<string, { key: Maker; value: Maker }>();
  for (const topic of request.topics) {
    const entry = entryForTopic(topic, checker.entries);
    if (!entry) continue;
    const side = async (which: 'key' | 'value'): Promise<Maker> => {
      const payload = entry[which];
      const label = `payload:${topic}:${which}`;
      if (payload.codec) {
        const configured = payload.codec.framing.framing;
        const framing = request.framing ?? (configured === 'auto' ? 'confluent' : configured);
        if (configured !== 'auto' && framing !== configured)
          throw usage(
            `--framing ${framing}: topic ${JSON.stringify(topic)}'s ${which} is declared with "framing": "${configured}" in msk-codegen.config.json, so its decoder would reject ${framing === 'none' ? 'unframed' : framing} bytes`,
          );
        const { binarySampler } = await import('./binary-values.js');
        const make = await binarySampler(payload.codec, {
          longs: request.declared.find((t) => t.topic === entry.topic)?.[which].longs,
          seed: request.seed,
          label,
          framing,
          recordFormat: request.recordFormat ?? 'raw',
          truncated: which === 'value' && request.invalidValue,
        });
        return make;
      }
      if (payload.format === 'json' && payload.typeName) {
        const values = await validValues(payload.typeName, fileOf(entry, which), label);
        const typeName = payload.typeName;
        return which === 'value' && request.invalidValue
          ? (index) => ({ bytes: json(breaking(typeName, values(index))) })
          : (index) => ({ bytes: json(values(index)) });
      }
      if (payload.format === 'string')
        return which === 'key'
          ? (index) => ({ bytes: utf8(`key-${index}`) })
          : (index) => ({ bytes: utf8(`sample text ${index} for ${topic}`) });
      // bytes: no key unless one is given (as without a config); values of seeded bytes, not all of them UTF-8.
      if (which === 'key') return () => ({});
      return (index) => {
        const rng = stream(request.seed, `${label}:${index}`);
        return { bytes: Uint8Array.from({ length: int(rng, 8, 24) }, () => int(rng, 0, 255)) };
      };
    };
    if (request.invalidValue && !(entry.value.format === 'json' && entry.value.typeName) && !entry.value.codec) {
      throw usage(
        `--invalid-value writes values that break their schema: topic ${JSON.stringify(topic)}'s value is declared ${entry.value.format} in msk-codegen.config.json, not json with a schema, avro or protobuf`,
      );
    }
    makers.set(topic, {
      key: request.keys ? await side('key') : () => ({}),
      value: request.values ? await side('value') : () => ({}),
    });
  }
  return (topic, index) => {
    const maker = makers.get(topic);
    if (!maker) return {};
    const key = maker.key(index);
    const value = maker.value(index);
    return { key: key.bytes, value: value.bytes, keyMetadata: key.metadata, valueMetadata: value.metadata };
  };
}
