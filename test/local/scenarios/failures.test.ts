/**
 * Failure scenarios on the local cloud, each on a cloud of its own: the dead-letter demo (`{"fail": true}`)
 * and a worker that exceeds its timeout. To keep them fast:
 * - a 1 s backoff base instead of 10 s: the retries of a poison job wait 1 s and 2 s, not 10 s and 20 s;
 * - for the timeout scenario only, a 1 s jobs worker timeout, so the jobs queue's visibility timeout (6 ×
 *   the worker's) is 6 s: the message of a timed-out invocation is received again within seconds instead
 *   of 3 minutes. Its jobs worker's entry is the real worker behind a fault injector
 *   (fixtures/stalling-job-worker.ts). The DLQ demo keeps the real timeout: on a busy machine a 1 s
 *   timeout would end its attempts before they could record their failures.
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InvocationRecord } from '../../../local/runtime';
import type { SynthesizedStack } from '../../../local/template/model';
import { awsCli } from './aws-cli';
import { STALL_FLAG } from './fixtures/stall-flag';
import { callApi, PROJECT_ROOT, queueDepth, startScenarioCloud, statusItem, waitForStatus, type ScenarioCloud } from './scenario-cloud';

const JOB_WORKER_ENTRY = 'handlers/job-worker/index.ts';
const STALLING_ENTRY = path.relative(PROJECT_ROOT, path.join(import.meta.dirname, 'fixtures', 'stalling-job-worker.ts'));

/** The template with the jobs worker run from the fault-injecting wrapper (same function, environment, timeout, triggers). */
function withStallingJobWorker(stack: SynthesizedStack): SynthesizedStack {
  const workers = Object.values(stack.template.Resources).filter((resource) => resource.Metadata?.['Tidewatch:Entry'] === JOB_WORKER_ENTRY);
  if (workers.length !== 1) throw new Error(`expected one function with entry ${JOB_WORKER_ENTRY}, found ${workers.length}`);
  (workers[0].Metadata as Record<string, unknown>)['Tidewatch:Entry'] = STALLING_ENTRY;
  return stack;
}

let scenario: ScenarioCloud;
let aws: ReturnType<typeof awsCli>;
const invocations: InvocationRecord[] = [];

/** Starts this describe block's cloud (one at a time: the blocks run in order) and stops it after. */
function withCloud(options: Parameters<typeof startScenarioCloud>[0]): void {
  beforeAll(async () => {
    scenario = await startScenarioCloud(options);
    scenario.cloud.runtime.onInvocation((record) => invocations.push(record));
    aws = awsCli(scenario.cloud.endpoints.aws);
  });
  afterAll(() => scenario?.stop());
}

async function submit(job: Record<string, unknown>): Promise<string> {
  const { status, body } = await callApi(scenario, 'POST', 'jobs', job);
  expect(status).toBe(202);
  return String(body.jobId);
}

/** The jobs worker's JSON log lines about one job. */
function jobLogs(jobId: string): Record<string, unknown>[] {
  const worker = scenario.cloud.services.functions.find((fn) => fn.entry.endsWith(STALLING_ENTRY) || fn.entry.endsWith(JOB_WORKER_ENTRY));
  return scenario.lines
    .filter(({ functionName, line }) => functionName === worker?.name && line.startsWith('{') && line.includes(jobId))
    .map(({ line }) => JSON.parse(line) as Record<string, unknown>);
}

/** Receives the DLQ message of `jobId`, if it is there now. */
async function deadLetterOf(jobId: string): Promise<{ body: Record<string, unknown>; receiptHandle: string } | undefined> {
  const { Messages = [] } = await scenario.sqs.send(new ReceiveMessageCommand({ QueueUrl: scenario.outputs.JobsDeadLetterQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
  const message = Messages.find((candidate) => (JSON.parse(candidate.Body ?? '{}') as { jobId?: string }).jobId === jobId);
  return message && { body: JSON.parse(message.Body ?? '{}') as Record<string, unknown>, receiptHandle: message.ReceiptHandle ?? '' };
}

describe('jobs that fail', () => {
  withCloud({ context: { tidewatch: { retryBackoffBaseSeconds: 1 } } });

  it('{"fail": true}: three receives, FAILED with its reason and attempts 3, then the message is in the jobs DLQ', async () => {
    const jobId = await submit({ task: 'echo', payload: { demo: 'dlq' }, fail: true });

    const failed = await waitForStatus(scenario, jobId, ['FAILED', 'PROCESSED'], 30_000);
    expect(failed).toMatchObject({
      status: 'FAILED',
      attempts: 3,
      lastError: { class: 'RequestedFailureError', message: expect.stringContaining('fails on every attempt'), permanent: false },
    });
    // Log lines and metrics follow the status write: polled, not assumed to be there already.
    const attempts = () =>
      jobLogs(jobId)
        .filter((log) => log.message === 'record failed: transient, retrying after backoff' || log.message === 'record failed on its final attempt: moving to the dead-letter queue')
        .map((log) => [log.attempt, log.retryInSeconds]);
    await expect.poll(attempts, { timeout: 5_000, interval: 50 }).toEqual([
      [1, 1],
      [2, 2],
      [3, undefined],
    ]);
    // The paging signal of the final attempt: a high-resolution DeadLettered metric in the worker's EMF output.
    const deadLettered = () => scenario.lines.some(({ line }) => line.startsWith('{"_aws":') && line.includes('"DeadLettered"') && line.includes('"StorageResolution":1'));
    await expect.poll(deadLettered, { timeout: 5_000, interval: 50 }).toBe(true);

    // Seed 003's verification, with the CLI: the DLQ holds the job's message, the status table says why.
    const dlq = scenario.outputs.JobsDeadLetterQueueUrl;
    await expect.poll(() => queueDepth(scenario, dlq), { timeout: 20_000, interval: 200 }).toEqual({ visible: 1, inFlight: 0 });
    const received = JSON.parse(await aws('sqs', 'receive-message', '--queue-url', dlq, '--attribute-names', 'All'));
    expect(received.Messages).toHaveLength(1);
    expect(JSON.parse(received.Messages[0].Body)).toMatchObject({ jobId, task: 'echo', fail: true });
    const { Item } = JSON.parse(await aws('dynamodb', 'get-item', '--table-name', scenario.outputs.StatusTableName, '--key', JSON.stringify({ id: { S: jobId } })));
    expect(Item).toMatchObject({ status: { S: 'FAILED' }, attempts: { N: '3' } });
    await aws('sqs', 'delete-message', '--queue-url', dlq, '--receipt-handle', received.Messages[0].ReceiptHandle);
    expect(await queueDepth(scenario, dlq)).toEqual({ visible: 0, inFlight: 0 });
  });
});

describe('a worker that exceeds its timeout', () => {
  withCloud({ context: { tidewatch: { retryBackoffBaseSeconds: 1, workQueues: { jobs: { workerTimeoutSeconds: 1 } } } }, patchTemplate: withStallingJobWorker });

  it('is ended at its timeout; its message comes back after the visibility timeout and ends PROCESSED or in the DLQ, never lost', async () => {
    const { Attributes } = JSON.parse(await aws('sqs', 'get-queue-attributes', '--queue-url', scenario.outputs.JobsQueueUrl, '--attribute-names', 'VisibilityTimeout'));
    const visibilityTimeoutMs = Number(Attributes.VisibilityTimeout) * 1000;
    expect(visibilityTimeoutMs).toBe(6_000);
    const jobId = await submit({ task: 'echo', payload: { [STALL_FLAG]: true, nonce: randomUUID() } });

    const timedOut = await vi.waitFor(
      () => {
        const record = invocations.find((invocation) => invocation.error?.timedOut);
        if (!record) throw new Error('no timed-out invocation yet');
        return record;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(timedOut.error?.message).toMatch(/Sandbox\.Timedout: Task timed out after 1\.00 seconds/);

    const outcome = await vi.waitFor(
      async () => {
        const item = await statusItem(scenario, jobId);
        if (item?.status === 'PROCESSED') return { item };
        const deadLetter = await deadLetterOf(jobId);
        if (deadLetter) return { deadLetter };
        throw new Error(`job ${jobId} is ${item?.status ?? 'not started'} and not in the DLQ`);
      },
      { timeout: 30_000, interval: 200 },
    );
    if ('deadLetter' in outcome) {
      // Every delivery timed out (a very slow machine): the message is kept in the DLQ, whole.
      expect(outcome.deadLetter?.body).toMatchObject({ jobId, task: 'echo' });
    } else {
      expect(outcome.item).toMatchObject({ status: 'PROCESSED' });
      expect(JSON.parse(String(outcome.item.resultJson))).toMatchObject({ [STALL_FLAG]: true });
      expect(outcome.item.attempts).toBeGreaterThanOrEqual(2);
      // Not retried early: the message was received after its submission and stayed invisible for the
      // visibility timeout from that receive on.
      expect(Date.parse(String(outcome.item.completedAt)) - Date.parse(outcome.item.createdAt)).toBeGreaterThanOrEqual(visibilityTimeoutMs);
    }
  });
});
