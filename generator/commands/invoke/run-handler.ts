/**
 * Runs a bundled handler (bundle.ts) the way the Lambda Node.js runtime calls it, in a child
 * process of its own: a fresh `node`, the old-generation heap capped at the function's memory,
 * the environment variables Lambda sets, a context object with the runtime's fields and
 * `getRemainingTimeInMillis()`, async handlers and callback-style ones (three parameters), and
 * the response turned into JSON as the runtime does (`undefined` is `null`; a value
 * JSON.stringify cannot take is an error). The child stays up between invocations, as a warm
 * execution environment does, until `close()`.
 *
 * What the handler logs reaches `onLog` line by line as it happens. The outcome of each
 * invocation is one of: the response, the error the handler threw (or passed to its callback,
 * or left unhandled), a timeout (the child is killed, as Lambda ends the environment), or a
 * crash (the process died: out of memory, or exited).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';

export interface LambdaSettings {
  readonly functionName: string;
  /** The function's timeout (Lambda's default is 3 s; a Kafka event source mapping allows at most 14 minutes). */
  readonly timeoutMs: number;
  /** The function's memory, MB: the child's old-generation heap is capped at it. */
  readonly memoryMb: number;
  /** Environment variables of the function (an --env-file's), on top of the ones Lambda sets. */
  readonly env?: Readonly<Record<string, string>>;
  readonly region?: string;
}

export type InvokeOutcome =
  | { readonly kind: 'returned'; readonly response: unknown; readonly durationMs: number; readonly initMs?: number }
  | {
      readonly kind: 'error';
      /** As the runtime reports it: the error's name (`TypeError`), or `Runtime.MarshalError`, `Runtime.UnhandledPromiseRejection`. */
      readonly errorType: string;
      readonly errorMessage: string;
      readonly stack: readonly string[];
      readonly durationMs: number;
      readonly initMs?: number;
    }
  | { readonly kind: 'timeout'; readonly durationMs: number; readonly initMs?: number }
  | {
      readonly kind: 'crashed';
      readonly outOfMemory: boolean;
      readonly exitCode: number | null;
      readonly signal: string | null;
      readonly durationMs: number;
      readonly initMs?: number;
    };

export interface InvocationRequest {
  readonly requestId: string;
  readonly event: unknown;
}

interface ChildRequest {
  readonly bundle: string;
  readonly exportName: string;
  readonly requestId: string;
  readonly event: unknown;
  readonly deadline: number;
  readonly functionName: string;
  readonly memoryMb: number;
  readonly region: string;
}

type ChildReply =
  | { readonly requestId: string; readonly ok: true; readonly response: string }
  | {
      readonly requestId: string;
      readonly ok: false;
      readonly errorType: string;
      readonly errorMessage: string;
      readonly stack: readonly string[];
    };

/**
 * The child's program. It runs as the source text of this function (`node -e`), so it works
 * the same from dist/ and from the TypeScript sources: it may use nothing from this module.
 */
function childMain(): void {
  // `import()` written as text: a tool that transforms this module (vitest's) would rewrite the syntax.
  const load = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;
  const send = (reply: unknown) => (process as unknown as { send: (m: unknown) => void }).send(reply);
  let current: string | undefined;
  const fail = (errorType: string, error: unknown) => {
    const e = error instanceof Error ? error : new Error(String(error));
    if (current === undefined) return;
    send({
      requestId: current,
      ok: false,
      errorType,
      errorMessage: e.message,
      stack: (e.stack ?? '')
        .split('\n')
        .slice(1)
        .map((line) => line.trim()),
    });
    current = undefined;
  };
  process.on('uncaughtException', (error) => fail((error as Error)?.name || 'Error', error));
  process.on('unhandledRejection', (reason) => fail('Runtime.UnhandledPromiseRejection', reason));
  process.on('message', async (message: unknown) => {
    const request = message as {
      bundle: string;
      exportName: string;
      requestId: string;
      event: unknown;
      deadline: number;
      functionName: string;
      memoryMb: number;
      region: string;
    };
    current = request.requestId;
    const { pathToFileURL } = (await load('node:url')) as typeof import('node:url');
    let handler: unknown;
    try {
      // Imported once (the init phase, which `init` messages run before the first invocation).
      handler = ((await load(pathToFileURL(request.bundle).href)) as Record<string, unknown>)[request.exportName];
      if (typeof handler !== 'function')
        throw new TypeError(`${request.exportName} is not a function but ${typeof handler}`);
    } catch (error) {
      fail('Runtime.ImportModuleError', error);
      return;
    }
    if ((message as { init?: boolean }).init === true) {
      send({ requestId: request.requestId, ok: true, response: 'null' });
      current = undefined;
      return;
    }
    const context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: request.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${request.region}:123456789012:function:${request.functionName}`,
      memoryLimitInMB: String(request.memoryMb),
      awsRequestId: request.requestId,
      logGroupName: `/aws/lambda/${request.functionName}`,
      logStreamName: `msk-codegen/[$LATEST]${request.requestId.replace(/-/g, '')}`,
      getRemainingTimeInMillis: () => Math.max(0, request.deadline - Date.now()),
      done: () => {},
      fail: () => {},
      succeed: () => {},
    };
    try {
      const fn = handler as (...args: unknown[]) => unknown;
      const result =
        fn.length >= 3
          ? await new Promise((resolve, reject) => {
              const returned = fn(request.event, context, (error: unknown, value: unknown) =>
                error ? reject(error) : resolve(value),
              );
              // A callback-style handler that returns a promise is an async one after all.
              if (returned instanceof Promise) returned.then(resolve, reject);
            })
          : await fn(request.event, context);
      let response: string;
      try {
        response = JSON.stringify(result === undefined ? null : result);
        if (response === undefined) response = 'null';
      } catch (error) {
        fail('Runtime.MarshalError', error);
        return;
      }
      send({ requestId: request.requestId, ok: true, response });
      current = undefined;
    } catch (error) {
      fail(error instanceof Error ? error.name : 'Error', error);
    }
  });
}

/** Lambda's limit on a function's init phase (importing the module, its top-level code). */
const INIT_TIMEOUT_MS = 10_000;

/** A process that runs one bundled handler, invocation after invocation. */
export class HandlerProcess {
  readonly #child: ChildProcess;
  readonly #settings: LambdaSettings;
  readonly #bundle: string;
  readonly #exportName: string;
  #exit: Promise<{ code: number | null; signal: string | null }>;
  #stderrTail: string[] = [];
  #closed = false;
  /** The init phase's duration, once it ran (the module imported before the first invocation, as Lambda's Init Duration). */
  #initMs: number | undefined;

  constructor(
    bundled: { readonly bundle: string; readonly exportName: string },
    settings: LambdaSettings,
    onLog: (line: string, stream: 'stdout' | 'stderr') => void,
  ) {
    this.#settings = settings;
    this.#bundle = bundled.bundle;
    this.#exportName = bundled.exportName;
    const region = settings.region ?? 'us-east-1';
    this.#child = spawn(
      process.execPath,
      [
        `--max-old-space-size=${settings.memoryMb}`,
        '--enable-source-maps',
        '--input-type=module',
        '-e',
        `(${childMain.toString()})();`,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        env: {
          ...process.env,
          AWS_LAMBDA_FUNCTION_NAME: settings.functionName,
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(settings.memoryMb),
          AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
          AWS_REGION: region,
          AWS_DEFAULT_REGION: region,
          AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${process.versions.node.split('.')[0]}.x`,
          TZ: ':UTC',
          ...settings.env,
        },
      },
    );
    for (const stream of ['stdout', 'stderr'] as const) {
      const lines = createInterface({ input: this.#child[stream] as NodeJS.ReadableStream });
      lines.on('line', (line) => {
        if (stream === 'stderr') this.#stderrTail = [...this.#stderrTail.slice(-19), line];
        onLog(line, stream);
      });
    }
    this.#exit = new Promise((resolve) =>
      this.#child.on('exit', (code, signal) => {
        this.#closed = true;
        resolve({ code, signal });
      }),
    );
  }

  /** Whether the process is still there for another invocation (not killed by a timeout, not crashed). */
  get alive(): boolean {
    return !this.#closed;
  }

  async invoke(event: unknown, requestId: string = randomUUID()): Promise<InvokeOutcome> {
    if (this.#closed) throw new Error('the handler process has ended');
    let initMs: number | undefined;
    if (this.#initMs === undefined) {
      // The init phase (Lambda's own limit: 10 s), not counted in the invocation's timeout.
      const init = await this.#send(randomUUID(), null, INIT_TIMEOUT_MS, true);
      if (init.kind !== 'returned') return init;
      this.#initMs = initMs = init.durationMs;
    }
    const outcome = await this.#send(requestId, event, this.#settings.timeoutMs, false);
    return initMs === undefined ? outcome : { ...outcome, initMs };
  }

  #send(requestId: string, event: unknown, timeoutMs: number, init: boolean): Promise<InvokeOutcome> {
    const started = performance.now();
    const durationMs = () => Math.round((performance.now() - started) * 10) / 10;
    const request: ChildRequest & { readonly init: boolean } = {
      init,
      bundle: this.#bundle,
      exportName: this.#exportName,
      requestId,
      event,
      deadline: Date.now() + timeoutMs,
      functionName: this.#settings.functionName,
      memoryMb: this.#settings.memoryMb,
      region: this.#settings.region ?? 'us-east-1',
    };
    return new Promise<InvokeOutcome>((resolve) => {
      let settled = false;
      const settle = (outcome: InvokeOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#child.off('message', onMessage);
        resolve(outcome);
      };
      const onMessage = (message: unknown) => {
        const reply = message as ChildReply;
        if (reply.requestId !== requestId) return;
        settle(
          reply.ok
            ? { kind: 'returned', response: JSON.parse(reply.response) as unknown, durationMs: durationMs() }
            : {
                kind: 'error',
                errorType: reply.errorType,
                errorMessage: reply.errorMessage,
                stack: reply.stack,
                durationMs: durationMs(),
              },
        );
      };
      const timer = setTimeout(() => {
        this.#closed = true;
        this.#child.kill('SIGKILL');
        settle({ kind: 'timeout', durationMs: durationMs() });
      }, timeoutMs);
      this.#child.on('message', onMessage);
      void this.#exit.then(({ code, signal }) => {
        const outOfMemory = this.#stderrTail.some((line) => /heap out of memory|Allocation failed/i.test(line));
        settle({ kind: 'crashed', outOfMemory, exitCode: code, signal, durationMs: durationMs() });
      });
      this.#child.send(request);
    });
  }

  /** Ends the process (what Lambda does to an idle environment). */
  async close(): Promise<void> {
    if (!this.#closed) this.#child.kill('SIGKILL');
    await this.#exit;
  }
}
