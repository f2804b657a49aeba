/**
 * The redrive function's input, checked before anything is done: a caller's request (contract/redrive.ts)
 * or the function's own hand-off to the next chunk of a run. A bad request answers an `error` naming what
 * is wrong, and changes nothing.
 */
import * as z from 'zod';
import {
  DEFAULT_RATE,
  MAX_CANARY,
  MAX_LIMIT,
  MAX_MOVE_TASK_RATE,
  MAX_SELECTIVE_RATE,
  REDRIVE_ACTIONS,
  REDRIVE_MODES,
  type RedriveFilter,
  type RedriveMode,
  type RedriveRequest,
} from '../../contract/redrive';
import { describeIssues } from '../shared/errors';
import type { RedriveQueue } from './settings';

/** A request that cannot be done as asked: answered as `{outcome: 'error'}`, never retried. */
export class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
}

/** The function's own event that runs the next chunk of a run (Event invocation). */
export interface ContinueEvent {
  readonly action: 'continue';
  readonly queue: string;
  readonly runKey: string;
  readonly runId: string;
  /** The chunk this invocation is: the lease names the one allowed to run. */
  readonly chunk: number;
}

/** A caller's request with its defaults filled in and its queue resolved. */
export interface ValidRequest extends Omit<RedriveRequest, 'queue' | 'mode' | 'maxPerSecond' | 'dryRun' | 'requestedBy'> {
  readonly queue: RedriveQueue;
  readonly mode: RedriveMode;
  readonly maxPerSecond: number;
  readonly dryRun: boolean;
  readonly requestedBy: string;
}

const isoTime = z.iso.datetime({ offset: true });
const FilterSchema = z.strictObject({
  failureClass: z.string().min(1).max(200).optional(),
  messageContains: z.string().min(1).max(1000).optional(),
  olderThan: isoTime.optional(),
  newerThan: isoTime.optional(),
  bodyField: z.strictObject({ path: z.string().regex(/^[\w-]+(\.[\w-]+)*$/, 'a dotted path of field names'), equals: z.string().max(1000) }).optional(),
}) satisfies z.ZodType<RedriveFilter>;

const RequestSchema = z.strictObject({
  action: z.enum(REDRIVE_ACTIONS),
  queue: z.string().min(1),
  mode: z.enum(REDRIVE_MODES).optional(),
  dryRun: z.boolean().optional(),
  maxPerSecond: z.int().min(1).max(MAX_SELECTIVE_RATE).optional(),
  limit: z.int().min(1).max(MAX_LIMIT).optional(),
  filter: FilterSchema.optional(),
  messageIds: z.array(z.string().min(1).max(100)).min(1).max(1000).optional(),
  canary: z.int().min(1).max(MAX_CANARY).optional(),
  requestedBy: z.string().min(1).max(200).optional(),
  callerArn: z.string().min(1).max(2048).optional(),
});

const ContinueSchema = z.strictObject({
  action: z.literal('continue'),
  queue: z.string(),
  runKey: z.string(),
  runId: z.string(),
  chunk: z.int().min(0),
});

export function isContinueEvent(event: unknown): event is ContinueEvent {
  return ContinueSchema.safeParse(event).success;
}

/** The request checked against the schema and the rules between its fields; throws BadRequestError. */
export function parseRequest(event: unknown, queues: ReadonlyMap<string, RedriveQueue>): ValidRequest {
  const parsed = RequestSchema.safeParse(event);
  if (!parsed.success) throw new BadRequestError(`invalid request: ${describeIssues(parsed.error.issues)}`);
  const request = parsed.data;
  const queue = queues.get(request.queue);
  if (!queue) throw new BadRequestError(`unknown queue ${JSON.stringify(request.queue)}; the work queues are ${[...queues.keys()].join(', ')}`);
  const mode = request.mode ?? 'selective';
  const rules: [boolean, string][] = [
    [mode === 'all' && (request.filter !== undefined || request.limit !== undefined || request.canary !== undefined), 'mode "all" moves every dead letter: filter, limit and canary need mode "selective"'],
    [mode === 'all' && (request.maxPerSecond ?? DEFAULT_RATE) > MAX_MOVE_TASK_RATE, `mode "all" runs an SQS message move task, at most ${MAX_MOVE_TASK_RATE} messages a second`],
    [request.action === 'archive' && request.mode !== undefined, 'archive takes no mode: it receives the dead letters it archives itself'],
    [request.action === 'archive' && request.messageIds === undefined && request.filter === undefined, 'archive needs messageIds or a filter: it never archives a whole DLQ by accident'],
    [request.action !== 'archive' && request.messageIds !== undefined, 'messageIds choose dead letters to archive; a redrive takes a filter'],
    [request.canary !== undefined && (request.dryRun === true || request.action !== 'start'), 'a canary belongs to a redrive that moves messages (not a dry run or an archive)'],
  ];
  const broken = rules.filter(([breaks]) => breaks).map(([, message]) => message);
  if (broken.length > 0) throw new BadRequestError(broken.join('; '));
  return {
    ...request,
    queue,
    mode,
    maxPerSecond: request.maxPerSecond ?? DEFAULT_RATE,
    dryRun: request.dryRun ?? false,
    requestedBy: request.requestedBy ?? 'unknown (see CloudTrail)',
  };
}
