/** How the redrive commands print a run, a dry run's sample and a run's moved items, for a person. */
import { formatDuration } from '../contract/durations';
import { isFinished, progressOf, type DeadLetterSample, type RedriveFilter, type RedriveRun } from '../contract/redrive';
import { formatTime, table, type Style } from './terminal';

/** Whether a run ended cleanly: completed, with nothing left behind by a failure. */
export function endedCleanly(run: RedriveRun): boolean {
  return run.status === 'COMPLETED' && run.counts.failed === 0;
}

/** The exit code of a command that reports a run: 0 running or clean, 2 ended otherwise (stopped, cancelled, failures left). */
export function exitCodeOf(run: RedriveRun | undefined): number {
  return run && isFinished(run.status) && !endedCleanly(run) ? 2 : 0;
}

export function filterText(filter: RedriveFilter | undefined): string {
  if (!filter) return 'none';
  const terms = [
    filter.failureClass && `class=${filter.failureClass}`,
    filter.messageContains && `message=${filter.messageContains}`,
    filter.olderThan && `older-than=${filter.olderThan}`,
    filter.newerThan && `newer-than=${filter.newerThan}`,
    filter.bodyField && `body.${filter.bodyField.path}=${filter.bodyField.equals}`,
  ];
  return terms.filter(Boolean).join(' ');
}

export function renderRun(run: RedriveRun, style: Style, now: Date): string[] {
  const colour = run.status === 'COMPLETED' ? style.green : run.status === 'RUNNING' || run.status === 'CANCELLING' ? style.yellow : style.red;
  const what = `${run.kind === 'archive' ? 'ARCHIVE' : 'REDRIVE'}${run.dryRun ? ' (dry run)' : ''}`;
  const lines = [
    `${style.bold(`${what} ${run.queue}`)}  run ${run.runId}  ${colour(style.bold(run.status))}`,
    `  ${run.mode}, ${run.maxPerSecond}/s, filter ${filterText(run.filter)}${run.limit !== undefined ? `, limit ${run.limit}` : ''}${run.messageIds ? `, ${run.messageIds.length} message id(s)` : ''}${run.canary ? `, canary ${run.canary.size} (${run.canary.state})` : ''}`,
    `  asked by ${run.requestedBy}${run.callerArn ? ` (${run.callerArn})` : ''}, started ${formatTime(new Date(run.startedAt), now)}${run.finishedAt ? `, ended ${formatTime(new Date(run.finishedAt), now)}` : ''}`,
    `  ${progressLine(run, now)}`,
  ];
  if (run.result) lines.push(`  ${run.result}`);
  if (run.failures.length > 0) {
    lines.push(`  ${style.dim('failures')}`);
    lines.push(...table(run.failures.map((failure) => [failure.itemId ?? failure.messageId ?? '-', failure.reason]), [], '    '));
  }
  return lines;
}

/** `moved 3 of 12, failed 0, scanned 3, 1.5/s, about 6s left` (the rate and time left while it runs). */
export function progressLine(run: RedriveRun, now: Date): string {
  const progress = progressOf(run, now);
  const pace = isFinished(run.status) ? '' : `, ${progress.perSecond.toFixed(1)}/s${progress.etaSeconds === null ? '' : `, about ${formatDuration(progress.etaSeconds)} left`}`;
  return `${run.kind === 'archive' ? 'archived' : 'moved'} ${progress.done} of ${progress.done + progress.remaining}, failed ${run.counts.failed}, scanned ${run.counts.scanned}${pace}`;
}

export function renderSample(sample: readonly DeadLetterSample[], style: Style): string[] {
  if (sample.length === 0) return [];
  return [
    `  ${style.dim('sample')}`,
    ...table(
      sample.map((entry) => [entry.messageId, entry.itemIds.join(',') || '-', entry.reason ?? '(no status item)', entry.bodyExcerpt.slice(0, 80)]),
      [],
      '    ',
    ),
  ];
}
