/**
 * Emits `on-failure.ts` and `on-failure-validators.ts`: the types, validators and parse API of
 * the records Lambda sends an on-failure destination of a Kafka event source mapping, from the
 * embedded schema/kafka-on-failure-record.schema.json (fixed: what AWS sends does not depend on
 * the project), and `kafkaEventFromOnFailureRecord`, which reads an S3 or Kafka-topic record's
 * event back out of it. Two files of their own: a handler of Kafka events imports parse.ts,
 * which imports neither, so it does not bundle them. The event's type and parse function are
 * the project's (its schema's root), imported from types.ts and parse.ts.
 */
import { loadSchema, type LoadedSchema } from '../core/load.js';
import { buildModel, type CodegenModel } from '../core/model.js';
import { ON_FAILURE_SCHEMA } from '../core/package-root.js';
import { mapSchemas, type JsonSchemaObject } from '../core/schema-walk.js';
import type { Template } from '../core/templates.js';
import { banner } from './banner.js';
import { onFailurePayloadSource } from './runtime-source.js';
import { emitTypes } from './types.js';
import { emitValidators } from './validators-cache.js';
import { collectorName, validatorName } from './validators.js';

/** How banners name the on-failure schema, wherever msk-codegen is installed. */
export const ON_FAILURE_SCHEMA_DISPLAY = 'msk-codegen/schema/kafka-on-failure-record.schema.json';

export interface OnFailureSchema {
  readonly loaded: LoadedSchema;
  readonly model: CodegenModel;
}

let onFailureSchema: Promise<OnFailureSchema> | undefined;

/** The on-failure schema, loaded and modelled once per process (it is part of the package). */
export function loadOnFailureSchema(): Promise<OnFailureSchema> {
  onFailureSchema ??= loadSchema(ON_FAILURE_SCHEMA).then((loaded) => ({ loaded, model: buildModel(loaded, []) }));
  return onFailureSchema;
}

/** `kafkaEventFromOnFailureRecord` for the root `KafkaEvent`. */
export function eventFromRecordName(eventRoot: string): string {
  return `${eventRoot.charAt(0).toLowerCase()}${eventRoot.slice(1)}FromOnFailureRecord`;
}

/** on-failure.ts: the types (`payload` typed as the project's event), guards, parse, and the event read back. */
export async function emitOnFailure(eventModel: CodegenModel, template: Template): Promise<string> {
  const { loaded, model } = await loadOnFailureSchema();
  const event = eventModel.root.name;
  const typed: CodegenModel = { ...model, schema: withPayloadType(model, event) };
  // json-schema-to-typescript's output, after its lint comment (as in types.ts: `string & {}` and the like are its idioms).
  const types = await emitTypes(typed, '', loaded.source);
  return template({
    banner: banner({ schemaDisplay: ON_FAILURE_SCHEMA_DISPLAY }),
    types,
    event,
    record: model.root.name,
    validator: validatorName(model.root.name),
    collector: collectorName(model.root.name),
    event_from_record: eventFromRecordName(event),
    payloadRuntime: await onFailurePayloadSource(),
  });
}

/**
 * on-failure-validators.ts: the root's validator and error collector (the other definitions
 * are only checked through it), in one module (Ajv's code, `@ts-nocheck`, kept out of on-failure.ts).
 */
export async function emitOnFailureValidators(): Promise<string> {
  const { loaded, model } = await loadOnFailureSchema();
  const rootOnly: CodegenModel = { ...model, definitions: [model.root] };
  const head = banner({ schemaDisplay: ON_FAILURE_SCHEMA_DISPLAY });
  const { firstError, allErrors } = emitValidators(rootOnly, head, loaded.source.file);
  // The collector module after its banner, its lint comments and its import of a type firstError declares.
  const collectors = allErrors.slice(allErrors.indexOf("import type { CollectedErrors } from './validators.js';\n"));
  return `${firstError}\n${collectors.replace(/^import type \{ CollectedErrors \} from '\.\/validators\.js';\n/, '')}`;
}

/** The schema with `payload` typed as the project's event (the validators check only that it is a string or an object). */
function withPayloadType(model: CodegenModel, event: string): JsonSchemaObject {
  const payload = `${model.root.pointer}/properties/payload`;
  return mapSchemas(model.schema, (node, pointer) =>
    pointer === payload ? { ...node, tsType: `string | ${event}` } : node,
  ) as JsonSchemaObject;
}
