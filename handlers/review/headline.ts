/**
 * The headline figures: what the summary says, what the report's top shows, and what the next week's
 * report compares itself with. Keys are stable (`jobs.successRate`, `pages`) so reports of different
 * weeks line up even when a queue is added.
 */
import type { AlarmsReview, ApiReview, HeadlineFigure, QueueReview } from './model';

export function headlineFigures(queues: readonly QueueReview[], alarms: AlarmsReview, api: ApiReview): HeadlineFigure[] {
  return [
    ...queues.flatMap((queue): HeadlineFigure[] => [
      { key: `${queue.name}.processed`, label: `${queue.name}: processed`, value: queue.items.processed, unit: 'count', better: 'up' },
      { key: `${queue.name}.successRate`, label: `${queue.name}: success rate`, value: queue.success.ratePercent, unit: 'percent', better: 'up' },
      { key: `${queue.name}.budgetUsed`, label: `${queue.name}: error budget used`, value: queue.success.budgetUsedPercent, unit: 'percent', better: 'down' },
      { key: `${queue.name}.deadLettered`, label: `${queue.name}: dead-lettered`, value: queue.items.deadLettered, unit: 'count', better: 'down' },
      { key: `${queue.name}.latencyP99`, label: `${queue.name}: end-to-end p99`, value: queue.freshness.p99Ms, unit: 'milliseconds', better: 'down' },
      { key: `${queue.name}.freshWithinTarget`, label: `${queue.name}: within freshness target`, value: queue.freshness.withinTargetPercent, unit: 'percent', better: 'up' },
    ]),
    { key: 'pages', label: 'pages', value: alarms.pages, unit: 'count', better: 'down' },
    { key: 'nightPages', label: 'pages at night', value: alarms.nightPages, unit: 'count', better: 'down' },
    { key: 'timeInAlarm', label: 'time in ALARM', value: alarms.timeInAlarmSeconds, unit: 'seconds', better: 'down' },
    { key: 'mttr', label: 'mean time to recover', value: alarms.meanTimeToRecoverSeconds, unit: 'seconds', better: 'down' },
    { key: 'api.requests', label: 'API requests', value: api.requests, unit: 'count', better: 'up' },
    { key: 'api.serverErrorRate', label: 'API 5xx rate', value: api.serverErrorRatePercent, unit: 'percent', better: 'down' },
  ];
}
