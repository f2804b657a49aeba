import { SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalCloudWatch, type LocalCloudWatch } from '../../../local/cloudwatch';
import { synthesizeAlarmFixture, type AlarmFixture } from './alarm-fixture';
import { eventually } from '../../support/eventually';
import { ManualClock, TEST_CREDENTIALS } from './helpers';

const M = Date.UTC(2026, 10, 23, 12, 0, 0); // a minute boundary
let fixture: AlarmFixture;
beforeAll(() => {
  fixture = synthesizeAlarmFixture();
});

function create(clock: ManualClock) {
  const published: string[] = [];
  const cloudWatch = createLocalCloudWatch({
    ...fixture,
    endpoint: 'http://127.0.0.1:9',
    clock,
    publish: async (_topic, subject) => {
      published.push(subject);
      return 'recorded';
    },
  });
  const warnings: string[] = [];
  cloudWatch.onWarning((w) => warnings.push(w));
  return { cloudWatch, published, warnings };
}

/** Calls an action through the gateway-facing handler, as the gateway would. */
async function call(cloudWatch: LocalCloudWatch, action: string, input: unknown) {
  const response = await cloudWatch.handle({
    method: 'POST',
    url: '/',
    headers: { 'x-amz-target': `GraniteServiceVersion20100801.${action}`, 'content-type': 'application/x-amz-json-1.0' },
    body: Buffer.from(JSON.stringify(input)),
  });
  return { status: response.status, headers: response.headers ?? {}, body: JSON.parse(String(response.body)) };
}

async function alarm(cloudWatch: LocalCloudWatch, name: string) {
  const { body } = await call(cloudWatch, 'DescribeAlarms', { AlarmNames: [name] });
  return body.MetricAlarms[0] as { StateValue: string; StateUpdatedTimestamp: number };
}

describe('createLocalCloudWatch', () => {
  it('evaluates 10-second alarms every 10 seconds and minute alarms on the minute', async () => {
    const clock = new ManualClock(M + 5_000);
    const { cloudWatch, published } = create(clock);
    const duration = fixture.resolve({ Ref: Object.keys(fixture.template.Resources).find((id) => id.startsWith('FilesWorkerDuration')) }) as string;
    cloudWatch.start();
    await clock.advance(0);
    expect((await alarm(cloudWatch, 'files-dead-lettered')).StateValue).toBe('OK'); // evaluated on the first tick

    const put = await call(cloudWatch, 'PutMetricData', {
      Namespace: 'Tidewatch',
      MetricData: [{ MetricName: 'DeadLettered', Dimensions: [{ Name: 'service', Value: 'file-worker' }, { Name: 'stage', Value: 'local' }], Value: 1, StorageResolution: 1, Timestamp: (M + 6_000) / 1000 }],
    });
    expect(put.status).toBe(200);
    await clock.advance(5_000); // M+10s
    expect(await alarm(cloudWatch, 'files-dead-lettered')).toMatchObject({ StateValue: 'ALARM', StateUpdatedTimestamp: (M + 10_000) / 1000 });
    expect(published).toContain('ALARM: "files-dead-lettered" in US East (N. Virginia)');

    cloudWatch.recordInvocation({ functionName: 'tidewatch-local-file-worker', durationMs: 5_000, concurrent: 1, timestamp: M + 11_000 });
    await clock.advance(60_000); // M+70s: the minute alarm ran at M+60s only
    cloudWatch.recordInvocation({ functionName: 'tidewatch-local-file-worker', durationMs: 4_000, concurrent: 1, timestamp: M + 71_000 });
    await clock.advance(40_000); // M+110s: no minute boundary passed
    expect((await alarm(cloudWatch, duration)).StateValue).toBe('INSUFFICIENT_DATA');
    await clock.advance(10_000); // M+120s
    expect(await alarm(cloudWatch, duration)).toMatchObject({ StateValue: 'ALARM', StateUpdatedTimestamp: (M + 120_000) / 1000 });
    expect(await alarm(cloudWatch, 'files-dead-lettered')).toMatchObject({ StateValue: 'OK', StateUpdatedTimestamp: (M + 40_000) / 1000 });

    cloudWatch.stop(); // no evaluation after this, whatever the data says
    await call(cloudWatch, 'PutMetricData', {
      Namespace: 'Tidewatch',
      MetricData: [{ MetricName: 'DeadLettered', Dimensions: [{ Name: 'service', Value: 'file-worker' }, { Name: 'stage', Value: 'local' }], Value: 1, StorageResolution: 1, Timestamp: (M + 121_000) / 1000 }],
    });
    await clock.advance(60_000);
    expect((await alarm(cloudWatch, 'files-dead-lettered')).StateValue).toBe('OK');
  });

  it('answers the recorded service metrics through the API', async () => {
    const clock = new ManualClock(M + 30_000);
    const { cloudWatch } = create(clock);
    cloudWatch.recordSqsAction('files', 'SendMessageBatch', 10);
    cloudWatch.recordInvocation({ functionName: 'fw', durationMs: 12, error: true });
    cloudWatch.recordApiRequest({ apiId: 'api1', status: 500, latencyMs: 9 });
    const sum = async (Namespace: string, MetricName: string, Name: string, Value: string) => {
      const { body } = await call(cloudWatch, 'GetMetricStatistics', {
        Namespace, MetricName, Dimensions: [{ Name, Value }], StartTime: M / 1000, EndTime: (M + 60_000) / 1000, Period: 60, Statistics: ['Sum'],
      });
      return body.Datapoints[0]?.Sum;
    };
    expect(await sum('AWS/SQS', 'NumberOfMessagesSent', 'QueueName', 'files')).toBe(10);
    expect(await sum('AWS/Lambda', 'Errors', 'FunctionName', 'fw')).toBe(1);
    expect(await sum('AWS/ApiGateway', '5xx', 'ApiId', 'api1')).toBe(1);
  });

  it('warns about EMF lines CloudWatch would drop and ignores everything else', () => {
    const { cloudWatch, warnings } = create(new ManualClock(M));
    cloudWatch.ingestLine('job-worker', '{"level":"INFO","message":"job done"}');
    cloudWatch.ingestLine('job-worker', 'START RequestId: 1');
    cloudWatch.ingestLine('job-worker', JSON.stringify({ _aws: { Timestamp: M, CloudWatchMetrics: [{ Namespace: 'Tidewatch', Metrics: [{ Name: 'JobsFailed' }] }] } }));
    expect(warnings).toEqual([
      'job-worker: EMF line dropped, as CloudWatch would: CloudWatchMetrics[0].Metrics[0] (JobsFailed) must be a number or an array of numbers',
    ]);
  });

  it('warns when sampling a queue fails and keeps going', async () => {
    const clock = new ManualClock(M);
    const { cloudWatch, warnings } = create(clock);
    const sqs = new SQSClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    cloudWatch.startSampling({ sqs, queueUrls: ['http://127.0.0.1:9/000000000000/files'] });
    await clock.advance(0);
    const warning = await eventually(async () => warnings[0], 'a sampling warning');
    expect(warning).toMatch(/^sampling queue files failed: /);
    cloudWatch.stop();
    sqs.destroy();
  });

  it('answers an unknown action with an AWS-style error naming it', async () => {
    const { cloudWatch } = create(new ManualClock(M));
    const response = await call(cloudWatch, 'PutDashboard', {});
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ __type: 'UnknownOperationException', error: 'UnknownOperationException' });
    expect(response.body.message).toMatch(/does not support the action PutDashboard/);
    const invalid = await call(cloudWatch, 'GetMetricStatistics', { Namespace: 'T', MetricName: 'M', Period: 45, Statistics: ['Sum'], StartTime: 0, EndTime: 60 });
    expect(invalid.headers['x-amzn-query-error']).toBe('InvalidParameterValue;Sender');
  });
});
