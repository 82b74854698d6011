/**
 * The emitter registry (generator/emit/registry.ts): the names each emitter says its file
 * declares are declared there, and adding an emitter is all it takes for its file to be
 * generated, owned by the output folder, refused as a payload type name and checked by
 * --check. The last test is the walk-through ARCHITECTURE.md cites for "a new emitter".
 */
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkGeneratedFiles,
  CodegenError,
  CONFIG_FILE_NAME,
  GENERATED_FILE_NAMES,
  generate,
  resolveConfig,
  writeGeneratedFiles,
  type GeneratedFile,
} from '../../../generator/index.js';
import { EMITTERS, generatedFileNames, generatedTypeNames, registerEmitter } from '../../../generator/emit/registry.js';
import { isGeneratedFileName } from '../../../generator/output/folder.js';
import { ORDER_SCHEMA } from '../../fixtures/order-payload.js';
import { REPO_ROOT, tempDir } from '../../helpers.js';

const POWERTOOLS = path.join(REPO_ROOT, 'test', 'fixtures', 'powertools');

/**
 * A project with a JSON payload topic, an Avro one and a Protobuf one, and unknown topics
 * as bytes, so that every built-in emitter writes its file.
 */
async function payloadProject(schema: object = ORDER_SCHEMA): Promise<string> {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'order.schema.json'), JSON.stringify(schema));
  await copyFile(path.join(POWERTOOLS, 'user.avsc'), path.join(dir, 'user.avsc'));
  await copyFile(path.join(POWERTOOLS, 'product.proto'), path.join(dir, 'product.proto'));
  await writeFile(
    path.join(dir, CONFIG_FILE_NAME),
    JSON.stringify({
      topics: {
        orders: { value: { format: 'json', schema: 'order.schema.json' } },
        users: { value: { format: 'avro', schema: 'user.avsc' } },
        products: { value: { format: 'protobuf', schema: 'product.proto', message: 'Product' } },
      },
      unknownTopics: 'bytes',
    }),
  );
  return dir;
}

/** The topics' record types and the codecs' types: refused by compose.ts on their own. */
const PROJECT_TYPES = ['OrdersRecord', 'UsersRecord', 'ProductsRecord', 'User', 'Product'];

/** The names the run-time code copied into codecs.ts declares (all of it; a file has what its decoders use). */
async function codecRuntimeNames(): Promise<string[]> {
  const files = ['binary-decode-error.ts', 'payload-framing.ts', 'avro-reader.ts', 'protobuf-reader.ts'];
  const sources = await Promise.all(
    files.map((f) => readFile(path.join(REPO_ROOT, 'generator', 'runtime', f), 'utf8')),
  );
  return declaredTypeNames(sources.join('\n'));
}

async function generateIn(dir: string): Promise<GeneratedFile[]> {
  const config = await resolveConfig({ cwd: dir });
  return generate(config);
}

/** The names a generated file declares at its top level that a type could take (they start with a capital). */
function declaredTypeNames(contents: string): string[] {
  const pattern = /^(?:export )?(?:declare )?(?:interface|type|class|const|let|function|enum) ([A-Z][\w$]*)/gm;
  return [...new Set([...contents.matchAll(pattern)].map((m) => m[1] as string))].sort();
}

/** Files whose names cannot clash with a payload type: types.ts declares them, testing.ts imports them as `Payloads.X`. */
const NO_PAYLOAD_IMPORTS = ['types.ts', 'testing.ts', 'index.ts', 'event.schema.json'];

describe('the emitter registry', () => {
  it('lists each path once, and the output folder owns exactly those names', () => {
    const paths = EMITTERS.map((e) => e.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect([...GENERATED_FILE_NAMES].sort()).toEqual([...paths].sort());
  });

  it('generates, for a project with payloads, the file of every emitter', async () => {
    const files = await generateIn(await payloadProject());
    expect(files.map((f) => f.path)).toEqual(generatedFileNames(EMITTERS));
  });

  it("lists, in each emitter's declares, every name its file declares (besides the topic's record type)", async () => {
    const files = await generateIn(await payloadProject());
    for (const emitter of EMITTERS) {
      const file = files.find((f) => f.path === emitter.path);
      expect(file, emitter.path).toBeDefined();
      const declared = NO_PAYLOAD_IMPORTS.includes(emitter.path)
        ? []
        : declaredTypeNames(file?.contents ?? '').filter((name) => !PROJECT_TYPES.includes(name));
      if (emitter.path === 'codecs.ts') {
        // Its reader code is pruned to what the decoders use: every name of the run-time code is listed.
        expect([...emitter.declares].sort(), emitter.path).toEqual(await codecRuntimeNames());
        expect(emitter.declares, emitter.path).toEqual(expect.arrayContaining(declared));
      } else expect([...emitter.declares].sort(), emitter.path).toEqual(declared);
    }
  });
});

describe('adding an emitter (the walk-through for a new generated file)', () => {
  const versionEmitter = {
    path: 'version.ts',
    when: () => true,
    emit: ({ head }: { head: string }) =>
      `${head}export type MskCodegenVersion = string;\nexport const VERSION: MskCodegenVersion = '1';\n`,
    declares: ['MskCodegenVersion'],
  };

  it('puts its file in the output, the folder, the clash check and --check', async () => {
    const unregister = registerEmitter(versionEmitter);
    try {
      // 1. generate() writes it, with the banner, among the other files in path order.
      const dir = await payloadProject();
      const files = await generateIn(dir);
      const version = files.find((f) => f.path === 'version.ts');
      expect(version?.contents.startsWith('// Generated by msk-codegen ')).toBe(true);
      expect(version?.contents).toContain(
        "\nexport type MskCodegenVersion = string;\nexport const VERSION: MskCodegenVersion = '1';\n",
      );
      expect(files.map((f) => f.path)).toEqual(generatedFileNames());
      expect(files.map((f) => f.path)).toContain('version.ts');

      // 2. The output folder owns the name: it may write it, and --check compares it.
      expect(isGeneratedFileName('version.ts')).toBe(true);
      const out = path.join(dir, 'generated');
      await writeGeneratedFiles(out, files);
      expect(await readFile(path.join(out, 'version.ts'), 'utf8')).toBe(version?.contents);
      expect((await checkGeneratedFiles(out, files)).ok).toBe(true);
      await writeFile(path.join(out, 'version.ts'), `${version?.contents}// edited\n`);
      expect((await checkGeneratedFiles(out, files)).stale.map((s) => s.path)).toEqual(['version.ts']);
      await rm(path.join(out, 'version.ts'));
      expect((await checkGeneratedFiles(out, files)).missing).toEqual(['version.ts']);

      // 3. A payload type may not take a name it declares.
      expect(generatedTypeNames().has('MskCodegenVersion')).toBe(true);
      const clash = await payloadProject({ ...ORDER_SCHEMA, title: 'MskCodegenVersion' });
      const error = await generateIn(clash).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CodegenError);
      expect((error as CodegenError).diagnostics.map((d) => d.message)).toContain(
        'the name "MskCodegenVersion" is one the generated API uses: rename it',
      );
    } finally {
      unregister();
    }
    // Removed again, the file is neither generated nor owned.
    expect(isGeneratedFileName('version.ts')).toBe(false);
    expect((await generateIn(await payloadProject())).map((f) => f.path)).not.toContain('version.ts');
  });

  it('refuses a second emitter for a path already generated', () => {
    expect(() => registerEmitter({ ...versionEmitter, path: 'types.ts' })).toThrow(
      'an emitter for types.ts is already registered',
    );
  });
});
