/**
 * SQS errors on the wire. The JSON protocol names an error in `__type`; SQS also sends the query API's
 * code in `x-amzn-query-error` (`<code>;Sender`), which the SDK names its error after and the AWS CLI
 * prints, and the query API's HTTP status. Codes and statuses are the SQS API model's awsQueryError
 * traits; an error without one (InvalidParameterValue, MissingParameter, InvalidAttributeName, ...)
 * keeps its own name and 400. fauxqs prefixes every code with `AWS.SimpleQueueService.`, so the SDK
 * raised `AWS.SimpleQueueService.InvalidParameterValue` where SQS gives `InvalidParameterValue`.
 */
const QUERY_ERRORS: Readonly<Record<string, { readonly code: string; readonly status: number }>> = {
  QueueDoesNotExist: { code: 'AWS.SimpleQueueService.NonExistentQueue', status: 400 },
  QueueNameExists: { code: 'QueueAlreadyExists', status: 400 },
  QueueDeletedRecently: { code: 'AWS.SimpleQueueService.QueueDeletedRecently', status: 400 },
  ReceiptHandleIsInvalid: { code: 'ReceiptHandleIsInvalid', status: 404 },
  MessageNotInflight: { code: 'AWS.SimpleQueueService.MessageNotInflight', status: 400 },
  PurgeQueueInProgress: { code: 'AWS.SimpleQueueService.PurgeQueueInProgress', status: 403 },
  EmptyBatchRequest: { code: 'AWS.SimpleQueueService.EmptyBatchRequest', status: 400 },
  TooManyEntriesInBatchRequest: { code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', status: 400 },
  BatchEntryIdsNotDistinct: { code: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', status: 400 },
  BatchRequestTooLong: { code: 'AWS.SimpleQueueService.BatchRequestTooLong', status: 400 },
  InvalidBatchEntryId: { code: 'AWS.SimpleQueueService.InvalidBatchEntryId', status: 400 },
  UnsupportedOperation: { code: 'AWS.SimpleQueueService.UnsupportedOperation', status: 400 },
  InvalidAddress: { code: 'InvalidAddress', status: 404 },
  InvalidSecurity: { code: 'InvalidSecurity', status: 403 },
  OverLimit: { code: 'OverLimit', status: 403 },
  RequestThrottled: { code: 'RequestThrottled', status: 403 },
  ResourceNotFoundException: { code: 'ResourceNotFoundException', status: 404 },
};

/** The query code and HTTP status SQS answers an error of this `__type` (bare, or `com.amazonaws.sqs#...`) with. */
export function sqsQueryError(type: string, status: number): { readonly code: string; readonly status: number } {
  const name = type.slice(type.lastIndexOf('#') + 1);
  return QUERY_ERRORS[name] ?? { code: name, status };
}
