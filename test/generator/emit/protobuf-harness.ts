/**
 * Builds a Protobuf codec the way the integrator assembles a generated file (BinaryDecodeError's
 * source, the reader's source, the codec's types and code), type-checks it under the strict
 * settings (STRICTEST: no unused code either) and imports it (transpiled by `ts.transpileModule`, from a temporary file).
 * Also the reference side of the differential tests: protobufjs's root of a .proto, seeded random
 * values in both representations (Values), and protobufjs's decoded messages in the decoders' shape.
 */
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import protobuf from 'protobufjs';
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

/** The reference: protobufjs with the well-known types from its own bundled definitions. */
export function referenceRoot(text: string): protobuf.Root {
  const root = new protobuf.Root();
  for (const file of [
    'google/protobuf/timestamp.proto',
    'google/protobuf/duration.proto',
    'google/protobuf/wrappers.proto',
  ]) {
    const json = protobuf.common.get(file);
    if (json === null) throw new Error(`protobufjs has no ${file}`);
    root.addJSON(json.nested as protobuf.INamespace['nested'] & object);
  }
  protobuf.parse(text, root, { keepCase: true });
  root.resolveAll();
  return root;
}

export const LONG = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
export const WRAPPER = /^\.google\.protobuf\.(\w+)Value$/;

/** Random values of a message, as [what the generated decoder must return, what protobufjs's fromObject takes]. */
export class Values {
  private readonly random: () => number;
  private readonly longs: 'number' | 'bigint';

  constructor(random: () => number, longs: 'number' | 'bigint') {
    this.random = random;
    this.longs = longs;
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  bigint(signed: boolean): bigint {
    const max = this.longs === 'number' ? 2n ** 53n - 1n : signed ? 2n ** 63n - 1n : 2n ** 64n - 1n;
    const min = !signed ? 0n : this.longs === 'number' ? -(2n ** 53n - 1n) : -(2n ** 63n);
    const edges = [0n, 1n, -1n, 127n, 128n, 300n, max, min, max - 1n, 2n ** 31n, 2n ** 32n, -(2n ** 31n) - 1n].filter(
      (v) => v >= min && v <= max,
    );
    if (this.random() < 0.3) return this.pick(edges);
    const bits = BigInt(this.int(1, 64));
    let v = 0n;
    for (let i = 0n; i < bits; i += 16n) v = (v << 16n) | BigInt(this.int(0, 0xffff));
    v &= (1n << bits) - 1n;
    if (signed && this.random() < 0.5) v = -v;
    return v < min ? min : v > max ? max : v;
  }

  string(): string {
    const n = this.int(0, 12);
    let s = this.random() < 0.1 ? '\uFEFF' : '';
    for (let i = 0; i < n; i++) {
      const r = this.random();
      if (r < 0.5) s += String.fromCharCode(this.int(0x20, 0x7e));
      else if (r < 0.7) s += String.fromCharCode(this.int(0xa0, 0x7ff));
      else if (r < 0.85) s += String.fromCharCode(this.int(0x800, 0xd7ff));
      else s += String.fromCodePoint(this.int(0x10000, 0x10ffff));
    }
    return s;
  }

  scalar(type: string): [unknown, unknown] {
    switch (type) {
      case 'double': {
        const v = this.pick([0, -0, 1.5, Number.NaN, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE, null]);
        const d = v ?? (this.random() - 0.5) * 10 ** this.int(-300, 300);
        return [d, d];
      }
      case 'float': {
        const f = Math.fround(
          this.random() < 0.2
            ? this.pick([0, -0, Number.NaN, Infinity])
            : (this.random() - 0.5) * 10 ** this.int(-30, 30),
        );
        return [f, f];
      }
      case 'int32':
      case 'sint32':
      case 'sfixed32': {
        const v =
          this.random() < 0.3 ? this.pick([0, -1, 1, 2147483647, -2147483648]) : this.int(-2147483648, 2147483647);
        return [v, v];
      }
      case 'uint32':
      case 'fixed32': {
        const v = this.random() < 0.3 ? this.pick([0, 1, 127, 128, 4294967295]) : this.int(0, 4294967295);
        return [v, v];
      }
      case 'bool': {
        const b = this.random() < 0.5;
        return [b, b];
      }
      case 'string': {
        const s = this.string();
        return [s, s];
      }
      case 'bytes': {
        const b = Uint8Array.from({ length: this.int(0, 10) }, () => this.int(0, 255));
        return [b, b];
      }
      default: {
        const v = this.bigint(!type.startsWith('u') && type !== 'fixed64');
        return [this.longs === 'bigint' ? v : Number(v), v.toString()];
      }
    }
  }

  value(field: protobuf.Field, depth: number): [unknown, unknown] {
    const t = field.resolvedType;
    if (t instanceof protobuf.Enum) {
      const names = Object.keys(t.values);
      if (this.random() < 0.2) {
        const n = this.int(3, 1000) * (this.random() < 0.5 ? -1 : 1);
        return [n, n];
      }
      const name = this.pick(names);
      return [name, name];
    }
    if (t instanceof protobuf.Type) {
      const wrapper = WRAPPER.exec(t.fullName);
      if (wrapper !== null) {
        const [e, p] = this.scalar((t.fields['value'] as protobuf.Field).type);
        return [e, { value: p }];
      }
      return this.message(t, depth + 1);
    }
    return this.scalar(field.type);
  }

  message(type: protobuf.Type, depth: number): [Record<string, unknown>, Record<string, unknown>] {
    const expected: Record<string, unknown> = {};
    const input: Record<string, unknown> = {};
    const deep = depth > 3;
    for (const oneof of type.oneofsArray) {
      if (oneof.fieldsArray.length === 1 && oneof.fieldsArray[0]?.options?.['proto3_optional']) continue;
      const member = deep || this.random() < 0.2 ? undefined : this.pick(oneof.fieldsArray);
      if (member === undefined) expected[oneof.name] = { case: undefined };
      else {
        const [e, p] = this.value(member, depth);
        expected[oneof.name] = { case: member.name, value: e };
        input[member.name] = p;
      }
    }
    for (const field of type.fieldsArray) {
      if (field.partOf !== null && !field.options?.['proto3_optional']) continue;
      const name = field.name;
      if (field.map) {
        const out: Record<string, unknown> = Object.create(null);
        const inp: Record<string, unknown> = {};
        const n = deep ? 0 : this.int(0, 4);
        for (let i = 0; i < n; i++) {
          const [k] = this.scalar((field as unknown as { keyType: string }).keyType);
          const key = String(k);
          const [e, p] = this.value(field, depth);
          out[key] = e;
          inp[key] = p;
        }
        expected[name] = out;
        input[name] = inp;
      } else if (field.repeated) {
        const n = deep ? 0 : this.int(0, 5);
        const e: unknown[] = [];
        const p: unknown[] = [];
        for (let i = 0; i < n; i++) {
          const [ev, pv] = this.value(field, depth);
          e.push(ev);
          p.push(pv);
        }
        expected[name] = e;
        input[name] = p;
      } else if (field.options?.['proto3_optional'] || field.resolvedType instanceof protobuf.Type) {
        if (deep || this.random() < 0.4) continue;
        const [e, p] = this.value(field, depth);
        expected[name] = e;
        input[name] = p;
      } else if (this.random() < 0.2) {
        // Not on the wire: the default.
        expected[name] =
          field.resolvedType instanceof protobuf.Enum
            ? Object.keys(field.resolvedType.values)[0]
            : LONG.has(field.type)
              ? this.longs === 'bigint'
                ? 0n
                : 0
              : field.type === 'bool'
                ? false
                : field.type === 'string'
                  ? ''
                  : field.type === 'bytes'
                    ? new Uint8Array(0)
                    : 0;
      } else {
        const [e, p] = this.value(field, depth);
        expected[name] = e;
        input[name] = p;
      }
    }
    return [expected, input];
  }
}

/** protobufjs's decoded message in the generated decoder's shape (for bytes both accept). */
export function normalise(
  msg: protobuf.Message & Record<string, unknown>,
  type: protobuf.Type,
  longs: 'number' | 'bigint',
): unknown {
  const wrapper = WRAPPER.exec(type.fullName);
  const conv = (v: unknown, field: protobuf.Field): unknown => {
    const t = field.resolvedType;
    if (t instanceof protobuf.Enum) return t.valuesById[v as number] ?? v;
    if (t instanceof protobuf.Type) return normalise(v as protobuf.Message & Record<string, unknown>, t, longs);
    if (LONG.has(field.type)) {
      const big = BigInt(typeof v === 'number' ? v : String(v));
      return longs === 'bigint' ? big : Number(big);
    }
    if (field.type === 'bytes') return new Uint8Array(v as Uint8Array);
    return v;
  };
  const out: Record<string, unknown> = {};
  for (const oneof of type.oneofsArray) {
    if (oneof.fieldsArray.length === 1 && oneof.fieldsArray[0]?.options?.['proto3_optional']) continue;
    const set = oneof.fieldsArray.find(
      (f) => Object.hasOwn(msg, f.name) && msg[f.name] !== null && msg[f.name] !== undefined,
    );
    out[oneof.name] = set === undefined ? { case: undefined } : { case: set.name, value: conv(msg[set.name], set) };
  }
  for (const field of type.fieldsArray) {
    if (field.partOf !== null && !field.options?.['proto3_optional']) continue;
    const v = msg[field.name];
    if (field.map) {
      const m: Record<string, unknown> = Object.create(null);
      const keyType = (field as unknown as { keyType: string }).keyType;
      for (const [k, x] of Object.entries(v as object)) {
        // protobufjs keys 64-bit map entries by an 8-character hash, but by the number when the entry has no key.
        const key =
          LONG.has(keyType) && k.length === 8
            ? protobuf.util.LongBits.fromHash(k)
                .toLong(keyType.startsWith('u') || keyType === 'fixed64')
                .toString()
            : k;
        m[key] = conv(x, field);
      }
      out[field.name] = m;
    } else if (field.repeated) out[field.name] = (v as unknown[]).map((x) => conv(x, field));
    else if (field.options?.['proto3_optional'] || field.resolvedType instanceof protobuf.Type) {
      if (Object.hasOwn(msg, field.name) && v !== null && v !== undefined) out[field.name] = conv(v, field);
    } else out[field.name] = conv(v, field);
  }
  return wrapper !== null ? out['value'] : out;
}
