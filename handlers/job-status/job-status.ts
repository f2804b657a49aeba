/** GET /jobs/{id}: the job's status item, 404 when there is no such job, 400 for an id that is not a jobId. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { StatusItem } from '../../contract/status-item';
import { getItemStatus, type ItemRoute, type ItemStatusDeps } from '../shared/item-status';

/** A job as GET /jobs/{id} answers it: its status item, with its payload and result as JSON values. */
export type JobStatus = Omit<StatusItem, 'payloadJson' | 'resultJson' | 'completedRun'> & { readonly payload?: Record<string, unknown>; readonly result?: unknown };

export type JobStatusDeps = ItemStatusDeps;

const JOB_ROUTE: ItemRoute<JobStatus> = { kind: 'job', issuedBy: 'POST /jobs', answer: jobStatusOf };

export function getJobStatus(event: APIGatewayProxyEventV2, deps: JobStatusDeps): Promise<APIGatewayProxyStructuredResultV2> {
  return getItemStatus(event, JOB_ROUTE, deps);
}

/** The item with its JSON text attributes (contract/status-item.ts) read back into the values they hold. */
function jobStatusOf({ payloadJson, resultJson, ...item }: Omit<StatusItem, 'completedRun'>): JobStatus {
  return {
    ...item,
    ...(payloadJson === undefined ? {} : { payload: JSON.parse(payloadJson) as Record<string, unknown> }),
    ...(resultJson === undefined ? {} : { result: JSON.parse(resultJson) as unknown }),
  };
}
