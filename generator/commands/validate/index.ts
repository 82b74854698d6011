/**
 * `msk-codegen validate`: checks event files (or batch responses) against the schema,
 * and reports each problem at its file:line:column with what was expected, what was
 * found and, for the forms the reference page spread, what Lambda really sends.
 * Pure core: returns a report; cli.ts prints it.
 */
import * as path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { resolveConfig } from '../../core/config.js';
import { CodegenError, DiagnosticCodes, displayFile } from '../../core/diagnostics.js';
import { JsonSource, describeFsError } from '../../core/json-source.js';
import { NOT_REGULAR_FILE, readRegularFileSync } from '../../core/regular-file.js';
import { normalizedText, type ValidationIssue } from '../../runtime/issues.js';
import { duplicateKeyFindings, mayHaveDuplicateKeys } from './duplicate-keys.js';
import { hintFor } from './hints.js';
import { strictFormatFindings } from './strict-formats.js';
import { compileRuntimeValidator, withCompiler, type Kind, type RuntimeValidator } from './validator.js';
import { formatPointer } from '../../core/json-pointer.js';
import { ON_FAILURE_SCHEMA } from '../../core/package-root.js';
import { onFailurePayload } from '../../runtime/on-failure-payload.js';

export type Severity = 'error' | 'warning';

export interface Finding {
  readonly severity: Severity;
  /** `schema.<keyword>`, `legacy-form`, `unknown-field`, `records-key`, `strict-format`, `duplicate-key`, `invalid-json`, `unreadable`, `on-failure-mismatch`. */
  readonly code: string;
  readonly message: string;
  /** JSON pointer in the file's document. */
  readonly path?: string;
  /** For a problem inside a record's key or value (`payload.*`): the JSON pointer inside the decoded payload. */
  readonly payloadPath?: string;
  /** For a problem in the event an on-failure record carries as JSON text (`path` is then `/payload`): the JSON pointer inside that event. */
  readonly eventPath?: string;
  readonly line?: number;
  readonly column?: number;
  readonly expected?: string;
  readonly received?: string;
  readonly hint?: string;
}

export interface FileReport {
  /** As given, or relative to the working directory. `-` for standard input. */
  readonly file: string;
  /** `error`: could not be read (exit 2). */
  readonly status: 'valid' | 'invalid' | 'error';
  /** The first findings, at most `maxIssues` of them. */
  readonly findings: readonly Finding[];
  /** Findings beyond those listed (0 when the list is complete). */
  readonly omitted: number;
}

export interface ValidateReport {
  readonly kind: Kind;
  readonly strict: boolean;
  readonly files: readonly FileReport[];
  readonly summary: {
    readonly files: number;
    readonly valid: number;
    readonly invalid: number;
    readonly warnings: number;
    readonly unreadable: number;
  };
}

export interface ValidateRequest {
  readonly cwd: string;
  /** Files, globs, or `-` for standard input. */
  readonly inputs: readonly string[];
  readonly kind?: Kind;
  readonly strict?: boolean;
  readonly config?: string;
  readonly schema?: string;
  /** Reads standard input (for `-`). */
  readonly readStdin?: () => Promise<string>;
  /** Findings listed per file (default 100); the rest are counted. */
  readonly maxIssues?: number;
  /** Check the envelope only, not the keys and values of the topics msk-codegen.config.json declares. */
  readonly envelopeOnly?: boolean;
  /** Where compiled validators are cached (default: node_modules/.cache/msk-codegen of the project); `false`: no cache. */
  readonly cacheDir?: string | false;
}

/** Findings listed per file unless told otherwise: enough to fix a file, few enough to read. */
export const DEFAULT_MAX_FINDINGS = 100;

export async function validateFiles(request: ValidateRequest): Promise<ValidateReport> {
  const kind = request.kind ?? 'event';
  const strict = request.strict ?? false;
  if (request.inputs.length === 0)
    throw new CodegenError([
      {
        code: DiagnosticCodes.usage,
        message: "no files given: name files, globs (quoted, e.g. 'events/**/*.json') or - for standard input",
      },
    ]);
  const config = await resolveConfig({
    cwd: request.cwd,
    ...(request.config !== undefined ? { config: request.config } : {}),
    ...(request.schema !== undefined ? { schema: request.schema } : {}),
  });
  // With topics in the config, the schema composed with the payload schemas (as generate composes it) and the payloads checked too.
  const onFailure = kind === 'on-failure';
  const payloads = (kind === 'event' || onFailure) && !request.envelopeOnly && config.topics.length > 0;
  const eventValidatorOptions = {
    strict,
    cwd: config.configFile ? path.dirname(config.configFile) : request.cwd,
    ...(payloads ? { topics: config.topics, unknownTopics: config.unknownTopics, configFile: config.configFile } : {}),
    ...(request.cacheDir !== undefined ? { cacheDir: request.cacheDir } : {}),
  };
  // On-failure records: the record by the embedded on-failure schema, the event it carries by the project's.
  const validator = onFailure
    ? await compileRuntimeValidator(ON_FAILURE_SCHEMA, kind, { ...eventValidatorOptions, topics: [] })
    : await compileRuntimeValidator(config.schema, kind, eventValidatorOptions);
  const eventValidator = onFailure
    ? await compileRuntimeValidator(config.schema, 'event', eventValidatorOptions)
    : undefined;
  // Either may need its issue collectors compiled on first need (validator.ts, withCompiler).
  const validators = eventValidator ? [validator, eventValidator] : [validator];
  const files = await expandInputs(request.cwd, request.inputs);
  const maxIssues = request.maxIssues ?? DEFAULT_MAX_FINDINGS;

  const reports: FileReport[] = [];
  // A file inside the working directory (every glob match) is shown as its path relative to it: displayFile's rule, without two path.resolve calls per file.
  const inside = `${path.resolve(request.cwd)}${path.sep}`;
  for (const file of files) {
    if (file === '-') {
      const text = request.readStdin ? await request.readStdin() : '';
      reports.push(
        await withCompiler(validators, () =>
          checkText('-', '<stdin>', text, validator, strict, maxIssues, eventValidator),
        ),
      );
      continue;
    }
    const absolute = path.resolve(request.cwd, file);
    const shown = absolute.startsWith(inside) ? absolute.slice(inside.length) : displayFile(absolute, request.cwd);
    let text: string;
    try {
      // Synchronous: one file after another is the work here, and the async API costs ~15x per small file.
      // Regular files only, checked before opening: a named pipe would block, a device never end.
      text = readRegularFileSync(absolute, 'utf8');
    } catch (error) {
      // A pipe or a device named as a file (/dev/stdin): standard input is read through -.
      const stdinHint =
        (error as NodeJS.ErrnoException).code === NOT_REGULAR_FILE && !describeFsError(error).includes('directory')
          ? '; to read standard input, give -'
          : '';
      reports.push({
        file: shown,
        status: 'error',
        findings: [
          { severity: 'error', code: 'unreadable', message: `cannot read: ${describeFsError(error)}${stdinHint}` },
        ],
        omitted: 0,
      });
      continue;
    }
    // The first invalid file may need the issue collectors compiled (when no store has them): then it is checked again.
    reports.push(
      await withCompiler(validators, () =>
        checkText(shown, absolute, text, validator, strict, maxIssues, eventValidator),
      ),
    );
  }
  const count = (status: FileReport['status']) => reports.filter((r) => r.status === status).length;
  return {
    kind,
    strict,
    files: reports,
    summary: {
      files: reports.length,
      valid: count('valid'),
      invalid: count('invalid'),
      unreadable: count('error'),
      warnings: reports.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'warning').length, 0),
    },
  };
}

/** Files named, globs expanded (sorted), in the order given; a glob that matches nothing is a usage error. */
export async function expandInputs(cwd: string, inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    if (input === '-' || !isDynamicPattern(input)) {
      files.push(input);
      continue;
    }
    const matches = (await glob(input, { cwd, onlyFiles: true, dot: false })).sort();
    if (matches.length === 0)
      throw new CodegenError([
        { code: DiagnosticCodes.usage, message: `no files match ${JSON.stringify(input)} (relative to ${cwd})` },
      ]);
    files.push(...matches);
  }
  return files;
}

function checkText(
  shown: string,
  sourceName: string,
  text: string,
  validator: RuntimeValidator,
  strict: boolean,
  maxIssues: number,
  eventValidator?: RuntimeValidator,
): FileReport {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    // Parse again with positions, for the line and column of the problem.
    try {
      JsonSource.parse(sourceName, text);
    } catch (error) {
      const d = error instanceof CodegenError ? error.diagnostics[0] : undefined;
      return {
        file: shown,
        status: 'invalid',
        findings: [
          {
            severity: 'error',
            code: 'invalid-json',
            message: d?.message ?? 'not valid JSON',
            ...(d?.line !== undefined ? { line: d.line, column: d.column ?? 1 } : {}),
          },
        ],
        omitted: 0,
      };
    }
    return {
      file: shown,
      status: 'invalid',
      findings: [{ severity: 'error', code: 'invalid-json', message: 'not valid JSON' }],
      omitted: 0,
    };
  }

  // A property name given twice: JSON.parse kept the last one. Positions are parsed only when the cheap counts differ.
  const source = mayHaveDuplicateKeys(text, value) ? parseWithPositions(sourceName, text) : undefined;
  const checked = checkValue(value, validator, strict, maxIssues);
  const findings: Finding[] = source ? [...duplicateKeyFindings(source), ...checked.findings] : [...checked.findings];
  let { failed, omitted } = checked;
  // The event an S3 or Kafka-topic on-failure record carries, checked as `--kind event` checks an event file.
  if (eventValidator && checked.valid) {
    const payload = onFailurePayload(checked.normalized as { payload?: unknown });
    // No payload is an SQS or SNS record's form; a payload that is not JSON, an error.
    if (payload.issue !== undefined && payload.issue.keyword !== 'required')
      findings.push({ ...fromIssue(payload.issue, 'error', 'invalid-json', checked.normalized) });
    if (payload.issue === undefined) {
      const inner = checkValue(
        payload.event,
        eventValidator,
        strict,
        Math.max(0, Math.floor(maxIssues) - findings.length),
      );
      findings.push(...inner.findings.map((f) => inPayload(f, payload.asText)));
      if (!inner.failed)
        findings.push(...batchInfoMismatches(checked.normalized as OnFailureRecordShape, payload.event));
      failed ||= inner.failed;
      omitted += inner.omitted;
    }
  }
  // At most maxIssues listed, each placed at its line and column; the rest (and the validator's own overflow) counted.
  const listed = findings.slice(0, Math.max(0, Math.floor(maxIssues)));
  omitted += findings.length - listed.length;
  return {
    file: shown,
    // Invalid whatever the listing shows: with --max-issues 0 the validator lists no issue but still found them.
    status:
      failed || findings.some((f) => f.severity === 'error') || (strict && findings.length > 0) ? 'invalid' : 'valid',
    findings: listed.length > 0 ? placeFindings(sourceName, text, listed, source) : listed,
    omitted,
  };
}

interface CheckedValue {
  /** Valid once the documented legacy forms are normalized. */
  readonly valid: boolean;
  /** The value checked: the input, or its normalized copy. */
  readonly normalized: unknown;
  /** Not placed yet (no line and column); possibly more than maxIssues. */
  readonly findings: readonly Finding[];
  /** Whether the file fails (with --max-issues 0 nothing is listed, but the value is still invalid). */
  readonly failed: boolean;
  /** Problems the validators counted without listing them. */
  readonly omitted: number;
}

/** One parsed document against `validator`: the schema, and as asked the legacy forms, unknown fields and payloads. */
function checkValue(value: unknown, validator: RuntimeValidator, strict: boolean, maxIssues: number): CheckedValue {
  const outcome = validator.check(value, { maxIssues });
  const findings: Finding[] = [];
  const warning: Severity = 'warning';
  for (const issue of outcome.issues)
    findings.push(fromIssue(issue, 'error', `schema.${issue.keyword}`, outcome.normalized));
  for (const w of outcome.warnings) {
    if (w.kind === 'legacy-form') {
      findings.push({
        severity: warning,
        code: 'legacy-form',
        message: `${w.path}: legacy form "${w.form}", accepted and normalized by parse`,
        path: w.path,
        hint: normalizedText(w),
      });
    } else {
      findings.push({
        severity: warning,
        code: 'unsafe-integer',
        message: `${w.path}: ${w.value} is beyond Number.MAX_SAFE_INTEGER (2^53 - 1): JSON.parse has rounded it`,
        path: w.path,
        expected: 'an integer of at most 9007199254740991',
        received: `a number JSON.parse rounded to ${w.value}`,
        hint: 'the value sent is lost; parse accepts the event with a warning, and the batch-response helpers refuse to name such an offset',
      });
    }
  }
  for (const problem of outcome.base64) {
    findings.push({
      severity: 'error',
      code: 'invalid-base64',
      message: `${problem.path}: not canonical base64: ${problem.problem}`,
      path: problem.path,
      expected: 'canonical base64 (RFC 4648: A-Z a-z 0-9 + /, padded with =)',
      hint: 'Lambda sends keys and values as canonical base64; the record helpers reject anything else',
    });
  }
  if (strict) {
    for (const issue of outcome.unknownFields) {
      findings.push({
        severity: warning,
        code: 'unknown-field',
        message: `${issue.path}: a field the schema does not name (accepted: AWS adds fields; --strict reports it)`,
        path: issue.path,
      });
    }
    if (validator.kind === 'event' && outcome.valid) findings.push(...recordsKeyMismatches(outcome.normalized));
    // The precise formats the schema declares with x-strict (eventSourceArn, bootstrapServers).
    if (validator.kind === 'event' && outcome.valid)
      findings.push(...strictFormatFindings(validator.model, outcome.normalized));
  }
  // Keys and values as msk-codegen.config.json declares their topics: only once the envelope is valid; within what is left of maxIssues.
  const payloads =
    outcome.valid && validator.payloads
      ? validator.payloads.check(outcome.normalized, Math.max(0, Math.floor(maxIssues) - findings.length))
      : undefined;
  if (payloads) findings.push(...payloads.findings);
  const failed =
    !outcome.valid ||
    findings.some((f) => f.severity === 'error') ||
    (strict && findings.length > 0) ||
    (payloads !== undefined && (payloads.errors > 0 || (strict && payloads.warnings > 0)));
  return {
    valid: outcome.valid,
    normalized: outcome.normalized,
    findings,
    failed,
    omitted: outcome.omitted + (payloads?.omitted ?? 0),
  };
}

/**
 * A finding of the event an on-failure record carries, as a finding of the record: under
 * `/payload` when the event is an object; at the `/payload` string, with the place inside the
 * event in `eventPath` and the message, when it is JSON text.
 */
function inPayload(finding: Finding, asText: boolean): Finding {
  const at = finding.path ?? '';
  // Messages start with their place: a JSON pointer (`/` for the root), or (payload findings) the pointer without its first slash.
  const place = [`${at || '/'}: `, `${at.slice(1)}: `].find(
    (p) => finding.path !== undefined && finding.message.startsWith(p),
  );
  const rest = place !== undefined ? finding.message.slice(place.length) : finding.message;
  if (!asText) return { ...finding, path: `/payload${at}`, message: `/payload${at}: ${rest}` };
  return {
    ...finding,
    path: '/payload',
    eventPath: at,
    message: `/payload (the event as JSON text), at ${at === '' ? 'its root' : at}: ${rest}`,
  };
}

/** What a valid on-failure record is known to hold. */
interface OnFailureRecordShape {
  readonly KafkaBatchInfo: {
    readonly batchSize: number;
    readonly recordsInfo?: Readonly<
      Record<string, { readonly firstRecordOffset: string | number; readonly lastRecordOffset: string | number }>
    >;
    readonly recordInfo?: { readonly offset: string | number };
  };
}

/**
 * Where `KafkaBatchInfo` does not describe the event in `payload`: `recordsInfo`'s keys and first
 * and last offsets, `batchSize`, or `recordInfo.offset` (warnings: AWS documents what they
 * mean, not a record where they disagree).
 */
function batchInfoMismatches(record: OnFailureRecordShape, event: unknown): Finding[] {
  const findings: Finding[] = [];
  const records = (event as { records: Record<string, { offset: number }[]> }).records;
  const info = record.KafkaBatchInfo;
  const mismatch = (path: string, message: string, expected: string, received: string): void => {
    findings.push({
      severity: 'warning',
      code: 'on-failure-mismatch',
      message: `${path}: ${message}`,
      path,
      expected,
      received,
    });
  };
  const count = Object.values(records).reduce((n, list) => n + list.length, 0);
  if (info.recordInfo !== undefined) {
    const only = Object.values(records).flat();
    if (only.length === 1 && String(only[0]?.offset) !== String(info.recordInfo.offset))
      mismatch(
        '/KafkaBatchInfo/recordInfo/offset',
        "not the offset of the record in the payload's event",
        JSON.stringify(String(only[0]?.offset)),
        JSON.stringify(info.recordInfo.offset),
      );
    return findings;
  }
  if (info.batchSize !== count)
    mismatch(
      '/KafkaBatchInfo/batchSize',
      `${info.batchSize} records, but the payload's event holds ${count}`,
      String(count),
      String(info.batchSize),
    );
  const ranges = info.recordsInfo ?? {};
  for (const [key, list] of Object.entries(records)) {
    const range = ranges[key];
    const at = formatPointer(['KafkaBatchInfo', 'recordsInfo', key]);
    const first = String(list[0]?.offset);
    const last = String(list[list.length - 1]?.offset);
    if (range === undefined)
      mismatch(
        formatPointer(['KafkaBatchInfo', 'recordsInfo']),
        `no entry for ${JSON.stringify(key)}, whose records the payload's event holds`,
        `offsets ${first} to ${last}`,
        'missing',
      );
    else if (String(range.firstRecordOffset) !== first || String(range.lastRecordOffset) !== last)
      mismatch(
        at,
        `offsets ${range.firstRecordOffset} to ${range.lastRecordOffset}, but the payload's event holds ${first} to ${last}`,
        `${first} to ${last}`,
        `${range.firstRecordOffset} to ${range.lastRecordOffset}`,
      );
  }
  for (const key of Object.keys(ranges))
    if (!(key in records))
      mismatch(
        formatPointer(['KafkaBatchInfo', 'recordsInfo', key]),
        "a partition the payload's event holds no records of",
        'an entry per records key of the event',
        JSON.stringify(key),
      );
  return findings;
}

function parseWithPositions(sourceName: string, text: string): JsonSource | undefined {
  try {
    return JsonSource.parse(sourceName, text);
  } catch {
    return undefined;
  }
}

function fromIssue(issue: ValidationIssue, severity: Severity, code: string, document: unknown): Finding {
  const hint = hintFor(issue.path, issue.received, document);
  return {
    severity,
    code,
    message: issue.message,
    path: issue.path,
    expected: issue.expected,
    received: issue.received,
    ...(hint ? { hint } : {}),
  };
}

/** Records under a key that is not their own `<topic>-<partition>` (one SDK keyed partition 0 as "mytopic-01"). */
function recordsKeyMismatches(event: unknown): Finding[] {
  const findings: Finding[] = [];
  const records = (event as { records: Record<string, { topic: string; partition: number }[]> }).records;
  for (const [key, list] of Object.entries(records)) {
    list.forEach((record, i) => {
      if (key !== `${record.topic}-${record.partition}`) {
        const at = formatPointer(['records', key, i]);
        findings.push({
          severity: 'warning',
          code: 'records-key',
          message: `${at}: a record of topic ${JSON.stringify(record.topic)}, partition ${record.partition} under the records key ${JSON.stringify(key)}`,
          path: at,
          expected: JSON.stringify(`${record.topic}-${record.partition}`),
          received: JSON.stringify(key),
          hint: 'Lambda keys records by "<topic>-<partition>"; a hand-made fixture probably has a typo',
        });
      }
    });
  }
  return findings;
}

/** Adds line and column to each finding with a JSON pointer (parsing the text again, with positions, only when there is something to place). */
function placeFindings(sourceName: string, text: string, findings: Finding[], parsed?: JsonSource): Finding[] {
  let source: JsonSource;
  try {
    source = parsed ?? JsonSource.parse(sourceName, text);
  } catch {
    return findings;
  }
  return findings.map((f) => {
    if (f.path === undefined || f.line !== undefined) return f;
    const position =
      f.code === 'schema.pattern' && f.expected?.startsWith('a property name')
        ? source.positionOfKey(f.path)
        : source.positionOf(f.path);
    return { ...f, line: position.line, column: position.column };
  });
}
