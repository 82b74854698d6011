// Output formatting shared by the benchmark sections.

export const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
export const fmtNs = (ns) =>
  ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(1)} µs` : `${ns.toFixed(0)} ns`;
export const fmtRatio = (r) => (r >= 100 ? `${r.toFixed(0)}x` : r >= 10 ? `${r.toFixed(1)}x` : `${r.toFixed(2)}x`);
export const fmtBytes = (b) => `${fmtInt(b)} B`;
export const verdict = (ok) => (ok ? 'PASS' : 'MISS');

export function table(header, rows, align) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (align[i] === 'r' ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const section = (title) => console.log(`\n== ${title} ${'='.repeat(Math.max(0, 86 - title.length))}`);
