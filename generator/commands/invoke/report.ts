/**
 * How `invoke` prints its report: text for people (one block per event: what the handler did,
 * what Lambda would do with the batch, each partition's fate), or JSON for tools.
 */
import * as path from 'node:path';
import type { PartitionFate } from './batch-outcome.js';
import type { InvokeReport } from './index.js';

/** `10-11`, `5`, `3, 7-9`: offsets as ranges. */
function ranges(offsets: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < offsets.length; i++) {
    const start = offsets[i] as number;
    let end = start;
    while (offsets[i + 1] === end + 1) end = offsets[++i] as number;
    parts.push(start === end ? String(start) : `${start}-${end}`);
  }
  return parts.join(', ');
}

function partitionLine(fate: PartitionFate): string {
  const done = fate.done.length > 0 ? `done ${ranges(fate.done)}` : 'nothing done';
  if (fate.failed.length === 0 && fate.done.length === fate.offsets.length)
    return `    ${fate.topicPartition}: ${done}; next offset ${fate.resumeAt}`;
  const failed = fate.failed.length > 0 ? `; failed ${ranges(fate.failed)}` : '';
  const again =
    fate.redelivered.length > 0
      ? `; ${ranges(fate.redelivered)} delivered again (checkpoint reading, see the README)`
      : '';
  return `    ${fate.topicPartition}: ${done}${failed}; resumes at ${fate.resumeAt}${again}`;
}

export function formatInvokeText(report: InvokeReport, cwd: string): string {
  const lines: string[] = [
    `msk-codegen invoke ${path.relative(cwd, report.handler)}#${report.exportName} (bundled in ${Math.round(report.bundleMs)} ms; ReportBatchItemFailures ${report.partialBatch ? 'on' : 'off'})`,
  ];
  for (const e of report.events) {
    lines.push(
      `${e.source}: ${e.records} record${e.records === 1 ? '' : 's'} in ${e.partitions} partition${e.partitions === 1 ? '' : 's'}, payload ${e.payloadBytes.toLocaleString('en-US')} bytes`,
    );
    for (const warning of e.warnings) lines.push(`  warning: ${warning}`);
    const o = e.outcome;
    if (o.initMs !== undefined) lines.push(`  init (the module imported, a cold start) took ${o.initMs} ms`);
    lines.push(
      o.kind === 'returned'
        ? `  handler returned in ${o.durationMs} ms: ${JSON.stringify(o.response)?.slice(0, 200)}`
        : o.kind === 'error'
          ? `  handler failed in ${o.durationMs} ms: ${o.errorType}: ${o.errorMessage}`
          : o.kind === 'timeout'
            ? `  handler timed out (${o.durationMs} ms)`
            : `  handler process ${o.outOfMemory ? 'ran out of memory' : `exited (code ${o.exitCode}, signal ${o.signal})`}`,
    );
    const v = e.batch.verdict;
    lines.push(
      v.kind === 'succeeded'
        ? '  batch: succeeded'
        : v.kind === 'partial'
          ? `  batch: partly failed (identifiers keyed "${v.identifierKey}")`
          : `  batch: retried whole: ${v.reason}`,
    );
    for (const fate of e.batch.partitions) lines.push(partitionLine(fate));
  }
  return `${lines.join('\n')}\n`;
}

export function formatInvokeJson(report: InvokeReport, cwd: string): string {
  return `${JSON.stringify({ ...report, handler: path.relative(cwd, report.handler) }, null, 2)}\n`;
}
