/**
 * Meta-test: every generated file, and the type-level tests of the generated API,
 * type-check under strict TypeScript (the `typescript` devDependency, 6.0, the version
 * ts-morph bundles), with the strictest flags users commonly turn on.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/index.js';
import { writeGeneratedFiles } from '../../generator/output/generated-files.js';
import { EMBEDDED_SCHEMA_PATH, GENERATED_DIR, REPO_ROOT, tempDir } from '../helpers.js';
import { createProgram, STRICTEST } from '../typescript.js';

/** Type-checks `files`; `types` are the @types packages in scope (none by default: generated code needs no Node or DOM types). */
function typecheck(files: string[], types: string[] = []): string[] {
  const program = createProgram(files, { ...STRICTEST, types });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where =
      d.file && d.start !== undefined
        ? `${path.relative(REPO_ROOT, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: `
        : '';
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

async function generatedFiles(dir: string): Promise<string[]> {
  return (await readdir(dir))
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}

describe('generated code type-checks under strict TypeScript', () => {
  it('generated/, with no @types in scope', async () => {
    const files = await generatedFiles(GENERATED_DIR);
    expect(files.map((f) => path.basename(f)).sort()).toEqual([
      'index.ts',
      'on-failure-validators.ts',
      'on-failure.ts',
      'parse.ts',
      'records.ts',
      'testing.ts',
      'types.ts',
      'validators-all-errors.ts',
      'validators.ts',
    ]);
    expect(typecheck(files)).toEqual([]);
  });

  it('the type-level tests of the generated API (with @types/aws-lambda and @types/node)', () => {
    expect(typecheck([path.join(REPO_ROOT, 'test', 'types', 'generated-api.ts')], ['node', 'aws-lambda'])).toEqual([]);
  });

  it('output of a schema that declares no legacy forms', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    const schema = JSON.parse(await readFile(EMBEDDED_SCHEMA_PATH, 'utf8')) as {
      $defs: Record<
        string,
        { properties?: Record<string, Record<string, unknown>>; additionalProperties?: Record<string, unknown> }
      >;
    };
    delete schema.$defs['KafkaRecord']?.properties?.['partition']?.['x-legacy-forms'];
    delete schema.$defs['KafkaRecordHeader']?.additionalProperties?.['x-legacy-forms'];
    const schemaFile = path.join(dir, 'plain.schema.json');
    await writeFile(schemaFile, JSON.stringify(schema, null, 2));
    const out = path.join(dir, 'generated');
    await writeGeneratedFiles(out, await generate({ schema: schemaFile }));
    expect(await readFile(path.join(out, 'parse.ts'), 'utf8')).not.toMatch(/\baccept[A-Z_]/);
    expect(typecheck(await generatedFiles(out))).toEqual([]);
  });

  it('a broken type-level expectation is caught (the check can fail)', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    const file = path.join(dir, 'loose.ts');
    await writeFile(
      file,
      `import type { KafkaRecord } from ${JSON.stringify(path.join(GENERATED_DIR, 'index.js'))};\n// @ts-expect-error\nexport const p: KafkaRecord['partition'] = 1;\n`,
    );
    expect(typecheck([file]).join('\n')).toContain("Unused '@ts-expect-error' directive");
  });
});
