/**
 * The source of generator/runtime/ as it goes into generated code: the same TypeScript
 * msk-codegen runs itself, with `export` dropped from everything the generated API does
 * not export. Read from the package's own files (shipped with it), not from dist/.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../core/package-root.js';

const RUNTIME_DIR = path.join(PACKAGE_ROOT, 'generator', 'runtime');

/** Public names the generated parse.ts exports from the run-time source. */
const PUBLIC = new Set(['ValidationIssue', 'LegacyFormWarning', 'UnsafeIntegerWarning', 'ParseWarning']);

/**
 * `source` as generated code embeds it: without the file's header comment and its import of
 * BinaryDecodeError (codecs.ts declares that class once, first), and `export` dropped from
 * every declaration but those named in `keep`.
 */
function forEmbedding(source: string, keep: ReadonlySet<string> = PUBLIC): string {
  return (
    source
      // The file's own header comment: one followed by a blank line or the imports (a declaration's JSDoc is neither).
      .replace(/^\/\*\*[\s\S]*?\*\/\n(?:\n|(?=import ))/, '')
      .replace(/^import \{ BinaryDecodeError \} from '\.\/binary-decode-error\.js';\n+/m, '')
      .replace(
        /^export (function|interface|type|const|declare const|class) (\w+)/gm,
        (match, kind: string, name: string) => (keep.has(name) ? match : `${kind} ${name}`),
      )
      .trim()
  );
}

/** generator/runtime/issues.ts, for parse.ts. */
export async function issuesRuntimeSource(): Promise<string> {
  // Its validator types come from the generated validators.ts, which declares them (validatorTypesSource).
  return forEmbedding(await readFile(path.join(RUNTIME_DIR, 'issues.ts'), 'utf8')).replace(
    "from './validator.js';",
    "from './validators.js';",
  );
}

/** generator/runtime/validator.ts, exports kept: the validator types every generated validators.ts declares. */
export function validatorTypesSource(): string {
  return readFileSync(path.join(RUNTIME_DIR, 'validator.ts'), 'utf8')
    .replace(/^\/\*\*[\s\S]*?\*\/\n\n/, '')
    .trimEnd();
}

/** The normalizer `name` (generator/runtime/normalizers/<name>.ts), for parse.ts. */
export async function normalizerSource(name: string): Promise<string> {
  return forEmbedding(await readFile(path.join(RUNTIME_DIR, 'normalizers', `${name}.ts`), 'utf8'));
}

/** generator/runtime/on-failure-payload.ts, for on-failure.ts (which imports ValidationIssue from parse.ts). */
export async function onFailurePayloadSource(): Promise<string> {
  return forEmbedding(await readFile(path.join(RUNTIME_DIR, 'on-failure-payload.ts'), 'utf8')).replace(
    /^import type \{ ValidationIssue \} from '\.\/issues\.js';\n+/m,
    '',
  );
}

/** generator/runtime/topic-pattern.ts, for payloads.ts. */
export async function topicPatternSource(): Promise<string> {
  return forEmbedding(await readFile(path.join(RUNTIME_DIR, 'topic-pattern.ts'), 'utf8'));
}

/** generator/runtime/base64.ts, for records.ts. */
export async function base64RuntimeSource(): Promise<string> {
  return forEmbedding(await readFile(path.join(RUNTIME_DIR, 'base64.ts'), 'utf8'));
}

/** A runtime file for codecs.ts, `keep` exported. */
async function codecRuntimeSource(file: string, keep: ReadonlySet<string>): Promise<string> {
  return forEmbedding(await readFile(path.join(RUNTIME_DIR, file), 'utf8'), keep);
}

/** generator/runtime/binary-decode-error.ts, for codecs.ts: BinaryDecodeError stays exported. */
export function binaryDecodeErrorSource(): Promise<string> {
  return codecRuntimeSource('binary-decode-error.ts', new Set(['BinaryDecodeError']));
}

/** generator/runtime/payload-framing.ts, for codecs.ts: what payloads.ts imports stays exported. */
export function payloadFramingSource(): Promise<string> {
  return codecRuntimeSource(
    'payload-framing.ts',
    // registryOfSchemaId and SchemaMetadataFields: for testing.ts's frame() (testEncodersSource).
    new Set([
      'unframe',
      'decodeFailure',
      'registryOfSchemaId',
      'FramingExpectation',
      'SchemaMetadataFields',
      'Unframed',
    ]),
  );
}

/**
 * generator/runtime/protobuf-reader.ts, for generated Protobuf decoders (BinaryDecodeError's source
 * goes before it). Given the `code` of the codecs it serves, only the declarations they use
 * (directly or through each other) are kept, so the file meets `noUnusedLocals`.
 */
export async function protobufReaderSource(usedBy?: readonly string[]): Promise<string> {
  const source = forEmbedding(await readFile(path.join(RUNTIME_DIR, 'protobuf-reader.ts'), 'utf8'));
  return usedBy === undefined ? source : usedDeclarations(source, usedBy);
}

/** The top-level declarations of `source` (each with its JSDoc) that `code` reaches, in source order. */
function usedDeclarations(source: string, code: readonly string[]): string {
  const parts = source.split(/\n\n(?=\/\*\*|[a-z])/);
  const nameOf = (part: string): string | undefined =>
    /^(?:function|interface|type|const|class) (\w+)/m.exec(part.replace(/^\/\*\*[\s\S]*?\*\/\n/, ''))?.[1];
  const wanted = new Set<string>();
  const pending = [...code];
  while (pending.length > 0) {
    const text = pending.pop() as string;
    for (const part of parts) {
      const name = nameOf(part);
      if (name === undefined || wanted.has(name) || !new RegExp(`\\b${name}\\b`).test(text)) continue;
      wanted.add(name);
      pending.push(part.replace(/\/\*\*[\s\S]*?\*\//g, '')); // what its code uses, not its comments
    }
  }
  return parts.filter((part) => wanted.has(nameOf(part) ?? '')).join('\n\n');
}

/**
 * generator/runtime/avro-reader.ts, for the generated Avro decoders (emit/avro.ts), without its
 * import: the generated file declares BinaryDecodeError before it. Given the `code` of the
 * codecs that use it, only the declarations they need (directly or through each other), so
 * the generated file has no unused code.
 */
export async function avroReaderSource(usedBy?: readonly string[]): Promise<string> {
  const source = forEmbedding(await readFile(path.join(RUNTIME_DIR, 'avro-reader.ts'), 'utf8'));
  return usedBy === undefined ? source : usedDeclarations(source, usedBy);
}

/**
 * What testing.ts carries to encode typed Avro and Protobuf test values: `frame()`
 * (generator/runtime/payload-framing-writer.ts, whose import of payload-framing.ts becomes
 * testing.ts's import from codecs.ts) and the encoders `code` uses (avro-writer.ts's
 * `avroEncode`, protobuf-writer.ts's `protobufEncode`), each pruned to what is used.
 */
export async function testEncodersSource(code: readonly string[]): Promise<string> {
  const read = async (file: string) =>
    forEmbedding(
      await readFile(path.join(RUNTIME_DIR, file), 'utf8'),
      new Set(['FrameSchemaIds', 'DEFAULT_SCHEMA_IDS']),
    );
  const framing = (await read('payload-framing-writer.ts')).replace(
    /^import \{[^}]*\} from '\.\/payload-framing\.js';\n+/m,
    '',
  );
  const parts = [framing];
  const uses = (name: string) => code.some((text) => new RegExp(`\\b${name}\\b`).test(text));
  if (uses('avroEncode')) parts.push(usedDeclarations(await read('avro-writer.ts'), code));
  if (uses('protobufEncode')) parts.push(usedDeclarations(await read('protobuf-writer.ts'), code));
  return parts.join('\n\n');
}
