/**
 * X-Ray (sub)segment doubles behind a real Powertools Tracer: the tracer's seam to the X-Ray SDK, which
 * needs a Lambda trace context. Spies restored by the test's vi.restoreAllMocks().
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { vi } from 'vitest';

type Segment = NonNullable<ReturnType<Tracer['getSegment']>>;

export interface FakeSegment {
  readonly name: string;
  readonly children: FakeSegment[];
  readonly errors: Error[];
  closed: boolean;
  addNewSubsegment(name: string): FakeSegment;
  addError(error: Error): void;
  close(): void;
}

/** An X-Ray (sub)segment double: the tracer's seam to the X-Ray SDK, which needs a Lambda trace context. */
export function fakeSegment(name: string): FakeSegment {
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

/** A tracer that traces into `root`, recording each annotation with the segment it was put on. */
export function tracingTracer(root: FakeSegment) {
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
