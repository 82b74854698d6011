// Ajv compiled at run time from the same schema, with the generator's own Ajv
// configuration (generator/core/ajv.ts, built into dist/ by `npm ci`).
import { readFileSync } from 'node:fs';
import { createAjv } from '../dist/generator/core/ajv.js';

export const SCHEMA_PATH = new URL('../schema/kafka-event.schema.json', import.meta.url);

export function loadSchema() {
  return JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));
}

/** A fresh Ajv instance, the schema added, and `#/$defs/KafkaEvent` compiled. */
export function compileKafkaEventValidator(schema = loadSchema()) {
  const ajv = createAjv();
  ajv.addSchema(schema);
  const validate = ajv.getSchema(`${schema.$id}#/$defs/KafkaEvent`);
  if (typeof validate !== 'function') throw new Error('Ajv could not resolve #/$defs/KafkaEvent');
  return { ajv, validate };
}
