/**
 * Resolves what to generate, once: flags over `msk-codegen.config.json` over the
 * defaults (the embedded schema, `./generated`).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { createAjv } from './ajv.js';
import { CodegenError, DiagnosticCodes } from './diagnostics.js';
import { JsonSource } from './json-source.js';
import { EMBEDDED_SCHEMA } from './package-root.js';

export const CONFIG_FILE_NAME = 'msk-codegen.config.json';

/** The contents of `msk-codegen.config.json`. Paths are relative to the file. */
export interface ConfigFile {
  /** The event schema. Default: the schema embedded in msk-codegen. */
  readonly schema?: string;
  /** Where generated files go. Default: `generated`. */
  readonly out?: string;
}

export interface ConfigOverrides {
  /** The directory paths on the command line are relative to, and where the config file is looked for. */
  readonly cwd?: string;
  /** An explicit config file (must exist). */
  readonly config?: string;
  readonly schema?: string;
  readonly out?: string;
}

export interface ResolvedConfig {
  readonly cwd: string;
  readonly configFile?: string;
  /** Absolute path of the schema. */
  readonly schema: string;
  /** Absolute path of the output directory. */
  readonly out: string;
  /** How banners name the schema: relative to `cwd`, with forward slashes, so output is the same on every machine. */
  readonly schemaDisplay: string;
  /** The command banners tell users to run. */
  readonly regenerateCommand: string;
}

const configShape = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    schema: { type: 'string', minLength: 1 },
    out: { type: 'string', minLength: 1 },
  },
};

export async function resolveConfig(overrides: ConfigOverrides = {}): Promise<ResolvedConfig> {
  const cwd = path.resolve(overrides.cwd ?? process.cwd());
  const explicit = overrides.config !== undefined ? path.resolve(cwd, overrides.config) : undefined;
  const implicit = path.join(cwd, CONFIG_FILE_NAME);
  const configFile = explicit ?? (existsSync(implicit) ? implicit : undefined);
  const fromFile = configFile ? await readConfigFile(configFile) : {};
  const base = configFile ? path.dirname(configFile) : cwd;

  const schema = overrides.schema !== undefined ? path.resolve(cwd, overrides.schema) : fromFile.schema !== undefined ? path.resolve(base, fromFile.schema) : EMBEDDED_SCHEMA;
  const out = overrides.out !== undefined ? path.resolve(cwd, overrides.out) : fromFile.out !== undefined ? path.resolve(base, fromFile.out) : path.join(cwd, 'generated');

  const flags = [
    ...(overrides.config !== undefined ? ['--config', overrides.config] : []),
    ...(overrides.schema !== undefined ? ['--schema', overrides.schema] : []),
    ...(overrides.out !== undefined ? ['--out', overrides.out] : []),
  ];
  return {
    cwd,
    ...(configFile ? { configFile } : {}),
    schema,
    out,
    schemaDisplay: displayPath(cwd, schema),
    regenerateCommand: ['npx msk-codegen generate', ...flags.map(quoteArg)].join(' '),
  };
}

async function readConfigFile(file: string): Promise<ConfigFile> {
  const source = await JsonSource.read(file, 'config file');
  const check = createAjv().compile(configShape);
  if (!check(source.value)) {
    throw new CodegenError(
      (check.errors ?? []).map((error) => {
        if (error.keyword === 'additionalProperties') {
          const key = String(error.params['additionalProperty']);
          return source.diagnostic(DiagnosticCodes.invalidConfig, `${error.instancePath}/${key}`, `unknown setting "${key}": expected "schema" or "out"`, 'key');
        }
        const what = error.keyword === 'type' ? `expected ${String(error.params['type'])}` : error.keyword === 'minLength' ? 'expected a non-empty path' : `breaks "${error.keyword}"`;
        return source.diagnostic(DiagnosticCodes.invalidConfig, error.instancePath, `invalid config: ${what}`);
      }),
    );
  }
  return source.value as ConfigFile;
}

/** A path relative to `cwd` with forward slashes, or the absolute path when outside it. */
export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return file === EMBEDDED_SCHEMA ? 'msk-codegen/schema/kafka-event.schema.json' : file;
  return relative.split(path.sep).join('/');
}

function quoteArg(arg: string): string {
  return /^[\w./@:-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
