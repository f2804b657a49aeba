/** The job worker's reading of a jobs-queue record: its body as a JobMessage, or a permanent failure. */
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import type { SQSRecord } from 'aws-lambda';
import { describeIssues } from '../shared/errors';
import { jobIdNamedBy } from './business-keys';
import { MalformedJobMessageError } from './errors';
import { JobMessageSchema, type JobMessage } from './job-message';

const JobMessageBody = JSONStringified(JobMessageSchema);

/**
 * Parses a record's body as a job message. A malformed one is a MalformedJobMessageError recorded on the
 * job the body still names, else under the messageId, so the failure is in the status table either way.
 */
export function parseJobMessage(record: SQSRecord): JobMessage {
  const parsed = JobMessageBody.safeParse(record.body);
  if (parsed.success) return parsed.data;
  throw new MalformedJobMessageError(`malformed job message: ${describeIssues(parsed.error.issues)}`, jobIdNamedBy(record.body) ?? record.messageId);
}
