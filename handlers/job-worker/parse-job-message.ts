/** The job worker's reading of a jobs-queue record: its body as a JobMessage, or a permanent failure. */
import type { SQSRecord } from 'aws-lambda';
import { describeIssues } from '../shared/errors';
import * as z from '../shared/zod-mini';
import { jobIdNamedBy } from './business-keys';
import { MalformedJobMessageError } from './errors';
import { JobMessageSchema, type JobMessage } from './job-message';

/**
 * The body as JSON text holding a job message, as Powertools' JSONStringified reads it (the same issue for
 * text that is not JSON). Not imported from the parser: its helpers import zod's `z` namespace object, which
 * esbuild cannot tree-shake, and it brought all of zod (every locale, ~440 KB) into the bundle's cold start.
 */
const JobMessageBody = z.pipe(
  z.pipe(
    z.string(),
    z.transform((text: string, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        context.issues.push({ code: 'custom', message: `Invalid JSON - ${(error as Error).message}`, input: text, continue: false });
        return z.NEVER;
      }
    }),
  ),
  JobMessageSchema,
);

/**
 * Parses a record's body as a job message. A malformed one is a MalformedJobMessageError recorded on the
 * job the body still names, else under the messageId, so the failure is in the status table either way.
 */
export function parseJobMessage(record: SQSRecord): JobMessage {
  const parsed = JobMessageBody.safeParse(record.body);
  if (parsed.success) return parsed.data;
  throw new MalformedJobMessageError(`malformed job message: ${describeIssues(parsed.error.issues)}`, jobIdNamedBy(record.body) ?? record.messageId);
}
