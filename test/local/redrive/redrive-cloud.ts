/**
 * What the redrive tests do to a local cloud, as a user would: invoke the redrive function through the
 * real Lambda API, put dead letters in a DLQ, look at what a DLQ holds without taking it, read the
 * workers' own log lines, and run the `tidewatch` CLI against the cloud.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ReceiveMessageCommand, SendMessageCommand, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';
import type { RedriveAnswer, RedriveRequest, RedriveRun } from '../../../contract/redrive';
import type { LocalCloud } from '../../../local/cloud';
import { eventually } from '../../support/eventually';
import { runTidewatch, type CliRun } from '../../support/tidewatch-cli';

/** The local cloud accepts any credentials. */
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
/**
 * A first invocation starts an execution environment: bundling and loading the function, a few seconds on
 * a quiet machine and up to Lambda's own 10 s init limit on a busy one, where it fails and the next one
 * starts afresh.
 */
const WARM_UP_MS = 90_000;

export class RedriveDriver {
  private readonly lambda: LambdaClient;

  constructor(
    readonly cloud: LocalCloud,
    private readonly sqs: SQSClient,
  ) {
    // One attempt per call: the function's own answer (or failure) is what the tests look at.
    this.lambda = new LambdaClient({ endpoint: cloud.endpoints.aws, region: cloud.services.region, credentials: CREDENTIALS, maxAttempts: 1 });
  }

  get functionName(): string {
    return this.cloud.outputs.RedriveFunctionName!;
  }

  /** Invokes the redrive function with any event; answers its result, or throws its failure. */
  async invoke<T = RedriveAnswer>(event: RedriveRequest | Record<string, unknown>): Promise<T> {
    const answer = await this.lambda.send(new InvokeCommand({ FunctionName: this.functionName, Payload: JSON.stringify(event) }));
    const payload = JSON.parse(Buffer.from(answer.Payload ?? []).toString('utf8')) as T;
    if (answer.FunctionError) throw new Error(`the redrive function failed: ${JSON.stringify(payload)}`);
    return payload;
  }

  /** Has the function answer once, so later calls meet a started environment. */
  async warmUp(queue: string): Promise<void> {
    await eventually(
      () => this.invoke({ action: 'status', queue }).then(() => true, () => undefined),
      'the redrive function to answer a status call',
      WARM_UP_MS,
      500,
    );
  }

  /** The queue's latest run, read until it has ended. */
  ended(queue: string, runId: string, timeoutMs: number): Promise<RedriveRun> {
    return eventually(
      async () => {
        const answer = await this.invoke({ action: 'status', queue });
        if (answer.outcome !== 'status' || answer.run?.runId !== runId) throw new Error(`run ${runId} is not the latest of ${queue}: ${JSON.stringify(answer)}`);
        return answer.run.status === 'RUNNING' || answer.run.status === 'CANCELLING' ? undefined : answer.run;
      },
      `run ${runId} of ${queue} to end`,
      timeoutMs,
      250,
    );
  }

  async sendDeadLetter(deadLetterQueueUrl: string, body: string, attributes?: Record<string, MessageAttributeValue>): Promise<string> {
    const { MessageId } = await this.sqs.send(new SendMessageCommand({ QueueUrl: deadLetterQueueUrl, MessageBody: body, ...(attributes ? { MessageAttributes: attributes } : {}) }));
    return MessageId!;
  }

  /**
   * Every message the queue holds now, by message id, each left visible (a zero visibility timeout):
   * receives until a round shows nothing new. Only messages visible now are seen.
   */
  async visibleMessages(queueUrl: string): Promise<Map<string, string>> {
    const seen = new Map<string, string>();
    for (let quiet = 0; quiet < 2; ) {
      const { Messages = [] } = await this.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 1 }));
      const before = seen.size;
      for (const message of Messages) seen.set(message.MessageId!, message.Body ?? '');
      quiet = seen.size === before ? quiet + 1 : 0;
    }
    return seen;
  }

  /** `tidewatch <args>` against this cloud's stack. */
  tidewatch(args: readonly string[]): Promise<CliRun> {
    return runTidewatch([...args, '--endpoint-url', this.cloud.endpoints.aws, '--stack', this.cloud.stackName]);
  }
}

/** A job message as submit-job writes it to a job queue, to put straight into a DLQ. */
export function jobMessage(fields: { task?: string; payload?: Record<string, unknown>; jobId?: string } = {}): { jobId: string; body: string } {
  const jobId = fields.jobId ?? crypto.randomUUID();
  return { jobId, body: JSON.stringify({ jobId, task: fields.task ?? 'echo', payload: fields.payload ?? {}, submittedAt: new Date().toISOString() }) };
}

/** The JSON log lines a function wrote about one id (a jobId or fileId). */
export function logLinesAbout(lines: readonly { functionName: string; line: string }[], functionName: string, id: string): Record<string, unknown>[] {
  return lines.filter((entry) => entry.functionName === functionName && entry.line.startsWith('{') && entry.line.includes(id)).map((entry) => JSON.parse(entry.line) as Record<string, unknown>);
}
