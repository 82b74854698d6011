import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CodegenError, generate, loadSchema, writeGeneratedFiles } from '../../../generator/index.js';
import { buildModel } from '../../../generator/core/model.js';
import { EMITTERS, generatedFileNames } from '../../../generator/emit/registry.js';
import { NORMALIZER_NAMES } from '../../../generator/runtime/normalizers.js';
import { badSchemaCases } from '../../fixtures/bad-schemas.js';
import { CAN_MKFIFO, makeFifo } from '../../fifo.js';
import { EMBEDDED_SCHEMA_PATH, positionOf, tempDir } from '../../helpers.js';

/** The files the emitter registry says the embedded schema gives without payload topics. */
async function filesWithoutPayloads(): Promise<string[]> {
  const model = buildModel(await loadSchema(EMBEDDED_SCHEMA_PATH), NORMALIZER_NAMES);
  return generatedFileNames(EMITTERS.filter((e) => e.when(model, undefined)));
}

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
    const files = await generate({ schema: EMBEDDED_SCHEMA_PATH });
    expect(files.map((f) => f.path)).toEqual(await filesWithoutPayloads());
  });

  it.skipIf(!CAN_MKFIFO)(
    'refuses a schema that is a named pipe, without opening it',
    async () => {
      const dir = await tempDir();
      const file = makeFifo(path.join(dir, 'event.schema.json'));
      const error = await generate({ schema: file }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(CodegenError);
      expect((error as CodegenError).diagnostics).toEqual([
        { code: 'E_UNREADABLE', file, message: 'cannot read schema: it is a named pipe, not a regular file' },
      ]);
    },
    10_000,
  );

  it('accepts a UTF-8 byte order mark', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'bom.schema.json');
    const { readFile } = await import('node:fs/promises');
    await writeFile(file, `\uFEFF${await readFile(EMBEDDED_SCHEMA_PATH, 'utf8')}`);
    expect((await generate({ schema: file })).map((f) => f.path)).toEqual(await filesWithoutPayloads());
  });
});

describe('reference cycles', () => {
  const schemaWith = (defs: string) =>
    `{\n  "$schema": "https://json-schema.org/draft/2020-12/schema",\n  "$ref": "#/$defs/Event",\n  "$defs": {\n    "Event": { "type": "object", "properties": { "a": { "$ref": "#/$defs/A" } } },\n${defs}\n  }\n}\n`;

  // Each $ref of the cycle: its pointer, and the text (occurrence) whose first character is its place.
  it.each([
    {
      name: 'A -> B -> A',
      defs: '    "A": { "$ref": "#/$defs/B" },\n    "B": { "$ref": "#/$defs/A" }',
      cycle: '#/$defs/A -> #/$defs/B -> #/$defs/A',
      refs: [
        ['/$defs/A/$ref', '"#/$defs/B"', 1],
        ['/$defs/B/$ref', '"#/$defs/A"', 2],
      ],
    },
    {
      name: 'A -> B -> C -> A',
      defs: '    "A": { "$ref": "#/$defs/B" },\n    "B": { "$ref": "#/$defs/C" },\n    "C": { "$ref": "#/$defs/A" }',
      cycle: '#/$defs/A -> #/$defs/B -> #/$defs/C -> #/$defs/A',
      refs: [
        ['/$defs/A/$ref', '"#/$defs/B"', 1],
        ['/$defs/B/$ref', '"#/$defs/C"', 1],
        ['/$defs/C/$ref', '"#/$defs/A"', 2],
      ],
    },
    {
      name: 'A -> A',
      defs: '    "A": { "description": "itself", "$ref": "#/$defs/A" }',
      cycle: '#/$defs/A -> #/$defs/A',
      refs: [['/$defs/A/$ref', '"#/$defs/A"', 2]],
    },
    {
      name: 'through not, if/then/else and dependentSchemas',
      defs: '    "A": { "not": { "$ref": "#/$defs/B" } },\n    "B": { "if": { "type": "object" }, "then": { "dependentSchemas": { "x": { "$ref": "#/$defs/A" } } } }',
      cycle: '#/$defs/A -> #/$defs/B -> #/$defs/A',
      refs: [
        ['/$defs/A/not/$ref', '"#/$defs/B"', 1],
        ['/$defs/B/then/dependentSchemas/x/$ref', '"#/$defs/A"', 2],
      ],
    },
    {
      name: 'through allOf, anyOf and oneOf members',
      defs: '    "A": { "type": "object", "allOf": [ { "$ref": "#/$defs/B" } ] },\n    "B": { "anyOf": [ { "type": "string" }, { "oneOf": [ { "$ref": "#/$defs/A" } ] } ] }',
      cycle: '#/$defs/A -> #/$defs/B -> #/$defs/A',
      refs: [
        ['/$defs/A/allOf/0/$ref', '"#/$defs/B"', 1],
        ['/$defs/B/anyOf/1/oneOf/0/$ref', '"#/$defs/A"', 2],
      ],
    },
  ] as const)('$name: E_REF_CYCLE at each $ref, naming the cycle', async ({ defs, cycle, refs }) => {
    const text = schemaWith(defs);
    const { file, diagnostics } = await diagnosticsFor(text);
    expect(diagnostics.map((d) => d.code)).toEqual(refs.map(() => 'E_REF_CYCLE'));
    for (const [i, [pointer, at, occurrence]] of refs.entries()) {
      const d = diagnostics[i];
      expect(d?.file).toBe(file);
      expect(d?.pointer).toBe(pointer);
      expect({ line: d?.line, column: d?.column }).toEqual(positionOf(text, at, occurrence));
      expect(d?.message).toContain(`is in a reference cycle: ${cycle}.`);
    }
  });

  /** A tree: recursion through properties and items, which is legitimate. */
  const TREE = schemaWith(
    '    "A": { "type": "string" },\n' +
      '    "Node": { "type": "object", "required": ["name"], "properties": { "name": { "type": "string" }, "parent": { "$ref": "#/$defs/Node" }, "children": { "type": "array", "items": { "$ref": "#/$defs/Node" } } } }',
  ).replace('"$ref": "#/$defs/Event"', '"$ref": "#/$defs/Node"');

  async function generateTree() {
    const dir = await tempDir();
    const file = path.join(dir, 'tree.schema.json');
    await writeFile(file, TREE);
    return { dir, files: await generate({ schema: file }) };
  }

  it('a tree (recursion through properties and items) generates, and its validator checks every level', async () => {
    const { dir, files } = await generateTree();
    await writeGeneratedFiles(path.join(dir, 'out'), files);
    const { validateNode } = (await import(pathToFileURL(path.join(dir, 'out', 'validators.ts')).href)) as {
      validateNode: (data: unknown) => boolean;
    };
    const { collectNodeErrors } = (await import(
      pathToFileURL(path.join(dir, 'out', 'validators-all-errors.ts')).href
    )) as {
      collectNodeErrors: (data: unknown, maxErrors: number) => { errors: { instancePath: string; keyword: string }[] };
    };
    const tree = (depth: number, leaf: unknown): unknown =>
      depth === 0 ? leaf : { name: `n${depth}`, children: [{ name: 'x' }, tree(depth - 1, leaf)] };
    expect(validateNode(tree(6, { name: 'leaf', parent: { name: 'p' } }))).toBe(true);
    expect(validateNode(tree(6, { name: 1 }))).toBe(false);
    expect(collectNodeErrors(tree(6, { name: 1 }), 10).errors).toMatchObject([
      { instancePath: `${'/children/1'.repeat(6)}/name`, keyword: 'type' },
    ]);
    expect(validateNode(tree(5, { name: 'leaf', parent: { name: 'p', parent: {} } }))).toBe(false);
    expect(collectNodeErrors(tree(5, { name: 'leaf', parent: { name: 'p', parent: {} } }), 10).errors).toMatchObject([
      { instancePath: `${'/children/1'.repeat(5)}/parent/parent`, keyword: 'required' },
    ]);
  });

  // json-schema-to-typescript would name the recursive reference "Node1" and never declare it;
  // emit/types.ts points a definition's references to itself at the root.
  it('types.ts of a tree refers to itself by its own name, and type-checks', async () => {
    const { files } = await generateTree();
    const types = files.find((f) => f.path === 'types.ts')?.contents ?? '';
    expect(types).toMatch(/parent\?: Node;/);
    expect(types).toMatch(/children\?: Node\[\];/);
    expect(types).not.toMatch(/Node1/);
  });

  it('a $ref that only renames a recursive definition (which json-schema-to-typescript cannot resolve) is an error at the definition, not a crash', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'alias.schema.json');
    await writeFile(
      file,
      schemaWith('    "A": { "type": "array", "items": { "$ref": "#/$defs/B" } },\n    "B": { "$ref": "#/$defs/A" }'),
    );
    const error = await generate({ schema: file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodegenError);
    expect((error as CodegenError).diagnostics[0]).toMatchObject({
      code: 'E_UNSUPPORTED_SCHEMA',
      file,
      pointer: '/$defs/Event',
      message: expect.stringContaining(
        'recursed without end, as it does on a recursive schema through a $ref that only renames a definition (#/$defs/B only renames #/$defs/A)',
      ),
    });
  });
});
