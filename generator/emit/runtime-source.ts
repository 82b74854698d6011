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

function forEmbedding(source: string): string {
  const body = source.replace(/^\/\*\*[\s\S]*?\*\/\n\n/, ''); // the file's own header comment
  return body
    .replace(/^export (function|interface|type|const|declare const) (\w+)/gm, (match, kind: string, name: string) =>
      PUBLIC.has(name) ? match : `${kind} ${name}`,
    )
    .trimEnd();
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

/** generator/runtime/topic-pattern.ts, for payloads.ts. */
export async function topicPatternSource(): Promise<string> {
  return forEmbedding(await readFile(path.join(RUNTIME_DIR, 'topic-pattern.ts'), 'utf8'));
}

/** generator/runtime/base64.ts, for records.ts. */
export async function base64RuntimeSource(): Promise<string> {
  return forEmbedding(await readFile(path.join(RUNTIME_DIR, 'base64.ts'), 'utf8'));
}

/**
 * generator/runtime/avro-reader.ts, for the generated Avro decoders (emit/avro.ts), without its
 * import: the generated file declares BinaryDecodeError before it. Given the `code` of the
 * codecs that use it, only the declarations they need (directly or through each other), so
 * the generated file has no unused code.
 */
export async function avroReaderSource(codes?: readonly string[]): Promise<string> {
  const source = await readFile(path.join(RUNTIME_DIR, 'avro-reader.ts'), 'utf8');
  const body = forEmbedding(source.replace("import { BinaryDecodeError } from './binary-decode-error.js';\n", ''));
  if (codes === undefined) return body;
  // Top-level declarations are separated by blank lines (none occurs inside one).
  const declarations = body.split('\n\n').map((text) => ({
    text,
    name: /^(?:function|interface|const|type) (\w+)/m.exec(text)?.[1] ?? '',
  }));
  const used = new Set<string>();
  const pending = [...codes];
  while (pending.length > 0) {
    const text = pending.pop() ?? '';
    for (const declaration of declarations) {
      if (declaration.name === '' || used.has(declaration.name) || !new RegExp(`\\b${declaration.name}\\b`).test(text))
        continue;
      used.add(declaration.name);
      pending.push(declaration.text.replace(/\/\*\*[\s\S]*?\*\//g, '')); // what its code uses, not its comments
    }
  }
  return declarations
    .filter((declaration) => used.has(declaration.name))
    .map((declaration) => declaration.text)
    .join('\n\n');
}
