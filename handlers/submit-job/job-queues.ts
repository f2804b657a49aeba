/**
 * The job queues POST /jobs may send to, read and checked once at cold start: JOB_QUEUE_URLS, a JSON
 * object of queue names to queue URLs (every queue the job worker runs), and DEFAULT_JOB_QUEUE, the
 * one a request that names no queue goes to.
 */
import { ENV } from '../../contract/env';
import { WORK_QUEUE_NAME_PATTERN } from '../../contract/naming';
import { MissingEnvironmentError, requireEnv, requireJsonEnv } from '../shared/env';
import { describeIssues, quoted } from '../shared/errors';
import { HttpError } from '../shared/http';
import * as z from '../shared/zod-mini';

export interface JobQueue {
  readonly name: string;
  readonly url: string;
}

export interface JobQueues {
  /** Queue URLs by queue name. */
  readonly urls: Readonly<Record<string, string>>;
  readonly defaultQueue: string;
}

const JobQueueUrlsSchema = z
  .record(z.string().check(z.regex(WORK_QUEUE_NAME_PATTERN)), z.url())
  .check(z.refine((urls) => Object.keys(urls).length > 0, 'names no queue'));

export function readJobQueues(env: NodeJS.ProcessEnv = process.env): JobQueues {
  const parsed = JobQueueUrlsSchema.safeParse(requireJsonEnv('jobQueueUrls', env));
  if (!parsed.success) {
    throw new MissingEnvironmentError(`environment variable ${ENV.jobQueueUrls} must map queue names to queue URLs: ${describeIssues(parsed.error.issues)}`);
  }
  const defaultQueue = requireEnv('defaultJobQueue', env);
  if (!Object.hasOwn(parsed.data, defaultQueue)) {
    throw new MissingEnvironmentError(`environment variable ${ENV.defaultJobQueue} is "${defaultQueue}", which ${ENV.jobQueueUrls} does not name (${knownQueues(parsed.data)})`);
  }
  return { urls: parsed.data, defaultQueue };
}

/** The queue a request names (the default one when it names none), or a 400 naming the known queues. */
export function jobQueueNamed(queues: JobQueues, requested: unknown): JobQueue {
  const name = requested === undefined ? queues.defaultQueue : requested;
  if (typeof name === 'string' && Object.hasOwn(queues.urls, name)) return { name, url: queues.urls[name]! };
  throw new HttpError(400, 'UnknownQueue', `unknown queue ${quoted(name)}; known queues: ${knownQueues(queues.urls)}`);
}

function knownQueues(urls: Readonly<Record<string, string>>): string {
  return Object.keys(urls).join(', ');
}
