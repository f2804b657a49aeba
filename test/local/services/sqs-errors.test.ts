/**
 * Every SQS action the project calls answers bad input as SQS does: the error the SDK raises (its
 * name comes from `x-amzn-query-error`, AWS's query-compatible code, which the AWS CLI prints too),
 * the HTTP status, and a batch's per-entry failures. Expected values are SQS's, from its API model and
 * reference; a well-formed request is not refused.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type QueueAttributeName,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

let harness: Harness;
let queue: string;
let missing: string;
/** The receipt handle of a message in flight on `queue`. */
let inFlight: string;
/** The receipt handle of a message deleted since: well formed, but stale. */
let stale: string;

async function receiveOne(): Promise<string> {
  const { Messages = [] } = await harness.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue, VisibilityTimeout: 600, WaitTimeSeconds: 1 }));
  expect(Messages).toHaveLength(1);
  return Messages[0].ReceiptHandle as string;
}

beforeAll(async () => {
  harness = await startHarness();
  queue = (await harness.sqs.send(new CreateQueueCommand({ QueueName: 'error-sweep', Attributes: { VisibilityTimeout: '30' } }))).QueueUrl as string;
  missing = queue.replace(/error-sweep$/, 'no-such-queue');
  await harness.sqs.send(new SendMessageCommand({ QueueUrl: queue, MessageBody: 'stale' }));
  stale = await receiveOne();
  await harness.sqs.send(new DeleteMessageCommand({ QueueUrl: queue, ReceiptHandle: stale }));
  await harness.sqs.send(new SendMessageCommand({ QueueUrl: queue, MessageBody: 'in flight' }));
  inFlight = await receiveOne();
});
afterAll(() => harness?.stop());


interface Refusal {
  readonly name: string;
  readonly status: number;
  /** `x-amzn-query-error`, the code before `;Sender`. */
  readonly queryCode: string;
}

const nonExistentQueue: Refusal = { name: 'QueueDoesNotExist', status: 400, queryCode: 'AWS.SimpleQueueService.NonExistentQueue' };
const invalidParameter: Refusal = { name: 'InvalidParameterValue', status: 400, queryCode: 'InvalidParameterValue' };
const invalidHandle: Refusal = { name: 'ReceiptHandleIsInvalid', status: 404, queryCode: 'ReceiptHandleIsInvalid' };

const REFUSED: ReadonlyArray<[string, () => Promise<unknown>, Refusal]> = [
  ['GetQueueUrl of a missing queue', () => harness.sqs.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue' })), nonExistentQueue],
  ['SendMessage to a missing queue', () => harness.sqs.send(new SendMessageCommand({ QueueUrl: missing, MessageBody: 'x' })), nonExistentQueue],
  ['ReceiveMessage from a missing queue', () => harness.sqs.send(new ReceiveMessageCommand({ QueueUrl: missing })), nonExistentQueue],
  ['GetQueueAttributes of a missing queue', () => harness.sqs.send(new GetQueueAttributesCommand({ QueueUrl: missing, AttributeNames: ['All'] })), nonExistentQueue],
  ['DeleteMessageBatch on a missing queue', () => harness.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: missing, Entries: [{ Id: 'a', ReceiptHandle: stale }] })), nonExistentQueue],
  ['PurgeQueue of a missing queue', () => harness.sqs.send(new PurgeQueueCommand({ QueueUrl: missing })), nonExistentQueue],
  ['ReceiveMessage with VisibilityTimeout 43201', () => harness.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue, VisibilityTimeout: 43_201 })), invalidParameter],
  ['ReceiveMessage with VisibilityTimeout -1', () => harness.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue, VisibilityTimeout: -1 })), invalidParameter],
  ['ReceiveMessage with MaxNumberOfMessages 11', () => harness.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue, MaxNumberOfMessages: 11 })), invalidParameter],
  ['ReceiveMessage with WaitTimeSeconds 21', () => harness.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue, WaitTimeSeconds: 21 })), invalidParameter],
  ['ChangeMessageVisibility to 43201 s', () => harness.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queue, ReceiptHandle: inFlight, VisibilityTimeout: 43_201 })), invalidParameter],
  ['SendMessage delayed 901 s', () => harness.sqs.send(new SendMessageCommand({ QueueUrl: queue, MessageBody: 'x', DelaySeconds: 901 })), invalidParameter],
  ['SendMessage over 1 MiB', () => harness.sqs.send(new SendMessageCommand({ QueueUrl: queue, MessageBody: 'x'.repeat(1024 * 1024 + 1) })), invalidParameter],
  ['SendMessage with a character SQS refuses', () => harness.sqs.send(new SendMessageCommand({ QueueUrl: queue, MessageBody: 'nul \u0000' })), { name: 'InvalidMessageContents', status: 400, queryCode: 'InvalidMessageContents' }],
  ['DeleteMessage with a malformed receipt handle', () => harness.sqs.send(new DeleteMessageCommand({ QueueUrl: queue, ReceiptHandle: 'not-a-receipt-handle' })), invalidHandle],
  ['ChangeMessageVisibility with a malformed receipt handle', () => harness.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queue, ReceiptHandle: 'not-a-receipt-handle', VisibilityTimeout: 5 })), invalidHandle],
  ['ChangeMessageVisibility of a deleted message', () => harness.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queue, ReceiptHandle: stale, VisibilityTimeout: 5 })), invalidParameter],
  ['SendMessageBatch without entries', () => harness.sqs.send(new SendMessageBatchCommand({ QueueUrl: queue, Entries: [] })), { name: 'EmptyBatchRequest', status: 400, queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest' }],
  [
    'SendMessageBatch of 11 entries',
    () => harness.sqs.send(new SendMessageBatchCommand({ QueueUrl: queue, Entries: Array.from({ length: 11 }, (_, index) => ({ Id: `m${index}`, MessageBody: 'x' })) })),
    { name: 'TooManyEntriesInBatchRequest', status: 400, queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest' },
  ],
  [
    'SendMessageBatch with one Id twice',
    () => harness.sqs.send(new SendMessageBatchCommand({ QueueUrl: queue, Entries: [{ Id: 'a', MessageBody: 'x' }, { Id: 'a', MessageBody: 'y' }] })),
    { name: 'BatchEntryIdsNotDistinct', status: 400, queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct' },
  ],
  [
    'DeleteMessageBatch with an Id SQS refuses',
    () => harness.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queue, Entries: [{ Id: 'not an id!', ReceiptHandle: stale }] })),
    { name: 'InvalidBatchEntryId', status: 400, queryCode: 'AWS.SimpleQueueService.InvalidBatchEntryId' },
  ],
  [
    'GetQueueAttributes of an attribute SQS does not have',
    () => harness.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue, AttributeNames: ['ApproximateNumberOfMessages', 'NoSuchAttribute' as QueueAttributeName] })),
    { name: 'InvalidAttributeName', status: 400, queryCode: 'InvalidAttributeName' },
  ],
  ['CreateQueue with a name SQS refuses', () => harness.sqs.send(new CreateQueueCommand({ QueueName: 'not a queue name!' })), invalidParameter],
  [
    'CreateQueue of an existing queue with other attributes',
    () => harness.sqs.send(new CreateQueueCommand({ QueueName: 'error-sweep', Attributes: { VisibilityTimeout: '31' } })),
    { name: 'QueueNameExists', status: 400, queryCode: 'QueueAlreadyExists' },
  ],
  [
    'SetQueueAttributes with a VisibilityTimeout over 12 hours',
    () => harness.sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue, Attributes: { VisibilityTimeout: '43201' } })),
    { name: 'InvalidAttributeValue', status: 400, queryCode: 'InvalidAttributeValue' },
  ],
];

describe('SQS errors', () => {
  it.each(REFUSED)('%s', async (_, send, expected) => {
    const error = (await send().then(
      () => undefined,
      (thrown: unknown) => thrown,
    )) as { name: string; $metadata: { httpStatusCode?: number }; $response?: { headers: Record<string, string> } } | undefined;
    expect(error, 'refused').toBeDefined();
    expect({ name: error?.name, status: error?.$metadata.httpStatusCode, queryError: error?.$response?.headers['x-amzn-query-error'] }).toEqual({
      name: expected.name,
      status: expected.status,
      queryError: `${expected.queryCode};Sender`,
    });
  });

  it('answers batch entries it cannot act on in Failed, and the rest in Successful', async () => {
    const deleted = await harness.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queue, Entries: [{ Id: 'malformed', ReceiptHandle: 'not-a-receipt-handle' }, { Id: 'stale', ReceiptHandle: stale }] }));
    expect(deleted.Successful).toEqual([{ Id: 'stale' }]);
    expect(deleted.Failed).toEqual([{ Id: 'malformed', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: expect.stringContaining('not-a-receipt-handle') }]);

    const changed = await harness.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queue,
        Entries: [
          { Id: 'malformed', ReceiptHandle: 'not-a-receipt-handle', VisibilityTimeout: 5 },
          { Id: 'deleted', ReceiptHandle: stale, VisibilityTimeout: 5 },
          { Id: 'in-flight', ReceiptHandle: inFlight, VisibilityTimeout: 600 },
        ],
      }),
    );
    expect(changed.Successful).toEqual([{ Id: 'in-flight' }]);
    expect(changed.Failed).toEqual([
      { Id: 'malformed', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: expect.stringContaining('not-a-receipt-handle') },
      { Id: 'deleted', SenderFault: true, Code: 'InvalidParameterValue', Message: expect.stringContaining('Message does not exist or is not available for visibility timeout change') },
    ]);
  });

  it('deletes with a stale but well-formed receipt handle without an error, as SQS does', async () => {
    await expect(harness.sqs.send(new DeleteMessageCommand({ QueueUrl: queue, ReceiptHandle: stale }))).resolves.toBeDefined();
  });
});
