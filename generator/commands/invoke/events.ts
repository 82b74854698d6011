/**
 * The events `invoke` sends a handler (issue 12): files (globs allowed, `-` for standard
 * input) or one `sample` makes. Every file is checked as `validate --envelope-only` checks it
 * first (the keys and values are left to the handler: testing how it rejects a bad value is
 * a reason to invoke it), so a file that is not a Kafka event is an error at its
 * file:line:column before anything runs. Each event's invocation payload is measured as the
 * event source mapping sends it: compact JSON, in UTF-8 bytes.
 */
import * as path from 'node:path';
import { CodegenError, type Diagnostic, DiagnosticCodes } from '../../core/diagnostics.js';
import { readRegularFileSync } from '../../core/regular-file.js';
import { onFailurePayload } from '../../runtime/on-failure-payload.js';
import { expandInputs, type FileReport, validateFiles } from '../validate/index.js';

export interface InvocationEvent {
  /** Where it came from: the file as given (relative to the working directory), `-`, or `sample`. */
  readonly source: string;
  readonly event: KafkaEventShape;
  /** The invocation payload's size: the event as compact JSON, in UTF-8 bytes. */
  readonly payloadBytes: number;
  /** How many records it holds. */
  readonly records: number;
}

/** What a checked Kafka event is known to hold. */
export interface KafkaEventShape {
  readonly records: Readonly<
    Record<string, readonly { readonly topic: string; readonly partition: number; readonly offset: number }[]>
  >;
}

export interface EventFilesRequest {
  readonly cwd: string;
  /** Files, globs, or `-` for standard input. */
  readonly inputs: readonly string[];
  readonly readStdin?: () => Promise<string>;
  readonly config?: string;
  readonly schema?: string;
  readonly cacheDir?: string | false;
}

/** At most this many findings are repeated per file that is not an event; `validate` lists them all. */
const FINDINGS_SHOWN = 5;

export async function loadEventFiles(request: EventFilesRequest): Promise<InvocationEvent[]> {
  // Standard input is read once: validate checks it, then it is parsed here.
  let stdin: Promise<string> | undefined;
  const readStdin = () => {
    if (request.readStdin === undefined) throw new Error('no standard input to read');
    stdin ??= request.readStdin();
    return stdin;
  };
  const read = async (file: string): Promise<string | undefined> => {
    try {
      return file === '-' ? await readStdin() : readRegularFileSync(path.resolve(request.cwd, file), 'utf8');
    } catch {
      return undefined; // validate says why
    }
  };
  // An on-failure record (what an S3 or Kafka-topic destination receives) is checked as one, and invoked with the event it carries.
  const files = await expandInputs(request.cwd, request.inputs);
  const texts = await Promise.all(files.map(read));
  const onFailure = texts.map((text) => text !== undefined && isOnFailureRecordText(text));
  const check = async (kind: 'event' | 'on-failure', inputs: string[]) =>
    inputs.length === 0
      ? []
      : [
          ...(
            await validateFiles({
              cwd: request.cwd,
              inputs,
              kind,
              envelopeOnly: true,
              maxIssues: FINDINGS_SHOWN,
              readStdin,
              ...(request.config !== undefined ? { config: request.config } : {}),
              ...(request.schema !== undefined ? { schema: request.schema } : {}),
              ...(request.cacheDir !== undefined ? { cacheDir: request.cacheDir } : {}),
            })
          ).files,
        ];
  const [eventReports = [], recordReports = []]: FileReport[][] = await Promise.all([
    check(
      'event',
      files.filter((_, i) => !onFailure[i]),
    ),
    check(
      'on-failure',
      files.filter((_, i) => onFailure[i]),
    ),
  ]);
  const reports = onFailure.map((isRecord) => (isRecord ? recordReports : eventReports).shift() as FileReport);

  const diagnostics: Diagnostic[] = [];
  const events: InvocationEvent[] = [];
  reports.forEach((file, i) => {
    const where = file.file === '-' ? {} : { file: path.resolve(request.cwd, file.file) };
    const onStdin = (line?: number, column?: number) =>
      file.file === '-' ? `standard input${line !== undefined ? ` (line ${line}, column ${column ?? 1})` : ''}: ` : '';
    if (file.status !== 'valid') {
      const what = onFailure[i] ? 'not an on-failure record Lambda could send' : 'not a Kafka event Lambda could send';
      for (const finding of file.findings.filter((f) => f.severity === 'error')) {
        diagnostics.push({
          code: file.status === 'error' ? DiagnosticCodes.unreadable : DiagnosticCodes.usage,
          ...where,
          ...(finding.line !== undefined ? { line: finding.line } : {}),
          ...(finding.column !== undefined ? { column: finding.column } : {}),
          message: `${onStdin(finding.line, finding.column)}${file.status === 'error' ? '' : `${what}: `}${finding.message}`,
        });
      }
      if (file.omitted > 0)
        diagnostics.push({
          code: DiagnosticCodes.usage,
          ...where,
          message: `and ${file.omitted} more findings: \`msk-codegen validate${onFailure[i] ? ' --kind on-failure' : ''} ${file.file}\` lists them`,
        });
      return;
    }
    const text = texts[i] as string;
    const document = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
    if (!onFailure[i]) {
      events.push(invocationEvent(file.file, document as KafkaEventShape));
      return;
    }
    const payload = onFailurePayload(document as { payload?: unknown });
    if (payload.issue !== undefined) {
      diagnostics.push({
        code: DiagnosticCodes.usage,
        ...where,
        message: `${onStdin()}an on-failure record without an event to invoke with: ${payload.issue.message}`,
      });
      return;
    }
    events.push(invocationEvent(`${file.file} (its payload)`, payload.event as KafkaEventShape));
  });
  if (diagnostics.length > 0) throw new CodegenError(diagnostics);
  return events;
}

/** Whether a file holds an on-failure record rather than an event: a JSON object with `KafkaBatchInfo`. */
export function isOnFailureRecordText(text: string): boolean {
  if (!text.includes('"KafkaBatchInfo"')) return false;
  try {
    const value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
    return (
      typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, 'KafkaBatchInfo')
    );
  } catch {
    return false;
  }
}

/** An event as invoke sends it: its compact JSON's size and its record count. */
export function invocationEvent(source: string, event: KafkaEventShape): InvocationEvent {
  let records = 0;
  for (const list of Object.values(event.records)) records += list.length;
  return { source, event, payloadBytes: Buffer.byteLength(JSON.stringify(event)), records };
}
