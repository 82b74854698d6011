import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Type-checking and end-to-end CLI tests start TypeScript and child processes.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
