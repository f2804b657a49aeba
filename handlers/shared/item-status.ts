/**
 * GET /jobs/{id} and GET /files/{id}: one item of the status table by id, answered only when it is of
 * the route's kind (the table also holds the other kind and content-hash markers): 400 for an id that is
 * not one the API hands out, 404 when there is no such item.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ItemKind, StatusItem } from '../../contract/status-item';
import { quoted } from './errors';
import { errorResponse, HttpError, jsonResponse } from './http';
import type { StatusStore } from './status-store';

/**
 * A jobId or fileId as POST /jobs and POST /presign make them (crypto.randomUUID). A plain pattern rather
 * than a schema library: these are the functions clients poll, and loading zod would add about 30 ms to
 * each of their cold starts.
 */
const ITEM_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ItemStatusDeps {
  readonly store: StatusStore;
  readonly logger: Logger;
  readonly tracer: Tracer;
}

export interface ItemRoute<T> {
  readonly kind: ItemKind;
  /** The route that hands out such ids, named in the 400. */
  readonly issuedBy: string;
  /** The answer's body for an item of this kind. */
  readonly answer: (item: Omit<StatusItem, 'completedRun'>) => T;
}

export async function getItemStatus<T>(event: APIGatewayProxyEventV2, route: ItemRoute<T>, { store, logger, tracer }: ItemStatusDeps): Promise<APIGatewayProxyStructuredResultV2> {
  const { kind } = route;
  const title = kind.charAt(0).toUpperCase() + kind.slice(1);
  const id = event.pathParameters?.id ?? '';
  if (!ITEM_ID.test(id)) {
    return errorResponse(new HttpError(400, `Invalid${title}Id`, `${kind} id must be a UUID as returned by ${route.issuedBy}, got ${quoted(id)}`));
  }
  logger.appendKeys({ [`${kind}Id`]: id });
  tracer.putAnnotation(`${kind}Id`, id);
  const item = await store.get(id);
  if (item?.kind !== kind) return errorResponse(new HttpError(404, `${title}NotFound`, `no ${kind} with id ${id}`));
  logger.debug(`${kind} status read`, { status: item.status });
  // completedRun is the workers' bookkeeping (their fence against completing twice), not the item's state.
  const { completedRun, ...answered } = item;
  return jsonResponse(200, route.answer(answered));
}
