/**
 * Loads a `.proto` file (proto2 or proto3) into a plain model the Protobuf codec emitter
 * works from, and reports what msk-codegen cannot use as E_INVALID_PROTO at file:line:column.
 *
 * Parsing is protobufjs's (`parse(text, { keepCase: true })`, generation time only). protobufjs
 * reports a syntax error's line but no column, and an unresolved type with no place at all: the
 * column (and the line of an unresolved name) is found here, from a small scan of the text that
 * skips comments and strings. The same scan gives the declaration order of nested messages and
 * map fields, which protoc interleaves (a map field's synthetic `XxxEntry` message takes a nested
 * slot where the field is declared) and which Confluent's message indexes count.
 *
 * Supported: messages, nested messages and enums, scalars, `repeated` (packed or not), `map`,
 * `oneof`, proto3 `optional`, proto2 `optional`/`required` (both decode as optional properties:
 * presence, no check that a required field came), and the well-known types
 * `google.protobuf.Timestamp`, `Duration`, `Empty` and the wrappers (`StringValue`, ...), which the
 * file may import. Refused: groups, editions, `extend`, other imports.
 */
import protobuf from 'protobufjs';
import { CodegenError, DiagnosticCodes } from './diagnostics.js';
import type { ProtobufWriterScalar } from '../runtime/protobuf-writer.js';

export type ProtoScalar = ProtobufWriterScalar;

const SCALARS: ReadonlySet<string> = new Set([
  'double',
  'float',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
  'bool',
  'string',
  'bytes',
]);

/** What a field (or a map's value) holds. */
export type ProtoValueType =
  | { readonly kind: 'scalar'; readonly scalar: ProtoScalar }
  | { readonly kind: 'enum'; readonly fullName: string }
  | { readonly kind: 'message'; readonly fullName: string };

export interface ProtoField {
  readonly name: string;
  readonly number: number;
  /** `singular`: implicit presence (proto3); `optional`: explicit presence (absent when not on the wire). */
  readonly label: 'singular' | 'optional' | 'repeated' | 'map';
  readonly type: ProtoValueType;
  /** For maps: the key's scalar type (integral, bool or string). */
  readonly keyType?: ProtoScalar;
  /** The (non-synthetic) oneof the field belongs to. */
  readonly oneof?: string;
  /** For repeated scalars (but string and bytes) and enums: whether encoders write it packed (proto3's default, or `[packed = true]`). */
  readonly packed?: boolean;
  readonly doc?: string;
}

export interface ProtoOneof {
  readonly name: string;
  readonly fields: readonly string[];
  readonly doc?: string;
}

export interface ProtoMessage {
  /** Full name without a leading dot: `com.example.UserProfile`. */
  readonly fullName: string;
  /** The TypeScript name: the names from the top-level message down joined by `_` (`Outer_Inner`). */
  readonly typeName: string;
  readonly fields: readonly ProtoField[];
  readonly oneofs: readonly ProtoOneof[];
  /** Nested message names (full), in protoc's order: declared messages and map-entry messages interleaved. */
  readonly nested: readonly string[];
  /** Whether this is a map field's synthetic entry message (exists for message indexes only). */
  readonly mapEntry: boolean;
  /** Whether it is a well-known type (google.protobuf.*), not declared in the file. */
  readonly wellKnown: boolean;
  readonly doc?: string;
}

export interface ProtoEnum {
  readonly fullName: string;
  readonly typeName: string;
  /** Values in declaration order (aliases included). */
  readonly values: readonly { readonly name: string; readonly number: number; readonly doc?: string }[];
  readonly doc?: string;
}

export interface ProtoSchema {
  readonly file: string;
  readonly syntax: 'proto2' | 'proto3';
  /** Full names of the file's top-level messages in declaration order. */
  readonly topLevel: readonly string[];
  readonly messages: ReadonlyMap<string, ProtoMessage>;
  readonly enums: ReadonlyMap<string, ProtoEnum>;
}

/** The well-known types msk-codegen maps, as protobufjs parses them (their wire form is these messages). */
const WELL_KNOWN_FILES: Readonly<Record<string, string>> = {
  'google/protobuf/timestamp.proto': 'message Timestamp { int64 seconds = 1; int32 nanos = 2; }',
  'google/protobuf/duration.proto': 'message Duration { int64 seconds = 1; int32 nanos = 2; }',
  'google/protobuf/empty.proto': 'message Empty { }',
  'google/protobuf/wrappers.proto': [
    'message DoubleValue { double value = 1; }',
    'message FloatValue { float value = 1; }',
    'message Int64Value { int64 value = 1; }',
    'message UInt64Value { uint64 value = 1; }',
    'message Int32Value { int32 value = 1; }',
    'message UInt32Value { uint32 value = 1; }',
    'message BoolValue { bool value = 1; }',
    'message StringValue { string value = 1; }',
    'message BytesValue { bytes value = 1; }',
  ].join('\n'),
};
const WELL_KNOWN_TEXT = `syntax = "proto3";\npackage google.protobuf;\n${Object.values(WELL_KNOWN_FILES).join('\n')}\n`;

/** Wrapper messages, decoded as their `value` (`T | undefined` where a field holds one). */
export const WRAPPERS: ReadonlySet<string> = new Set(
  ['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map(
    (t) => `google.protobuf.${t}Value`,
  ),
);

interface Token {
  readonly text: string;
  readonly offset: number;
}

/** The identifiers and punctuation of `text`, comments and string literals left out. */
function scan(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|[A-Za-z_][A-Za-z0-9_.]*|\S/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const t = m[0];
    if (t.startsWith('//') || t.startsWith('/*') || t.startsWith('"') || t.startsWith("'")) continue;
    tokens.push({ text: t, offset: m.index });
  }
  return tokens;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** protoc's map-entry name: `preferences` -> `PreferencesEntry`, `my_map` -> `MyMapEntry`. */
export function mapEntryName(field: string): string {
  let out = '';
  let upper = true;
  for (const c of field) {
    if (c === '_') {
      upper = true;
      continue;
    }
    out += upper ? c.toUpperCase() : c;
    upper = false;
  }
  return `${out}Entry`;
}

interface Layout {
  /** Per message scope path (`Outer.Inner`, package left out): nested message and map-entry names in order. */
  readonly nested: Map<string, string[]>;
  /** Offsets of declarations: `message Outer.Inner`, `field Outer.x`, `group`, `extend`. */
  readonly places: Map<string, number>;
}

/** Declaration order and places, from the tokens. */
function layout(tokens: readonly Token[]): Layout {
  const nested = new Map<string, string[]>();
  const places = new Map<string, number>();
  const stack: { kind: 'message' | 'other'; path: string }[] = [];
  const top = (): { kind: 'message' | 'other'; path: string } | undefined => stack.at(-1);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const next = tokens[i + 1]?.text;
    const scope = top();
    if ((t.text === 'message' || t.text === 'enum') && next !== undefined && tokens[i + 2]?.text === '{') {
      if (scope === undefined || scope.kind === 'message') {
        const path = scope === undefined ? next : `${scope.path}.${next}`;
        if (t.text === 'message') {
          if (scope !== undefined) nested.get(scope.path)?.push(next);
          nested.set(path, []);
          places.set(`message ${path}`, t.offset);
          stack.push({ kind: 'message', path });
        } else {
          places.set(`enum ${path}`, t.offset);
          stack.push({ kind: 'other', path });
        }
        i += 2;
        continue;
      }
    }
    if (t.text === 'group' || t.text === 'extend' || t.text === 'edition' || t.text === 'import') {
      if (!places.has(t.text)) places.set(t.text, t.offset);
    }
    if (t.text === 'map' && next === '<' && scope?.kind === 'message') {
      let j = i + 2;
      while (j < tokens.length && tokens[j]?.text !== '>') j++;
      const name = tokens[j + 1];
      if (name !== undefined) {
        nested.get(scope.path)?.push(mapEntryName(name.text));
        places.set(`field ${scope.path}.${name.text}`, name.offset);
      }
      i = j + 1;
      continue;
    }
    if (t.text === '{') {
      stack.push({ kind: 'other', path: scope?.path ?? '' });
      continue;
    }
    if (t.text === '}') {
      stack.pop();
      continue;
    }
    // `<type> <name> = <number>` inside a message (or a oneof in one): a field's place.
    if (next === '=' && scope !== undefined && /^[A-Za-z_]\w*$/.test(t.text)) {
      const path = scope.path;
      if (!places.has(`field ${path}.${t.text}`)) places.set(`field ${path}.${t.text}`, t.offset);
    }
  }
  return { nested, places };
}

/** protobufjs marks a proto2 group's message type with `group` (not in its typings). */
function isGroup(type: protobuf.Type): boolean {
  return (type as unknown as { group?: boolean }).group === true;
}

function keyTypeOf(field: protobuf.Field): string {
  return (field as unknown as { keyType: string }).keyType;
}

function fail(file: string, text: string, offset: number | undefined, message: string): never {
  const place = offset === undefined ? {} : lineColumn(text, offset);
  throw new CodegenError([{ code: DiagnosticCodes.invalidProtoSchema, file, message, ...place }]);
}

function docOf(comment: string | null | undefined): { doc?: string } {
  return comment === null || comment === undefined || comment.trim() === '' ? {} : { doc: comment.trim() };
}

/** Parses and checks a `.proto` file's text; `file` is its path, for diagnostics. Throws CodegenError (E_INVALID_PROTO). */
export function loadProtobufSchema(file: string, text: string): ProtoSchema {
  const tokens = scan(text);
  const { nested: nestedOrder, places } = layout(tokens);
  const root = new protobuf.Root();
  protobuf.parse(WELL_KNOWN_TEXT, root, { keepCase: true });
  let parsed: protobuf.IParserResult;
  try {
    parsed = protobuf.parse(text, root, { keepCase: true, alternateCommentMode: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.startsWith('illegal end of input'))
      fail(file, text, text.length, 'not a valid .proto file: it ends early (expected a `}` or `;`)');
    const at = /^(.*) \(line (\d+)\)$/.exec(message);
    if (at === null) fail(file, text, undefined, `not a valid .proto file: ${message}`);
    const line = Number(at[2]);
    const found = /^illegal (?:token|name|type|value|id|option|syntax|edition|string)? ?'([^']*)'/.exec(at[1] ?? '');
    const lineStart =
      text
        .split('\n')
        .slice(0, line - 1)
        .join('\n').length + (line > 1 ? 1 : 0);
    const lineText = text.split('\n')[line - 1] ?? '';
    const col = found?.[1] !== undefined && found[1] !== '' ? lineText.indexOf(found[1]) : -1;
    const firstNonSpace = lineText.search(/\S/);
    fail(
      file,
      text,
      lineStart + (col >= 0 ? col : Math.max(firstNonSpace, 0)),
      `not a valid .proto file: ${at[1] ?? message}`,
    );
  }
  const syntaxOk = /^\s*syntax\s*=\s*["']proto[23]["']\s*;/m;
  if (places.has('edition') && !syntaxOk.test(text))
    fail(file, text, places.get('edition'), 'expected `syntax = "proto3";` or "proto2": editions are not supported');
  for (const name of parsed.imports ?? []) {
    if (WELL_KNOWN_FILES[name] === undefined)
      fail(
        file,
        text,
        text.indexOf(name) - 1,
        `expected no imports but ${Object.keys(WELL_KNOWN_FILES).join(', ')}: found "${name}" (put its messages in this file)`,
      );
  }
  for (const name of parsed.weakImports ?? [])
    fail(file, text, text.indexOf(name) - 1, `expected no weak imports: found "${name}"`);
  if (places.has('extend'))
    fail(file, text, places.get('extend'), 'expected no `extend`: extensions are not supported');
  try {
    root.resolveAll();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const missing = /'([^']+)'/.exec(message)?.[1];
    let offset: number | undefined;
    if (missing !== undefined) offset = tokens.find((t) => t.text === missing && t.offset > 0)?.offset;
    fail(file, text, offset, `expected a message or enum type: ${message.replace(/ in Type \.\S+$/, '')}`);
  }

  const pkg = parsed.package ?? '';
  const prefix = pkg === '' ? '' : `${pkg}.`;
  const messages = new Map<string, ProtoMessage>();
  const enums = new Map<string, ProtoEnum>();
  const topLevel: string[] = [];
  let syntax: 'proto2' | 'proto3' = /^\s*syntax\s*=\s*["']proto3["']/m.test(text) ? 'proto3' : 'proto2';

  const valueType = (field: protobuf.Field): ProtoValueType => {
    if (SCALARS.has(field.type)) return { kind: 'scalar', scalar: field.type as ProtoScalar };
    const resolved = field.resolvedType;
    const fullName = (resolved?.fullName ?? '').replace(/^\./, '');
    if (resolved instanceof protobuf.Enum) return { kind: 'enum', fullName };
    return { kind: 'message', fullName };
  };

  const visitEnum = (e: protobuf.Enum, typeName: string): void => {
    const fullName = e.fullName.replace(/^\./, '');
    const values = Object.entries(e.values).map(([name, number]) => ({
      name,
      number,
      ...docOf(e.comments[name]),
    }));
    enums.set(fullName, { fullName, typeName, values, ...docOf(e.comment) });
  };

  const visitMessage = (type: protobuf.Type, typeName: string, path: string, wellKnown: boolean): void => {
    const fullName = type.fullName.replace(/^\./, '');
    if (isGroup(type)) fail(file, text, places.get('group'), 'expected no groups: groups are not supported');
    const fields: ProtoField[] = [];
    const oneofs: ProtoOneof[] = [];
    for (const oneof of type.oneofsArray) {
      const synthetic = oneof.fieldsArray.length === 1 && oneof.fieldsArray[0]?.options?.['proto3_optional'] === true;
      if (!synthetic) oneofs.push({ name: oneof.name, fields: oneof.oneof.slice(), ...docOf(oneof.comment) });
    }
    for (const field of type.fieldsArray) {
      const place = places.get(`field ${path}.${field.name}`);
      if (field.resolvedType instanceof protobuf.Type && isGroup(field.resolvedType))
        fail(file, text, places.get('group'), 'expected no groups: groups are not supported');
      const oneof = field.partOf !== null && oneofs.some((o) => o.name === field.partOf?.name) ? field.partOf : null;
      const type = valueType(field);
      let label: ProtoField['label'];
      if (field.map) label = 'map';
      else if (field.repeated) label = 'repeated';
      else if (oneof !== null) label = 'optional';
      else if (field.options?.['proto3_optional'] === true || type.kind === 'message' || syntax === 'proto2')
        label = 'optional';
      else label = 'singular';
      if (field.map) {
        const keyType = keyTypeOf(field);
        if (!SCALARS.has(keyType) || keyType === 'double' || keyType === 'float' || keyType === 'bytes')
          fail(file, text, place, `expected an integral, bool or string map key type: found ${keyType}`);
      }
      fields.push({
        name: field.name,
        number: field.id,
        label,
        type,
        ...(field.map ? { keyType: keyTypeOf(field) as ProtoScalar } : {}),
        ...(oneof !== null ? { oneof: oneof.name } : {}),
        ...(label === 'repeated' &&
        (type.kind === 'enum' || (type.kind === 'scalar' && type.scalar !== 'string' && type.scalar !== 'bytes'))
          ? { packed: field.packed }
          : {}),
        ...docOf(field.comment),
      });
    }
    const nestedNames: string[] = [];
    for (const n of nestedOrder.get(path) ?? []) nestedNames.push(`${fullName}.${n}`);
    messages.set(fullName, {
      fullName,
      typeName,
      fields,
      oneofs,
      nested: nestedNames,
      mapEntry: false,
      wellKnown,
      ...docOf(type.comment),
    });
    for (const field of type.fieldsArray) {
      if (!field.map) continue;
      const entry = `${fullName}.${mapEntryName(field.name)}`;
      if (!nestedNames.includes(entry)) nestedNames.push(entry);
      messages.set(entry, {
        fullName: entry,
        typeName: `${typeName}_${mapEntryName(field.name)}`,
        fields: [
          {
            name: 'key',
            number: 1,
            label: 'singular',
            type: { kind: 'scalar', scalar: keyTypeOf(field) as ProtoScalar },
          },
          { name: 'value', number: 2, label: 'singular', type: valueType(field) },
        ],
        oneofs: [],
        nested: [],
        mapEntry: true,
        wellKnown,
      });
    }
    for (const inner of type.nestedArray) {
      if (inner instanceof protobuf.Type)
        visitMessage(inner, `${typeName}_${inner.name}`, `${path}.${inner.name}`, wellKnown);
      else if (inner instanceof protobuf.Enum) visitEnum(inner, `${typeName}_${inner.name}`);
      else fail(file, text, undefined, `expected messages and enums inside message ${fullName}: found ${inner.name}`);
    }
  };

  const wkt = root.lookup('google.protobuf');
  if (wkt instanceof protobuf.Namespace) {
    const saved = syntax;
    syntax = 'proto3';
    for (const t of wkt.nestedArray) if (t instanceof protobuf.Type) visitMessage(t, t.name, t.name, true);
    syntax = saved;
  }
  const ns = pkg === '' ? root : root.lookup(pkg);
  if (ns instanceof protobuf.Namespace) {
    for (const t of ns.nestedArray) {
      if (t instanceof protobuf.Type) {
        if (pkg === 'google.protobuf' && messages.has(`${prefix}${t.name}`)) continue;
        topLevel.push(`${prefix}${t.name}`);
        visitMessage(t, t.name, t.name, false);
      } else if (t instanceof protobuf.Enum) visitEnum(t, t.name);
      else if (t instanceof protobuf.Service) continue;
      else if (!(pkg === '' && t.name === 'google'))
        fail(file, text, undefined, `expected messages and enums: found ${t.name}`);
    }
  }
  for (const e of enums.values()) {
    if (syntax === 'proto3' && e.values[0]?.number !== 0)
      fail(
        file,
        text,
        places.get(`enum ${e.fullName.slice(prefix.length)}`),
        `expected the first value of proto3 enum ${e.fullName} to be 0`,
      );
  }
  return { file, syntax, topLevel, messages, enums };
}

/** The file's messages in Glue's order: every message (nested and map entries too) sorted by full name (UTF-16 order). */
function glueOrder(model: ProtoSchema): string[] {
  return [...model.messages.values()]
    .filter((m) => !m.wellKnown)
    .map((m) => m.fullName)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Where `message` (a full name, or a name relative to the file's package) sits: Confluent's
 * index path (top-level declaration order, then nested order) and Glue's single index (its place
 * among all the file's messages sorted by full name). Throws CodegenError when there is no such message.
 */
export function messageIndexes(model: ProtoSchema, message: string): { confluent: number[]; glue: number } {
  const target = resolveMessage(model, message);
  const path: number[] = [];
  const search = (names: readonly string[], trail: number[]): boolean => {
    for (const [i, name] of names.entries()) {
      if (name === target) {
        path.push(...trail, i);
        return true;
      }
      const m = model.messages.get(name);
      if (m !== undefined && search(m.nested, [...trail, i])) return true;
    }
    return false;
  };
  search(model.topLevel, []);
  return { confluent: path, glue: glueOrder(model).indexOf(target) };
}

/** The full name of `message` (given in full or relative to the package), or CodegenError. */
export function resolveMessage(model: ProtoSchema, message: string): string {
  const name = message.replace(/^\./, '');
  const candidates = [name, ...model.topLevel.map((t) => t.replace(/[^.]+$/, '') + name)];
  for (const c of candidates) {
    const m = model.messages.get(c);
    if (m !== undefined && !m.wellKnown && !m.mapEntry) return c;
  }
  const known = [...model.messages.values()].filter((m) => !m.wellKnown && !m.mapEntry).map((m) => m.fullName);
  throw new CodegenError([
    {
      code: DiagnosticCodes.invalidProtoSchema,
      file: model.file,
      message: `expected a message the file declares (${known.join(', ') || 'none'}): found "${message}"`,
    },
  ]);
}
