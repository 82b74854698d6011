/**
 * The normalizers an `x-legacy-forms` declaration can name, each in its own file under
 * normalizers/ (copied into generated code by emit/runtime-source.ts).
 */
import { base64ToSignedBytes } from './normalizers/base64-to-signed-bytes.js';
import { decimalStringToInteger } from './normalizers/decimal-string-to-integer.js';

export const NORMALIZERS: Readonly<Record<string, (value: never) => unknown>> = {
  'base64-to-signed-bytes': base64ToSignedBytes,
  'decimal-string-to-integer': decimalStringToInteger,
};

export const NORMALIZER_NAMES: readonly string[] = Object.keys(NORMALIZERS).sort();
