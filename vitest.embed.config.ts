import { defineConfig } from 'vitest/config';

/** `npm run test:embed`: the example host (examples/embed) on the packed package, in Chromium. */
export default defineConfig({
  test: {
    include: ['test/embed.test.ts'],
    testTimeout: 60_000,
    // Packing (a build) and installing the tarball with its dependencies from the registry.
    hookTimeout: 180_000,
  },
});
