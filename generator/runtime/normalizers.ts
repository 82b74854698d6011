/**
 * The normalizers an `x-legacy-forms` declaration can name: each is `{ id, fn }`, its
 * function in normalizers/<id>.ts exported under the id in camelCase (copied into generated
 * code by emit/runtime-source.ts; test/generator/runtime/normalizers.test.ts checks they agree).
 */
import { base64ToSignedBytes } from './normalizers/base64-to-signed-bytes.js';
import { decimalStringToInteger } from './normalizers/decimal-string-to-integer.js';

export interface Normalizer {
  /** What `normalize` says in the schema; the file's name under normalizers/. */
  readonly id: string;
  readonly fn: (value: never) => unknown;
}

export const NORMALIZER_LIST: readonly Normalizer[] = [
  { id: 'base64-to-signed-bytes', fn: base64ToSignedBytes },
  { id: 'decimal-string-to-integer', fn: decimalStringToInteger },
];

/** The normalizers by id. */
export const NORMALIZERS: Readonly<Record<string, (value: never) => unknown>> = Object.fromEntries(
  NORMALIZER_LIST.map((n) => [n.id, n.fn]),
);

export const NORMALIZER_NAMES: readonly string[] = NORMALIZER_LIST.map((n) => n.id).sort();
