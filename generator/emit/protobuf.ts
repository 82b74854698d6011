/**
 * A Protobuf message's TypeScript types and its decoder, emitted as code (no protobufjs or
 * @bufbuild at run time). The decoder reads with generator/runtime/protobuf-reader.ts's
 * functions (embedded before this code) and throws BinaryDecodeError on bad bytes.
 *
 * The type mapping (deliberate; also in the JSDoc of what is generated):
 * - double, float, int32, uint32, sint32, fixed32, sfixed32 -> `number`; bool -> `boolean`;
 *   string -> `string` (bad UTF-8 is an error).
 * - int64, uint64, sint64, fixed64, sfixed64 -> `number` with `longs: 'number'` (a value outside
 *   +-(2^53-1) is a BinaryDecodeError, never a rounded number) or `bigint` with `longs: 'bigint'`.
 * - bytes -> `Uint8Array`, a subarray of the decoded bytes (no copy: it shares their memory).
 * - enum -> the union of its value names and `number` (proto3 enums are open: an unknown number
 *   decodes to the number; proto2 enums are treated the same way).
 * - Implicit-presence fields (proto3 without `optional`) are always present, with their default
 *   when not on the wire; `optional` fields, proto2 fields and message fields are optional
 *   properties, absent when not on the wire. repeated -> `T[]` (packed and unpacked both read);
 *   map -> `Record<string, V>` on an object with no Object.prototype in its chain (integer keys as decimal text, bool
 *   keys as `true`/`false`); oneof -> `{ case: 'a'; value: A } | ... | { case: undefined }`.
 * - A message field seen twice is merged, a scalar's last value wins, repeated fields append;
 *   unknown fields are skipped by wire type (unknown groups too); a known field with the wrong wire
 *   type is an error naming the field.
 * - google.protobuf.Timestamp / Duration -> `{ seconds, nanos }`; the wrappers
 *   (google.protobuf.StringValue, ...) -> their value, `T | undefined`.
 * - Nested messages and enums are named `Outer_Inner`.
 */
import type { EmittedCodec } from './codecs.js';
import { PROTOBUF_WRITER_WIRE_TYPES } from '../runtime/protobuf-writer.js';
import { CodegenError, DiagnosticCodes } from '../core/diagnostics.js';
import { isDeclarableName } from '../core/identifiers.js';
import {
  type ProtoEnum,
  type ProtoField,
  type ProtoMessage,
  type ProtoScalar,
  type ProtoSchema,
  type ProtoValueType,
  mapEntryName,
  resolveMessage,
  WRAPPERS,
} from '../core/protobuf-schema.js';

export interface ProtobufCodecOptions {
  readonly longs: 'number' | 'bigint';
}

// One table with the encoder's (runtime/protobuf-writer.ts imports nothing, so it is the home).
const WIRE: Readonly<Record<ProtoScalar, number>> = PROTOBUF_WRITER_WIRE_TYPES;

/** Globals and run-time names the generated code refers to: a declared type of the same name would shadow them. */
const USED_GLOBALS: ReadonlySet<string> = new Set([
  'Array',
  'BigInt',
  'BinaryDecodeError',
  'DataView',
  'Error',
  'Number',
  'Object',
  'ProtobufReader',
  'Record',
  'String',
  'Uint8Array',
]);

const LONGS: ReadonlySet<ProtoScalar> = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

const READER: Readonly<Record<ProtoScalar, string>> = {
  double: 'protobufDouble',
  float: 'protobufFloat',
  int32: 'protobufInt32',
  int64: 'protobufInt64',
  uint32: 'protobufUint32',
  uint64: 'protobufUint64',
  sint32: 'protobufSint32',
  sint64: 'protobufSint64',
  fixed32: 'protobufFixed32',
  fixed64: 'protobufFixed64',
  sfixed32: 'protobufSfixed32',
  sfixed64: 'protobufSfixed64',
  bool: 'protobufBool',
  string: 'protobufString',
  bytes: 'protobufBytes',
};

function jsDoc(lines: readonly (string | undefined)[], indent = ''): string {
  const text = lines
    .filter((l): l is string => l !== undefined && l !== '')
    .join('\n')
    .replace(/\*\//g, '*\\/');
  if (text === '') return '';
  const body = text.split('\n');
  if (body.length === 1) return `${indent}/** ${body[0]} */\n`;
  return `${indent}/**\n${body.map((l) => `${indent} *${l === '' ? '' : ` ${l}`}`).join('\n')}\n${indent} */\n`;
}

/** Types, decoder and helpers for `message` (full name, or relative to the file's package) of `model`. */
export function emitProtobufCodec(model: ProtoSchema, message: string, options: ProtobufCodecOptions): EmittedCodec {
  const rootName = resolveMessage(model, message);
  const bigint = options.longs === 'bigint';
  const messageOf = (fullName: string): ProtoMessage => {
    const m = model.messages.get(fullName);
    if (m === undefined) throw new Error(`no message ${fullName}`);
    return m;
  };
  const enumOf = (fullName: string): ProtoEnum => {
    const e = model.enums.get(fullName);
    if (e === undefined) throw new Error(`no enum ${fullName}`);
    return e;
  };
  const fail = (text: string): never => {
    throw new CodegenError([{ code: DiagnosticCodes.invalidProtoSchema, file: model.file, message: text }]);
  };

  // What the root message reaches, in a fixed (breadth-first, declaration) order.
  const messages: ProtoMessage[] = [];
  const enums: ProtoEnum[] = [];
  const seen = new Set<string>();
  const queue: string[] = [rootName];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const m = messageOf(name);
    messages.push(m);
    for (const f of m.fields) {
      if (f.name === '__proto__') fail(`expected a field name other than __proto__ in message ${m.fullName}`);
      if (f.type.kind === 'message') queue.push(f.type.fullName);
      else if (f.type.kind === 'enum' && !seen.has(f.type.fullName)) {
        seen.add(f.type.fullName);
        enums.push(enumOf(f.type.fullName));
      }
    }
  }
  const typed = messages.filter((m) => !WRAPPERS.has(m.fullName));
  const declaredTypes = [...typed.map((m) => m.typeName), ...enums.map((e) => e.typeName)];
  const unusable = declaredTypes.find((n) => !isDeclarableName(n) || USED_GLOBALS.has(n));
  if (unusable !== undefined)
    fail(
      `expected message and enum names that can name a TypeScript type: ${unusable} is reserved or names a global the decoder uses`,
    );
  const clash = declaredTypes.find((n, i) => declaredTypes.indexOf(n) !== i);
  if (clash !== undefined)
    fail(`expected distinct TypeScript names for the messages and enums: two are named ${clash}`);

  const scalarType = (s: ProtoScalar): string => {
    if (LONGS.has(s)) return bigint ? 'bigint' : 'number';
    if (s === 'bool') return 'boolean';
    if (s === 'string') return 'string';
    if (s === 'bytes') return 'Uint8Array';
    return 'number';
  };
  const valueTsType = (t: ProtoValueType): string => {
    if (t.kind === 'scalar') return scalarType(t.scalar);
    if (t.kind === 'enum') return enumOf(t.fullName).typeName;
    if (WRAPPERS.has(t.fullName)) return valueTsType((messageOf(t.fullName).fields[0] as ProtoField).type);
    return messageOf(t.fullName).typeName;
  };
  const mapping = (t: ProtoValueType): string | undefined => {
    if (t.kind === 'scalar' && LONGS.has(t.scalar))
      return bigint
        ? `${t.scalar}: a bigint.`
        : `${t.scalar}: a number; a value outside +-(2^53-1) is a decode error (set "longs": "bigint" for the full range).`;
    if (t.kind === 'scalar' && t.scalar === 'bytes') return 'bytes: a subarray of the decoded bytes (not a copy).';
    if (t.kind === 'message' && WRAPPERS.has(t.fullName))
      return `${t.fullName}: its value, absent when the field is not on the wire.`;
    return undefined;
  };
  const fieldTsType = (f: ProtoField): string => {
    const v = valueTsType(f.type);
    if (f.label === 'repeated') return `${/\W/.test(v) ? `(${v})` : v}[]`;
    if (f.label === 'map') return `Record<string, ${v}>`;
    return v;
  };

  const mapNote = (f: ProtoField): string => {
    if (f.label !== 'map' || f.keyType === undefined) return '';
    const keys =
      f.keyType === 'string' ? '' : f.keyType === 'bool' ? ' (keys `true`/`false`)' : ' (keys as decimal text)';
    return ` A map${keys} on an object with no Object.prototype in its chain: every key is data.`;
  };

  // Types.
  const typeParts: string[] = [];
  for (const m of typed) {
    let body = '';
    const doneOneofs = new Set<string>();
    for (const f of m.fields) {
      if (f.oneof !== undefined) {
        if (doneOneofs.has(f.oneof)) continue;
        doneOneofs.add(f.oneof);
        const oneof = m.oneofs.find((o) => o.name === f.oneof);
        const members = m.fields.filter((g) => g.oneof === f.oneof);
        const cases = members.map((g) => `{ case: ${JSON.stringify(g.name)}; value: ${valueTsType(g.type)} }`);
        body += jsDoc(
          [oneof?.doc, `oneof ${f.oneof}: the member last on the wire, \`{ case: undefined }\` when none is.`],
          '  ',
        );
        body += `  ${f.oneof}: ${[...cases, '{ case: undefined }'].join(' | ')};\n`;
        continue;
      }
      const presence =
        f.label === 'optional'
          ? 'Absent when not on the wire.'
          : f.label === 'singular'
            ? 'Its default when not on the wire.'
            : undefined;
      body += jsDoc(
        [f.doc, `Field ${f.number}.${presence === undefined ? '' : ` ${presence}`}${mapNote(f)}`, mapping(f.type)],
        '  ',
      );
      body += `  ${f.name}${f.label === 'optional' ? '?' : ''}: ${fieldTsType(f)};\n`;
    }
    const doc = jsDoc([m.doc, `Protobuf message \`${m.fullName}\`.`]);
    typeParts.push(`${doc}export interface ${m.typeName} {\n${body}}`);
  }
  for (const e of enums) {
    const names: string[] = [];
    for (const v of e.values) if (!names.includes(v.name)) names.push(v.name);
    const doc = jsDoc([
      e.doc,
      `Protobuf enum \`${e.fullName}\`: the value's name, or its number when the schema names none (enums are open).`,
      ...e.values.filter((v) => v.doc !== undefined).map((v) => `- \`${v.name}\` (${v.number}): ${v.doc}`),
    ]);
    typeParts.push(
      `${doc}export type ${e.typeName} = ${[...names.map((n) => JSON.stringify(n)), 'number'].join(' | ')};`,
    );
  }

  // Code.
  const reader = (s: ProtoScalar): string => `${READER[s]}${LONGS.has(s) && bigint ? 'BigInt' : ''}`;
  const defaultOf = (t: ProtoValueType): string => {
    if (t.kind === 'enum') return JSON.stringify(enumOf(t.fullName).values[0]?.name ?? 0);
    if (t.kind === 'message') return 'undefined';
    if (LONGS.has(t.scalar)) return bigint ? '0n' : '0';
    if (t.scalar === 'bool') return 'false';
    if (t.scalar === 'string') return "''";
    if (t.scalar === 'bytes') return 'new Uint8Array(0)';
    return '0';
  };
  const readFn = (fullName: string): string => `read${messageOf(fullName).typeName}`;
  /** An expression reading one value of a non-message type at r.pos, bounded by `end`. */
  const readValue = (t: ProtoValueType, end: string): string =>
    t.kind === 'scalar'
      ? `${reader(t.scalar)}(r, ${end})`
      : `read${enumOf((t as { fullName: string }).fullName).typeName}(r, ${end})`;
  const wireOf = (t: ProtoValueType): number => (t.kind === 'scalar' ? WIRE[t.scalar] : t.kind === 'enum' ? 0 : 2);
  const packable = (t: ProtoValueType): boolean => t.kind === 'enum' || (t.kind === 'scalar' && WIRE[t.scalar] !== 2);
  const check = (f: ProtoField, wire: number, name: string): string =>
    `if (tag !== ${f.number * 8 + wire}) protobufWireTypeError(at, tag, ${JSON.stringify(name)}, ${wire});`;

  const codeParts: string[] = [];
  const root = messageOf(rootName);
  const decoderName = `decode${root.typeName}Protobuf`;
  const rootType = valueTsType({ kind: 'message', fullName: rootName });
  codeParts.push(
    `${jsDoc([
      `Decodes a \`${root.fullName}\` Protobuf message from all of \`bytes\` (no framing).`,
      '@throws BinaryDecodeError when the bytes are not such a message: truncated, malformed, a field with the wrong wire type.',
    ])}export function ${decoderName}(bytes: Uint8Array): ${rootType} {\n` +
      `  return ${readFn(rootName)}(protobufReader(bytes), bytes.length, undefined);\n}`,
  );

  for (const m of messages) {
    const self = `${m.fullName}`;
    const tsType = valueTsType({ kind: 'message', fullName: m.fullName });
    const cases: string[] = [];
    let init: string;
    const resultName = WRAPPERS.has(m.fullName) ? 'value' : 'm';
    if (WRAPPERS.has(m.fullName)) {
      const f = m.fields[0] as ProtoField;
      init = `  let value = into ?? ${defaultOf(f.type)};\n`;
      cases.push(
        `      case 1:\n        ${check(f, wireOf(f.type), `${self}.value`)}\n        value = ${readValue(f.type, 'end')};\n        break;`,
      );
    } else {
      const props: string[] = [];
      const oneofsDone = new Set<string>();
      for (const f of m.fields) {
        if (f.oneof !== undefined) {
          if (!oneofsDone.has(f.oneof)) props.push(`${f.oneof}: { case: undefined }`);
          oneofsDone.add(f.oneof);
        } else if (f.label === 'singular') props.push(`${f.name}: ${defaultOf(f.type)}`);
        else if (f.label === 'repeated') props.push(`${f.name}: []`);
        else if (f.label === 'map') props.push(`${f.name}: protobufMap()`);
      }
      init = `  const m: ${tsType} = into ?? { ${props.join(', ')} };\n`;
      for (const f of m.fields) {
        const label = `${m.typeName}.${f.name}`;
        const lines: string[] = [];
        const wire = wireOf(f.type);
        if (f.label === 'map') {
          lines.push(
            check(f, 2, label),
            `${readFn(`${m.fullName}.${mapEntryName(f.name)}`)}(r, protobufLengthEnd(r, end), m.${f.name});`,
          );
        } else if (f.label === 'repeated' && packable(f.type)) {
          lines.push(
            `if (tag === ${f.number * 8 + 2}) {`,
            '  const stop = protobufLengthEnd(r, end);',
            `  while (r.pos < stop) m.${f.name}.push(${readValue(f.type, 'stop')});`,
            `} else if (tag === ${f.number * 8 + wire}) m.${f.name}.push(${readValue(f.type, 'end')});`,
            `else protobufWireTypeError(at, tag, ${JSON.stringify(label)}, 2);`,
          );
        } else if (f.type.kind === 'message') {
          const fn = readFn(f.type.fullName);
          lines.push(check(f, 2, label));
          if (f.label === 'repeated') lines.push(`m.${f.name}.push(${fn}(r, protobufLengthEnd(r, end), undefined));`);
          else if (f.oneof !== undefined)
            lines.push(
              `m.${f.oneof} = { case: ${JSON.stringify(f.name)}, value: ${fn}(r, protobufLengthEnd(r, end), m.${f.oneof}.case === ${JSON.stringify(f.name)} ? m.${f.oneof}.value : undefined) };`,
            );
          else lines.push(`m.${f.name} = ${fn}(r, protobufLengthEnd(r, end), m.${f.name});`);
        } else {
          lines.push(check(f, wire, label));
          if (f.label === 'repeated') lines.push(`m.${f.name}.push(${readValue(f.type, 'end')});`);
          else if (f.oneof !== undefined)
            lines.push(`m.${f.oneof} = { case: ${JSON.stringify(f.name)}, value: ${readValue(f.type, 'end')} };`);
          else lines.push(`m.${f.name} = ${readValue(f.type, 'end')};`);
        }
        cases.push(
          `      case ${f.number}: {\n${lines.map((l) => `        ${l}`).join('\n')}\n        break;\n      }`,
        );
      }
    }
    const cases2 = cases.length === 0 ? '' : `${cases.join('\n')}\n`;
    codeParts.push(
      `${jsDoc([`Reads a \`${m.fullName}\` from r.pos to \`end\`, merged into \`into\` (the same field seen before) when given.`])}` +
        `function ${readFn(m.fullName)}(r: ProtobufReader, end: number, into: ${tsType} | undefined): ${tsType} {\n` +
        '  protobufEnter(r);\n' +
        init +
        '  while (r.pos < end) {\n' +
        '    const at = r.pos;\n' +
        '    const tag = protobufTag(r, end);\n' +
        '    switch (tag >>> 3) {\n' +
        cases2 +
        '      default:\n' +
        '        protobufSkip(r, tag, end, at);\n' +
        '    }\n' +
        '  }\n' +
        '  r.depth--;\n' +
        `  return ${resultName};\n` +
        '}',
    );

    // One reader per map field, for its entries.
    for (const f of m.fields) {
      if (f.label !== 'map' || f.keyType === undefined) continue;
      const key: ProtoValueType = { kind: 'scalar', scalar: f.keyType };
      const valueType = valueTsType(f.type);
      const valueCase =
        f.type.kind === 'message'
          ? `value = ${readFn(f.type.fullName)}(r, protobufLengthEnd(r, end), value);`
          : `value = ${readValue(f.type, 'end')};`;
      const valueDefault =
        f.type.kind === 'message' ? `value ?? ${readFn(f.type.fullName)}(r, r.pos, undefined)` : 'value';
      const valueDecl =
        f.type.kind === 'message'
          ? `let value: ${valueType} | undefined;`
          : `let value: ${valueType} = ${defaultOf(f.type)};`;
      codeParts.push(
        `${jsDoc([`Reads an entry of map \`${m.fullName}.${f.name}\` from r.pos to \`end\` into \`map\` (a repeated key: the last wins).`])}` +
          `function ${readFn(`${m.fullName}.${mapEntryName(f.name)}`)}(r: ProtobufReader, end: number, map: Record<string, ${valueType}>): void {\n` +
          '  protobufEnter(r);\n' +
          `  let key: ${scalarType(f.keyType)} = ${defaultOf(key)};\n` +
          `  ${valueDecl}\n` +
          '  while (r.pos < end) {\n' +
          '    const at = r.pos;\n' +
          '    const tag = protobufTag(r, end);\n' +
          '    switch (tag >>> 3) {\n' +
          '      case 1:\n' +
          `        if (tag !== ${8 + WIRE[f.keyType]}) protobufWireTypeError(at, tag, ${JSON.stringify(`${m.typeName}.${f.name} key`)}, ${WIRE[f.keyType]});\n` +
          `        key = ${readValue(key, 'end')};\n` +
          '        break;\n' +
          '      case 2:\n' +
          `        if (tag !== ${16 + wireOf(f.type)}) protobufWireTypeError(at, tag, ${JSON.stringify(`${m.typeName}.${f.name} value`)}, ${wireOf(f.type)});\n` +
          `        ${valueCase}\n` +
          '        break;\n' +
          '      default:\n' +
          '        protobufSkip(r, tag, end, at);\n' +
          '    }\n' +
          '  }\n' +
          `  map[${f.keyType === 'string' ? 'key' : 'String(key)'}] = ${valueDefault};\n` +
          '  r.depth--;\n' +
          '}',
      );
    }
  }
  for (const e of enums) {
    const seenNumbers = new Set<number>();
    const cases: string[] = [];
    for (const v of e.values) {
      if (seenNumbers.has(v.number)) continue;
      seenNumbers.add(v.number);
      cases.push(`    case ${v.number}:\n      return ${JSON.stringify(v.name)};`);
    }
    codeParts.push(
      `${jsDoc([`Reads a \`${e.fullName}\` (an int32 varint): its name, or the number when the schema names none.`])}` +
        `function read${e.typeName}(r: ProtobufReader, end: number): ${e.typeName} {\n` +
        '  const n = protobufInt32(r, end);\n' +
        '  switch (n) {\n' +
        `${cases.join('\n')}\n` +
        '    default:\n' +
        '      return n;\n' +
        '  }\n' +
        '}',
    );
  }

  return {
    typeName: rootType,
    declaredTypes,
    types: `${typeParts.join('\n\n')}\n`,
    decoderName,
    code: `${codeParts.join('\n\n')}\n`,
  };
}
