/**
 * `msk-codegen init`: sets up a project to use msk-codegen (a config file with one
 * typed topic, a copy of the event schema, an example payload schema and the npm
 * scripts), writing nothing when any of it would overwrite something the user has.
 */
import { entryExists } from './regular-file.js';
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { applyEdits, modify } from 'jsonc-parser';
import { CONFIG_FILE_NAME, type ConfigFile } from './config.js';
import { CodegenError, DiagnosticCodes, type Diagnostic } from './diagnostics.js';
import { readIfExists, writeFilesAtomically } from './files.js';
import { describeFsError, JsonSource } from './json-source.js';
import { EMBEDDED_SCHEMA } from './package-root.js';

export interface InitRequest {
  /** The project directory (empty or an existing project): every file goes under it. */
  readonly cwd: string;
}

export interface InitResult {
  /** Files created, relative to `cwd` with forward slashes, in the order written. */
  readonly written: string[];
  /** Existing files changed (`package.json`, when it gained the scripts). */
  readonly updated: string[];
  /** The commands to run next, in order. */
  readonly next: string[];
}

export const INIT_EVENT_SCHEMA_PATH = 'schema/kafka-event.schema.json';
export const INIT_ORDER_SCHEMA_PATH = 'schema/order.schema.json';
const PACKAGE_JSON = 'package.json';

/** The scripts init adds to package.json, in order. */
export const INIT_SCRIPTS: Readonly<Record<string, string>> = {
  generate: 'msk-codegen generate',
  'generate:check': 'msk-codegen generate --check',
};

/** The config init writes: the copied event schema, and one topic with a string key and a JSON value. */
export const INIT_CONFIG: ConfigFile = {
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
  description: 'An order placed in the shop: the value of a record on the "orders" topic, as JSON. An example to edit or replace.',
  type: 'object',
  additionalProperties: false,
  required: ['orderId', 'customer', 'status', 'items', 'currency'],
  properties: {
    orderId: {
      description: 'The order\'s identifier (usually also the record\'s key).',
      type: 'string',
      minLength: 1,
    },
    customer: {
      description: 'Who placed the order.',
      type: 'object',
      additionalProperties: false,
      required: ['id', 'name'],
      properties: {
        id: { description: 'The customer\'s identifier.', type: 'string', minLength: 1 },
        name: { description: 'The customer\'s name, as shown on the invoice.', type: 'string', minLength: 1 },
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
          sku: { description: 'The product\'s stock keeping unit: upper-case letters, digits and dashes (e.g. "SKU-1042").', type: 'string', pattern: '^[A-Z0-9][A-Z0-9-]{2,31}$' },
          quantity: { description: 'How many were ordered.', type: 'integer', minimum: 1 },
          unitPrice: { description: 'The price of one, in the order\'s currency.', type: 'number', minimum: 0 },
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
      problems.push({ code: DiagnosticCodes.fileExists, file: at(file), message: `${file} already exists: init never overwrites a file, so it wrote nothing (move it aside or remove it, then run init again)` });
    }
  }

  const manifest = await planPackageJson(cwd, problems);
  if (problems.length > 0) throw new CodegenError(problems);

  const files = [
    { path: CONFIG_FILE_NAME, contents: json(INIT_CONFIG) },
    { path: INIT_EVENT_SCHEMA_PATH, contents: await readFile(EMBEDDED_SCHEMA, 'utf8') },
    { path: INIT_ORDER_SCHEMA_PATH, contents: json(ORDER_SCHEMA) },
    ...(manifest.contents !== undefined ? [{ path: PACKAGE_JSON, contents: manifest.contents }] : []),
  ];
  const { written } = await writeFilesAtomically(cwd, files);
  const updated: string[] = manifest.existed ? written.filter((file) => file === PACKAGE_JSON) : [];
  return {
    written: written.filter((file) => !updated.includes(file)),
    updated,
    next: [
      ...(manifest.hasMskCodegen ? [] : ['npm install --save-dev msk-codegen']),
      'npx msk-codegen generate',
      'npx msk-codegen scaffold orders --topic orders',
    ],
  };
}

interface PackageJsonPlan {
  readonly existed: boolean;
  /** The new text, or undefined when nothing changes (or there are problems). */
  readonly contents: string | undefined;
  /** Whether msk-codegen is already a dependency of any kind. */
  readonly hasMskCodegen: boolean;
}

/**
 * A new minimal package.json, or the existing one with the scripts added by minimal
 * text edits (everything else, its indentation and key order, kept byte for byte).
 * Conflicts and errors go to `problems`.
 */
async function planPackageJson(cwd: string, problems: Diagnostic[]): Promise<PackageJsonPlan> {
  const file = path.join(cwd, PACKAGE_JSON);
  let text: string | undefined;
  try {
    text = await readIfExists(file);
  } catch (error) {
    problems.push({ code: DiagnosticCodes.unreadable, file, message: `cannot read package.json: ${describeFsError(error)}` });
    return { existed: true, contents: undefined, hasMskCodegen: false };
  }
  if (text === undefined) {
    return { existed: false, contents: json({ name: packageName(path.basename(cwd)), private: true, type: 'module', scripts: { ...INIT_SCRIPTS } }), hasMskCodegen: false };
  }

  let source: JsonSource;
  try {
    source = JsonSource.parse(file, text);
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    problems.push(...error.diagnostics);
    return { existed: true, contents: undefined, hasMskCodegen: false };
  }
  const manifest = source.value;
  if (!isObject(manifest)) {
    problems.push(source.diagnostic(DiagnosticCodes.invalidConfig, '', 'package.json is not a JSON object'));
    return { existed: true, contents: undefined, hasMskCodegen: false };
  }
  const hasMskCodegen = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'].some((field) => {
    const deps = manifest[field];
    return isObject(deps) && Object.hasOwn(deps, 'msk-codegen');
  });
  const scripts = manifest['scripts'];
  if (scripts !== undefined && !isObject(scripts)) {
    problems.push(source.diagnostic(DiagnosticCodes.invalidConfig, '/scripts', 'package.json "scripts" is not an object, so init cannot add its scripts: it wrote nothing'));
    return { existed: true, contents: undefined, hasMskCodegen };
  }

  const missing: [string, string][] = [];
  for (const [name, command] of Object.entries(INIT_SCRIPTS)) {
    const current = scripts !== undefined && Object.hasOwn(scripts, name) ? scripts[name] : undefined;
    if (current === undefined) missing.push([name, command]);
    else if (current !== command) {
      problems.push(
        source.diagnostic(
          DiagnosticCodes.fileExists,
          `/scripts/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`,
          `package.json already has a script "${name}" (${JSON.stringify(current)}), where init would add ${JSON.stringify(command)}: init wrote nothing (rename or remove that script, then run init again)`,
        ),
      );
    }
  }
  if (missing.length === 0) return { existed: true, contents: undefined, hasMskCodegen };

  const formattingOptions = { ...detectIndent(text), eol: text.includes('\r\n') ? '\r\n' : '\n' };
  let contents = text;
  for (const [name, command] of missing) contents = applyEdits(contents, modify(contents, ['scripts', name], command, { formattingOptions }));
  return { existed: true, contents, hasMskCodegen };
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
