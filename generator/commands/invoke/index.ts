/**
 * `msk-codegen invoke <handler.ts>[#export]` (issue 12): bundles the handler as it is deployed
 * (bundle.ts), runs it once per event in a Lambda-like child process (run-handler.ts), and says
 * what the event source mapping would do with each outcome (batch-outcome.ts): the batch
 * succeeded, partly failed (each partition's resume point), or is retried whole, and why. The
 * events are files (events.ts) or one `sample` makes. The sources of every rule are in
 * docs/lambda-kafka-invocation.md.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CodegenError, DiagnosticCodes } from '../../core/diagnostics.js';
import { batchOutcome, type BatchOutcome } from './batch-outcome.js';
import { bundleHandler, bundlePath, readHandler } from './bundle.js';
import {
  MAX_BATCH_RECORDS,
  MAX_MEMORY_MB,
  MAX_PAYLOAD_BYTES,
  MAX_TIMEOUT_SECONDS,
  MIN_MEMORY_MB,
} from '../../core/lambda-limits.js';
import { invocationEvent, type InvocationEvent, type KafkaEventShape, loadEventFiles } from './events.js';
import { HandlerProcess, type InvokeOutcome } from './run-handler.js';

export interface InvokeRequest {
  readonly cwd: string;
  /** `handlers/orders.ts` or `handlers/orders.ts#handler`. */
  readonly handler: string;
  /** Event files, globs or `-`; or, with none, `sample`'s event. */
  readonly events: readonly string[];
  readonly sample?: () => Promise<object>;
  readonly readStdin?: () => Promise<string>;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly batchSize: number;
  /** Whether the mapping enables ReportBatchItemFailures; default: what the handler's `@msk-codegen` line says (`--partial-batch`). */
  readonly partialBatch?: boolean;
  readonly envFile?: string;
  readonly functionName?: string;
  readonly config?: string;
  readonly onLog: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface EventReport {
  readonly source: string;
  readonly records: number;
  readonly partitions: number;
  readonly payloadBytes: number;
  /** What Lambda would refuse before invoking: a payload over the limit, more records than the batch size. */
  readonly warnings: readonly string[];
  readonly outcome: InvokeOutcome;
  readonly batch: BatchOutcome;
}

export interface InvokeReport {
  readonly handler: string;
  readonly exportName: string;
  readonly partialBatch: boolean;
  readonly bundleMs: number;
  readonly events: readonly EventReport[];
}

const usage = (message: string) => new CodegenError([{ code: DiagnosticCodes.usage, message }]);

export async function invoke(request: InvokeRequest): Promise<InvokeReport> {
  checkFunctionSettings(request);
  if (!(request.batchSize >= 1 && request.batchSize <= MAX_BATCH_RECORDS))
    throw usage(`--batch-size must be 1 to ${MAX_BATCH_RECORDS}`);
  const { spec, partialBatch } = await readHandler(request.handler, request.cwd, request.partialBatch);
  const env = request.envFile === undefined ? {} : await readEnvFile(request.envFile, request.cwd);
  if (request.events.length === 0 && !request.sample) throw usage('no event: give --event <file> (or -), or --sample');
  const functionName = request.functionName ?? functionNameOf(spec.file);
  const settings = {
    functionName,
    timeoutMs: request.timeoutSeconds * 1000,
    memoryMb: request.memoryMb,
    env,
  };
  // The process that runs the handler starts while the events are checked and the handler
  // bundled (all three at once): node's start-up is then not added to the wait.
  let runner: HandlerProcess | undefined = new HandlerProcess(
    { bundle: bundlePath(spec), exportName: spec.exportName },
    settings,
    request.onLog,
  );
  const started = performance.now();
  let events: InvocationEvent[];
  let bundleMs = 0;
  try {
    [events] = await Promise.all([
      request.events.length > 0
        ? loadEventFiles({
            cwd: request.cwd,
            inputs: request.events,
            ...(request.readStdin ? { readStdin: request.readStdin } : {}),
            ...(request.config !== undefined ? { config: request.config } : {}),
          })
        : (async () => [
            invocationEvent('sample', (await (request.sample as () => Promise<object>)()) as KafkaEventShape),
          ])(),
      bundleHandler(spec).then(() => {
        bundleMs = performance.now() - started;
      }),
    ]);
  } catch (error) {
    await runner.close();
    throw error;
  }
  const reports: EventReport[] = [];
  try {
    for (const event of events) {
      // A new process after a timeout or a crash, as Lambda starts a new execution environment.
      if (runner === undefined || !runner.alive)
        runner = new HandlerProcess({ bundle: bundlePath(spec), exportName: spec.exportName }, settings, request.onLog);
      const outcome = await runner.invoke(event.event);
      const batch = batchOutcome(
        event.event,
        outcome.kind === 'timeout' ? { kind: 'timeout', timeoutMs: settings.timeoutMs } : outcome,
        { reportBatchItemFailures: partialBatch },
      );
      const warnings: string[] = [];
      if (event.payloadBytes > MAX_PAYLOAD_BYTES)
        warnings.push(
          `its payload is ${event.payloadBytes.toLocaleString('en-US')} bytes, over Lambda's 6 MB invocation limit (${MAX_PAYLOAD_BYTES.toLocaleString('en-US')} bytes): no mapping delivers such a batch`,
        );
      if (event.records > request.batchSize)
        warnings.push(
          `it holds ${event.records} records, more than the batch size ${request.batchSize}: no mapping with that batch size delivers it (--batch-size)`,
        );
      reports.push({
        source: event.source,
        records: event.records,
        partitions: Object.keys(event.event.records).length,
        payloadBytes: event.payloadBytes,
        warnings,
        outcome,
        batch,
      });
    }
  } finally {
    await runner?.close();
  }
  return { handler: spec.file, exportName: spec.exportName, partialBatch, bundleMs, events: reports };
}

/** The function's timeout and memory, within what Lambda allows a Kafka event source mapping's function (invoke, replay). */
export function checkFunctionSettings(settings: { readonly timeoutSeconds: number; readonly memoryMb: number }): void {
  if (!(settings.timeoutSeconds > 0 && settings.timeoutSeconds <= MAX_TIMEOUT_SECONDS))
    throw usage(`--timeout must be 1 to ${MAX_TIMEOUT_SECONDS} seconds (a Kafka event source mapping's limit)`);
  if (!(settings.memoryMb >= MIN_MEMORY_MB && settings.memoryMb <= MAX_MEMORY_MB))
    throw usage(`--memory must be ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB} MB, as Lambda allows`);
}

/** `NAME=value` lines (`#` comments and blank lines skipped), as `node --env-file` and SAM read them. */
async function readEnvFile(file: string, cwd: string): Promise<Record<string, string>> {
  const absolute = path.resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch {
    throw new CodegenError([{ code: DiagnosticCodes.unreadable, file: absolute, message: 'cannot read the env file' }]);
  }
  const env: Record<string, string> = {};
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match)
      throw new CodegenError([
        {
          code: DiagnosticCodes.usage,
          file: absolute,
          line: index + 1,
          column: 1,
          message: 'expected NAME=value',
        },
      ]);
    const value = match[2] as string;
    env[match[1] as string] = /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
  }
  return env;
}

/** The default function name: the handler file's name (`orders` for handlers/orders.ts). */
export const functionNameOf = (file: string) => path.basename(file).replace(/\.[^.]*$/, '');

/** 0: every batch succeeded; 1: a batch would be retried (whole or in part). */
export function invokeExitCode(report: InvokeReport): 0 | 1 {
  return report.events.every((e) => e.batch.verdict.kind === 'succeeded') ? 0 : 1;
}
