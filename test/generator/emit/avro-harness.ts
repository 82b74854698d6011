/**
 * Builds generated Avro codecs for tests: the file the integrator assembles (BinaryDecodeError,
 * the reader, the codec's types and code), type-checked on demand and run after
 * `ts.transpileModule`; plus an independent seeded value generator and the normalisation of
 * avsc's values (Buffers, wrapped unions) to the generated decoders' representation.
 */
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import ts from 'typescript';
import { parseAvroSchema } from '../../../generator/core/avro-schema.js';
import { emitAvroCodec } from '../../../generator/emit/avro.js';
import type { EmittedCodec } from '../../../generator/emit/codecs.js';
import { avroReaderSource } from '../../../generator/emit/runtime-source.js';
import { REPO_ROOT } from '../../helpers.js';
export { prng } from '../../prng.js';

export interface BuiltCodec {
  readonly codec: EmittedCodec;
  /** The whole generated module's TypeScript. */
  readonly source: string;
  readonly decode: (bytes: Uint8Array) => unknown;
  readonly BinaryDecodeError: new (...args: never[]) => Error;
}

/** The generated module for `schema` (its JSON value), as the integrator would assemble it. */
export async function codecSource(
  schema: unknown,
  longs: 'number' | 'bigint' = 'number',
  file = '/schemas/value.avsc',
) {
  const text = JSON.stringify(schema, null, 2);
  const codec = emitAvroCodec(parseAvroSchema(file, text), { longs });
  const errorSource = (
    await readFile(path.join(REPO_ROOT, 'generator/runtime/binary-decode-error.ts'), 'utf8')
  ).replace(/^\/\*\*[\s\S]*?\*\/\n/, '');
  const source =
    [errorSource.trimEnd(), await avroReaderSource([codec.code]), codec.types, codec.code].join('\n\n') + '\n';
  return { codec, source };
}

export async function buildCodec(schema: unknown, longs: 'number' | 'bigint' = 'number'): Promise<BuiltCodec> {
  const { codec, source } = await codecSource(schema, longs);
  const js = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  const module = await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`);
  return { codec, source, decode: module[codec.decoderName], BinaryDecodeError: module.BinaryDecodeError };
}

export async function writeSource(dir: string, name: string, source: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, source);
  return file;
}

// biome-ignore lint/suspicious/noExplicitAny: avsc has no types
type AvscType = any;

const STRINGS = ['', 'a', 'Zoë', '\uFEFFbom', '日本語', '😀 emoji', '__proto__', 'x'.repeat(200), 'line\nbreak'];

/**
 * A random value of the avsc type `type` in avsc's own representation (wrapped unions,
 * Buffers), with edge cases often: extreme ints and longs, empty and long strings, a leading
 * U+FEFF, `__proto__` as a map key.
 */
export function randomAvroValue(type: AvscType, random: () => number, depth = 0): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const count = () => (depth > 3 ? 0 : Math.floor(random() * 4));
  switch (type.typeName) {
    case 'null':
      return null;
    case 'boolean':
      return random() < 0.5;
    case 'int':
      return random() < 0.3
        ? pick([0, -1, 1, 63, -64, 64, 2147483647, -2147483648])
        : Math.floor((random() - 0.5) * 2 ** 32);
    case 'long':
      return random() < 0.3
        ? pick([0, -1, 2 ** 52 - 1, -(2 ** 52), 2 ** 31, -(2 ** 31) - 1])
        : // avsc encodes with float arithmetic, exact within ±2^52 only (test/generator/emit/avro.test.ts covers the rest).
          Math.floor((random() - 0.5) * 2 ** (1 + Math.floor(random() * 52)));
    case 'float':
      return Math.fround(
        random() < 0.2 ? pick([0, -1.5, 3.4e38, 1e-40, Number.POSITIVE_INFINITY]) : (random() - 0.5) * 1e6,
      );
    case 'double':
      return random() < 0.2
        ? pick([0, -0.5, 1.7976931348623157e308, 5e-324, Number.NEGATIVE_INFINITY])
        : (random() - 0.5) * 1e12;
    case 'bytes':
      return Buffer.from(Array.from({ length: Math.floor(random() * 20) }, () => Math.floor(random() * 256)));
    case 'fixed':
      return Buffer.from(Array.from({ length: type.size }, () => Math.floor(random() * 256)));
    case 'string':
      return random() < 0.5 ? pick(STRINGS) : Math.floor(random() * 1e9).toString(36);
    case 'enum':
      return pick(type.symbols);
    case 'array':
      return Array.from({ length: count() }, () => randomAvroValue(type.itemsType, random, depth + 1));
    case 'map': {
      const map = Object.create(null) as Record<string, unknown>;
      for (let i = count(); i > 0; i--) map[pick(STRINGS)] = randomAvroValue(type.valuesType, random, depth + 1);
      return map;
    }
    case 'union:wrapped': {
      // Deep down, prefer null (recursion ends) when there is one.
      const types: AvscType[] = type.types;
      const branch =
        depth > 3 && types.some((t) => t.typeName === 'null') ? types.find((t) => t.typeName === 'null') : pick(types);
      return branch.typeName === 'null' ? null : { [branch.branchName]: randomAvroValue(branch, random, depth + 1) };
    }
    case 'record':
    case 'error': {
      const record: Record<string, unknown> = {};
      for (const field of type.fields) setOwn(record, field.name, randomAvroValue(field.type, random, depth + 1));
      return record;
    }
    default:
      throw new Error(`no generator for ${type.typeName}`);
  }
}

/** avsc's value in the generated decoders' representation: Buffers as Uint8Array copies, unions unwrapped, maps without prototype. */
export function normalizeAvro(type: AvscType, value: unknown): unknown {
  switch (type.typeName) {
    case 'bytes':
    case 'fixed':
      return new Uint8Array(value as Buffer);
    case 'array':
      return (value as unknown[]).map((item) => normalizeAvro(type.itemsType, item));
    case 'map': {
      const map = Object.create(null) as Record<string, unknown>;
      for (const [key, item] of Object.entries(value as object)) map[key] = normalizeAvro(type.valuesType, item);
      return map;
    }
    case 'union:wrapped': {
      if (value === null) return null;
      const [name, inner] = Object.entries(value as object)[0] as [string, unknown];
      return normalizeAvro(
        type.types.find((t: AvscType) => t.branchName === name),
        inner,
      );
    }
    case 'record':
    case 'error': {
      const record: Record<string, unknown> = {};
      for (const field of type.fields)
        setOwn(record, field.name, normalizeAvro(field.type, (value as Record<string, unknown>)[field.name]));
      return record;
    }
    default:
      return value;
  }
}

/** `object[key] = value` as an own data property, even for `__proto__`. */
function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}
