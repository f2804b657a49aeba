/** GET /jobs/{id}: the job's status item, 404 when there is no such job, 400 for an id that is not a jobId. */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { StatusItem } from '../../contract/status-item';
import { quoted } from '../shared/errors';
import { errorResponse, HttpError, jsonResponse } from '../shared/http';
import type { StatusStore } from '../shared/status-store';

/**
 * A jobId as POST /jobs makes it (crypto.randomUUID). A plain pattern rather than a schema library: this
 * is the function clients poll, and loading zod would add about 30 ms to each of its cold starts.
 */
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A job as GET /jobs/{id} answers it: its status item, with its payload and result as JSON values. */
export type JobStatus = Omit<StatusItem, 'payloadJson' | 'resultJson'> & { readonly payload?: Record<string, unknown>; readonly result?: unknown };

export interface JobStatusDeps {
  readonly store: StatusStore;
  readonly logger: Logger;
  readonly tracer: Tracer;
}

export async function getJobStatus(event: APIGatewayProxyEventV2, { store, logger, tracer }: JobStatusDeps): Promise<APIGatewayProxyStructuredResultV2> {
  const id = event.pathParameters?.id ?? '';
  if (!JOB_ID.test(id)) {
    return errorResponse(new HttpError(400, 'InvalidJobId', `job id must be a UUID as returned by POST /jobs, got ${quoted(id)}`));
  }
  logger.appendKeys({ jobId: id });
  tracer.putAnnotation('jobId', id);
  const item = await store.get(id);
  // The status table also holds files (and content-hash markers): only jobs are answered here.
  if (item?.kind !== 'job') return errorResponse(new HttpError(404, 'JobNotFound', `no job with id ${id}`));
  logger.debug('job status read', { status: item.status });
  return jsonResponse(200, jobStatusOf(item));
}

/** The item with its JSON text attributes (contract/status-item.ts) read back into the values they hold. */
function jobStatusOf({ payloadJson, resultJson, ...item }: StatusItem): JobStatus {
  return {
    ...item,
    ...(payloadJson === undefined ? {} : { payload: JSON.parse(payloadJson) as Record<string, unknown> }),
    ...(resultJson === undefined ? {} : { result: JSON.parse(resultJson) as unknown }),
  };
}
