/** GET /files/{id} (HTTP API): Powertools and client wiring only; the logic is in file-status.ts. */
import { itemStatusHandler } from '../shared/item-status-handler';
import { getFileStatus } from './file-status';

export const handler = itemStatusHandler('file-status', getFileStatus);
