/**
 * SQS at the gateway (AWS JSON protocol): fauxqs answers the actions it supports, called in process, with
 * queue URLs translated both ways; message move tasks and `ListDeadLetterSourceQueues` are answered here.
 */
import { AwsServiceError, unsupportedOperation } from './aws-errors';
import { FAUXQS_SQS_ACTIONS, type FauxqsSqsAnswer } from './fauxqs-sqs';
import type { FauxqsBackend } from './fauxqs-backend';
import type { HandlerResult, InboundRequest, LocalService, Route } from './local-service';
import type { MessageMoveTasks } from './message-move-tasks';
import type { QueueUrls } from './queue-urls';
import type { SqsActivity } from './sqs-activity';
import { correctBatchAnswer, correctSendBatchAnswer, notInFlight, refuseWhatSqsRefuses, type BatchAnswer } from './sqs-conformance';

/** Answered by the gateway itself. */
const GATEWAY_ACTIONS = ['StartMessageMoveTask', 'ListMessageMoveTasks', 'CancelMessageMoveTask', 'ListDeadLetterSourceQueues'];

/** The answers that name queues by URL: only these are translated (a message body is the sender's, kept as sent). */
const ANSWERS_WITH_QUEUE_URLS: ReadonlySet<string> = new Set(['CreateQueue', 'GetQueueUrl', 'ListQueues']);

export class SqsService implements LocalService {
  readonly name = 'SQS';
  readonly routes = { signingName: 'sqs', targetPrefix: 'AmazonSQS', protocol: 'json' } as const;
  readonly supports = [...FAUXQS_SQS_ACTIONS, ...GATEWAY_ACTIONS];
  readonly jsonErrorPrefix = 'com.amazonaws.sqs#';

  constructor(
    private readonly fauxqs: FauxqsBackend,
    private readonly urls: QueueUrls,
    private readonly moveTasks: MessageMoveTasks,
    private readonly activity: SqsActivity,
  ) {}

  async handle(request: InboundRequest, { action = '', protocol }: Route): Promise<HandlerResult> {
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
    const fauxqsAnswer = await this.fauxqs.sqs.call(action, input, { ...request.headers, host: `127.0.0.1:${this.fauxqs.port}` });
    const conforming = this.conformingAnswer(action, input, fauxqsAnswer);
    this.activity.recordAnswer(action, input, conforming);
    const body = JSON.stringify(conforming.body);
    return { status: conforming.status, headers: conforming.headers, body: conforming.status !== 200 || ANSWERS_WITH_QUEUE_URLS.has(action) ? this.urls.toPublic(body) : body };
  }

  private conformingAnswer(action: string, input: Record<string, unknown>, fauxqsAnswer: FauxqsSqsAnswer): FauxqsSqsAnswer {
    const { status, body } = fauxqsAnswer;
    if (status === 200 && (action === 'DeleteMessageBatch' || action === 'ChangeMessageVisibilityBatch')) {
      return { ...fauxqsAnswer, body: { ...correctBatchAnswer(input, body as BatchAnswer) } };
    }
    if (status === 200 && action === 'SendMessageBatch') return { ...fauxqsAnswer, body: { ...correctSendBatchAnswer(body as BatchAnswer) } };
    if (action === 'ChangeMessageVisibility' && body.__type === 'com.amazonaws.sqs#MessageNotInflight') throw notInFlight(input.ReceiptHandle);
    return fauxqsAnswer;
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
