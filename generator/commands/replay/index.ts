/**
 * `msk-codegen replay <handler.ts>[#export] --records <file|folder>` (issue 12): recorded records
 * fed through the handler the way an event source mapping would over time (simulate.ts), the
 * handler bundled once and run in one warm process (a new one after a timeout or a crash), as
 * a warm Lambda execution environment runs it. Discarded batches can be written as the
 * on-failure records Lambda sends an S3 destination (docs/lambda-kafka-invocation.md section 3.1).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CodegenError, DiagnosticCodes } from '../../core/diagnostics.js';
import { JsonSource } from '../../core/json-source.js';
import { onFailureRecord } from '../../core/on-failure-record.js';
import { onFailurePayload } from '../../runtime/on-failure-payload.js';
import type { InvocationResult } from '../invoke/batch-outcome.js';
import { bundleHandler, readHandler } from '../invoke/bundle.js';
import { checkFunctionSettings, functionNameOf } from '../invoke/index.js';
import { MAX_BATCH_RECORDS, MAX_PAYLOAD_BYTES } from '../../core/lambda-limits.js';
import { HandlerProcess } from '../invoke/run-handler.js';
import {
  batchEvent,
  type DiscardedBatch,
  replay,
  type ReplayOptions,
  type ReplayRecord,
  type ReplayResult,
} from './simulate.js';

export interface ReplayRequest {
  readonly cwd: string;
  readonly handler: string;
  /** A folder of event files, an event file, or a JSON Lines file of records. */
  readonly records: string;
  readonly batchSize: number;
  readonly maximumRetryAttempts: number;
  readonly bisectBatchOnFunctionError: boolean;
  readonly maximumRecordAgeSeconds: number;
  readonly partialBatch?: boolean;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly maxInvocations: number;
  readonly onFailureDir?: string;
  readonly onLog: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface ReplayReport extends ReplayResult {
  readonly handler: string;
  readonly exportName: string;
  readonly records: number;
  readonly partialBatch: boolean;
  /** The on-failure files written, relative to the working directory. */
  readonly onFailureFiles: readonly string[];
}

const usage = (message: string, file?: string) =>
  new CodegenError([{ code: DiagnosticCodes.usage, ...(file ? { file } : {}), message }]);

/** The records of an event file (its `records` object), of an on-failure record's event, or of a JSON Lines file (one record per line). */
async function readRecords(file: string): Promise<ReplayRecord[]> {
  const text = await readFile(file, 'utf8');
  const trimmed = text.trimStart();
  const isRecord = (value: unknown): value is ReplayRecord => {
    const r = value as Partial<ReplayRecord> | null;
    return (
      typeof r === 'object' &&
      r !== null &&
      typeof r.topic === 'string' &&
      Number.isInteger(r.partition) &&
      Number.isInteger(r.offset) &&
      typeof r.timestamp === 'number'
    );
  };
  if (file.endsWith('.jsonl') || file.endsWith('.ndjson')) {
    const records: ReplayRecord[] = [];
    for (const [index, line] of text.split(/\r?\n/).entries()) {
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new CodegenError([
          { code: DiagnosticCodes.invalidJson, file, line: index + 1, column: 1, message: (error as Error).message },
        ]);
      }
      if (!isRecord(value))
        throw new CodegenError([
          {
            code: DiagnosticCodes.usage,
            file,
            line: index + 1,
            column: 1,
            message: 'expected a record: { topic, partition, offset, timestamp, … } as in an event',
          },
        ]);
      records.push(value);
    }
    return records;
  }
  if (!trimmed.startsWith('{'))
    throw usage('expected an event file or an on-failure record (JSON), or a .jsonl file of records', file);
  let document: { records?: Record<string, unknown[]>; KafkaBatchInfo?: unknown; payload?: unknown };
  try {
    document = JSON.parse(text);
  } catch {
    JsonSource.parse(file, text); // throws the problem at its line:column
    throw usage('not valid JSON', file);
  }
  // An on-failure record Lambda sent an S3 (or Kafka-topic) destination: the records of the event it carries.
  let event = document;
  if (Object.hasOwn(document, 'KafkaBatchInfo')) {
    const payload = onFailurePayload(document);
    if (payload.issue !== undefined)
      throw usage(`an on-failure record without an event to replay: ${payload.issue.message}`, file);
    event = payload.event as typeof document;
  }
  const records = Object.values(event.records ?? {}).flat();
  const bad = records.findIndex((r) => !isRecord(r));
  if (bad >= 0 || event.records === undefined)
    throw usage('expected an event: its "records" hold { topic, partition, offset, timestamp, … }', file);
  return records as ReplayRecord[];
}

async function loadRecords(cwd: string, input: string): Promise<ReplayRecord[]> {
  const target = path.resolve(cwd, input);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(target);
  } catch {
    throw new CodegenError([{ code: DiagnosticCodes.unreadable, file: target, message: 'cannot read the records' }]);
  }
  if (!info.isDirectory()) return readRecords(target);
  const files = (await readdir(target)).filter((f) => /\.(json|jsonl|ndjson)$/.test(f)).sort();
  if (files.length === 0) throw usage('holds no .json or .jsonl files', target);
  const all: ReplayRecord[] = [];
  for (const file of files) all.push(...(await readRecords(path.join(target, file))));
  // The same record recorded twice (two event files holding it) is replayed once.
  const seen = new Set<string>();
  return all.filter((r) => {
    const id = `${r.topic}-${r.partition}@${r.offset}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

export async function replayCommand(request: ReplayRequest): Promise<ReplayReport> {
  checkFunctionSettings(request);
  if (!(request.batchSize >= 1 && request.batchSize <= MAX_BATCH_RECORDS))
    throw usage(`--batch-size must be 1 to ${MAX_BATCH_RECORDS}`);
  if (request.maximumRetryAttempts < -1 || request.maximumRetryAttempts > 10_000)
    throw usage('--maximum-retry-attempts must be -1 (until it succeeds) or 0 to 10000');
  if (
    request.maximumRecordAgeSeconds !== -1 &&
    !(request.maximumRecordAgeSeconds >= 60 && request.maximumRecordAgeSeconds <= 604_800)
  )
    throw usage('--maximum-record-age must be -1 (no limit) or 60 to 604800 seconds');
  const { spec, partialBatch } = await readHandler(request.handler, request.cwd, request.partialBatch);
  const records = await loadRecords(request.cwd, request.records);
  if (records.length === 0) throw usage(`${request.records} holds no records`);
  const bundled = await bundleHandler(spec);
  const settings = {
    functionName: functionNameOf(spec.file),
    timeoutMs: request.timeoutSeconds * 1000,
    memoryMb: request.memoryMb,
  };
  const head = {
    eventSource: 'aws:kafka',
    eventSourceArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/replay/00000000-0000-0000-0000-000000000000-1',
    bootstrapServers: 'b-1.replay.kafka.us-east-1.amazonaws.com:9098',
  };
  const options: ReplayOptions = {
    batchSize: request.batchSize,
    maxPayloadBytes: MAX_PAYLOAD_BYTES,
    maximumRetryAttempts: request.maximumRetryAttempts,
    bisectBatchOnFunctionError: request.bisectBatchOnFunctionError,
    maximumRecordAgeSeconds: request.maximumRecordAgeSeconds,
    reportBatchItemFailures: partialBatch,
    maxInvocations: request.maxInvocations,
    head,
  };
  let runner = new HandlerProcess(bundled, settings, request.onLog);
  let result: ReplayResult;
  try {
    result = await replay(records, options, async (event): Promise<InvocationResult> => {
      if (!runner.alive) runner = new HandlerProcess(bundled, settings, request.onLog);
      const outcome = await runner.invoke(event);
      return outcome.kind === 'timeout' ? { kind: 'timeout', timeoutMs: settings.timeoutMs } : outcome;
    });
  } finally {
    await runner.close();
  }
  const onFailureFiles: string[] = [];
  if (request.onFailureDir !== undefined && result.discarded.length > 0) {
    const folder = path.resolve(request.cwd, request.onFailureDir);
    await mkdir(folder, { recursive: true });
    for (const [index, batch] of result.discarded.entries()) {
      const file = path.join(folder, `on-failure-${String(index + 1).padStart(4, '0')}.json`);
      await writeFile(file, `${JSON.stringify(s3OnFailureRecord(batch, head, settings.functionName), null, 2)}\n`);
      onFailureFiles.push(path.relative(request.cwd, file));
    }
  }
  return {
    ...result,
    handler: spec.file,
    exportName: spec.exportName,
    records: records.length,
    partialBatch,
    onFailureFiles,
  };
}

/** The record Lambda sends an S3 on-failure destination for a discarded batch (core/on-failure-record.ts). */
function s3OnFailureRecord(
  batch: DiscardedBatch,
  head: { readonly eventSourceArn: string; readonly bootstrapServers: string },
  functionName: string,
): object {
  const { event } = batchEvent(batch.records, { eventSource: 'aws:kafka', ...head });
  return onFailureRecord({
    event,
    destination: 's3',
    condition: batch.condition,
    approximateInvokeCount: batch.approximateInvokeCount,
    requestId: randomUUID(),
    functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    timestamp: new Date().toISOString(),
    payloadSize: batch.payloadSize,
  });
}

/** One line per invocation, then the summary. */
export function formatReplayText(report: ReplayReport, cwd: string): string {
  const partitions = Object.keys(report.committed).length;
  const lines = [
    `msk-codegen replay ${path.relative(cwd, report.handler)}#${report.exportName}: ${report.records} records in ${partitions} partition${partitions === 1 ? '' : 's'} (ReportBatchItemFailures ${report.partialBatch ? 'on' : 'off'})`,
  ];
  for (const t of report.timeline) {
    const spans = t.spans
      .map((s) => `${s.topicPartition}:${s.first === s.last ? s.first : `${s.first}-${s.last}`}`)
      .join(' ');
    const attempt = t.attempt > 1 ? ` (attempt ${t.attempt})` : '';
    const reason = t.reason === undefined ? '' : `: ${t.reason}`;
    const then = t.then === undefined ? '' : `; ${t.then}`;
    lines.push(`  #${t.invocation} ${spans}: ${t.verdict}${attempt}${reason}${then}`);
  }
  const discardedRecords = report.discarded.reduce((n, d) => n + d.records.length, 0);
  lines.push(
    `summary: ${report.invocations} invocation${report.invocations === 1 ? '' : 's'}, ${report.retries} retr${report.retries === 1 ? 'y' : 'ies'}; committed ${Object.entries(
      report.committed,
    )
      .map(([key, offset]) => `${key} up to ${offset}`)
      .join(
        ', ',
      )}; ${discardedRecords} record${discardedRecords === 1 ? '' : 's'} for the on-failure destination${report.discarded.length > 0 ? ` (${report.discarded.map((d) => `${d.condition} ×${d.records.length}`).join(', ')})` : ''}${report.stopped ? '; stopped at --max-invocations with records left' : ''}`,
  );
  for (const file of report.onFailureFiles) lines.push(`  wrote ${file}`);
  return `${lines.join('\n')}\n`;
}

/** 0: every record processed; 1: records discarded, or the replay stopped with records left. */
export function replayExitCode(report: ReplayReport): 0 | 1 {
  return report.discarded.length === 0 && !report.stopped ? 0 : 1;
}
