import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { METRICS, METRICS_NAMESPACE } from '../../contract/metrics';
import { captureOutput, emittedMetric, POWERTOOLS_TEST_ENV } from '../../test/support/handlers/powertools-output';
import { emit } from './emit-metric';

Object.assign(process.env, POWERTOOLS_TEST_ENV);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('emit', () => {
  it('emits a contract metric with its name, unit and value, at standard resolution', () => {
    const output = captureOutput();
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'file-worker' });

    emit(metrics, METRICS.endToEndLatency, 1234);
    metrics.publishStoredMetrics();

    const [latency] = emittedMetric(output.emf(), 'EndToEndLatency');
    expect(latency?.definition).toEqual({ Name: 'EndToEndLatency', Unit: 'Milliseconds' });
    expect(latency?.document.EndToEndLatency).toBe(1234);
  });

  it('stores a high-resolution metric at one second', () => {
    const output = captureOutput();
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'job-worker' });

    emit(metrics, METRICS.deadLettered, 1);
    metrics.publishStoredMetrics();

    expect(emittedMetric(output.emf(), 'DeadLettered')[0]?.definition).toEqual({ Name: 'DeadLettered', Unit: 'Count', StorageResolution: 1 });
  });
});
