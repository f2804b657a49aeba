/**
 * Reads every planned series with as few GetMetricData calls as CloudWatch allows: one request per
 * grain (a request holds up to 500 queries), each followed through its pages (NextToken), the pieces
 * of a series split across pages joined again. Every call made is counted: the report shows how many.
 */
import { paginateGetMetricData, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Grain, Measure, PlannedSeries } from './metric-plan';

/** GetMetricData's limit of queries per request. */
const MAX_QUERIES_PER_CALL = 500;

export interface Series {
  /** Epoch ms, ascending. */
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

export interface MetricReadings {
  series(subject: string, measure: Measure): Series;
  /** Whether the plan reads this measure for this subject at all (a job worker has no duplicates). */
  planned(subject: string, measure: Measure): boolean;
  /** The planned series with no datapoint at all, as the plan describes them. */
  readonly empty: readonly PlannedSeries[];
  readonly calls: number;
}

export async function readMetrics(cloudWatch: CloudWatchClient, plan: readonly PlannedSeries[], from: Date, to: Date): Promise<MetricReadings> {
  const collected = new Map<string, { timestamps: number[]; values: number[] }>(plan.map((planned) => [planned.id, { timestamps: [], values: [] }]));
  let calls = 0;
  for (const grain of ['daily', 'whole'] as Grain[]) {
    const queries = plan.filter((planned) => planned.grain === grain).map((planned) => planned.query);
    for (let offset = 0; offset < queries.length; offset += MAX_QUERIES_PER_CALL) {
      const pages = paginateGetMetricData(
        { client: cloudWatch },
        { MetricDataQueries: queries.slice(offset, offset + MAX_QUERIES_PER_CALL), StartTime: from, EndTime: to, ScanBy: 'TimestampAscending' },
      );
      for await (const page of pages) {
        calls += 1;
        for (const result of page.MetricDataResults ?? []) {
          const series = collected.get(result.Id ?? '');
          if (!series) continue;
          series.timestamps.push(...(result.Timestamps ?? []).map((timestamp) => timestamp.getTime()));
          series.values.push(...(result.Values ?? []));
        }
      }
    }
  }
  const byKey = new Map(plan.map((planned) => [`${planned.subject}/${planned.measure}`, collected.get(planned.id)!]));
  return {
    series: (subject, measure) => byKey.get(`${subject}/${measure}`) ?? { timestamps: [], values: [] },
    planned: (subject, measure) => byKey.has(`${subject}/${measure}`),
    empty: plan.filter((planned) => collected.get(planned.id)!.values.length === 0),
    calls,
  };
}
