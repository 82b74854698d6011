/** Prints a validate report: text for people and editors, JSON for machines, and GitHub Actions annotations. */
import type { Finding, ValidateReport } from './index.js';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function summaryLine(report: ValidateReport): string {
  const { files, valid, invalid, warnings, unreadable } = report.summary;
  return `${plural(files, 'file')}, ${valid} valid, ${invalid} invalid, ${plural(warnings, 'warning')}${unreadable > 0 ? `, ${unreadable} unreadable` : ''}`;
}

function detail(f: Finding): string | undefined {
  const parts = [
    ...(f.expected !== undefined ? [`expected ${f.expected}`] : []),
    ...(f.received !== undefined ? [`received ${f.received}`] : []),
    ...(f.hint !== undefined ? [`hint: ${f.hint}`] : []),
  ];
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/**
 * `file:line:col: severity code: message`, then an indented line with expected vs received and a hint.
 * With `errorsOnly` (--quiet): what fails a file alone (errors; with --strict, warnings too), without the summary line.
 */
export function formatText(
  report: ValidateReport,
  { errorsOnly = false }: { readonly errorsOnly?: boolean } = {},
): string {
  const lines: string[] = [];
  for (const file of report.files) {
    for (const f of file.findings) {
      // Under --strict a warning fails the file: it is shown like an error.
      if (errorsOnly && f.severity !== 'error' && !report.strict) continue;
      const place = f.line !== undefined ? `:${f.line}:${f.column ?? 1}` : '';
      lines.push(`${file.file}${place}: ${f.severity} ${f.code}: ${f.message}`);
      const more = detail(f);
      if (more) lines.push(`    ${more}`);
    }
    if (file.omitted > 0 && !(errorsOnly && file.status === 'valid'))
      lines.push(`${file.file}: ... and ${plural(file.omitted, 'more finding')} (--max-issues lists more)`);
  }
  if (errorsOnly) return lines.length > 0 ? `${lines.join('\n')}\n` : '';
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}

export function formatJson(report: ValidateReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions workflow commands: one `::error` or `::warning` per finding. */
export function formatAnnotations(report: ValidateReport): string {
  const lines: string[] = [];
  for (const file of report.files) {
    for (const f of file.findings) {
      const props = [
        `file=${escapeProperty(file.file)}`,
        ...(f.line !== undefined ? [`line=${f.line}`, `col=${f.column ?? 1}`] : []),
        `title=${escapeProperty(`msk-codegen ${f.code}`)}`,
      ];
      const more = detail(f);
      lines.push(`::${f.severity} ${props.join(',')}::${escapeData(more ? `${f.message} (${more})` : f.message)}`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

export function exitCodeOf(report: ValidateReport): number {
  if (report.summary.unreadable > 0) return 2;
  return report.summary.invalid > 0 ? 1 : 0;
}
