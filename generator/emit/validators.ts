/**
 * Emits `validators.js` (Ajv standalone code: the schema compiled ahead of time, no
 * Ajv at run time) and its declarations `validators.d.ts`. One validator per `$defs`
 * entry (`validate<Name>`) and one per declared legacy form (`acceptLegacy<N>`).
 */
import standalone from 'ajv/dist/standalone/index.js';

// ajv/dist/standalone is CommonJS with both `module.exports` and `exports.default`.
const standaloneCode = standalone.default;
import { createAjv, LEGACY_FORMS_KEYWORD } from '../ajv.js';
import { CodegenError, DiagnosticCodes } from '../diagnostics.js';
import type { CodegenModel } from '../model.js';
import { mapSchemas, type JsonSchemaObject } from '../schema-walk.js';

const EVENT_ID = 'urn:msk-codegen:event';

/** Keywords that do not validate: dropped so the embedded schema constants stay small. */
const ANNOTATIONS = [
  'title', 'description', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly', '$comment',
  'contentEncoding', 'contentMediaType', 'contentSchema', LEGACY_FORMS_KEYWORD,
];

export function validatorName(definitionName: string): string {
  return `validate${definitionName}`;
}

export function legacyValidatorName(index: number): string {
  return `acceptLegacy${index}`;
}

function forValidation(schema: unknown, ownId: string | undefined): JsonSchemaObject {
  return mapSchemas(schema, (node) => {
    const copy: JsonSchemaObject = { ...node };
    for (const keyword of ANNOTATIONS) delete copy[keyword];
    delete copy['$schema'];
    delete copy['$id'];
    const ref = copy['$ref'];
    if (typeof ref === 'string' && ownId !== undefined && ref.startsWith(`${ownId}#`)) copy['$ref'] = ref.slice(ownId.length);
    return copy;
  }) as JsonSchemaObject;
}

export interface EmittedValidators {
  readonly js: string;
  readonly dts: string;
}

export function emitValidators(model: CodegenModel, banner: string, schemaFile: string): EmittedValidators {
  const ajv = createAjv({ standalone: true });
  const ownId = typeof model.schema['$id'] === 'string' ? model.schema['$id'] : undefined;
  const exports: Record<string, string> = {};
  let code: string;
  try {
    ajv.addSchema({ ...forValidation(model.schema, ownId), $id: EVENT_ID });
    for (const definition of model.definitions) exports[validatorName(definition.name)] = `${EVENT_ID}#${definition.pointer}`;
    model.legacyForms.forEach((form, i) => {
      const id = `urn:msk-codegen:legacy:${i}`;
      ajv.addSchema({ ...forValidation(form.accept, undefined), $id: id });
      exports[legacyValidatorName(i)] = id;
    });
    code = standaloneCode(ajv, exports);
  } catch (error) {
    throw new CodegenError([
      { code: DiagnosticCodes.unsupportedSchema, file: schemaFile, message: `Ajv cannot compile the schema: ${(error as Error).message}` },
    ]);
  }
  const runtimeImport = /require\("([^"]+)"\)/.exec(code);
  if (runtimeImport) {
    throw new CodegenError([
      {
        code: DiagnosticCodes.unsupportedSchema,
        file: schemaFile,
        message: `the schema uses a keyword whose compiled check needs "${runtimeImport[1]}" at run time; generated code must have no run-time dependencies`,
      },
    ]);
  }
  const body = code.replace(/^"use strict";\n/, '');
  const js = `${banner}/* eslint-disable */\n// Ajv standalone validators: the schema compiled ahead of time, so no schema is compiled at cold start.\n${body.endsWith('\n') ? body : `${body}\n`}`;

  const declarations = Object.keys(exports)
    .map((name) => `export declare const ${name}: CompiledValidator;`)
    .join('\n');
  const dts = `${banner}
/** An Ajv error, as the compiled validators report it (messages are built by parse.ts). */
export interface CompiledValidatorError {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly propertyName?: string;
}

/** A compiled validator: returns whether \`data\` is valid and leaves the reasons in \`errors\`. */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: CompiledValidatorError[] | null;
}

${declarations}
`;
  return { js, dts };
}
