/** Loads and compiles the handlebars templates in templates/ (strict, no HTML escaping: they produce code). */
import Handlebars from 'handlebars';
import * as path from 'node:path';
import { CodegenError, DiagnosticCodes } from './diagnostics.js';
import { describeFsError } from './json-source.js';
import { TEMPLATES_DIR } from './package-root.js';
import { readRegularFile } from './regular-file.js';
import { literal } from '../emit/literal.js';

export type Template = (data: unknown) => string;

/** Compiled templates by file name (`parse.ts.hbs`): the ones the emitters of emit/registry.ts name. */
export type Templates = ReadonlyMap<string, Template>;

function createHandlebars(): typeof Handlebars {
  const hb = Handlebars.create();
  // Every value put into code goes through one helper: TypeScript's quotes, readable arrays (emit/literal.ts).
  hb.registerHelper('literal', (value: unknown) => literal(value));
  return hb;
}

async function compileFile(hb: typeof Handlebars, file: string): Promise<Template> {
  return compileTemplate(hb, file, await readTemplate(file));
}

/** A template's text; a file that cannot be read is a CodegenError (E_TEMPLATE) naming it. */
export async function readTemplate(file: string): Promise<string> {
  try {
    return await readRegularFile(file, 'utf8');
  } catch (error) {
    throw new CodegenError([
      { code: DiagnosticCodes.template, file, message: `cannot read template: ${describeFsError(error)}` },
    ]);
  }
}

/**
 * Compiles `text` (strict, no HTML escaping), parsing it now: handlebars would parse on
 * the first render, far from here. Syntax errors, and errors while rendering, become
 * templateError diagnostics naming `file`.
 */
export function compileTemplate(hb: typeof Handlebars, file: string, text: string): Template {
  let template: HandlebarsTemplateDelegate;
  try {
    template = hb.compile(hb.parse(text), { noEscape: true, strict: true });
  } catch (error) {
    throw templateError(file, error);
  }
  return (data) => {
    try {
      return template(data);
    } catch (error) {
      throw templateError(file, error);
    }
  };
}

/**
 * A template that fails to compile or render, as a diagnostic at the template's line
 * (and column, when handlebars gives one) with handlebars' whole message: its first
 * line, then the excerpt and what the parser expected, indented under it.
 */
export function templateError(file: string, error: unknown): CodegenError {
  const text = error instanceof Error ? error.message : String(error);
  const [first = '', ...rest] = text.replace(/\n+$/, '').split('\n');
  // Parse errors say the line only in their text; other errors carry it (and a 0-based column).
  const { lineNumber, column } = (typeof error === 'object' && error !== null ? error : {}) as {
    lineNumber?: unknown;
    column?: unknown;
  };
  const parseLine = /^Parse error on line (\d+):/.exec(first)?.[1];
  const line = typeof lineNumber === 'number' ? lineNumber : parseLine !== undefined ? Number(parseLine) : undefined;
  const place =
    line === undefined
      ? {}
      : typeof lineNumber === 'number' && typeof column === 'number'
        ? { line, column: column + 1 }
        : { line };
  const message = [first, ...rest.map((l) => `    ${l}`)].join('\n');
  return new CodegenError([{ code: DiagnosticCodes.template, file, message, ...place }]);
}

/** Loads and compiles `files` (names in `dir`, default templates/), each parsed now so that a syntax error is reported at once. */
export async function loadTemplates(files: readonly string[], dir: string = TEMPLATES_DIR): Promise<Templates> {
  const hb = createHandlebars();
  const templates = new Map<string, Template>();
  for (const file of files) templates.set(file, await compileFile(hb, path.join(dir, file)));
  return templates;
}
