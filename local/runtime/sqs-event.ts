/**
 * The Lambda side of an SQS event source mapping, as pure functions: the event Lambda builds from
 * received messages, and which messages it deletes after the invocation.
 */
import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttribute, SQSRecord } from 'aws-lambda';

export function sqsEvent(messages: readonly Message[], queueArn: string, region: string): SQSEvent {
  return { Records: messages.map((message) => sqsRecord(message, queueArn, region)) };
}

function sqsRecord(message: Message, queueArn: string, region: string): SQSRecord {
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: message.Attributes as unknown as SQSRecord['attributes'],
    messageAttributes: Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, messageAttribute(value)])),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** Lambda's casing of a message attribute; binary values travel base64-encoded. */
function messageAttribute(value: MessageAttributeValue): SQSMessageAttribute {
  const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  return {
    ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
    ...(value.BinaryValue !== undefined ? { binaryValue: base64(value.BinaryValue) } : {}),
    stringListValues: value.StringListValues ?? [],
    binaryListValues: (value.BinaryListValues ?? []).map(base64),
    dataType: (value.DataType ?? 'String') as SQSMessageAttribute['dataType'],
  };
}

export interface BatchVerdict {
  readonly delete: readonly SQSRecord[];
  /** Set when the response fails the whole batch: why. */
  readonly invalidResponse?: string;
}

/**
 * The records to delete after a successful invocation. Without `reportBatchItemFailures` that is all
 * of them. With it, Lambda deletes all but the reported `batchItemFailures`; an empty or absent list
 * is full success, and a malformed report (an identifier that is empty, not a string or not in the
 * batch) fails the whole batch, exactly as Lambda treats it.
 */
export function recordsToDelete(records: readonly SQSRecord[], result: unknown, reportBatchItemFailures: boolean): BatchVerdict {
  if (!reportBatchItemFailures || result === null || result === undefined) return { delete: records };
  if (typeof result !== 'object' || Array.isArray(result)) return { delete: [], invalidResponse: 'the response is not a JSON object' };
  const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return { delete: records };
  if (!Array.isArray(failures)) return { delete: [], invalidResponse: 'batchItemFailures is not a list' };
  const batchIds = new Set(records.map((record) => record.messageId));
  const failed = new Set<string>();
  for (const failure of failures as unknown[]) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '') return { delete: [], invalidResponse: `invalid itemIdentifier ${JSON.stringify(id ?? null)}` };
    if (!batchIds.has(id)) return { delete: [], invalidResponse: `itemIdentifier ${id} is not a message of this batch` };
    failed.add(id);
  }
  return { delete: records.filter((record) => !failed.has(record.messageId)) };
}
