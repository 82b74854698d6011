/**
 * An Avro codec from an `.avsc` (core/avro-schema.ts): TypeScript types for the decoded
 * value and a decoder specialised to the schema, emitted as code with no imports. The
 * decoder reads the Avro binary encoding of the schema (no framing: the caller strips a
 * Confluent or Glue header first) with the primitives of runtime/avro-reader.ts, which the
 * generated file carries before this code, and fails with a BinaryDecodeError on truncated,
 * malformed or trailing bytes.
 *
 * The type mapping, deliberate and documented on every generated type:
 * - null -> null; boolean -> boolean; int, float, double -> number; string -> string.
 * - long -> number with `longs: 'number'` (the default): a value outside ±(2^53-1) is a
 *   BinaryDecodeError, never a rounded number; with `longs: 'bigint'`, bigint.
 * - bytes, fixed -> Uint8Array, a copy of the bytes (not a view of the input).
 * - enum -> a union of its symbols as string literals.
 * - array -> T[]; map -> Record<string, V> on an object with no prototype (`__proto__` is a key like any other).
 * - union -> the union of its branches' types, unwrapped (`["null", T]` -> `T | null`).
 * - record -> an interface named after the record (PascalCase); recursion allowed (a linked list).
 * - logical types: decimal -> string, the exact decimal text ("-12.30"); uuid -> string;
 *   date -> number (days since 1970-01-01); time-millis -> number; time-micros and the
 *   timestamp-* and local-timestamp-* types -> the raw count as a long (the long rule
 *   applies), its unit in the JSDoc; duration -> { months, days, milliseconds }.
 */
import type { EmittedCodec } from './codecs.js';
import type { AvroField, AvroModel, AvroNamed, AvroRecord, AvroType } from '../core/avro-schema.js';
import { isDeclarableName } from '../core/identifiers.js';
import { stringLiteral } from './literal.js';

export interface AvroCodecOptions {
  readonly longs: 'number' | 'bigint';
}

export function emitAvroCodec(model: AvroModel, options: AvroCodecOptions): EmittedCodec {
  return new AvroEmitter(model, options).emit();
}

const DURATION_TYPE = '{ months: number; days: number; milliseconds: number }';

const LOGICAL_NOTES: Record<string, string> = {
  decimal: 'Avro decimal: the exact decimal text (for example "-12.30").',
  uuid: 'Avro uuid: its text form.',
  date: 'Avro date: days since 1970-01-01.',
  'time-millis': 'Avro time-millis: milliseconds after midnight.',
  'time-micros': 'Avro time-micros: microseconds after midnight.',
  'timestamp-millis': 'Avro timestamp-millis: milliseconds since 1970-01-01T00:00:00Z.',
  'timestamp-micros': 'Avro timestamp-micros: microseconds since 1970-01-01T00:00:00Z.',
  'timestamp-nanos': 'Avro timestamp-nanos: nanoseconds since 1970-01-01T00:00:00Z.',
  'local-timestamp-millis':
    'Avro local-timestamp-millis: milliseconds since 1970-01-01T00:00:00, local time (no time zone).',
  'local-timestamp-micros':
    'Avro local-timestamp-micros: microseconds since 1970-01-01T00:00:00, local time (no time zone).',
  'local-timestamp-nanos':
    'Avro local-timestamp-nanos: nanoseconds since 1970-01-01T00:00:00, local time (no time zone).',
  duration: 'Avro duration: months, days and milliseconds (each 0 to 2^32-1).',
};

/** The Avro types whose values are 64-bit (long and the logical types on it). */
function isLong(type: AvroType): boolean {
  return type.kind === 'long';
}

class AvroEmitter {
  readonly #model: AvroModel;
  readonly #longs: 'number' | 'bigint';
  readonly #recursive: ReadonlySet<AvroRecord>;
  /** Temporary-name counter of the function being emitted. */
  #temp = 0;

  constructor(model: AvroModel, options: AvroCodecOptions) {
    this.#model = model;
    this.#longs = options.longs;
    this.#recursive = recursiveRecords(model.named);
  }

  emit(): EmittedCodec {
    const typeName = this.#model.rootTypeName;
    const decoderName = `decode${typeName}Avro`;
    const declared: string[] = [];
    const types: string[] = [];
    for (const named of this.#model.named) {
      declared.push(named.typeName);
      types.push(this.#declaration(named));
    }
    if (!('fullName' in this.#model.root)) {
      declared.push(typeName);
      const note = this.#note(this.#model.root);
      types.push(
        `${jsDoc(['The value of the Avro schema in this file.', ...note], '')}export type ${typeName} = ${this.#tsType(this.#model.root)};`,
      );
    }

    const functions: string[] = [];
    this.#temp = 0;
    const root = this.#read(this.#model.root, '  ');
    functions.push(
      [
        `/** Decodes one ${typeName} from its Avro binary encoding (all of \`bytes\`, no framing); throws BinaryDecodeError on bytes that are not one. */`,
        `export function ${decoderName}(bytes: Uint8Array): ${typeName} {`,
        '  const r = avroReader(bytes);',
        ...root.pre,
        `  const value: ${typeName} = ${root.expr};`,
        '  avroEnd(r);',
        '  return value;',
        '}',
      ].join('\n'),
    );
    for (const named of this.#model.named) {
      if (named.kind === 'record') functions.push(this.#recordReader(named));
      else if (named.kind === 'enum') functions.push(this.#enumReader(named));
    }
    return { typeName, declaredTypes: declared, types: types.join('\n\n'), decoderName, code: functions.join('\n\n') };
  }

  // ---- types ----

  #declaration(named: AvroNamed): string {
    const doc = named.doc === undefined ? [] : [named.doc, ''];
    switch (named.kind) {
      case 'record': {
        const fields = named.fields.map(
          (field) => `${jsDoc(this.#fieldDoc(field), '  ')}  ${propertyKey(field.name)}: ${this.#tsType(field.type)};`,
        );
        return `${jsDoc([...doc, `Avro record \`${named.fullName}\`.`], '')}export interface ${named.typeName} {\n${fields.join('\n')}${fields.length > 0 ? '\n' : ''}}`;
      }
      case 'enum':
        return `${jsDoc([...doc, `Avro enum \`${named.fullName}\`: one of its symbols.`], '')}export type ${named.typeName} = ${named.symbols.map(stringLiteral).join(' | ')};`;
      case 'fixed': {
        const what =
          named.logical?.name === 'decimal'
            ? [LOGICAL_NOTES.decimal ?? '']
            : named.logical?.name === 'duration'
              ? [LOGICAL_NOTES.duration ?? '']
              : named.logical?.name === 'uuid'
                ? [LOGICAL_NOTES.uuid ?? '']
                : [`A copy of the ${named.size} bytes.`];
        return `${jsDoc([...doc, `Avro fixed \`${named.fullName}\` (${named.size} bytes).`, ...what], '')}export type ${named.typeName} = ${this.#fixedType(named)};`;
      }
    }
  }

  #fixedType(named: AvroNamed & { kind: 'fixed' }): string {
    if (named.logical?.name === 'decimal' || named.logical?.name === 'uuid') return 'string';
    if (named.logical?.name === 'duration') return DURATION_TYPE;
    return 'Uint8Array';
  }

  #fieldDoc(field: AvroField): string[] {
    return [...(field.doc === undefined ? [] : [field.doc]), ...this.#note(field.type)];
  }

  /** What a person needs to know about how a value of `type` is represented (units, ranges, copies). */
  #note(type: AvroType): string[] {
    const notes: string[] = [];
    const visit = (t: AvroType): void => {
      if (t.kind === 'union') return t.branches.forEach(visit);
      if (t.kind === 'array') return visit(t.items);
      if (t.kind === 'map') return visit(t.values);
      if ('logical' in t && t.logical !== undefined && t.kind !== 'fixed') {
        const note = LOGICAL_NOTES[t.logical.name];
        if (note) notes.push(note);
      }
      if (isLong(t))
        notes.push(
          this.#longs === 'bigint'
            ? 'Avro long: a bigint (the full 64-bit range).'
            : 'Avro long: a number; a value beyond ±(2^53-1) fails to decode ("longs": "bigint" reads the full range).',
        );
      if (t.kind === 'bytes' && t.logical === undefined) notes.push('Avro bytes: a copy of the bytes.');
    };
    visit(type);
    return [...new Set(notes)];
  }

  #tsType(type: AvroType): string {
    switch (type.kind) {
      case 'null':
        return 'null';
      case 'boolean':
        return 'boolean';
      case 'int':
      case 'float':
      case 'double':
        return 'number';
      case 'long':
        return this.#longs;
      case 'bytes':
        return type.logical?.name === 'decimal' ? 'string' : 'Uint8Array';
      case 'string':
        return 'string';
      case 'record':
      case 'enum':
      case 'fixed':
        return type.typeName;
      case 'array': {
        const items = this.#tsType(type.items);
        return /[ |&]/.test(items) && !items.startsWith('{') ? `(${items})[]` : `${items}[]`;
      }
      case 'map':
        return `Record<string, ${this.#tsType(type.values)}>`;
      case 'union': {
        const members = [...new Set(type.branches.filter((b) => b.kind !== 'null').map((b) => this.#tsType(b)))];
        if (type.branches.some((b) => b.kind === 'null')) members.push('null');
        return members.join(' | ');
      }
    }
  }

  // ---- decoders ----

  #recordReader(record: AvroRecord): string {
    this.#temp = 0;
    const recursive = this.#recursive.has(record);
    const reads = record.fields.map((field) => ({ field, read: this.#read(field.type, '  ', localName(field.name)) }));
    const lines = [
      `/** Reads one ${record.typeName} (Avro record \`${record.fullName}\`): its fields in order. */`,
      `function read${record.typeName}(${record.fields.length === 0 ? '_r' : 'r'}: AvroReader): ${record.typeName} {`,
    ];
    if (recursive) lines.push('  avroEnter(r);');
    const result = recursive ? `  const value: ${record.typeName} =` : '  return';
    if (reads.every(({ read }) => read.pre.length === 0)) {
      if (reads.length === 0) lines.push(`${result} {};`);
      else {
        lines.push(`${result} {`);
        for (const { field, read } of reads) lines.push(`    ${propertyKey(field.name)}: ${read.expr},`);
        lines.push('  };');
      }
    } else {
      const locals = reads.map(({ field, read }) => {
        const local = localName(field.name);
        lines.push(...read.pre);
        if (read.expr !== local) lines.push(`  const ${local} = ${read.expr};`);
        return field.name === local ? local : `${propertyKey(field.name)}: ${local}`;
      });
      lines.push(`${result} { ${locals.join(', ')} };`);
    }
    if (recursive) lines.push('  r.depth--;', '  return value;');
    lines.push('}');
    return lines.join('\n');
  }

  #enumReader(named: AvroNamed & { kind: 'enum' }): string {
    const cases = named.symbols.map((symbol, i) =>
      i === named.symbols.length - 1
        ? `    default:\n      return ${stringLiteral(symbol)};`
        : `    case ${i}:\n      return ${stringLiteral(symbol)};`,
    );
    return [
      `/** Reads one ${named.typeName} (Avro enum \`${named.fullName}\`): the index of its symbol. */`,
      `function read${named.typeName}(r: AvroReader): ${named.typeName} {`,
      `  switch (avroEnumIndex(r, ${named.symbols.length})) {`,
      ...cases,
      '  }',
      '}',
    ].join('\n');
  }

  #next(prefix: string): string {
    return `${prefix}${++this.#temp}`;
  }

  /** The code that reads a value of `type`: statements to run first (at `indent`), then an expression. */
  #read(type: AvroType, indent: string, name?: string): { pre: string[]; expr: string } {
    switch (type.kind) {
      case 'null':
        return { pre: [], expr: 'null' };
      case 'boolean':
        return { pre: [], expr: 'avroBoolean(r)' };
      case 'int':
        return { pre: [], expr: 'avroInt(r)' };
      case 'long':
        return { pre: [], expr: this.#longs === 'bigint' ? 'avroLongBigInt(r)' : 'avroLong(r)' };
      case 'float':
        return { pre: [], expr: 'avroFloat(r)' };
      case 'double':
        return { pre: [], expr: 'avroDouble(r)' };
      case 'bytes':
        if (type.logical?.name === 'decimal')
          return { pre: [], expr: `avroDecimal(r, ${type.logical.scale}, ${decimalBytes(type.logical.precision)})` };
        return { pre: [], expr: 'avroBytes(r)' };
      case 'string':
        return { pre: [], expr: 'avroString(r)' };
      case 'record':
      case 'enum':
        return { pre: [], expr: `read${type.typeName}(r)` };
      case 'fixed':
        if (type.logical?.name === 'decimal')
          return { pre: [], expr: `avroDecimal(r, ${type.logical.scale}, ${type.size}, ${type.size})` };
        if (type.logical?.name === 'duration') return { pre: [], expr: 'avroDuration(r)' };
        if (type.logical?.name === 'uuid') return { pre: [], expr: 'avroUuid(r)' };
        return { pre: [], expr: `avroFixed(r, ${type.size})` };
      case 'array':
      case 'map':
        return this.#readBlocks(type, indent, name);
      case 'union':
        return this.#readUnion(type, indent, name);
    }
  }

  #readBlocks(
    type: AvroType & { kind: 'array' | 'map' },
    indent: string,
    name?: string,
  ): { pre: string[]; expr: string } {
    const isArray = type.kind === 'array';
    const element = isArray ? type.items : type.values;
    const value = name ?? this.#next('v');
    const count = this.#next('n');
    const index = this.#next('i');
    const inner = `${indent}    `;
    const item = this.#read(element, inner);
    const perItem = minBytes(element, new Set()) + (isArray ? 0 : 1);
    const tsType = this.#tsType(type);
    const pre = [
      isArray ? `${indent}const ${value}: ${tsType} = [];` : `${indent}const ${value}: ${tsType} = avroMap();`,
      `${indent}for (let ${count} = avroBlock(r, ${perItem}); ${count} !== 0; ${count} = avroBlock(r, ${perItem})) {`,
    ];
    if (isArray && item.pre.length === 0) {
      pre.push(`${indent}  for (let ${index} = 0; ${index} < ${count}; ${index}++) ${value}.push(${item.expr});`);
    } else {
      pre.push(`${indent}  for (let ${index} = 0; ${index} < ${count}; ${index}++) {`);
      if (isArray) pre.push(...item.pre, `${inner}${value}.push(${item.expr});`);
      else {
        const key = this.#next('k');
        pre.push(`${inner}const ${key} = avroString(r);`, ...item.pre, `${inner}${value}[${key}] = ${item.expr};`);
      }
      pre.push(`${indent}  }`);
    }
    pre.push(`${indent}}`);
    return { pre, expr: value };
  }

  #readUnion(type: AvroType & { kind: 'union' }, indent: string, name?: string): { pre: string[]; expr: string } {
    const n = type.branches.length;
    if (n === 1) {
      const only = type.branches[0] as AvroType;
      const read = this.#read(only, indent);
      return { pre: [`${indent}avroBranch(r, 1);`, ...read.pre], expr: read.expr };
    }
    const reads = type.branches.map((branch) => this.#read(branch, `${indent}    `));
    if (n === 2 && reads.every((read) => read.pre.length === 0) && type.branches.some((b) => b.kind === 'null')) {
      return { pre: [], expr: `avroBranch(r, 2) === 0 ? ${reads[0]?.expr} : ${reads[1]?.expr}` };
    }
    const value = name ?? this.#next('v');
    const pre = [`${indent}let ${value}: ${this.#tsType(type)};`, `${indent}switch (avroBranch(r, ${n})) {`];
    reads.forEach((read, i) => {
      const label = i === n - 1 ? `${indent}  default:` : `${indent}  case ${i}:`;
      const comment = i === n - 1 ? ` // branch ${i}` : '';
      const last = i === n - 1 ? [] : [`${indent}    break;`];
      if (read.pre.length === 0) pre.push(`${label}${comment}`, `${indent}    ${value} = ${read.expr};`, ...last);
      // Declarations in a block of their own, so they are not in scope in the other cases.
      else
        pre.push(`${label} {${comment}`, ...read.pre, `${indent}    ${value} = ${read.expr};`, ...last, `${indent}  }`);
    });
    pre.push(`${indent}}`);
    return { pre, expr: value };
  }
}

/** The records that can contain themselves (their decoders count the nesting depth). */
function recursiveRecords(named: readonly AvroNamed[]): Set<AvroRecord> {
  const result = new Set<AvroRecord>();
  for (const record of named) {
    if (record.kind !== 'record') continue;
    const seen = new Set<AvroType>();
    const stack: AvroType[] = record.fields.map((f) => f.type);
    while (stack.length > 0) {
      const t = stack.pop() as AvroType;
      if (t === record) {
        result.add(record);
        break;
      }
      if (seen.has(t)) continue;
      seen.add(t);
      if (t.kind === 'record') stack.push(...t.fields.map((f) => f.type));
      else if (t.kind === 'array') stack.push(t.items);
      else if (t.kind === 'map') stack.push(t.values);
      else if (t.kind === 'union') stack.push(...t.branches);
    }
  }
  return result;
}

/** The fewest bytes a value of `type` takes (a record being read counts 0: an underestimate is safe). */
function minBytes(type: AvroType, visiting: Set<AvroType>): number {
  switch (type.kind) {
    case 'null':
      return 0;
    case 'float':
      return 4;
    case 'double':
      return 8;
    case 'fixed':
      return type.size;
    case 'record': {
      if (visiting.has(type)) return 0;
      visiting.add(type);
      const total = type.fields.reduce((sum, f) => sum + minBytes(f.type, visiting), 0);
      visiting.delete(type);
      return total;
    }
    default:
      return 1;
  }
}

/** The most bytes a decimal of `precision` digits needs: two's complement of ±(10^precision - 1). */
function decimalBytes(precision: number): number {
  return Math.ceil((precision * Math.log2(10) + 1) / 8);
}

/** A field's name as a local variable: itself when that cannot shadow anything the decoder uses, else `$name`. */
function localName(name: string): string {
  return /^[a-z]/.test(name) &&
    isDeclarableName(name) &&
    name !== 'r' &&
    name !== 'value' &&
    !/^(avro|read)/.test(name) &&
    !/^[vnik][0-9]+$/.test(name)
    ? name
    : `$${name}`;
}

/** A property name in an interface or object literal (`__proto__` computed, so it is an own property). */
function propertyKey(name: string): string {
  return name === '__proto__' ? "['__proto__']" : name;
}

/** A JSDoc comment of `lines` at `indent` (empty when there are none). */
function jsDoc(lines: readonly string[], indent: string): string {
  const text = lines.flatMap((line) => line.split('\n')).map((line) => line.replace(/\*\//g, '*\\/').trimEnd());
  while (text.at(-1) === '') text.pop();
  if (text.length === 0) return '';
  if (text.length === 1) return `${indent}/** ${text[0]} */\n`;
  return `${indent}/**\n${text.map((line) => (line === '' ? `${indent} *` : `${indent} * ${line}`)).join('\n')}\n${indent} */\n`;
}
