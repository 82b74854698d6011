/**
 * What the precompiled validators read of a value: own properties of plain objects.
 *
 * Ajv reads `data.name`, which also finds inherited properties: every object "has" an
 * optional `constructor` or `toString`, `Object.create(validEvent)` passes as valid, and
 * Ajv skips a `__proto__` property altogether. The validators here instead:
 * - require an object whose schema names properties to be plain (its prototype is
 *   `Object.prototype` or `null`), with the `x-plain-object` keyword added to those schemas;
 * - read keys with `Object.keys` (own, enumerable) and check own-ness (Ajv's
 *   `ownProperties`); the first-error validators keep that check only for the names a
 *   plain object can inherit (`constructor`, `toString`, `__proto__`, ...), which costs
 *   nothing on the hot path; the all-errors validators keep it everywhere, so they stay
 *   exact when `Object.prototype` has been polluted (parse.ts then uses them);
 * - validate a property named `__proto__`, which Ajv would drop: it is renamed to a
 *   placeholder before compiling and restored in the code.
 */
import { _, type KeywordCxt } from 'ajv/dist/2020.js';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { isSchemaObject, mapSchemas, type JsonSchemaObject } from '../core/schema-walk.js';

export const PLAIN_OBJECT_KEYWORD = 'x-plain-object';

/** Keywords that read named properties: their objects must be plain. */
const NAMED_PROPERTY_KEYWORDS = ['properties', 'required', 'dependentRequired', 'dependentSchemas'];

/** Names every plain object inherits from Object.prototype, so their presence must be checked as own. */
export const INHERITED_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Stands for a `__proto__` property while Ajv compiles (Ajv ignores a property of that name). */
export const PROTO_PLACEHOLDER = 'x_msk_codegen_proto_x';

export function addPlainObjectKeyword(ajv: Ajv2020): void {
  ajv.addKeyword({
    keyword: PLAIN_OBJECT_KEYWORD,
    type: 'object',
    schemaType: 'boolean',
    code(cxt: KeywordCxt) {
      const { data } = cxt;
      cxt.fail(_`Object.getPrototypeOf(${data}) !== Object.prototype && Object.getPrototypeOf(${data}) !== null`);
    },
  });
}

/** `schema` with `x-plain-object` on every schema that names properties and `__proto__` renamed to the placeholder. */
export function forOwnProperties(schema: JsonSchemaObject): JsonSchemaObject {
  return mapSchemas(schema, (node) => {
    const copy: JsonSchemaObject = { ...node };
    if (NAMED_PROPERTY_KEYWORDS.some((k) => k in copy)) copy[PLAIN_OBJECT_KEYWORD] = true;
    for (const keyword of ['properties', 'dependentRequired', 'dependentSchemas']) {
      const map = copy[keyword];
      if (isSchemaObject(map) && Object.hasOwn(map, '__proto__')) copy[keyword] = renameProto(map);
    }
    const required = copy['required'];
    if (Array.isArray(required))
      copy['required'] = required.map((name) => (name === '__proto__' ? PROTO_PLACEHOLDER : name));
    return copy;
  }) as JsonSchemaObject;
}

function renameProto(map: JsonSchemaObject): JsonSchemaObject {
  const renamed: JsonSchemaObject = {};
  for (const [key, value] of Object.entries(map)) {
    const name = key === '__proto__' ? PROTO_PLACEHOLDER : key;
    renamed[name] = Array.isArray(value) ? value.map((v) => (v === '__proto__' ? PROTO_PLACEHOLDER : v)) : value;
  }
  return renamed;
}

/**
 * The placeholder back to `__proto__` wherever the code reads or names the data's
 * property; the schema constants (JSON object literals, where a `"__proto__":` key would
 * set the literal's prototype) keep the placeholder, and so do the paths into them.
 */
export function restoreProto(code: string): string {
  return code
    .replace(new RegExp(`(data\\d*)\\.${PROTO_PLACEHOLDER}\\b`, 'g'), '$1["__proto__"]')
    .replace(new RegExp(`"${PROTO_PLACEHOLDER}"(?!:)`, 'g'), '"__proto__"')
    .replace(new RegExp(`/${PROTO_PLACEHOLDER}"`, 'g'), '/__proto__"');
}

/**
 * For the first-error validators: drops Ajv's own-property check (`func0.call(data, "x")`)
 * for names a plain object cannot inherit, keeping it for `constructor`, `toString`, ...
 * and `__proto__`. Only valid for plain objects with an unpolluted Object.prototype.
 */
export function keepInheritableOwnChecks(code: string): string {
  const hasOwn = /^const (func\d+) = Object\.prototype\.hasOwnProperty;$/m.exec(code)?.[1];
  if (hasOwn === undefined) return code;
  const keep = (literal: string) => {
    const name = JSON.parse(literal) as string;
    return INHERITED_NAMES.has(name) || name === PROTO_PLACEHOLDER;
  };
  // Ajv reads a property as `data.name` or, for names that are not identifiers, `data["na-me"]`.
  const read = String.raw`(data\d*)(\.\w+|\["(?:[^"\\]|\\.)*"\])`;
  const name = (access: string) => (access.startsWith('.') ? JSON.stringify(access.slice(1)) : access.slice(1, -1));
  return code
    .replace(
      new RegExp(
        String.raw`\(\(${read} === undefined\) \|\| \(!\(${hasOwn}\.call\(\1, ("(?:[^"\\]|\\.)*")\)\)\)\)`,
        'g',
      ),
      (match, data: string, access: string, literal: string) =>
        keep(literal) || name(access) !== literal ? match : `(${data}${access} === undefined)`,
    )
    .replace(
      new RegExp(String.raw`${read} !== undefined && ${hasOwn}\.call\(\1, ("(?:[^"\\]|\\.)*")\)`, 'g'),
      (match, data: string, access: string, literal: string) =>
        keep(literal) || name(access) !== literal ? match : `${data}${access} !== undefined`,
    );
}
