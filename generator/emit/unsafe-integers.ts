/**
 * Integers beyond Number.MAX_SAFE_INTEGER (2^53 - 1) are valid (an int64 offset that
 * large is a real event) but JSON.parse has rounded them, so parse warns about them. A
 * walk of the event to find them would cost as much as the validation; instead the
 * first-error validators note, with one comparison per unbounded integer they already
 * check, that they saw one (`x-unsafe-integer`, a keyword that never fails), and parse
 * walks the event only then.
 */
import { _, Name, type KeywordCxt } from 'ajv/dist/2020.js';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { mayBeUnsafeInteger } from '../core/model.js';
import { mapSchemas, type JsonSchemaObject } from '../core/schema-walk.js';

export const UNSAFE_INTEGER_KEYWORD = 'x-unsafe-integer';

/** The module variable the validators set (declared by the first-error module's preamble). */
export const SEEN = 'unsafeIntegerSeen';

/** Registers the keyword: with `record`, it sets SEEN on a value beyond ±(2^53 - 1); without, it does nothing. */
export function addUnsafeIntegerKeyword(ajv: Ajv2020, record: boolean): void {
  ajv.addKeyword({
    keyword: UNSAFE_INTEGER_KEYWORD,
    // Ajv applies a keyword of type "number" to schemas of type "number" only.
    type: 'integer',
    schemaType: 'boolean',
    code(cxt: KeywordCxt) {
      if (!record) return;
      const { data } = cxt;
      cxt.gen.if(_`${data} > 9007199254740991 || ${data} < -9007199254740991`, () =>
        cxt.gen.assign(new Name(SEEN), true, true),
      ); // a side effect: Ajv drops an assignment to a name its code never reads;
    },
  });
}

/** `schema` with the keyword on every integer schema that does not bound its values within ±(2^53 - 1). */
export function markUnsafeIntegers(schema: JsonSchemaObject): JsonSchemaObject {
  return mapSchemas(schema, (node) =>
    mayBeUnsafeInteger(node) ? { ...node, [UNSAFE_INTEGER_KEYWORD]: true } : node,
  ) as JsonSchemaObject;
}
