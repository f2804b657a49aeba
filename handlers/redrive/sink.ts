/** Where a pass delivers the dead letters it takes: back to the work queue, or to the archive in S3. */
import type { Message } from '@aws-sdk/client-sqs';
import type { Candidate } from './filter';
import type { Refused } from './dead-letter-queue';

/** A dead letter as a pass holds it: the message received and what is known of it. */
export interface Taken extends Candidate {
  readonly message: Message;
}

/** A message its sink has taken: it may now be deleted from the DLQ. */
export interface Delivered {
  readonly taken: Taken;
  /** Redrive: the id SQS gave the copy in the work queue. */
  readonly newMessageId?: string;
  /** Archive: the object written. */
  readonly archiveKey?: string;
}

export interface Sink {
  readonly kind: 'redrive' | 'archive';
  /** Delivers each message; those refused stay in the DLQ, with the reason. */
  deliver(batch: readonly Taken[]): Promise<{ readonly delivered: readonly Delivered[]; readonly refused: readonly Refused[] }>;
}
