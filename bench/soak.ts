/**
 * Fault soak: files and jobs through the local cloud while things break, then a count of where every
 * accepted item ended. Nothing may be lost and nothing completed twice.
 *
 *   npx tsx bench/soak.ts [--items 10000] [--scale 1] [--concurrency 20] [--kill-at 0.5] [--crash-every 5] [--seed 1]
 *
 * Faults: 10% of items fail transiently (`failUntil`: half for 15 s, within their retries, half for
 * 90 s, past them), 1% are poison jobs (`fail: true`), 1% malformed files; while the load goes in, every `--crash-every`
 * seconds a busy worker execution environment is crashed mid-batch; once `--kill-at` of the items are
 * accepted, the local cloud is killed with SIGKILL and started again with its data kept.
 * Completed work is counted per business id from a ledger of the workers' PROCESSED writes that the
 * local cloud appends to (one line each, written synchronously, so it survives the kill).
 * Then the fix: once the outage is over, each DLQ's poison jobs are archived and the rest redriven with a
 * canary (bench/soak/redrive.ts), and a second census expects every DLQ at 0, every outage job completed
 * exactly once and every poison job archived.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { deadLetterQueueUrlOutputKey, parseWorkQueueNames, queueUrlOutputKey } from '../contract/outputs';
import { AFTER_REDRIVE, archivedIds, BEFORE_REDRIVE, completions, deadLetterIds, depth, statusItems, takeCensus, type Census } from './soak/census';
import { CloudProcess, type CloudEndpoints } from './soak/cloud-control';
import { LoadGenerator, type LoadTarget } from './soak/load';
import { OUTAGE_SECONDS, planItems } from './soak/plan';
import { redriveAfterFix } from './soak/redrive';

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '10000' },
    scale: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '20' },
    'kill-at': { type: 'string', default: '0.5' },
    'crash-every': { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
  },
});
const ITEMS = Math.max(100, Math.round(Number(values.items) * Number(values.scale)));
const CONCURRENCY = Number(values.concurrency);
const KILL_AT = Math.round(ITEMS * Number(values['kill-at']));
/** The local cloud's credentials (the README's). */
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
/** Slowest rate the soak assumes when it derives its deadlines (items/s); well below what a loaded machine does. */
const SLOWEST_ITEMS_PER_SECOND = 5;

interface Clients {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
  readonly lambda: LambdaClient;
}

function clientsFor(endpoints: CloudEndpoints): Clients {
  const config = { endpoint: endpoints.aws, region: endpoints.region, credentials: CREDENTIALS };
  return { s3: new S3Client({ ...config, forcePathStyle: true }), sqs: new SQSClient(config), dynamodb: new DynamoDBClient(config), lambda: new LambdaClient({ ...config, maxAttempts: 1 }) };
}

function queuesOf(outputs: Readonly<Record<string, string>>) {
  return parseWorkQueueNames(outputs.WorkQueueNames!).map((name) => ({
    name,
    url: outputs[queueUrlOutputKey(name)]!,
    deadLetterUrl: outputs[deadLetterQueueUrlOutputKey(name)]!,
  }));
}

/**
 * Polls until every accepted item is settled: PROCESSED or FAILED with each final failure in a DLQ, or, once
 * the work queues have stayed empty for two polls (nothing queued, nothing in flight), wherever it ended: an
 * item whose every receive crashed was dead-lettered by SQS with no failure recorded, and the census says so.
 */
async function waitUntilSettled(clients: Clients, endpoints: CloudEndpoints, accepted: readonly { id: string }[], deadlineMs: number): Promise<void> {
  const queues = queuesOf(endpoints.outputs);
  const deadline = Date.now() + deadlineMs;
  let emptyPolls = 0;
  for (;;) {
    const statuses = await statusItems(clients.dynamodb, endpoints.outputs.StatusTableName!);
    const states = accepted.map((item) => statuses.get(item.id));
    const open = states.filter((state) => state?.status !== 'PROCESSED' && state?.status !== 'FAILED').length;
    const finalFailures = states.filter((state) => state?.status === 'FAILED' && !state.permanent).length;
    const queued = (await Promise.all(queues.map((queue) => depth(clients.sqs, queue.url)))).reduce((a, b) => a + b, 0);
    const deadLetters = (await Promise.all(queues.map((queue) => depth(clients.sqs, queue.deadLetterUrl)))).reduce((a, b) => a + b, 0);
    if (open === 0 && queued === 0 && deadLetters === finalFailures) return;
    emptyPolls = queued === 0 ? emptyPolls + 1 : 0;
    if (emptyPolls >= 2) return;
    if (Date.now() > deadline) {
      throw new Error(`not settled after ${deadlineMs / 1000} s: ${open} items open, ${queued} messages queued, ${deadLetters} dead letters for ${finalFailures} final failures`);
    }
    process.stdout.write(`  settling: ${open} items open, ${queued} queued, ${deadLetters}/${finalFailures} dead letters\n`);
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
}

function printCensus(title: string, census: Census): void {
  process.stdout.write(`\n${title}\n`);
  for (const [outcome, count] of Object.entries(census.outcomes)) process.stdout.write(`  ${outcome.padEnd(26)} ${count}\n`);
  if (census.unledgered.length > 0) process.stdout.write(`  of which PROCESSED with no ledger line (the kill cut it): ${census.unledgered.join(', ')}\n`);
  if (census.deadLetteredByCrashes > 0) process.stdout.write(`  of which dead-lettered by crashes on every receive (no failure recorded): ${census.deadLetteredByCrashes}\n`);
  const unexpected = Object.entries(census.unexpected);
  process.stdout.write(unexpected.length === 0 ? '  every item ended as its behaviour should\n' : `  unexpected: ${unexpected.map(([what, count]) => `${what} × ${count}`).join(', ')}\n`);
  for (const example of census.unexpectedExamples) process.stdout.write(`    ${example}\n`);
  if (census.duplicated.length > 0) process.stdout.write(`  completed more than once, e.g. ${census.duplicated.slice(0, 5).join(', ')}\n`);
  if (census.lost.length > 0) process.stdout.write(`  lost, e.g. ${census.lost.slice(0, 5).join(', ')}\n`);
}

async function main(): Promise<void> {
  const stateDirectory = await mkdtemp(join(tmpdir(), 'tidewatch-soak-'));
  const ledger = join(stateDirectory, 'completed.ledger');
  const cloud = await CloudProcess.create({ stateDirectory, ledger, crashEverySeconds: Number(values['crash-every']), startTimeoutMs: 180_000 });
  try {
    await soak(cloud, ledger, stateDirectory);
  } finally {
    await cloud.stop();
  }
  // A failed run keeps its state (cloud log, ledger, data) for whoever looks into it.
  if (process.exitCode === 1) process.stdout.write(`state kept in ${stateDirectory}\n`);
  else await rm(stateDirectory, { recursive: true, force: true });
}

async function soak(cloud: CloudProcess, ledger: string, stateDirectory: string): Promise<void> {
  const plan = planItems({ items: ITEMS, jobShare: 0.5, transientShare: 0.1, poisonShare: 0.01, malformedShare: 0.01, seed: Number(values.seed) });
  const started = performance.now();
  let endpoints = await cloud.start();
  let clients = clientsFor(endpoints);
  const targetOf = (cloudEndpoints: CloudEndpoints, { s3 }: Clients): LoadTarget => ({ api: cloudEndpoints.api, s3, bucket: cloudEndpoints.outputs.BucketName! });
  process.stdout.write(`soak: ${ITEMS} items, ${CONCURRENCY} in flight, state in ${stateDirectory}\n`);

  const load = new LoadGenerator(targetOf(endpoints, clients));
  let killedAfter: number | undefined;
  await load.send(plan, CONCURRENCY, async (count) => {
    if (count !== KILL_AT) return;
    load.pause();
    killedAfter = count;
    await cloud.kill();
    process.stdout.write(`  killed the local cloud (SIGKILL) at ${new Date().toISOString()} after ${count} accepted items; starting it again with its data\n`);
    const restarted = performance.now();
    endpoints = await cloud.start();
    clients = clientsFor(endpoints);
    process.stdout.write(`  back in ${((performance.now() - restarted) / 1000).toFixed(1)} s\n`);
    load.resumeWith(targetOf(endpoints, clients));
  });
  cloud.stopCrashes();
  const ingestSeconds = (performance.now() - started) / 1000;
  const { accepted } = load.progress;
  process.stdout.write(`  ${accepted.length} items accepted in ${ingestSeconds.toFixed(0)} s; waiting for them to settle\n`);

  // Every item at the slowest rate, plus the longest a crashed batch stays hidden (visibility timeout, per attempt) and the outage.
  const settleDeadlineMs = (accepted.length / SLOWEST_ITEMS_PER_SECOND + 3 * 180 + OUTAGE_SECONDS) * 1000;
  await waitUntilSettled(clients, endpoints, accepted, settleDeadlineMs);
  const settledSeconds = (performance.now() - started) / 1000;

  const deadLettered = new Set<string>();
  for (const queue of queuesOf(endpoints.outputs)) for (const id of await deadLetterIds(clients.sqs, queue.deadLetterUrl)) deadLettered.add(id);
  const statuses = await statusItems(clients.dynamodb, endpoints.outputs.StatusTableName!);
  const census = takeCensus(accepted, await completions(ledger), deadLettered, statuses, BEFORE_REDRIVE);

  const injected = (behaviour: string) => accepted.filter((item) => item.behaviour === behaviour).length;
  process.stdout.write(`\nitems accepted             ${accepted.length} (${accepted.filter((item) => item.kind === 'file').length} files, ${accepted.filter((item) => item.kind === 'job').length} jobs)\n`);
  process.stdout.write(`requests unanswered        ${load.progress.unanswered} (cut by the kill; their items were sent again)\n`);
  process.stdout.write(`5xx answers                ${load.progress.serverErrors}\n`);
  process.stdout.write(`cloud killed after         ${killedAfter ?? 'never'} accepted items\n`);
  process.stdout.write(`injected                   ${injected('blip')} blips (15 s), ${injected('outage')} outages (${OUTAGE_SECONDS} s), ${injected('poison')} poison, ${injected('malformed')} malformed\n`);
  process.stdout.write(`dead-lettered              ${census.outcomes['dead-lettered']} (poison ${injected('poison')} + outages past their retries)\n`);
  process.stdout.write(`time                       ${ingestSeconds.toFixed(0)} s to accept, ${settledSeconds.toFixed(0)} s to settle\n`);
  printCensus('Outcomes', census);

  // The fix: the outage is over for every outage job once OUTAGE_SECONDS have passed since the last was sent.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + (ingestSeconds + OUTAGE_SECONDS) * 1000 - performance.now())));
  const redriveStarted = performance.now();
  const queues = queuesOf(endpoints.outputs);
  const runs = await redriveAfterFix(clients.lambda, endpoints.outputs.RedriveFunctionName!, queues.map((queue) => queue.name), Date.now() + settleDeadlineMs);
  for (const run of runs) process.stdout.write(`  ${run.kind} ${run.queue}: ${run.status}, ${run.result ?? ''}\n`);
  // Archived items stay FAILED, their dead letters gone: settled means every other item is.
  const archived = await archivedIds(clients.s3, endpoints.outputs.BucketName!);
  await waitUntilSettled(clients, endpoints, accepted.filter((item) => !archived.has(item.id)), settleDeadlineMs);
  const deadLetters = (await Promise.all(queues.map((queue) => depth(clients.sqs, queue.deadLetterUrl)))).reduce((a, b) => a + b, 0);
  const after = takeCensus(
    accepted,
    await completions(ledger),
    new Set((await Promise.all(queues.map((queue) => deadLetterIds(clients.sqs, queue.deadLetterUrl)))).flat()),
    await statusItems(clients.dynamodb, endpoints.outputs.StatusTableName!),
    AFTER_REDRIVE,
    archived,
  );
  process.stdout.write(`\nredrive after the fix       ${((performance.now() - redriveStarted) / 1000).toFixed(0)} s; dead letters left: ${deadLetters}\n`);
  printCensus('Outcomes after the redrive', after);

  for (const client of Object.values(clients)) client.destroy();
  const clean = (outcome: Census) => outcome.outcomes.lost === 0 && outcome.outcomes['completed more than once'] === 0 && Object.keys(outcome.unexpected).length === 0;
  if (!clean(census) || !clean(after) || deadLetters > 0) process.exitCode = 1;
}

main().catch((error: Error) => {
  process.stderr.write(`soak failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
