/**
 * Names in generated code: which words cannot name a declaration, case conversions, and the
 * names derived from a topic or payload (`Orders` -> `OrdersRecord`, `OrdersKafkaRecord`).
 */

/**
 * Words that cannot name what msk-codegen declares. One list for the schema's definition
 * names (each becomes a type, a guard and validators) and scaffold's handler names (each an
 * export): JavaScript's reserved words; TypeScript's predefined type names (`type string`
 * does not compile); and `arguments`, `eval`, `undefined`, `NaN` and `Infinity`, which
 * cannot be declared in a module or would shadow a global the generated code uses.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function ' +
    'if import in instanceof new null return super switch this throw true try typeof var void while with yield ' +
    'let static implements interface package private protected public await ' +
    'any unknown never object string number boolean symbol bigint undefined ' +
    'arguments eval NaN Infinity'
  ).split(' '),
);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Whether `name` is an ASCII identifier that is not a reserved word. */
export function isDeclarableName(name: string): boolean {
  return IDENTIFIER.test(name) && !RESERVED_WORDS.has(name);
}

/** `base64-to-signed-bytes` -> `base64ToSignedBytes`, `order_events` -> `orderEvents`. */
export function camelCase(name: string): string {
  return name.replace(/[-_]+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `orders` -> `Orders`, `order-events.v2` -> `OrderEventsV2`, `audit-*` -> `AuditAny`. */
export function typeNameOf(text: string): string {
  const words = text
    .replace(/\*/g, ' any ')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  const name = words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('');
  return /^[0-9]/.test(name) ? `Topic${name}` : name;
}

/** A topic's decoded record type: `Orders` -> `OrdersRecord` (payloads.ts). */
export function recordTypeName(typeBase: string): string {
  return `${typeBase}Record`;
}

/** A topic's record type in testing.ts: `Orders` -> `OrdersTestRecord`. */
export function testRecordTypeName(typeBase: string): string {
  return `${typeBase}TestRecord`;
}

/** A topic's record definition in the composed schema: `Orders` -> `OrdersKafkaRecord`. */
export function kafkaRecordTypeName(typeBase: string): string {
  return `${typeBase}KafkaRecord`;
}
