/**
 * Phase 2: derive, once, everything the emitters need from a checked schema: the
 * named definitions, the root, the declared legacy forms and where in an event they
 * apply, and the discriminators.
 */
import { CodegenError, DiagnosticCodes, type Diagnostic } from './diagnostics.js';
import { createAjv, LEGACY_FORMS_KEYWORD, STRICT_FORMAT_KEYWORD } from './ajv.js';
import { joinPointer, parsePointer, resolvePointer } from './json-pointer.js';
import { isDeclarableName } from './identifiers.js';
import { errorFacts } from '../runtime/issues.js';
import type { ValidatorError } from '../runtime/validator.js';
import type { LoadedSchema } from './load.js';
import { isSchemaObject, type JsonSchema, type JsonSchemaObject } from './schema-walk.js';

export interface Definition {
  /** The `$defs` key: the exported type name. */
  readonly name: string;
  /** JSON pointer of the definition in the schema document. */
  readonly pointer: string;
  readonly description?: string;
}

export { ANY, type InstancePathSegment } from './instance-path.js';
import { ANY, type InstancePathSegment } from './instance-path.js';

export interface LegacyForm {
  /** Stable name of the form, used in warnings (`partition-as-decimal-string`). */
  readonly id: string;
  readonly description: string;
  /** Where the declaration is in the schema document. */
  readonly schemaPointer: string;
  /** Where in an instance of the root the form may appear. */
  readonly instancePath: readonly InstancePathSegment[];
  /** The schema a value must match to be taken as this legacy form. */
  readonly accept: JsonSchema;
  /** The normalizer (generator/runtime/normalizers/) that turns it into the canonical form. */
  readonly normalize: string;
}

/**
 * A precise format the default check leaves loose, declared with `x-strict` next to the
 * value: `msk-codegen validate --strict` reports a string that does not match it.
 */
export interface StrictFormat {
  /** Where the declaration is in the schema document. */
  readonly schemaPointer: string;
  /** Where in an instance of the root it applies. */
  readonly instancePath: readonly InstancePathSegment[];
  /** The precise format (a regular expression, compiled with the `u` flag as Ajv compiles `pattern`). */
  readonly pattern: string;
  /** What the format is, for a person: shown as "expected …" (default: the pattern). */
  readonly expected: string;
  /** Why it matters and what Lambda sends: shown as the hint. */
  readonly description: string;
}

export interface Discriminator {
  readonly property: string;
  readonly values: readonly string[];
}

export interface CodegenModel {
  readonly schema: JsonSchemaObject;
  readonly definitions: readonly Definition[];
  /** The definition the root `$ref`s: the event the parse API is for. */
  readonly root: Definition;
  readonly legacyForms: readonly LegacyForm[];
  readonly discriminators: readonly Discriminator[];
  /**
   * Where in the root integers may exceed Number.MAX_SAFE_INTEGER (no `maximum` keeps
   * them below it): JSON.parse rounds such values, so parse warns about them.
   */
  readonly unsafeIntegerPaths: readonly (readonly InstancePathSegment[])[];
  /** Where in the root strings hold base64 (`contentEncoding: "base64"`): validate checks they are canonical. */
  readonly base64Paths: readonly (readonly InstancePathSegment[])[];
  /** The `x-strict` declarations reachable from the root (validate --strict checks them). */
  readonly strictFormats: readonly StrictFormat[];
}

const legacyFormsShape = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    required: ['id', 'accept', 'normalize'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
      description: { type: 'string' },
      accept: { type: 'object' },
      normalize: { type: 'string' },
    },
  },
};

export function buildModel({ source, schema }: LoadedSchema, normalizers: readonly string[]): CodegenModel {
  const diagnostics: Diagnostic[] = [];
  const fail = (
    pointer: string,
    message: string,
    code: Diagnostic['code'] = DiagnosticCodes.unsupportedSchema,
    at: 'key' | 'value' = 'value',
  ) => {
    diagnostics.push(source.diagnostic(code, pointer, message, at));
  };

  const defs = schema['$defs'];
  if (!isSchemaObject(defs) || Object.keys(defs).length === 0) {
    throw new CodegenError([
      source.diagnostic(
        DiagnosticCodes.unsupportedSchema,
        '',
        'expected named definitions under "$defs": each becomes an exported type',
      ),
    ]);
  }
  const definitions: Definition[] = [];
  for (const [name, def] of Object.entries(defs)) {
    const pointer = joinPointer('/$defs', name);
    if (!isDeclarableName(name)) {
      fail(
        pointer,
        `definition name "${name}" cannot be a TypeScript type name: use letters, digits, _ or $, not starting with a digit, and not a reserved word`,
        DiagnosticCodes.unsupportedSchema,
        'key',
      );
      continue;
    }
    if (isSchemaObject(def) && def['title'] !== undefined && def['title'] !== name) {
      fail(
        joinPointer(pointer, 'title'),
        `title ${JSON.stringify(def['title'])} differs from the definition name "${name}": the type is named after the definition, so make them equal or drop the title`,
      );
    }
    const description = isSchemaObject(def) && typeof def['description'] === 'string' ? def['description'] : undefined;
    definitions.push(description === undefined ? { name, pointer } : { name, pointer, description });
  }

  const rootRef = schema['$ref'];
  const rootName =
    typeof rootRef === 'string' && rootRef.startsWith('#/$defs/') ? parsePointer(rootRef).at(-1) : undefined;
  const root = definitions.find((d) => d.name === rootName);
  if (!root) {
    fail(
      typeof rootRef === 'string' ? '/$ref' : '',
      'expected the schema root to be {"$ref": "#/$defs/<Event>"}: the referenced definition is the event the parse API validates',
    );
  }

  const legacyForms = root ? findLegacyForms(schema, root, normalizers, fail) : [];
  const strictFormats = root ? findStrictFormats(schema, root, fail) : [];
  if (diagnostics.length > 0) throw new CodegenError(diagnostics);
  return {
    schema,
    definitions,
    root: root as Definition,
    legacyForms,
    discriminators: findDiscriminators(schema),
    unsafeIntegerPaths: findInstancePaths(schema, root as Definition, mayBeUnsafeInteger),
    base64Paths: findInstancePaths(schema, root as Definition, (node) => node['contentEncoding'] === 'base64'),
    strictFormats,
  };
}

const strictFormatShape = {
  type: 'object',
  required: ['pattern', 'description'],
  additionalProperties: false,
  properties: {
    pattern: { type: 'string', minLength: 1 },
    expected: { type: 'string', minLength: 1 },
    description: { type: 'string', minLength: 1 },
  },
};

/**
 * Every `x-strict` declaration reachable from the root, with the instance path it applies
 * at. The same declaration reached twice at one place (`bootstrapServers` under both event
 * kinds) counts once.
 */
function findStrictFormats(schema: JsonSchemaObject, root: Definition, fail: Fail): StrictFormat[] {
  const found = new Map<string, StrictFormat>();
  const checked = new Set<string>();
  const checkShape = createAjv().compile(strictFormatShape);
  walkInstancePaths(schema, root, (node, pointer, path) => {
    const declared = node[STRICT_FORMAT_KEYWORD];
    if (declared === undefined) return;
    const at = joinPointer(pointer, STRICT_FORMAT_KEYWORD);
    if (!checked.has(at)) {
      checked.add(at);
      if (!checkShape(declared)) {
        failShape(
          checkShape.errors,
          at,
          (detail) =>
            `${STRICT_FORMAT_KEYWORD} ${detail}: it is {"pattern": <regular expression>, "description": <what Lambda sends>, "expected"?: <the format, for a person>}`,
          fail,
          { minLength: 'must not be empty' },
        );
        return;
      }
      const pattern = (declared as Record<string, string>)['pattern'] as string;
      try {
        new RegExp(pattern, 'u');
      } catch (error) {
        fail(
          joinPointer(at, 'pattern'),
          `${STRICT_FORMAT_KEYWORD} pattern is not a regular expression: ${(error as Error).message}`,
        );
        return;
      }
    }
    if (
      !isSchemaObject(declared) ||
      typeof declared['pattern'] !== 'string' ||
      typeof declared['description'] !== 'string'
    )
      return;
    const key = `${JSON.stringify(path)}|${declared['pattern']}`;
    if (found.has(key)) return;
    found.set(key, {
      schemaPointer: at,
      instancePath: [...path],
      pattern: declared['pattern'],
      expected:
        typeof declared['expected'] === 'string' ? declared['expected'] : `a string matching ${declared['pattern']}`,
      description: declared['description'],
    });
  });
  return [...found.values()];
}

const MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/** An integer schema with no bound that keeps its values within ±(2^53 - 1). */
export function mayBeUnsafeInteger(node: JsonSchemaObject): boolean {
  const type = node['type'];
  if (type !== 'integer' && !(Array.isArray(type) && type.includes('integer'))) return false;
  const bounded = (keyword: string, within: (limit: number) => boolean) =>
    typeof node[keyword] === 'number' && within(node[keyword] as number);
  const above =
    bounded('maximum', (l) => l <= MAX_SAFE_INTEGER) || bounded('exclusiveMaximum', (l) => l <= MAX_SAFE_INTEGER + 1);
  const below =
    bounded('minimum', (l) => l >= -MAX_SAFE_INTEGER) || bounded('exclusiveMinimum', (l) => l >= -MAX_SAFE_INTEGER - 1);
  return !(above && below);
}

/** The instance paths (from the root) of every schema reachable from the root that `matches`, deduplicated. */
function findInstancePaths(
  schema: JsonSchemaObject,
  root: Definition,
  matches: (node: JsonSchemaObject) => boolean,
): InstancePathSegment[][] {
  const found = new Map<string, InstancePathSegment[]>();
  walkInstancePaths(schema, root, (node, _pointer, path) => {
    if (matches(node)) found.set(JSON.stringify(path), [...path]);
  });
  return [...found.values()];
}

/**
 * Calls `visit` on every schema reachable from the root definition, following `$ref`s
 * (a recursive schema is visited at its first level), with the instance path where it
 * applies: property names, and `null` for any property name or array index.
 */
function walkInstancePaths(
  schema: JsonSchemaObject,
  root: Definition,
  visit: (node: JsonSchemaObject, pointer: string, path: readonly InstancePathSegment[]) => void,
): void {
  const walk = (node: unknown, pointer: string, path: InstancePathSegment[], stack: readonly string[]): void => {
    if (!isSchemaObject(node)) return;
    const ref = node['$ref'];
    if (typeof ref === 'string') {
      const target = ref.slice(ref.indexOf('#') + 1);
      if (!stack.includes(target)) walk(resolvePointer(schema, target), target, path, [...stack, target]);
    }
    visit(node, pointer, path);
    const properties = node['properties'];
    if (isSchemaObject(properties)) {
      for (const [name, sub] of Object.entries(properties))
        walk(sub, joinPointer(pointer, 'properties', name), [...path, name], stack);
    }
    const patternProperties = node['patternProperties'];
    if (isSchemaObject(patternProperties)) {
      for (const [pattern, sub] of Object.entries(patternProperties))
        walk(sub, joinPointer(pointer, 'patternProperties', pattern), [...path, ANY], stack);
    }
    walk(node['additionalProperties'], joinPointer(pointer, 'additionalProperties'), [...path, ANY], stack);
    walk(node['items'], joinPointer(pointer, 'items'), [...path, ANY], stack);
    const prefixItems = node['prefixItems'];
    if (Array.isArray(prefixItems))
      prefixItems.forEach((sub, i) => walk(sub, joinPointer(pointer, 'prefixItems', i), [...path, String(i)], stack));
    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = node[keyword];
      if (Array.isArray(list)) list.forEach((sub, i) => walk(sub, joinPointer(pointer, keyword, i), path, stack));
    }
    for (const keyword of ['then', 'else'] as const) walk(node[keyword], joinPointer(pointer, keyword), path, stack);
  };
  walk(resolvePointer(schema, root.pointer), root.pointer, [], [root.pointer]);
}

type Fail = (pointer: string, message: string, code?: Diagnostic['code'], at?: 'key' | 'value') => void;

/**
 * Reports each error of a declaration's shape check at its place under `at`: a missing or
 * unknown property by name, a keyword in `words` in those words, anything else as what it
 * must be (runtime/issues.ts errorFacts); `message` puts the detail in its sentence.
 */
function failShape(
  errors: readonly ValidatorError[] | null | undefined,
  at: string,
  message: (detail: string) => string,
  fail: Fail,
  words: Readonly<Record<string, string>>,
  code?: Diagnostic['code'],
): void {
  for (const error of errors ?? []) {
    const detail =
      error.keyword === 'required'
        ? `is missing "${String(error.params['missingProperty'])}"`
        : error.keyword === 'additionalProperties'
          ? `has an unknown property "${String(error.params['additionalProperty'])}"`
          : (words[error.keyword] ?? `must be ${errorFacts(error)?.expected ?? `valid (${error.keyword})`}`);
    fail(joinPointer(at, ...parsePointer(error.instancePath)), message(detail), code);
  }
}

/** Walks the root definition, following `$ref`s, collecting each legacy-form declaration with the instance path it applies at. */
function findLegacyForms(
  schema: JsonSchemaObject,
  root: Definition,
  normalizers: readonly string[],
  fail: Fail,
): LegacyForm[] {
  const found = new Map<string, LegacyForm>();
  const checked = new Set<string>();
  const ajv = createAjv();
  const checkShape = ajv.compile(legacyFormsShape);

  const visit = (node: JsonSchemaObject, pointer: string, path: readonly InstancePathSegment[]): void => {
    const declared = node[LEGACY_FORMS_KEYWORD];
    if (declared !== undefined) {
      const at = joinPointer(pointer, LEGACY_FORMS_KEYWORD);
      if (!checked.has(at)) {
        checked.add(at);
        checkDeclarations(declared, at);
      }
      if (Array.isArray(declared)) {
        declared.forEach((entry: Record<string, unknown>, i) => {
          if (
            !isSchemaObject(entry) ||
            typeof entry['id'] !== 'string' ||
            !isSchemaObject(entry['accept']) ||
            typeof entry['normalize'] !== 'string'
          )
            return;
          const key = `${at}/${i}|${JSON.stringify(path)}`;
          if (!found.has(key)) {
            found.set(key, {
              id: entry['id'],
              description: typeof entry['description'] === 'string' ? entry['description'] : entry['id'],
              schemaPointer: joinPointer(at, i),
              instancePath: [...path],
              accept: entry['accept'],
              normalize: entry['normalize'],
            });
          }
        });
      }
    }
  };

  const checkDeclarations = (declared: unknown, at: string): void => {
    if (!checkShape(declared)) {
      failShape(
        checkShape.errors,
        at,
        (detail) =>
          `${LEGACY_FORMS_KEYWORD} entry ${detail}: each entry is {"id", "description", "accept": <schema>, "normalize": <normalizer>}`,
        fail,
        { pattern: 'must be kebab-case (e.g. "partition-as-decimal-string")' },
        DiagnosticCodes.legacyForm,
      );
      return;
    }
    const ids = new Set<string>();
    (declared as Array<Record<string, unknown>>).forEach((entry, i) => {
      const id = entry['id'] as string;
      if (ids.has(id))
        fail(joinPointer(at, i, 'id'), `legacy form id "${id}" is declared twice here`, DiagnosticCodes.legacyForm);
      ids.add(id);
      const normalize = entry['normalize'] as string;
      if (!normalizers.includes(normalize)) {
        fail(
          joinPointer(at, i, 'normalize'),
          `unknown normalizer "${normalize}": expected one of ${normalizers.map((n) => `"${n}"`).join(', ')} (generator/runtime/normalizers/)`,
          DiagnosticCodes.legacyForm,
        );
      }
      if (!ajv.validateSchema(entry['accept'] as JsonSchemaObject)) {
        fail(
          joinPointer(at, i, 'accept'),
          `"accept" must be a valid JSON Schema: ${ajv.errorsText(ajv.errors)}`,
          DiagnosticCodes.legacyForm,
        );
      }
    });
  };

  walkInstancePaths(schema, root, visit);
  return [...found.values()];
}

/** Every `discriminator` in the schema with the tag values its `oneOf` members declare. */
function findDiscriminators(schema: JsonSchemaObject): Discriminator[] {
  const result = new Map<string, Set<string>>();
  const visit = (node: unknown): void => {
    if (!isSchemaObject(node)) return;
    const discriminator = node['discriminator'];
    const members = node['oneOf'];
    if (isSchemaObject(discriminator) && typeof discriminator['propertyName'] === 'string' && Array.isArray(members)) {
      const property = discriminator['propertyName'];
      const values = result.get(property) ?? new Set<string>();
      for (const member of members) {
        const target =
          isSchemaObject(member) && typeof member['$ref'] === 'string'
            ? resolvePointer(schema, member['$ref'].slice(member['$ref'].indexOf('#') + 1))
            : member;
        const tag =
          isSchemaObject(target) && isSchemaObject(target['properties']) ? target['properties'][property] : undefined;
        if (isSchemaObject(tag) && typeof tag['const'] === 'string') values.add(tag['const']);
        if (isSchemaObject(tag) && Array.isArray(tag['enum']))
          for (const v of tag['enum']) if (typeof v === 'string') values.add(v);
      }
      result.set(property, values);
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit);
      else visit(value);
    }
  };
  visit(schema);
  return [...result].map(([property, values]) => ({ property, values: [...values] }));
}
