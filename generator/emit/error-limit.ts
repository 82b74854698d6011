/**
 * Turns Ajv's all-errors standalone code into error collectors with a limit: each
 * function keeps at most `errorLimit` error objects and only counts the rest, so a value
 * with a million problems costs time and memory linear in its size, not a million error
 * objects and path strings. The count stays exact (`errorCount`), so callers can say
 * "and N more".
 *
 * Ajv (pinned to one exact version) writes errors in four idioms, each rewritten here;
 * `checkErrorIdioms` fails generation if its output ever uses another one, so an Ajv
 * upgrade cannot silently break the limit.
 */

import { applyRewrites } from './rewrite.js';

/** The variable the rewritten code reads; declared by the collector module's preamble. */
export const ERROR_LIMIT = 'errorLimit';

interface Idiom {
  readonly name: string;
  readonly pattern: RegExp;
  readonly rewrite: (...groups: string[]) => string;
}

const IDIOMS: readonly Idiom[] = [
  {
    // Build the error object (and its path string) only when it is kept.
    name: 'append an error',
    pattern:
      /^const (err\d+) = (\{.*\});\nif\(vErrors === null\)\{\nvErrors = \[\1\];\n\}\nelse \{\nvErrors\.push\(\1\);\n\}\n/gm,
    rewrite: (_match, _name, error) => `if(errors < ${ERROR_LIMIT}){\n(vErrors ??= []).push(${error});\n}\n`,
  },
  {
    // A called validator kept at most errorLimit errors and counted all of them.
    name: 'take the errors of a called validator',
    pattern:
      /^vErrors = vErrors === null \? ([\w.]+)\.errors : vErrors\.concat\(\1\.errors\);\nerrors = vErrors\.length;\n/gm,
    rewrite: (_match, callee) =>
      `if(${callee}.errors !== null){\nvErrors = vErrors === null ? ${callee}.errors : vErrors.concat(${callee}.errors);\nif(vErrors.length > ${ERROR_LIMIT}){\nvErrors.length = ${ERROR_LIMIT};\n}\n}\nerrors += ${callee}.errorCount;\n`,
  },
  {
    // Undo the errors of a failed alternative: never grow the array (fewer may be kept than counted).
    name: 'drop the errors of an alternative',
    pattern: /^vErrors\.length = (_errs\d+);\n/gm,
    rewrite: (_match, count) => `if(vErrors.length > ${count}){\nvErrors.length = ${count};\n}\n`,
  },
  {
    name: 'report the count',
    pattern: /^(validate\d+)\.errors = vErrors;\nreturn errors === 0;\n/gm,
    rewrite: (_match, fn) => `${fn}.errors = vErrors;\n${fn}.errorCount = errors;\nreturn errors === 0;\n`,
  },
];

/** Lines the rewritten code may use `vErrors` or assign `errors` in; anything else is an idiom this file does not know. */
const KNOWN_LINES: readonly RegExp[] = [
  /^let vErrors = null;$/,
  /^let errors = 0;$/,
  /^\(vErrors \?\?= \[\]\)\.push\(\{.*\}\);$/,
  /^if\([\w.]+\.errors !== null\)\{$/,
  /^vErrors = vErrors === null \? ([\w.]+)\.errors : vErrors\.concat\(\1\.errors\);$/,
  new RegExp(`^if\\(vErrors\\.length > (${ERROR_LIMIT}|_errs\\d+)\\)\\{$`),
  new RegExp(`^vErrors\\.length = (${ERROR_LIMIT}|_errs\\d+);$`),
  /^if\(vErrors !== null\)\{$/,
  /^vErrors = null;$/,
  /^errors\+\+;$/,
  /^errors = _errs\d+;$/,
  /^errors \+= [\w.]+\.errorCount;$/,
  /^validate\d+\.errors = vErrors;$/,
];

export interface LimitedCode {
  readonly code: string;
  /** How many times each idiom was rewritten (by name). */
  readonly rewritten: Readonly<Record<string, number>>;
}

/** Rewrites Ajv's all-errors code (before any other rewrite) to keep at most `errorLimit` errors per function. */
export function limitErrors(code: string): LimitedCode {
  const rewrites = IDIOMS.map((idiom) => ({ name: idiom.name, apply: (c: string) => replaceCounting(c, idiom) }));
  const { code: result, counts } = applyRewrites(code, rewrites);
  checkErrorIdioms(result);
  return { code: result, rewritten: counts };
}

/** `code` with every match of the idiom rewritten, and how many there were. */
function replaceCounting(code: string, idiom: Idiom): { code: string; count: number } {
  let count = 0;
  const rewritten = code.replace(idiom.pattern, (...args: string[]) => {
    count++;
    return idiom.rewrite(...args);
  });
  return { code: rewritten, count };
}

/** Throws if `code` handles errors in a way `limitErrors` did not rewrite (an Ajv upgrade changed its output). */
export function checkErrorIdioms(code: string): void {
  for (const line of code.split('\n')) {
    const touchesErrors = line.includes('vErrors') || /^errors\s*[-+]?=|^errors\+\+/.test(line);
    if (touchesErrors && !KNOWN_LINES.some((known) => known.test(line))) {
      throw new Error(
        `msk-codegen cannot limit the errors of Ajv's code: unknown idiom ${JSON.stringify(line)} (emit/error-limit.ts knows Ajv 8.20.0's)`,
      );
    }
  }
}
