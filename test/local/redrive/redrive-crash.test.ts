/**
 * The redrive function terminated mid-run loses nothing. Its chunks run from a fault injector
 * (fixtures/overrunning-redrive.ts) that tells them they have 5 s more than their 4 s timeout, so the
 * local runtime ends each in the middle of its work, as a crash would. Then every dead letter of a
 * redrive ends in the work queue (its job processed) or back in the DLQ, and every dead letter of an
 * archive ends in S3 or back in the DLQ: none in neither. The redrive and the archive run on two queues
 * (a crashed run keeps its queue's lease until it expires).
 */
import * as path from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedriveAnswer } from '../../../contract/redrive';
import type { InvocationRecord } from '../../../local/runtime';
import type { SynthesizedStack } from '../../../local/template/model';
import { eventually } from '../../support/eventually';
import { PROJECT_ROOT, startScenarioCloud, statusItem, type ScenarioCloud } from '../scenarios/scenario-cloud';
import { BELIEVED_EXTRA_MS } from './fixtures/believed-extra';
import { jobMessage, RedriveDriver } from './redrive-cloud';

const REDRIVE_ENTRY = 'handlers/redrive/index.ts';
const OVERRUNNING_ENTRY = path.relative(PROJECT_ROOT, path.join(import.meta.dirname, 'fixtures', 'overrunning-redrive.ts'));
/** The redrive function's timeout here: its chunks believe they have BELIEVED_EXTRA_MS more. */
const TIMEOUT_SECONDS = 4;
/** Dead letters per scenario, moved at RATE a second: far more than a chunk gets through before it is ended. */
const DEAD_LETTERS = 30;
const RATE = 3;
/**
 * A message held by an ended chunk is visible again when its hold ends: the chunk's believed remaining
 * time plus 5 s. Then the jobs moved must be processed.
 */
const SETTLE_MS = TIMEOUT_SECONDS * 1000 + BELIEVED_EXTRA_MS + 5_000 + 60_000;
const START_MS = 90_000;

/** The template with the redrive function run from the fault injector, with a short timeout. */
function withOverrunningRedrive(stack: SynthesizedStack): SynthesizedStack {
  const functions = Object.values(stack.template.Resources).filter((resource) => resource.Metadata?.['Tidewatch:Entry'] === REDRIVE_ENTRY);
  if (functions.length !== 1) throw new Error(`expected one function with entry ${REDRIVE_ENTRY}, found ${functions.length}`);
  (functions[0]!.Metadata as Record<string, unknown>)['Tidewatch:Entry'] = OVERRUNNING_ENTRY;
  (functions[0]!.Properties as Record<string, unknown>).Timeout = TIMEOUT_SECONDS;
  return stack;
}

let scenario: ScenarioCloud;
let redrive: RedriveDriver;
const invocations: InvocationRecord[] = [];

beforeAll(async () => {
  scenario = await startScenarioCloud({ context: { tidewatch: { retryBackoffBaseSeconds: 1 } }, patchTemplate: withOverrunningRedrive });
  scenario.cloud.runtime.onInvocation((record) => invocations.push(record));
  redrive = new RedriveDriver(scenario.cloud, scenario.sqs);
  await redrive.warmUp('jobs');
});

afterAll(() => scenario?.stop());

/** Starts a run and waits for its chunk to be ended at its timeout. */
async function startAndCrash(request: Record<string, unknown>): Promise<string> {
  const before = invocations.length;
  const answer = await redrive.invoke<RedriveAnswer>(request);
  if (answer.outcome !== 'started') throw new Error(`the run did not start: ${JSON.stringify(answer)}`);
  await eventually(
    async () => invocations.slice(before).find((invocation) => invocation.functionName === redrive.functionName && invocation.error?.timedOut),
    'a chunk of the run ended at its timeout',
    START_MS,
  );
  return answer.run.runId;
}

describe('the redrive function ended mid-run', () => {
  it('loses no message of a redrive: each ends in the work queue (its job processed) or back in the DLQ', async () => {
    const dlq = scenario.outputs.JobsDeadLetterQueueUrl!;
    const jobs = Array.from({ length: DEAD_LETTERS }, () => jobMessage());
    for (const job of jobs) await redrive.sendDeadLetter(dlq, job.body);
    const runId = await startAndCrash({ action: 'start', queue: 'jobs', maxPerSecond: RATE, requestedBy: 'crash test' });

    const whereabouts = await eventually(
      async () => {
        const inDlq = [...(await redrive.visibleMessages(dlq)).values()].join('\n');
        const places = await Promise.all(jobs.map(async ({ jobId }) => ((await statusItem(scenario, jobId))?.status === 'PROCESSED' ? 'processed' : inDlq.includes(jobId) ? 'dlq' : undefined)));
        return places.every(Boolean) ? places : undefined;
      },
      'every job processed or back in the DLQ',
      SETTLE_MS,
      500,
    );
    // Ended before it was done: some (maybe none yet) moved, the rest back in the DLQ.
    expect(whereabouts.filter((place) => place === 'dlq').length).toBeGreaterThan(0);
    // The crashed run still holds the queue: a second start is refused until its lease expires.
    const again = await redrive.invoke<RedriveAnswer>({ action: 'start', queue: 'jobs', requestedBy: 'crash test' });
    expect(again).toMatchObject({ outcome: 'busy', run: { runId, status: 'RUNNING' } });
  }, START_MS + SETTLE_MS + 30_000);

  it('loses no message of an archive: each ends in S3, written before it left the DLQ, or back in the DLQ', async () => {
    const dlq = scenario.outputs.FilesDeadLetterQueueUrl!;
    const since = new Date(Date.now() - 60_000).toISOString();
    const ids: string[] = [];
    for (let index = 0; index < DEAD_LETTERS; index++) ids.push(await redrive.sendDeadLetter(dlq, JSON.stringify({ note: `dead letter ${index}` })));
    const runId = await startAndCrash({ action: 'archive', queue: 'files', filter: { newerThan: since }, maxPerSecond: RATE, requestedBy: 'crash test' });
    const archived = async (messageId: string, date: string) =>
      scenario.s3.send(new HeadObjectCommand({ Bucket: scenario.outputs.BucketName, Key: `dead-letters/files/${date}/${messageId}.json` })).then(() => true, () => false);

    const whereabouts = await eventually(
      async () => {
        const inDlq = new Set((await redrive.visibleMessages(dlq)).keys());
        const date = new Date().toISOString().slice(0, 10);
        const places = await Promise.all(ids.map(async (id) => (inDlq.has(id) ? 'dlq' : (await archived(id, date)) ? 's3' : undefined)));
        return places.every(Boolean) ? places : undefined;
      },
      'every dead letter in S3 or back in the DLQ',
      SETTLE_MS,
      500,
    );
    expect(whereabouts.filter((place) => place === 'dlq').length).toBeGreaterThan(0);
    expect(await redrive.invoke<RedriveAnswer>({ action: 'status', queue: 'files' })).toMatchObject({ outcome: 'status', run: { runId, kind: 'archive', status: 'RUNNING' } });
  }, START_MS + SETTLE_MS + 30_000);
});
