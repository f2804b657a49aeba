/**
 * The HTTP API's read routes for the console and their answers: a file's status item, and recent items
 * (files and jobs) listed newest first from the status table's queue index.
 */
import type { ItemKind, ItemStatus, LastError } from './status-item';

export const FILE_STATUS_ROUTE = '/files/{id}';
export const ITEMS_ROUTE = '/items';

/** `GET /items?limit=`: items per page. */
export const ITEMS_PAGE = { defaultLimit: 25, maxLimit: 100 } as const;

/** One item as `GET /items` lists it: its summary and failure, never a job's payload or result. */
export interface ListedItem {
  readonly id: string;
  readonly kind: ItemKind;
  readonly queue: string;
  readonly status: ItemStatus;
  readonly fileName?: string;
  readonly task?: string;
  readonly rowCount?: number;
  readonly attempts?: number;
  readonly lastError?: LastError;
  readonly duplicateOf?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly completedAt?: string;
}

/** `GET /items` answers one page; `nextCursor`, when present, is passed back as `?cursor=` for the next. */
export interface ItemsPage {
  readonly items: readonly ListedItem[];
  readonly nextCursor?: string;
}
