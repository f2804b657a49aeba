import { Tracer } from '@aws-lambda-powertools/tracer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeSegment, tracingTracer } from '../../test/support/handlers/fake-tracing';
import { traceRecord } from './record-trace';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('traceRecord', () => {
  it('runs the work in its own annotated subsegment and restores the parent', async () => {
    const root = fakeSegment('## handler');
    const { tracer, annotations, current } = tracingTracer(root);

    await expect(traceRecord(tracer, 'job', { jobId: 'j-1', task: 'echo' }, async () => 'done')).resolves.toBe('done');

    const [subsegment] = root.children;
    expect(subsegment?.name).toBe('### job');
    expect(subsegment?.closed).toBe(true);
    expect(annotations).toEqual([
      [subsegment, 'jobId', 'j-1'],
      [subsegment, 'task', 'echo'],
    ]);
    expect(current()).toBe(root);
  });

  it('records a failure on the subsegment and re-throws it', async () => {
    const root = fakeSegment('## handler');
    const { tracer, current } = tracingTracer(root);
    const failure = new Error('boom');

    await expect(traceRecord(tracer, 'job', {}, async () => Promise.reject(failure))).rejects.toBe(failure);

    expect(root.children[0]?.errors).toEqual([failure]);
    expect(root.children[0]?.closed).toBe(true);
    expect(current()).toBe(root);
  });

  it('just runs the work when tracing is off (tests, local cloud)', async () => {
    const tracer = new Tracer({ serviceName: 'job-worker', enabled: false });
    const getSegment = vi.spyOn(tracer, 'getSegment');

    await expect(traceRecord(tracer, 'job', { jobId: 'j-1' }, async () => 42)).resolves.toBe(42);
    expect(getSegment).not.toHaveBeenCalled();
  });
});
