/**
 * The events `invoke` sends a handler (issue 12): files (globs allowed, `-` for standard
 * input) or one `sample` makes. Every file is checked as `validate --envelope-only` checks it
 * first (the keys and values are left to the handler: testing how it rejects a bad value is
 * a reason to invoke it), so a file that is not a Kafka event is an error at its
 * file:line:column before anything runs. Each event's invocation payload is measured as the
 * event source mapping sends it: compact JSON, in UTF-8 bytes.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CodegenError, type Diagnostic, DiagnosticCodes } from '../../core/diagnostics.js';
import { validateFiles } from '../validate/index.js';

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
  const report = await validateFiles({
    cwd: request.cwd,
    inputs: request.inputs,
    kind: 'event',
    envelopeOnly: true,
    maxIssues: FINDINGS_SHOWN,
    readStdin,
    ...(request.config !== undefined ? { config: request.config } : {}),
    ...(request.schema !== undefined ? { schema: request.schema } : {}),
    ...(request.cacheDir !== undefined ? { cacheDir: request.cacheDir } : {}),
  });
  const diagnostics: Diagnostic[] = [];
  for (const file of report.files) {
    if (file.status === 'valid') continue;
    const where = file.file === '-' ? {} : { file: path.resolve(request.cwd, file.file) };
    for (const finding of file.findings.filter((f) => f.severity === 'error')) {
      diagnostics.push({
        code: file.status === 'error' ? DiagnosticCodes.unreadable : DiagnosticCodes.usage,
        ...where,
        ...(finding.line !== undefined ? { line: finding.line } : {}),
        ...(finding.column !== undefined ? { column: finding.column } : {}),
        message: `${file.file === '-' ? `standard input${finding.line !== undefined ? ` (line ${finding.line}, column ${finding.column ?? 1})` : ''}: ` : ''}${file.status === 'error' ? '' : 'not a Kafka event Lambda could send: '}${finding.message}`,
      });
    }
    if (file.omitted > 0)
      diagnostics.push({
        code: DiagnosticCodes.usage,
        ...where,
        message: `and ${file.omitted} more findings: \`msk-codegen validate ${file.file}\` lists them`,
      });
  }
  if (diagnostics.length > 0) throw new CodegenError(diagnostics);
  const events: InvocationEvent[] = [];
  for (const file of report.files) {
    const text = file.file === '-' ? await readStdin() : await readFile(path.resolve(request.cwd, file.file), 'utf8');
    events.push(invocationEvent(file.file, JSON.parse(text) as KafkaEventShape));
  }
  return events;
}

/** An event as invoke sends it: its compact JSON's size and its record count. */
export function invocationEvent(source: string, event: KafkaEventShape): InvocationEvent {
  let records = 0;
  for (const list of Object.values(event.records)) records += list.length;
  return { source, event, payloadBytes: Buffer.byteLength(JSON.stringify(event)), records };
}
