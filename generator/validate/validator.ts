/**
 * The validators `validate` and `sample` use, compiled once per run from the project's
 * schema (or the embedded default): the very modules `generate` emits (validators.ts and
 * validators-all-errors.ts), run from memory, with the same run-time issue and
 * legacy-form logic (generator/runtime/). So the tool checks exactly as the generated
 * API does, in time linear in the input however broken it is.
 */
import { Buffer } from 'node:buffer';
import { CodegenError, DiagnosticCodes } from '../diagnostics.js';
import { collectorName, compileValidatorModule, legacyValidatorName, validatorName } from '../emit/validators.js';
import { loadSchema } from '../load.js';
import { ANY, buildModel, type CodegenModel, type InstancePathSegment } from '../model.js';
import { base64Problem } from '../runtime/base64.js';
import {
  collectIssues,
  normalizeLegacyForms,
  unsafeIntegerWarnings,
  type ErrorCollector,
  type IssueContext,
  type ParseWarning,
  type ValidationIssue,
  type Validator,
} from '../runtime/issues.js';
import { NORMALIZER_NAMES, NORMALIZERS } from '../runtime/normalizers.js';
import { joinPointer } from '../json-pointer.js';
import { isSchemaObject, mapSchemas, type JsonSchemaObject } from '../schema-walk.js';

export type Kind = 'event' | 'response';

/** A string at a base64 place (`contentEncoding: "base64"`) that is not canonical base64. */
export interface Base64Problem {
  readonly path: string;
  readonly problem: string;
}

export interface CheckOutcome {
  /** Valid in canonical form. */
  readonly canonical: boolean;
  /** Valid once the documented legacy forms are normalized. */
  readonly valid: boolean;
  /** The first problems (at most `maxIssues`). */
  readonly issues: readonly ValidationIssue[];
  /** Problems found beyond those in `issues`. */
  readonly omitted: number;
  readonly warnings: readonly ParseWarning[];
  /** Unknown fields (properties the schema does not name), when checked with `strict`. */
  readonly unknownFields: readonly ValidationIssue[];
  /** Keys and values that are not canonical base64 (checked once the value is valid). */
  readonly base64: readonly Base64Problem[];
  /** The value checked for issues: the input, or its normalized copy. */
  readonly normalized: unknown;
}

export interface RuntimeValidator {
  readonly model: CodegenModel;
  readonly kind: Kind;
  /** Compiled for strict checks: `check` also lists unknown fields. */
  readonly strict: boolean;
  /** Checks `value`, listing at most `maxIssues` issues (default: all). */
  check(value: unknown, options?: { readonly maxIssues?: number }): CheckOutcome;
}

const RESPONSE = 'KafkaBatchResponse';

/** Closes every object schema that lists its properties, so that a field the schema does not name fails. */
function closed(schema: JsonSchemaObject): JsonSchemaObject {
  return mapSchemas(schema, (node) =>
    isSchemaObject(node['properties']) && node['additionalProperties'] === undefined && node['patternProperties'] === undefined ? { ...node, additionalProperties: false } : node,
  ) as JsonSchemaObject;
}

/**
 * Evaluates an emitted validator module (it has no imports; its exports are `export
 * function` and `export const` declarations) and returns its exports. Synchronous, so the
 * collectors can be compiled on first need, inside `check`.
 */
function evaluateModule(code: string): Record<string, unknown> {
  const exported: string[] = [];
  const body = code.replace(/^export (function|const) (\w+)/gm, (_match, kind: string, name: string) => {
    exported.push(name);
    return `${kind} ${name}`;
  });
  return new Function(`"use strict";\n${body}\nreturn { ${exported.join(', ')} };`)() as Record<string, unknown>;
}

export async function compileRuntimeValidator(schemaFile: string, kind: Kind, { strict = false }: { readonly strict?: boolean } = {}): Promise<RuntimeValidator> {
  const model = buildModel(await loadSchema(schemaFile), NORMALIZER_NAMES);
  const definition = kind === 'event' ? model.root : model.definitions.find((d) => d.name === RESPONSE);
  if (!definition) {
    throw new CodegenError([{ code: DiagnosticCodes.usage, file: schemaFile, message: `--kind response needs a "${RESPONSE}" definition under $defs` }]);
  }
  const firstError = evaluateModule(compileValidatorModule(model, schemaFile, 'first-error'));
  const validate = firstError[validatorName(definition.name)] as Validator;
  // The collectors are compiled when first needed: a run over valid files never needs them.
  const collector = (transform?: (schema: JsonSchemaObject) => JsonSchemaObject): (() => ErrorCollector) => {
    let compiled: ErrorCollector | undefined;
    return () => (compiled ??= evaluateModule(compileValidatorModule(model, schemaFile, 'all-errors', transform ? { transform } : {}))[collectorName(definition.name)] as ErrorCollector);
  };
  const collect = collector();
  // Objects closed, to find the fields the schema does not name: only for strict checks.
  const collectClosed = strict ? collector(closed) : undefined;
  const legacyForms = kind === 'event'
    ? model.legacyForms.map((form, i) => ({
        id: form.id,
        description: form.description,
        path: form.instancePath,
        accepts: firstError[legacyValidatorName(i)] as Validator,
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
    strict,
    check(value, { maxIssues = Number.POSITIVE_INFINITY } = {}) {
      const canonical = validate(value);
      const warnings: ParseWarning[] = [];
      const normalized = canonical ? value : normalizeLegacyForms(value, legacyForms, warnings);
      const valid = canonical || validate(normalized);
      const { issues, omitted } = valid ? { issues: [], omitted: 0 } : collectIssues(collect(), normalized, context, maxIssues);
      if (valid && kind === 'event') unsafeIntegerWarnings(normalized, model.unsafeIntegerPaths, warnings);
      const unknownFields = collectClosed && valid ? collectIssues(collectClosed(), normalized, context, maxIssues).issues.filter((i) => i.keyword === 'additionalProperties') : [];
      const base64 = valid ? base64Problems(normalized, model.base64Paths) : [];
      return { canonical, valid, issues, omitted, warnings, unknownFields, base64, normalized };
    },
  };
}

/** Strings at `paths` that are not canonical base64. */
function base64Problems(value: unknown, paths: readonly (readonly InstancePathSegment[])[]): Base64Problem[] {
  const problems: Base64Problem[] = [];
  const visit = (node: unknown, path: readonly InstancePathSegment[], depth: number, pointer: string): void => {
    if (depth === path.length) {
      if (typeof node !== 'string') return;
      const problem = base64Problem(node, Buffer.from(node, 'base64').length);
      if (problem !== undefined) problems.push({ path: pointer, problem });
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const segment = path[depth];
    const keys = segment === ANY || segment === undefined ? Object.keys(node) : Object.hasOwn(node, segment) ? [segment] : [];
    for (const key of keys) visit((node as Record<string, unknown>)[key], path, depth + 1, joinPointer(pointer, key));
  };
  for (const path of paths) visit(value, path, 0, '');
  return problems;
}
