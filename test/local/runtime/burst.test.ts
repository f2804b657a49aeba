/**
 * A burst of job submissions on a fresh local cloud: every request meets a cold function, so the
 * function's execution environments cold-start together, while the first ones serve the rest. The
 * burst must be answered as AWS answers it: every job accepted, no 5xx. (bench/burst.ts runs the full
 * 1,000 jobs and prints the latencies.) The job queue's event source mapping is disabled: the jobs are
 * accepted, not processed, so the test costs the API side only and leaves the machine to its neighbours.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../local/cloud';
import type { SynthesizedStack } from '../../../local/template/model';
import { synthesizeTemplate } from '../../../local/template/synthesize';

const JOBS = 100;
const IN_FLIGHT = 20;
/** HTTP API's integration timeout: the longest one request can wait for its answer. */
const INTEGRATION_TIMEOUT_MS = 30_000;

let cloud: LocalCloud;

/** The stack with every event source mapping disabled (`Enabled: false`, as a paused mapping in AWS). */
function withoutEventSources(stack: SynthesizedStack): SynthesizedStack {
  const resources = Object.entries(stack.template.Resources).map(([logicalId, resource]) =>
    resource.Type === 'AWS::Lambda::EventSourceMapping' ? [logicalId, { ...resource, Properties: { ...resource.Properties, Enabled: false } }] : [logicalId, resource],
  );
  return { ...stack, template: { ...stack.template, Resources: Object.fromEntries(resources) } };
}

beforeAll(async () => {
  const template = withoutEventSources(await synthesizeTemplate());
  cloud = await startLocalCloud({ template, port: 0, apiPort: 0, downloadPort: 0, stateDirectory: mkdtempSync(join(tmpdir(), 'tidewatch-burst-')) });
});

afterAll(async () => {
  await cloud?.stop();
});

describe('a burst of POST /jobs on a cold local cloud', () => {
  it(
    `accepts all ${JOBS} jobs with ${IN_FLIGHT} in flight, with no 5xx`,
    async () => {
      const submitJob = cloud.services.functions.find((fn) => fn.entry.endsWith(join('submit-job', 'index.ts')))?.name;
      let coldStarts = 0;
      const unsubscribe = cloud.runtime.onInvocation((record) => {
        if (record.functionName === submitJob && record.initDurationMs !== undefined) coldStarts += 1;
      });
      const answers: { status: number; jobId?: string }[] = [];
      let next = 0;
      const lane = async () => {
        while (next < JOBS) {
          const index = next++;
          const response = await fetch(`${cloud.endpoints.api}jobs`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ task: 'sum', payload: { numbers: [index, 1] } }),
          });
          answers.push({ status: response.status, ...((await response.json()) as { jobId?: string }) });
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
      unsubscribe();

      const statuses = answers.reduce<Record<number, number>>((counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});
      expect(statuses).toEqual({ 202: JOBS });
      expect(new Set(answers.map(({ jobId }) => jobId)).size).toBe(JOBS);
      // The burst met a cold function: at least the first request cold-started an environment.
      expect(coldStarts).toBeGreaterThan(0);
    },
    // Each request is answered within the integration timeout, and JOBS / IN_FLIGHT rounds of them run one after another.
    (JOBS / IN_FLIGHT) * INTEGRATION_TIMEOUT_MS + 30_000,
  );
});
