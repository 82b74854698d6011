/**
 * Emits the precompiled validators: Ajv standalone code, the schema compiled ahead of
 * time, so nothing is compiled at cold start and Ajv is not needed at run time. Two
 * modules with no run-time imports, emitted as TypeScript files:
 *
 * - `validators.ts`: `validate<Name>` for each `$defs` entry and `accept<Id>` for
 *   each declared legacy form (`acceptPartitionAsDecimalString`). They stop at the first problem: the type guards and the
 *   fast path of parse use them.
 * - `validators-all-errors.ts`: `collect<Name>Errors(data, maxErrors)`, the same checks
 *   keeping the first `maxErrors` errors and counting the rest (emit/error-limit.ts), so
 *   issue lists cost time linear in the input however broken it is.
 *
 * Both read only own properties of plain objects (emit/own-properties.ts).
 */
import standalone from 'ajv/dist/standalone/index.js';
import equal from 'ajv/dist/runtime/equal.js';
import ucs2length from 'ajv/dist/runtime/ucs2length.js';

// ajv/dist/standalone is CommonJS with both `module.exports` and `exports.default`.
const standaloneCode = standalone.default;
import { createAjv, KNOWN_VALUES_KEYWORD, LEGACY_FORMS_KEYWORD, STRICT_FORMAT_KEYWORD } from '../core/ajv.js';
import { CodegenError, DiagnosticCodes } from '../core/diagnostics.js';
import type { CodegenModel } from '../core/model.js';
import { resolvePointer } from '../core/json-pointer.js';
import { optimizeValidators } from './optimize.js';
import { validatorTypesSource } from './runtime-source.js';
import { ERROR_LIMIT, limitErrors } from './error-limit.js';
import { addPlainObjectKeyword, forOwnProperties, keepInheritableOwnChecks, restoreProto } from './own-properties.js';
import { addUnsafeIntegerKeyword, markUnsafeIntegers, SEEN } from './unsafe-integers.js';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import {
  forEachSchema,
  isSchemaObject,
  keywordsOnPath,
  mapSchemas,
  type JsonSchemaObject,
} from '../core/schema-walk.js';

const EVENT_ID = 'urn:msk-codegen:event';

/** Keywords that do not validate: dropped so the embedded schema constants stay small. */
const ANNOTATIONS = [
  'title',
  'description',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$comment',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
  LEGACY_FORMS_KEYWORD,
  STRICT_FORMAT_KEYWORD,
  KNOWN_VALUES_KEYWORD,
];

export function validatorName(definitionName: string): string {
  return `validate${definitionName}`;
}

export function collectorName(definitionName: string): string {
  return `collect${definitionName}Errors`;
}

/** `partition-as-decimal-string` -> `acceptPartitionAsDecimalString`; a segment that starts with a digit keeps a `_` before it (`a-1b` -> `acceptA_1b`, `a1b` -> `acceptA1b`). */
function legacyBaseName(id: string): string {
  return `accept${id
    .split('-')
    .map((segment) => (/^[0-9]/.test(segment) ? `_${segment}` : segment.charAt(0).toUpperCase() + segment.slice(1)))
    .join('')}`;
}

/**
 * The first-error module's export for each legacy form, in the order of `forms`: named
 * by its id (kebab-case, checked by core/model.ts). One declaration reached by several
 * paths is several forms with one id: the second and later get `_2`, `_3`... (never a name
 * another form has), so the names are unique identifiers, the same on every run.
 */
export function legacyValidatorNames(forms: readonly { readonly id: string }[]): string[] {
  const bases = forms.map((form) => legacyBaseName(form.id));
  const taken = new Set<string>(bases);
  const used = new Set<string>();
  return bases.map((base) => {
    let name = base;
    // A suffixed name is never another form's base name, nor one given before.
    for (let n = 2; used.has(name) || (name !== base && taken.has(name)); n++) name = `${base}_${n}`;
    used.add(name);
    taken.add(name);
    return name;
  });
}

/** The schema as validators see it: annotations dropped, references to its own `$id` made local. */
export function forValidation(schema: unknown, ownId: string | undefined): JsonSchemaObject {
  return mapSchemas(schema, (node) => {
    const copy: JsonSchemaObject = { ...node };
    for (const keyword of ANNOTATIONS) delete copy[keyword];
    delete copy['$schema'];
    delete copy['$id'];
    const ref = copy['$ref'];
    if (typeof ref === 'string' && ownId !== undefined && ref.startsWith(`${ownId}#`))
      copy['$ref'] = ref.slice(ownId.length);
    return copy;
  }) as JsonSchemaObject;
}

/**
 * A copy of `schema` with every non-recursive local `$ref` replaced by (a copy of) its
 * target.
 */
export function inlineRefs(schema: unknown, root: JsonSchemaObject, stack: readonly string[] = []): unknown {
  return mapSchemas(schema, (node) => {
    const ref = node['$ref'];
    if (typeof ref !== 'string' || !ref.startsWith('#/') || stack.includes(ref)) return node;
    return replaceRef(node, inlineRefs(resolvePointer(root, ref), root, [...stack, ref]));
  });
}

/**
 * A copy of `schema` in which every `$ref` that is checked once per array item or per
 * object property (under `items`, `additionalProperties`, ...) is inlined, with all it
 * references. Ajv compiles a `$ref` to a function call that builds the error path
 * string on every call, even for valid data: once per record in an event. Inlined, the
 * records loop makes no call and builds no string unless there is an error. A `$ref`
 * checked once per event stays a call, which keeps the code small and shared.
 */
export function inlineRefsInLoops(schema: JsonSchemaObject): JsonSchemaObject {
  return mapSchemas(schema, (node, pointer) => {
    const ref = node['$ref'];
    if (
      typeof ref !== 'string' ||
      !ref.startsWith('#/') ||
      !keywordsOnPath(pointer).some((k) => PER_ELEMENT_KEYWORDS.has(k))
    )
      return node;
    return replaceRef(node, inlineRefs(resolvePointer(schema, ref), schema, [ref]));
  }) as JsonSchemaObject;
}

const PER_ELEMENT_KEYWORDS = new Set([
  'items',
  'prefixItems',
  'additionalItems',
  'contains',
  'additionalProperties',
  'patternProperties',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
]);

function replaceRef(node: JsonSchemaObject, target: unknown): JsonSchemaObject {
  const { $ref: _ref, ...rest } = node;
  if (Object.keys(rest).length === 0) return isSchemaObject(target) ? target : { allOf: [target] };
  const allOf = Array.isArray(rest['allOf']) ? rest['allOf'] : [];
  return { ...rest, allOf: [target, ...allOf] };
}

/** Whether the schema needs Ajv's evaluated-properties bookkeeping (costly per call in oneOf and $ref). */
function usesUnevaluated(schema: unknown): boolean {
  let found = false;
  forEachSchema(schema, (node) => {
    if ('unevaluatedProperties' in node || 'unevaluatedItems' in node) found = true;
  });
  return found;
}

/**
 * Ajv's standalone code `require`s a helper for some keywords (minLength/maxLength count
 * code points; const/enum/uniqueItems of objects compare deeply). Generated code has no
 * run-time dependencies, so each helper's own (self-contained) function is inlined.
 */
// CommonJS modules with `exports.default`: Node's ESM loader gives the exports object, bundlers the default itself.
const unwrap = (module: object): { toString(): string } => ('default' in module ? (module.default as object) : module);
const RUNTIME_HELPERS: Readonly<Record<string, { toString(): string }>> = {
  'ajv/dist/runtime/ucs2length': unwrap(ucs2length),
  'ajv/dist/runtime/equal': unwrap(equal),
};

function inlineRuntime(code: string): string {
  return code.replace(/require\("([^"]+)"\)\.default/g, (match, module: string) => {
    const helper = RUNTIME_HELPERS[module];
    return helper ? `(${helper.toString()})` : match;
  });
}

/** One compiled function as a self-contained ES module (its default export): Ajv's standalone code, helpers inlined. */
export function standaloneModule(ajv: Ajv2020, validate: Parameters<typeof standaloneCode>[1]): string {
  return inlineRuntime(standaloneCode(ajv, validate));
}

export type ValidatorMode = 'first-error' | 'all-errors';

export interface CompileOptions {
  /** Apply the peephole rules of emit/optimize.ts (default true; off only to compare with Ajv's own code). */
  readonly optimize?: boolean;
  /** Changes the schema before compiling (`validate --strict` closes objects to find unknown fields). */
  readonly transform?: (schema: JsonSchemaObject) => JsonSchemaObject;
}

/**
 * One validator module's JavaScript (no banner): the code of `validators.ts` for
 * `first-error`, of `validators-all-errors.ts` for `all-errors`. The tool's `validate` command runs
 * the same code, so it checks exactly as the generated API does.
 */
export function compileValidatorModule(
  model: CodegenModel,
  schemaFile: string,
  mode: ValidatorMode,
  { optimize = true, transform }: CompileOptions = {},
): string {
  const ownId = typeof model.schema['$id'] === 'string' ? model.schema['$id'] : undefined;
  const base = markUnsafeIntegers(forOwnProperties(forValidation(model.schema, ownId)));
  const schema = transform ? transform(base) : base;
  const ajv = createAjv({
    standalone: true,
    unevaluated: usesUnevaluated(schema),
    checkSchemas: false,
    allErrors: mode === 'all-errors',
    ownProperties: true,
  });
  addPlainObjectKeyword(ajv);
  addUnsafeIntegerKeyword(ajv, mode === 'first-error');
  const exports: Record<string, string> = {};
  let code: string;
  try {
    ajv.addSchema({ ...inlineRefsInLoops(schema), $id: EVENT_ID });
    shareDefinitionsWithRoot(ajv, `${EVENT_ID}#${model.root.pointer}`);
    for (const definition of model.definitions) {
      exports[mode === 'first-error' ? validatorName(definition.name) : collectorName(definition.name)] =
        `${EVENT_ID}#${definition.pointer}`;
    }
    if (mode === 'first-error') {
      const names = legacyValidatorNames(model.legacyForms);
      model.legacyForms.forEach((form, i) => {
        const id = `urn:msk-codegen:legacy:${i}`;
        ajv.addSchema({ ...forOwnProperties(forValidation(form.accept, undefined)), $id: id });
        exports[names[i] as string] = id;
      });
    }
    code = standaloneCode(ajv, exports);
  } catch (error) {
    throw new CodegenError([
      {
        code: DiagnosticCodes.unsupportedSchema,
        file: schemaFile,
        message: `Ajv cannot compile the schema: ${(error as Error).message}`,
      },
    ]);
  }
  code = inlineRuntime(code);
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
  if (mode === 'all-errors') code = limitErrors(code).code;
  if (optimize) code = optimizeValidators(code).code;
  if (mode === 'first-error') code = reportFailureOnly(keepInheritableOwnChecks(code));
  code = dropUnusedConstants(restoreProto(code).replace(/^"use strict";\n/, ''));
  if (!code.endsWith('\n')) code += '\n';
  return mode === 'all-errors' ? asCollectorModule(code) : asFirstErrorModule(code);
}

/**
 * Compiles the root, then registers the definitions it calls through a `$ref` (the
 * event kinds behind the discriminator) under their own ids, so that exporting them
 * reuses those functions instead of compiling a second copy of each (Ajv compiles a
 * definition asked for by id apart from the same definition reached by a `$ref`).
 */
function shareDefinitionsWithRoot(ajv: Ajv2020, rootId: string): void {
  const root = ajv.getSchema(rootId) as { schemaEnv?: { root?: { refs?: Record<string, unknown> } } } | undefined;
  const refs = (ajv as unknown as { refs: Record<string, unknown> }).refs;
  for (const [id, env] of Object.entries(root?.schemaEnv?.root?.refs ?? {})) {
    if (typeof env === 'object' && env !== null && refs[id] === undefined) refs[id] = env;
  }
}

/**
 * The first-error validators only answer valid or not (issues come from the collectors):
 * each failure reports one shared error instead of building an error object and its path.
 */
function reportFailureOnly(code: string): string {
  return code.replace(/^(validate\d+)\.errors = \[\{.*\}\];$/gm, '$1.errors = FAILED;');
}

/** `const schemaN = {...}` / `const patternN = ...` declarations nothing refers to any more. */
function dropUnusedConstants(code: string): string {
  return code.replace(/^const ((?:schema|pattern)\d+) = .*\n/gm, (line, name: string) =>
    new RegExp(`\\b${name}\\b`).test(code.replace(line, '')) ? line : '',
  );
}

/** The first-error module: its shared failure and the unsafe-integer flag (emit/unsafe-integers.ts), then Ajv's code. */
function asFirstErrorModule(code: string): string {
  return `/** What a failed check leaves in \`errors\`: the reasons come from validators-all-errors.ts. */
const FAILED = Object.freeze([Object.freeze({ instancePath: '', keyword: 'failed', params: Object.freeze({}) })]);

// Set when a check meets an integer beyond Number.MAX_SAFE_INTEGER (JSON.parse has rounded it).
let ${SEEN} = false;

/** Whether a check has met an integer beyond Number.MAX_SAFE_INTEGER since the last call (and resets it). */
export function takeUnsafeIntegerSeen() {
  const seen = ${SEEN};
  ${SEEN} = false;
  return seen;
}

${code}`;
}

/**
 * Ajv's exports (`export const collectXErrors = validate7;`) as collector functions, with
 * the limit they share. The compiled checks are built on first use: a Lambda that never
 * meets an invalid event does not pay, at cold start, for what lists its issues.
 */
function asCollectorModule(code: string): string {
  const collectors: string[] = [];
  const compiled: string[] = [];
  const body = code.replace(/^export const (\w+) = (validate\d+);\n/gm, (_match, name: string, fn: string) => {
    collectors.push(
      `export function ${name}(data, maxErrors) {\n  return collect(compiled().${name}, data, maxErrors);\n}\n`,
    );
    compiled.push(`${name}: ${fn}`);
    return '';
  });
  return `// How many errors each function keeps; the rest are only counted (set by collect for one call).
let ${ERROR_LIMIT} = Infinity;

/** Runs \`validate\` keeping its first \`maxErrors\` errors and counting the rest. */
function collect(validate, data, maxErrors) {
  const previous = ${ERROR_LIMIT};
  ${ERROR_LIMIT} = maxErrors;
  try {
    const valid = validate(data);
    return { valid, errors: validate.errors ?? [], errorCount: validate.errorCount ?? 0 };
  } finally {
    ${ERROR_LIMIT} = previous;
  }
}

${collectors.join('\n')}
let checks;

/** The compiled checks, built on first use. */
function compiled() {
  return (checks ??= build());
}

function build() {
${body}
return { ${compiled.join(', ')} };
}
`;
}

export interface EmittedValidators {
  /** validators.ts */
  readonly firstError: string;
  /** validators-all-errors.ts */
  readonly allErrors: string;
}

/**
 * The two modules as TypeScript files, so that any build (a bundler, or a plain `tsc`
 * with or without `allowJs`) emits them like the rest of generated/. Ajv's code is
 * JavaScript: it is not type-checked (`@ts-nocheck`, which also keeps a user's stricter
 * compiler options off it); what the modules export is declared with explicit types.
 */
export function emitValidators(
  model: CodegenModel,
  banner: string,
  schemaFile: string,
  optimize = true,
): EmittedValidators {
  const firstError = compileValidatorModule(model, schemaFile, 'first-error', { optimize })
    .replace(/^export const (\w+) = (validate\d+);$/gm, 'export const $1: Validator = $2;')
    .replace(/^export function takeUnsafeIntegerSeen\(\) \{$/m, 'export function takeUnsafeIntegerSeen(): boolean {');
  const allErrors = compileValidatorModule(model, schemaFile, 'all-errors', { optimize }).replace(
    /^export function (\w+)\(data, maxErrors\) \{$/gm,
    'export function $1(data: unknown, maxErrors: number): CollectedErrors {',
  );
  const nocheck =
    "// @ts-nocheck -- Ajv's compiled code is JavaScript; the exports are typed below and at their declarations.\n/* eslint-disable */\n";
  return {
    firstError: `${banner}${nocheck}// Ajv standalone validators: the schema compiled ahead of time, so no schema is compiled at cold start.
// Each stops at the first problem; validators-all-errors.ts has the same checks for issue lists.

${validatorTypesSource()}

${firstError}`,
    allErrors: `${banner}${nocheck}// The checks of validators.ts, collecting errors for issue lists: each keeps the first
// \`maxErrors\` errors and counts the rest, so a value with a million problems costs time
// linear in its size, not a million error objects.
import type { CollectedErrors } from './validators.js';

${allErrors}`,
  };
}
