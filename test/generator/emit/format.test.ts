/** formatTypeScript: the one formatting pass of generated TypeScript (the repository's style: 120 columns, single quotes). */
import { describe, expect, it } from 'vitest';
import { formatGeneratedFiles, formatTypeScript } from '../../../generator/emit/format.js';

describe('formatTypeScript', () => {
  it('indents, single-quotes and spaces code the way the repository is written', async () => {
    expect(
      await formatTypeScript('const a:readonly (string|null)[]=["records",null,"it\'s"]\nif(a){return}', 'a.ts'),
    ).toBe("const a: readonly (string | null)[] = ['records', null, \"it's\"];\nif (a) {\n  return;\n}\n");
  });

  it('keeps TypeScript-only syntax (type imports, satisfies, overloads, enums)', async () => {
    const code =
      "import type { A } from './a.js';\nexport function f(x: string): string;\nexport function f(x: unknown) {\n  return x as A satisfies unknown;\n}\nexport enum E {\n  A = 'a',\n}\n";
    expect(await formatTypeScript(code, 'a.ts')).toBe(code);
  });

  it('reports code that does not parse as a bug of the emitter, naming the file', async () => {
    await expect(formatTypeScript('const = ;', 'parse.ts')).rejects.toThrow(
      /^msk-codegen emitted parse\.ts with a syntax error \(a bug\): /,
    );
  });

  it('formats the .ts files only, in order', async () => {
    const files = [
      { path: 'a.ts', contents: 'let  x=1' },
      { path: 'event.schema.json', contents: '{"a":1}\n' },
    ];
    expect(await formatGeneratedFiles(files)).toEqual([
      { path: 'a.ts', contents: 'let x = 1;\n' },
      { path: 'event.schema.json', contents: '{"a":1}\n' },
    ]);
  });
});
