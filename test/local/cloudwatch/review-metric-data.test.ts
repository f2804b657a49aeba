/**
 * What the weekly review relies on from the local CloudWatch, through the SDK as AWS answers it:
 * GetMetricData pages by MaxDatapoints with NextToken (results split across pages carry
 * StatusCode PartialData), DescribeAlarmHistory pages by MaxRecords, and the percentile rank
 * statistic PR(low:high) gives the share of values within a bound.
 */
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  GetMetricDataCommand,
  paginateDescribeAlarmHistory,
  paginateGetMetricData,
  PutMetricDataCommand,
  SetAlarmStateCommand,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloudWatchServer, type CloudWatchServer } from './api-server';

let server: CloudWatchServer;
let client: CloudWatchClient;
let start: Date;

const dimensions = [
  { Name: 'service', Value: 'job-worker' },
  { Name: 'stage', Value: 'local' },
  { Name: 'queue', Value: 'jobs' },
];
const metric = (MetricName: string) => ({ Namespace: 'Tidewatch', MetricName, Dimensions: dimensions });

beforeAll(async () => {
  server = await startCloudWatchServer();
  client = new CloudWatchClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  // Four whole minutes of data, ending a minute before now: JobsSucceeded 1..4, JobsFailed 10..40 and latencies.
  start = new Date(Math.floor(server.clock.now() / 60_000) * 60_000 - 5 * 60_000);
  const minute = (i: number) => new Date(start.getTime() + i * 60_000);
  await client.send(
    new PutMetricDataCommand({
      Namespace: 'Tidewatch',
      MetricData: [0, 1, 2, 3].flatMap((i) => [
        { MetricName: 'JobsSucceeded', Dimensions: dimensions, Timestamp: minute(i), Value: i + 1, Unit: 'Count' as const },
        { MetricName: 'JobsFailed', Dimensions: dimensions, Timestamp: minute(i), Value: 10 * (i + 1), Unit: 'Count' as const },
      ]),
    }),
  );
  // Ten latencies: 100, 200, ... 1000 ms, two of them counted twice (12 samples in all).
  await client.send(
    new PutMetricDataCommand({
      Namespace: 'Tidewatch',
      MetricData: [{ MetricName: 'EndToEndLatency', Dimensions: dimensions, Timestamp: minute(1), Values: [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000], Counts: [1, 1, 1, 1, 2, 1, 1, 1, 1, 2], Unit: 'Milliseconds' }],
    }),
  );
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

const QUERIES: MetricDataQuery[] = [
  { Id: 'succeeded', MetricStat: { Metric: metric('JobsSucceeded'), Period: 60, Stat: 'Sum' } },
  { Id: 'failed', MetricStat: { Metric: metric('JobsFailed'), Period: 60, Stat: 'Sum' } },
  { Id: 'nothing', MetricStat: { Metric: metric('FilesProcessed'), Period: 60, Stat: 'Sum' } },
  { Id: 'ratio', Expression: 'failed / succeeded' },
];

/** Results of every page merged by Id, as a client reassembles them. */
function merge(pages: MetricDataResult[][]): Record<string, { values: number[]; timestamps: number[] }> {
  const merged: Record<string, { values: number[]; timestamps: number[] }> = {};
  for (const result of pages.flat()) {
    const entry = (merged[result.Id!] ??= { values: [], timestamps: [] });
    entry.values.push(...(result.Values ?? []));
    entry.timestamps.push(...(result.Timestamps ?? []).map((t) => t.getTime()));
  }
  return merged;
}

describe('PutMetricData of a large batch', () => {
  it('accepts the gzip-compressed body the SDK sends for requests over 10 KB', async () => {
    const timestamp = new Date(start.getTime() + 4 * 60_000);
    const MetricData = Array.from({ length: 300 }, (_, i) => ({ MetricName: 'RowsProcessed', Dimensions: dimensions, Timestamp: timestamp, Value: i, Unit: 'Count' as const }));
    await client.send(new PutMetricDataCommand({ Namespace: 'Tidewatch', MetricData }));
    const { MetricDataResults = [] } = await client.send(
      new GetMetricDataCommand({ MetricDataQueries: [{ Id: 'rows', MetricStat: { Metric: metric('RowsProcessed'), Period: 60, Stat: 'SampleCount' } }], StartTime: timestamp, EndTime: new Date(timestamp.getTime() + 60_000) }),
    );
    expect(MetricDataResults[0]!.Values).toEqual([300]);
  });
});

describe('GetMetricData pagination', () => {
  it('splits the datapoints into pages of MaxDatapoints, marking a result cut by a page PartialData', async () => {
    const window = { StartTime: start, EndTime: new Date(start.getTime() + 4 * 60_000), ScanBy: 'TimestampAscending' as const };
    const whole = await client.send(new GetMetricDataCommand({ MetricDataQueries: QUERIES, ...window }));
    expect(whole.NextToken).toBeUndefined();

    const first = await client.send(new GetMetricDataCommand({ MetricDataQueries: QUERIES, ...window, MaxDatapoints: 5 }));
    expect(first.MetricDataResults?.map((r) => [r.Id, r.Values, r.StatusCode])).toEqual([
      ['succeeded', [1, 2, 3, 4], 'Complete'],
      ['failed', [10], 'PartialData'],
    ]);
    expect(first.NextToken).toEqual(expect.any(String));

    const pages: MetricDataResult[][] = [];
    for await (const page of paginateGetMetricData({ client }, { MetricDataQueries: QUERIES, ...window, MaxDatapoints: 5 })) pages.push(page.MetricDataResults ?? []);
    expect(pages).toHaveLength(3);
    expect(pages.every((page) => page.reduce((n, r) => n + (r.Values?.length ?? 0), 0) <= 5)).toBe(true);
    expect(merge(pages)).toEqual(merge([whole.MetricDataResults ?? []]));
    // A query without data is answered once, complete and empty.
    expect(pages.flat().filter((r) => r.Id === 'nothing')).toEqual([{ Id: 'nothing', Label: 'FilesProcessed', Timestamps: [], Values: [], StatusCode: 'Complete' }]);
  });

  it('refuses a MaxDatapoints out of range and a NextToken it did not give', async () => {
    const window = { StartTime: start, EndTime: new Date(start.getTime() + 4 * 60_000) };
    await expect(client.send(new GetMetricDataCommand({ MetricDataQueries: QUERIES, ...window, MaxDatapoints: 0 }))).rejects.toThrow(/MaxDatapoints/);
    await expect(client.send(new GetMetricDataCommand({ MetricDataQueries: QUERIES, ...window, NextToken: 'not-a-token' }))).rejects.toMatchObject({ name: 'InvalidNextToken' });
  });
});

describe('percentile rank', () => {
  it('answers PR(low:high): the share of values above low and at most high, in percent', async () => {
    const window = { StartTime: new Date(start.getTime() + 60_000), EndTime: new Date(start.getTime() + 2 * 60_000) };
    const stat = (Stat: string, Id: string): MetricDataQuery => ({ Id, MetricStat: { Metric: metric('EndToEndLatency'), Period: 60, Stat } });
    const { MetricDataResults = [] } = await client.send(
      new GetMetricDataCommand({ MetricDataQueries: [stat('PR(:500)', 'within'), stat('PR(200:600)', 'middle'), stat('PR(900:)', 'slow')], ...window }),
    );
    // 12 samples: 6 at or below 500 ms (100..400, 500 twice); 200 < x <= 600: 300, 400, 500 ×2, 600; above 900: 1000 ×2.
    expect(MetricDataResults.map((r) => [r.Id, r.Values])).toEqual([
      ['within', [50]],
      ['middle', [(5 / 12) * 100]],
      ['slow', [(2 / 12) * 100]],
    ]);
  });

  it('refuses a malformed percentile rank', async () => {
    const window = { StartTime: start, EndTime: new Date(start.getTime() + 60_000) };
    await expect(
      client.send(new GetMetricDataCommand({ MetricDataQueries: [{ Id: 'bad', MetricStat: { Metric: metric('EndToEndLatency'), Period: 60, Stat: 'PR(5:1)' } }], ...window })),
    ).rejects.toThrow(/PR\(5:1\)/);
  });
});

describe('DescribeAlarmHistory pagination', () => {
  it('pages by MaxRecords, every item once, in order', async () => {
    const alarmName = 'files-dead-lettered';
    for (const state of ['ALARM', 'OK', 'ALARM', 'OK', 'ALARM'] as const) {
      await client.send(new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: state, StateReason: `test ${state}` }));
      server.clock.set(server.clock.now() + 1000);
    }
    const whole = await client.send(new DescribeAlarmHistoryCommand({ AlarmName: alarmName, HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }));
    const paged = [];
    let calls = 0;
    for await (const page of paginateDescribeAlarmHistory({ client, pageSize: 2 }, { AlarmName: alarmName, HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' })) {
      calls += 1;
      expect(page.AlarmHistoryItems!.length).toBeLessThanOrEqual(2);
      paged.push(...page.AlarmHistoryItems!);
    }
    expect(whole.AlarmHistoryItems!.length).toBeGreaterThanOrEqual(5);
    expect(calls).toBe(Math.ceil(whole.AlarmHistoryItems!.length / 2));
    expect(paged).toEqual(whole.AlarmHistoryItems);
    await expect(client.send(new DescribeAlarmHistoryCommand({ AlarmName: alarmName, MaxRecords: 101 }))).rejects.toThrow(/MaxRecords/);
  });
});
