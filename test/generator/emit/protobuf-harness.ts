/**
 * Builds a Protobuf codec the way the integrator assembles a generated file (BinaryDecodeError's
 * source, the reader's source, the codec's types and code), type-checks it under the strict
 * settings (STRICTEST: no unused code either) and imports it (transpiled by `ts.transpileModule`, from a temporary file).
 */
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { loadProtobufSchema } from '../../../generator/core/protobuf-schema.js';
import { protobufReaderSource } from '../../../generator/emit/runtime-source.js';
import { emitProtobufCodec } from '../../../generator/emit/protobuf.js';
import type { EmittedCodec } from '../../../generator/emit/codecs.js';
import { REPO_ROOT, tempDir } from '../../helpers.js';
import { createProgram, STRICTEST } from '../../typescript.js';

export interface BuiltCodec {
  readonly codec: EmittedCodec;
  readonly source: string;
  readonly decode: (bytes: Uint8Array) => unknown;
  readonly BinaryDecodeError: new (...args: never[]) => Error;
}

/** The assembled TypeScript of a generated codec file (BinaryDecodeError exported for the tests). */
export async function assemble(codecs: readonly EmittedCodec[]): Promise<string> {
  const errorSource = (
    await readFile(path.join(REPO_ROOT, 'generator/runtime/binary-decode-error.ts'), 'utf8')
  ).replace(/^\/\*\*[\s\S]*?\*\/\n/, '');
  return [
    errorSource.trimEnd(),
    await protobufReaderSource(codecs.map((c) => c.code)),
    ...codecs.flatMap((c) => [c.types, c.code]),
  ].join('\n\n');
}

/** Strict TypeScript errors of `source` (a module), as text; '' when there are none. */
export async function typeErrors(source: string, extra = ''): Promise<string> {
  const dir = await tempDir('msk-codegen-proto-');
  const file = path.join(dir, 'codec.ts');
  await writeFile(file, source);
  await writeFile(path.join(dir, 'package.json'), '{"type": "module"}\n');
  const roots = [file];
  if (extra !== '') {
    await writeFile(path.join(dir, 'use.ts'), extra);
    roots.push(path.join(dir, 'use.ts'));
  }
  const program = createProgram(roots, STRICTEST);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => {
      const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      return `${where ? `${where.line + 1}:${where.character + 1} ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    })
    .join('\n');
}

let counter = 0;

/** Imports the assembled source. */
export async function importSource(source: string): Promise<Record<string, unknown>> {
  const js = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  const dir = await tempDir('msk-codegen-proto-js-');
  const file = path.join(dir, `codec-${counter++}.mjs`);
  await writeFile(file, js);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

/** Loads `proto`, emits `message`'s codec, and imports it (type-checking it too when `check`). */
export async function buildCodec(
  proto: string,
  message: string,
  longs: 'number' | 'bigint' = 'number',
  check = false,
): Promise<BuiltCodec> {
  const model = loadProtobufSchema('/virtual/test.proto', proto);
  const codec = emitProtobufCodec(model, message, { longs });
  const source = await assemble([codec]);
  if (check) {
    const errors = await typeErrors(source);
    if (errors !== '') throw new Error(`generated code does not type-check:\n${errors}\n\n${source}`);
  }
  const mod = await importSource(source);
  return {
    codec,
    source,
    decode: mod[codec.decoderName] as (bytes: Uint8Array) => unknown,
    BinaryDecodeError: mod['BinaryDecodeError'] as new (...args: never[]) => Error,
  };
}
