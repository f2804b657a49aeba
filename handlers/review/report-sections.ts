/**
 * The report as sections of plain text: paragraphs, lists and tables of formatted figures. The HTML and
 * the Markdown both render these, so the two carry the same numbers by construction; the HTML adds the
 * charts beside the sections they illustrate.
 */
import { change, count, duration, figure, milliseconds, NO_DATA, percent, yesNo } from './format';
import type { QueueReview, ReviewReport } from './model';

export interface Table {
  readonly headers: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

export type Chart = { readonly kind: 'burn-down' | 'daily-items'; readonly queue: string } | { readonly kind: 'pages-by-hour' };

export interface Section {
  readonly id: string;
  readonly title: string;
  readonly paragraphs?: readonly string[];
  readonly list?: readonly string[];
  readonly tables?: readonly Table[];
  readonly charts?: readonly Chart[];
}

export function reportSections(report: ReviewReport): Section[] {
  return [
    actionsSection(report),
    ...report.queues.map((queue) => queueSection(report, queue)),
    apiSection(report),
    alarmsSection(report),
    redrivesSection(report),
    failuresSection(report),
    costSection(report),
    fourWeeksSection(report),
    dataSection(report),
  ];
}

/** One line per headline figure with its week-over-week change. */
export function headlineRows(report: ReviewReport): Array<{ key: string; label: string; value: string; change: string }> {
  const changes = new Map(report.trends.weekOverWeek.map((delta) => [delta.key, delta]));
  return report.headline.map((headline) => ({
    key: headline.key,
    label: headline.label,
    value: figure(headline.value, headline.unit),
    change: change(changes.get(headline.key), headline.unit),
  }));
}

function actionsSection(report: ReviewReport): Section {
  return {
    id: 'actions',
    title: 'Suggested actions',
    ...(report.actions.length > 0 ? { list: report.actions.map((action) => `[${action.severity}] ${action.text}`) } : { paragraphs: ['Nothing to act on.'] }),
  };
}

function queueSection(report: ReviewReport, queue: QueueReview): Section {
  const { items, success, freshness, queueAge, deadLetterQueue: dlq } = queue;
  const fn = queue.function;
  return {
    id: `queue-${queue.name}`,
    title: `Work queue ${queue.name} (${queue.worker})`,
    tables: [
      {
        headers: ['in', 'processed', 'duplicates', 'failed (bad input)', 'dead-lettered', 'redriven', 'archived'],
        rows: [[count(items.in), count(items.processed), count(items.duplicates), count(items.failed), count(items.deadLettered), count(items.redriven), count(items.archived)]],
      },
      {
        headers: ['SLO', 'target', 'actual', 'met', 'error budget used'],
        rows: [
          ['success (not dead-lettered)', percent(report.slo.successPercent, 1), percent(success.ratePercent), yesNo(success.met), percent(success.budgetUsedPercent, 1)],
          [`freshness (within ${report.slo.freshnessSeconds} s)`, percent(report.slo.freshnessPercent, 1), percent(freshness.withinTargetPercent), yesNo(freshness.met), percent(freshness.budgetUsedPercent, 1)],
        ],
      },
      {
        headers: ['day', 'in', 'processed', 'failed', 'dead-lettered', 'budget left'],
        rows: queue.daily.map((day, i) => [day.day, count(day.in), count(day.processed), count(day.failed), count(day.deadLettered), percent(success.burnDown[i]?.remainingPercent ?? null, 1)]),
      },
      {
        headers: ['end-to-end p50', 'end-to-end p99', 'queue age p99', 'queue age worst', 'DLQ at end', 'oldest dead letter', 'expires in'],
        rows: [
          [
            milliseconds(freshness.p50Ms),
            milliseconds(freshness.p99Ms),
            duration(queueAge.p99Seconds),
            duration(queueAge.worstSeconds),
            count(dlq.depthAtEnd),
            duration(dlq.oldestAgeSecondsAtEnd),
            dlq.oldestExpiresInDays === null ? NO_DATA : `${dlq.oldestExpiresInDays.toFixed(1)} d`,
          ],
        ],
      },
      {
        headers: ['function', 'invocations', 'errors', 'throttles', 'cold starts', 'duration p99', 'of timeout'],
        rows: [[fn.functionName, count(fn.invocations), count(fn.errors), count(fn.throttles), count(fn.coldStarts), milliseconds(fn.durationP99Ms), percent(fn.durationP99ShareOfTimeoutPercent, 0)]],
      },
    ],
    charts: [
      { kind: 'burn-down', queue: queue.name },
      { kind: 'daily-items', queue: queue.name },
    ],
  };
}

function apiSection({ api }: ReviewReport): Section {
  return {
    id: 'api',
    title: 'HTTP API',
    tables: [{ headers: ['requests', '4xx', '5xx', '5xx rate', 'latency p99'], rows: [[count(api.requests), count(api.clientErrors), count(api.serverErrors), percent(api.serverErrorRatePercent), milliseconds(api.latencyP99Ms)]] }],
  };
}

function alarmsSection({ alarms, timeZone }: ReviewReport): Section {
  return {
    id: 'alarms',
    title: 'Alarms',
    paragraphs: [
      `${count(alarms.pages)} page(s), ${count(alarms.nightPages)} at night (22:00–07:00 ${timeZone}); ${duration(alarms.timeInAlarmSeconds)} in ALARM in all; mean time to recover ${duration(alarms.meanTimeToRecoverSeconds)}; ${alarms.total} alarms.`,
      alarms.silent.names.length === 0
        ? `Every alarm fired at least once in the last ${alarms.silent.weeksCovered} week(s) of reports.`
        : `Never fired in the last ${alarms.silent.weeksCovered} week(s) of reports: ${alarms.silent.names.join(', ')}.`,
    ],
    tables: [
      {
        headers: ['alarm', 'fired', 'time in ALARM', 'recoveries', 'mean time to recover', 'flapping days', 'ended in'],
        rows: alarms.notable.map((alarm) => [
          alarm.paging ? alarm.name : `${alarm.name} (no page)`,
          count(alarm.fired),
          duration(alarm.timeInAlarmSeconds),
          count(alarm.recoveries),
          duration(alarm.meanTimeToRecoverSeconds),
          alarm.flappingDays > 0 ? `${alarm.flappingDays} (up to ${alarm.mostTransitionsInADay} a day)` : '0',
          alarm.stateAtEnd === 'ALARM' ? `ALARM since ${alarm.inAlarmSince ?? 'before the period'}` : alarm.stateAtEnd,
        ]),
      },
    ],
    charts: [{ kind: 'pages-by-hour' }],
  };
}

function redrivesSection({ redrives }: ReviewReport): Section {
  if (!redrives.available) return { id: 'redrives', title: 'Redrives', paragraphs: [redrives.note] };
  return {
    id: 'redrives',
    title: 'Redrives',
    tables: [
      {
        headers: ['when', 'queue', 'who', 'action', 'moved', 'failed', 'archived', 'succeeded since'],
        rows: redrives.runs.map((run) => [run.at, run.queue, run.requestedBy, run.action, count(run.moved), count(run.failed), count(run.archived), count(run.succeededAfter)]),
      },
    ],
  };
}

function failuresSection({ failureReasons }: ReviewReport): Section {
  return {
    id: 'failures',
    title: 'Top failure reasons',
    paragraphs: [`${count(failureReasons.failedItems)} item(s) ended FAILED${failureReasons.truncated ? ' (the newest of more)' : ''}.`],
    tables: [{ headers: ['queue', 'error', 'message', 'items'], rows: failureReasons.top.map((reason) => [reason.queue, reason.errorClass, reason.message, count(reason.count)]) }],
  };
}

function costSection({ cost }: ReviewReport): Section {
  return { id: 'cost', title: 'Monitoring cost', paragraphs: [cost.computed ? `$${cost.monthlyUsd.toFixed(2)} a month (${cost.basis}).` : cost.note] };
}

function fourWeeksSection({ trends }: ReviewReport): Section {
  const { fourWeeks } = trends;
  return {
    id: 'four-weeks',
    title: `Four weeks (${fourWeeks.weeksCovered} with a report)`,
    paragraphs: [`${count(fourWeeks.pages)} page(s), ${duration(fourWeeks.timeInAlarmSeconds)} in ALARM.${trends.previousPeriod ? ` Changes are against ${trends.previousPeriod}.` : ' No report of the week before to compare with.'}`],
    tables: [
      {
        headers: ['queue', 'processed', 'dead-lettered', 'success rate', 'error budget used'],
        rows: fourWeeks.queues.map((queue) => [queue.name, count(queue.processed), count(queue.deadLettered), percent(queue.successRatePercent), percent(queue.budgetUsedPercent, 1)]),
      },
    ],
  };
}

function dataSection({ missingData, gathering }: ReviewReport): Section {
  return {
    id: 'data',
    title: 'Data',
    paragraphs: [
      missingData.length === 0 ? 'No expected metric was missing.' : `Missing: ${missingData.join('; ')}.`,
      `Read with ${gathering.getMetricDataCalls} GetMetricData, ${gathering.describeAlarmsCalls} DescribeAlarms and ${gathering.describeAlarmHistoryCalls} DescribeAlarmHistory call(s), ${gathering.statusIndexQueries} status index quer(ies) and ${gathering.previousReportsRead} earlier report(s), in ${duration(gathering.durationMs / 1000)}.`,
    ],
  };
}
