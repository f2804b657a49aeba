/**
 * Following a run until it ends (`--wait`): on a terminal, a progress bar (cli-progress) with what moved,
 * what remains, the rate and the time left; otherwise one plain line each time the count moves, so a log
 * or CI reads it too. Nothing with --json: stdout is then the final report alone.
 */
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Presets, SingleBar } from 'cli-progress';
import { formatDuration } from '../contract/durations';
import { isFinished, progressOf, type RedriveRun } from '../contract/redrive';
import { CliError } from './errors';

export interface ProgressReporter {
  update(run: RedriveRun, now: Date): void;
  stop(): void;
}

/** How often a running run is read. */
const POLL_MS = 1_000;

export function progressReporter(stream: Writable & { readonly isTTY?: boolean }, quiet: boolean): ProgressReporter {
  if (quiet) return { update: () => undefined, stop: () => undefined };
  return stream.isTTY ? barReporter(stream) : lineReporter(stream);
}

function payloadOf(run: RedriveRun, now: Date) {
  const progress = progressOf(run, now);
  return {
    progress,
    total: progress.done + progress.remaining,
    payload: {
      verb: run.kind === 'archive' ? 'archived' : 'moved',
      remaining: progress.remaining,
      rate: progress.perSecond.toFixed(1),
      timeLeft: progress.etaSeconds === null ? '-' : formatDuration(progress.etaSeconds),
      status: run.canary && run.canary.state !== 'passed' ? `canary ${run.canary.state}` : run.status,
    },
  };
}

function barReporter(stream: Writable): ProgressReporter {
  const bar = new SingleBar(
    {
      stream: stream as NodeJS.WritableStream,
      // Our own ETA (from the run's pace since it started), not the library's {eta}, which only sees this process's updates.
      format: '{bar} {value}/{total} {verb} | {remaining} left | {rate}/s | ETA {timeLeft} | {status}',
      hideCursor: true,
      barsize: 30,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(run, now) {
      const { progress, total, payload } = payloadOf(run, now);
      if (!started) {
        bar.start(total, progress.done, payload);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(progress.done, payload);
      }
    },
    stop: () => started && bar.stop(),
  };
}

function lineReporter(stream: Writable): ProgressReporter {
  let last = '';
  return {
    update(run, now) {
      const { progress, total, payload } = payloadOf(run, now);
      const line = `${run.queue}: ${progress.done}/${total} ${payload.verb}, ${payload.remaining} remaining, ${payload.rate}/s, ETA ${payload.timeLeft} (${payload.status})`;
      // A line only when something changed: a long run does not flood a log.
      const key = `${progress.done}/${total} ${payload.status}`;
      if (key !== last) stream.write(`${line}\n`);
      last = key;
    },
    stop: () => undefined,
  };
}

/** Reads the run until it ends, reporting its progress; answers how it ended. */
export async function followRun(readLatest: () => Promise<RedriveRun | undefined>, runId: string, reporter: ProgressReporter, now: () => Date = () => new Date()): Promise<RedriveRun> {
  try {
    for (;;) {
      const run = await readLatest();
      if (run?.runId !== runId) throw new CliError(`run ${runId} is no longer the queue's latest (${run ? `run ${run.runId} followed it` : 'no run found'}): see tidewatch redrive history`, 'RunReplaced');
      reporter.update(run, now());
      if (isFinished(run.status)) return run;
      await sleep(POLL_MS);
    }
  } finally {
    reporter.stop();
  }
}
