/**
 * The dashboard's dead-letter widget: CloudWatch calls this function with `widgetContext` to draw it, and
 * its buttons call it again with their parameters. Every button goes through the same request checks,
 * actions and audit ledger as the CLI, with the dashboard as who asked; the answer is HTML.
 */
import * as z from 'zod';
import { DEFAULT_RATE, MAX_SELECTIVE_RATE, type RedriveAnswer } from '../../../contract/redrive';
import { cancelRun, runStatus, startRun } from '../actions';
import type { RedriveDeps } from '../deps';
import { describeMessages, sampleOf } from '../pass';
import { BadRequestError, parseRequest } from '../request';
import type { FailureReason } from './failure-reasons';
import type { Html } from './html';
import { noticeOf, renderDryRun, renderPeek, renderWidget, type WidgetButton, type WidgetView } from './render';

/** Dead letters the widget and its Peek show. */
const SAMPLE_SIZE = 5;
const PEEK_SIZE = 10;

export interface WidgetDeps extends RedriveDeps {
  readonly bucket: string;
  topFailureReasons(queue: string): Promise<readonly FailureReason[]>;
}

const WidgetEventSchema = z.object({
  widgetContext: z.object({ dashboardName: z.string().optional() }).loose(),
  queue: z.string(),
  widget: z.enum(['view', 'peek', 'dry-run', 'redrive', 'archive', 'cancel'] satisfies WidgetButton[]).default('view'),
  maxPerSecond: z.coerce.number().int().min(1).max(MAX_SELECTIVE_RATE).default(DEFAULT_RATE),
  messageIds: z.array(z.string()).optional(),
});

/** Whether CloudWatch (a dashboard or one of its buttons) is calling. */
export function isWidgetEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && 'widgetContext' in event;
}

export async function renderWidgetEvent(event: unknown, deps: WidgetDeps, functionArn: string, remainingMs: () => number): Promise<Html> {
  const parsed = WidgetEventSchema.safeParse(event);
  if (!parsed.success) throw new BadRequestError(`the widget's parameters name no queue: ${parsed.error.message}`);
  const { queue: name, widget, maxPerSecond, messageIds, widgetContext } = parsed.data;
  const queue = deps.queues.get(name);
  if (!queue) throw new BadRequestError(`unknown queue ${JSON.stringify(name)}; the work queues are ${[...deps.queues.keys()].join(', ')}`);
  const requestedBy = `dashboard ${widgetContext.dashboardName ?? '(unnamed)'}`;
  const base = { queue: name, functionArn, maxPerSecond, bucket: deps.bucket };
  const act = async (request: Record<string, unknown>): Promise<RedriveAnswer> => {
    try {
      return await startRun(parseRequest({ queue: name, maxPerSecond, requestedBy, ...request }, deps.queues), deps, remainingMs);
    } catch (error) {
      if (error instanceof BadRequestError) return { outcome: 'error', error: 'InvalidRequest', message: error.message };
      throw error;
    }
  };
  switch (widget) {
    case 'peek':
      return renderPeek(base, await sample(deps, queue.name, PEEK_SIZE));
    case 'dry-run': {
      const answer = await act({ action: 'start', dryRun: true });
      return answer.outcome === 'dry-run' ? renderDryRun(answer) : view(deps, base, answer);
    }
    case 'redrive':
      return view(deps, base, await act({ action: 'start', mode: 'selective' }));
    case 'archive':
      return view(deps, base, await act({ action: 'archive', messageIds }));
    case 'cancel':
      return view(deps, base, await cancelRun(queue, requestedBy, deps));
    case 'view':
      return view(deps, base);
  }
}

async function view(deps: WidgetDeps, base: Pick<WidgetView, 'queue' | 'functionArn' | 'maxPerSecond' | 'bucket'>, answer?: RedriveAnswer): Promise<Html> {
  const queue = deps.queues.get(base.queue)!;
  // Counted before the sample is peeked at, which receives (and so, for a moment, holds) what it shows.
  const depth = await deps.dlq(queue).depth();
  const [status, topReasons, shown] = await Promise.all([runStatus(queue, deps), deps.topFailureReasons(queue.name), sample(deps, queue.name, SAMPLE_SIZE)]);
  const run = status.outcome === 'status' ? status.run : undefined;
  return renderWidget({ ...base, depth, topReasons, sample: shown, ...(run ? { run } : {}), ...(answer ? { notice: noticeOf(answer) } : {}), now: new Date() });
}

/** A few dead letters, left in place, with what they are about and why they failed. */
async function sample(deps: WidgetDeps, name: string, size: number) {
  const queue = deps.queues.get(name)!;
  const messages = await deps.dlq(queue).peek(size);
  return (await describeMessages({ worker: queue.worker, statusItems: (ids) => deps.statusItems(ids) }, messages, true)).map(sampleOf);
}
