/**
 * Emits `codecs.ts` when a topic's key or value is avro or protobuf: the types and the
 * decoder of each schema (emit/avro.ts, emit/protobuf.ts), after the code they share
 * (BinaryDecodeError, the schema-registry framing, the Avro and Protobuf readers), all
 * copied from generator/runtime/ so the file imports nothing. payloads.ts decodes each
 * record with it; index.ts re-exports its types and decoders.
 */
import type { PayloadsPlan } from '../core/compose.js';
import type { BinaryCodecPlan } from '../core/codecs.js';

/** What emit/avro.ts and emit/protobuf.ts return for one schema (and, for Protobuf, one message). */
export interface EmittedCodec {
  /** The TypeScript type of a decoded value: the root record's / message's type name. */
  readonly typeName: string;
  /** Every type name `types` declares at top level (compose.ts refuses clashes with other types). */
  readonly declaredTypes: readonly string[];
  /** Exported TypeScript declarations (interfaces, type aliases) with the schema's docs as JSDoc. */
  readonly types: string;
  /** The entry point's name: `decode<TypeName>Avro` / `decode<TypeName>Protobuf`. */
  readonly decoderName: string;
  /**
   * Code: `export function <decoderName>(bytes: Uint8Array): <typeName>` decoding all of
   * `bytes` (trailing bytes are an error), plus its non-exported helper functions, named
   * after the types they read (`readAddress`), so two codecs in one file only clash when
   * their types clash; they call the reader's functions by name. Throws BinaryDecodeError
   * on truncated, malformed or trailing bytes.
   */
  readonly code: string;
}

/** Each codec once (topics and sides naming the same schema, message and long type share it), in config order. */
export function codecsOf(plan: PayloadsPlan | undefined): BinaryCodecPlan[] {
  const byDecoder = new Map<string, BinaryCodecPlan>();
  for (const topic of plan?.topics ?? [])
    for (const side of [topic.key, topic.value])
      if (side.codec && !byDecoder.has(side.codec.emitted.decoderName))
        byDecoder.set(side.codec.emitted.decoderName, side.codec);
  return [...byDecoder.values()];
}

export async function emitCodecs(plan: PayloadsPlan, banner: string): Promise<string> {
  const runtime = await import('./runtime-source.js');
  const codecs = codecsOf(plan);
  const formats = new Set(codecs.map((codec) => codec.format));
  // Two messages of one .proto emit the types and readers they share twice: the first copy stays.
  const seen = new Set<string>();
  const unseen = (text: string) =>
    text
      .trim()
      .split(/\n\n(?=\/\*\*|export |function |const |type |interface )/)
      .filter((block) => !seen.has(block) && seen.add(block))
      .join('\n\n');
  const codesOf = (format: string) =>
    codecs.filter((codec) => codec.format === format).map((codec) => codec.emitted.code);
  const sections = [
    banner,
    [
      '/**',
      ' * Decoders for the Avro and Protobuf payloads msk-codegen.config.json declares, specialised',
      ' * to their schemas: no schema is parsed at run time and nothing is imported. Each decoder',
      ' * reads all of its bytes or throws a BinaryDecodeError saying where and what it expected;',
      ' * `unframe` takes off the schema-registry framing first (Confluent, AWS Glue, or none).',
      ` * From: ${codecs.map((codec) => codec.display).join(', ')}.`,
      ' */',
    ].join('\n'),
    await runtime.binaryDecodeErrorSource(),
    await runtime.payloadFramingSource(),
    // Only the reader code the decoders use: the file has no unused declarations.
    ...(formats.has('avro') ? [await runtime.avroReaderSource(codesOf('avro'))] : []),
    ...(formats.has('protobuf') ? [await runtime.protobufReaderSource(codesOf('protobuf'))] : []),
    ...codecs.flatMap((codec) => [
      `// ${codec.format === 'avro' ? 'Avro' : 'Protobuf'}: ${codec.emitted.typeName}, from ${codec.display}`,
      ...[codec.emitted.types, codec.emitted.code].map(unseen).filter((text) => text !== ''),
    ]),
  ];
  return `${sections.join('\n\n')}\n`;
}
