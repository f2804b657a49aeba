/**
 * The dashboard page's same-origin calls to the local AWS endpoint, made with the AWS SDK as the console
 * makes them: GetMetricData for the graphs, DescribeAlarms for the alarm status widget and Lambda Invoke
 * for custom widgets. Bad input is a 400 with `{error, message}`; an error the endpoint answers is
 * passed on with its AWS error code (502: the page shows it in the widget).
 */
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import * as z from 'zod';
import type { AlarmSummary } from './page/alarm-status';
import type { QueryData } from './page/metric-chart';

export interface DashboardApiOptions {
  readonly endpoint: string;
  readonly region: string;
}

export class DashboardInputError extends Error {
  override readonly name = 'DashboardInputError';
}

const MetricDataRequest = z.object({
  queries: z.array(z.looseObject({ Id: z.string() })).min(1).max(500),
  start: z.iso.datetime(),
  end: z.iso.datetime(),
});
const AlarmsRequest = z.object({ names: z.array(z.string().min(1)).max(100) });
const InvokeRequest = z.object({ functionName: z.string().min(1), event: z.record(z.string(), z.unknown()) });

/** What a custom widget's function answered: its result, or how it failed. */
export interface InvokeAnswer {
  readonly payload?: unknown;
  readonly functionError?: string;
}

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export class DashboardApi {
  private readonly cloudWatch: CloudWatchClient;
  private readonly lambda: LambdaClient;

  constructor(options: DashboardApiOptions) {
    const config = { endpoint: options.endpoint, region: options.region, credentials: CREDENTIALS };
    this.cloudWatch = new CloudWatchClient(config);
    this.lambda = new LambdaClient(config);
  }

  /** Every page of GetMetricData's answer, each query's points joined. */
  async metricData(input: unknown): Promise<QueryData[]> {
    const { queries, start, end } = parse(MetricDataRequest, input, 'metric data');
    const results = new Map<string, { timestamps: string[]; values: number[] }>();
    let nextToken: string | undefined;
    do {
      const page = await this.cloudWatch.send(
        new GetMetricDataCommand({ MetricDataQueries: queries as MetricDataQuery[], StartTime: new Date(start), EndTime: new Date(end), ScanBy: 'TimestampAscending', NextToken: nextToken }),
      );
      for (const result of page.MetricDataResults ?? []) {
        const entry = results.get(result.Id!) ?? { timestamps: [], values: [] };
        entry.timestamps.push(...(result.Timestamps ?? []).map((timestamp) => timestamp.toISOString()));
        entry.values.push(...(result.Values ?? []));
        results.set(result.Id!, entry);
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return [...results].map(([id, entry]) => ({ id, ...entry }));
  }

  async alarms(input: unknown): Promise<AlarmSummary[]> {
    const { names } = parse(AlarmsRequest, input, 'alarms');
    if (names.length === 0) return [];
    const summaries: AlarmSummary[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken: nextToken }));
      for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
        summaries.push({ name: alarm.AlarmName!, state: alarm.StateValue!, since: (alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp ?? new Date(0)).toISOString(), reason: alarm.StateReason ?? '' });
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return summaries;
  }

  async invoke(input: unknown): Promise<InvokeAnswer> {
    const { functionName, event } = parse(InvokeRequest, input, 'invoke');
    const result = await this.lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(event)) }));
    const text = result.Payload ? Buffer.from(result.Payload).toString('utf8') : '';
    const payload: unknown = text === '' ? null : JSON.parse(text);
    return result.FunctionError ? { functionError: result.FunctionError, payload } : { payload };
  }

  close(): void {
    this.cloudWatch.destroy();
    this.lambda.destroy();
  }
}

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new DashboardInputError(`invalid ${what} request: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
