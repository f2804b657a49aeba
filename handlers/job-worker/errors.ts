/** Why a job fails, beyond what its task throws (tasks.ts). */
import { UnreadableMessageError } from '../shared/errors';

/** A message whose body is not a job: retrying cannot fix it. */
export class MalformedJobMessageError extends UnreadableMessageError {
  override readonly name = 'MalformedJobMessageError';
}

/**
 * A job that fails on purpose: `{"fail": true}` (the dead-letter demo) on every attempt, `{"failUntil": time}`
 * on every attempt before that time (an outage until a fix). Transient, so it is retried until the DLQ.
 */
export class RequestedFailureError extends Error {
  override readonly name = 'RequestedFailureError';
}
