/**
 * The redrive sink: sends dead letters back to their work queue with SendMessageBatch, body, message
 * attributes and trace header kept, and reports per message whether SQS took it. A batch stays within
 * SQS's limits (10 entries, 1 MiB in all), so one large message never fails its neighbours.
 */
import { SendMessageBatchCommand, type MessageAttributeValue, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import { SQS_BATCH_LIMIT } from './dead-letter-queue';
import type { Delivered, Sink, Taken } from './sink';

/** SQS's limit on a batch's total size (bodies and attributes). */
const MAX_BATCH_BYTES = 1024 * 1024;

export function sendBackTo(sqs: SQSClient, queueUrl: string): Sink {
  return {
    kind: 'redrive',
    async deliver(batch) {
      const delivered: Delivered[] = [];
      const refused: { message: Taken['message']; reason: string }[] = [];
      for (const group of bySize(batch)) {
        const { Successful = [], Failed = [] } = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: group.map((taken, index) => entryOf(taken, index)) }));
        for (const sent of Successful) delivered.push({ taken: group[Number(sent.Id)]!, newMessageId: sent.MessageId });
        for (const failure of Failed) refused.push({ message: group[Number(failure.Id)]!.message, reason: `${failure.Code}: ${failure.Message ?? ''}` });
      }
      return { delivered, refused };
    },
  };
}

function entryOf({ message }: Taken, index: number): SendMessageBatchRequestEntry {
  const traceHeader = message.Attributes?.AWSTraceHeader;
  return {
    Id: String(index),
    MessageBody: message.Body ?? '',
    ...(message.MessageAttributes && Object.keys(message.MessageAttributes).length > 0 ? { MessageAttributes: message.MessageAttributes } : {}),
    ...(traceHeader ? { MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: traceHeader } } } : {}),
  };
}

/** Groups of at most 10 messages and 1 MiB, in order. */
function bySize(batch: readonly Taken[]): Taken[][] {
  const groups: Taken[][] = [];
  let bytes = 0;
  for (const taken of batch) {
    const size = sizeOf(taken);
    const current = groups.at(-1);
    if (!current || current.length === SQS_BATCH_LIMIT || bytes + size > MAX_BATCH_BYTES) {
      groups.push([taken]);
      bytes = size;
    } else {
      current.push(taken);
      bytes += size;
    }
  }
  return groups;
}

/** A message's size as SQS counts it: body, and each attribute's name, type and value. */
function sizeOf({ message }: Taken): number {
  const attributes = Object.entries(message.MessageAttributes ?? {}).reduce(
    (total, [name, value]: [string, MessageAttributeValue]) => total + Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '') + Buffer.byteLength(value.StringValue ?? '') + (value.BinaryValue?.length ?? 0),
    0,
  );
  return Buffer.byteLength(message.Body ?? '') + attributes;
}
