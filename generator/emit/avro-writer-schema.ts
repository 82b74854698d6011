/**
 * The descriptor of an Avro schema for the test encoder (runtime/avro-writer.ts): the parsed
 * model (core/avro-schema.ts) as a plain JSON value (objects, arrays, strings, numbers) that
 * emit/literal.ts prints into generated code, close to the `.avsc` itself: primitives by
 * name, named types by full name with their definitions in `named` (in order of definition,
 * so recursion is a reference by name), unions as arrays; docs, defaults, aliases and logical
 * types the decoder ignores left out.
 */
import type { AvroModel, AvroNamed, AvroType } from '../core/avro-schema.js';
import type { AvroWriterNamed, AvroWriterSchema, AvroWriterType } from '../runtime/avro-writer.js';

export function avroWriterSchema(model: AvroModel, options: { longs: 'number' | 'bigint' }): AvroWriterSchema {
  // Own properties whatever the names (a record may be named `__proto__`).
  const named = Object.fromEntries(model.named.map((type) => [type.fullName, namedDescriptor(type)]));
  return { longs: options.longs, root: descriptor(model.root), named };
}

function namedDescriptor(type: AvroNamed): AvroWriterNamed {
  switch (type.kind) {
    case 'record':
      return {
        type: 'record',
        fields: type.fields.map((field) => ({ name: field.name, type: descriptor(field.type) })),
      };
    case 'enum':
      return { type: 'enum', symbols: [...type.symbols] };
    case 'fixed':
      switch (type.logical?.name) {
        case 'decimal':
          return {
            type: 'fixed',
            size: type.size,
            logicalType: 'decimal',
            precision: type.logical.precision,
            scale: type.logical.scale,
          };
        case 'duration':
        case 'uuid':
          return { type: 'fixed', size: type.size, logicalType: type.logical.name };
        default:
          return { type: 'fixed', size: type.size };
      }
  }
}

function descriptor(type: AvroType): AvroWriterType {
  if ('fullName' in type) return type.fullName;
  switch (type.kind) {
    case 'array':
      return { type: 'array', items: descriptor(type.items) };
    case 'map':
      return { type: 'map', values: descriptor(type.values) };
    case 'union':
      return type.branches.map(descriptor);
  }
  const logical = type.logical;
  if (logical === undefined) return type.kind;
  if (logical.name === 'decimal')
    return { type: 'bytes', logicalType: 'decimal', precision: logical.precision, scale: logical.scale };
  if (type.kind === 'int' && (logical.name === 'date' || logical.name === 'time-millis'))
    return { type: 'int', logicalType: logical.name };
  if (type.kind === 'string' && logical.name === 'uuid') return { type: 'string', logicalType: 'uuid' };
  if (
    type.kind === 'long' &&
    logical.name !== 'date' &&
    logical.name !== 'time-millis' &&
    logical.name !== 'uuid' &&
    logical.name !== 'duration'
  )
    return { type: 'long', logicalType: logical.name };
  throw new Error(`no writer descriptor for Avro ${type.kind} with logical type ${logical.name}`);
}
