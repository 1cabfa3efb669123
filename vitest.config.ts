import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Packs the package and installs it into the example host: its own run, `npm run test:embed`. Redis failovers
    // under load (test/faults): their own run, `npm run test:faults`.
    exclude: ['test/embed.test.ts', 'test/faults/**', '**/node_modules/**'],
    globalSetup: ['test/globalSetup.ts'],
    // Every integration file starts its own redis-server; two cores are all CI has.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
