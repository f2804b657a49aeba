import { afterEach, describe, expect, it, vi } from 'vitest';
import { METRICS, METRICS_NAMESPACE } from '../../contract/metrics';
import { emit } from './emit-metric';
import { instrument, instrumented } from './powertools';
import { captureOutput, emittedMetric, POWERTOOLS_TEST_ENV } from '../../test/support/handlers/powertools-output';
import { lambdaContext } from '../../test/support/handlers/lambda-events';

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

  it('gives a worker its work queue as a third metric dimension and a key of every log line', () => {
    const output = captureOutput();
    const { logger, metrics } = instrument('job-worker', { TIDEWATCH_STAGE: 'pr-42' }, 'reports');

    emit(metrics, METRICS.jobsSucceeded, 1);
    metrics.publishStoredMetrics();
    logger.info('hello');

    const [metric] = emittedMetric(output.emf(), 'JobsSucceeded');
    expect(metric?.document._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Tidewatch', Dimensions: [['service', 'stage', 'queue']] });
    expect(metric?.document).toMatchObject({ service: 'job-worker', stage: 'pr-42', queue: 'reports' });
    expect(output.logs()).toEqual([expect.objectContaining({ message: 'hello', queue: 'reports' })]);
  });

  it('logs JSON with the service name and stage on every line', () => {
    const output = captureOutput();
    const { logger } = instrument('presign', {});

    logger.info('hello');

    expect(output.logs()).toEqual([expect.objectContaining({ message: 'hello', service: 'presign', stage: 'dev', level: 'INFO' })]);
  });
});

describe('instrumented', () => {
  it('adds the Lambda context to logs, clears per-invocation keys, flushes metrics and counts one cold start', async () => {
    const output = captureOutput();
    const instrumentation = instrument('demo', { TIDEWATCH_STAGE: 'test' });
    const handler = instrumented(async (event: { id?: string }) => {
      if (event.id) instrumentation.logger.appendKeys({ jobId: event.id });
      instrumentation.logger.info('working');
      instrumentation.metrics.addMetric('JobsSubmitted', 'Count', 1);
      return 'ok';
    }, instrumentation);

    await expect(handler({ id: 'job-1' }, lambdaContext('demo-function'))).resolves.toBe('ok');
    await handler({}, lambdaContext('demo-function'));

    const [first, second] = output.logs().filter((line) => line.message === 'working');
    expect(first).toMatchObject({ jobId: 'job-1', function_name: 'demo-function', cold_start: true });
    expect(second).not.toHaveProperty('jobId');
    expect(second).toMatchObject({ cold_start: false });
    expect(emittedMetric(output.emf(), 'JobsSubmitted')).toHaveLength(2);
    const coldStarts = emittedMetric(output.emf(), 'ColdStart');
    expect(coldStarts).toHaveLength(1);
    expect(coldStarts[0]?.document).toMatchObject({ service: 'demo', stage: 'test', function_name: 'demo-function', ColdStart: 1 });
  });

  it('flushes the metrics of an invocation that throws', async () => {
    const output = captureOutput();
    const instrumentation = instrument('demo', {});
    const handler = instrumented(async () => {
      instrumentation.metrics.addMetric('DeadLettered', 'Count', 1);
      throw new Error('crash');
    }, instrumentation);

    await expect(handler({}, lambdaContext('demo-function'))).rejects.toThrow('crash');
    expect(emittedMetric(output.emf(), 'DeadLettered')).toHaveLength(1);
  });
});
