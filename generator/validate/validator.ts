/**
 * The validators `validate` and `sample` use, compiled once per run from the project's
 * schema (or the embedded default) with the same Ajv configuration as the generated
 * code, and the same run-time issue and legacy-form logic (generator/runtime/).
 */
import { createAjv } from '../ajv.js';
import { CodegenError, DiagnosticCodes } from '../diagnostics.js';
import { forValidation } from '../emit/validators.js';
import { loadSchema } from '../load.js';
import { buildModel, type CodegenModel } from '../model.js';
import { toIssues, normalizeLegacyForms, type IssueContext, type LegacyFormWarning, type ValidationIssue, type Validator } from '../runtime/issues.js';
import { NORMALIZER_NAMES, NORMALIZERS } from '../runtime/normalizers.js';
import { isSchemaObject, mapSchemas, type JsonSchemaObject } from '../schema-walk.js';

export type Kind = 'event' | 'response';

export interface CheckOutcome {
  /** Valid in canonical form. */
  readonly canonical: boolean;
  /** Valid once the documented legacy forms are normalized. */
  readonly valid: boolean;
  readonly issues: readonly ValidationIssue[];
  readonly warnings: readonly LegacyFormWarning[];
  /** Unknown fields (properties the schema does not name), when checked with `strict`. */
  readonly unknownFields: readonly ValidationIssue[];
  /** The value checked for issues: the input, or its normalized copy. */
  readonly normalized: unknown;
}

export interface RuntimeValidator {
  readonly model: CodegenModel;
  readonly kind: Kind;
  /** Checks `value`; with `strict`, also lists unknown fields. */
  check(value: unknown, strict?: boolean): CheckOutcome;
}

const ID = 'urn:msk-codegen:runtime';
const RESPONSE = 'KafkaBatchResponse';

/** Closes every object schema that lists its properties, so that a field the schema does not name fails. */
function closed(schema: JsonSchemaObject): JsonSchemaObject {
  return mapSchemas(schema, (node) =>
    isSchemaObject(node['properties']) && node['additionalProperties'] === undefined && node['patternProperties'] === undefined ? { ...node, additionalProperties: false } : node,
  ) as JsonSchemaObject;
}

export async function compileRuntimeValidator(schemaFile: string, kind: Kind): Promise<RuntimeValidator> {
  const model = buildModel(await loadSchema(schemaFile), NORMALIZER_NAMES);
  const definition = kind === 'event' ? model.root : model.definitions.find((d) => d.name === RESPONSE);
  if (!definition) {
    throw new CodegenError([{ code: DiagnosticCodes.usage, file: schemaFile, message: `--kind response needs a "${RESPONSE}" definition under $defs` }]);
  }
  const ownId = typeof model.schema['$id'] === 'string' ? model.schema['$id'] : undefined;
  const schema = forValidation(model.schema, ownId);
  const ajv = createAjv({ checkSchemas: false }); // loadSchema has checked it
  ajv.addSchema({ ...schema, $id: ID });
  ajv.addSchema({ ...closed(schema), $id: `${ID}:closed` });
  const compile = (id: string): Validator => {
    const validator = ajv.getSchema(`${id}#${definition.pointer}`) as Validator | undefined;
    if (!validator) throw new Error(`cannot compile ${definition.pointer}`);
    return validator;
  };
  const validate = compile(ID);
  // Compiled only when --strict asks for unknown fields.
  let validateClosed: Validator | undefined;
  const legacyForms = kind === 'event'
    ? model.legacyForms.map((form) => ({
        id: form.id,
        description: form.description,
        path: form.instancePath,
        accepts: ajv.compile(forValidation(form.accept, undefined)) as Validator,
        normalize: NORMALIZERS[form.normalize] as (value: never) => unknown,
      }))
    : [];
  const context: IssueContext = {
    discriminators: Object.fromEntries(model.discriminators.map((d) => [d.property, d.values.map((v) => JSON.stringify(v)).join(' or ')])),
    legacyForms,
    parseName: `parse${definition.name}`,
  };

  return {
    model,
    kind,
    check(value, strict = false) {
      const canonical = validate(value);
      const warnings: LegacyFormWarning[] = [];
      const normalized = canonical ? value : normalizeLegacyForms(value, legacyForms, warnings);
      const valid = canonical || validate(normalized);
      const issues = valid ? [] : toIssues(validate, normalized, context);
      validateClosed ??= strict ? compile(`${ID}:closed`) : undefined;
      const unknownFields = validateClosed && valid && !validateClosed(normalized) ? toIssues(validateClosed, normalized, context).filter((i) => i.keyword === 'additionalProperties') : [];
      return { canonical, valid, issues, warnings, unknownFields, normalized };
    },
  };
}
