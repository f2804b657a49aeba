/**
 * Failure classes shared by the handlers. A `PermanentError` is bad input: retrying cannot help, so it
 * is recorded and acknowledged. Anything else is transient and retried with backoff until the DLQ.
 */
import type { LastError } from '../../contract/status-item';

export class PermanentError extends Error {
  override readonly name: string = 'PermanentError';
}

/**
 * An SQS body that is not a message of its queue's kind: retrying cannot fix it, so it is acknowledged.
 * `itemId` is the status item to record it on when the body still names one; without it, the log line
 * is the only record of the message.
 */
export class UnreadableMessageError extends PermanentError {
  override readonly name: string = 'UnreadableMessageError';
  constructor(
    message: string,
    readonly itemId?: string,
  ) {
    super(message);
  }
}

/** The longest message kept on a status item: enough to diagnose, small enough for DynamoDB and pages. */
const MAX_ERROR_MESSAGE_LENGTH = 1000;

/** Class and message of an error as recorded on the status item. */
export function describeError(error: unknown): LastError {
  const permanent = error instanceof PermanentError;
  if (error instanceof Error) {
    const message = error.message || String(error);
    return { class: error.name || error.constructor.name, message: message.slice(0, MAX_ERROR_MESSAGE_LENGTH), permanent };
  }
  return { class: typeof error, message: String(error).slice(0, MAX_ERROR_MESSAGE_LENGTH), permanent };
}

/** A schema issue as zod (or any Standard Schema library) reports it. */
export interface ValidationIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** Schema validation issues as one line naming each problem and where it is, e.g. `size: Too big: expected number to be <=10`. */
export function describeIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message)).join('; ');
}

/** The longest part of a client's value quoted back in a message: enough to recognise it. */
const MAX_QUOTED_CHARACTERS = 100;

/** A value a client sent, as JSON, for a message that quotes it back; cut after MAX_QUOTED_CHARACTERS. */
export function quoted(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_QUOTED_CHARACTERS ? `${text.slice(0, MAX_QUOTED_CHARACTERS)}... (${text.length} characters)` : text;
}
