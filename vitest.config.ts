import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Packs the package and installs it into the example host: its own run, `npm run test:embed`.
    exclude: ['test/embed.test.ts', '**/node_modules/**'],
    globalSetup: ['test/globalSetup.ts'],
    // Every integration file starts its own redis-server; two cores are all CI has.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
