/**
 * Emits `types.ts`: one exported TypeScript type per `$defs` entry, with the schema's
 * descriptions as JSDoc, by json-schema-to-typescript. The schema is first rewritten
 * by a few named rules so the library names and shapes the types as users expect.
 */
import { compile, type Options } from 'json-schema-to-typescript';
import type { CodegenModel } from '../model.js';
import { isSchemaObject, mapSchemas, type JsonSchemaObject } from '../schema-walk.js';
import { LEGACY_FORMS_KEYWORD } from '../ajv.js';
import { parsePointer } from '../json-pointer.js';

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
      return /^\/\$defs\/[^/]+$/.test(pointer) ? { ...rest, title: parsePointer(pointer)[1] } : 'title' in schema ? rest : schema;
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
]);

const options: Partial<Options> = {
  bannerComment: '',
  // Validators accept unknown fields (AWS adds some), but the types stay exact.
  additionalProperties: false,
  // `minItems: 1` would become a tuple type that plain arrays (and @types/aws-lambda's events) are not assignable to.
  ignoreMinAndMaxItems: true,
  declareExternallyReferenced: false,
  strictIndexSignatures: false,
  format: true,
  style: { singleQuote: true, printWidth: 100 },
};

export function prepareForTypes(schema: JsonSchemaObject): JsonSchemaObject {
  return mapSchemas(schema, (node, pointer) => {
    let result = node;
    for (const rule of rules.values()) result = rule(result, pointer);
    return result;
  }) as JsonSchemaObject;
}

export async function emitTypes(model: CodegenModel, banner: string): Promise<string> {
  const prepared = prepareForTypes(model.schema);
  const defs = prepared['$defs'] as Record<string, JsonSchemaObject>;
  const parts: string[] = [];
  for (const definition of model.definitions) {
    const def = defs[definition.name];
    if (!isSchemaObject(def)) continue;
    const code = await compile({ ...def, $defs: defs }, definition.name, options);
    parts.push(code.trim());
  }
  return `${banner}/* eslint-disable */\n\n${parts.join('\n\n')}\n`;
}
