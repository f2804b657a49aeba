/**
 * Builds one review report: reads CloudWatch (metrics, alarms and their history), the status index,
 * the redrive ledger, the monthly cost and the earlier weeks' reports, in parallel, then assembles the
 * figures, trends and suggested actions from what was read.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReviewSources } from '../../contract/review';
import { suggestedActions } from './actions';
import { alarmFacts } from './alarm-facts';
import { readAlarms } from './alarm-reader';
import { readFailureReasons } from './failure-reasons';
import { headlineFigures } from './headline';
import { planSeries } from './metric-plan';
import { readMetrics } from './metric-readings';
import { missingData } from './missing-data';
import { REPORT_VERSION, type ReviewReport } from './model';
import type { MonthlyCostSource } from './monthly-cost';
import { PeriodError, periodDays, weekBefore, type ReviewPeriod } from './period';
import { apiFigures, queueFigures } from './queue-figures';
import { redriveCountsOf, type RedriveLedger } from './redrive-ledger';
import { readEarlierReports } from './report-store';
import { trends } from './trends';

export interface ReviewDependencies {
  readonly cloudWatch: CloudWatchClient;
  readonly documents: DynamoDBDocumentClient;
  readonly s3: S3Client;
  readonly bucket: string;
  readonly statusTable: string;
  readonly sources: ReviewSources;
  readonly redriveLedger: RedriveLedger;
  readonly monthlyCost: MonthlyCostSource;
}

/** Earlier weeks read for the four-week figures: this week and the three before. */
const EARLIER_WEEKS = 3;

/** The report of `period` as known at `asOf` (a period not over yet is reported up to `asOf`). */
export async function buildReport(deps: ReviewDependencies, period: ReviewPeriod, asOf: Date): Promise<ReviewReport> {
  const started = Date.now();
  if (asOf <= period.from) throw new PeriodError(`${period.label} has not started yet (it starts ${period.from.toISOString()})`);
  const until = asOf < period.to ? asOf : period.to;
  const { sources } = deps;
  const plan = planSeries(sources, (period.to.getTime() - period.from.getTime()) / 1000);
  const [readings, alarmReading, failures, redrives, cost, earlier] = await Promise.all([
    readMetrics(deps.cloudWatch, plan, period.from, until),
    readAlarms(deps.cloudWatch, sources.stackName, period.from, asOf),
    readFailureReasons(deps.documents, deps.statusTable, period.from, until),
    deps.redriveLedger.runsBetween(period.from, until),
    deps.monthlyCost.monthlyCost(),
    period.week ? readEarlierReports(deps.s3, deps.bucket, period.week, EARLIER_WEEKS) : Promise.resolve([]),
  ]);

  const days = periodDays(period);
  const queues = sources.workQueues.map((queue) => queueFigures(queue, sources, readings, { from: period.from, days }, redriveCountsOf(redrives, queue.name)));
  const api = apiFigures(readings);
  const alarms = alarmFacts({
    ...alarmReading,
    from: period.from,
    to: until,
    timeZone: sources.timeZone,
    earlierFiredByAlarm: earlier.map((report) => report.alarms.firedByAlarm),
  });
  const headline = headlineFigures(queues, alarms, api);
  const missing = missingData(readings);
  return {
    version: REPORT_VERSION,
    period: {
      label: period.label,
      ...(period.week ? { week: period.week } : {}),
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      ...(until < period.to ? { partialUntil: until.toISOString() } : {}),
      days,
    },
    generatedAt: asOf.toISOString(),
    stack: { name: sources.stackName, stage: sources.stage },
    timeZone: sources.timeZone,
    slo: { successPercent: sources.successSloPercent, freshnessPercent: sources.freshnessSloPercent, freshnessSeconds: sources.freshnessSloSeconds },
    queues,
    api,
    alarms,
    redrives,
    failureReasons: failures.review,
    cost,
    headline,
    trends: trends({
      headline,
      current: { queues, alarms },
      earlier,
      previousWeek: period.week ? weekBefore(period.week, 1) : null,
      successSloPercent: sources.successSloPercent,
    }),
    actions: suggestedActions({ queues, alarms, missingData: missing }),
    missingData: missing,
    gathering: {
      getMetricDataCalls: readings.calls,
      describeAlarmsCalls: alarmReading.describeAlarmsCalls,
      describeAlarmHistoryCalls: alarmReading.describeAlarmHistoryCalls,
      statusIndexQueries: failures.queries,
      previousReportsRead: earlier.length,
      durationMs: Date.now() - started,
    },
  };
}
