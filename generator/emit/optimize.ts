/**
 * Peephole rewrites of Ajv's standalone output (Ajv is pinned to one exact version).
 * Ajv writes checks for the general case; a few of its idioms cost more than they need
 * to in the loops that run once per record and per header byte. Each rule names the
 * idiom, rewrites it to an equivalent expression, and must apply at least once to the
 * embedded schema (test/generator/emit/optimize.test.ts), so an Ajv upgrade that
 * changes its output is noticed. Equivalence is tested by comparing the optimized
 * and unoptimized validators on the fixture corpus and on thousands of mutated events.
 */
import { applyRewrites } from './rewrite.js';

export interface PeepholeRule {
  readonly name: string;
  readonly apply: (code: string) => string;
}

export const peepholeRules: readonly PeepholeRule[] = [
  {
    // typeof x == "number" && !(x % 1) && !isNaN(x) && isFinite(x) is Number.isInteger(x), for every x.
    name: 'Test integers with Number.isInteger',
    apply: (code) =>
      code
        // Negated, the test has parentheses of its own: !(((...) && (...)) && (...)).
        .replace(
          /(?<=!)\(\(\(typeof (data\d*) == "number"\) && \(!\(\1 % 1\) && !isNaN\(\1\)\)\) && \(isFinite\(\1\)\)\)/g,
          'Number.isInteger($1)',
        )
        // As an if's whole condition it has none: if(((...) && (...)) && (...)){.
        .replace(
          /^if\(\(\(typeof (data\d*) == "number"\) && \(!\(\1 % 1\) && !isNaN\(\1\)\)\) && \(isFinite\(\1\)\)\)\{$/gm,
          'if(Number.isInteger($1)){',
        ),
  },
  {
    // minProperties, maxProperties, propertyNames and additionalProperties each call
    // Object.keys on the same object (own keys: Ajv's ownProperties): read them once.
    name: "Read an object's own keys once",
    apply: readOwnKeysOnce,
  },
  {
    // typeof x == "number" && isFinite(x) is Number.isFinite(x), for every x.
    name: 'Test finite numbers with Number.isFinite',
    apply: (code) => code.replace(/\(typeof (data\d*) == "number"\) && \(isFinite\(\1\)\)/g, 'Number.isFinite($1)'),
  },
  {
    // Inside Ajv's finite-number guard (rewritten above to Number.isFinite), x cannot be NaN.
    name: 'Drop isNaN from bounds checked inside a finite-number guard',
    apply: (code) =>
      code.replace(
        /(if\(Number\.isFinite\((data\d*)\)\)\{\n)((?:if\(\2 [<>]=? -?[0-9.e+]+ \|\| isNaN\(\2\)\)\{\n(?:(?!\nif\(Number\.isFinite\().)*?\n\}\n)+)\}/gs,
        (_m, guard: string, data: string, body: string) => `${guard}${body.split(` || isNaN(${data})){`).join('){')}}`,
      ),
  },
  {
    // The same append, in one line instead of six: smaller code to load at cold start.
    name: 'Append errors with ??=',
    apply: (code) =>
      code.replace(
        /if\(vErrors === null\)\{\nvErrors = \[(err\d+)\];\n\}\nelse \{\nvErrors\.push\(\1\);\n\}\n/g,
        '(vErrors ??= []).push($1);\n',
      ),
  },
  {
    // Issues are built from instancePath, keyword and params; schemaPath only adds size.
    name: 'Drop schemaPath from error objects',
    apply: (code) => code.replace(/,schemaPath:"(?:[^"\\]|\\.)*"/g, ''),
  },
];

/**
 * After an object's type guard, declares `const keysdataN = Object.keys(dataN);` and
 * uses it for every `Object.keys(dataN)` of that object, when there are two or more. Ajv
 * checks each object's keywords inside one guard, and numbers its data variables per
 * function: the guard's scope runs until the function ends or the variable is declared again.
 */
function readOwnKeysOnce(code: string): string {
  const guard = /^if\((data\d*) && typeof \1 == "object" && !Array\.isArray\(\1\)\)\{\n/gm;
  let result = code;
  for (let match = guard.exec(result); match !== null; match = guard.exec(result)) {
    const data = match[1] as string;
    const start = match.index + match[0].length;
    const scopeEnd = new RegExp(
      `^(?:function |(?:let|const) ${data} = |if\\(${data} && typeof ${data} == "object")`,
      'm',
    );
    const rest = result.slice(start);
    const end = start + (scopeEnd.exec(rest)?.index ?? rest.length);
    const read = `Object.keys(${data})`;
    const uses = result.slice(start, end).split(read);
    if (uses.length - 1 < 2) continue;
    result = `${result.slice(0, start)}const keys${data} = ${read};\n${uses.join(`keys${data}`)}${result.slice(end)}`;
    guard.lastIndex = start;
  }
  return result;
}

export interface OptimizeResult {
  readonly code: string;
  /** How many times each rule changed the code (by rule name). */
  readonly applied: Readonly<Record<string, number>>;
}

export function optimizeValidators(code: string): OptimizeResult {
  const rewrites = peepholeRules.map((rule) => ({
    name: rule.name,
    apply: (c: string) => withChangedLines(c, rule.apply(c)),
  }));
  const { code: result, counts } = applyRewrites(code, rewrites);
  return { code: result, applied: counts };
}

/** `after`, and how many lines of `before` it no longer has. */
function withChangedLines(before: string, after: string): { code: string; count: number } {
  if (before === after) return { code: after, count: 0 };
  const kept = new Set(after.split('\n'));
  return { code: after, count: before.split('\n').filter((line) => !kept.has(line)).length };
}
