import { MetricResolution, MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { instrument } from '../../../handlers/shared/powertools';
import { EmfFormatError, parseEmfLine } from '../../../local/cloudwatch/emf';

/** Runs `emit` and returns the lines it wrote to stdout: real Powertools output, not a hand-typed fixture. */
function captureStdout(emit: () => void): string[] {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    emit();
  } finally {
    spy.mockRestore();
  }
  return written.join('').split('\n').filter((line) => line.trim() !== '');
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('parseEmfLine', () => {
  it('parses the EMF Powertools Metrics publishes, values, units and resolutions included', () => {
    const { metrics, logger } = instrument('file-worker', { TIDEWATCH_STAGE: 'local' });
    const lines = captureStdout(() => {
      logger.info('processing a record', { fileId: 'abc' }); // a JSON log line: not EMF
      metrics.addMetric('FilesProcessed', MetricUnit.Count, 1);
      metrics.addMetric('RowsProcessed', MetricUnit.Count, 120);
      metrics.addMetric('RowsProcessed', MetricUnit.Count, 30); // same name twice: an array of values
      metrics.addMetric('DeadLettered', MetricUnit.Count, 1, MetricResolution.High);
      metrics.addMetric('EndToEndLatency', MetricUnit.Milliseconds, 842);
      metrics.publishStoredMetrics();
    });
    expect(lines.length).toBe(2);
    expect(parseEmfLine(lines[0])).toEqual([]);

    const emf = JSON.parse(lines[1]) as { _aws: { Timestamp: number } };
    const datapoints = parseEmfLine(lines[1]);
    const dimensions = [
      { name: 'service', value: 'file-worker' },
      { name: 'stage', value: 'local' },
    ];
    const byName = Object.fromEntries(datapoints.map((d) => [d.metric.metricName, d]));
    expect(Object.keys(byName).sort()).toEqual(['DeadLettered', 'EndToEndLatency', 'FilesProcessed', 'RowsProcessed']);
    for (const { metric, datapoint } of datapoints) {
      expect(metric.namespace).toBe('Tidewatch');
      expect([...metric.dimensions].sort((a, b) => a.name.localeCompare(b.name))).toEqual(dimensions);
      expect(datapoint.timestamp).toBe(emf._aws.Timestamp);
    }
    expect(byName.RowsProcessed.datapoint).toMatchObject({ values: [120, 30], unit: 'Count', storageResolution: 60 });
    expect(byName.DeadLettered.datapoint).toMatchObject({ values: [1], unit: 'Count', storageResolution: 1 });
    expect(byName.EndToEndLatency.datapoint).toMatchObject({ values: [842], unit: 'Milliseconds' });
  });

  it('parses the cold-start metric Powertools publishes with its own dimension set', () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand'); // as Lambda sets it; Powertools reports cold starts only then
    const { metrics } = instrument('job-worker', { TIDEWATCH_STAGE: 'local' });
    const lines = captureStdout(() => metrics.captureColdStartMetric('tidewatch-local-job-worker'));
    const datapoints = lines.flatMap(parseEmfLine);
    expect(datapoints.map((d) => d.metric.metricName)).toEqual(['ColdStart']);
    expect(datapoints[0].metric.dimensions).toEqual(
      expect.arrayContaining([
        { name: 'service', value: 'job-worker' },
        { name: 'function_name', value: 'tidewatch-local-job-worker' },
      ]),
    );
  });

  it('emits one metric per dimension set, and none for an empty dimension list', () => {
    const line = JSON.stringify({
      _aws: {
        Timestamp: 1_700_000_000_000,
        CloudWatchMetrics: [
          { Namespace: 'A', Dimensions: [['service'], ['service', 'stage']], Metrics: [{ Name: 'X' }] },
          { Namespace: 'B', Dimensions: [], Metrics: [{ Name: 'X', Unit: 'Seconds' }] },
        ],
      },
      service: 'svc',
      stage: 'local',
      X: 2,
    });
    expect(parseEmfLine(line).map((d) => [d.metric.namespace, d.metric.dimensions.length, d.datapoint.unit])).toEqual([
      ['A', 1, 'None'],
      ['A', 2, 'None'],
      ['B', 0, 'Seconds'],
    ]);
  });

  it('ignores lines that are not EMF, and names what is wrong with broken EMF', () => {
    expect(parseEmfLine('plain text')).toEqual([]);
    expect(parseEmfLine('a log that mentions "_aws" but is no JSON')).toEqual([]);
    expect(parseEmfLine(JSON.stringify({ _aws: { note: 'no metrics' } }))).toEqual([]);
    const broken = (aws: unknown, extra: Record<string, unknown> = {}) => () => parseEmfLine(JSON.stringify({ _aws: aws, ...extra }));
    expect(broken({ CloudWatchMetrics: [] })).toThrow(EmfFormatError);
    expect(broken({ Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'A', Dimensions: [['service']], Metrics: [{ Name: 'X' }] }] }, { X: 1 })).toThrow(
      /dimension service .* has no string value/,
    );
    expect(broken({ Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'A', Metrics: [{ Name: 'X' }] }] }, { X: 'one' })).toThrow(/number or an array/);
    expect(broken({ Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'A', Metrics: [{ Name: 'X', StorageResolution: 5 }] }] }, { X: 1 })).toThrow(
      /StorageResolution must be 1 or 60/,
    );
  });
});
