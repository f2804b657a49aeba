/**
 * SQS at the gateway (AWS JSON protocol): fauxqs answers the actions it supports, with queue URLs
 * translated both ways; message move tasks and `ListDeadLetterSourceQueues` are answered here.
 */
import type { Backend } from './backend';
import { AwsServiceError, unsupportedOperation } from './aws-errors';
import type { HandlerResult, InboundRequest, LocalService, Route } from './local-service';
import type { MessageMoveTasks } from './message-move-tasks';
import type { Proxy } from './proxy';
import type { QueueUrls } from './queue-urls';
import type { SqsActivity } from './sqs-activity';
import { correctBatchAnswer, correctSendBatchAnswer, notInFlight, refuseWhatSqsRefuses, type BatchAnswer } from './sqs-conformance';

/** What fauxqs 2.4.1 implements (its README's SQS table). */
const FAUXQS_ACTIONS = [
  'CreateQueue', 'DeleteQueue', 'GetQueueUrl', 'ListQueues', 'GetQueueAttributes', 'SetQueueAttributes', 'PurgeQueue',
  'SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'DeleteMessage', 'DeleteMessageBatch', 'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch', 'TagQueue', 'UntagQueue', 'ListQueueTags',
];

/** Answered by the gateway itself. */
const GATEWAY_ACTIONS = ['StartMessageMoveTask', 'ListMessageMoveTasks', 'CancelMessageMoveTask', 'ListDeadLetterSourceQueues'];

export class SqsService implements LocalService {
  readonly name = 'SQS';
  readonly routes = { signingName: 'sqs', targetPrefix: 'AmazonSQS', protocol: 'json' } as const;
  readonly supports = [...FAUXQS_ACTIONS, ...GATEWAY_ACTIONS];
  readonly jsonErrorPrefix = 'com.amazonaws.sqs#';

  constructor(
    private readonly proxy: Proxy,
    private readonly fauxqs: Backend,
    private readonly urls: QueueUrls,
    private readonly moveTasks: MessageMoveTasks,
    private readonly activity: SqsActivity,
  ) {}

  async handle(request: InboundRequest, { action, protocol }: Route): Promise<HandlerResult> {
    // fauxqs speaks SQS's JSON protocol only (as do SDK v3 and this CLI); older clients post forms.
    if (protocol === 'query') throw unsupportedOperation('SQS', `${action} over the query protocol`);
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
    refuseWhatSqsRefuses(action, input);
    if (typeof input.QueueUrl === 'string') input.QueueUrl = this.urls.toBackend(input.QueueUrl);
    // fauxqs builds new queue URLs from the Host header: give it its own so they all look alike.
    const response = await this.proxy.exchange(this.fauxqs, { ...request, body: Buffer.from(JSON.stringify(input)) }, `127.0.0.1:${this.fauxqs.port}`);
    const conforming = this.conformingAnswer(action, input, response);
    this.activity.recordProxied(action ?? '', input, conforming);
    return { ...conforming, body: this.urls.toPublic(conforming.body.toString('utf8')) };
  }

  private conformingAnswer(action: string | undefined, input: Record<string, unknown>, response: ProxiedResponse): ProxiedResponse {
    if (response.status === 200 && (action === 'DeleteMessageBatch' || action === 'ChangeMessageVisibilityBatch')) {
      return { ...response, body: Buffer.from(JSON.stringify(correctBatchAnswer(input, parseJson(response.body) as BatchAnswer))) };
    }
    if (response.status === 200 && action === 'SendMessageBatch') {
      return { ...response, body: Buffer.from(JSON.stringify(correctSendBatchAnswer(parseJson(response.body) as BatchAnswer))) };
    }
    if (action === 'ChangeMessageVisibility' && parseJson(response.body).__type === 'com.amazonaws.sqs#MessageNotInflight') throw notInFlight(input.ReceiptHandle);
    return response;
  }
}

type ProxiedResponse = Awaited<ReturnType<Proxy['exchange']>>;

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
