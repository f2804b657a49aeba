import { Tracer } from '@aws-lambda-powertools/tracer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { traceRecord } from './record-trace';

type Segment = NonNullable<ReturnType<Tracer['getSegment']>>;

interface FakeSegment {
  readonly name: string;
  readonly children: FakeSegment[];
  readonly errors: Error[];
  closed: boolean;
  addNewSubsegment(name: string): FakeSegment;
  addError(error: Error): void;
  close(): void;
}

/** An X-Ray (sub)segment double: the tracer's seam to the X-Ray SDK, which needs a Lambda trace context. */
function fakeSegment(name: string): FakeSegment {
  const children: FakeSegment[] = [];
  const segment: FakeSegment = {
    name,
    children,
    errors: [],
    closed: false,
    addNewSubsegment: (childName: string) => {
      const child = fakeSegment(childName);
      children.push(child);
      return child;
    },
    addError: (error: Error) => segment.errors.push(error),
    close: () => {
      segment.closed = true;
    },
  };
  return segment;
}

function tracingTracer(root: FakeSegment) {
  const tracer = new Tracer({ serviceName: 'job-worker' });
  let current: unknown = root;
  const annotations: Array<[unknown, string, unknown]> = [];
  vi.spyOn(tracer, 'isTracingEnabled').mockReturnValue(true);
  vi.spyOn(tracer, 'getSegment').mockImplementation(() => current as Segment);
  vi.spyOn(tracer, 'setSegment').mockImplementation((segment) => {
    current = segment;
  });
  vi.spyOn(tracer, 'putAnnotation').mockImplementation((key, value) => {
    annotations.push([current, key, value]);
  });
  return { tracer, annotations, current: () => current };
}

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
