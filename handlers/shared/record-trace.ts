/**
 * One X-Ray subsegment per SQS record, annotated with its ids, so a job's or file's trace can be found by
 * jobId or fileId even though a batch of records shares one invocation (and one handler segment). Used by
 * both workers. Powertools traces whole handlers and class methods only; this follows its documented
 * manual-instrumentation pattern.
 */
import type { Tracer } from '@aws-lambda-powertools/tracer';

export async function traceRecord<T>(tracer: Tracer, name: string, annotations: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const parent = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
  if (!parent) return work();
  const subsegment = parent.addNewSubsegment(`### ${name}`);
  tracer.setSegment(subsegment);
  for (const [key, value] of Object.entries(annotations)) tracer.putAnnotation(key, value);
  try {
    return await work();
  } catch (error) {
    subsegment.addError(error as Error);
    throw error;
  } finally {
    subsegment.close();
    tracer.setSegment(parent);
  }
}
