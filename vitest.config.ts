import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Test files that start real processes, npm installs or TypeScript programs over whole
 * projects (seconds each, mostly spent outside the test's own code): the e2e project, with
 * test/e2e. Everything else is the unit project, the edit loop (`npm run test:unit`).
 */
const SLOW = [
  'test/e2e/**/*.test.ts',
  'test/generator/commands/generate-process.test.ts',
  'test/generator/commands/scaffold/scaffold.test.ts',
  'test/generator/commands/scaffold/runner.test.ts',
  'test/generator/output/lock.test.ts',
  'test/meta/bad-input-matrix.test.ts',
  'test/generator/commands/invoke/**/*.test.ts',
  'test/generator/commands/replay/replay-cli.test.ts',
];

/**
 * The newcomer test (npm pack, npm installs, builds) is the longest file by far: started
 * last, it alone would set the suite's wall time. It starts first; the rest keep vitest's order.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (file: TestSpecification) => (file.moduleId.includes('/test/e2e/') ? 0 : 1);
    return [...sorted].sort((a, b) => first(a) - first(b));
  }
}

export default defineConfig({
  test: {
    // Hang guards, not speed limits: type-checking and end-to-end CLI tests start TypeScript
    // and child processes, which a loaded 2-core machine (CI, or helpers running in parallel)
    // can slow several times over.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Vitest's default on a 2-core machine is one worker (cores - 1): files then run one at a
    // time, and the CPU idles while a file waits on its child processes (npm, tsc, the CLI).
    // Three workers keep both cores busy. Forks (vitest's default pool): a process per
    // file, as the CLI gets; some tests run vitest's own node API inside it.
    pool: 'forks',
    sequence: { sequencer: LongestFirst },
    maxWorkers: 3,
    projects: [
      // The unit files share their worker's module cache (isolate: false): TypeScript, prettier
      // and Ajv load once per worker instead of once per file, and generate()'s in-process
      // caches carry over. 40% off the unit project's time. A file that changes global state
      // restores it (Object.prototype in test/generated/hardening.test.ts, the vi.mock of
      // cli-errors.test.ts only throws while its own test sets a failure).
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: SLOW, isolate: false } },
      { extends: true, test: { name: 'e2e', include: SLOW, testTimeout: 300_000, hookTimeout: 300_000 } },
    ],
  },
});
