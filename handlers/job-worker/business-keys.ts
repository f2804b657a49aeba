/**
 * The business key of a jobs-queue message: its jobId, the same for every delivery of the job (a redriven
 * message included). Pure: no Powertools runtime, no AWS client, so tools (dead-letter peek, redrive) can
 * use it as the worker does.
 */
import type { BusinessKey } from '../shared/work-item';
import * as z from '../shared/zod-mini';
import { MalformedJobMessageError } from './errors';
import { JobMessageSchema } from './job-message';

export function jobBusinessKey(jobId: string): BusinessKey {
  return { id: jobId, idempotencyKey: jobId };
}

/** The jobId a body names, when it names a valid one, whether or not the rest of it is a valid job. */
export function jobIdNamedBy(body: string): string | undefined {
  try {
    const named = z.pick(JobMessageSchema, { jobId: true }).safeParse(JSON.parse(body));
    return named.success ? named.data.jobId : undefined;
  } catch {
    return undefined;
  }
}

/** The key of the job a message body names; throws MalformedJobMessageError when it names none. */
export function businessKeysOf(body: string): BusinessKey[] {
  const jobId = jobIdNamedBy(body);
  if (jobId === undefined) throw new MalformedJobMessageError('malformed job message: it names no valid jobId');
  return [jobBusinessKey(jobId)];
}
