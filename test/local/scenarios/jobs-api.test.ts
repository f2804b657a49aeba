/**
 * POST /jobs and GET /jobs/{id} on the local cloud, over HTTP as a client calls them, on one cloud for the
 * whole file. Retries come back at once (a 0 s backoff base): the retry path is the same, without its waits.
 * Bodies may be as large as the configuration allows (256 KiB), so the DynamoDB and SQS limits can be reached.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GetQueueAttributesCommand, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, queueDepth, startScenarioCloud, waitForStatus, type ScenarioCloud } from './scenario-cloud';

let scenario: ScenarioCloud;

/** Long enough for a job on a machine running two suites side by side. */
const JOB_DEADLINE_MS = 60_000;

beforeAll(async () => {
  scenario = await startScenarioCloud({ context: { tidewatch: { retryBackoffBaseSeconds: 0, maxJobBodyBytes: 256 * 1024 } } });
  // Both functions warm, so no test's deadline pays for their cold starts.
  await waitForStatus(scenario, await submit({ task: 'echo', payload: { warmUp: true } }), ['PROCESSED'], JOB_DEADLINE_MS);
});
afterAll(() => scenario?.stop());

async function submit(job: Record<string, unknown>): Promise<string> {
  const { status, body } = await callApi(scenario, 'POST', 'jobs', job);
  expect(status, JSON.stringify(body)).toBe(202);
  return String(body.jobId);
}

/** POST /jobs with a body written by hand: JSON.stringify cannot write `1e400`. */
async function postJobText(text: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL('jobs', scenario.cloud.endpoints.api), { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function jobStatus(jobId: string): Promise<Record<string, unknown>> {
  const { status, body } = await callApi(scenario, 'GET', `jobs/${jobId}`);
  expect(status).toBe(200);
  return body;
}

async function queueArn(queueUrl: string): Promise<string> {
  const { Attributes } = await scenario.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return String(Attributes?.QueueArn);
}

describe('a job that fails until a fix ("failUntil")', () => {
  it('fails every attempt transiently before its time and is dead-lettered; redriven after it, it is PROCESSED', async () => {
    // The failUntil window must outlast three attempts on this machine, however loaded: it is derived from
    // how long a plain job takes here end to end (both functions are warm), plus two long polls of the
    // pollers (2 s each) a retry may wait out.
    const measured = Date.now();
    await waitForStatus(scenario, await submit({ task: 'echo', payload: { measured: true } }), ['PROCESSED'], JOB_DEADLINE_MS);
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
    await expect.poll(() => queueDepth(scenario, dlq), { timeout: JOB_DEADLINE_MS, interval: 100 }).toEqual({ visible: 1, inFlight: 0 });

    // The fix is time itself: wait for the instant the job names, not a guess.
    await sleep(Math.max(0, Date.parse(failUntil) - Date.now()));
    await scenario.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: await queueArn(dlq) }));

    const processed = await waitForStatus(scenario, jobId, ['PROCESSED'], JOB_DEADLINE_MS);
    expect(processed).toMatchObject({ status: 'PROCESSED', attempts: 1 });
    const { status, body } = await callApi(scenario, 'GET', `jobs/${jobId}`);
    expect([status, body.result]).toEqual([200, { count: 3, sum: 6, mean: 2, min: 1, max: 3 }]);
    expect(await queueDepth(scenario, dlq)).toEqual({ visible: 0, inFlight: 0 });
    // Its duration follows the machine's pace (the window above): seconds alone, minutes on a loaded machine.
  }, 300_000);
});

describe('numbers and sizes beyond what DynamoDB and SQS hold as they are', { timeout: 2 * JOB_DEADLINE_MS }, () => {
  it.each([
    ['an integer above 2^53 that a double rounds', '9007199254740993', /^payload\.numbers\.1: 9007199254740993 /],
    ['a number beyond the largest double', '1e400', /^payload\.numbers\.1: 1e400 /],
    ['a number below the smallest double', '1e-400', /^payload\.numbers\.1: 1e-400 /],
    ['more digits than a double keeps', '0.10000000000000000001', /^payload\.numbers\.1: 0\.10000000000000000001 /],
  ])('answers 400 naming the field for %s: it could not be kept exactly', async (_case, literal, message) => {
    const { status, body } = await postJobText(`{"task":"sum","payload":{"numbers":[1,${literal}]}}`);

    expect(status).toBe(400);
    expect(body).toEqual({ error: 'InexactNumber', message: expect.stringMatching(message) });
  });

  it('keeps and answers exactly every number a double holds, however large or small', async () => {
    const payload = { maxSafe: 9007199254740991, twoTo53: 9007199254740992, huge: 1e300, largest: 1.7976931348623157e308, tiny: 5e-324, negative: -0.1, nested: [{ deep: 123456789.12345678 }] };
    const jobId = await submit({ task: 'echo', payload });

    await waitForStatus(scenario, jobId, ['PROCESSED', 'FAILED'], JOB_DEADLINE_MS);
    expect(await jobStatus(jobId)).toMatchObject({ status: 'PROCESSED', attempts: 1, payload, result: payload });
  });

  it('records a sum above 2^53 PROCESSED on its first attempt, with its result exactly', async () => {
    const jobId = await submit({ task: 'sum', payload: { numbers: [2 ** 53, 2 ** 53] } });

    await waitForStatus(scenario, jobId, ['PROCESSED', 'FAILED'], JOB_DEADLINE_MS);
    expect(await jobStatus(jobId)).toMatchObject({ status: 'PROCESSED', attempts: 1, result: { count: 2, sum: 2 ** 54, mean: 2 ** 53, min: 2 ** 53, max: 2 ** 53 } });
  });

  it('fails a job whose result would not fit the 400 KB status item permanently, once, naming the limit, and dead-letters nothing', async () => {
    const jobId = await submit({ task: 'echo', payload: { text: 'x'.repeat(210_000) } });

    await waitForStatus(scenario, jobId, ['PROCESSED', 'FAILED'], JOB_DEADLINE_MS);
    expect(await jobStatus(jobId)).toMatchObject({ status: 'FAILED', attempts: 1, lastError: { permanent: true, message: expect.stringContaining('400 KB') } });
    expect(await queueDepth(scenario, scenario.outputs.JobsDeadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  });

  it("answers 400 naming DynamoDB's 400 KB item limit for a job whose status item would exceed it", async () => {
    // 52,000 × `1e20` is 260 KB of request, but 1.1 MB as stored: every one is written out as 100000000000000000000.
    const { status, body } = await postJobText(`{"task":"echo","payload":{"n":[${Array(52_000).fill('1e20').join(',')}]}}`);

    expect(status).toBe(400);
    expect(body).toEqual({ error: 'JobTooLarge', message: expect.stringMatching(/DynamoDB's 400 KB item limit/) });
  });

  it("answers 400 naming SQS's 256 KiB message limit for a job whose message would exceed it", async () => {
    const { status, body } = await postJobText(`{"task":"echo","payload":{"n":[${Array(14_000).fill('1e20').join(',')}]}}`);

    expect(status).toBe(400);
    expect(body).toEqual({ error: 'JobTooLarge', message: expect.stringMatching(/SQS's 256 KiB message limit/) });
  });
});

describe('text of every kind', { timeout: 2 * JOB_DEADLINE_MS }, () => {
  it('is queued, processed and answered exactly, the characters SQS refuses in a message included', async () => {
    const text = "l'été, 日本語 🚀 👍🏽 𠀋 \ufffe\uffff \u0000 \u2028 a\ud800b";
    const jobId = await submit({ task: 'word-count', payload: { text } });

    await waitForStatus(scenario, jobId, ['PROCESSED', 'FAILED'], JOB_DEADLINE_MS);
    expect(await jobStatus(jobId)).toMatchObject({ status: 'PROCESSED', payload: { text }, result: { words: expect.any(Number), lines: 1 } });
  });
});
