/**
 * The caller's actions. `start` and `archive` take the queue's lease and record the run, then either
 * answer a dry run in the same call or hand the run to its first chunk and answer at once with its id;
 * `status` reads the queue's latest run; `cancel` asks it to stop. A run whose lease expired without
 * ending it (the function stopped mid-run) is recorded INTERRUPTED when next looked at.
 */
import { randomUUID } from 'node:crypto';
import { isFinished, runKey, type RedriveAnswer, type RedriveRun } from '../../contract/redrive';
import type { RedriveDeps } from './deps';
import type { StoredRun } from './ledger';
import { Pacer } from './pacer';
import { runPass } from './pass';
import type { ValidRequest } from './request';
import { finished, newRun, viewOf, withCounts } from './run-state';
import type { RedriveQueue } from './settings';

/** A dry run scans for at most this long, so it answers within the caller's wait. */
const DRY_RUN_MS = 15_000;

export async function startRun(request: ValidRequest, deps: RedriveDeps, remainingMs: () => number): Promise<RedriveAnswer> {
  const { queue } = request;
  const runId = randomUUID();
  const startedAt = new Date().toISOString();
  const key = runKey(startedAt, runId);
  const lease = await deps.lease.acquire(queue.name, runId, key);
  if (!lease.acquired) {
    const running = await deps.ledger.get(queue.name, lease.holder.runKey);
    return { outcome: 'busy', message: `a ${running?.kind ?? 'redrive'} of ${queue.name} is running (run ${lease.holder.runId}): one run per queue at a time`, ...(running ? { run: viewOf(running) } : {}) };
  }
  try {
    await settleInterrupted(queue, deps);
    const depth = await deps.dlq(queue).depth();
    const run = newRun(request, runId, startedAt, depth.visible);
    if (request.dryRun) return await dryRun(run, queue, deps, remainingMs);
    const stored = await deps.ledger.create(run);
    if (run.mode === 'all') {
      const taskHandle = await deps.moveTasks.start(queue.deadLetterQueueArn, queue.queueArn, run.maxPerSecond);
      await deps.ledger.save({ ...stored, taskHandle });
    }
    await deps.continueRun({ action: 'continue', queue: queue.name, runKey: stored.runKey, runId, chunk: 0 });
    deps.logger.info('redrive run started', { runId, queue: queue.name, kind: run.kind, mode: run.mode, requestedBy: run.requestedBy, callerArn: run.callerArn });
    return { outcome: 'started', run: viewOf((await deps.ledger.get(queue.name, stored.runKey)) ?? stored) };
  } catch (error) {
    await deps.lease.release(queue.name, runId);
    throw error;
  }
}

/** Counts and samples what would move, hiding each message only while the scan lasts; recorded, then the lease is given back. */
async function dryRun(run: RedriveRun, queue: RedriveQueue, deps: RedriveDeps, remainingMs: () => number): Promise<RedriveAnswer> {
  const deadline = Date.now() + Math.min(DRY_RUN_MS, remainingMs() / 2);
  const pass = await runPass(
    { dlq: deps.dlq(queue), worker: queue.worker, statusItems: (ids) => deps.statusItems(ids), sink: deps.sink(run.kind, queue, run.runId), pacer: new Pacer(Number.POSITIVE_INFINITY) },
    {
      runId: run.runId,
      queue: queue.name,
      filter: run.filter,
      messageIds: run.messageIds && new Set(run.messageIds),
      limit: run.limit ?? Number.POSITIVE_INFINITY,
      dryRun: true,
      deadline,
      holdSeconds: () => Math.ceil(remainingMs() / 1000) + 5,
      shouldStop: async () => false,
    },
  );
  const complete = pass.ended !== 'deadline';
  const count = pass.counts.matched;
  const verb = run.kind === 'archive' ? 'archive' : 'move';
  const result = `dry run: ${complete ? '' : 'at least '}${count} would ${verb} (${pass.counts.scanned} scanned)`;
  const recorded = await deps.ledger.create(finished(withCounts(run, pass.counts), 'COMPLETED', result, new Date()));
  await deps.lease.release(queue.name, run.runId);
  return { outcome: 'dry-run', run: viewOf(recorded), count, complete, sample: pass.sample };
}

export async function runStatus(queue: RedriveQueue, deps: RedriveDeps): Promise<RedriveAnswer> {
  const run = await settleInterrupted(queue, deps);
  const depth = await deps.dlq(queue).depth();
  return { outcome: 'status', ...(run ? { run: viewOf(run) } : {}), deadLetters: depth.visible + depth.inFlight };
}

export async function cancelRun(queue: RedriveQueue, requestedBy: string, deps: RedriveDeps): Promise<RedriveAnswer> {
  const run = await settleInterrupted(queue, deps);
  if (run && !isFinished(run.status)) {
    await deps.ledger.requestCancel(run, requestedBy);
    // A move task stops at once; a selective run stops at its next batch.
    if (run.mode === 'all' && run.taskHandle) await deps.moveTasks.cancel(run.taskHandle);
    deps.logger.info('redrive run cancel requested', { runId: run.runId, queue: queue.name, requestedBy });
  }
  return runStatus(queue, deps);
}

/** The queue's latest run; one left RUNNING without a live lease is recorded INTERRUPTED first. */
async function settleInterrupted(queue: RedriveQueue, deps: RedriveDeps): Promise<StoredRun | undefined> {
  const [latest] = await deps.ledger.runs(queue.name, 1);
  if (!latest || isFinished(latest.status)) return latest;
  const holder = await deps.lease.holder(queue.name);
  if (holder?.runId === latest.runId) return latest;
  const interrupted = finished(
    latest,
    'INTERRUPTED',
    'interrupted: its lease expired before it ended (the function stopped mid-run); every message it held is back in the DLQ or was moved',
    new Date(),
  );
  // The run may have ended (and released its lease) since it was read: then its own end stands.
  if (await deps.ledger.saveUnlessChanged(interrupted, latest)) return interrupted;
  return deps.ledger.get(queue.name, latest.runKey);
}
