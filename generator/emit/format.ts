/**
 * The one formatting pass every generated TypeScript file goes through last, so that
 * types, templates and Ajv's compiled validators read alike: prettier with the options
 * of the repository's own style (biome.json: 120 columns, single quotes, trailing commas,
 * semicolons). Whitespace, quotes and parentheses only: the code does the same thing
 * byte for byte at run time. Rewrites that match Ajv's exact text (emit/optimize.ts,
 * error-limit.ts, own-properties.ts, unsafe-integers.ts) run before it.
 */
import { format, type Options } from 'prettier';
import type { GeneratedFile } from '../output/generated-files.js';

export const FORMAT_OPTIONS: Readonly<Options> = {
  // Babel's TypeScript parser prints the same as prettier's `typescript` parser on every
  // generated file (the snapshots of test/snapshots) in two thirds of the time; a file it
  // cannot parse is formatted with `typescript`.
  parser: 'babel-ts',
  printWidth: 120,
  tabWidth: 2,
  useTabs: false,
  singleQuote: true,
  trailingComma: 'all',
  semi: true,
  arrowParens: 'always',
  bracketSpacing: true,
  endOfLine: 'lf',
};

/**
 * Texts formatted in this process, the most recently used last. Formatting is a pure
 * function of the text, and a process that generates again (a `--check` after a
 * `generate`, `--watch` after an edit that changed one file, a test suite) mostly formats
 * texts it has seen: the validators, the parse API. A few dozen files are kept.
 */
const formatted = new Map<string, string>();
const KEPT = 48;

/** `code` (a whole TypeScript file) formatted; a syntax error in it is a bug of the emitter, reported as such. */
export async function formatTypeScript(code: string, file: string): Promise<string> {
  const known = formatted.get(code);
  if (known !== undefined) {
    formatted.delete(code);
    formatted.set(code, known);
    return known;
  }
  const result = await formatUncached(code, file);
  formatted.set(code, result);
  if (formatted.size > KEPT) formatted.delete(formatted.keys().next().value as string);
  return result;
}

async function formatUncached(code: string, file: string): Promise<string> {
  try {
    return await format(code, FORMAT_OPTIONS);
  } catch {
    // Babel does not know every TypeScript syntax: the TypeScript parser decides.
  }
  try {
    return await format(code, { ...FORMAT_OPTIONS, parser: 'typescript' });
  } catch (error) {
    throw new Error(`msk-codegen emitted ${file} with a syntax error (a bug): ${(error as Error).message}`);
  }
}

/** Every `.ts` file of `files` formatted (others, such as event.schema.json, as they are), in the same order. */
export async function formatGeneratedFiles(files: readonly GeneratedFile[]): Promise<GeneratedFile[]> {
  return Promise.all(
    files.map(async (file) =>
      file.path.endsWith('.ts') ? { ...file, contents: await formatTypeScript(file.contents, file.path) } : file,
    ),
  );
}
