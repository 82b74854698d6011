/**
 * Named pipes for the tests of inputs that must be refused without being opened.
 * Opening a pipe for reading blocks until a writer comes, so code that wrongly opens
 * one would hang the test run instead of failing: `unblockReaders` starts a writer
 * that lets such a reader go on (with an empty file), so a regression fails its
 * assertions. Every pipe and writer is removed with the test's temporary directory.
 */
import { execFileSync, spawn } from 'node:child_process';
import { afterEach } from 'vitest';

export const CAN_MKFIFO = process.platform !== 'win32';

const writers: (() => void)[] = [];

afterEach(() => {
  for (const stop of writers.splice(0)) stop();
});

/** Creates a named pipe at `file` (mkfifo), with a writer that unblocks any reader that opens it (see unblockReaders). */
export function makeFifo(file: string): string {
  execFileSync('mkfifo', [file]);
  unblockReaders(file);
  return file;
}

/**
 * For up to `ms`, a separate process opens `fifo` for writing whenever a reader has it
 * open (a non-blocking open fails with ENXIO while there is none), then closes it: the
 * reader sees end of file instead of waiting forever. Stopped after the test.
 */
export function unblockReaders(fifo: string, ms = 20_000): void {
  const script = `
const fs = require('node:fs');
const deadline = Date.now() + ${ms};
const pause = new Int32Array(new SharedArrayBuffer(4));
while (Date.now() < deadline) {
  try {
    fs.closeSync(fs.openSync(process.argv[1], fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
  } catch (error) {
    if (error.code !== 'ENXIO') process.exit(0);
  }
  Atomics.wait(pause, 0, 0, 20);
}`;
  const child = spawn(process.execPath, ['-e', script, fifo], { stdio: 'ignore' });
  writers.push(() => child.kill());
}
