/** Emits `parse.ts` (guards, issues, parse, safeParse, Standard Schema), `records.ts` (record helpers) and `index.ts` from their templates. */
import { codecsOf } from './codecs.js';
import { LEGACY_FORMS_KEYWORD } from '../core/ajv.js';
import type { CodegenModel } from '../core/model.js';
import type { Template } from '../core/templates.js';
import { camelCase, recordTypeName } from '../core/identifiers.js';
import { base64RuntimeSource, issuesRuntimeSource, normalizerSource } from './runtime-source.js';
import type { PayloadsPlan } from '../core/compose.js';
import { collectorName, legacyValidatorNames, validatorName } from './validators.js';
import { hasRecordHelpers } from './registry.js';

export { RECORD_HELPER_TYPES, hasRecordHelpers } from './registry.js';

async function templateData(model: CodegenModel, banner: string) {
  const used = [...new Set(model.legacyForms.map((form) => form.normalize))].sort();
  const legacyValidators = legacyValidatorNames(model.legacyForms);
  return {
    banner,
    recordHelpers: hasRecordHelpers(model),
    legacyKeyword: LEGACY_FORMS_KEYWORD,
    root: {
      name: model.root.name,
      validator: validatorName(model.root.name),
      collector: collectorName(model.root.name),
    },
    definitions: model.definitions.map((d) => ({
      name: d.name,
      validator: validatorName(d.name),
      collector: collectorName(d.name),
    })),
    unsafeIntegerPaths: model.unsafeIntegerPaths,
    legacyForms: model.legacyForms.map((form, i) => ({
      id: form.id,
      description: form.description,
      path: form.instancePath,
      validator: legacyValidators[i],
      normalizer: camelCase(form.normalize),
    })),
    normalizers: await Promise.all(used.map(async (name) => ({ code: await normalizerSource(name) }))),
    runtime: await issuesRuntimeSource(),
    base64Runtime: await base64RuntimeSource(),
    discriminators: Object.fromEntries(
      model.discriminators.map((d) => [d.property, d.values.map((v) => JSON.stringify(v)).join(' or ')]),
    ),
  };
}

export async function emitParse(model: CodegenModel, banner: string, template: Template): Promise<string> {
  return template(await templateData(model, banner));
}

export async function emitRecords(model: CodegenModel, banner: string, template: Template): Promise<string> {
  return template(await templateData(model, banner));
}

export async function emitIndex(
  model: CodegenModel,
  banner: string,
  template: Template,
  payloads?: PayloadsPlan,
): Promise<string> {
  return template({
    ...(await templateData(model, banner)),
    payloads: payloads !== undefined,
    codecDecoders: codecsOf(payloads).map((codec) => codec.emitted.decoderName),
    codecTypes: [...new Set(codecsOf(payloads).flatMap((codec) => codec.emitted.declaredTypes))],
    payloadRecordTypes: [
      ...(payloads?.topics.map((t) => recordTypeName(t.typeBase)) ?? []),
      ...(payloads?.unknownTopics === 'bytes' ? ['UnknownTopicRecord'] : []),
    ],
  });
}
