// Ajv compiled at run time from the same schema, with the same options as generator/ajv.ts
// (minus the standalone code options, which only matter for emitting source).
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

export const SCHEMA_PATH = new URL('../schema/kafka-event.schema.json', import.meta.url);

/** Copied from generator/ajv.ts createAjv(); run.mjs checks the copy against generator/ajv.ts on every run. */
export const AJV_OPTIONS = Object.freeze({
  allErrors: true,
  discriminator: true,
  strict: true,
  strictRequired: false,
  validateFormats: false,
  messages: false,
});
export const LEGACY_FORMS_KEYWORD = 'x-legacy-forms';

export function loadSchema() {
  return JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));
}

/** A fresh Ajv instance, the schema added, and `#/$defs/KafkaEvent` compiled. */
export function compileKafkaEventValidator(schema = loadSchema()) {
  const ajv = new Ajv2020({ ...AJV_OPTIONS });
  ajv.addKeyword({ keyword: LEGACY_FORMS_KEYWORD });
  ajv.addSchema(schema);
  const validate = ajv.getSchema(`${schema.$id}#/$defs/KafkaEvent`);
  if (typeof validate !== 'function') throw new Error('Ajv could not resolve #/$defs/KafkaEvent');
  return { ajv, validate };
}
