/**
 * The last step of `npm run build`: compiles the embedded schemas' validator modules (the
 * model and the three module variants, see compiled.ts) into dist/precompiled/, so that
 * `validate` and `sample` with the embedded schema and no typed payloads, the default,
 * and `validate --kind on-failure`, compile nothing at run time; and the config file's check
 * (core/config-check.ts), so a project's config is checked without Ajv's compiler. Keyed like the cache, by a hash of dist/'s own code among
 * the rest: a later build that changes the code finds no stale entry (and this step
 * empties the folder first).
 *
 *   node dist/generator/commands/validate/precompile.js
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configShape } from '../../core/config.js';
import { precompileConfigCheck } from '../../core/config-check.js';
import { EMBEDDED_SCHEMA, ON_FAILURE_SCHEMA } from '../../core/package-root.js';
import { PRECOMPILED_DIR, precompileInto } from './compiled.js';

export async function precompileEmbedded(dir: string = PRECOMPILED_DIR): Promise<string> {
  rmSync(dir, { recursive: true, force: true });
  await precompileInto(dir, { schemaFile: ON_FAILURE_SCHEMA, topics: [], unknownTopics: 'reject' });
  await precompileConfigCheck(configShape, dir);
  return precompileInto(dir, { schemaFile: EMBEDDED_SCHEMA, topics: [], unknownTopics: 'reject' });
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const key = await precompileEmbedded();
  process.stdout.write(
    `msk-codegen: precompiled the embedded schemas' validators into ${PRECOMPILED_DIR} (${key.slice(0, 12)})\n`,
  );
}
