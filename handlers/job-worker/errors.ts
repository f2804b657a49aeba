/**
 * Why a job fails. The permanent ones are bad input, the same on every attempt: recorded FAILED with the
 * reason and acknowledged. Anything else a job throws (DynamoDB unavailable, a defect in a task) is transient.
 */
import { PermanentError, UnreadableMessageError } from '../shared/errors';

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

/** The job names no registered task (a redriven or hand-sent message: POST /jobs refuses it with a 400). */
export class UnknownTaskError extends PermanentError {
  override readonly name = 'UnknownTaskError';
}

/** The payload is not what the task takes, or leads it to no answer (a sum that overflows a double). */
export class InvalidPayloadError extends PermanentError {
  override readonly name = 'InvalidPayloadError';
}
