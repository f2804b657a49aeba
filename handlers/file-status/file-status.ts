/** GET /files/{id}: the file's status item, 404 when there is no such file, 400 for an id that is not a fileId. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { getItemStatus, type ItemRoute, type ItemStatusDeps } from '../shared/item-status';
import type { StatusItem } from '../../contract/status-item';

const FILE_ROUTE: ItemRoute<Omit<StatusItem, 'completedRun'>> = { kind: 'file', issuedBy: 'POST /presign', answer: (item) => item };

export function getFileStatus(event: APIGatewayProxyEventV2, deps: ItemStatusDeps): Promise<APIGatewayProxyStructuredResultV2> {
  return getItemStatus(event, FILE_ROUTE, deps);
}
