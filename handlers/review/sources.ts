/** The review's sources (contract/review.ts) from the function's environment, checked, so a bad deploy fails at cold start naming what is wrong. */
import * as z from 'zod';
import type { ReviewSources } from '../../contract/review';
import { WORKERS, type WorkerName } from '../../contract/workers';

const workerName = z.enum(Object.keys(WORKERS) as [WorkerName, ...WorkerName[]]);

const schema = z.object({
  stackName: z.string().min(1),
  stage: z.string().min(1),
  timeZone: z.string().min(1),
  successSloPercent: z.number(),
  freshnessSloPercent: z.number(),
  freshnessSloSeconds: z.number().positive(),
  deadLetterRetentionDays: z.number().positive(),
  apiId: z.string().min(1),
  workQueues: z.array(
    z.object({
      name: z.string().min(1),
      worker: workerName,
      queueName: z.string().min(1),
      deadLetterQueueName: z.string().min(1),
      workerFunctionName: z.string().min(1),
      workerTimeoutSeconds: z.number().positive(),
    }),
  ),
});

export function parseReviewSources(value: unknown): ReviewSources {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`the review's sources are not valid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
