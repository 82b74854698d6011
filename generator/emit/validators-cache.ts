/**
 * `emitValidators`, remembered: compiling the validators with Ajv is most of what a
 * generation costs, and a process that generates again from the same model (a `--check`
 * after a `generate`, a watcher whose edit left the schema as it was, a test suite) gets
 * the same code back. The code depends only on the arguments, so they are the key. A few
 * models are kept, the most recently used.
 */
import { emitValidators as compile, type EmittedValidators } from './validators.js';

const KEPT = 8;
const cache = new Map<string, EmittedValidators>();

export function emitValidators(...args: Parameters<typeof compile>): EmittedValidators {
  const [model, banner, schemaFile, optimize = true] = args;
  const key = JSON.stringify([model, banner, schemaFile, optimize]);
  const found = cache.get(key);
  if (found !== undefined) {
    cache.delete(key);
    cache.set(key, found);
    return found;
  }
  const emitted = compile(...args);
  cache.set(key, emitted);
  if (cache.size > KEPT) cache.delete(cache.keys().next().value as string);
  return emitted;
}
