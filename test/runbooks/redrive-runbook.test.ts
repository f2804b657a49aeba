/**
 * runbooks/redrive.md, run as written against the local cloud: after an outage the jobs DLQ holds a job
 * that can never succeed (`"fail": true`) and one whose cause is fixed (its `failUntil` time passed). Each
 * of the runbook's bash blocks after its setup runs in turn, with the variables runbooks/env.sh sets for
 * the queue and the on-call's choices (its `'<...>'` placeholders) filled in, and must succeed. Then the
 * poison job is archived in S3, the other PROCESSED, the DLQ empty, and the history shows both.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusItem } from '../../contract/status-item';
import { startLocalCloud, type LocalCloud } from '../../local/cloud';
import { synthesizeTemplate } from '../../local/template/synthesize';
import { eventually } from '../support/eventually';
import { bashBlocks, commandsOf, readRunbook } from './runbook-markdown';
import { bash, runbookEnv, sourceEnv } from './runbook-shell';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
/** A stage of its own (runbooks/env.sh prefers .tidewatch/outputs.json when it names the stack). */
const STAGE = 'redrivebook';
const QUEUE = 'jobs';
/** What one command may take on a busy 2-core machine: `npx tidewatch` starts tsx, then invokes the function. */
const COMMAND_BUDGET_MS = 60_000;
const START_BUDGET_MS = 90_000;
const JOB_BUDGET_MS = 60_000;
/** The poison job's failure, which the archive step chooses it by. */
const POISON_MESSAGE = 'submitted with "fail": true';
/** The on-call's choices the runbook leaves as `NAME='<...>'`. */
const CHOICES: Record<string, string> = { ARCHIVE_FILTER: `message=${POISON_MESSAGE}` };

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const [, ...steps] = bashBlocks(readRunbook('redrive'));

let cloud: LocalCloud;
let stateDirectory: string;
let sqs: SQSClient;
let s3: S3Client;
let poison: string;
let fixed: string;

async function submit(job: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${cloud.endpoints.api}jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(job) });
  expect(response.status).toBe(202);
  return String(((await response.json()) as { jobId: string }).jobId);
}

function status(jobId: string, statuses: readonly string[]): Promise<StatusItem> {
  return eventually(async () => {
    const item = (await (await fetch(`${cloud.endpoints.api}jobs/${jobId}`)).json()) as StatusItem;
    return statuses.includes(item.status) ? item : undefined;
  }, `job ${jobId} ${statuses.join(' or ')}`, JOB_BUDGET_MS, 250);
}

async function dlqDepth(): Promise<number> {
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: cloud.outputs.JobsDeadLetterQueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
}

/** A step with the on-call's choices filled in; a placeholder the test has no choice for fails the test. */
function filled(step: string): string {
  return step.replace(/^(\s*)([A-Z_][A-Z0-9_]*)='<[^']*>'$/gm, (_line, indent: string, name: string) => {
    if (!(name in CHOICES)) throw new Error(`runbooks/redrive.md asks for ${name}, which this test does not fill in`);
    return `${indent}${name}='${CHOICES[name]}'`;
  });
}

beforeAll(async () => {
  const template = await synthesizeTemplate({ stage: STAGE, context: { tidewatch: { stage: STAGE, retryBackoffBaseSeconds: 1 } }, projectRoot: PROJECT_ROOT });
  stateDirectory = await mkdtemp(path.join(tmpdir(), 'tidewatch-redrive-runbook-'));
  cloud = await startLocalCloud({ template, projectRoot: PROJECT_ROOT, port: 0, apiPort: 0, downloadPort: 0, stateDirectory, pollWaitSeconds: 2 });
  const common = { endpoint: cloud.endpoints.aws, region: cloud.services.region, credentials: CREDENTIALS };
  sqs = new SQSClient(common);
  s3 = new S3Client({ ...common, forcePathStyle: true });

  // The outage: a job that can never succeed, and one that fails until a time a little ahead (its window
  // outlasts its three attempts on this machine, from how long a healthy job takes here, the worker warm).
  await status(await submit({ task: 'echo', payload: { warm: true } }), ['PROCESSED']);
  const started = Date.now();
  await status(await submit({ task: 'echo', payload: { measured: true } }), ['PROCESSED']);
  const failUntil = new Date(Date.now() + 6_000 + 6 * (Date.now() - started)).toISOString();
  poison = await submit({ task: 'echo', fail: true });
  fixed = await submit({ task: 'sum', payload: { numbers: [2, 3] }, failUntil });
  await status(poison, ['FAILED']);
  await status(fixed, ['FAILED']);
  await eventually(async () => ((await dlqDepth()) === 2 ? true : undefined), 'both jobs in the DLQ', JOB_BUDGET_MS, 250);
  // The fix: its time passes.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(failUntil) - Date.now())));
}, START_BUDGET_MS + 6 * JOB_BUDGET_MS);

afterAll(async () => {
  for (const client of [sqs, s3]) client?.destroy();
  await cloud?.stop();
  if (stateDirectory) await rm(stateDirectory, { recursive: true, force: true });
});

describe('runbooks/redrive.md against the local cloud', () => {
  const budget = (steps.flatMap(commandsOf).length + 1) * COMMAND_BUDGET_MS;

  it('archives what can never succeed and moves the rest back to PROCESSED, every step as written succeeding', async () => {
    const env = await sourceEnv(runbookEnv(cloud.endpoints.aws, STAGE, stateDirectory), STAGE, COMMAND_BUDGET_MS, QUEUE);
    const outputs: string[] = [];
    for (const step of steps) {
      const script = filled(step);
      const result = await bash(`set -e\n${script}`, env, (commandsOf(script).length + 1) * COMMAND_BUDGET_MS);
      expect(result.code, `$ ${script}\n${result.stdout}\n${result.stderr}`).toBe(0);
      outputs.push(result.stdout);
    }

    expect(await status(fixed, ['PROCESSED'])).toMatchObject({ status: 'PROCESSED', result: { sum: 5 } });
    expect(await dlqDepth()).toBe(0);
    const archived = await s3.send(new GetObjectCommand({ Bucket: cloud.outputs.BucketName, Key: await archiveKeyOf(poison) }));
    expect(JSON.parse(await archived.Body!.transformToString())).toMatchObject({ queue: QUEUE, itemIds: [poison], reason: expect.stringContaining(POISON_MESSAGE) });
    expect((await (await fetch(`${cloud.endpoints.api}jobs/${poison}`)).json()) as StatusItem).toMatchObject({ status: 'FAILED' });
    const history = outputs.find((output) => output.includes('REDRIVE jobs') && output.includes('ARCHIVE jobs'));
    expect(history, 'the history step shows the redrive and the archive').toBeDefined();
    expect(history).toMatch(new RegExp(`${fixed}\\s+\\S+ -> \\S+\\s+PROCESSED`));
  }, budget);
});

/** The key the archive wrote for the poison job's dead letter (found by listing the archive of the queue). */
async function archiveKeyOf(jobId: string): Promise<string> {
  const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: cloud.outputs.BucketName, Prefix: `dead-letters/${QUEUE}/` }));
  for (const object of Contents) {
    const body = await (await s3.send(new GetObjectCommand({ Bucket: cloud.outputs.BucketName, Key: object.Key }))).Body!.transformToString();
    if (body.includes(jobId)) return object.Key!;
  }
  throw new Error(`no archive object under dead-letters/${QUEUE}/ holds job ${jobId}`);
}
