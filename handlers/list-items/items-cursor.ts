/**
 * The opaque cursor of `GET /items`: for each work queue, where its next page starts in the queue index
 * (the index key of the last item listed from it), or null once the queue has no more items. Base64url
 * JSON: clients pass it back as they got it, and anything else is a 400, never a 5xx.
 */
import { HttpError } from '../shared/http';

/** An index key: the table's `id` with the index's `queue` and `updatedAt`. */
export interface IndexKey {
  readonly id: string;
  readonly queue: string;
  readonly updatedAt: string;
}

/** Per queue: undefined (start from the newest), a key to start after, or null (no more items). */
export type QueuePositions = Readonly<Record<string, IndexKey | null | undefined>>;

export function encodeCursor(positions: QueuePositions): string {
  return Buffer.from(JSON.stringify(positions)).toString('base64url');
}

export function decodeCursor(cursor: string, queues: readonly string[]): QueuePositions {
  const invalid = () => new HttpError(400, 'InvalidCursor', 'cursor must be a nextCursor as returned by GET /items');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid();
  const positions = value as Record<string, unknown>;
  if (Object.keys(positions).some((queue) => !queues.includes(queue))) throw invalid();
  for (const [queue, position] of Object.entries(positions)) {
    if (position !== null && !isIndexKey(position, queue)) throw invalid();
  }
  return positions as QueuePositions;
}

function isIndexKey(value: unknown, queue: string): value is IndexKey {
  const key = value as Record<string, unknown>;
  return (
    typeof value === 'object' && value !== null && Object.keys(key).length === 3 && typeof key.id === 'string' && key.queue === queue && typeof key.updatedAt === 'string'
  );
}
