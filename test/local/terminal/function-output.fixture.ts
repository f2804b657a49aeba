/**
 * Writes to stdout what a job worker writes in its log: the project's own Powertools instrumentation
 * (handlers/shared/powertools.ts) around two invocations with a Lambda context. The first logs at each
 * level with the worker's correlation ids and an error, and adds a metric (EMF with the ColdStart
 * document); the second adds none (Powertools' "No application metrics" warning). Run in a worker thread
 * by log-format.test.ts, as the local cloud runs a function.
 */
import { randomUUID } from 'node:crypto';
import { emit } from '../../../handlers/shared/emit-metric';
import { describeError } from '../../../handlers/shared/errors';
import { instrument, instrumented } from '../../../handlers/shared/powertools';
import { METRICS } from '../../../contract/metrics';
import { createLambdaContext } from '../../../local/runtime/lambda-context';

export interface FixtureIds {
  readonly jobId: string;
  readonly messageId: string;
  readonly requestIds: readonly [string, string];
}

const ids: FixtureIds = { jobId: randomUUID(), messageId: randomUUID(), requestIds: [randomUUID(), randomUUID()] };
const instrumentation = instrument('job-worker', process.env, 'jobs');
const { logger, metrics } = instrumentation;

const handler = instrumented(async (event: { readonly addMetric: boolean }) => {
  if (!event.addMetric) return;
  logger.appendKeys({ messageId: ids.messageId, jobId: ids.jobId });
  logger.info('job processed', { task: 'word-count', attempts: 1, latencyMs: 42 });
  logger.warn('record failed: transient, retrying after backoff', { attempt: 2, error: describeError(new Error('status table throttled')), retryInSeconds: 20 });
  logger.error('could not record the job; nothing was queued', new TypeError('no table named "status"'));
  emit(metrics, METRICS.jobsSucceeded, 1);
}, instrumentation);

for (const [index, awsRequestId] of ids.requestIds.entries()) {
  const name = 'tidewatch-local-jobsworkerfunction-d9840a42';
  const context = createLambdaContext({
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    memoryLimitInMB: '256',
    awsRequestId,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: '2026/05/01/[$LATEST]0123456789abcdef0123456789abcdef',
    deadlineMs: Date.now() + 30_000,
  });
  await handler({ addMetric: index === 0 }, context);
}
// The ids last, after everything the invocations wrote.
process.stdout.write(`${JSON.stringify({ fixtureIds: ids })}\n`);
