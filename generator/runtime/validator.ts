/**
 * The interface of the compiled validators, declared once: msk-codegen's own code (issues.ts,
 * validate) uses it from here, and every generated validators.ts declares it by copying this
 * file (emit/validators.ts), so the generated parse.ts imports it from there.
 */

/** An error as the compiled validators report it (Ajv's, less `schemaPath`). */
export interface ValidatorError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly propertyName?: string;
}

/** A compiled validator (validators.ts): returns whether `data` is valid, stopping at the first problem. */
export interface Validator {
  (data: unknown): boolean;
  errors?: readonly ValidatorError[] | null;
}

/** What an error collector (validators-all-errors.ts) found: whether the value is valid, its first errors and how many there are. */
export interface CollectedErrors {
  readonly valid: boolean;
  /** At most `maxErrors` errors, in the order they were found. */
  readonly errors: readonly ValidatorError[];
  /** Every error found, kept or only counted. */
  readonly errorCount: number;
}

/** Checks `data`, keeping the first `maxErrors` errors and counting the rest. */
export type ErrorCollector = (data: unknown, maxErrors: number) => CollectedErrors;
