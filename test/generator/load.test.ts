import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodegenError, generate } from '../../generator/index.js';
import { badSchemaCases } from '../fixtures/bad-schemas.js';
import { EMBEDDED_SCHEMA_PATH, positionOf, tempDir } from '../helpers.js';

async function diagnosticsFor(text: string | undefined | 'DIRECTORY') {
  const dir = await tempDir();
  const file = path.join(dir, 'event.schema.json');
  if (text === 'DIRECTORY') await mkdir(file);
  else if (text !== undefined) await writeFile(file, text);
  try {
    await generate({ schema: file });
  } catch (error) {
    expect(error).toBeInstanceOf(CodegenError);
    return { file, diagnostics: (error as CodegenError).diagnostics };
  }
  throw new Error('expected generate to fail');
}

describe('loadSchema and buildModel reject bad input with the file and the place', () => {
  it.each(badSchemaCases)('$name', async (badCase) => {
    const { file, diagnostics } = await diagnosticsFor(badCase.text);
    const diagnostic = diagnostics.find((d) => d.code === badCase.code);
    expect(diagnostic, JSON.stringify(diagnostics)).toBeDefined();
    expect(diagnostic?.file).toBe(file);
    expect(diagnostic?.message).toContain(badCase.message);
    if (badCase.at !== undefined && typeof badCase.text === 'string') {
      const expected = positionOf(badCase.text, badCase.at, badCase.occurrence);
      expect({ line: diagnostic?.line, column: diagnostic?.column }).toEqual(expected);
    }
    if (badCase.pointer !== undefined) expect(diagnostic?.pointer).toBe(badCase.pointer);
  });

  it('accepts the embedded schema', async () => {
    await expect(generate({ schema: EMBEDDED_SCHEMA_PATH })).resolves.toHaveLength(6);
  });

  it('accepts a UTF-8 byte order mark', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'bom.schema.json');
    const { readFile } = await import('node:fs/promises');
    await writeFile(file, `\uFEFF${await readFile(EMBEDDED_SCHEMA_PATH, 'utf8')}`);
    await expect(generate({ schema: file })).resolves.toHaveLength(6);
  });
});
