/** Emits `parse.ts` (guards, issues, parse, safeParse, Standard Schema), `records.ts` (record helpers) and `index.ts` from their templates. */
import { LEGACY_FORMS_KEYWORD } from '../ajv.js';
import type { CodegenModel } from '../model.js';
import { camelCase, type Templates } from '../templates.js';
import { legacyValidatorName, validatorName } from './validators.js';

/** The definitions records.ts is written against; without them it is not emitted. */
export const RECORD_HELPER_TYPES = ['KafkaRecord', 'KafkaBatchResponse', 'KafkaBatchItemFailure'] as const;

export function hasRecordHelpers(model: CodegenModel): boolean {
  return RECORD_HELPER_TYPES.every((name) => model.definitions.some((d) => d.name === name));
}

function templateData(model: CodegenModel, banner: string, templates: Templates) {
  const used = [...new Set(model.legacyForms.map((form) => form.normalize))].sort();
  return {
    banner,
    recordHelpers: hasRecordHelpers(model),
    legacyKeyword: LEGACY_FORMS_KEYWORD,
    root: { name: model.root.name, validator: validatorName(model.root.name) },
    definitions: model.definitions.map((d) => ({ name: d.name, validator: validatorName(d.name) })),
    legacyForms: model.legacyForms.map((form, i) => ({
      id: form.id,
      description: form.description,
      path: form.instancePath,
      validator: legacyValidatorName(i),
      normalizer: camelCase(form.normalize),
    })),
    normalizers: used.map((name) => {
      const render = templates.normalizers.get(name);
      if (!render) throw new Error(`no template for normalizer ${name}`);
      return { code: render({ fnName: camelCase(name) }).trimEnd() };
    }),
    discriminators: Object.fromEntries(model.discriminators.map((d) => [d.property, d.values.map((v) => JSON.stringify(v)).join(' or ')])),
  };
}

export function emitParse(model: CodegenModel, banner: string, templates: Templates): string {
  return templates.parse(templateData(model, banner, templates));
}

export function emitRecords(model: CodegenModel, banner: string, templates: Templates): string {
  return templates.records(templateData(model, banner, templates));
}

export function emitIndex(model: CodegenModel, banner: string, templates: Templates): string {
  return templates.index(templateData(model, banner, templates));
}
