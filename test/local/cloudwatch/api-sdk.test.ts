import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloudWatchServer, type CloudWatchServer } from './api-server';

let server: CloudWatchServer;
let client: CloudWatchClient;
let now: number;

beforeAll(async () => {
  server = await startCloudWatchServer();
  now = server.clock.now();
  client = new CloudWatchClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

const dimensions = [
  { Name: 'service', Value: 'job-worker' },
  { Name: 'stage', Value: 'local' },
];

describe('the CloudWatch API through @aws-sdk/client-cloudwatch', () => {
  const minuteAgo = (minutes: number) => new Date(Math.floor(now / 60_000) * 60_000 - minutes * 60_000);

  it('stores past datapoints with PutMetricData and answers GetMetricStatistics', async () => {
    await client.send(
      new PutMetricDataCommand({
        Namespace: 'Tidewatch',
        MetricData: [
          { MetricName: 'EndToEndLatency', Dimensions: dimensions, Timestamp: new Date(minuteAgo(30).getTime() + 5_000), Values: [100, 300, 900], Counts: [1, 1, 2], Unit: 'Milliseconds' },
          { MetricName: 'EndToEndLatency', Dimensions: dimensions, Timestamp: new Date(minuteAgo(29).getTime() + 5_000), Value: 50, Unit: 'Milliseconds' },
          { MetricName: 'JobsSucceeded', Dimensions: dimensions, Timestamp: minuteAgo(30), StatisticValues: { SampleCount: 4, Sum: 4, Minimum: 1, Maximum: 1 }, Unit: 'Count' },
        ],
      }),
    );
    const { Label, Datapoints } = await client.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Tidewatch',
        MetricName: 'EndToEndLatency',
        Dimensions: [...dimensions].reverse(),
        StartTime: minuteAgo(31),
        EndTime: minuteAgo(27),
        Period: 60,
        Statistics: ['SampleCount', 'Sum', 'Average', 'Maximum'],
        ExtendedStatistics: ['p50', 'p99'],
      }),
    );
    expect(Label).toBe('EndToEndLatency');
    expect(Datapoints).toEqual([
      { Timestamp: minuteAgo(30), SampleCount: 4, Sum: 2200, Average: 550, Maximum: 900, Unit: 'Milliseconds', ExtendedStatistics: { p50: 300, p99: 900 } },
      { Timestamp: minuteAgo(29), SampleCount: 1, Sum: 50, Average: 50, Maximum: 50, Unit: 'Milliseconds', ExtendedStatistics: { p50: 50, p99: 50 } },
    ]);
  });

  it('answers GetMetricData with MetricStat and metric math, in either order', async () => {
    const queries = [
      { Id: 'latency', MetricStat: { Metric: { Namespace: 'Tidewatch', MetricName: 'EndToEndLatency', Dimensions: dimensions }, Period: 60, Stat: 'Maximum' }, ReturnData: false },
      { Id: 'seconds', Expression: 'FILL(latency, 0) / 1000', Label: 'Latency (s)' },
    ];
    const descending = await client.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: minuteAgo(31), EndTime: minuteAgo(28) }));
    expect(descending.MetricDataResults).toEqual([
      { Id: 'seconds', Label: 'Latency (s)', Timestamps: [minuteAgo(29), minuteAgo(30), minuteAgo(31)], Values: [0.05, 0.9, 0], StatusCode: 'Complete' },
    ]);
    const ascending = await client.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: minuteAgo(31), EndTime: minuteAgo(28), ScanBy: 'TimestampAscending' }));
    expect(ascending.MetricDataResults?.[0].Values).toEqual([0, 0.9, 0.05]);
  });

  it('lists metrics by namespace and dimension', async () => {
    const { Metrics } = await client.send(new ListMetricsCommand({ Namespace: 'Tidewatch', Dimensions: [{ Name: 'service', Value: 'job-worker' }] }));
    expect(Metrics?.map((m) => m.MetricName)).toEqual(['EndToEndLatency', 'JobsSucceeded']);
    expect(Metrics?.[0].Dimensions).toEqual(dimensions);
  });

  it('describes the template alarms, filtered like CloudWatch', async () => {
    await server.cloudWatch.evaluateNow();
    const all = await client.send(new DescribeAlarmsCommand({}));
    expect(all.MetricAlarms).toHaveLength(4); // without AlarmTypes, metric alarms only
    expect(all.CompositeAlarms).toEqual([]);
    const both = await client.send(new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
    expect(both.CompositeAlarms?.map((a) => [a.AlarmName, a.StateValue])).toEqual([['files-any-death', 'OK']]);

    const { MetricAlarms } = await client.send(new DescribeAlarmsCommand({ AlarmNames: ['files-dead-lettered'] }));
    expect(MetricAlarms?.[0]).toMatchObject({
      AlarmName: 'files-dead-lettered',
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:files-dead-lettered',
      ActionsEnabled: true,
      StateValue: 'OK',
      MetricName: 'DeadLettered',
      Namespace: 'Tidewatch',
      Statistic: 'Sum',
      Dimensions: [{ Name: 'service', Value: 'file-worker' }, { Name: 'stage', Value: 'local' }],
      Period: 10,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(MetricAlarms?.[0].StateUpdatedTimestamp).toEqual(new Date(now));

    const prefixed = await client.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'Tidewatch-local-FilesDlq' }));
    expect(prefixed.MetricAlarms?.map((a) => a.MetricName)).toEqual(['ApproximateNumberOfMessagesVisible']);
    const unknown = await client.send(new DescribeAlarmsCommand({ StateValue: 'INSUFFICIENT_DATA' }));
    expect(unknown.MetricAlarms?.map((a) => a.ExtendedStatistic)).toEqual(['p99']);
    const math = await client.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'Tidewatch-local-FilesStalled' }));
    expect(math.MetricAlarms?.[0].Metrics?.map((m) => m.Id)).toEqual([expect.any(String), 'visible', 'deleted']);
    const paged = await client.send(new DescribeAlarmsCommand({ MaxRecords: 3 }));
    const rest = await client.send(new DescribeAlarmsCommand({ MaxRecords: 3, NextToken: paged.NextToken }));
    expect([...(paged.MetricAlarms ?? []), ...(rest.MetricAlarms ?? [])].map((a) => a.AlarmName)).toEqual(all.MetricAlarms?.map((a) => a.AlarmName));
  });

  it('sets an alarm state, pages, and shows it in the history', async () => {
    server.clock.set(now + 1_000);
    await client.send(new SetAlarmStateCommand({ AlarmName: 'files-dead-lettered', StateValue: 'ALARM', StateReason: 'testing the page' }));
    expect(server.published.at(-2)?.message).toMatchObject({ AlarmName: 'files-dead-lettered', NewStateValue: 'ALARM', NewStateReason: 'testing the page' });

    const { AlarmHistoryItems } = await client.send(
      new DescribeAlarmHistoryCommand({ AlarmName: 'files-dead-lettered', HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }),
    );
    expect(AlarmHistoryItems?.map((i) => i.HistorySummary)).toEqual(['Alarm updated from INSUFFICIENT_DATA to OK', 'Alarm updated from OK to ALARM']);
    expect(AlarmHistoryItems?.[1]).toMatchObject({ AlarmType: 'MetricAlarm', Timestamp: new Date(now + 1_000) });
    expect(JSON.parse(AlarmHistoryItems![1].HistoryData!).newState.stateReason).toBe('testing the page');

    const recent = await client.send(new DescribeAlarmHistoryCommand({ StartDate: new Date(now + 500), EndDate: new Date(now + 2_000) }));
    expect(recent.AlarmHistoryItems?.map((i) => [i.AlarmName, i.HistoryItemType])).toEqual([
      ['files-dead-lettered', 'Action'],
      ['files-dead-lettered', 'StateUpdate'],
    ]);
    const composites = await client.send(new DescribeAlarmHistoryCommand({ AlarmTypes: ['CompositeAlarm'], HistoryItemType: 'StateUpdate' }));
    expect(composites.AlarmHistoryItems?.[0]).toMatchObject({ AlarmName: 'files-any-death', HistorySummary: 'Alarm updated from OK to ALARM' });
  });

  it('answers CloudWatch errors the SDK maps to its exception classes', async () => {
    const error = async (send: () => Promise<unknown>) => {
      try {
        await send();
      } catch (e) {
        return e as Error & { $metadata: { httpStatusCode: number } };
      }
      throw new Error('expected an error');
    };
    const notFound = await error(() => client.send(new SetAlarmStateCommand({ AlarmName: 'no-such-alarm', StateValue: 'OK', StateReason: 'x' })));
    expect([notFound.name, notFound.message, notFound.$metadata.httpStatusCode]).toEqual(['ResourceNotFound', 'Alarm no-such-alarm not found', 404]);

    const reserved = await error(() => client.send(new PutMetricDataCommand({ Namespace: 'AWS/SQS', MetricData: [{ MetricName: 'X', Value: 1 }] })));
    expect([reserved.name, reserved.message]).toEqual(['InvalidParameterValueException', 'The value AWS/SQS for parameter Namespace is invalid: AWS/ is reserved.']);

    const stale = await error(() => client.send(new PutMetricDataCommand({ Namespace: 'T', MetricData: [{ MetricName: 'X', Value: 1, Timestamp: new Date(now - 15 * 24 * 3600_000) }] })));
    expect(stale.message).toMatch(/within the last two weeks/);

    const math = await error(() => client.send(new GetMetricDataCommand({ MetricDataQueries: [{ Id: 'e', Expression: 'ANOMALY_DETECTION_BAND(m)', Period: 60 }], StartTime: minuteAgo(5), EndTime: minuteAgo(1) })),
    );
    expect([math.name, math.message]).toEqual(['InvalidParameterValueException', expect.stringContaining('does not support the metric math function ANOMALY_DETECTION_BAND')]);

    const both = await error(() => client.send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'a' })));
    expect(both.name).toBe('InvalidParameterCombinationException');

    const unsupportedAction = await error(() => client.send(new PutMetricAlarmCommand({ AlarmName: 'x', EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold', Threshold: 1 })),
    );
    expect([unsupportedAction.name, unsupportedAction.$metadata.httpStatusCode]).toEqual(['UnknownOperationException', 400]);
    expect(unsupportedAction.message).toMatch(/^The local CloudWatch does not support the action PutMetricAlarm \(supported: PutMetricData, GetMetricData/);
  });

  it('answers a query-protocol request with an XML error naming the action', async () => {
    const response = await fetch(server.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListMetrics&Version=2010-08-01',
    });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain('<Code>UnsupportedProtocol</Code>');
    expect(body).toContain('the query-protocol action ListMetrics is not supported');
  });
});
