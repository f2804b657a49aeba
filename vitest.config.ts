import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Tests that start a local cloud or run the CLI share one module graph per worker (isolate: false): they
 * load the same emulators and SDK clients, and start everything they need inside the test, so loading
 * those modules once per worker instead of once per file saves minutes of CPU. So do the stack, CLI and
 * workflow tests that stub nothing: each loads aws-cdk-lib, the app and the SDK, once per worker instead of
 * once per file. Unit tests of handlers (module mocks, stubbed environment, handlers imported with their
 * environment) and any test that stubs stay isolated, file by file.
 */
const LOCAL_CLOUD = ['test/local/**/*.test.ts', 'test/cli/local-cloud.test.ts', 'test/runbooks/**/*.test.ts'];
/** Under test/local, but stubbing process.stdout or the environment: isolated. */
const STUBBING = ['test/local/cloudwatch/alarm-actions-sns.test.ts', 'test/local/cloudwatch/emf.test.ts'];
const SHARED_UNITS = ['test/*.test.ts', 'test/{alarms,cli,contract,cost,stack,workers,workflows}/**/*.test.ts'];
/** Among those, the ones that set process.env or restore mocks: isolated. */
const SHARED_UNITS_STUBBING = ['test/stack/bundling.test.ts', 'test/alarms/emitted-metrics.test.ts', 'test/workers/completed-run-fence.test.ts'];
const LOCAL_CLOUD_PROJECT = 'local-cloud';
const SHARED_UNITS_PROJECT = 'shared-units';
const ISOLATED_STUBBING_PROJECT = 'isolated-stubbing';

/**
 * The local-cloud project's files (each a cloud started, worked and stopped: the suite's longest) first,
 * then the synth and CLI tests, then the isolated ones that stub (among them the one synth with real
 * bundling), and the short handler tests last, so that the many short files fill in at the end instead
 * of a long one starting last and running alone. Within each project vitest's own order stands: failed
 * first, then slowest first by the last run, or largest first on a fresh clone.
 */
const PROJECTS_FIRST = [LOCAL_CLOUD_PROJECT, SHARED_UNITS_PROJECT, ISOLATED_STUBBING_PROJECT];

class LongestProjectsFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = PROJECTS_FIRST.indexOf(file.project.name);
      return index === -1 ? PROJECTS_FIRST.length : index;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One test file per core: local-cloud tests are CPU heavy, and a third worker made two suites side by
    // side on 2 cores slow the local cloud past the timeouts it emulates.
    maxWorkers: 2,
    sequence: { sequencer: LongestProjectsFirstSequencer },
    projects: [
      {
        extends: true,
        test: { name: 'isolated', include: ['test/**/*.test.ts', 'handlers/**/*.test.ts', 'lib/**/*.test.ts', 'local/**/*.test.ts'], exclude: [...LOCAL_CLOUD, ...SHARED_UNITS] },
      },
      { extends: true, test: { name: ISOLATED_STUBBING_PROJECT, include: [...STUBBING, ...SHARED_UNITS_STUBBING] } },
      { extends: true, test: { name: SHARED_UNITS_PROJECT, include: SHARED_UNITS, exclude: [...SHARED_UNITS_STUBBING, ...LOCAL_CLOUD], isolate: false } },
      // Their browser tests drive Debian's Chromium: the global setup installs it where it is missing.
      { extends: true, test: { name: LOCAL_CLOUD_PROJECT, include: LOCAL_CLOUD, exclude: STUBBING, isolate: false, globalSetup: ['test/support/ensure-chromium.ts'] } },
    ],
  },
});
