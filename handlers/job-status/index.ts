/** GET /jobs/{id} (HTTP API): Powertools and client wiring only; the logic is in job-status.ts. */
import { itemStatusHandler } from '../shared/item-status-handler';
import { getJobStatus } from './job-status';

export const handler = itemStatusHandler('job-status', getJobStatus);
