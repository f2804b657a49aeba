/**
 * The items (fileIds, jobIds) a dead letter is about, read the way its queue's worker reads them: never
 * by the SQS message id, which a redrive changes. A body that names no item gives none: it is still
 * moved or archived, only without items in the ledger.
 */
import type { Message } from '@aws-sdk/client-sqs';
import type { WorkerName } from '../../contract/workers';
import { businessKeysOf as fileBusinessKeysOf } from '../file-worker/business-keys';
import { jobIdNamedBy } from '../job-worker/business-keys';
import { JOB_ID_ATTRIBUTE } from '../job-worker/job-message';

const ITEM_IDS: Readonly<Record<WorkerName, (message: Message) => readonly string[]>> = {
  'file-worker': (message) => {
    try {
      return fileBusinessKeysOf(message.Body ?? '').map((key) => key.id);
    } catch {
      return [];
    }
  },
  // submit-job sets the jobId attribute for tools; a hand-sent message may name its job in the body only.
  'job-worker': (message) => {
    const jobId = message.MessageAttributes?.[JOB_ID_ATTRIBUTE]?.StringValue ?? jobIdNamedBy(message.Body ?? '');
    return jobId === undefined ? [] : [jobId];
  },
};

export function itemIdsOf(worker: WorkerName, message: Message): readonly string[] {
  return ITEM_IDS[worker](message);
}
