/**
 * The descriptor generator/runtime/protobuf-writer.ts encodes with (ProtobufWriterSchema), built
 * from a parsed .proto: the messages and enums a message reaches, by full name, each message's
 * fields in field-number order with their TypeScript property names (the .proto names, as the
 * decoders use them). A plain JSON value (objects, arrays, strings, numbers, booleans), which
 * emit/literal.ts prints into generated test helpers; recursion goes through the names.
 */
import { type ProtoField, type ProtoSchema, resolveMessage, WRAPPERS } from '../core/protobuf-schema.js';
import type { ProtobufWriterField, ProtobufWriterMessage, ProtobufWriterSchema } from '../runtime/protobuf-writer.js';

function writerField(f: ProtoField): ProtobufWriterField {
  const kind: ProtobufWriterField['kind'] =
    f.oneof !== undefined ? 'oneof' : f.label === 'repeated' ? (f.packed === true ? 'packed' : 'repeated') : f.label;
  const type =
    f.type.kind === 'scalar'
      ? { scalar: f.type.scalar }
      : f.type.kind === 'enum'
        ? { enum: f.type.fullName }
        : { message: f.type.fullName };
  return {
    name: f.name,
    number: f.number,
    kind,
    ...(f.label === 'map' && f.keyType !== undefined ? { key: f.keyType } : {}),
    ...type,
    ...(f.oneof !== undefined ? { oneof: f.oneof } : {}),
  };
}

/**
 * The writer's descriptor of `message` (a full name, or one relative to the file's package) and
 * what it reaches; `longs` as the decoders of the same schema are generated with.
 * Throws CodegenError when the file has no such message.
 */
export function protobufWriterSchema(
  model: ProtoSchema,
  message: string,
  options: { longs: 'number' | 'bigint' },
): ProtobufWriterSchema {
  const root = resolveMessage(model, message);
  const messages: Record<string, ProtobufWriterMessage> = {};
  const enums: Record<string, Record<string, number>> = {};
  const queue: string[] = [root];
  const seen = new Set<string>();
  // Breadth-first from the root, in field-number order: a fixed order for the same input.
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const m = model.messages.get(name);
    if (m === undefined) throw new Error(`no message ${name}`);
    const fields = [...m.fields].sort((a, b) => a.number - b.number);
    const oneofs: Record<string, string[]> = {};
    for (const o of m.oneofs) oneofs[o.name] = fields.filter((f) => f.oneof === o.name).map((f) => f.name);
    const entry: ProtobufWriterMessage = {
      fields: fields.map(writerField),
      ...(m.oneofs.length > 0 ? { oneofs } : {}),
      ...(WRAPPERS.has(name) ? { wrapper: true as const } : {}),
    };
    Object.defineProperty(messages, name, { value: entry, enumerable: true });
    for (const f of fields) {
      if (f.type.kind === 'message') queue.push(f.type.fullName);
      else if (f.type.kind === 'enum' && enums[f.type.fullName] === undefined) {
        const e = model.enums.get(f.type.fullName);
        if (e === undefined) throw new Error(`no enum ${f.type.fullName}`);
        const table: Record<string, number> = {};
        for (const v of e.values) Object.defineProperty(table, v.name, { value: v.number, enumerable: true });
        enums[f.type.fullName] = table;
      }
    }
  }
  return { longs: options.longs, messages, enums };
}
