import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloudWatchServer, type CloudWatchServer } from './api-server';

const run = promisify(execFile);
let server: CloudWatchServer;
let workDir: string;

beforeAll(async () => {
  server = await startCloudWatchServer();
  await server.cloudWatch.evaluateNow();
  workDir = await mkdtemp(join(tmpdir(), 'tidewatch-cw-cli-'));
});

afterAll(async () => {
  await server?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** Runs `aws cloudwatch ...` against the local endpoint with dummy credentials, as a user would. */
async function aws(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_CONFIG_FILE: join(workDir, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'none'),
    AWS_PAGER: '',
  };
  try {
    const { stdout, stderr } = await run('aws', ['cloudwatch', ...args, '--endpoint-url', server.endpoint, '--region', 'us-east-1', '--output', 'json'], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** CLI v1 prints timestamps as received (`cli_timestamp_format = none`): AWS JSON 1.0 sends epoch seconds. */
function epochMs(timestamp: number | string): number {
  return typeof timestamp === 'number' ? timestamp * 1000 : Date.parse(timestamp);
}

async function awsJson(...args: string[]): Promise<Record<string, any>> {
  const result = await aws(...args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout.trim() === '' ? {} : JSON.parse(result.stdout);
}

describe('the CloudWatch API through the AWS CLI', () => {
  it('describes alarms, with filters', async () => {
    const all = await awsJson('describe-alarms');
    expect(all.MetricAlarms.map((a: { AlarmName: string }) => a.AlarmName)).toContain('files-dead-lettered');
    const ok = await awsJson('describe-alarms', '--state-value', 'OK', '--alarm-names', 'files-dead-lettered');
    expect(ok.MetricAlarms).toHaveLength(1);
    expect(ok.MetricAlarms[0]).toMatchObject({ AlarmName: 'files-dead-lettered', Period: 10, Threshold: 0, StateValue: 'OK' });
    expect(epochMs(ok.MetricAlarms[0].StateUpdatedTimestamp)).toBe(server.clock.now());
    const composite = await awsJson('describe-alarms', '--alarm-types', 'CompositeAlarm');
    expect(composite.CompositeAlarms.map((a: { AlarmName: string }) => a.AlarmName)).toEqual(['files-any-death']);
  });

  it('puts and reads metric data', async () => {
    const minute = Math.floor(server.clock.now() / 60_000) * 60_000 - 10 * 60_000;
    const iso = (ms: number) => new Date(ms).toISOString();
    expect((await aws('put-metric-data', '--namespace', 'Tidewatch', '--metric-name', 'FilesProcessed', '--value', '3', '--unit', 'Count',
      '--dimensions', 'service=file-worker,stage=local', '--timestamp', iso(minute + 1_000))).code).toBe(0);
    const statistics = await awsJson('get-metric-statistics', '--namespace', 'Tidewatch', '--metric-name', 'FilesProcessed',
      '--dimensions', 'Name=service,Value=file-worker', 'Name=stage,Value=local',
      '--start-time', iso(minute - 60_000), '--end-time', iso(minute + 120_000), '--period', '60', '--statistics', 'Sum', 'SampleCount');
    expect(statistics.Datapoints).toHaveLength(1);
    expect(statistics.Datapoints[0]).toMatchObject({ Sum: 3, SampleCount: 1, Unit: 'Count' });
    expect(epochMs(statistics.Datapoints[0].Timestamp)).toBe(minute);

    const queries = join(workDir, 'queries.json');
    await writeFile(queries, JSON.stringify([
      { Id: 'files', MetricStat: { Metric: { Namespace: 'Tidewatch', MetricName: 'FilesProcessed', Dimensions: [{ Name: 'service', Value: 'file-worker' }, { Name: 'stage', Value: 'local' }] }, Period: 60, Stat: 'Sum' }, ReturnData: false },
      { Id: 'doubled', Expression: 'files * 2' },
    ]));
    const data = await awsJson('get-metric-data', '--metric-data-queries', `file://${queries}`, '--start-time', iso(minute), '--end-time', iso(minute + 60_000));
    expect(data.MetricDataResults).toMatchObject([{ Id: 'doubled', Values: [6], StatusCode: 'Complete' }]);
    const metrics = await awsJson('list-metrics', '--namespace', 'Tidewatch');
    expect(metrics.Metrics).toEqual([{ Namespace: 'Tidewatch', MetricName: 'FilesProcessed', Dimensions: [{ Name: 'service', Value: 'file-worker' }, { Name: 'stage', Value: 'local' }] }]);
  });

  it('sets an alarm state and reads it back in the history', async () => {
    server.clock.set(server.clock.now() + 1_000);
    expect((await aws('set-alarm-state', '--alarm-name', 'files-dead-lettered', '--state-value', 'ALARM', '--state-reason', 'cli page test')).code).toBe(0);
    const history = await awsJson('describe-alarm-history', '--alarm-name', 'files-dead-lettered', '--history-item-type', 'StateUpdate');
    expect(history.AlarmHistoryItems[0]).toMatchObject({ AlarmName: 'files-dead-lettered', HistorySummary: 'Alarm updated from OK to ALARM' });
    expect(JSON.parse(history.AlarmHistoryItems[0].HistoryData).newState.stateReason).toBe('cli page test');
    expect(server.published.some((p) => p.message.NewStateReason === 'cli page test')).toBe(true);
  });

  it('fails with the CloudWatch error and a non-zero exit code', async () => {
    const missing = await aws('set-alarm-state', '--alarm-name', 'no-such-alarm', '--state-value', 'OK', '--state-reason', 'x');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('An error occurred (ResourceNotFound) when calling the SetAlarmState operation: Alarm no-such-alarm not found');
    const unsupported = await aws('delete-alarms', '--alarm-names', 'files-dead-lettered');
    expect(unsupported.code).not.toBe(0);
    expect(unsupported.stderr).toContain('does not support the action DeleteAlarms');
  });
});
