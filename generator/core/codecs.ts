/**
 * Phase 1c (when a topic's key or value is avro or protobuf): load its schema file (an
 * `.avsc` or a `.proto`), check it, and emit its TypeScript types and its decoder
 * (emit/avro.ts, emit/protobuf.ts), with what the framing of its bytes must say (for
 * Protobuf, the configured message's index). A schema that cannot be read or used is a
 * diagnostic at its file:line:column; nothing is written.
 */
import { readFile } from 'node:fs/promises';
import type { BinaryPayloadFormat, ResolvedPayload } from './config.js';
import { CodegenError, DiagnosticCodes } from './diagnostics.js';
import { describeFsError, JsonSource } from './json-source.js';
import type { EmittedCodec } from '../emit/codecs.js';
import type { FramingExpectation } from '../runtime/payload-framing.js';
import type { AvroWriterSchema } from '../runtime/avro-writer.js';
import type { ProtobufWriterSchema } from '../runtime/protobuf-writer.js';

/** What the test helpers' encoder (generated testing.ts) walks to write a value of the schema: its descriptor, plain data. */
export type WriterPlan =
  | { readonly format: 'avro'; readonly schema: AvroWriterSchema }
  | { readonly format: 'protobuf'; readonly schema: ProtobufWriterSchema; readonly message: string };

export interface BinaryCodecPlan {
  readonly format: BinaryPayloadFormat;
  /** The schema file (absolute). */
  readonly schemaFile: string;
  /** How generated files name it: relative to the config file. */
  readonly display: string;
  readonly emitted: EmittedCodec;
  /** What the framing of a key's or value's bytes must say; `framing` is the side's setting. */
  readonly framing: FramingExpectation;
  readonly writer: WriterPlan;
}

export async function loadBinaryCodec(
  spec: ResolvedPayload & { readonly format: BinaryPayloadFormat; readonly schema: string },
  display: string,
  configFile: string | undefined,
  /** Where the config sets `message` (a JSON pointer), for an error about it. */
  messageAt?: string,
): Promise<BinaryCodecPlan> {
  const code = spec.format === 'avro' ? DiagnosticCodes.invalidAvroSchema : DiagnosticCodes.invalidProtoSchema;
  let text: string;
  try {
    text = await readFile(spec.schema, 'utf8');
  } catch (error) {
    throw new CodegenError([
      {
        code: DiagnosticCodes.unreadable,
        file: spec.schema,
        message: `cannot read the ${spec.format === 'avro' ? 'Avro' : 'Protobuf'} schema ${display}${configFile ? ' that msk-codegen.config.json names' : ''}: ${describeFsError(error)}`,
      },
    ]);
  }
  const longs = spec.longs ?? 'number';
  const framing = spec.framing ?? 'auto';
  if (spec.format === 'avro') {
    const { parseAvroSchema } = await import('./avro-schema.js');
    const { emitAvroCodec } = await import('../emit/avro.js');
    const { avroWriterSchema } = await import('../emit/avro-writer-schema.js');
    const model = parseAvroSchema(spec.schema, text);
    return {
      format: 'avro',
      schemaFile: spec.schema,
      display,
      emitted: emitAvroCodec(model, { longs }),
      framing: { format: 'avro', framing },
      writer: { format: 'avro', schema: avroWriterSchema(model, { longs }) },
    };
  }
  const message = spec.message as string;
  const { loadProtobufSchema, messageIndexes, resolveMessage } = await import('./protobuf-schema.js');
  const { protobufWriterSchema } = await import('../emit/protobuf-writer-schema.js');
  const { emitProtobufCodec } = await import('../emit/protobuf.js');
  const model = loadProtobufSchema(spec.schema, text);
  let indexes: { confluent: number[]; glue: number };
  try {
    indexes = messageIndexes(model, message);
  } catch (error) {
    const problem =
      error instanceof CodegenError ? (error.diagnostics[0]?.message ?? error.message) : (error as Error).message;
    if (configFile === undefined || messageAt === undefined) throw error;
    // The setting to fix is the config's "message": the error goes there, naming the .proto.
    const config = await JsonSource.read(configFile, 'config file', { jsonc: true });
    throw new CodegenError([config.diagnostic(code, messageAt, `${display}: ${problem}`)]);
  }
  const emitted = emitProtobufCodec(model, message, { longs });
  return {
    format: 'protobuf',
    schemaFile: spec.schema,
    display,
    emitted,
    framing: { format: 'protobuf', framing, message, confluentIndexes: indexes.confluent, glueIndex: indexes.glue },
    writer: {
      format: 'protobuf',
      schema: protobufWriterSchema(model, message, { longs }),
      message: resolveMessage(model, message),
    },
  };
}

/** How messages name what a codec decodes: `Order (Protobuf)`. */
export function codecLabel(codec: BinaryCodecPlan): string {
  return `${codec.emitted.typeName} (${codec.format === 'avro' ? 'Avro' : 'Protobuf'})`;
}
