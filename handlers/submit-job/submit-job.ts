/**
 * POST /jobs: validates the job, records it RECEIVED, queues it on the job queue it names (the default
 * one when it names none) and answers 202 with that queue and where to poll.
 * Everything that can be checked is checked before anything is written: the request, and that the status
 * item and the message fit DynamoDB's and SQS's limits (a 400 naming the limit otherwise).
 * Nothing is lost silently: when the queue refuses the message, the job is recorded FAILED with the
 * reason and the client gets 503 (retry); when the status table refuses the record, nothing is queued.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { METRICS } from '../../contract/metrics';
import type { StatusItem } from '../../contract/status-item';
import { emit } from '../shared/emit-metric';
import { describeError, describeIssues } from '../shared/errors';
import { errorResponse, HttpError, jsonResponse, readJsonBody } from '../shared/http';
import { toJsonText } from '../shared/json-text';
import { StatusItemTooLargeError, type StatusStore } from '../shared/status-store';
import * as z from '../shared/zod-mini';
import { isTaskName, TASKS, unknownTaskMessage } from '../job-worker/tasks';
import { jobQueueMessage, type JobQueueMessage } from './job-queue-message';
import { jobQueueNamed, type JobQueue, type JobQueues } from './job-queues';
import { jobStatusUrl } from './status-url';

const SubmitJobRequestSchema = z.strictObject({
  task: z.string().check(z.minLength(1)),
  payload: z.optional(z.record(z.string(), z.unknown())),
  fail: z.optional(z.boolean()),
  // Any offset is accepted; the job carries the instant in UTC, the form the worker and the status item use.
  failUntil: z.optional(
    z.pipe(
      z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, e.g. 2030-01-01T12:00:00Z' }),
      z.transform((time: string) => new Date(time).toISOString()),
    ),
  ),
  // Any value here: checked against the known job queues, so the 400 can name them.
  queue: z.optional(z.unknown()),
});

/** The job as queued and recorded. */
export type SubmittedJob = Omit<z.infer<typeof SubmitJobRequestSchema>, 'queue'>;

export interface SubmitJobRequest {
  readonly job: SubmittedJob;
  readonly queue: JobQueue;
}

export interface SubmitJobDeps {
  readonly store: StatusStore;
  readonly sqs: SQSClient;
  /** The job queues a request may name (JOB_QUEUE_URLS, DEFAULT_JOB_QUEUE). */
  readonly queues: JobQueues;
  /** Largest accepted body (MAX_JOB_BODY_BYTES); larger ones get 413. */
  readonly maxBodyBytes: number;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

export async function submitJob(event: APIGatewayProxyEventV2, deps: SubmitJobDeps): Promise<APIGatewayProxyStructuredResultV2> {
  const { logger } = deps;
  try {
    const { job, queue } = parseSubmitJobRequest(readJsonBody(event, deps.maxBodyBytes), deps.queues);
    const jobId = randomUUID();
    logger.appendKeys({ jobId, queue: queue.name });
    deps.tracer.putAnnotation('jobId', jobId);
    const store = deps.store.withQueue(queue.name);
    const item = newJobItem(jobId, job, store);
    const message = jobQueueMessage({ jobId, ...job, submittedAt: item.createdAt });
    await recordReceived(item, store, logger);
    await enqueue(jobId, message, queue, store, deps);
    const statusUrl = jobStatusUrl(event, jobId);
    emit(deps.metrics, METRICS.jobsSubmitted, 1);
    logger.info('job accepted', { task: job.task, statusUrl });
    return jsonResponse(202, { jobId, queue: queue.name, statusUrl }, { location: statusUrl });
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    logger.warn('job not accepted', { statusCode: error.statusCode, error: error.code, reason: error.message });
    return errorResponse(error);
  }
}

/** The request as a valid job for a registered task on a known job queue, or a 400 naming the problem. */
export function parseSubmitJobRequest(body: unknown, queues: JobQueues): SubmitJobRequest {
  if (body === undefined) {
    throw new HttpError(400, 'InvalidRequest', 'a JSON body is required: {"task": string, "payload"?: object, "fail"?: boolean, "failUntil"?: ISO date-time, "queue"?: string}');
  }
  const parsed = SubmitJobRequestSchema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, 'InvalidRequest', describeIssues(parsed.error.issues));
  const { queue, ...job } = parsed.data;
  if (!isTaskName(job.task)) throw new HttpError(400, 'UnknownTask', unknownTaskMessage(job.task));
  const input = TASKS[job.task].input.safeParse(job.payload ?? {});
  if (!input.success) throw new HttpError(400, 'InvalidPayload', `payload of task "${job.task}": ${describeIssues(input.error.issues)}`);
  return { job, queue: jobQueueNamed(queues, queue) };
}

/** The job's RECEIVED item (its createdAt is the job's submittedAt), or a 400 when DynamoDB could not hold it. */
function newJobItem(jobId: string, { task, payload, fail, failUntil }: SubmittedJob, store: StatusStore): StatusItem {
  const payloadJson = payload === undefined ? undefined : toJsonText(payload, 'the payload');
  try {
    return store.newItem(jobId, 'job', 'RECEIVED', { task, payloadJson, fail, failUntil });
  } catch (error) {
    if (error instanceof StatusItemTooLargeError) throw new HttpError(400, 'JobTooLarge', error.message);
    throw error;
  }
}

async function recordReceived(item: StatusItem, store: StatusStore, logger: Logger): Promise<void> {
  try {
    await store.create(item);
  } catch (error) {
    logger.error('could not record the job; nothing was queued', { error: describeError(error) });
    throw new HttpError(503, 'StatusStoreUnavailable', 'the job could not be recorded and was not queued; submit it again');
  }
}

async function enqueue(jobId: string, message: JobQueueMessage, queue: JobQueue, store: StatusStore, { sqs, logger }: SubmitJobDeps): Promise<void> {
  try {
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: message.body, MessageAttributes: message.attributes }));
  } catch (error) {
    const lastError = describeError(error);
    logger.error('could not queue the job; recording it FAILED', { error: lastError });
    try {
      await store.recordFailure(jobId, 'job', 0, lastError, true);
    } catch (recordError) {
      logger.error('could not record the queueing failure; the job stays RECEIVED', { error: describeError(recordError) });
    }
    throw new HttpError(503, 'QueueUnavailable', `the job could not be queued (${lastError.class}: ${lastError.message}); it is recorded FAILED as ${jobId}; submit it again`);
  }
}
