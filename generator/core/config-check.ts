/**
 * The check of msk-codegen.config.json's shape (config.ts). `npm run build` writes it as Ajv
 * standalone code into dist/precompiled/ (validate/precompile.ts), so a command run in a project
 * with a config file does not load and run Ajv's compiler for it (about 100 ms of every
 * `validate`, `sample`, `invoke` and `replay`). The file is named by a hash of the shape and of
 * Ajv's version: code that finds no file for its own shape (a build of other code, or the tests
 * running the TypeScript) compiles the check, as it always did.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ErrorObject } from 'ajv';
import { PACKAGE_ROOT } from './package-root.js';

/** A compiled check: true or false, with Ajv's errors after a false. */
export interface ConfigCheck {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const PRECOMPILED = path.join(PACKAGE_ROOT, 'dist', 'precompiled');

/** Where the precompiled check of `shape` is (it may not exist). */
export function configCheckFile(shape: object, dir: string = PRECOMPILED): string {
  let ajvVersion = '?';
  try {
    ajvVersion = (createRequire(import.meta.url)('ajv/package.json') as { version?: string }).version ?? '?';
  } catch {
    // no version: the key still covers the shape
  }
  const key = createHash('sha256')
    .update(`ajv ${ajvVersion}\0${JSON.stringify(shape)}`)
    .digest('hex');
  return path.join(dir, `config-check-${key.slice(0, 32)}.mjs`);
}

/** The check of `shape`: precompiled when the build wrote it, else compiled now. */
export async function configCheck(shape: object): Promise<ConfigCheck> {
  const file = configCheckFile(shape);
  if (existsSync(file)) {
    try {
      return (await import(pathToFileURL(file).href)).default as ConfigCheck;
    } catch {
      // an unreadable file: compile instead
    }
  }
  const { createAjv } = await import('./ajv.js');
  return createAjv().compile(shape);
}

/** Writes the precompiled check of `shape` into `dir` (the build's last step). */
export async function precompileConfigCheck(shape: object, dir: string = PRECOMPILED): Promise<string> {
  const [{ createAjv }, { standaloneModule }] = await Promise.all([
    import('./ajv.js'),
    import('../emit/validators.js'),
  ]);
  const ajv = createAjv({ standalone: true });
  const file = configCheckFile(shape, dir);
  await writeFile(file, standaloneModule(ajv, ajv.compile(shape)));
  return file;
}
