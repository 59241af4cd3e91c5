import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { root: import.meta.dirname, include: ['assert-cost.test.ts'], pool: 'threads', testTimeout: 600_000 },
});
