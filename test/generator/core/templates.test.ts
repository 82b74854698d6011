/**
 * The built-in templates (templates/*.hbs, loaded by generator/templates.ts): a template
 * that does not parse is reported when it is loaded, at its file and line, with
 * handlebars' whole message; one that fails while rendering, at its line and column.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodegenError, formatDiagnostic, type Diagnostic } from '../../../generator/core/diagnostics.js';
import { loadTemplates, type Template } from '../../../generator/core/templates.js';
import { EMITTERS } from '../../../generator/emit/registry.js';
import { REPO_ROOT, tempDir } from '../../helpers.js';

/** A copy of templates/*.hbs in a temporary folder, with `name` replaced by `text`. */
async function templatesWith(name: string, text: string): Promise<string> {
  const dir = await tempDir();
  const source = path.join(REPO_ROOT, 'templates');
  for (const file of (await readdir(source)).filter((f) => f.endsWith('.hbs'))) {
    await writeFile(path.join(dir, file), await readFile(path.join(source, file), 'utf8'));
  }
  await writeFile(path.join(dir, name), text);
  return dir;
}

async function caught(action: () => unknown): Promise<CodegenError> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(CodegenError);
    return error as CodegenError;
  }
  throw new Error('expected a CodegenError');
}

/** The templates the emitter registry names: what generate() loads. */
const BUILT_IN = EMITTERS.flatMap((e) => (e.template !== undefined ? [e.template] : []));

describe('loadTemplates', () => {
  it('loads the built-in templates', async () => {
    const templates = await loadTemplates(BUILT_IN);
    expect([...templates.keys()]).toEqual(BUILT_IN);
    for (const template of templates.values()) expect(template).toBeTypeOf('function');
  });

  it('a template that does not parse: reported on load, at its file and line, with the whole message indented under the first line', async () => {
    const original = await readFile(path.join(REPO_ROOT, 'templates', 'index.ts.hbs'), 'utf8');
    const text = `${original}{{#if payloads}}\nnever closed\n`;
    const dir = await templatesWith('index.ts.hbs', text);
    const error = await caught(() => loadTemplates(BUILT_IN, dir));
    const eofLine = text.split('\n').length;
    expect(error.diagnostics).toHaveLength(1);
    expect(error.diagnostics[0]).toMatchObject({
      code: 'E_TEMPLATE',
      file: path.join(dir, 'index.ts.hbs'),
      line: eofLine,
    });
    expect(error.diagnostics[0]?.column).toBeUndefined();
    const lines = formatDiagnostic(error.diagnostics[0] as Diagnostic, dir).split('\n');
    expect(lines[0]).toBe(`index.ts.hbs:${eofLine}: error E_TEMPLATE: Parse error on line ${eofLine}:`);
    expect(lines[1]).toMatch(/^ {4}.*never closed$/);
    expect(lines[2]).toMatch(/^ {4}-+\^$/);
    expect(lines[3]).toBe("    Expecting 'OPEN_INVERSE_CHAIN', 'INVERSE', 'OPEN_ENDBLOCK', got 'EOF'");
    expect(lines).toHaveLength(4);
  });

  it('a template that fails while rendering: its file, line and column', async () => {
    const dir = await templatesWith('index.ts.hbs', '// line 1\n// {{noSuchVariable}}\n');
    const templates = await loadTemplates(BUILT_IN, dir);
    const error = await caught(() => (templates.get('index.ts.hbs') as Template)({}));
    expect(error.diagnostics[0]).toMatchObject({
      code: 'E_TEMPLATE',
      file: path.join(dir, 'index.ts.hbs'),
      line: 2,
      column: 6,
    });
    expect(formatDiagnostic(error.diagnostics[0] as Diagnostic, dir)).toBe(
      'index.ts.hbs:2:6: error E_TEMPLATE: "noSuchVariable" not defined in [object Object] - 2:5',
    );
  });

  it('a template that is missing: its path', async () => {
    const dir = await templatesWith('parse.ts.hbs', '');
    await rm(path.join(dir, 'parse.ts.hbs'));
    const error = await caught(() => loadTemplates(BUILT_IN, dir));
    expect(formatDiagnostic(error.diagnostics[0] as Diagnostic, dir)).toBe(
      'parse.ts.hbs: error E_TEMPLATE: cannot read template: no such file',
    );
  });
});
