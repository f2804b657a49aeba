/**
 * SQS message move tasks (`StartMessageMoveTask`, `ListMessageMoveTasks`, `CancelMessageMoveTask`),
 * which fauxqs lacks. Hand-written after the AWS API: a task moves the messages a dead-letter queue
 * holds when it starts back to their source queue (or to `DestinationArn`), bodies and attributes
 * kept, at most `MaxNumberOfMessagesPerSecond`, and deletes each from the DLQ only after its send
 * succeeded.
 */
import { randomUUID } from 'node:crypto';
import type { Message, MessageSystemAttributeName } from '@aws-sdk/client-sqs';
import type { BackendClients } from './backend-clients';
import { AwsServiceError } from './aws-errors';
import type { QueueUrls } from './queue-urls';
import type { SqsActivity } from './sqs-activity';

type TaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

interface MoveTask {
  readonly id: string;
  readonly handle: string;
  readonly sourceArn: string;
  readonly destinationArn: string;
  /** As the caller gave it (absent: moved back to the source queue). */
  readonly requestedDestinationArn?: string;
  readonly maxPerSecond?: number;
  readonly startedAt: number;
  readonly toMove: number;
  moved: number;
  status: TaskStatus;
  failureReason?: string;
  done?: Promise<void>;
}

/** A received message stays hidden this long while a task moves it. */
const MOVE_VISIBILITY_SECONDS = 30;

export class MessageMoveTasks {
  private readonly tasks: MoveTask[] = [];

  constructor(
    private readonly clients: BackendClients,
    private readonly urls: QueueUrls,
    private readonly activity: SqsActivity,
  ) {}

  async start(input: { SourceArn?: string; DestinationArn?: string; MaxNumberOfMessagesPerSecond?: number }): Promise<{ TaskHandle: string }> {
    const sourceArn = required(input.SourceArn, 'SourceArn');
    const rate = input.MaxNumberOfMessagesPerSecond;
    if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > 500)) {
      throw new AwsServiceError('InvalidParameterValue', 'MaxNumberOfMessagesPerSecond must be an integer from 1 to 500.');
    }
    const queues = await this.redrivePolicies();
    if (!queues.has(sourceArn)) throw new AwsServiceError('ResourceNotFoundException', `The source queue ${sourceArn} does not exist.`);
    const sources = [...queues].filter(([, policy]) => policy?.deadLetterTargetArn === sourceArn).map(([arn]) => arn);
    if (sources.length === 0) throw new AwsServiceError('InvalidParameterValue', `Source queue ${sourceArn} must be configured as a Dead Letter Queue.`);
    if (input.DestinationArn !== undefined && !queues.has(input.DestinationArn)) {
      throw new AwsServiceError('ResourceNotFoundException', `The destination queue ${input.DestinationArn} does not exist.`);
    }
    if (input.DestinationArn === undefined && sources.length > 1) {
      // fauxqs does not record which source a dead letter came from, so it cannot be sent home.
      throw new AwsServiceError('InvalidParameterValue', `${sourceArn} is the DLQ of ${sources.length} queues; the local cloud needs a DestinationArn to move its messages.`);
    }
    if (this.tasks.some((task) => task.sourceArn === sourceArn && (task.status === 'RUNNING' || task.status === 'CANCELLING'))) {
      throw new AwsServiceError('UnsupportedOperation', `There is already a task running. Only one active task is allowed for each source queue arn at a given time (${sourceArn}).`);
    }
    const id = randomUUID();
    const task: MoveTask = {
      id,
      handle: Buffer.from(JSON.stringify({ taskId: id, sourceArn })).toString('base64'),
      sourceArn,
      destinationArn: input.DestinationArn ?? sources[0],
      requestedDestinationArn: input.DestinationArn,
      maxPerSecond: rate,
      startedAt: Date.now(),
      toMove: await this.visibleMessages(sourceArn),
      moved: 0,
      status: 'RUNNING',
    };
    this.tasks.unshift(task);
    task.done = this.run(task);
    return { TaskHandle: task.handle };
  }

  list(input: { SourceArn?: string; MaxResults?: number }): { Results: Record<string, unknown>[] } {
    const sourceArn = required(input.SourceArn, 'SourceArn');
    const maxResults = input.MaxResults ?? 1;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 10) {
      throw new AwsServiceError('InvalidParameterValue', 'MaxResults must be an integer from 1 to 10.');
    }
    const results = this.tasks
      .filter((task) => task.sourceArn === sourceArn)
      .slice(0, maxResults)
      .map((task) => ({
        ...(task.status === 'RUNNING' ? { TaskHandle: task.handle } : {}),
        Status: task.status,
        SourceArn: task.sourceArn,
        ...(task.requestedDestinationArn ? { DestinationArn: task.requestedDestinationArn } : {}),
        ...(task.maxPerSecond ? { MaxNumberOfMessagesPerSecond: task.maxPerSecond } : {}),
        ApproximateNumberOfMessagesMoved: task.moved,
        ApproximateNumberOfMessagesToMove: task.toMove,
        ...(task.failureReason ? { FailureReason: task.failureReason } : {}),
        StartedTimestamp: task.startedAt,
      }));
    return { Results: results };
  }

  cancel(input: { TaskHandle?: string }): { ApproximateNumberOfMessagesMoved: number } {
    const handle = required(input.TaskHandle, 'TaskHandle');
    const task = this.tasks.find((candidate) => candidate.handle === handle);
    if (!task || task.status !== 'RUNNING') throw new AwsServiceError('ResourceNotFoundException', 'The task handle does not name a running message move task.');
    task.status = 'CANCELLING';
    return { ApproximateNumberOfMessagesMoved: task.moved };
  }

  /** `ListDeadLetterSourceQueues`: the queues whose RedrivePolicy names this one. */
  async deadLetterSourceQueues(input: { QueueUrl?: string }): Promise<{ queueUrls: string[] }> {
    const dlqArn = this.urls.arnFromUrl(required(input.QueueUrl, 'QueueUrl'));
    const policies = await this.redrivePolicies();
    if (!policies.has(dlqArn)) throw new AwsServiceError('QueueDoesNotExist', 'The specified queue does not exist.');
    const sources = [...policies].filter(([, policy]) => policy?.deadLetterTargetArn === dlqArn).map(([arn]) => this.urls.publicFromArn(arn));
    return { queueUrls: sources };
  }

  /** Cancels every running task and waits until each has let go of its messages. */
  async stopAll(): Promise<void> {
    for (const task of this.tasks) if (task.status === 'RUNNING') task.status = 'CANCELLING';
    await Promise.all(this.tasks.map((task) => task.done));
  }

  private async run(task: MoveTask): Promise<void> {
    const { ReceiveMessageCommand, SendMessageCommand, DeleteMessageCommand, ChangeMessageVisibilityCommand } = await import('@aws-sdk/client-sqs');
    const sourceUrl = this.urls.backendFromArn(task.sourceArn);
    const destinationUrl = this.urls.backendFromArn(task.destinationArn);
    const release = (messages: Message[]) =>
      Promise.all(messages.map((message) => this.clients.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: sourceUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }))));
    try {
      while (task.status === 'RUNNING' && task.moved < task.toMove) {
        const batchSize = Math.min(10, task.toMove - task.moved, task.maxPerSecond ?? 10);
        const received = await this.clients.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: sourceUrl,
            MaxNumberOfMessages: batchSize,
            VisibilityTimeout: MOVE_VISIBILITY_SECONDS,
            MessageAttributeNames: ['All'],
            MessageSystemAttributeNames: ['AWSTraceHeader' as MessageSystemAttributeName],
          }),
        );
        const messages = received.Messages ?? [];
        this.activity.record(sourceUrl, 'ReceiveMessage', messages.length);
        if (messages.length === 0) break; // the DLQ ran dry (messages were consumed elsewhere)
        for (const [index, message] of messages.entries()) {
          if (task.maxPerSecond) await this.waitForSlot(task);
          if (task.status !== 'RUNNING') {
            await release(messages.slice(index));
            break;
          }
          const traceHeader = message.Attributes?.AWSTraceHeader;
          await this.clients.sqs.send(
            new SendMessageCommand({
              QueueUrl: destinationUrl,
              MessageBody: message.Body ?? '',
              MessageAttributes: message.MessageAttributes,
              ...(traceHeader ? { MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: traceHeader } } } : {}),
            }),
          );
          this.activity.record(destinationUrl, 'SendMessage', 1);
          await this.clients.sqs.send(new DeleteMessageCommand({ QueueUrl: sourceUrl, ReceiptHandle: message.ReceiptHandle }));
          this.activity.record(sourceUrl, 'DeleteMessage', 1);
          task.moved++;
        }
      }
      task.status = task.status === 'CANCELLING' ? 'CANCELLED' : 'COMPLETED';
    } catch (error) {
      task.status = 'FAILED';
      task.failureReason = (error as Error).message;
    }
  }

  /** Paces sends: message n of a task goes no earlier than n / rate seconds after it started. */
  private async waitForSlot(task: MoveTask): Promise<void> {
    const due = task.startedAt + (task.moved * 1000) / (task.maxPerSecond as number);
    while (task.status === 'RUNNING' && Date.now() < due) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, due - Date.now())));
    }
  }

  private async visibleMessages(queueArn: string): Promise<number> {
    const { GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
    const { Attributes } = await this.clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: this.urls.backendFromArn(queueArn), AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  }

  /** Every queue's ARN with its parsed RedrivePolicy (undefined when it has none). */
  private async redrivePolicies(): Promise<Map<string, { deadLetterTargetArn?: string } | undefined>> {
    const { ListQueuesCommand, GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
    const { QueueUrls = [] } = await this.clients.sqs.send(new ListQueuesCommand({}));
    const entries = await Promise.all(
      QueueUrls.map(async (url) => {
        const { Attributes = {} } = await this.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'RedrivePolicy'] }));
        const policy = Attributes.RedrivePolicy ? (JSON.parse(Attributes.RedrivePolicy) as { deadLetterTargetArn?: string }) : undefined;
        return [Attributes.QueueArn as string, policy] as const;
      }),
    );
    return new Map(entries);
  }
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined || value === '') throw new AwsServiceError('MissingParameter', `The request must contain the parameter ${name}.`);
  return value;
}
