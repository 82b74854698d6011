/**
 * Phase 1: read the schema file and check it, reporting every problem at its
 * file:line:column. Nothing later has to cope with an invalid schema.
 */
import { CodegenError, DiagnosticCodes, type Diagnostic } from './diagnostics.js';
import { closestKeyword, createAjv, isKnownKeyword } from './ajv.js';
import { JsonSource } from './json-source.js';
import { joinPointer, parsePointer } from './json-pointer.js';
import { forEachSchema, isSchemaObject, type JsonSchemaObject } from './schema-walk.js';
import { errorFacts } from '../runtime/issues.js';
import type { ValidatorError } from '../runtime/validator.js';

export const SUPPORTED_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export interface LoadedSchema {
  readonly source: JsonSource;
  readonly schema: JsonSchemaObject;
}

export async function loadSchema(file: string): Promise<LoadedSchema> {
  const source = await JsonSource.read(file, 'schema');
  return checkSchema(source);
}

/** Checks an already-read schema document; throws CodegenError listing every problem found. */
export function checkSchema(source: JsonSource): LoadedSchema {
  const schema = source.value;
  if (!isSchemaObject(schema)) {
    throw new CodegenError([
      source.diagnostic(DiagnosticCodes.notJsonSchema, '', 'expected a JSON Schema object at the top of the file'),
    ]);
  }
  const dialect = schema['$schema'];
  if (dialect !== undefined && dialect !== SUPPORTED_DIALECT && dialect !== `${SUPPORTED_DIALECT}#`) {
    throw new CodegenError([
      source.diagnostic(
        DiagnosticCodes.notJsonSchema,
        '/$schema',
        `msk-codegen reads JSON Schema 2020-12: expected "$schema": "${SUPPORTED_DIALECT}", found ${JSON.stringify(dialect)}`,
      ),
    ]);
  }

  const ajv = createAjv();
  const diagnostics: Diagnostic[] = [];
  if (!ajv.validateSchema(schema)) {
    const reported = new Set<string>();
    for (const error of ajv.errors ?? []) {
      if (error.keyword === '$dynamicRef' || error.keyword === 'anyOf' || error.keyword === 'oneOf') continue;
      // The meta-schema's alternatives (a type name, or an array of them) each add an error: the first says it best.
      if (reported.has(error.instancePath)) continue;
      reported.add(error.instancePath);
      diagnostics.push(
        source.diagnostic(
          DiagnosticCodes.notJsonSchema,
          error.instancePath,
          `not a valid JSON Schema: ${describeMetaError(error)}`,
        ),
      );
    }
    if (diagnostics.length === 0)
      diagnostics.push(
        source.diagnostic(DiagnosticCodes.notJsonSchema, '', 'not a valid JSON Schema 2020-12 document'),
      );
    throw new CodegenError(diagnostics);
  }

  forEachSchema(schema, (node, pointer) => {
    for (const [keyword, value] of Object.entries(node)) {
      const at = joinPointer(pointer, keyword);
      if (!isKnownKeyword(ajv, keyword)) {
        const suggestion = closestKeyword(ajv, keyword);
        const hint = suggestion
          ? `did you mean "${suggestion}"?`
          : "not part of JSON Schema 2020-12 nor of msk-codegen's vocabulary";
        diagnostics.push(
          source.diagnostic(DiagnosticCodes.unknownKeyword, at, `unknown keyword "${keyword}": ${hint}`, 'key'),
        );
      }
      if (keyword === '$ref' && typeof value === 'string') {
        const problem = refProblem(schema, value);
        if (problem) diagnostics.push(source.diagnostic(DiagnosticCodes.unresolvedRef, at, problem));
      }
      if (keyword === 'pattern' && typeof value === 'string') {
        const problem = regexProblem(value);
        if (problem) diagnostics.push(source.diagnostic(DiagnosticCodes.notJsonSchema, at, problem));
      }
      if (keyword === 'patternProperties' && isSchemaObject(value)) {
        for (const pattern of Object.keys(value)) {
          const problem = regexProblem(pattern);
          if (problem)
            diagnostics.push(
              source.diagnostic(DiagnosticCodes.notJsonSchema, joinPointer(at, pattern), problem, 'key'),
            );
        }
      }
    }
  });
  if (diagnostics.length > 0) throw new CodegenError(diagnostics);
  const cycles = refCycles(source, schema);
  if (cycles.length > 0) throw new CodegenError(cycles);
  return { source, schema };
}

/** The JSON pointer a `$ref` (already checked by refProblem) points at: `#/$defs/A` -> `/$defs/A`. */
function refTarget(root: JsonSchemaObject, ref: string): string {
  const id = typeof root['$id'] === 'string' ? root['$id'] : '';
  const fragment = ref.startsWith('#') ? ref : ref.slice(id.length);
  return joinPointer('', ...parsePointer(fragment));
}

/** The keywords whose subschemas apply to the same value as their parent, as a `$ref` does. */
const SAME_VALUE_KEYWORDS = ['allOf', 'anyOf', 'oneOf'] as const;
/** Single subschemas that apply to the same value too. */
const SAME_VALUE_SINGLE_KEYWORDS = ['not', 'if', 'then', 'else'] as const;

/**
 * Reference cycles with nothing in between: a `$ref` whose resolution leads back to
 * itself through `$ref`s and keywords that apply to the same value (allOf/anyOf/oneOf,
 * not, if/then/else, dependentSchemas) alone (A -> B -> A). Such a
 * schema never reaches a check of its own: Ajv overflows its stack compiling it (or the
 * compiled validator does, on every value) and json-schema-to-typescript cannot resolve
 * it. Recursion through properties or items (a tree of nodes) is fine: each step goes
 * one level deeper into the data. One diagnostic per `$ref` of each cycle, naming it.
 */
function refCycles(source: JsonSource, schema: JsonSchemaObject): Diagnostic[] {
  const nodes = new Map<string, JsonSchemaObject>();
  forEachSchema(schema, (node, pointer) => nodes.set(pointer, node));
  interface Step {
    readonly to: string;
    /** When the step is a `$ref`: where it is, and what it says. */
    readonly ref?: { readonly at: string; readonly value: string };
  }
  const stepsFrom = (pointer: string): Step[] => {
    const node = nodes.get(pointer);
    if (node === undefined) return [];
    const steps: Step[] = [];
    const ref = node['$ref'];
    if (typeof ref === 'string')
      steps.push({ to: refTarget(schema, ref), ref: { at: joinPointer(pointer, '$ref'), value: ref } });
    for (const keyword of SAME_VALUE_KEYWORDS) {
      const members = node[keyword];
      if (Array.isArray(members)) members.forEach((_, i) => steps.push({ to: joinPointer(pointer, keyword, i) }));
    }
    for (const keyword of SAME_VALUE_SINGLE_KEYWORDS)
      if (isSchemaObject(node[keyword])) steps.push({ to: joinPointer(pointer, keyword) });
    const dependent = node['dependentSchemas'];
    if (isSchemaObject(dependent))
      for (const name of Object.keys(dependent)) steps.push({ to: joinPointer(pointer, 'dependentSchemas', name) });
    return steps;
  };

  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  const done = new Set<string>();
  const path: string[] = [];
  const pathSteps: Step[] = [];
  const visit = (pointer: string): void => {
    path.push(pointer);
    for (const step of stepsFrom(pointer)) {
      const back = path.indexOf(step.to);
      if (back >= 0) {
        // Every cycle has a $ref in it: the same-value keywords alone only go down the document.
        const refs = [...pathSteps.slice(back), step].flatMap((s) => (s.ref ? [s.ref] : []));
        const key = refs
          .map((r) => r.at)
          .sort()
          .join('\n');
        if (refs.length > 0 && !reported.has(key)) {
          reported.add(key);
          diagnostics.push(...describeCycle(source, refs));
        }
      } else if (!done.has(step.to)) {
        pathSteps.push(step);
        visit(step.to);
        pathSteps.pop();
      }
    }
    path.pop();
    done.add(pointer);
  };
  for (const pointer of nodes.keys()) if (!done.has(pointer)) visit(pointer);
  return diagnostics;
}

/** One diagnostic per `$ref` of a cycle, each at its place, all naming the cycle from its first `$ref` in the file. */
function describeCycle(
  source: JsonSource,
  refs: readonly { readonly at: string; readonly value: string }[],
): Diagnostic[] {
  const placed = refs.map((ref) => ({ ...ref, position: source.positionOf(ref.at) }));
  const first = placed.reduce((best, r, i) => {
    const b = placed[best]?.position;
    return b === undefined || r.position.line < b.line || (r.position.line === b.line && r.position.column < b.column)
      ? i
      : best;
  }, 0);
  const ordered = [...placed.slice(first), ...placed.slice(0, first)];
  // Start where the first $ref's chain starts: the schema the last $ref leads back to.
  const names = [ordered.at(-1)?.value ?? '', ...ordered.map((r) => r.value)];
  const cycle = names.join(' -> ');
  return ordered.map((ref) =>
    source.diagnostic(
      DiagnosticCodes.refCycle,
      ref.at,
      `$ref ${JSON.stringify(ref.value)} is in a reference cycle: ${cycle}. Only $refs and keywords that apply to the same value (allOf, anyOf, oneOf, not, if/then/else, dependentSchemas) lie between them, so it never ` +
        'reaches a schema that checks anything; a recursive schema must recurse through "properties" or "items" (a node whose "children" items are nodes)',
    ),
  );
}

/** Why `$ref` cannot be resolved inside `root`, or undefined when it can. */
function refProblem(root: JsonSchemaObject, ref: string): string | undefined {
  const id = typeof root['$id'] === 'string' ? root['$id'] : undefined;
  const fragment = ref.startsWith('#')
    ? ref
    : id !== undefined && ref.startsWith(`${id}#`)
      ? ref.slice(id.length)
      : undefined;
  if (fragment === undefined) {
    return `$ref ${JSON.stringify(ref)} points outside this file: msk-codegen resolves only references within the schema file ("#/$defs/...")`;
  }
  if (fragment !== '#' && !fragment.startsWith('#/')) {
    return `$ref ${JSON.stringify(ref)} uses an anchor: write it as a JSON pointer such as "#/$defs/Name"`;
  }
  let node: unknown = root;
  const walked: string[] = [];
  for (const segment of parsePointer(fragment)) {
    const next = isSchemaObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[segment] : undefined;
    if (next === undefined) {
      const there = isSchemaObject(node) ? Object.keys(node) : [];
      const known = there.length > 0 && walked.at(-1) === '$defs' ? ` (defined there: ${there.join(', ')})` : '';
      return `$ref ${JSON.stringify(ref)} points at nothing: no "${segment}" under ${joinPointer('', ...walked) || '/'}${known}`;
    }
    walked.push(segment);
    node = next;
  }
  if (!isSchemaObject(node) && typeof node !== 'boolean')
    return `$ref ${JSON.stringify(ref)} points at a value that is not a schema`;
  return undefined;
}

function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
    return undefined;
  } catch (error) {
    return `invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`;
  }
}

/** A meta-schema error in the words of the parse API's issues (runtime/issues.ts). */
function describeMetaError(error: ValidatorError): string {
  const facts = errorFacts(error);
  return facts ? `expected ${facts.expected}` : `breaks "${error.keyword}" ${JSON.stringify(error.params)}`;
}
