/**
 * The dead-letter widget's HTML, one per work queue on the on-call dashboard: DLQ depth and the oldest
 * dead letter seen, the top failure reasons, a sample with its reasons, the progress of a running
 * redrive, and the Peek, Dry run, Redrive and Archive buttons. Pure: from a view to markup, every value
 * escaped by the `html` tag.
 */
import { formatDuration } from '../../../contract/durations';
import { DEAD_LETTER_ARCHIVE_PREFIX, isFinished, progressOf, type DeadLetterSample, type RedriveAnswer, type RedriveRun } from '../../../contract/redrive';
import type { FailureReason } from './failure-reasons';
import { actionButton, html, type Html } from './html';

export interface WidgetView {
  readonly queue: string;
  /** This function's ARN: every button calls it. */
  readonly functionArn: string;
  /** The rate the buttons redrive and archive at. */
  readonly maxPerSecond: number;
  readonly bucket: string;
  readonly depth: { readonly visible: number; readonly inFlight: number };
  readonly topReasons: readonly FailureReason[];
  readonly sample: readonly DeadLetterSample[];
  readonly run?: RedriveRun;
  /** What the last button did. */
  readonly notice?: { readonly error: boolean; readonly text: string };
  readonly now: Date;
}

/** A widget button's event: which button, for which queue. */
export type WidgetButton = 'view' | 'peek' | 'dry-run' | 'redrive' | 'archive' | 'cancel';

const STYLE = html`<style>.tw td,.tw th{padding:2px 8px;text-align:left;vertical-align:top}.tw .error{color:#d13212}.tw .body{font-family:monospace;font-size:90%;word-break:break-all}.tw .muted{color:#687078}</style>`;

export function renderWidget(view: WidgetView): Html {
  const { queue, depth } = view;
  const total = depth.visible + depth.inFlight;
  const oldest = view.sample.map((sample) => sample.sentAt).filter((sentAt): sentAt is string => sentAt !== undefined).sort()[0];
  const running = view.run && !isFinished(view.run.status) ? view.run : undefined;
  return html`${STYLE}<div class="tw">
${view.notice ? html`<p class="${view.notice.error ? 'error' : ''}">${view.notice.text}</p>` : ''}
<p><b>${queue} DLQ: ${total} dead letter${total === 1 ? '' : 's'}</b>${depth.inFlight > 0 ? ` (${depth.inFlight} being looked at)` : ''}${oldest ? html` · oldest of those sampled sent ${formatDuration((view.now.getTime() - Date.parse(oldest)) / 1000)} ago` : ''}</p>
${running ? runProgress(running, view) : view.run ? html`<p class="muted">Last run: ${runLine(view.run)}</p>` : ''}
${reasonsTable(view.topReasons)}
${sampleTable(view.sample)}
<p>${buttons(view, total, running !== undefined)}</p>
</div>`;
}

function buttons(view: WidgetView, total: number, running: boolean): Html[] {
  const call = (widget: WidgetButton, display: 'popup' | 'widget', confirmation?: string, extra: Record<string, unknown> = {}) => ({
    endpoint: view.functionArn,
    params: { widget, queue: view.queue, maxPerSecond: view.maxPerSecond, ...extra },
    display,
    ...(confirmation ? { confirmation } : {}),
  });
  const rate = `${view.maxPerSecond} message${view.maxPerSecond === 1 ? '' : 's'} a second`;
  const shown = view.sample.map((sample) => sample.messageId);
  const list: Html[] = [actionButton('Peek', call('peek', 'popup'))];
  if (running) {
    list.push(actionButton('Cancel redrive', call('cancel', 'widget', `Cancel the running ${view.run?.kind ?? 'redrive'} of ${view.queue}? What it moved stays moved.`)));
    return list;
  }
  list.push(actionButton('Dry run', call('dry-run', 'popup', `Dry run: count the ${total} dead letters of ${view.queue} that a redrive at ${rate} would move? Nothing is changed.`)));
  if (total > 0) {
    list.push(actionButton('Redrive', call('redrive', 'widget', `Redrive all ${total} dead letters of ${view.queue} back to the ${view.queue} queue at ${rate} (about ${formatDuration(total / view.maxPerSecond)})?`), true));
  }
  if (shown.length > 0) {
    const confirmation = `Archive the ${shown.length} dead letter${shown.length === 1 ? '' : 's'} shown to s3://${view.bucket}/${DEAD_LETTER_ARCHIVE_PREFIX}${view.queue}/ at ${rate}, then delete ${shown.length === 1 ? 'it' : 'them'} from the DLQ?`;
    list.push(actionButton('Archive', call('archive', 'widget', confirmation, { messageIds: shown })));
  }
  return list;
}

function runProgress(run: RedriveRun, view: WidgetView): Html {
  const progress = progressOf(run, view.now);
  const eta = progress.etaSeconds === null ? '' : `, about ${formatDuration(progress.etaSeconds)} left`;
  return html`<p><b>${run.kind === 'archive' ? 'Archive' : 'Redrive'} ${run.status}</b> (run ${run.runId}, ${run.mode}, asked by ${run.requestedBy}): ${progress.done} of ${progress.done + progress.remaining} done, ${progress.perSecond.toFixed(1)}/s${eta}${run.canary ? ` · canary ${run.canary.state}` : ''}</p>`;
}

function runLine(run: RedriveRun): string {
  return `${run.kind}${run.dryRun ? ' (dry run)' : ''} ${run.status} at ${run.finishedAt ?? run.updatedAt}, asked by ${run.requestedBy}: ${run.result ?? ''}`;
}

function reasonsTable(reasons: readonly FailureReason[]): Html {
  if (reasons.length === 0) return html`<p class="muted">No dead-lettered failures recorded this week.</p>`;
  return html`<table><tr><th>Dead-lettered this week</th><th>Reason</th></tr>${reasons.map((reason) => html`<tr><td>${reason.count}</td><td>${reason.reason}</td></tr>`)}</table>`;
}

function sampleTable(sample: readonly DeadLetterSample[]): Html {
  if (sample.length === 0) return html``;
  return html`<table><tr><th>Message</th><th>Items</th><th>Reason</th><th>Body</th></tr>${sample.map(sampleRow)}</table>`;
}

function sampleRow(sample: DeadLetterSample): Html {
  return html`<tr><td>${sample.messageId}</td><td>${sample.itemIds.join(', ') || '(none named)'}</td><td>${sample.reason ?? '(no status item)'}</td><td class="body">${sample.bodyExcerpt}</td></tr>`;
}

/** The Peek popup: sample messages with their reasons, each with its own Archive button. */
export function renderPeek(view: Pick<WidgetView, 'queue' | 'functionArn' | 'bucket' | 'maxPerSecond'>, sample: readonly DeadLetterSample[]): Html {
  if (sample.length === 0) return html`${STYLE}<div class="tw"><p>The ${view.queue} DLQ is empty.</p></div>`;
  const rows = sample.map(
    (entry) =>
      html`<tr><td>${entry.messageId}${entry.sentAt ? html`<br><span class="muted">sent ${entry.sentAt}</span>` : ''}</td><td>${entry.itemIds.join(', ') || '(none named)'}</td><td>${entry.reason ?? '(no status item)'}</td><td class="body">${entry.bodyExcerpt}</td><td>${actionButton('Archive', {
        endpoint: view.functionArn,
        params: { widget: 'archive', queue: view.queue, maxPerSecond: view.maxPerSecond, messageIds: [entry.messageId] },
        display: 'widget',
        confirmation: `Archive dead letter ${entry.messageId} to s3://${view.bucket}/${DEAD_LETTER_ARCHIVE_PREFIX}${view.queue}/ (1 message, at ${view.maxPerSecond} a second), then delete it from the DLQ?`,
      })}</td></tr>`,
  );
  return html`${STYLE}<div class="tw"><p><b>${view.queue} DLQ: ${sample.length} dead letters</b> (left in place)</p><table><tr><th>Message</th><th>Items</th><th>Reason</th><th>Body</th><th></th></tr>${rows}</table></div>`;
}

/** The Dry run popup: how many would move, and a sample. */
export function renderDryRun(answer: Extract<RedriveAnswer, { outcome: 'dry-run' }>): Html {
  return html`${STYLE}<div class="tw"><p><b>${answer.run.result ?? ''}</b> at ${answer.run.maxPerSecond} a second. Nothing was changed.</p>${sampleTable(answer.sample)}</div>`;
}

/** One line for what a button's action answered. */
export function noticeOf(answer: RedriveAnswer): { error: boolean; text: string } {
  switch (answer.outcome) {
    case 'started':
      return { error: false, text: `Started ${answer.run.kind} run ${answer.run.runId} (asked by ${answer.run.requestedBy}).` };
    case 'busy':
      return { error: true, text: answer.message };
    case 'error':
      return { error: true, text: `${answer.error}: ${answer.message}` };
    case 'dry-run':
      return { error: false, text: answer.run.result ?? '' };
    case 'status':
      return { error: false, text: answer.run ? `Run ${answer.run.runId}: ${answer.run.status}` : 'No run yet.' };
  }
}
