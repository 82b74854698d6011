/**
 * Reads an Avro schema file (`.avsc`, JSON) into a model the Avro codec emitter
 * (emit/avro.ts) works from, and checks it against the Avro 1.12 specification
 * ("Schema Declaration"): every problem is a CodegenError `E_INVALID_AVSC` at the
 * file's line:column and JSON pointer, saying what was expected.
 *
 * The model is a graph: a reference to a named type (record, enum, fixed) is the very
 * object its definition made, so recursive records (a linked list) are cycles. Names are
 * resolved as the specification says: a dotted name is a full name, any other takes the
 * namespace of its enclosing named type (or its own `namespace`). A named type must be
 * defined before it is referenced, except inside itself (recursion).
 *
 * Logical types (decimal, uuid, date, time-*, timestamp-*, local-timestamp-*, duration)
 * are kept on the node of their underlying type. As the specification requires, a logical
 * type that is unknown or does not fit its underlying type (a `date` on a string, a
 * `decimal` whose scale exceeds its precision) is ignored: the value decodes as the
 * underlying type. `aliases`, `order` and other attributes are accepted and ignored; field
 * defaults are checked against their field's type (for a union, its first branch).
 */
import { CodegenError, DiagnosticCodes, type Diagnostic } from './diagnostics.js';
import { AVRO_WRITER_PRIMITIVES } from '../runtime/avro-writer.js';
import { typeNameOf } from './identifiers.js';
import { joinPointer } from './json-pointer.js';
import { JsonSource } from './json-source.js';

export type AvroPrimitiveName = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';

export type AvroLogical =
  | { readonly name: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly name: 'uuid' }
  | { readonly name: 'date' | 'time-millis' }
  | {
      readonly name:
        | 'time-micros'
        | 'timestamp-millis'
        | 'timestamp-micros'
        | 'timestamp-nanos'
        | 'local-timestamp-millis'
        | 'local-timestamp-micros'
        | 'local-timestamp-nanos';
    }
  | { readonly name: 'duration' };

export interface AvroPrimitive {
  readonly kind: AvroPrimitiveName;
  readonly logical?: AvroLogical;
}

export interface AvroField {
  readonly name: string;
  readonly type: AvroType;
  readonly doc?: string;
  /** Whether the field declares a default (its value, JSON, as written). */
  readonly hasDefault: boolean;
  readonly default?: unknown;
}

interface AvroNamedBase {
  /** The full name: `com.example.User`. */
  readonly fullName: string;
  /** The TypeScript type name: the last part of the name in PascalCase (`User`). */
  readonly typeName: string;
  readonly doc?: string;
  /** The JSON pointer of the definition in the schema file. */
  readonly pointer: string;
}

export interface AvroRecord extends AvroNamedBase {
  readonly kind: 'record';
  /** Filled once the fields are read (the record may refer to itself meanwhile). */
  readonly fields: AvroField[];
}

export interface AvroEnum extends AvroNamedBase {
  readonly kind: 'enum';
  readonly symbols: readonly string[];
}

export interface AvroFixed extends AvroNamedBase {
  readonly kind: 'fixed';
  readonly size: number;
  readonly logical?: AvroLogical;
}

export interface AvroArray {
  readonly kind: 'array';
  readonly items: AvroType;
}

export interface AvroMap {
  readonly kind: 'map';
  readonly values: AvroType;
}

export interface AvroUnion {
  readonly kind: 'union';
  readonly branches: readonly AvroType[];
}

export type AvroNamed = AvroRecord | AvroEnum | AvroFixed;
export type AvroType = AvroPrimitive | AvroNamed | AvroArray | AvroMap | AvroUnion;

export interface AvroModel {
  /** The schema file's absolute path. */
  readonly file: string;
  readonly root: AvroType;
  /** The TypeScript name of a decoded value: the root's type name, or for an unnamed root one made from the file name. */
  readonly rootTypeName: string;
  /** Every named type, in order of definition. */
  readonly named: readonly AvroNamed[];
}

// One list with the encoder's (runtime/avro-writer.ts imports nothing, so it is the home).
const PRIMITIVES = AVRO_WRITER_PRIMITIVES;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FULL_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * Type names a generated codec cannot declare: the globals its code uses (a record named
 * `Record` would shadow the type maps are declared with) and the reader's own names.
 */
const TAKEN_TYPE_NAMES: ReadonlySet<string> = new Set([
  'Array',
  'BigInt',
  'BinaryDecodeError',
  'AvroReader',
  'DataView',
  'Error',
  'Math',
  'Number',
  'Object',
  'Record',
  'String',
  'TextDecoder',
  'Uint8Array',
  'Infinity',
  'NaN',
]);

/** Reads and checks `file`; throws CodegenError (E_UNREADABLE, E_INVALID_AVSC) naming the place of every problem. */
export async function loadAvroSchema(file: string): Promise<AvroModel> {
  const source = await JsonSource.read(file, 'Avro schema');
  return checkAvroSchema(source);
}

/** Parses `text` as the schema file `file` and checks it (tests, and callers that read the file themselves). */
export function parseAvroSchema(file: string, text: string): AvroModel {
  let source: JsonSource;
  try {
    source = JsonSource.parse(file, text);
  } catch (error) {
    if (error instanceof CodegenError)
      throw new CodegenError(
        error.diagnostics.map((d) =>
          d.code === DiagnosticCodes.invalidJson
            ? {
                ...d,
                code: DiagnosticCodes.invalidAvroSchema,
                message: `an Avro schema is JSON, and this is ${d.message}`,
              }
            : d,
        ),
      );
    throw error;
  }
  return checkAvroSchema(source);
}

/** Checks an already-read schema document. */
export function checkAvroSchema(source: JsonSource): AvroModel {
  const duplicate = source.duplicateKeys()[0];
  if (duplicate !== undefined) {
    const name = duplicate.pointer.slice(duplicate.pointer.lastIndexOf('/') + 1);
    throw new CodegenError([
      {
        ...source.diagnostic(
          DiagnosticCodes.invalidAvroSchema,
          duplicate.pointer,
          `expected each attribute once in an object: "${name}" occurs again on line ${duplicate.usedLine}`,
        ),
        line: duplicate.line,
        column: duplicate.column,
      },
    ]);
  }
  return new SchemaReader(source).read();
}

class SchemaReader {
  readonly #source: JsonSource;
  readonly #named = new Map<string, AvroNamed>();
  readonly #typeNames = new Map<string, AvroNamed>();
  readonly #order: AvroNamed[] = [];

  constructor(source: JsonSource) {
    this.#source = source;
  }

  read(): AvroModel {
    const root = this.#type(this.#source.value, '', '');
    const rootTypeName =
      'fullName' in root
        ? root.typeName
        : typeNameOf(this.#source.file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, ''));
    if (!('fullName' in root)) {
      if (rootTypeName === '' || TAKEN_TYPE_NAMES.has(rootTypeName))
        this.#fail('', `expected a file name that gives the decoded type a usable name: "${rootTypeName}" is not one`);
      const clash = this.#typeNames.get(rootTypeName);
      if (clash)
        this.#fail(
          '',
          `expected a file name other than the type ${clash.fullName}'s: the decoded value's type is named after the file (${rootTypeName}) when the schema is not a named type`,
        );
    }
    return { file: this.#source.file, root, rootTypeName, named: this.#order };
  }

  #fail(pointer: string, message: string, at: 'value' | 'key' = 'value'): never {
    const diagnostic: Diagnostic = this.#source.diagnostic(DiagnosticCodes.invalidAvroSchema, pointer, message, at);
    throw new CodegenError([diagnostic]);
  }

  #type(schema: unknown, pointer: string, namespace: string): AvroType {
    if (typeof schema === 'string') return this.#reference(schema, pointer, namespace);
    if (Array.isArray(schema)) return this.#union(schema, pointer, namespace);
    if (schema === null || typeof schema !== 'object')
      this.#fail(
        pointer,
        `expected an Avro schema: a type name ("string", "com.example.User"), a union (an array) or an object with "type"; found ${describe(schema)}`,
      );
    const object = schema as Record<string, unknown>;
    const type = object['type'];
    const typePointer = joinPointer(pointer, 'type');
    if (type === undefined) this.#fail(pointer, 'expected a "type" attribute in this schema object');
    if (typeof type !== 'string') {
      if (Array.isArray(type) || (type !== null && typeof type === 'object'))
        return this.#type(type, typePointer, namespace);
      this.#fail(typePointer, `expected "type" to be a type name, found ${describe(type)}`);
    }
    switch (type) {
      case 'record':
      case 'error':
        return this.#record(object, pointer, namespace);
      case 'enum':
        return this.#enum(object, pointer, namespace);
      case 'fixed':
        return this.#fixed(object, pointer, namespace);
      case 'array':
        if (!('items' in object))
          this.#fail(pointer, 'expected an "items" attribute: the schema of the array\'s items');
        return { kind: 'array', items: this.#type(object['items'], joinPointer(pointer, 'items'), namespace) };
      case 'map':
        if (!('values' in object))
          this.#fail(pointer, 'expected a "values" attribute: the schema of the map\'s values');
        return { kind: 'map', values: this.#type(object['values'], joinPointer(pointer, 'values'), namespace) };
    }
    const base = this.#reference(type, typePointer, namespace);
    if (!PRIMITIVES.has(type)) return base;
    const logical = primitiveLogical(type as AvroPrimitiveName, object);
    return logical ? { kind: type as AvroPrimitiveName, logical } : base;
  }

  #reference(name: string, pointer: string, namespace: string): AvroType {
    if (PRIMITIVES.has(name)) return { kind: name as AvroPrimitiveName };
    if (!FULL_NAME.test(name))
      this.#fail(
        pointer,
        `expected a type name (a primitive type or a defined named type), found ${JSON.stringify(name)}`,
      );
    const found =
      (!name.includes('.') && namespace !== '' ? this.#named.get(`${namespace}.${name}`) : undefined) ??
      this.#named.get(name);
    if (found) return found;
    const known = [...PRIMITIVES, ...this.#named.keys()].join(', ');
    return this.#fail(
      pointer,
      `unknown type ${JSON.stringify(name)}: expected a primitive type or a named type defined before this point (known: ${known})`,
    );
  }

  #union(branches: readonly unknown[], pointer: string, namespace: string): AvroUnion {
    const types: AvroType[] = [];
    const seen = new Map<string, number>();
    branches.forEach((branch, i) => {
      const at = joinPointer(pointer, i);
      const type = this.#type(branch, at, namespace);
      if (type.kind === 'union')
        this.#fail(at, 'expected a non-union branch: a union may not directly contain a union');
      const key = 'fullName' in type ? type.fullName : type.kind;
      const earlier = seen.get(key);
      if (earlier !== undefined) this.#fail(at, `expected each type once in a union: ${key} is also branch ${earlier}`);
      seen.set(key, i);
      types.push(type);
    });
    if (types.length === 0) this.#fail(pointer, 'expected at least one branch in this union');
    return { kind: 'union', branches: types };
  }

  #define<T extends AvroNamed>(
    object: Record<string, unknown>,
    pointer: string,
    namespace: string,
    make: (base: AvroNamedBase) => T,
  ): T {
    const name = object['name'];
    if (name === undefined)
      this.#fail(pointer, `expected a "name" attribute: a ${String(object['type'])} is a named type`);
    if (typeof name !== 'string' || !FULL_NAME.test(name))
      this.#fail(
        joinPointer(pointer, 'name'),
        `expected a name such as "User" or "com.example.User", found ${describe(name)}`,
      );
    const ownNamespace = object['namespace'];
    if (
      ownNamespace !== undefined &&
      ownNamespace !== null &&
      (typeof ownNamespace !== 'string' || (ownNamespace !== '' && !FULL_NAME.test(ownNamespace)))
    )
      this.#fail(
        joinPointer(pointer, 'namespace'),
        `expected a namespace such as "com.example", found ${describe(ownNamespace)}`,
      );
    const fullName = name.includes('.')
      ? name
      : typeof ownNamespace === 'string'
        ? ownNamespace === ''
          ? name
          : `${ownNamespace}.${name}`
        : namespace === ''
          ? name
          : `${namespace}.${name}`;
    const simple = fullName.slice(fullName.lastIndexOf('.') + 1);
    if (PRIMITIVES.has(simple))
      this.#fail(joinPointer(pointer, 'name'), `expected a name that is not a primitive type name, found "${simple}"`);
    if (this.#named.has(fullName))
      this.#fail(
        joinPointer(pointer, 'name'),
        `expected a new name: ${fullName} is already defined at ${this.#named.get(fullName)?.pointer || '/'}`,
      );
    const typeName = typeNameOf(simple);
    if (TAKEN_TYPE_NAMES.has(typeName))
      this.#fail(
        joinPointer(pointer, 'name'),
        `expected a name other than "${simple}": its TypeScript type ${typeName} would shadow what the decoder uses`,
      );
    const clash = this.#typeNames.get(typeName);
    if (clash)
      this.#fail(
        joinPointer(pointer, 'name'),
        `expected names that give distinct TypeScript types: ${fullName} and ${clash.fullName} both become ${typeName}`,
      );
    const doc = object['doc'];
    if (doc !== undefined && typeof doc !== 'string')
      this.#fail(joinPointer(pointer, 'doc'), `expected "doc" to be a string, found ${describe(doc)}`);
    const type = make({ fullName, typeName, pointer, ...(doc === undefined ? {} : { doc }) });
    this.#named.set(fullName, type);
    this.#typeNames.set(typeName, type);
    this.#order.push(type);
    return type;
  }

  #record(object: Record<string, unknown>, pointer: string, namespace: string): AvroRecord {
    const fieldsValue = object['fields'];
    const record = this.#define(object, pointer, namespace, (base) => ({
      ...base,
      kind: 'record' as const,
      fields: [] as AvroField[],
    }));
    if (!Array.isArray(fieldsValue))
      this.#fail(
        fieldsValue === undefined ? pointer : joinPointer(pointer, 'fields'),
        `expected a "fields" array in record ${record.fullName}`,
      );
    const inner = record.fullName.includes('.') ? record.fullName.slice(0, record.fullName.lastIndexOf('.')) : '';
    const names = new Set<string>();
    fieldsValue.forEach((field, i) => {
      const at = joinPointer(pointer, 'fields', i);
      if (field === null || typeof field !== 'object' || Array.isArray(field))
        this.#fail(at, `expected a field object with "name" and "type", found ${describe(field)}`);
      const f = field as Record<string, unknown>;
      const name = f['name'];
      if (typeof name !== 'string' || !NAME.test(name))
        this.#fail(
          name === undefined ? at : joinPointer(at, 'name'),
          `expected a field name such as "userId" (letters, digits, _), found ${describe(name)}`,
        );
      if (names.has(name))
        this.#fail(
          joinPointer(at, 'name'),
          `expected a new field name: "${name}" is already a field of ${record.fullName}`,
        );
      names.add(name);
      if (!('type' in f)) this.#fail(at, `expected a "type" attribute in field "${name}"`);
      const type = this.#type(f['type'], joinPointer(at, 'type'), inner);
      const doc = f['doc'];
      if (doc !== undefined && typeof doc !== 'string')
        this.#fail(joinPointer(at, 'doc'), `expected "doc" to be a string, found ${describe(doc)}`);
      const hasDefault = 'default' in f;
      if (hasDefault) {
        const problem = defaultProblem(type, f['default']);
        if (problem) this.#fail(joinPointer(at, 'default'), `expected a default of field "${name}" that is ${problem}`);
      }
      record.fields.push({
        name,
        type,
        hasDefault,
        ...(doc === undefined ? {} : { doc }),
        ...(hasDefault ? { default: f['default'] } : {}),
      });
    });
    return record;
  }

  #enum(object: Record<string, unknown>, pointer: string, namespace: string): AvroEnum {
    const symbols = object['symbols'];
    if (!Array.isArray(symbols))
      this.#fail(
        symbols === undefined ? pointer : joinPointer(pointer, 'symbols'),
        'expected a "symbols" array of names in this enum',
      );
    const seen = new Set<string>();
    symbols.forEach((symbol, i) => {
      const at = joinPointer(pointer, 'symbols', i);
      if (typeof symbol !== 'string' || !NAME.test(symbol))
        this.#fail(at, `expected an enum symbol (letters, digits, _), found ${describe(symbol)}`);
      if (seen.has(symbol)) this.#fail(at, `expected each symbol once: "${symbol}" is already a symbol`);
      seen.add(symbol);
    });
    if (symbols.length === 0) this.#fail(joinPointer(pointer, 'symbols'), 'expected at least one symbol in this enum');
    const def = object['default'];
    if (def !== undefined && (typeof def !== 'string' || !seen.has(def)))
      this.#fail(
        joinPointer(pointer, 'default'),
        `expected the enum's default to be one of its symbols, found ${describe(def)}`,
      );
    return this.#define(object, pointer, namespace, (base) => ({
      ...base,
      kind: 'enum' as const,
      symbols: symbols as string[],
    }));
  }

  #fixed(object: Record<string, unknown>, pointer: string, namespace: string): AvroFixed {
    const size = object['size'];
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
      this.#fail(
        size === undefined ? pointer : joinPointer(pointer, 'size'),
        `expected a "size": a whole number of bytes (0 or more), found ${describe(size)}`,
      );
    const logical = fixedLogical(size, object);
    return this.#define(object, pointer, namespace, (base) => ({
      ...base,
      kind: 'fixed' as const,
      size,
      ...(logical ? { logical } : {}),
    }));
  }
}

const LONG_LOGICAL = new Set([
  'time-micros',
  'timestamp-millis',
  'timestamp-micros',
  'timestamp-nanos',
  'local-timestamp-millis',
  'local-timestamp-micros',
  'local-timestamp-nanos',
]);

/** The logical type of a primitive schema object, when it is known and fits (else undefined: the underlying type). */
function primitiveLogical(kind: AvroPrimitiveName, object: Record<string, unknown>): AvroLogical | undefined {
  const name = object['logicalType'];
  if (typeof name !== 'string') return undefined;
  if (name === 'decimal' && kind === 'bytes') return decimal(object, Number.POSITIVE_INFINITY);
  if (name === 'uuid' && kind === 'string') return { name };
  if ((name === 'date' || name === 'time-millis') && kind === 'int') return { name };
  if (LONG_LOGICAL.has(name) && kind === 'long') return { name } as AvroLogical;
  return undefined;
}

function fixedLogical(size: number, object: Record<string, unknown>): AvroLogical | undefined {
  const name = object['logicalType'];
  if (name === 'decimal') return decimal(object, size === 0 ? 0 : Math.floor(Math.log10(2) * (8 * size - 1)));
  if (name === 'duration' && size === 12) return { name };
  if (name === 'uuid' && size === 16) return { name };
  return undefined;
}

/** A decimal's precision and scale when they are valid (precision ≥ 1 and ≤ `maxPrecision`, 0 ≤ scale ≤ precision). */
function decimal(object: Record<string, unknown>, maxPrecision: number): AvroLogical | undefined {
  const precision = object['precision'];
  const scale = object['scale'] ?? 0;
  if (typeof precision !== 'number' || !Number.isSafeInteger(precision) || precision < 1 || precision > maxPrecision)
    return undefined;
  if (typeof scale !== 'number' || !Number.isSafeInteger(scale) || scale < 0 || scale > precision) return undefined;
  return { name: 'decimal', precision, scale };
}

/** Why `value` is not a valid default for `type` (the specification's JSON forms), or undefined. */
function defaultProblem(type: AvroType, value: unknown): string | undefined {
  switch (type.kind) {
    case 'null':
      return value === null ? undefined : 'null';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'true or false';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31
        ? undefined
        : 'a 32-bit integer';
    case 'long':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : 'an integer';
    case 'float':
    case 'double':
      return typeof value === 'number' ? undefined : 'a number';
    case 'bytes':
    case 'fixed':
      if (typeof value !== 'string' || /[^\u0000-\u00ff]/.test(value))
        return 'a string of characters U+0000 to U+00FF (one per byte)';
      return type.kind === 'fixed' && value.length !== type.size
        ? `a string of ${type.size} characters (one per byte)`
        : undefined;
    case 'string':
      return typeof value === 'string' ? undefined : 'a string';
    case 'enum':
      return typeof value === 'string' && type.symbols.includes(value)
        ? undefined
        : `one of the symbols ${type.symbols.join(', ')}`;
    case 'array':
      if (!Array.isArray(value)) return 'an array';
      for (const item of value) {
        const problem = defaultProblem(type.items, item);
        if (problem) return `an array of items each ${problem}`;
      }
      return undefined;
    case 'map':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'an object';
      for (const item of Object.values(value)) {
        const problem = defaultProblem(type.values, item);
        if (problem) return `an object of values each ${problem}`;
      }
      return undefined;
    case 'union': {
      const first = type.branches[0];
      const problem = first ? defaultProblem(first, value) : 'impossible';
      return problem ? `${problem} (a union's default is a value of its first branch)` : undefined;
    }
    case 'record': {
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        return `an object (a ${type.fullName} record)`;
      const object = value as Record<string, unknown>;
      for (const field of type.fields) {
        if (!(field.name in object)) {
          if (field.hasDefault) continue;
          return `an object with field "${field.name}" (a ${type.fullName} record)`;
        }
        const problem = defaultProblem(field.type, object[field.name]);
        if (problem) return `an object whose "${field.name}" is ${problem}`;
      }
      return undefined;
    }
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}
