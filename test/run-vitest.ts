/**
 * Runs a project's own vitest tests (a scaffolded handler's) through vitest's node API, in
 * this process: no nested `vitest run` process. The tests still run in vitest's own workers,
 * with the project folder as vitest's root, as `npx vitest run` there would run them.
 */
import type { RunnerTask } from 'vitest';
import { startVitest } from 'vitest/node';

export interface VitestRun {
  /** The test files that ran. */
  readonly files: readonly string[];
  readonly total: number;
  readonly passed: number;
  /** Whether vitest would have exited with 0. */
  readonly ok: boolean;
}

function tests(task: RunnerTask): RunnerTask[] {
  return task.type === 'suite' ? task.tasks.flatMap(tests) : [task];
}

export async function runVitest(root: string): Promise<VitestRun> {
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  // No reporter: what it found is read from its state.
  const vitest = await startVitest('test', [], { root, watch: false, reporters: [{}] });
  try {
    const files = vitest.state.getFiles();
    const all = files.flatMap((file) => file.tasks.flatMap(tests));
    return {
      files: files.map((file) => file.filepath),
      total: all.length,
      passed: all.filter((task) => task.result?.state === 'pass').length,
      ok: process.exitCode === undefined || process.exitCode === 0,
    };
  } finally {
    await vitest.close();
    // startVitest sets the exit code of the process it runs in when tests fail: this process is the outer test run's.
    process.exitCode = exitCode;
  }
}
