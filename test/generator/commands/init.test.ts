/**
 * msk-codegen init in temporary folders: what it writes in an empty folder and in an
 * existing project (the config, the schemas, package.json scripts and devDependencies at
 * the versions msk-codegen is tested with, tsconfig.json, .gitattributes), what it keeps
 * as the project has it, and every way it refuses, leaving the folder as it was.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { createAjv } from '../../../generator/core/ajv.js';
import { resolveConfig } from '../../../generator/core/config.js';
import { CodegenError } from '../../../generator/core/diagnostics.js';
import {
  GITATTRIBUTES_LINE,
  init,
  initDevDependencies,
  INIT_TSCONFIG,
  initTsconfig,
  packageName,
} from '../../../generator/commands/init.js';
import { EMBEDDED_SCHEMA } from '../../../generator/core/package-root.js';
import { EMBEDDED_SCHEMA_PATH, positionOf, REPO_ROOT, snapshotDir, tempDir } from '../../helpers.js';
import { CAN_MKFIFO, makeFifo } from '../../fifo.js';
import { runCliCaptured } from '../../run-cli.js';

const EXPECTED_CONFIG = `{
  "$schema": "./node_modules/msk-codegen/schema/config.schema.json",
  "schema": "schema/kafka-event.schema.json",
  "out": "generated",
  "topics": {
    "orders": {
      "key": {
        "format": "string"
      },
      "value": {
        "format": "json",
        "schema": "schema/order.schema.json"
      }
    }
  },
  "unknownTopics": "reject"
}
`;

/** One install first (package.json lists everything), then the walkthrough. */
const NEXT = [
  'npm install',
  'npx msk-codegen generate',
  'npx msk-codegen scaffold orders --topic orders',
  'npx vitest run handlers/orders.test.ts',
  'npx tsc --noEmit',
];

/** What init pins, worked out from msk-codegen's own package.json here (init reads it at run time). */
const OWN_MANIFEST = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  devDependencies: Record<string, string>;
};
const DEV_DEPENDENCIES = {
  '@types/node': OWN_MANIFEST.devDependencies['@types/node'],
  'msk-codegen': OWN_MANIFEST.version,
  typescript: OWN_MANIFEST.devDependencies['typescript'],
  vite: OWN_MANIFEST.devDependencies['vite'],
  vitest: OWN_MANIFEST.devDependencies['vitest'],
};
const ALL_ADDED = {
  scripts: ['generate', 'generate:check'],
  devDependencies: Object.entries(DEV_DEPENDENCIES).map(([name, version]) => `${name}@${version}`),
};

/** An order written by hand, valid against schema/order.schema.json. */
const ORDER = {
  orderId: 'ord-0001',
  customer: { id: 'cus-42', name: 'Ada Lovelace' },
  status: 'PAID',
  items: [
    { sku: 'SKU-1042', quantity: 2, unitPrice: 9.5 },
    { sku: 'BOOK-7', quantity: 1, unitPrice: 0 },
  ],
  currency: 'EUR',
};

async function initError(cwd: string): Promise<CodegenError> {
  let error: unknown;
  try {
    await init({ cwd });
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(CodegenError);
  return error as CodegenError;
}

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8'));
}

describe('init in an empty folder', () => {
  it('writes the config, the event schema, the order schema, tsconfig.json, .gitattributes and a package.json', async () => {
    const parent = await tempDir();
    const cwd = path.join(parent, 'My Kafka_Consumer');
    await mkdir(cwd);
    const result = await init({ cwd });
    expect(result).toEqual({
      written: [
        'msk-codegen.config.json',
        'schema/kafka-event.schema.json',
        'schema/order.schema.json',
        'tsconfig.json',
        'vitest.config.ts',
        '.gitattributes',
        'package.json',
      ],
      updated: [],
      added: ALL_ADDED,
      kept: [],
      notes: [],
      next: NEXT,
    });
    expect(Object.keys(await snapshotDir(cwd)).map((f) => f.split(path.sep).join('/'))).toEqual([
      '.gitattributes',
      'msk-codegen.config.json',
      'package.json',
      'schema/kafka-event.schema.json',
      'schema/order.schema.json',
      'tsconfig.json',
      'vitest.config.ts',
    ]);
    expect(await readFile(path.join(cwd, 'msk-codegen.config.json'), 'utf8')).toBe(EXPECTED_CONFIG);
    expect(
      (await readFile(path.join(cwd, 'schema/kafka-event.schema.json'))).equals(await readFile(EMBEDDED_SCHEMA_PATH)),
    ).toBe(true);
    expect(await readFile(path.join(cwd, 'package.json'), 'utf8')).toBe(
      `${JSON.stringify(
        {
          name: 'my-kafka_consumer',
          private: true,
          type: 'module',
          scripts: { generate: 'msk-codegen generate', 'generate:check': 'msk-codegen generate --check' },
          devDependencies: DEV_DEPENDENCIES,
        },
        null,
        2,
      )}\n`,
    );
    expect(await readFile(path.join(cwd, '.gitattributes'), 'utf8')).toBe('generated/** linguist-generated=true\n');
    expect(await readFile(path.join(cwd, 'tsconfig.json'), 'utf8')).toBe(INIT_TSCONFIG);
  });

  it("pins the devDependencies to the exact versions in msk-codegen's own package.json (vitest with the vite it needs on Node 20)", () => {
    expect(initDevDependencies()).toEqual(DEV_DEPENDENCIES);
    expect(Object.keys(initDevDependencies())).toEqual(['@types/node', 'msk-codegen', 'typescript', 'vite', 'vitest']);
    for (const version of Object.values(initDevDependencies())) expect(version).toMatch(/^[0-9]+\.[0-9]+\.[0-9]+$/);
  });

  it('writes a strict ES module tsconfig.json, as TypeScript reads it', async () => {
    const cwd = await tempDir();
    await init({ cwd });
    const { config, error } = ts.parseConfigFileTextToJson(
      'tsconfig.json',
      await readFile(path.join(cwd, 'tsconfig.json'), 'utf8'),
    );
    expect(error).toBeUndefined();
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, cwd);
    expect(parsed.errors.filter((e) => e.code !== 18003)).toEqual([]); // 18003: no inputs yet (generate and scaffold write them)
    expect(parsed.options).toMatchObject({
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      verbatimModuleSyntax: true,
      skipLibCheck: true,
      types: ['node'],
      outDir: path.join(cwd, 'dist'),
      rootDir: cwd,
    });
    expect(parsed.options.noEmit).toBeUndefined();
    expect(config.include).toEqual(['generated', 'handlers']);
  });

  it('writes an order schema that Ajv compiles in strict mode, with a description on every property', async () => {
    const cwd = await tempDir();
    await init({ cwd });
    const text = await readFile(path.join(cwd, 'schema/order.schema.json'), 'utf8');
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    const schema = JSON.parse(text) as Record<string, unknown>;
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['title']).toBe('Order');
    expect(schema['additionalProperties']).toBe(false);
    expect(schema['required']).toEqual(expect.arrayContaining(['orderId', 'customer', 'status', 'items']));

    const undescribed: string[] = [];
    const walk = (node: Record<string, unknown>, at: string) => {
      for (const [name, sub] of Object.entries((node['properties'] ?? {}) as Record<string, Record<string, unknown>>)) {
        if (typeof sub['description'] !== 'string' || sub['description'] === '') undescribed.push(`${at}/${name}`);
        walk(sub, `${at}/${name}`);
        if (sub['items'] !== undefined) walk(sub['items'] as Record<string, unknown>, `${at}/${name}/items`);
      }
    };
    walk(schema, '');
    expect(undescribed).toEqual([]);

    for (const validate of [
      createAjv().compile(schema),
      new Ajv2020({ strict: true, allErrors: true }).compile(schema),
    ]) {
      expect(validate(ORDER), JSON.stringify(validate.errors)).toBe(true);
      expect(validate({ ...ORDER, status: 'DELIVERED' })).toBe(false);
      expect(validate.errors?.map((e) => [e.instancePath, e.keyword])).toEqual([['/status', 'enum']]);
      expect(validate({ ...ORDER, items: [] })).toBe(false);
      expect(validate({ ...ORDER, items: [{ sku: 'sku 1', quantity: 0, unitPrice: -1 }] })).toBe(false);
      expect(validate.errors?.map((e) => [e.instancePath, e.keyword])).toEqual([
        ['/items/0/sku', 'pattern'],
        ['/items/0/quantity', 'minimum'],
        ['/items/0/unitPrice', 'minimum'],
      ]);
      expect(validate({ ...ORDER, items: [{ sku: 'SKU-1', quantity: 1.5, unitPrice: 1 }] })).toBe(false);
      expect(validate({ ...ORDER, customer: { id: 'cus-42' } })).toBe(false);
      expect(validate({ ...ORDER, note: 'extra' })).toBe(false);
      const { status: _status, ...withoutStatus } = ORDER;
      expect(validate(withoutStatus)).toBe(false);
    }
  });

  it('writes a config that resolveConfig accepts, with the topics resolved to absolute schema paths', async () => {
    const cwd = await tempDir();
    await init({ cwd });
    const config = await resolveConfig({ cwd });
    expect(config.configFile).toBe(path.join(cwd, 'msk-codegen.config.json'));
    expect(config.schema).toBe(path.join(cwd, 'schema', 'kafka-event.schema.json'));
    expect(config.schema).not.toBe(EMBEDDED_SCHEMA);
    expect(config.out).toBe(path.join(cwd, 'generated'));
    expect(config.unknownTopics).toBe('reject');
    expect(config.topics).toEqual([
      {
        topic: 'orders',
        key: { format: 'string' },
        value: { format: 'json', schema: path.join(cwd, 'schema', 'order.schema.json') },
      },
    ]);
  });
});

describe('init in an existing project', () => {
  it('adds the scripts to package.json, keeping every other field, their order and formatting', async () => {
    const cwd = await tempDir();
    const manifest = {
      name: 'orders-consumer',
      version: '1.2.3',
      description: 'Consumes orders',
      type: 'module',
      scripts: { build: 'tsc', test: 'vitest run' },
      dependencies: { zod: '^4.0.0' },
      devDependencies: { typescript: '^5.0.0', 'msk-codegen': '^0.1.0' },
      engines: { node: '>=20' },
    };
    await writeFile(path.join(cwd, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await mkdir(path.join(cwd, 'schema'));
    await writeFile(path.join(cwd, 'schema', 'other.schema.json'), '{}\n');

    const result = await init({ cwd });
    expect(result).toEqual({
      written: [
        'msk-codegen.config.json',
        'schema/kafka-event.schema.json',
        'schema/order.schema.json',
        'tsconfig.json',
        'vitest.config.ts',
        '.gitattributes',
      ],
      updated: ['package.json'],
      added: {
        scripts: ['generate', 'generate:check'],
        devDependencies: [
          `@types/node@${DEV_DEPENDENCIES['@types/node']}`,
          `vite@${DEV_DEPENDENCIES.vite}`,
          `vitest@${DEV_DEPENDENCIES.vitest}`,
        ],
      },
      // msk-codegen ^0.1.0 is kept too, without a word: it is what runs (npm install writes a range, or a tarball's path).
      kept: [
        `typescript ^5.0.0 (package.json "devDependencies"): kept; msk-codegen is tested with typescript@${DEV_DEPENDENCIES.typescript}`,
      ],
      notes: [],
      next: NEXT,
    });
    // The versions the project has are kept; the others are added, in npm's order where the names were in order.
    const expected = {
      ...manifest,
      scripts: {
        ...manifest.scripts,
        generate: 'msk-codegen generate',
        'generate:check': 'msk-codegen generate --check',
      },
      devDependencies: {
        ...manifest.devDependencies,
        '@types/node': DEV_DEPENDENCIES['@types/node'],
        vite: DEV_DEPENDENCIES.vite,
        vitest: DEV_DEPENDENCIES.vitest,
      },
    };
    expect(await readFile(path.join(cwd, 'package.json'), 'utf8')).toBe(`${JSON.stringify(expected, null, 2)}\n`);
    expect(await readFile(path.join(cwd, 'schema', 'other.schema.json'), 'utf8')).toBe('{}\n');
  });

  it('adds a scripts object at the end when there is none, and keeps inline arrays, other indentation and a missing final newline', async () => {
    const cwd = await tempDir();
    const text =
      '{\n    "name": "x",\n    "files": ["dist", "schema"],\n    "dependencies": {\n        "msk-codegen": "0.1.0"\n    }\n}';
    await writeFile(path.join(cwd, 'package.json'), text);
    const result = await init({ cwd });
    expect(result.updated).toEqual(['package.json']);
    expect(result.added.devDependencies).not.toContain(`msk-codegen@${DEV_DEPENDENCIES['msk-codegen']}`);
    expect(result.kept).toEqual([]); // msk-codegen 0.1.0 is the version it is
    expect(await readFile(path.join(cwd, 'package.json'), 'utf8')).toBe(
      '{\n    "name": "x",\n    "files": ["dist", "schema"],\n    "dependencies": {\n        "msk-codegen": "0.1.0"\n    },\n' +
        '    "scripts": {\n        "generate": "msk-codegen generate",\n        "generate:check": "msk-codegen generate --check"\n    },\n' +
        `    "devDependencies": {\n        "@types/node": "${DEV_DEPENDENCIES['@types/node']}",\n        "typescript": "${DEV_DEPENDENCIES.typescript}",\n        "vite": "${DEV_DEPENDENCIES.vite}",\n        "vitest": "${DEV_DEPENDENCIES.vitest}"\n    }\n}`,
    );
  });

  it('does not count an identical existing script as a conflict, and leaves package.json alone when both are there', async () => {
    const cwd = await tempDir();
    const one = `${JSON.stringify({ name: 'x', scripts: { generate: 'msk-codegen generate', lint: 'eslint .' } }, null, 2)}\n`;
    await writeFile(path.join(cwd, 'package.json'), one);
    await init({ cwd });
    expect(await readJson(path.join(cwd, 'package.json'))).toEqual({
      name: 'x',
      scripts: { generate: 'msk-codegen generate', lint: 'eslint .', 'generate:check': 'msk-codegen generate --check' },
      devDependencies: DEV_DEPENDENCIES,
    });

    const other = await tempDir();
    const both = `${JSON.stringify({ name: 'y', type: 'module', scripts: { 'generate:check': 'msk-codegen generate --check', generate: 'msk-codegen generate' }, devDependencies: DEV_DEPENDENCIES }, null, 2)}\n`;
    await writeFile(path.join(other, 'package.json'), both);
    const before = await snapshotDir(other);
    const result = await init({ cwd: other });
    expect(result.written).toEqual([
      'msk-codegen.config.json',
      'schema/kafka-event.schema.json',
      'schema/order.schema.json',
      'tsconfig.json',
      'vitest.config.ts',
      '.gitattributes',
    ]);
    expect(result.updated).toEqual([]);
    expect(result).toMatchObject({ added: { scripts: [], devDependencies: [] }, kept: [], notes: [] });
    expect(result.next[0]).toBe('npm install');
    expect((await snapshotDir(other))['package.json']).toEqual(before['package.json']);
  });
});

describe('init and the devDependencies a project already has', () => {
  const manifestWith = (fields: Record<string, unknown>) =>
    `${JSON.stringify({ name: 'x', type: 'module', ...fields }, null, 2)}\n`;

  it.each([
    {
      name: 'the same version in devDependencies: nothing to add or report',
      fields: { devDependencies: { vitest: DEV_DEPENDENCIES.vitest } },
      kept: [],
    },
    {
      name: 'another version in devDependencies: kept and reported',
      fields: { devDependencies: { vitest: '^3.2.0' } },
      kept: [
        `vitest ^3.2.0 (package.json "devDependencies"): kept; msk-codegen is tested with vitest@${DEV_DEPENDENCIES.vitest}`,
      ],
    },
    {
      name: 'in dependencies: kept there, not added again',
      fields: { dependencies: { typescript: '~5.9.0' } },
      kept: [
        `typescript ~5.9.0 (package.json "dependencies"): kept; msk-codegen is tested with typescript@${DEV_DEPENDENCIES.typescript}`,
      ],
    },
    {
      name: 'in optionalDependencies: kept there',
      fields: { optionalDependencies: { vite: DEV_DEPENDENCIES.vite } },
      kept: [],
    },
  ])('$name', async ({ fields, kept }) => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'package.json'), manifestWith(fields));
    const result = await init({ cwd });
    expect(result.kept).toEqual(kept);
    const name = Object.keys(Object.values(fields)[0] as object)[0] as string;
    expect(result.added.devDependencies.map((d) => d.slice(0, d.lastIndexOf('@')))).toEqual(
      Object.keys(DEV_DEPENDENCIES).filter((n) => n !== name),
    );
    const after = JSON.parse(await readFile(path.join(cwd, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >;
    for (const [field, deps] of Object.entries(fields)) expect(after[field]).toMatchObject(deps);
    if (!('devDependencies' in fields)) expect(Object.keys(after['devDependencies'] ?? {})).not.toContain(name);
  });

  it('a peer dependency alone is not installed: the devDependency is added beside it', async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'package.json'), manifestWith({ peerDependencies: { typescript: '>=5' } }));
    const result = await init({ cwd });
    expect(result.added.devDependencies).toContain(`typescript@${DEV_DEPENDENCIES.typescript}`);
    const after = JSON.parse(await readFile(path.join(cwd, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >;
    expect(after['peerDependencies']).toEqual({ typescript: '>=5' });
    expect(after['devDependencies']?.['typescript']).toBe(DEV_DEPENDENCIES.typescript);
  });

  it('inserts in name order into devDependencies that are in order (as npm keeps them), else at the end', async () => {
    const sorted = await tempDir();
    await writeFile(
      path.join(sorted, 'package.json'),
      manifestWith({ devDependencies: { '@aws-sdk/client-kafka': '3.0.0', eslint: '9.0.0', zod: '4.0.0' } }),
    );
    await init({ cwd: sorted });
    const order = async (cwd: string) =>
      Object.keys(
        (JSON.parse(await readFile(path.join(cwd, 'package.json'), 'utf8')) as { devDependencies: object })
          .devDependencies,
      );
    expect(await order(sorted)).toEqual([
      '@aws-sdk/client-kafka',
      '@types/node',
      'eslint',
      'msk-codegen',
      'typescript',
      'vite',
      'vitest',
      'zod',
    ]);
    const unsorted = await tempDir();
    await writeFile(
      path.join(unsorted, 'package.json'),
      manifestWith({ devDependencies: { zod: '4.0.0', eslint: '9.0.0' } }),
    );
    await init({ cwd: unsorted });
    expect(await order(unsorted)).toEqual([
      'zod',
      'eslint',
      '@types/node',
      'msk-codegen',
      'typescript',
      'vite',
      'vitest',
    ]);
  });

  it.each([
    ['"type": "commonjs"', '{ "name": "x", "type": "commonjs" }\n'],
    ['no "type" (as npm install writes it in an empty folder)', '{ "devDependencies": { "msk-codegen": "^0.1.0" } }\n'],
  ])(
    'a CommonJS package (%s): its "type" left alone, a tsconfig.json without verbatimModuleSyntax (tsc compiles to CommonJS), and a note',
    async (_name, manifest) => {
      const cwd = await tempDir();
      await writeFile(path.join(cwd, 'package.json'), manifest);
      const result = await init({ cwd });
      expect(result.notes).toEqual([
        expect.stringContaining(
          'package.json has no "type": "module": tsc compiles generated/ and handlers/ to CommonJS',
        ),
      ]);
      expect((JSON.parse(await readFile(path.join(cwd, 'package.json'), 'utf8')) as { type?: string }).type).toBe(
        JSON.parse(manifest).type,
      );
      const tsconfig = await readFile(path.join(cwd, 'tsconfig.json'), 'utf8');
      expect(tsconfig).toBe(initTsconfig(false));
      expect(tsconfig).not.toMatch(/^\s*"verbatimModuleSyntax":/m);
      expect(INIT_TSCONFIG).toContain('"verbatimModuleSyntax": true');
    },
  );
});

describe('init and the tsconfig.json and .gitattributes a project already has', () => {
  it.each(['vitest.config.ts', 'vite.config.mjs'])(
    'keeps an existing %s (writing no vitest.config.ts), and says so',
    async (file) => {
      const cwd = await tempDir();
      await writeFile(path.join(cwd, file), 'export default {};\n');
      const result = await init({ cwd });
      expect(result.written).not.toContain('vitest.config.ts');
      expect(result.kept).toContainEqual(expect.stringContaining(`${file}: yours`));
      expect(await readFile(path.join(cwd, file), 'utf8')).toBe('export default {};\n');
    },
  );

  it('keeps an existing tsconfig.json byte for byte, and says so', async () => {
    const cwd = await tempDir();
    const mine = '{\n  // mine\n  "compilerOptions": { "strict": true }\n}\n';
    await writeFile(path.join(cwd, 'tsconfig.json'), mine);
    const result = await init({ cwd });
    expect(result.written).not.toContain('tsconfig.json');
    expect(result.kept).toEqual([
      expect.stringMatching(/^tsconfig\.json: yours \(init writes one only where there is none\)/),
    ]);
    expect(await readFile(path.join(cwd, 'tsconfig.json'), 'utf8')).toBe(mine);
  });

  it.each([
    {
      name: 'without the line, ending in a newline',
      before: '*.png binary\n',
      after: `*.png binary\n${GITATTRIBUTES_LINE}\n`,
    },
    { name: 'without a final newline', before: '*.png binary', after: `*.png binary\n${GITATTRIBUTES_LINE}\n` },
    {
      name: 'with Windows line ends',
      before: '*.png binary\r\n* text=auto\r\n',
      after: `*.png binary\r\n* text=auto\r\n${GITATTRIBUTES_LINE}\r\n`,
    },
    { name: 'empty', before: '', after: `${GITATTRIBUTES_LINE}\n` },
    { name: 'with the line already', before: `* text=auto\n  ${GITATTRIBUTES_LINE}\n*.png binary\n`, after: undefined },
  ])('appends the line to a .gitattributes $name, keeping every other line', async ({ before, after }) => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, '.gitattributes'), before);
    const result = await init({ cwd });
    expect(result.updated.includes('.gitattributes')).toBe(after !== undefined);
    expect(result.written).not.toContain('.gitattributes');
    expect(await readFile(path.join(cwd, '.gitattributes'), 'utf8')).toBe(after ?? before);
  });
});

describe('msk-codegen init prints', () => {
  it('what it wrote, what it kept, and the next steps: exactly one install command, first', async () => {
    const cwd = await tempDir();
    await writeFile(
      path.join(cwd, 'package.json'),
      `${JSON.stringify({ name: 'x', type: 'module', devDependencies: { typescript: '^5.0.0' } }, null, 2)}\n`,
    );
    const result = await runCliCaptured(['init'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('  wrote   tsconfig.json\n  wrote   vitest.config.ts\n  wrote   .gitattributes\n');
    expect(result.stdout).toContain(
      `  updated package.json (scripts "generate", "generate:check"; devDependencies @types/node@${DEV_DEPENDENCIES['@types/node']}, msk-codegen@${DEV_DEPENDENCIES['msk-codegen']}, vite@${DEV_DEPENDENCIES.vite}, vitest@${DEV_DEPENDENCIES.vitest})\n`,
    );
    expect(result.stdout).toContain(
      `  kept    typescript ^5.0.0 (package.json "devDependencies"): kept; msk-codegen is tested with typescript@${DEV_DEPENDENCIES.typescript}\n`,
    );
    const next = result.stdout
      .slice(result.stdout.indexOf('Next:\n') + 'Next:\n'.length)
      .split('\n')
      .filter(Boolean)
      .map((line) => line.trim());
    expect(next).toEqual(NEXT);
    expect(result.stdout.match(/npm install/g)).toHaveLength(1);
  });
});

describe('init refuses to overwrite, and then writes nothing', () => {
  const conflicts = [
    { name: 'the config', file: 'msk-codegen.config.json', contents: '{ "out": "src/generated" }\n' },
    { name: 'the event schema', file: 'schema/kafka-event.schema.json', contents: '{ "my": "own schema" }\n' },
    { name: 'the order schema', file: 'schema/order.schema.json', contents: '{ "title": "MyOrder" }\n' },
  ];

  it.each(conflicts)('when $name exists', async ({ file, contents }) => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'schema'), { recursive: true });
    await writeFile(path.join(cwd, file), contents);
    await writeFile(path.join(cwd, 'package.json'), '{\n  "name": "x"\n}\n');
    const before = await snapshotDir(cwd);
    const error = await initError(cwd);
    expect(error.diagnostics).toHaveLength(1);
    expect(error.diagnostics[0]).toMatchObject({ code: 'E_FILE_EXISTS', file: path.join(cwd, file) });
    expect(error.diagnostics[0]?.message).toContain(`${file} already exists`);
    expect(error.diagnostics[0]?.message).toContain('wrote nothing');
    expect(await snapshotDir(cwd)).toEqual(before);
  });

  it('when package.json has a "generate" script that runs something else, naming its place', async () => {
    const cwd = await tempDir();
    const text = `${JSON.stringify({ name: 'x', scripts: { generate: 'node build.js' } }, null, 2)}\n`;
    await writeFile(path.join(cwd, 'package.json'), text);
    const before = await snapshotDir(cwd);
    const error = await initError(cwd);
    expect(error.diagnostics).toEqual([
      {
        code: 'E_FILE_EXISTS',
        file: path.join(cwd, 'package.json'),
        pointer: '/scripts/generate',
        ...positionOf(text, '"node build.js"'),
        message: expect.stringMatching(
          /already has a script "generate" \("node build\.js"\).*"msk-codegen generate".*wrote nothing/,
        ),
      },
    ]);
    expect(await snapshotDir(cwd)).toEqual(before);
  });

  it('listing every conflict in one error', async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'schema'));
    for (const { file, contents } of conflicts) await writeFile(path.join(cwd, file), contents);
    await writeFile(
      path.join(cwd, 'package.json'),
      JSON.stringify({ scripts: { generate: 'msk-codegen generate', 'generate:check': 'tsc --noEmit' } }),
    );
    const before = await snapshotDir(cwd);
    const error = await initError(cwd);
    expect(error.diagnostics.map((d) => [d.code, path.relative(cwd, d.file ?? ''), d.pointer])).toEqual([
      ['E_FILE_EXISTS', 'msk-codegen.config.json', undefined],
      ['E_FILE_EXISTS', path.join('schema', 'kafka-event.schema.json'), undefined],
      ['E_FILE_EXISTS', path.join('schema', 'order.schema.json'), undefined],
      ['E_FILE_EXISTS', 'package.json', '/scripts/generate:check'],
    ]);
    expect(error.message.split('\n')).toHaveLength(4);
    expect(await snapshotDir(cwd)).toEqual(before);
  });

  it('when package.json is not valid JSON, with its line:column', async () => {
    const cwd = await tempDir();
    const text = '{\n  "name": "x",\n  "scripts": {\n    "test": "vitest",\n  }\n}\n';
    await writeFile(path.join(cwd, 'package.json'), text);
    const before = await snapshotDir(cwd);
    const error = await initError(cwd);
    expect(error.diagnostics).toHaveLength(1);
    expect(error.diagnostics[0]).toMatchObject({
      code: 'E_INVALID_JSON',
      file: path.join(cwd, 'package.json'),
      ...positionOf(text, '}'),
    });
    expect(error.message).toContain(
      `package.json:${positionOf(text, '}').line}:${positionOf(text, '}').column}: error E_INVALID_JSON`,
    );
    expect(await snapshotDir(cwd)).toEqual(before);
  });

  it.skipIf(!CAN_MKFIFO)(
    'when package.json is a named pipe: refused before it is opened, so nothing waits on it',
    async () => {
      const cwd = await tempDir();
      makeFifo(path.join(cwd, 'package.json'));
      const error = await initError(cwd);
      expect(error.diagnostics).toMatchObject([
        {
          code: 'E_UNREADABLE',
          file: path.join(cwd, 'package.json'),
          message: 'cannot read package.json: it is a named pipe, not a regular file',
        },
      ]);
      expect((await readdir(cwd)).sort()).toEqual(['package.json']);
    },
    10_000,
  );

  it.each([
    { field: 'devDependencies', text: '{ "devDependencies": ["vitest"] }\n', column: 22 },
    { field: 'dependencies', text: '{ "dependencies": "none" }\n', column: 19 },
  ])('when package.json $field is not an object, naming its place', async ({ field, text, column }) => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'package.json'), text);
    const before = await snapshotDir(cwd);
    const error = await initError(cwd);
    expect(error.diagnostics).toMatchObject([
      {
        code: 'E_INVALID_CONFIG',
        pointer: `/${field}`,
        line: 1,
        column,
        message: expect.stringContaining('wrote nothing'),
      },
    ]);
    expect(await snapshotDir(cwd)).toEqual(before);
  });

  it('when .gitattributes is a directory', async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, '.gitattributes'));
    const error = await initError(cwd);
    expect(error.diagnostics).toMatchObject([
      {
        code: 'E_UNREADABLE',
        file: path.join(cwd, '.gitattributes'),
        message: 'cannot read .gitattributes: it is a directory, not a regular file',
      },
    ]);
    expect((await readdir(cwd)).sort()).toEqual(['.gitattributes']);
  });

  it('when package.json "scripts" is not an object', async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'package.json'), '{ "scripts": ["build"] }\n');
    const before = await snapshotDir(cwd);
    const error = await initError(cwd);
    expect(error.diagnostics).toMatchObject([{ code: 'E_INVALID_CONFIG', pointer: '/scripts', line: 1, column: 14 }]);
    expect(await snapshotDir(cwd)).toEqual(before);
  });
});

describe('packageName', () => {
  it.each([
    ['orders', 'orders'],
    ['My Kafka_Consumer', 'my-kafka_consumer'],
    ['.hidden', 'hidden'],
    ['_private--app!', 'private-app'],
    ['über', 'ber'],
    ['???', 'kafka-consumer'],
    ['node_modules', 'kafka-consumer'],
    ['http', 'http-app'],
    ['x'.repeat(300), 'x'.repeat(214)],
  ])('%j -> %j', (folder, name) => {
    expect(packageName(folder)).toBe(name);
  });
});
