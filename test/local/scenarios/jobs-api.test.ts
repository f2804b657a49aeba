/**
 * POST /jobs and GET /jobs/{id} on the local cloud, over HTTP as a client calls them, on one cloud for the
 * whole file. Retries come back at once (a 0 s backoff base): the retry path is the same, without its waits.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GetQueueAttributesCommand, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, queueDepth, startScenarioCloud, waitForStatus, type ScenarioCloud } from './scenario-cloud';

let scenario: ScenarioCloud;

beforeAll(async () => {
  scenario = await startScenarioCloud({ context: { tidewatch: { retryBackoffBaseSeconds: 0 } } });
});
afterAll(() => scenario?.stop());

async function submit(job: Record<string, unknown>): Promise<string> {
  const { status, body } = await callApi(scenario, 'POST', 'jobs', job);
  expect(status, JSON.stringify(body)).toBe(202);
  return String(body.jobId);
}

async function queueArn(queueUrl: string): Promise<string> {
  const { Attributes } = await scenario.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return String(Attributes?.QueueArn);
}

describe('a job that fails until a fix ("failUntil")', () => {
  it('fails every attempt transiently before its time and is dead-lettered; redriven after it, it is PROCESSED', async () => {
    // The failUntil window must outlast three attempts on this machine, however loaded: it is derived from
    // how long a plain job takes here end to end once both functions are warm, plus two long polls of the
    // pollers (2 s each) a retry may wait out.
    await waitForStatus(scenario, await submit({ task: 'echo', payload: { warmUp: true } }), ['PROCESSED'], 60_000);
    const measured = Date.now();
    await waitForStatus(scenario, await submit({ task: 'echo', payload: { measured: true } }), ['PROCESSED'], 60_000);
    const jobMs = Date.now() - measured;
    const failUntil = new Date(Date.now() + 6_000 + 6 * jobMs).toISOString();

    const jobId = await submit({ task: 'sum', payload: { numbers: [1, 2, 3] }, failUntil });

    const failed = await waitForStatus(scenario, jobId, ['FAILED', 'PROCESSED'], Date.parse(failUntil) - Date.now() + 20_000);
    expect(failed).toMatchObject({
      status: 'FAILED',
      attempts: 3,
      failUntil,
      lastError: { class: 'RequestedFailureError', permanent: false, message: expect.stringContaining(`the job fails until ${failUntil} ("failUntil")`) },
    });
    const dlq = scenario.outputs.JobsDeadLetterQueueUrl;
    await expect.poll(() => queueDepth(scenario, dlq), { timeout: 20_000, interval: 100 }).toEqual({ visible: 1, inFlight: 0 });

    // The fix is time itself: wait for the instant the job names, not a guess.
    await sleep(Math.max(0, Date.parse(failUntil) - Date.now()));
    await scenario.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: await queueArn(dlq) }));

    const processed = await waitForStatus(scenario, jobId, ['PROCESSED'], 20_000);
    expect(processed).toMatchObject({ status: 'PROCESSED', attempts: 1 });
    const { status, body } = await callApi(scenario, 'GET', `jobs/${jobId}`);
    expect([status, body.result]).toEqual([200, { count: 3, sum: 6, mean: 2, min: 1, max: 3 }]);
    expect(await queueDepth(scenario, dlq)).toEqual({ visible: 0, inFlight: 0 });
    // Its duration follows the machine's pace (the window above): seconds alone, minutes on a loaded machine.
  }, 300_000);
});
