import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Only this folder's files: leakrun's own `*.test.ts` suites elsewhere are not Vitest's.
    root: import.meta.dirname,
    include: ['*.test.ts'],
    // A leak check samples the heap after each of its runs: seconds, not milliseconds.
    testTimeout: 120_000,
  },
});
