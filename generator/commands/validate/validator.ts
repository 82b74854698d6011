/**
 * The validators `validate` and `sample` use, for the project's schema (or the embedded
 * default), composed with the payload schemas msk-codegen.config.json declares as
 * `generate` composes them: the very modules `generate` emits (validators.ts and
 * validators-all-errors.ts), run from memory, with the same run-time issue and
 * legacy-form logic (generator/runtime/). So the tool checks exactly as the generated
 * API does, in time linear in the input however broken it is. The modules come from
 * compiled.ts: built with the package, cached, or compiled once and cached.
 */
import { Buffer } from 'node:buffer';
import type { ResolvedTopic } from '../../core/config.js';
import { CodegenError, DiagnosticCodes } from '../../core/diagnostics.js';
import type { CodegenModel } from '../../core/model.js';
import { forEachAt, type InstancePath } from '../../core/instance-path.js';
import { base64Problem } from '../../runtime/base64.js';
import {
  collectIssues,
  normalizeLegacyForms,
  unsafeIntegerWarnings,
  type IssueContext,
  type ParseWarning,
  type ValidationIssue,
} from '../../runtime/issues.js';
import type { ErrorCollector, Validator } from '../../runtime/validator.js';
import { NORMALIZERS } from '../../runtime/normalizers.js';
import { CompilerNeeded, loadSchemaModules, type CollectorVariant, type Origin } from './compiled.js';
import { payloadChecker, type PayloadChecker } from './payloads.js';

/** What the files hold: events, batch responses, or on-failure destination records (schema/kafka-on-failure-record.schema.json). */
export type Kind = 'event' | 'response' | 'on-failure';

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
  /** Where the compiled modules came from: built with the package, the project's cache, or compiled in this run. */
  readonly origin: Origin;
  /** With topics in the config (and `kind` event): checks an event's keys and values as the generated payloads.ts decodes them. */
  readonly payloads?: PayloadChecker;
  /** Checks `value` against the definition `name` (a payload type such as `Order`): valid, or its first issues. */
  checkDefinition(
    name: string,
    value: unknown,
    maxIssues?: number,
  ): { readonly valid: boolean; readonly issues: readonly ValidationIssue[] };
  /**
   * Loads the compiler. Needed only when a collector (what lists the issues of an invalid
   * value) is neither built with the package nor cached: the checks above then throw
   * CompilerNeeded; `withCompiler` runs them again after this.
   */
  prepare(): Promise<void>;
}

/**
 * Runs `check` (synchronous, and free of side effects: it may run twice), loading the
 * compiler (for each of `validators` it uses) and running it again if a collector had to be compiled for it.
 */
export async function withCompiler<T>(
  validators: RuntimeValidator | readonly RuntimeValidator[],
  check: () => T,
): Promise<T> {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof CompilerNeeded)) throw error;
    await Promise.all(
      (Array.isArray(validators) ? validators : [validators]).map((v: RuntimeValidator) => v.prepare()),
    );
    return check();
  }
}

export interface RuntimeValidatorOptions {
  /** Also compile the check that lists unknown fields (`validate --strict`). */
  readonly strict?: boolean;
  /** Typed payloads by topic (msk-codegen.config.json): the schema is composed with them and `payloads` checks them. */
  readonly topics?: readonly ResolvedTopic[];
  readonly unknownTopics?: 'reject' | 'bytes';
  /** The config file the topics come from, for messages. */
  readonly configFile?: string | undefined;
  /** Where the project's cache is looked for (default: the current directory). */
  readonly cwd?: string | undefined;
  /** The cache folder (default: node_modules/.cache/msk-codegen of the project); `false`: no cache. */
  readonly cacheDir?: string | false | undefined;
  /** The modules built with the package (default: its dist/precompiled/); `false`: none. */
  readonly precompiledDir?: string | false | undefined;
}

const RESPONSE = 'KafkaBatchResponse';

/**
 * Evaluates an emitted validator module (it has no imports; its exports are `export
 * function` and `export const` declarations) and returns its exports. Synchronous, so the
 * collectors can be compiled on first need, inside `check`.
 */
function evaluateModule(code: string): Record<string, unknown> {
  const exported: string[] = [];
  const body = code.replace(/^export (function|const|class) (\w+)/gm, (_match, kind: string, name: string) => {
    exported.push(name);
    return `${kind} ${name}`;
  });
  return new Function(`"use strict";\n${body}\nreturn { ${exported.join(', ')} };`)() as Record<string, unknown>;
}

export async function compileRuntimeValidator(
  schemaFile: string,
  kind: Kind,
  options: RuntimeValidatorOptions = {},
): Promise<RuntimeValidator> {
  const strict = options.strict ?? false;
  const topics = kind === 'event' ? (options.topics ?? []) : [];
  const collectors: CollectorVariant[] = strict ? ['all-errors', 'all-errors-closed'] : ['all-errors'];
  const loaded = await loadSchemaModules(
    { schemaFile, topics, unknownTopics: options.unknownTopics ?? 'reject', configFile: options.configFile },
    { collectors, cwd: options.cwd, cacheDir: options.cacheDir, precompiledDir: options.precompiledDir },
  );
  const { compiled } = loaded;
  const { model } = compiled;
  // An event or an on-failure record is its schema's root; a response, a definition of the event schema.
  const definition = kind === 'response' ? model.definitions.find((d) => d.name === RESPONSE) : model.root;
  if (!definition) {
    throw new CodegenError([
      {
        code: DiagnosticCodes.usage,
        file: schemaFile,
        message: `--kind response needs a "${RESPONSE}" definition under $defs`,
      },
    ]);
  }
  const firstError = evaluateModule(compiled.firstError);
  /** The Avro and Protobuf decoders (codecs.ts as JavaScript), evaluated on first need. */
  let codecs: Record<string, unknown> | undefined;
  const validatorOf = (name: string) => firstError[compiled.validators[name] ?? ''] as Validator;
  const validate = validatorOf(definition.name);
  // Whether the last check met an integer beyond Number.MAX_SAFE_INTEGER (emit/unsafe-integers.ts), and resets it.
  const takeUnsafeIntegerSeen = firstError['takeUnsafeIntegerSeen'] as () => boolean;
  // The collector modules are evaluated (and, when no store has them, compiled) when first needed: a run over valid files never needs them.
  const collectorModule = (variant: CollectorVariant): (() => Record<string, unknown>) => {
    let module: Record<string, unknown> | undefined;
    return () => (module ??= evaluateModule(loaded.module(variant)));
  };
  const allErrors = collectorModule('all-errors');
  const collectorOf = (name: string) => allErrors()[compiled.collectors[name] ?? ''] as ErrorCollector;
  const collect = () => collectorOf(definition.name);
  // Objects closed, to find the fields the schema does not name: only for strict checks.
  const closedModule = strict ? collectorModule('all-errors-closed') : undefined;
  const collectClosed = closedModule
    ? () => closedModule()[compiled.collectors[definition.name] ?? ''] as ErrorCollector
    : undefined;
  const legacyForms =
    kind === 'event'
      ? model.legacyForms.map((form, i) => ({
          id: form.id,
          description: form.description,
          path: form.instancePath,
          accepts: firstError[compiled.legacyValidators[i] ?? ''] as Validator,
          normalize: NORMALIZERS[form.normalize] as (value: never) => unknown,
        }))
      : [];
  const context: IssueContext = {
    discriminators: Object.fromEntries(
      model.discriminators.map((d) => [d.property, d.values.map((v) => JSON.stringify(v)).join(' or ')]),
    ),
    legacyForms,
    parseName: `parse${definition.name}`,
  };

  const payloads =
    compiled.plan && kind === 'event'
      ? payloadChecker(compiled.plan, {
          validator: validatorOf,
          collector: collectorOf,
          context,
          decoder: (name) => {
            codecs ??= evaluateModule(compiled.codecs ?? '');
            return codecs[name] as (bytes: Uint8Array) => unknown;
          },
        })
      : undefined;

  return {
    model,
    kind,
    strict,
    origin: loaded.origin,
    ...(payloads ? { payloads } : {}),
    prepare: () => loaded.prepare(),
    checkDefinition(name, value, maxIssues = 10) {
      if (validatorOf(name)(value)) return { valid: true, issues: [] };
      return { valid: false, issues: collectIssues(collectorOf(name), value, context, maxIssues).issues };
    },
    check(value, { maxIssues = Number.POSITIVE_INFINITY } = {}) {
      takeUnsafeIntegerSeen();
      const canonical = validate(value);
      const warnings: ParseWarning[] = [];
      const normalized = canonical ? value : normalizeLegacyForms(value, legacyForms, warnings);
      if (!canonical) takeUnsafeIntegerSeen();
      const valid = canonical || validate(normalized);
      const { issues, omitted } = valid
        ? { issues: [], omitted: 0 }
        : collectIssues(collect(), normalized, context, maxIssues);
      // As the generated parse does: the event is walked for integers beyond 2^53 - 1 only when the validator met one.
      if (valid && kind === 'event' && takeUnsafeIntegerSeen())
        unsafeIntegerWarnings(normalized, model.unsafeIntegerPaths, warnings);
      const unknownFields =
        collectClosed && valid
          ? collectIssues(collectClosed(), normalized, context, maxIssues).issues.filter(
              (i) => i.keyword === 'additionalProperties',
            )
          : [];
      const base64 = valid ? base64Problems(normalized, model.base64Paths) : [];
      return { canonical, valid, issues, omitted, warnings, unknownFields, base64, normalized };
    },
  };
}

/** Only characters of the standard base64 alphabet, then at most two "=": Node's decoder then decodes every character. */
const BASE64_ALPHABET_ONLY = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Strings at `paths` that are not canonical base64 (base64Problem says why). A string of
 * alphabet characters only decodes to a length known without decoding it, so the common
 * case allocates nothing; the pointer to a string is built only for a problem.
 */
/** Not a problem for the record helpers (the bytes are right), but not what Lambda sends. */
const URL_SAFE = 'it uses the URL-safe alphabet ("-" and "_" instead of "+" and "/")';

function base64Problems(value: unknown, paths: readonly InstancePath[]): Base64Problem[] {
  const problems: Base64Problem[] = [];
  for (const path of paths) {
    forEachAt(value, path, (node, pointer) => {
      if (typeof node !== 'string') return;
      const padding = node.endsWith('==') ? 2 : node.endsWith('=') ? 1 : 0;
      const decodedLength = BASE64_ALPHABET_ONLY.test(node)
        ? Math.floor(node.length / 4) * 3 - padding
        : Buffer.from(node, 'base64').length;
      const problem =
        base64Problem(node, decodedLength) ?? (node.includes('-') || node.includes('_') ? URL_SAFE : undefined);
      if (problem !== undefined) problems.push({ path: pointer(), problem });
    });
  }
  return problems;
}
