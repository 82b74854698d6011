/**
 * The run-time half of the parse API: legacy-form normalization and Ajv errors turned
 * into issues with JSON pointers. One source, used twice: msk-codegen's own `validate`
 * command imports it (with validators compiled at run time), and the generator copies
 * it into every generated parse.ts (emit/parse.ts drops the `export` of everything but
 * the public types). So it must stay self-contained: no Node APIs, and no imports but the
 * validator types of ./validator.ts, which every generated validators.ts declares (parse.ts
 * imports them from there).
 */

import type { ErrorCollector, Validator, ValidatorError } from './validator.js';

/** One reason a value is not valid. */
export interface ValidationIssue {
  /** JSON pointer to the offending value, e.g. `/records/mytopic-0/3/partition`. */
  readonly path: string;
  /** One line for a person: where, what was expected, what was received. */
  readonly message: string;
  /** What the schema expects at `path`. */
  readonly expected: string;
  /** What is at `path`: a short rendering of the value, or `missing`. */
  readonly received: string;
  /** The JSON Schema keyword that failed. */
  readonly keyword: string;
}

/** A documented legacy form that parse accepted and normalized to the canonical form. */
export interface LegacyFormWarning {
  readonly kind: 'legacy-form';
  /** JSON pointer to the value that was normalized. */
  readonly path: string;
  /** The legacy form's `id` in the schema. */
  readonly form: string;
  /** The value as received, in the legacy form. */
  readonly from: unknown;
  /** The value it was normalized to (what `data` holds at `path`). */
  readonly to: unknown;
  /** The legacy form's description in the schema: who sends it, and why it is accepted. */
  readonly description: string;
  /** `path`, `form`, `from`, `to` and `description` in one line for a person. */
  readonly message: string;
}

/**
 * An integer beyond Number.MAX_SAFE_INTEGER (2^53 - 1): JSON.parse has already rounded
 * it, so the value is not the one sent (a Kafka offset is an int64). Accepted, because
 * rejecting a real event would block its partition; the batch-response helpers refuse
 * to name such an offset.
 */
export interface UnsafeIntegerWarning {
  readonly kind: 'unsafe-integer';
  /** Always "unsafe-integer": every warning has a `form`, the legacy form's id or this. */
  readonly form: 'unsafe-integer';
  readonly path: string;
  /** The value as JSON.parse rounded it. */
  readonly value: number;
  readonly message: string;
}

/** What parse accepted but reports: a legacy form it normalized, or an integer it cannot represent exactly. */
export type ParseWarning = LegacyFormWarning | UnsafeIntegerWarning;

/** A capped list of issues: at most the `maxIssues` asked for, and how many more problems there are. */
export interface IssueList {
  readonly issues: ValidationIssue[];
  /** Problems found beyond those listed (0 when the list is complete). */
  readonly omitted: number;
}

/** How many issues an issue list holds unless told otherwise: enough to fix a file, few enough to read. */
export const DEFAULT_MAX_ISSUES = 100;

/** A documented legacy form, as declared by `x-legacy-forms` in the schema. */
export interface LegacyForm {
  readonly id: string;
  readonly description: string;
  /** Where the form may appear; `null` matches any property name or array index. */
  readonly path: readonly (string | null)[];
  /** Whether a value is in this legacy form. */
  readonly accepts: Validator;
  readonly normalize: (value: never) => unknown;
}

/** What issue messages need to know about the schema. */
export interface IssueContext {
  /** For each discriminator tag, the values it takes, e.g. `{ eventSource: '"aws:kafka" or "SelfManagedKafka"' }`. */
  readonly discriminators: Readonly<Record<string, string>>;
  readonly legacyForms: readonly LegacyForm[];
  /** The parse function, named in hints (`parseKafkaEvent accepts it`). */
  readonly parseName: string;
}

/** `value` with every legacy form in `forms` normalized (copy-on-write; `value` is never mutated), a warning for each. */
export function normalizeLegacyForms(value: unknown, forms: readonly LegacyForm[], warnings: ParseWarning[]): unknown {
  let normalized = value;
  for (const form of forms) normalized = normalizeForm(normalized, form, 0, '', warnings);
  return normalized;
}

/** A legacy-form warning's message, from its fields: `/records/t-0/0/partition: legacy form "…" (string "0") normalized to integer 0. …`. */
export function legacyFormMessage(warning: Omit<LegacyFormWarning, 'kind' | 'message'>): string {
  return `${warning.path}: legacy form "${warning.form}" (${describe(warning.from)}) ${normalizedText(warning)}`;
}

/** What a legacy-form warning says became of the value: `normalized to integer 0. <the form's description>`. */
export function normalizedText(warning: Pick<LegacyFormWarning, 'to' | 'description'>): string {
  return `normalized to ${describe(warning.to)}. ${warning.description}`;
}

/** Copy-on-write: returns `node` itself when nothing under it changes, else a shallow copy along the changed path. */
function normalizeForm(
  node: unknown,
  form: LegacyForm,
  depth: number,
  pointer: string,
  warnings: ParseWarning[],
): unknown {
  if (depth === form.path.length) {
    if (!form.accepts(node)) return node;
    const normalized = form.normalize(node as never);
    const warning = { path: pointer, form: form.id, from: node, to: normalized, description: form.description };
    warnings.push({ kind: 'legacy-form', ...warning, message: legacyFormMessage(warning) });
    return normalized;
  }
  if (typeof node !== 'object' || node === null) return node;
  const segment = form.path[depth];
  const keys =
    segment === null ? Object.keys(node) : segment !== undefined && Object.hasOwn(node, segment) ? [segment] : [];
  let copy: object | undefined;
  for (const key of keys) {
    const child = (node as Record<string, unknown>)[key];
    const next = normalizeForm(child, form, depth + 1, `${pointer}/${escapeSegment(key)}`, warnings);
    if (next === child) continue;
    copy ??= Array.isArray(node) ? node.slice() : { ...node };
    // defineProperty, not assignment: a key named "__proto__" stays an own property.
    Object.defineProperty(copy, key, { value: next, writable: true, enumerable: true, configurable: true });
  }
  return copy ?? node;
}

/**
 * Up to `maxIssues` issues of `root` (one per place and problem, with the value found
 * there) and how many more problems there are. The collector keeps only that many
 * errors, so however broken `root` is, this costs time linear in its size.
 */
export function collectIssues(
  collect: ErrorCollector,
  root: unknown,
  context: IssueContext,
  maxIssues: number,
): IssueList {
  const limit = Math.max(0, Math.floor(maxIssues));
  const found = collect(root, limit);
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  let examined = 0;
  for (const error of found.errors) {
    if (issues.length >= limit) break;
    examined++;
    const issue = toIssue(error, root, context);
    const key = issue && `${issue.path}\u0000${issue.keyword}\u0000${issue.expected}`;
    if (issue && key && !seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return { issues, omitted: Math.max(0, found.errorCount - examined) };
}

/** The issue for a value that could not be read: a getter or Proxy trap threw (JSON data never does). */
export function unreadableIssue(error: unknown): ValidationIssue {
  let reason: string;
  try {
    reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    reason = 'an exception';
  }
  const received = `a value that threw when read (${reason.length > 80 ? `${reason.slice(0, 80)}…` : reason})`;
  return {
    path: '',
    message: `/: expected plain JSON data, received ${received}`,
    expected: 'plain JSON data',
    received,
    keyword: 'readable',
  };
}

/** Whether Object.prototype has enumerable properties (it is polluted): then only own-property checks are exact. */
export function prototypePolluted(): boolean {
  for (const _key in EMPTY) return true;
  return false;
}

const EMPTY = {};

/** Where integers sit in the root that the schema does not bound within Number.MAX_SAFE_INTEGER; `null` is any key or index. */
export type InstancePath = readonly (string | null)[];

/** A warning for each integer at `paths` in `value` that is not a safe integer (JSON.parse rounded it). */
export function unsafeIntegerWarnings(value: unknown, paths: readonly InstancePath[], warnings: ParseWarning[]): void {
  for (const path of paths) findUnsafeIntegers(value, path, 0, '', warnings);
}

function findUnsafeIntegers(
  node: unknown,
  path: InstancePath,
  depth: number,
  pointer: string,
  warnings: ParseWarning[],
): void {
  if (depth === path.length) {
    if (typeof node === 'number' && Number.isInteger(node) && !Number.isSafeInteger(node)) {
      warnings.push({
        kind: 'unsafe-integer',
        form: 'unsafe-integer',
        path: pointer,
        value: node,
        message: `${pointer}: ${node} is beyond Number.MAX_SAFE_INTEGER: JSON.parse has rounded it, so it is not the value sent`,
      });
    }
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const segment = path[depth];
  const record = node as Record<string, unknown>;
  const next = depth + 1;
  if (segment !== null && segment !== undefined) {
    if (Object.hasOwn(record, segment))
      findUnsafeIntegers(record[segment], path, next, `${pointer}/${escapeSegment(segment)}`, warnings);
  } else if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) findUnsafeIntegers(node[i], path, next, `${pointer}/${i}`, warnings);
  } else {
    for (const key of Object.keys(record))
      findUnsafeIntegers(record[key], path, next, `${pointer}/${escapeSegment(key)}`, warnings);
  }
}

/** What an error says, in the words every report uses: where (the missing or unknown property included) and what was expected. */
export interface ErrorFacts {
  /** JSON pointer to the value: the error's instancePath, and the property a `required`, `additionalProperties` or property-name error names. */
  readonly path: string;
  /** What the schema expects there, for a person: `integer`, `a string of at least 1 character`, `no such property`. */
  readonly expected: string;
  /** What is there, when the error itself says it (a property name); else the caller describes the value. */
  readonly received?: string;
}

/**
 * The facts of one validator error, or undefined for an error that only wraps another
 * (`propertyNames`: the inner error names the property). `discriminators` gives a
 * discriminator tag's values (IssueContext). The one place an Ajv error becomes words: the
 * parse API's issues, validate, and the generator's own schema and config errors use it.
 */
export function errorFacts(
  error: ValidatorError,
  discriminators: Readonly<Record<string, string>> = {},
): ErrorFacts | undefined {
  const params = error.params as Record<string, unknown>;
  const limit = Number(params['limit']);
  let path = error.instancePath;
  let expected: string;
  let received: string | undefined;
  switch (error.keyword) {
    case 'required':
    case 'dependentRequired':
      path += `/${escapeSegment(String(params['missingProperty']))}`;
      expected = 'a value (required)';
      break;
    case 'type':
      expected = String(params['type']).split(',').join(' or ');
      break;
    case 'const':
      expected = JSON.stringify(params['allowedValue']);
      break;
    case 'enum':
      expected = `one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      expected = `a number ${String(params['comparison'])} ${limit}`;
      break;
    case 'multipleOf':
      expected = `a multiple of ${String(params['multipleOf'])}`;
      break;
    case 'minLength':
    case 'maxLength':
      expected = `a string of ${error.keyword === 'minLength' ? 'at least' : 'at most'} ${plural(limit, 'character')}`;
      break;
    case 'pattern':
      if (error.propertyName !== undefined) {
        path += `/${escapeSegment(error.propertyName)}`;
        expected = `a property name matching ${String(params['pattern'])}`;
        received = JSON.stringify(error.propertyName);
      } else expected = `a string matching ${String(params['pattern'])}`;
      break;
    case 'propertyNames':
      return undefined; // reported by the inner error, which names the property
    case 'minItems':
    case 'maxItems':
      expected = `${error.keyword === 'minItems' ? 'at least' : 'at most'} ${plural(limit, 'item')}`;
      break;
    case 'minProperties':
    case 'maxProperties':
      expected =
        limit === 1 && error.keyword === 'maxProperties'
          ? 'exactly one property'
          : `${error.keyword === 'minProperties' ? 'at least' : 'at most'} ${plural(limit, 'property', 'properties')}`;
      break;
    case 'additionalProperties':
      path += `/${escapeSegment(String(params['additionalProperty']))}`;
      expected = 'no such property';
      break;
    case 'discriminator':
      path += `/${escapeSegment(String(params['tag']))}`;
      expected = discriminators[String(params['tag'])] ?? 'a known tag value';
      break;
    case 'uniqueItems':
      expected = 'unique items';
      break;
    case 'format':
      expected = `a ${String(params['format'])}`;
      break;
    case 'false schema':
      expected = 'nothing: this value is not allowed';
      break;
    case 'x-plain-object':
      expected = 'a plain object (as JSON.parse makes: its prototype is Object.prototype or null)';
      received = 'an object with another prototype (only its own properties would count)';
      break;
    case 'oneOf':
      expected = params['passingSchemas']
        ? 'exactly one of the alternatives (several match)'
        : 'one of the alternatives';
      break;
    case 'anyOf':
      expected = 'one of the alternatives';
      break;
    default:
      expected = `to satisfy "${error.keyword}" ${JSON.stringify(params)}`;
  }
  return received === undefined ? { path, expected } : { path, expected, received };
}

function toIssue(error: ValidatorError, root: unknown, context: IssueContext): ValidationIssue | undefined {
  const facts = errorFacts(error, context.discriminators);
  if (facts === undefined) return undefined;
  const { path, expected } = facts;
  const value = valueAt(root, path);
  const received = facts.received ?? describe(value);
  const where = path === '' ? '/' : path;
  return {
    path,
    message: `${where}: expected ${expected}, received ${received}${legacyHint(path, value, context)}`,
    expected,
    received,
    keyword: error.keyword,
  };
}

/** Tells a strict check's caller when a rejected value is a legacy form that parse would accept. */
function legacyHint(path: string, value: unknown, context: IssueContext): string {
  if (value === undefined) return '';
  const segments = parsePointer(path);
  for (const form of context.legacyForms) {
    if (form.path.length !== segments.length) continue;
    if (form.path.every((s, i) => s === null || s === segments[i]) && form.accepts(value)) {
      return ` (legacy form "${form.id}": ${context.parseName} accepts it and normalizes it)`;
    }
  }
  return '';
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value))
    return value.length === 0 ? 'an empty array' : `an array of ${plural(value.length, 'item')}`;
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
      return Number.isInteger(value) ? `integer ${value}` : `number ${value}`;
    case 'boolean':
      return `boolean ${value}`;
    case 'object': {
      const keys = Object.keys(value as object);
      const shown = keys
        .slice(0, 5)
        .map((k) => JSON.stringify(k))
        .join(', ');
      return keys.length === 0
        ? 'an empty object'
        : `an object with ${plural(keys.length, 'property', 'properties')} (${shown}${keys.length > 5 ? ', …' : ''})`;
    }
    default:
      return typeof value;
  }
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function parsePointer(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const segment of parsePointer(pointer)) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** A JSON pointer as Standard Schema path segments: array indices become numbers. */
export function pointerToPath(root: unknown, pointer: string): PropertyKey[] {
  let node = root;
  return parsePointer(pointer).map((segment) => {
    const key = Array.isArray(node) ? Number(segment) : segment;
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[segment] : undefined;
    return key;
  });
}
