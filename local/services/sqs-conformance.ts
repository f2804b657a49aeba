/**
 * Where fauxqs's SQS answers otherwise than SQS, corrected at the gateway: input SQS refuses and
 * fauxqs takes (a queue name, an attribute name, a delay, a malformed receipt handle), and the answers
 * about receipt handles (in batch results, and for a message no longer in flight). Hand-written after
 * the SQS API reference; fauxqs has no switch for any of it.
 */
import { QueueAttributeName } from '@aws-sdk/client-sqs';
import { AwsServiceError } from './aws-errors';
import { hasInvalidBodyCharacter, INVALID_BODY_MESSAGE } from './fauxqs-message-body';

/** fauxqs issues UUIDs as receipt handles: anything else cannot be one of its handles. */
const RECEIPT_HANDLE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Up to 80 alphanumerics, hyphens and underscores, `.fifo` included for a FIFO queue. */
const QUEUE_NAME = /^(?:[A-Za-z0-9_-]{1,80}|[A-Za-z0-9_-]{1,75}\.fifo)$/;
const ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(Object.values(QueueAttributeName));
const MAX_DELAY_SECONDS = 900;

interface BatchResultError {
  readonly Id: string;
  readonly SenderFault: boolean;
  readonly Code: string;
  readonly Message: string;
}

export interface BatchAnswer {
  Successful?: Array<{ Id: string }>;
  Failed?: BatchResultError[];
}

/** Throws the error SQS answers a request fauxqs would take. */
export function refuseWhatSqsRefuses(action: string | undefined, input: Record<string, unknown>): void {
  switch (action) {
    case 'CreateQueue':
      if (typeof input.QueueName === 'string' && !QUEUE_NAME.test(input.QueueName)) {
        throw new AwsServiceError('InvalidParameterValue', 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
      }
      return;
    case 'GetQueueAttributes': {
      const unknown = ((input.AttributeNames as unknown[] | undefined) ?? []).find((name) => !ATTRIBUTE_NAMES.has(String(name)));
      if (unknown !== undefined) throw new AwsServiceError('InvalidAttributeName', `Unknown Attribute ${String(unknown)}.`);
      return;
    }
    case 'SendMessage': {
      if (typeof input.MessageBody === 'string' && hasInvalidBodyCharacter(input.MessageBody)) throw new AwsServiceError('InvalidMessageContents', INVALID_BODY_MESSAGE);
      const delay = input.DelaySeconds;
      if (typeof delay === 'number' && (delay < 0 || delay > MAX_DELAY_SECONDS)) {
        throw new AwsServiceError('InvalidParameterValue', `Value ${delay} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= ${MAX_DELAY_SECONDS}.`);
      }
      return;
    }
    case 'DeleteMessage':
    case 'ChangeMessageVisibility':
      if (isMalformedHandle(input.ReceiptHandle)) throw new AwsServiceError('ReceiptHandleIsInvalid', malformedHandleMessage(input.ReceiptHandle), 404);
      return;
  }
}

/** SendMessageBatch: an entry refused for its body's characters is named in SQS's words. */
export function correctSendBatchAnswer(answer: BatchAnswer): BatchAnswer {
  return { ...answer, Failed: answer.Failed?.map((entry) => (entry.Code === 'InvalidMessageContents' ? { ...entry, Message: INVALID_BODY_MESSAGE } : entry)) };
}

/**
 * Corrects fauxqs's 200 answer to DeleteMessageBatch or ChangeMessageVisibilityBatch on receipt handles:
 * a malformed one fails its entry with ReceiptHandleIsInvalid (fauxqs deletes nothing and calls it a
 * success), and a well-formed one whose message is no longer in flight fails a visibility change as
 * the single action does.
 */
export function correctBatchAnswer(input: Record<string, unknown>, answer: BatchAnswer): BatchAnswer {
  const handles = new Map(((input.Entries as Array<{ Id?: unknown; ReceiptHandle?: unknown }> | undefined) ?? []).map((entry) => [entry.Id, entry.ReceiptHandle]));
  const malformed = (entry: { Id: string }) => isMalformedHandle(handles.get(entry.Id));
  const handleFailure = ({ Id }: { Id: string }): BatchResultError => {
    const handle = handles.get(Id);
    return isMalformedHandle(handle)
      ? { Id, SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: malformedHandleMessage(handle) }
      : { Id, SenderFault: true, Code: 'InvalidParameterValue', Message: notInFlightMessage(handle) };
  };
  const successful = answer.Successful ?? [];
  return {
    ...answer,
    Successful: successful.filter((entry) => !malformed(entry)),
    Failed: [
      ...successful.filter(malformed).map(handleFailure),
      ...(answer.Failed ?? []).map((entry) => (entry.Code === 'ReceiptHandleIsInvalid' ? handleFailure(entry) : entry)),
    ],
  };
}

/** SQS's answer to a visibility change of a message no longer in flight (deleted, or received again since). */
export function notInFlight(receiptHandle: unknown): AwsServiceError {
  return new AwsServiceError('InvalidParameterValue', notInFlightMessage(receiptHandle));
}

function isMalformedHandle(handle: unknown): boolean {
  return typeof handle === 'string' && !RECEIPT_HANDLE.test(handle);
}

function malformedHandleMessage(handle: unknown): string {
  return `The input receipt handle "${String(handle)}" is not a valid receipt handle.`;
}

function notInFlightMessage(handle: unknown): string {
  return `Value ${String(handle)} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`;
}
