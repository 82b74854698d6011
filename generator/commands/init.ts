/**
 * `msk-codegen init`: sets up a project to use msk-codegen (a config file with one
 * typed topic, a copy of the event schema, an example payload schema, the npm scripts,
 * the devDependencies scaffolds and type checks need at the versions msk-codegen is tested
 * with, a strict ES module tsconfig.json, and generated/ marked as generated in
 * .gitattributes), writing nothing when any of it would overwrite something the user has.
 */
import { entryExists } from '../core/regular-file.js';
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { applyEdits, modify } from 'jsonc-parser';
import { CONFIG_FILE_NAME, type ConfigFile } from '../core/config.js';
import { CodegenError, DiagnosticCodes, type Diagnostic } from '../core/diagnostics.js';
import { readIfExists, writeFilesAtomically } from '../output/generated-files.js';
import { describeFsError, JsonSource } from '../core/json-source.js';
import { EMBEDDED_SCHEMA } from '../core/package-root.js';
import { testedVersions } from './scaffold/runner.js';
import { formatPointer } from '../core/json-pointer.js';

export interface InitRequest {
  /** The project directory (empty or an existing project): every file goes under it. */
  readonly cwd: string;
}

export interface InitResult {
  /** Files created, relative to `cwd` with forward slashes, in the order written. */
  readonly written: string[];
  /** Existing files changed (`package.json`, when it gained scripts or devDependencies; `.gitattributes`, when it gained the line). */
  readonly updated: string[];
  /** What package.json gained: script names, and devDependencies as `name@version`. */
  readonly added: { readonly scripts: string[]; readonly devDependencies: string[] };
  /** What init left as the project has it, each a sentence: a dependency at another version, an existing tsconfig.json. */
  readonly kept: string[];
  /** Things to know: a package.json that is not an ES module package. */
  readonly notes: string[];
  /** The commands to run next, in order: one install first. */
  readonly next: string[];
}

export const INIT_EVENT_SCHEMA_PATH = 'schema/kafka-event.schema.json';
export const INIT_ORDER_SCHEMA_PATH = 'schema/order.schema.json';
const PACKAGE_JSON = 'package.json';
const TSCONFIG_JSON = 'tsconfig.json';
const GITATTRIBUTES = '.gitattributes';
const VITEST_CONFIG = 'vitest.config.ts';
/** Config files vitest reads: init writes its own only where the project has none. */
const VITEST_CONFIG_FILES = [
  'vitest.config.ts',
  'vitest.config.mts',
  'vitest.config.js',
  'vitest.config.mjs',
  'vite.config.ts',
  'vite.config.mts',
  'vite.config.js',
  'vite.config.mjs',
];

/**
 * vitest's own default finds test files everywhere but node_modules/, so after `npx tsc`
 * it would run the compiled copies in dist/ too: this config leaves dist/ out.
 */
export const INIT_VITEST_CONFIG = `import { defineConfig } from 'vitest/config';

// The scaffolded tests are TypeScript under handlers/; dist/ holds tsc's compiled copies of them.
export default defineConfig({
  test: { exclude: ['**/node_modules/**', '**/.git/**', 'dist/**'] },
});
`;

/** Where editors find the config's JSON Schema (shipped in msk-codegen's schema/), relative to the config file. */
export const CONFIG_SCHEMA_REF = './node_modules/msk-codegen/schema/config.schema.json';

/** The line init makes sure .gitattributes has: GitHub then folds generated/ in diffs and leaves it out of language statistics. */
export const GITATTRIBUTES_LINE = 'generated/** linguist-generated=true';

/**
 * The tsconfig.json init writes where there is none: strict, Node's module system
 * (NodeNext), type-checking the generated files and the handlers and tests scaffold
 * writes; `npx tsc --noEmit` checks them, `npx tsc` compiles them into dist/, runnable
 * with node (the validators are TypeScript, so nothing needs allowJs). NodeNext follows
 * package.json: ES modules with `"type": "module"`, else CommonJS; `verbatimModuleSyntax`
 * (imports written as they run) only fits the first, so a CommonJS package gets a note instead.
 */
export function initTsconfig(esm: boolean): string {
  const moduleLines = esm
    ? '    "verbatimModuleSyntax": true,\n'
    : '    // package.json has no "type": "module", so tsc compiles to CommonJS (Lambda runs either).\n' +
      '    // For ES modules, add "type": "module" to package.json and "verbatimModuleSyntax": true here.\n';
  return `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "exactOptionalPropertyTypes": true,
${moduleLines}    "skipLibCheck": true,
    "types": ["node"],
    "outDir": "dist",
    "rootDir": "."
  },
  "include": ["generated", "handlers"]
}
`;
}

/** The tsconfig.json init writes in an ES module package (the usual case, and every package init creates). */
export const INIT_TSCONFIG = initTsconfig(true);

/**
 * The devDependencies init adds, pinned to the versions msk-codegen itself is tested with
 * (its own package.json): the type checker, Node's types, vitest with the vite it needs
 * on Node 20, and msk-codegen. Sorted by name, as npm keeps them.
 */
export function initDevDependencies(): Readonly<Record<string, string>> {
  const versions = testedVersions();
  return {
    '@types/node': versions['@types/node'],
    'msk-codegen': versions['msk-codegen'],
    typescript: versions.typescript,
    vite: versions.vite,
    vitest: versions.vitest,
  };
}

/** The scripts init adds to package.json, in order. */
export const INIT_SCRIPTS: Readonly<Record<string, string>> = {
  generate: 'msk-codegen generate',
  'generate:check': 'msk-codegen generate --check',
};

/** The config init writes: its JSON Schema (for editors), the copied event schema, and one topic with a string key and a JSON value. */
export const INIT_CONFIG: ConfigFile & { readonly $schema: string } = {
  $schema: CONFIG_SCHEMA_REF,
  schema: INIT_EVENT_SCHEMA_PATH,
  out: 'generated',
  topics: {
    orders: {
      key: { format: 'string' },
      value: { format: 'json', schema: INIT_ORDER_SCHEMA_PATH },
    },
  },
  unknownTopics: 'reject',
};

/** The example payload schema: a JSON Schema 2020-12 that Ajv compiles in strict mode. */
export const ORDER_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Order',
  description:
    'An order placed in the shop: the value of a record on the "orders" topic, as JSON. An example to edit or replace.',
  type: 'object',
  additionalProperties: false,
  required: ['orderId', 'customer', 'status', 'items', 'currency'],
  properties: {
    orderId: {
      description: "The order's identifier (usually also the record's key).",
      type: 'string',
      minLength: 1,
    },
    customer: {
      description: 'Who placed the order.',
      type: 'object',
      additionalProperties: false,
      required: ['id', 'name'],
      properties: {
        id: { description: "The customer's identifier.", type: 'string', minLength: 1 },
        name: { description: "The customer's name, as shown on the invoice.", type: 'string', minLength: 1 },
      },
    },
    status: {
      description: 'Where the order is: placed, paid for, shipped, or cancelled.',
      type: 'string',
      enum: ['PLACED', 'PAID', 'SHIPPED', 'CANCELLED'],
    },
    items: {
      description: 'What was ordered: one line per product.',
      type: 'array',
      minItems: 1,
      items: {
        description: 'One line of the order.',
        type: 'object',
        additionalProperties: false,
        required: ['sku', 'quantity', 'unitPrice'],
        properties: {
          sku: {
            description: 'The product\'s stock keeping unit: upper-case letters, digits and dashes (e.g. "SKU-1042").',
            type: 'string',
            pattern: '^[A-Z0-9][A-Z0-9-]{2,31}$',
          },
          quantity: { description: 'How many were ordered.', type: 'integer', minimum: 1 },
          unitPrice: { description: "The price of one, in the order's currency.", type: 'number', minimum: 0 },
        },
      },
    },
    currency: {
      description: 'The ISO 4217 code of the currency of the prices (e.g. "EUR").',
      type: 'string',
      pattern: '^[A-Z]{3}$',
    },
  },
  examples: [
    {
      orderId: 'order-1042',
      customer: { id: 'customer-7', name: 'Zoë Martin' },
      status: 'PLACED',
      items: [
        { sku: 'SKU-1042', quantity: 2, unitPrice: 19.5 },
        { sku: 'SKU-2001', quantity: 1, unitPrice: 5 },
      ],
      currency: 'EUR',
    },
  ],
} as const;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export async function init(request: InitRequest): Promise<InitResult> {
  const cwd = path.resolve(request.cwd);
  const at = (file: string) => path.join(cwd, file);
  const problems: Diagnostic[] = [];

  const created = [CONFIG_FILE_NAME, INIT_EVENT_SCHEMA_PATH, INIT_ORDER_SCHEMA_PATH];
  for (const file of created) {
    if (entryExists(at(file))) {
      problems.push({
        code: DiagnosticCodes.fileExists,
        file: at(file),
        message: `${file} already exists: init never overwrites a file, so it wrote nothing (move it aside or remove it, then run init again)`,
      });
    }
  }

  const manifest = await planPackageJson(cwd, problems);
  const gitattributes = await planGitattributes(cwd, problems);
  if (problems.length > 0) throw new CodegenError(problems);

  const kept = [...manifest.kept];
  // Never overwritten, and no conflict: the project's own settings win (they must include generated/ and handlers/).
  const hasTsconfig = entryExists(at(TSCONFIG_JSON));
  if (hasTsconfig)
    kept.push(
      `${TSCONFIG_JSON}: yours (init writes one only where there is none); it should include generated/ and handlers/`,
    );
  const vitestConfig = VITEST_CONFIG_FILES.find((file) => entryExists(at(file)));
  if (vitestConfig !== undefined)
    kept.push(
      `${vitestConfig}: yours (init writes ${VITEST_CONFIG} only where there is no vitest or vite config); it should leave dist/ out of the tests`,
    );
  const files = [
    { path: CONFIG_FILE_NAME, contents: json(INIT_CONFIG) },
    { path: INIT_EVENT_SCHEMA_PATH, contents: await readFile(EMBEDDED_SCHEMA, 'utf8') },
    { path: INIT_ORDER_SCHEMA_PATH, contents: json(ORDER_SCHEMA) },
    ...(hasTsconfig ? [] : [{ path: TSCONFIG_JSON, contents: initTsconfig(manifest.esm) }]),
    ...(vitestConfig === undefined ? [{ path: VITEST_CONFIG, contents: INIT_VITEST_CONFIG }] : []),
    ...(gitattributes.contents !== undefined ? [{ path: GITATTRIBUTES, contents: gitattributes.contents }] : []),
    ...(manifest.contents !== undefined ? [{ path: PACKAGE_JSON, contents: manifest.contents }] : []),
  ];
  const { written } = await writeFilesAtomically(cwd, files);
  const existed = new Set([
    ...(manifest.existed ? [PACKAGE_JSON] : []),
    ...(gitattributes.existed ? [GITATTRIBUTES] : []),
  ]);
  return {
    written: written.filter((file) => !existed.has(file)),
    updated: written.filter((file) => existed.has(file)),
    added: manifest.added,
    kept,
    notes: manifest.notes,
    next: [
      'npm install',
      'npx msk-codegen generate',
      'npx msk-codegen scaffold orders --topic orders',
      'npx vitest run handlers/orders.test.ts',
      'npx tsc --noEmit',
    ],
  };
}

const UNREADABLE = Symbol('unreadable');

/** `file`'s text, undefined when there is none, or UNREADABLE (with a problem naming it as `name`) when it cannot be read. */
async function readOrReport(
  file: string,
  name: string,
  problems: Diagnostic[],
): Promise<string | undefined | typeof UNREADABLE> {
  try {
    return await readIfExists(file);
  } catch (error) {
    problems.push({
      code: DiagnosticCodes.unreadable,
      file,
      message: `cannot read ${name}: ${describeFsError(error)}`,
    });
    return UNREADABLE;
  }
}

/** `.gitattributes` with GITATTRIBUTES_LINE: a new file, or the existing one with the line appended (every other line kept); undefined contents when it has the line. */
async function planGitattributes(
  cwd: string,
  problems: Diagnostic[],
): Promise<{ readonly existed: boolean; readonly contents: string | undefined }> {
  const text = await readOrReport(path.join(cwd, GITATTRIBUTES), GITATTRIBUTES, problems);
  if (text === UNREADABLE) return { existed: true, contents: undefined };
  if (text === undefined) return { existed: false, contents: `${GITATTRIBUTES_LINE}\n` };
  if (text.split(/\r?\n/).some((line) => line.trim() === GITATTRIBUTES_LINE))
    return { existed: true, contents: undefined };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return {
    existed: true,
    contents: `${text}${text === '' || text.endsWith('\n') ? '' : eol}${GITATTRIBUTES_LINE}${eol}`,
  };
}

interface PackageJsonPlan {
  readonly existed: boolean;
  /** The new text, or undefined when nothing changes (or there are problems). */
  readonly contents: string | undefined;
  readonly added: InitResult['added'];
  /** Dependencies the project has at another version than init would add, as sentences. */
  readonly kept: string[];
  readonly notes: string[];
  /** Whether the package is (or, created by init, will be) an ES module package. */
  readonly esm: boolean;
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

/**
 * A new minimal package.json, or the existing one with the scripts and devDependencies
 * added by minimal text edits (everything else, its indentation and key order, kept byte
 * for byte; a dependency it has at another version is kept, and reported). Conflicts and
 * errors go to `problems`.
 */
async function planPackageJson(cwd: string, problems: Diagnostic[]): Promise<PackageJsonPlan> {
  const file = path.join(cwd, PACKAGE_JSON);
  const wanted = initDevDependencies();
  const nothing = { contents: undefined, added: { scripts: [], devDependencies: [] }, kept: [], notes: [], esm: true };
  const text = await readOrReport(file, 'package.json', problems);
  if (text === UNREADABLE) return { existed: true, ...nothing };
  if (text === undefined) {
    return {
      existed: false,
      contents: json({
        name: packageName(path.basename(cwd)),
        private: true,
        type: 'module',
        scripts: { ...INIT_SCRIPTS },
        devDependencies: { ...wanted },
      }),
      added: {
        scripts: Object.keys(INIT_SCRIPTS),
        devDependencies: Object.entries(wanted).map(([name, version]) => `${name}@${version}`),
      },
      kept: [],
      notes: [],
      esm: true,
    };
  }

  let source: JsonSource;
  try {
    source = JsonSource.parse(file, text);
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    problems.push(...error.diagnostics);
    return { existed: true, ...nothing };
  }
  const manifest = source.value;
  if (!isObject(manifest)) {
    problems.push(source.diagnostic(DiagnosticCodes.invalidConfig, '', 'package.json is not a JSON object'));
    return { existed: true, ...nothing };
  }
  const pointer = (...segments: string[]) => formatPointer(segments);
  const scripts = manifest['scripts'];
  if (scripts !== undefined && !isObject(scripts)) {
    problems.push(
      source.diagnostic(
        DiagnosticCodes.invalidConfig,
        '/scripts',
        'package.json "scripts" is not an object, so init cannot add its scripts: it wrote nothing',
      ),
    );
  }
  const notObjects = DEPENDENCY_FIELDS.filter((field) => manifest[field] !== undefined && !isObject(manifest[field]));
  for (const field of notObjects) {
    problems.push(
      source.diagnostic(
        DiagnosticCodes.invalidConfig,
        pointer(field),
        `package.json "${field}" is not an object, so init cannot add its devDependencies: it wrote nothing`,
      ),
    );
  }
  if ((scripts !== undefined && !isObject(scripts)) || notObjects.length > 0) return { existed: true, ...nothing };

  const missingScripts: [string, string][] = [];
  for (const [name, command] of Object.entries(INIT_SCRIPTS)) {
    const current = scripts !== undefined && Object.hasOwn(scripts, name) ? scripts[name] : undefined;
    if (current === undefined) missingScripts.push([name, command]);
    else if (current !== command) {
      problems.push(
        source.diagnostic(
          DiagnosticCodes.fileExists,
          pointer('scripts', name),
          `package.json already has a script "${name}" (${JSON.stringify(current)}), where init would add ${JSON.stringify(command)}: init wrote nothing (rename or remove that script, then run init again)`,
        ),
      );
    }
  }

  // A dependency the project has in any field, at any version, is the project's: kept, and reported when it differs
  // (msk-codegen itself is not: `npm install --save-dev msk-codegen` writes a range or a tarball's path, and it is what runs).
  const missingDeps: [string, string][] = [];
  const kept: string[] = [];
  for (const [name, version] of Object.entries(wanted)) {
    const field = DEPENDENCY_FIELDS.find((f) => isObject(manifest[f]) && Object.hasOwn(manifest[f], name));
    if (field === undefined) missingDeps.push([name, version]);
    else if (name !== 'msk-codegen') {
      const current = (manifest[field] as Record<string, unknown>)[name];
      if (current !== version)
        kept.push(
          `${name} ${typeof current === 'string' ? current : JSON.stringify(current)} (package.json "${field}"): kept; msk-codegen is tested with ${name}@${version}`,
        );
    }
  }
  const esm = manifest['type'] === 'module';
  const notes = esm
    ? []
    : [
        `package.json has no "type": "module": tsc compiles generated/ and handlers/ to CommonJS, which Lambda runs as well (the tsconfig.json init writes allows it); for ES modules, add "type": "module"`,
      ];
  const added = {
    scripts: missingScripts.map(([name]) => name),
    devDependencies: missingDeps.map(([name, version]) => `${name}@${version}`),
  };
  if (missingScripts.length === 0 && missingDeps.length === 0)
    return { existed: true, contents: undefined, added, kept, notes, esm };

  const formattingOptions = { ...detectIndent(text), eol: text.includes('\r\n') ? '\r\n' : '\n' };
  let contents = text;
  for (const [name, command] of missingScripts)
    contents = applyEdits(contents, modify(contents, ['scripts', name], command, { formattingOptions }));
  // Where npm would put it: in name order, when the names are in order already; else at the end.
  const inOrder = (names: string[], name: string) =>
    names.every((n, i) => i === 0 || (names[i - 1] as string).localeCompare(n, 'en') <= 0)
      ? names.filter((n) => n.localeCompare(name, 'en') < 0).length
      : names.length;
  for (const [name, version] of missingDeps) {
    contents = applyEdits(
      contents,
      modify(contents, ['devDependencies', name], version, {
        formattingOptions,
        getInsertionIndex: (names) => inOrder(names, name),
      }),
    );
  }
  return { existed: true, contents, added, kept, notes, esm };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The indentation of the first indented line: tabs, or so many spaces (default two). */
function detectIndent(text: string): { insertSpaces: boolean; tabSize: number } {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1];
  if (indent?.startsWith('\t')) return { insertSpaces: false, tabSize: 1 };
  return { insertSpaces: true, tabSize: indent !== undefined && indent.length > 0 ? indent.length : 2 };
}

/**
 * A valid new npm package name from a folder name: lower case, URL-safe characters,
 * not starting with "." or "_", at most 214 characters, not a Node.js core module.
 */
export function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[._~-]+/, '')
    .slice(0, 214)
    .replace(/[._~-]+$/, '');
  if (name === '' || name === 'node_modules' || name === 'favicon.ico') return 'kafka-consumer';
  if (builtinModules.includes(name)) return `${name}-app`;
  return name;
}
