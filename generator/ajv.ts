/**
 * The one Ajv configuration msk-codegen uses, for checking schemas and for compiling
 * the standalone validators, so both agree on the vocabulary.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';

/** The keyword that declares accepted legacy forms of a value (see README, "Legacy forms"). */
export const LEGACY_FORMS_KEYWORD = 'x-legacy-forms';

/** Keywords JSON Schema 2020-12 defines that Ajv does not register as keywords. */
const CORE_AND_ANNOTATION_KEYWORDS = new Set([
  '$schema', '$id', '$defs', 'definitions', '$anchor', '$vocabulary',
  'title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly',
  'contentEncoding', 'contentMediaType', 'contentSchema',
]);

export interface AjvOptions {
  /** Source code generation for standalone validators. */
  readonly standalone?: boolean;
}

export function createAjv({ standalone = false }: AjvOptions = {}): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    discriminator: true,
    strict: true,
    // `required` on a oneOf parent (the discriminator tag) is intended.
    strictRequired: false,
    // Formats are annotations here: validating them would need a run-time dependency.
    validateFormats: false,
    // Our issue messages are built from keyword and params; Ajv's would only add size.
    messages: false,
    ...(standalone ? { code: { source: true, esm: true, lines: true } } : {}),
  });
  ajv.addKeyword({ keyword: LEGACY_FORMS_KEYWORD });
  return ajv;
}

export function isKnownKeyword(ajv: Ajv2020, keyword: string): boolean {
  return CORE_AND_ANNOTATION_KEYWORDS.has(keyword) || ajv.getKeyword(keyword) !== false;
}
