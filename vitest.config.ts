import { defineConfig } from 'vitest/config';

/**
 * Tests that start a local cloud or run the CLI share one module graph per worker (isolate: false): they
 * load the same emulators and SDK clients, and start everything they need inside the test, so loading
 * those modules once per worker instead of once per file saves minutes of CPU. Unit tests (module mocks,
 * stubbed environment, handlers imported with their environment) stay isolated, file by file.
 */
const LOCAL_CLOUD = ['test/local/**/*.test.ts', 'test/cli/local-cloud.test.ts', 'test/runbooks/**/*.test.ts'];
/** Under test/local, but stubbing process.stdout or the environment: isolated. */
const STUBBING = ['test/local/cloudwatch/alarm-actions-sns.test.ts', 'test/local/cloudwatch/emf.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One test file per core: local-cloud tests are CPU heavy, and a third worker made two suites side by
    // side on 2 cores slow the local cloud past the timeouts it emulates.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'isolated', include: ['test/**/*.test.ts', 'handlers/**/*.test.ts', 'lib/**/*.test.ts', 'local/**/*.test.ts'], exclude: LOCAL_CLOUD },
      },
      { extends: true, test: { name: 'isolated-stubbing', include: STUBBING } },
      // Their browser tests drive Debian's Chromium: the global setup installs it where it is missing.
      { extends: true, test: { name: 'local-cloud', include: LOCAL_CLOUD, exclude: STUBBING, isolate: false, globalSetup: ['test/support/ensure-chromium.ts'] } },
    ],
  },
});
