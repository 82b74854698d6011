/**
 * Where subschemas live in a JSON Schema 2020-12 document. Every phase that walks a
 * schema (keyword checks, $ref checks, annotation stripping, legacy-form discovery)
 * uses this one table, so they agree on what is a schema and what is data. The
 * `accept` schemas of msk-codegen's `x-legacy-forms` keyword are schemas too.
 */
import { LEGACY_FORMS_KEYWORD } from './ajv.js';
import { joinPointer, parsePointer } from './json-pointer.js';

export type JsonSchemaObject = { [keyword: string]: unknown };
export type JsonSchema = JsonSchemaObject | boolean;

/** Keywords whose value is one subschema. */
export const SINGLE_SCHEMA_KEYWORDS = [
  'additionalProperties',
  'propertyNames',
  'items',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contentSchema',
  'additionalItems',
] as const;
/** Keywords whose value is an array of subschemas. */
export const SCHEMA_ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;
/** Keywords whose value maps names to subschemas. */
export const SCHEMA_MAP_KEYWORDS = [
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
] as const;

const single = new Set<string>(SINGLE_SCHEMA_KEYWORDS);
const arrays = new Set<string>(SCHEMA_ARRAY_KEYWORDS);
const maps = new Set<string>(SCHEMA_MAP_KEYWORDS);

export function isSchemaObject(value: unknown): value is JsonSchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Calls `visit` on every schema object in `schema` (itself included), with its JSON pointer. */
export function forEachSchema(
  schema: unknown,
  visit: (schema: JsonSchemaObject, pointer: string) => void,
  pointer = '',
): void {
  if (!isSchemaObject(schema)) return;
  visit(schema, pointer);
  for (const [keyword, value] of Object.entries(schema)) {
    if (single.has(keyword)) forEachSchema(value, visit, joinPointer(pointer, keyword));
    else if (arrays.has(keyword) && Array.isArray(value))
      value.forEach((item, i) => forEachSchema(item, visit, joinPointer(pointer, keyword, i)));
    else if (maps.has(keyword) && isSchemaObject(value)) {
      for (const [name, item] of Object.entries(value)) forEachSchema(item, visit, joinPointer(pointer, keyword, name));
    } else if (keyword === LEGACY_FORMS_KEYWORD && Array.isArray(value)) {
      value.forEach(
        (entry, i) =>
          isSchemaObject(entry) && forEachSchema(entry['accept'], visit, joinPointer(pointer, keyword, i, 'accept')),
      );
    }
  }
}

/**
 * A deep copy of `schema` with `transform` applied to every schema object, children
 * first. Data under non-schema keywords (`const`, `enum`, `default`, ...) is copied as is.
 */
export function mapSchemas(
  schema: unknown,
  transform: (schema: JsonSchemaObject, pointer: string) => JsonSchemaObject,
  pointer = '',
): unknown {
  if (!isSchemaObject(schema)) return structuredClone(schema);
  const copy: JsonSchemaObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (single.has(keyword)) copy[keyword] = mapSchemas(value, transform, joinPointer(pointer, keyword));
    else if (arrays.has(keyword) && Array.isArray(value))
      copy[keyword] = value.map((item, i) => mapSchemas(item, transform, joinPointer(pointer, keyword, i)));
    else if (maps.has(keyword) && isSchemaObject(value)) {
      copy[keyword] = Object.fromEntries(
        Object.entries(value).map(([name, item]) => [
          name,
          mapSchemas(item, transform, joinPointer(pointer, keyword, name)),
        ]),
      );
    } else copy[keyword] = structuredClone(value);
  }
  return transform(copy, pointer);
}

/**
 * The keywords along a schema pointer, without the property names and indices between
 * them: `/$defs/E/properties/items/items` -> `['$defs', 'properties', 'items']`.
 */
export function keywordsOnPath(pointer: string): string[] {
  const keywords: string[] = [];
  const segments = parsePointer(pointer);
  for (let i = 0; i < segments.length; i++) {
    const keyword = segments[i] as string;
    keywords.push(keyword);
    if (maps.has(keyword) || arrays.has(keyword) || keyword === LEGACY_FORMS_KEYWORD) i++;
  }
  return keywords;
}
