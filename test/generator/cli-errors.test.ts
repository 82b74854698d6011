/**
 * How the CLI reports what is not bad input: an internal error is a message and a request
 * to report it (the stack only with MSK_CODEGEN_DEBUG=1); a write that left files changed
 * does not claim "nothing was written"; a broken standard output is dropped silently.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { runCli, writerTo } from '../../generator/cli.js';
import { OutputWriteError } from '../../generator/output/folder.js';
import { tempDir } from '../helpers.js';
import { runCliCaptured } from '../run-cli.js';

const failure = vi.hoisted(() => ({ generate: undefined as Error | undefined, write: undefined as Error | undefined }));

vi.mock('../../generator/index.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../generator/index.js')>();
  return {
    ...actual,
    generate: async (...args: Parameters<typeof actual.generate>) => {
      if (failure.generate) throw failure.generate;
      return actual.generate(...args);
    },
    writeGeneratedFiles: async (...args: Parameters<typeof actual.writeGeneratedFiles>) => {
      if (failure.write) throw failure.write;
      return actual.writeGeneratedFiles(...args);
    },
  };
});

function bug(): Error {
  const error = new TypeError("Cannot read properties of undefined (reading 'definitions')");
  error.stack = `${error.name}: ${error.message}\n    at buildModel (generator/model.ts:10:5)`;
  return error;
}

describe('an internal error', () => {
  it('is one message and a request to report it, without a stack trace', async () => {
    failure.generate = bug();
    try {
      const result = await runCliCaptured(['generate'], { cwd: await tempDir() });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        "msk-codegen: internal error: Cannot read properties of undefined (reading 'definitions')\n" +
          'This is a bug in msk-codegen, not in your input: please report it with the command you ran (set MSK_CODEGEN_DEBUG=1 to include the stack trace).\n',
      );
    } finally {
      failure.generate = undefined;
    }
  });

  it('shows the stack with MSK_CODEGEN_DEBUG=1', async () => {
    failure.generate = bug();
    try {
      const result = await runCliCaptured(['generate'], { cwd: await tempDir(), env: { MSK_CODEGEN_DEBUG: '1' } });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('msk-codegen: internal error: Cannot read properties');
      expect(result.stderr).toContain('    at buildModel (generator/model.ts:10:5)');
    } finally {
      failure.generate = undefined;
    }
  });
});

describe('the line after a failed write', () => {
  it.each([
    { changed: [], says: 'msk-codegen: nothing was written.\n' },
    {
      changed: ['/p/generated/index.ts', '/p/generated/parse.ts'],
      says: 'msk-codegen: 2 file(s) were left changed (see above).\n',
    },
  ])('with $changed.length file(s) left changed: $says', async ({ changed, says }) => {
    failure.write = new OutputWriteError(
      [{ code: 'E_WRITE_FAILED', file: '/p/generated/types.ts', message: 'cannot replace types.ts: EIO' }],
      changed,
    );
    try {
      const result = await runCliCaptured(['generate'], { cwd: await tempDir() });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`/p/generated/types.ts: error E_WRITE_FAILED: cannot replace types.ts: EIO\n${says}`);
    } finally {
      failure.write = undefined;
    }
  });
});

describe('writerTo (standard output and error)', () => {
  it('drops everything after the stream fails (EPIPE), without throwing', () => {
    const written: string[] = [];
    const stream = Object.assign(new EventEmitter(), {
      write: (text: string) => written.push(text),
    }) as unknown as NodeJS.WritableStream;
    const write = writerTo(stream);
    write('one\n');
    stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })); // would crash with no listener
    write('two\n');
    expect(written).toEqual(['one\n']);
  });

  it('is what the CLI writes through by default', async () => {
    // runCli with the default io: the help goes to process.stdout through writerTo.
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await runCli(['--version'])).toBe(0);
      expect(spy).toHaveBeenCalledWith('0.1.0\n');
    } finally {
      spy.mockRestore();
    }
  });
});
