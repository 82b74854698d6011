/**
 * Every problem the generator reports to a person: a code, the file, the place in it
 * (line:column and JSON pointer where there is one) and what was expected.
 */
import * as path from 'node:path';

/** The catalogue of diagnostic codes; each names one kind of problem. */
export const DiagnosticCodes = {
  /** A file could not be read. */
  unreadable: 'E_UNREADABLE',
  /** A file is not valid JSON. */
  invalidJson: 'E_INVALID_JSON',
  /** The schema breaks the JSON Schema 2020-12 meta-schema. */
  notJsonSchema: 'E_NOT_JSON_SCHEMA',
  /** A `$ref` points at nothing. */
  unresolvedRef: 'E_UNRESOLVED_REF',
  /** A `$ref` that leads back to itself through `$ref`s (and allOf/anyOf/oneOf) alone: it describes no value. */
  refCycle: 'E_REF_CYCLE',
  /** A keyword no vocabulary defines (often a typo). */
  unknownKeyword: 'E_UNKNOWN_KEYWORD',
  /** An `x-legacy-forms` declaration is malformed or names an unknown normalizer. */
  legacyForm: 'E_LEGACY_FORM',
  /** The schema is valid JSON Schema but not usable as an msk-codegen event schema. */
  unsupportedSchema: 'E_UNSUPPORTED_SCHEMA',
  /** An Avro schema (`.avsc`) a topic names is not valid Avro or uses what msk-codegen does not support. */
  invalidAvroSchema: 'E_INVALID_AVSC',
  /** A Protobuf schema (`.proto`) a topic names does not parse, or names no such message. */
  invalidProtoSchema: 'E_INVALID_PROTO',
  /** The config file is malformed. */
  invalidConfig: 'E_INVALID_CONFIG',
  /** A generated file could not be written. */
  writeFailed: 'E_WRITE_FAILED',
  /** An output folder generated files must not go into (/, the home folder, the project root, a folder holding its inputs). */
  unsafeOut: 'E_UNSAFE_OUT',
  /** Another msk-codegen is writing the output folder (its lock file is there). */
  locked: 'E_LOCKED',
  /** Options that do not go together. */
  usage: 'E_USAGE',
  /** A handler name that cannot be a file and export name. */
  invalidName: 'E_INVALID_NAME',
  /** A file that would be overwritten without --force, or one --update needs that is missing. */
  fileExists: 'E_FILE_EXISTS',
  fileMissing: 'E_FILE_MISSING',
  /** A scaffold template is missing or fails to render. */
  template: 'E_TEMPLATE',
  /** Rendered code that does not type-check. */
  typeCheck: 'E_TYPE_CHECK',
  /** A handler esbuild cannot bundle (invoke, replay). */
  bundle: 'E_BUNDLE',
} as const;

export type DiagnosticCode = (typeof DiagnosticCodes)[keyof typeof DiagnosticCodes];

export interface Diagnostic {
  readonly code: DiagnosticCode;
  /** Absolute path of the file the problem is in, when it is in one. */
  readonly file?: string;
  readonly message: string;
  /** JSON pointer into the file's document, when the problem has a place. */
  readonly pointer?: string;
  /** 1-based line and column of that place. */
  readonly line?: number;
  readonly column?: number;
}

/** Thrown by every phase for bad input; carries one or more diagnostics. */
export class CodegenError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
    this.name = 'CodegenError';
    this.diagnostics = diagnostics;
  }
}

/**
 * `file:line:col: error CODE: message (at /pointer)`, the form editors and CI
 * annotate (`file:line:` when only the line is known); the file is shown relative to
 * `cwd` when it lies inside it.
 */
export function formatDiagnostic(d: Diagnostic, cwd: string = process.cwd()): string {
  const pointer = d.pointer !== undefined ? ` (at ${d.pointer === '' ? '/' : d.pointer})` : '';
  if (d.file === undefined) return `msk-codegen: error ${d.code}: ${d.message}${pointer}`;
  const place = d.line === undefined ? '' : d.column === undefined ? `:${d.line}` : `:${d.line}:${d.column}`;
  return `${displayFile(d.file, cwd)}${place}: error ${d.code}: ${d.message}${pointer}`;
}

/** `file` as a person in `cwd` would type it: relative to `cwd`, `.` for `cwd` itself (the CLI's and watch's messages). */
export function relativeToCwd(file: string, cwd: string): string {
  return path.relative(cwd, file) || '.';
}

/** `file` relative to `cwd` when it lies inside it, else as given (diagnostics). */
export function displayFile(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
