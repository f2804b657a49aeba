/**
 * Failures a client asks for on POST /jobs, to rehearse the failure paths: `"fail": true` fails every
 * attempt (the dead-letter demo); `"failUntil": <time>` fails every attempt before that time and lets the
 * job run normally from then on (an outage until a fix: dead letters, then a redrive that succeeds).
 */
import { RequestedFailureError } from './errors';
import type { JobMessage } from './job-message';

/** The failure this attempt must end in, or undefined when the job runs normally. */
export function requestedFailure(job: Pick<JobMessage, 'fail' | 'failUntil'>, now: Date): RequestedFailureError | undefined {
  if (job.fail) return new RequestedFailureError('the job was submitted with "fail": true and fails on every attempt');
  if (job.failUntil !== undefined && now.getTime() < Date.parse(job.failUntil)) {
    return new RequestedFailureError(`the job fails until ${job.failUntil} ("failUntil"); this attempt ran at ${now.toISOString()}`);
  }
  return undefined;
}
