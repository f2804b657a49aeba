/**
 * SQS at the gateway: fauxqs answers the actions it supports, with queue URLs translated both ways;
 * message move tasks and `ListDeadLetterSourceQueues` are answered here; anything else is rejected
 * by name.
 */
import type { Backend } from './backend';
import { AwsServiceError, unsupportedOperation } from './aws-errors';
import type { HandlerResult, InboundRequest } from './inbound';
import type { MessageMoveTasks } from './message-move-tasks';
import type { Proxy } from './proxy';
import type { QueueUrls } from './queue-urls';
import type { SqsActivity } from './sqs-activity';

/** What fauxqs 1.9.2 implements (its README's SQS table). */
const FAUXQS_ACTIONS = new Set([
  'CreateQueue', 'DeleteQueue', 'GetQueueUrl', 'ListQueues', 'GetQueueAttributes', 'SetQueueAttributes', 'PurgeQueue',
  'SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'DeleteMessage', 'DeleteMessageBatch', 'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch', 'TagQueue', 'UntagQueue', 'ListQueueTags',
]);

export class SqsService {
  constructor(
    private readonly proxy: Proxy,
    private readonly fauxqs: Backend,
    private readonly urls: QueueUrls,
    private readonly moveTasks: MessageMoveTasks,
    private readonly activity: SqsActivity,
  ) {}

  async handle(request: InboundRequest, action: string | undefined): Promise<HandlerResult> {
    const input = parseJson(request.body);
    switch (action) {
      case 'StartMessageMoveTask':
        return answer(await this.moveTasks.start(input));
      case 'ListMessageMoveTasks':
        return answer(this.moveTasks.list(input));
      case 'CancelMessageMoveTask':
        return answer(this.moveTasks.cancel(input));
      case 'ListDeadLetterSourceQueues':
        return answer(await this.moveTasks.deadLetterSourceQueues(input));
    }
    if (!action || !FAUXQS_ACTIONS.has(action)) throw unsupportedOperation('SQS', action ?? '(no action)');
    if (typeof input.QueueUrl === 'string') input.QueueUrl = this.urls.toBackend(input.QueueUrl);
    // fauxqs builds new queue URLs from the Host header: give it its own so they all look alike.
    const response = await this.proxy.exchange(this.fauxqs, { ...request, body: Buffer.from(JSON.stringify(input)) }, `127.0.0.1:${this.fauxqs.port}`);
    this.activity.recordProxied(action, input, response);
    return { ...response, body: this.urls.toPublic(response.body.toString('utf8')) };
  }
}

function parseJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new AwsServiceError('SerializationException', 'The request body is not a JSON object.');
}

function answer(result: unknown): HandlerResult {
  return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(result) };
}
