import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Test files open their own databases; two workers match the machine's two cores.
    pool: 'forks',
    maxWorkers: 2,
  },
});
