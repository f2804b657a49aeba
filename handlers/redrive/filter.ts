/**
 * Which dead letters a filter takes (contract/redrive.ts RedriveFilter): pure, so a run judges every
 * message the same way in every chunk. A message is taken when every field given matches.
 */
import type { RedriveFilter } from '../../contract/redrive';
import type { StatusItem } from '../../contract/status-item';

/** A received dead letter with what is known of it. */
export interface Candidate {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt?: Date;
  readonly itemIds: readonly string[];
  /** The status items of its items (those that exist); read only when needed. */
  readonly items: readonly StatusItem[];
}

/** Whether matching needs the items' status (failure class or message). */
export function needsStatus(filter: RedriveFilter | undefined): boolean {
  return filter?.failureClass !== undefined || filter?.messageContains !== undefined;
}

export function matches(filter: RedriveFilter | undefined, candidate: Candidate): boolean {
  if (!filter) return true;
  const { failureClass, messageContains, olderThan, newerThan, bodyField } = filter;
  const errors = candidate.items.flatMap((item) => (item.lastError ? [item.lastError] : []));
  const sent = candidate.sentAt?.getTime();
  return (
    (failureClass === undefined || errors.some((error) => error.class === failureClass)) &&
    (messageContains === undefined || errors.some((error) => error.message.includes(messageContains))) &&
    (olderThan === undefined || (sent !== undefined && sent < Date.parse(olderThan))) &&
    (newerThan === undefined || (sent !== undefined && sent >= Date.parse(newerThan))) &&
    (bodyField === undefined || bodyFieldOf(candidate.body, bodyField.path) === bodyField.equals)
  );
}

/** A field of a JSON body by dotted path, as text (numbers and booleans too); undefined when absent or not a scalar. */
function bodyFieldOf(body: string, path: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  for (const name of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, name)) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}
