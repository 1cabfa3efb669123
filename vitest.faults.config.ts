import { defineConfig } from 'vitest/config';

/** `npm run test:faults`: Redis Cluster and Sentinel failovers under load (test/faults), a few minutes at most. */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    // Each file starts its own Redis processes and kills some: one at a time keeps them apart on two cores.
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
