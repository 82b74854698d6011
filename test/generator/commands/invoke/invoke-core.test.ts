/**
 * The core of `invoke` and `replay` (issue 12): bundling a handler as it is deployed
 * (bundle.ts) and running it as the Lambda Node.js runtime does, in a process of its own
 * (run-handler.ts). Real esbuild, real child processes, in a temporary project.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodegenError } from '../../../../generator/core/diagnostics.js';
import { bundleHandler, parseHandlerSpec } from '../../../../generator/commands/invoke/bundle.js';
import { HandlerProcess, type InvokeOutcome } from '../../../../generator/commands/invoke/run-handler.js';
import { REPO_ROOT } from '../../../helpers.js';

let dir: string;

const HANDLERS: Record<string, string> = {
  // A local module and a package from node_modules, bundled in; the response echoes the context.
  'context.ts': `import { parse } from 'jsonc-parser';
import { double } from './lib/double.js';
let calls = 0;
export async function handler(event: { n: number }, context: any) {
  calls++;
  console.log('first line');
  console.error('second line');
  return {
    doubled: double(event.n),
    parsed: parse('{ /* jsonc */ "a": 1 }'),
    calls,
    functionName: context.functionName,
    memory: context.memoryLimitInMB,
    requestId: context.awsRequestId,
    remainingOk: context.getRemainingTimeInMillis() > 0 && context.getRemainingTimeInMillis() <= 5000,
    envName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    custom: process.env.MY_SETTING,
  };
}
`,
  'lib/double.ts': 'export const double = (n: number): number => n * 2;\n',
  'callback.ts': `export function handler(event: unknown, _context: unknown, callback: (e: unknown, v?: unknown) => void) {
  setTimeout(() => callback(null, { got: event }), 1);
}
`,
  'throws.ts': `export async function handler() {
  throw new TypeError('the batch is broken');
}
`,
  'bigint.ts': 'export async function handler() {\n  return { n: 1n };\n}\n',
  'nothing.ts': 'export async function handler() {}\n',
  'forever.ts': 'export function handler() {\n  return new Promise(() => {});\n}\n',
  'hog.ts': `export async function handler() {
  const keep: number[][] = [];
  for (;;) keep.push(new Array(1_000_000).fill(1));
}
`,
  'slow-init.ts': `await new Promise((resolve) => setTimeout(resolve, 600));
export async function handler() {
  return 'ready';
}
`,
  'syntax.ts': 'export async function handler() {\n  return { a: 1 ;\n}\n',
  'named.ts': 'export async function processOrders() {\n  return 1;\n}\nexport const other = 2;\n',
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'msk-codegen-invoke-'));
  await writeFile(path.join(dir, 'package.json'), '{ "name": "consumer", "type": "module", "private": true }\n');
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  await mkdir(path.join(dir, 'handlers', 'lib'), { recursive: true });
  for (const [file, text] of Object.entries(HANDLERS)) await writeFile(path.join(dir, 'handlers', file), text);
});
afterAll(async () => {
  // The bundles went to the project's cache folder, here the repo's node_modules (through the link).
  await rm(path.join(REPO_ROOT, 'node_modules', '.cache', 'msk-codegen', 'invoke'), { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
});

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

async function rejection(promise: Promise<unknown>): Promise<CodegenError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CodegenError);
    return error as CodegenError;
  }
  throw new Error('expected a rejection');
}

describe('parseHandlerSpec', () => {
  it.each([
    { spec: 'handlers/orders.ts', file: 'handlers/orders.ts', exportName: 'handler' },
    { spec: 'handlers/orders.ts#processOrders', file: 'handlers/orders.ts', exportName: 'processOrders' },
    { spec: 'a#b/c.ts#$h', file: 'a#b/c.ts', exportName: '$h' },
  ])('$spec', ({ spec, file, exportName }) => {
    expect(parseHandlerSpec(spec, '/project')).toEqual({ file: path.join('/project', file), exportName });
  });

  it.each(['', '#handler', 'orders.ts#', 'orders.ts#1st', 'orders.ts#a-b'])('%j: E_USAGE', (spec) => {
    const error = thrown(() => parseHandlerSpec(spec, '/project')) as CodegenError;
    expect(error.diagnostics[0]?.code).toBe('E_USAGE');
    expect(error.diagnostics[0]?.message).toContain('expected a handler file, optionally followed by #<export>');
  });
});

describe('bundleHandler', () => {
  it('bundles a TypeScript handler with its local modules and packages into the project cache, as an ES module', async () => {
    const bundled = await bundleHandler({ file: path.join(dir, 'handlers', 'context.ts'), exportName: 'handler' });
    expect(bundled.exports).toEqual(['handler']);
    expect(bundled.bundle.startsWith(path.join(dir, 'node_modules', '.cache', 'msk-codegen', 'invoke'))).toBe(true);
    expect(existsSync(bundled.bundle)).toBe(true);
  });

  it('a syntax error: E_BUNDLE at its line and column', async () => {
    const error = await rejection(
      bundleHandler({ file: path.join(dir, 'handlers', 'syntax.ts'), exportName: 'handler' }),
    );
    // Line 2, `  return { a: 1 ;`: the ';' is column 17.
    expect(error.diagnostics).toEqual([
      {
        code: 'E_BUNDLE',
        file: path.join(dir, 'handlers', 'syntax.ts'),
        line: 2,
        column: 17,
        message: 'cannot bundle the handler: Expected "}" but found ";"',
      },
    ]);
  });

  it('an export the file does not have: E_USAGE naming the ones it has', async () => {
    const error = await rejection(
      bundleHandler({ file: path.join(dir, 'handlers', 'named.ts'), exportName: 'handler' }),
    );
    expect(error.diagnostics[0]?.message).toBe(
      'has no export "handler" to invoke (it exports "other", "processOrders"); name one with named.ts#<export>',
    );
  });

  it('a file outside any project: E_USAGE', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'msk-codegen-no-project-'));
    try {
      await writeFile(path.join(outside, 'h.ts'), 'export const handler = () => 1;\n');
      const error = await rejection(bundleHandler({ file: path.join(outside, 'h.ts'), exportName: 'handler' }));
      expect(error.diagnostics[0]?.message).toContain('is not in a project');
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});

describe('HandlerProcess: the handler run as the Lambda runtime runs it', () => {
  const settings = { functionName: 'orders-consumer', timeoutMs: 5000, memoryMb: 256, env: { MY_SETTING: 'on' } };

  async function once(file: string, event: unknown = {}, overrides: Partial<typeof settings> = {}) {
    const bundled = await bundleHandler({ file: path.join(dir, 'handlers', file), exportName: 'handler' });
    const logs: string[] = [];
    const runner = new HandlerProcess(bundled, { ...settings, ...overrides }, (line, stream) =>
      logs.push(`${stream}: ${line}`),
    );
    try {
      const outcome = await runner.invoke(event, 'req-1');
      return { outcome, logs, alive: runner.alive };
    } finally {
      await runner.close();
    }
  }

  it('an async handler: its response, the context and environment Lambda gives it, its logs', async () => {
    const { outcome, logs } = await once('context.ts', { n: 21 });
    expect(outcome).toMatchObject({
      kind: 'returned',
      response: {
        doubled: 42,
        parsed: { a: 1 },
        calls: 1,
        functionName: 'orders-consumer',
        memory: '256',
        requestId: 'req-1',
        remainingOk: true,
        envName: 'orders-consumer',
        custom: 'on',
      },
    });
    expect(logs).toEqual(['stdout: first line', 'stderr: second line']);
  });

  it('stays warm between invocations: module state survives, as in a reused execution environment', async () => {
    const bundled = await bundleHandler({ file: path.join(dir, 'handlers', 'context.ts'), exportName: 'handler' });
    const runner = new HandlerProcess(bundled, settings, () => {});
    try {
      const first = (await runner.invoke({ n: 1 })) as Extract<InvokeOutcome, { kind: 'returned' }>;
      const second = (await runner.invoke({ n: 2 })) as Extract<InvokeOutcome, { kind: 'returned' }>;
      expect([(first.response as { calls: number }).calls, (second.response as { calls: number }).calls]).toEqual([
        1, 2,
      ]);
      expect((first.response as { requestId: string }).requestId).not.toBe(
        (second.response as { requestId: string }).requestId,
      );
    } finally {
      await runner.close();
    }
  });

  it("the module's import is the init phase: not counted in the timeout, reported once as initMs", async () => {
    const bundled = await bundleHandler({ file: path.join(dir, 'handlers', 'slow-init.ts'), exportName: 'handler' });
    const runner = new HandlerProcess(bundled, { ...settings, timeoutMs: 300 }, () => {});
    try {
      const first = await runner.invoke({});
      expect(first).toMatchObject({ kind: 'returned', response: 'ready' });
      // Its top-level code waits 600 ms, twice the timeout.
      expect(first.initMs).toBeGreaterThanOrEqual(600);
      const second = await runner.invoke({});
      expect(second.kind).toBe('returned');
      expect(second.initMs).toBeUndefined();
    } finally {
      await runner.close();
    }
  });

  it('a callback-style handler: the value passed to its callback', async () => {
    expect((await once('callback.ts', { a: 1 })).outcome).toMatchObject({
      kind: 'returned',
      response: { got: { a: 1 } },
    });
  });

  it('returning nothing: null, as the runtime sends it', async () => {
    expect((await once('nothing.ts')).outcome).toMatchObject({ kind: 'returned', response: null });
  });

  it('a thrown error: its type, message and stack', async () => {
    const { outcome } = await once('throws.ts');
    expect(outcome).toMatchObject({ kind: 'error', errorType: 'TypeError', errorMessage: 'the batch is broken' });
    expect((outcome as Extract<InvokeOutcome, { kind: 'error' }>).stack[0]).toMatch(/^at handler \(.*throws\.ts:2:/);
  });

  it('a response JSON cannot hold: Runtime.MarshalError', async () => {
    expect((await once('bigint.ts')).outcome).toMatchObject({
      kind: 'error',
      errorType: 'Runtime.MarshalError',
      errorMessage: 'Do not know how to serialize a BigInt',
    });
  });

  it('past its timeout: a timeout, and the process is gone (Lambda ends the environment)', async () => {
    const { outcome, alive } = await once('forever.ts', {}, { timeoutMs: 500 });
    expect(outcome.kind).toBe('timeout');
    expect(alive).toBe(false);
  });

  it('past its memory: a crash, recognised as out of memory', async () => {
    const { outcome, alive } = await once('hog.ts', {}, { memoryMb: 64 });
    expect(outcome).toMatchObject({ kind: 'crashed', outOfMemory: true });
    expect(alive).toBe(false);
  });
});
