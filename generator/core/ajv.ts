/**
 * The one Ajv configuration msk-codegen uses, for checking schemas and for compiling
 * the standalone validators, so both agree on the vocabulary.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';

/** The keyword that declares accepted legacy forms of a value (see README, "Legacy forms"). */
export const LEGACY_FORMS_KEYWORD = 'x-legacy-forms';

/**
 * The keyword that declares the precise format of a string the default check keeps loose
 * (`{ "pattern", "description", "expected"? }`): an annotation, ignored by the generated
 * validators; `msk-codegen validate --strict` reports a value that does not match it
 * (README, "x-strict"). Its only reader is model.ts (`strictFormats`).
 */
export const STRICT_FORMAT_KEYWORD = 'x-strict';

/**
 * The keyword that lists the values a string is known to take while any string is valid (an
 * on-failure record's `condition`): an annotation, ignored by the validators; the types keep
 * the known values for editors (`'A' | 'B' | (string & {})`, emit/types.ts).
 */
export const KNOWN_VALUES_KEYWORD = 'x-known-values';

/** Keywords JSON Schema 2020-12 defines that Ajv does not register as keywords. */
const CORE_AND_ANNOTATION_KEYWORDS = new Set([
  '$schema',
  '$id',
  '$defs',
  'definitions',
  '$anchor',
  '$vocabulary',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
]);

export interface AjvOptions {
  /** Source code generation for standalone validators. */
  readonly standalone?: boolean;
  /** Support unevaluatedProperties/unevaluatedItems (adds bookkeeping to every oneOf and $ref). */
  readonly unevaluated?: boolean;
  /** Check schemas against the meta-schema when they are added; off for schemas loadSchema has already checked. */
  readonly checkSchemas?: boolean;
  /** Collect every error (default) or stop at the first one. */
  readonly allErrors?: boolean;
  /** Read only own properties (Ajv's `ownProperties`); see emit/own-properties.ts. */
  readonly ownProperties?: boolean;
}

export function createAjv({
  standalone = false,
  unevaluated = true,
  checkSchemas = true,
  allErrors = true,
  ownProperties = false,
}: AjvOptions = {}): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors,
    ownProperties,
    discriminator: true,
    strict: true,
    // `required` on a oneOf parent (the discriminator tag) is intended.
    strictRequired: false,
    // `"type": ["number", "string"]` is valid JSON Schema.
    allowUnionTypes: true,
    // Formats are annotations here: validating them would need a run-time dependency.
    validateFormats: false,
    // Our issue messages are built from keyword and params; Ajv's would only add size.
    messages: false,
    validateSchema: checkSchemas,
    // Standalone code: msk-codegen decides what to inline (emit/validators.ts, inlineRefsInLoops).
    ...(standalone ? { code: { source: true, esm: true, lines: true }, inlineRefs: false } : {}),
  });
  ajv.addKeyword({ keyword: LEGACY_FORMS_KEYWORD });
  // An annotation: no code is compiled for it.
  ajv.addKeyword({ keyword: STRICT_FORMAT_KEYWORD });
  ajv.addKeyword({ keyword: KNOWN_VALUES_KEYWORD });
  // Ajv2020 always turns on the bookkeeping for unevaluated*, which costs an object per
  // oneOf branch and per call even in schemas that never use those keywords.
  (ajv.opts as { unevaluated: boolean }).unevaluated = unevaluated;
  return ajv;
}

export function isKnownKeyword(ajv: Ajv2020, keyword: string): boolean {
  return CORE_AND_ANNOTATION_KEYWORDS.has(keyword) || ajv.getKeyword(keyword) !== false;
}

/** The known keyword closest to a misspelt one (at most two edits away), for "did you mean". */
export function closestKeyword(ajv: Ajv2020, keyword: string): string | undefined {
  const known = [
    ...CORE_AND_ANNOTATION_KEYWORDS,
    ...Object.keys(ajv.RULES.all),
    LEGACY_FORMS_KEYWORD,
    STRICT_FORMAT_KEYWORD,
  ];
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(keyword.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
