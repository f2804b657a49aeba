import { afterEach, describe, expect, it, vi } from 'vitest';
import { instrument, METRICS_NAMESPACE } from './powertools';
import { captureOutput, emittedMetric, POWERTOOLS_TEST_ENV } from './test-fixtures';

Object.assign(process.env, POWERTOOLS_TEST_ENV);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('instrument', () => {
  it('emits metrics in the Tidewatch namespace with service and stage dimensions', () => {
    const output = captureOutput();
    const { metrics } = instrument('job-worker', { TIDEWATCH_STAGE: 'pr-42' });

    metrics.addMetric('JobsSucceeded', 'Count', 1);
    metrics.publishStoredMetrics();

    const [metric] = emittedMetric(output.emf(), 'JobsSucceeded');
    expect(METRICS_NAMESPACE).toBe('Tidewatch');
    expect(metric?.document._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Tidewatch', Dimensions: [['service', 'stage']] });
    expect(metric?.document).toMatchObject({ service: 'job-worker', stage: 'pr-42' });
  });

  it('logs JSON with the service name and stage on every line', () => {
    const output = captureOutput();
    const { logger } = instrument('presign', {});

    logger.info('hello');

    expect(output.logs()).toEqual([expect.objectContaining({ message: 'hello', service: 'presign', stage: 'dev', level: 'INFO' })]);
  });
});
