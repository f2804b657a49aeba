import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'handlers/**/*.test.ts', 'lib/**/*.test.ts', 'local/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Stack synths and local-cloud tests are CPU heavy; CI has 2 cores.
    maxWorkers: 2,
  },
});
