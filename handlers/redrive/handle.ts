/**
 * What the redrive function does with an event: draw the dashboard widget (or act on one of its
 * buttons), run the next chunk of a run (its own hand-off), or answer a caller's request. A bad request
 * is answered `{outcome: 'error'}` (or shown in the widget), not thrown: nothing was done, and the
 * function's Errors metric stays a signal of its own failures.
 */
import type { Context } from 'aws-lambda';
import type { RedriveAnswer } from '../../contract/redrive';
import { cancelRun, runStatus, startRun } from './actions';
import { BadRequestError, isContinueEvent, parseRequest } from './request';
import { runChunk } from './run-chunk';
import { html } from './widget/html';
import { isWidgetEvent, renderWidgetEvent, type WidgetDeps } from './widget/widget';

export async function handleEvent(event: unknown, deps: WidgetDeps, context: Context): Promise<RedriveAnswer | string | null> {
  const remainingMs = () => context.getRemainingTimeInMillis();
  try {
    if (isWidgetEvent(event)) return (await renderWidgetEvent(event, deps, context.invokedFunctionArn, remainingMs)).markup;
    if (isContinueEvent(event)) {
      await runChunk(event, deps, remainingMs);
      return null;
    }
    const request = parseRequest(event, deps.queues);
    switch (request.action) {
      case 'start':
      case 'archive':
        return await startRun(request, deps, remainingMs);
      case 'status':
        return await runStatus(request.queue, deps);
      case 'cancel':
        return await cancelRun(request.queue, request.requestedBy, deps);
    }
  } catch (error) {
    if (!(error instanceof BadRequestError)) throw error;
    deps.logger.warn('redrive request refused', { reason: error.message });
    if (isWidgetEvent(event)) return html`<p>${error.message}</p>`.markup;
    return { outcome: 'error', error: 'InvalidRequest', message: error.message };
  }
}
