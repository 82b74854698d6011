/** Runs the CLI in-process, as tests do, capturing what it prints. */
import { runCli } from '../generator/cli.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCliCaptured(
  argv: readonly string[],
  options: { cwd: string; env?: Record<string, string>; stdin?: string; signal?: AbortSignal },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    cwd: options.cwd,
    env: options.env ?? {},
    readStdin: async () => options.stdin ?? '',
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { code, stdout, stderr };
}
