// 6. Scaffolding: `msk-codegen scaffold` in a fresh process, as a user runs it, including
// the in-memory type check; against the CLI's own start-up (`msk-codegen --version`).
// Target: under 3 s per handler on this machine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmtRatio, section as printSection, table, verdict } from './format.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(REPO, 'dist', 'generator', 'bin.js');
export const SCAFFOLD_TARGET_MS = 3000;

function timeRun(cwd, args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`msk-codegen ${args.join(' ')} failed: ${result.stderr}`);
  return ms;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export function runScaffold({ runs = 5, section = printSection } = {}) {
  section('6. Scaffolding (fresh msk-codegen process per handler, type check included)');
  const dir = mkdtempSync(path.join(tmpdir(), 'msk-codegen-bench-'));
  try {
    writeFileSync(path.join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
    symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    timeRun(dir, ['generate']);
    const startup = [];
    const scaffold = [];
    for (let i = 0; i < runs; i++) {
      startup.push(timeRun(dir, ['--version']));
      scaffold.push(timeRun(dir, ['scaffold', `orders${i}`, '--partial-batch']));
    }
    const rows = [
      ['msk-codegen --version (CLI start-up)', median(startup).toFixed(0), Math.min(...startup).toFixed(0), '1.00x'],
      [
        'msk-codegen scaffold orders --partial-batch',
        median(scaffold).toFixed(0),
        Math.min(...scaffold).toFixed(0),
        fmtRatio(median(scaffold) / median(startup)),
      ],
    ];
    console.log(table(['process', 'median ms', 'min ms', 'x start-up'], rows, ['l', 'r', 'r', 'r']));
    const ok = median(scaffold) <= SCAFFOLD_TARGET_MS;
    console.log(
      `\n  target: one handler scaffolded in under ${SCAFFOLD_TARGET_MS / 1000} s: ${(median(scaffold) / 1000).toFixed(2)} s ${verdict(ok)}`,
    );
    return { runs, startupMs: startup, scaffoldMs: scaffold, verdict: verdict(ok) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) runScaffold();
