/**
 * One chunk of a run, in its own invocation: takes over the queue's lease, works until its deadline (a
 * selective pass with its canary, or following SQS's move task), saves the run, and either ends it
 * (result, metrics, lease released) or hands the lease and the run to the next chunk.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { METRICS } from '../../contract/metrics';
import { isFinished, ZERO_COUNTS, type RunCounts } from '../../contract/redrive';
import { describeError } from '../shared/errors';
import { awaitCanary } from './canary';
import { ChunkTracker } from './chunk-tracker';
import type { RedriveDeps } from './deps';
import type { StoredRun } from './ledger';
import { Pacer } from './pacer';
import { runPass } from './pass';
import type { ContinueEvent } from './request';
import { finished, summary, withCounts } from './run-state';
import type { RedriveQueue } from './settings';

/** How often a move task's progress is read. */
const MOVE_TASK_POLL_MS = 2_000;

export async function runChunk(event: ContinueEvent, deps: RedriveDeps, remainingMs: () => number): Promise<void> {
  const { logger } = deps;
  const queue = deps.queues.get(event.queue);
  if (!queue || !(await deps.lease.renew(event.queue, event.runId, event.chunk))) {
    logger.warn('redrive chunk not run: the run no longer holds the lease for this chunk', { ...event });
    return;
  }
  const stored = await deps.ledger.get(queue.name, event.runKey);
  if (!stored || isFinished(stored.status)) {
    await deps.lease.release(queue.name, event.runId);
    return;
  }
  const tracker = new ChunkTracker(deps, queue, stored, event.chunk, remainingMs);
  let run: StoredRun;
  try {
    run = stored.mode === 'all' ? await followMoveTask(stored, queue, deps, tracker) : await selectiveChunk(stored, queue, deps, tracker);
  } catch (error) {
    logger.error('redrive chunk failed', { runId: stored.runId, error: describeError(error) });
    run = finished(stored, 'FAILED', `failed: ${describeError(error).message}`, new Date());
  }
  if (tracker.stopReason === 'lease-lost') {
    logger.warn('redrive run lost its lease (expired and taken over): stopped without saving', { runId: run.runId });
    return;
  }
  countChunk(deps, queue, stored.counts, run.counts);
  if (isFinished(run.status)) {
    await deps.ledger.save(run);
    await deps.lease.release(queue.name, run.runId);
    logger.info('redrive run ended', { runId: run.runId, queue: queue.name, status: run.status, result: run.result, counts: run.counts });
    return;
  }
  await deps.ledger.save(run);
  if (await deps.lease.handOff(queue.name, run.runId, event.chunk)) await deps.continueRun({ ...event, chunk: event.chunk + 1 });
}

/** A selective redrive or an archive: the canary first when there is one, then passes until the DLQ, the limit or the deadline ends it. */
async function selectiveChunk(start: StoredRun, queue: RedriveQueue, deps: RedriveDeps, tracker: ChunkTracker): Promise<StoredRun> {
  let run = start;
  const pass = async (limit: number) => {
    const before = run;
    const result = await runPass(
      {
        dlq: deps.dlq(queue),
        worker: queue.worker,
        statusItems: (ids) => deps.statusItems(ids),
        record: (entries) => deps.ledger.addEntries(entries),
        sink: deps.sink(run.kind, queue, run.runId),
        pacer: new Pacer(run.maxPerSecond),
      },
      {
        runId: run.runId,
        queue: queue.name,
        filter: run.filter,
        messageIds: run.messageIds && new Set(run.messageIds),
        limit,
        deadline: tracker.deadline,
        holdSeconds: () => tracker.holdSeconds(),
        shouldStop: () => tracker.shouldStop(),
        onProgress: (counts) => tracker.progress(withCounts(before, counts)),
      },
    );
    run = withCounts(before, result.counts, result.failures);
    return result;
  };
  const left = () => (run.limit ?? Number.POSITIVE_INFINITY) - (run.counts.moved + run.counts.archived + run.counts.failed);

  if (run.canary?.state === 'moving') {
    const canary = await pass(Math.min(run.canary.size, left()));
    if (canary.ended === 'stopped') return stopped(run, tracker);
    if (canary.deliveredItemIds.length === 0 && canary.counts.moved === 0) return finished(run, 'COMPLETED', `nothing to move: ${summary(run)}`, new Date());
    run = { ...run, canary: { ...run.canary, state: 'waiting', itemIds: canary.deliveredItemIds, movedAt: new Date().toISOString() } };
    await deps.ledger.save(run);
  }
  if (run.canary?.state === 'waiting') {
    const verdict = await awaitCanary((ids) => deps.statusItems(ids), run.canary.itemIds, run.canary.movedAt ?? run.startedAt, tracker.deadline);
    if (verdict.state === 'waiting') return run;
    if (verdict.state === 'failed') {
      run = { ...withCounts(run, ZERO_COUNTS, verdict.failures), canary: { ...run.canary, state: 'failed' } };
      deps.count(queue.name, METRICS.redriveFailures, verdict.failures.length);
      return finished(run, 'STOPPED', `canary failed: ${verdict.failures.map((failure) => `${failure.itemId ?? failure.messageId}: ${failure.reason}`).join('; ')}`, new Date());
    }
    run = { ...run, canary: { ...run.canary, state: 'passed' } };
  }
  const rest = await pass(left());
  if (rest.ended === 'stopped') return stopped(run, tracker);
  if (rest.ended === 'deadline') return run;
  return finished(run, 'COMPLETED', summary(run), new Date());
}

/** Mode `all`: reads SQS's move task until it ends (or this chunk's time is up), cancelling it when asked. */
async function followMoveTask(start: StoredRun, queue: RedriveQueue, deps: RedriveDeps, tracker: ChunkTracker): Promise<StoredRun> {
  let run = start;
  for (;;) {
    const task = await deps.moveTasks.latest(queue.deadLetterQueueArn);
    if (!task) return finished(run, 'FAILED', 'the DLQ has no message move task', new Date());
    run = { ...run, toMove: task.toMove, counts: { ...run.counts, moved: task.moved } };
    if (task.status === 'COMPLETED') return finished(run, 'COMPLETED', summary(run), new Date());
    if (task.status === 'CANCELLED') return finished(run, 'CANCELLED', `cancelled: ${summary(run)}`, new Date());
    if (task.status === 'FAILED') return finished(run, 'FAILED', `the move task failed: ${task.failureReason ?? 'no reason given'}`, new Date());
    if ((await tracker.shouldStop()) && tracker.stopReason === 'cancelled' && run.taskHandle) await deps.moveTasks.cancel(run.taskHandle);
    if (tracker.stopReason === 'lease-lost' || Date.now() >= tracker.deadline) return run;
    await tracker.progress(run);
    await sleep(MOVE_TASK_POLL_MS);
  }
}

function stopped(run: StoredRun, tracker: ChunkTracker): StoredRun {
  return tracker.stopReason === 'cancelled' ? finished(run, 'CANCELLED', `cancelled: ${summary(run)}`, new Date()) : run;
}

/** This chunk's moves and failures, as metrics of the queue. */
function countChunk(deps: RedriveDeps, queue: RedriveQueue, before: RunCounts, after: RunCounts): void {
  const moved = after.moved + after.archived - (before.moved + before.archived);
  const failed = after.failed - before.failed;
  if (moved > 0) deps.count(queue.name, METRICS.redriveMessagesMoved, moved);
  if (failed > 0) deps.count(queue.name, METRICS.redriveFailures, failed);
}
