/**
 * Emits `types.ts`: one exported TypeScript type per `$defs` entry, with the schema's
 * descriptions as JSDoc, by json-schema-to-typescript. The schema is first rewritten
 * by a few named rules so the library names and shapes the types as users expect.
 */
import { compile, type Options } from 'json-schema-to-typescript';
import type { CodegenModel } from '../core/model.js';
import { isSchemaObject, mapSchemas, type JsonSchemaObject } from '../core/schema-walk.js';
import { KNOWN_VALUES_KEYWORD, LEGACY_FORMS_KEYWORD } from '../core/ajv.js';
import { parsePointer } from '../core/json-pointer.js';
import { stringLiteral } from './literal.js';
import { CodegenError, DiagnosticCodes } from '../core/diagnostics.js';
import type { JsonSource } from '../core/json-source.js';

type Rule = (schema: JsonSchemaObject, pointer: string) => JsonSchemaObject;

/** Rewrites applied to every subschema before json-schema-to-typescript sees it; each rule's name says why. */
const rules = new Map<string, Rule>([
  [
    // json-schema-to-typescript declares a copy (`Foo1`) for a $ref with siblings such
    // as `description`; inside allOf it refers to `Foo` and keeps the JSDoc.
    'Wrap a $ref that has sibling keywords in allOf',
    (schema) => {
      const { $ref, ...rest } = schema;
      if (typeof $ref !== 'string' || Object.keys(rest).length === 0) return schema;
      const allOf = Array.isArray(rest['allOf']) ? rest['allOf'] : [];
      return { ...rest, allOf: [{ $ref }, ...allOf] };
    },
  ],
  [
    // Types are named after their $defs key; a title elsewhere would declare a stray type.
    'Name types only after their $defs key',
    (schema, pointer) => {
      const { title: _title, ...rest } = schema;
      return /^\/\$defs\/[^/]+$/.test(pointer)
        ? { ...rest, title: parsePointer(pointer)[1] }
        : 'title' in schema
          ? rest
          : schema;
    },
  ],
  [
    // Legacy forms are accepted by parse and normalized away: the types are canonical.
    'Drop the legacy-forms declaration',
    (schema) => {
      if (!(LEGACY_FORMS_KEYWORD in schema)) return schema;
      const { [LEGACY_FORMS_KEYWORD]: _legacy, ...rest } = schema;
      return rest;
    },
  ],
  [
    // `anyOf: [{ required: [a] }, { required: [b] }]` says which properties are present, not
    // what they are: json-schema-to-typescript would intersect the type with an index signature.
    'Leave presence-only alternatives to the validators',
    (schema) => {
      const presenceOnly = (branches: unknown) =>
        Array.isArray(branches) &&
        branches.every((b) => isSchemaObject(b) && Object.keys(b).every((k) => k === 'required'));
      const { anyOf, oneOf, ...rest } = schema;
      if (!presenceOnly(anyOf ?? []) || !presenceOnly(oneOf ?? [])) return schema;
      return anyOf === undefined && oneOf === undefined ? schema : rest;
    },
  ],
  [
    // Any string is valid, but some are known: `'A' | 'B' | string` would collapse to
    // `string`; `(string & {})` keeps the known values for editors.
    'Keep the known values of an open set of strings',
    (schema) => {
      const { [KNOWN_VALUES_KEYWORD]: known, ...rest } = schema;
      if (!Array.isArray(known) || schema['type'] !== 'string') return known === undefined ? schema : rest;
      return { ...rest, tsType: `${known.map((v) => stringLiteral(String(v))).join(' | ')} | (string & {})` };
    },
  ],
]);

const options: Partial<Options> = {
  bannerComment: '',
  // Validators accept unknown fields (AWS adds some), but the types stay exact.
  additionalProperties: false,
  // `minItems: 1` would become a tuple type that plain arrays (and @types/aws-lambda's events) are not assignable to.
  ignoreMinAndMaxItems: true,
  declareExternallyReferenced: false,
  strictIndexSignatures: false,
  // Formatted with every other generated file (emit/format.ts).
  format: false,
};

export function prepareForTypes(schema: JsonSchemaObject): JsonSchemaObject {
  return mapSchemas(schema, (node, pointer) => {
    let result = node;
    for (const rule of rules.values()) result = rule(result, pointer);
    return result;
  }) as JsonSchemaObject;
}

/**
 * One definition's type. References to the definition itself point at the root (`#`):
 * json-schema-to-typescript would otherwise see the root and `$defs/<Name>` as two
 * schemas with one title and name the recursive one `Name1`, a type it never declares.
 */
async function compileDefinition(
  name: string,
  def: JsonSchemaObject,
  defs: Record<string, JsonSchemaObject>,
  source: JsonSource,
): Promise<string> {
  const self = `#/$defs/${name}`;
  const root = mapSchemas({ ...def, $defs: defs }, (node) =>
    node['$ref'] === self ? { ...node, $ref: '#' } : node,
  ) as JsonSchemaObject;
  try {
    return await compile(root, name, options);
  } catch (error) {
    // json-schema-to-typescript's dereferencing recurses without end on some recursive
    // shapes (an alias of a recursive definition): say so instead of an internal error.
    const aliases = Object.entries(defs).filter(
      ([, d]) =>
        Object.keys(d).every((k) => k === '$ref' || k === 'title' || k === 'description') &&
        typeof d['$ref'] === 'string',
    );
    const named = aliases.map(([alias, d]) => `#/$defs/${alias} only renames ${String(d['$ref'])}`).join('; ');
    const reason =
      error instanceof RangeError
        ? `it recursed without end, as it does on a recursive schema through a $ref that only renames a definition (${named || 'none found'}): refer to the definition itself`
        : (error as Error).message;
    throw new CodegenError([
      source.diagnostic(
        DiagnosticCodes.unsupportedSchema,
        `/$defs/${name}`,
        `json-schema-to-typescript cannot type "${name}": ${reason}`,
        'key',
      ),
    ]);
  }
}

export async function emitTypes(model: CodegenModel, banner: string, source: JsonSource): Promise<string> {
  const prepared = prepareForTypes(model.schema);
  const defs = prepared['$defs'] as Record<string, JsonSchemaObject>;
  const parts: string[] = [];
  for (const definition of model.definitions) {
    const def = defs[definition.name];
    if (!isSchemaObject(def)) continue;
    const code = await compileDefinition(definition.name, def, defs, source);
    parts.push(code.trim());
  }
  return `${banner}/* eslint-disable */\n\n${parts.join('\n\n')}\n`;
}
