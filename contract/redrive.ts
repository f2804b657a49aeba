/**
 * The redrive function's contract: what the CLI and the dashboard widget ask of it, what it answers, and
 * the audit ledger it keeps (read back by `tidewatch redrive history`). One function serves both callers,
 * so every redrive, dry run and archive goes through one code path and leaves one audit record.
 */

/** What a caller asks: start a redrive (or a dry run), read or cancel the queue's run, archive dead letters. */
export const REDRIVE_ACTIONS = ['start', 'status', 'cancel', 'archive'] as const;
export type RedriveAction = (typeof REDRIVE_ACTIONS)[number];

/**
 * `all`: SQS's own message move task (StartMessageMoveTask), every dead letter, no filter, no per-message
 * ledger. `selective`: the function receives, filters, sends back and deletes itself, message by message.
 */
export const REDRIVE_MODES = ['all', 'selective'] as const;
export type RedriveMode = (typeof REDRIVE_MODES)[number];

/** AWS caps a message move task at 500 messages a second. */
export const MAX_MOVE_TASK_RATE = 500;
/** The selective mode's cap: well above what one function moves (it sends in batches of 10). */
export const MAX_SELECTIVE_RATE = 5_000;
/** The rate when none is given: the workers' pace rather than a flood. */
export const DEFAULT_RATE = 10;
/** The largest limit a run takes. */
export const MAX_LIMIT = 10_000_000;
/** Most messages a canary may move before the rest. */
export const MAX_CANARY = 100;

/**
 * Which dead letters a selective run or an archive takes; every field given must match. Times are
 * absolute (ISO-8601), so every chunk of a run judges a message the same way.
 */
export interface RedriveFilter {
  /** The item's failure class (status table `lastError.class`), exactly. */
  readonly failureClass?: string;
  /** Text the item's failure message (`lastError.message`) contains. */
  readonly messageContains?: string;
  /** The message was first sent before this time. */
  readonly olderThan?: string;
  /** The message was first sent at or after this time. */
  readonly newerThan?: string;
  /** A field of the JSON body (dotted path, e.g. `task` or `payload.kind`) equal to this text. */
  readonly bodyField?: { readonly path: string; readonly equals: string };
}

export interface RedriveRequest {
  readonly action: RedriveAction;
  /** A work queue's name (`files`, `jobs`, ...): its dead letters go back to it. */
  readonly queue: string;
  /** @default 'selective' */
  readonly mode?: RedriveMode;
  /** Count and sample what would move, in the same call; changes nothing. */
  readonly dryRun?: boolean;
  /** @default DEFAULT_RATE */
  readonly maxPerSecond?: number;
  /** Move (or archive) at most this many. */
  readonly limit?: number;
  readonly filter?: RedriveFilter;
  /** Archive: exactly these dead letters. */
  readonly messageIds?: readonly string[];
  /** Move this many first and go on only if every one of them succeeds (selective). */
  readonly canary?: number;
  /** Who asked, as the caller says (the CLI's user, the dashboard). CloudTrail's Invoke record is the authoritative identity. */
  readonly requestedBy?: string;
  /** The caller's IAM identity as it reports it (the CLI asks STS); not verified by the function. */
  readonly callerArn?: string;
}

export type RunKind = 'redrive' | 'archive';
export type RunStatus = 'RUNNING' | 'CANCELLING' | 'COMPLETED' | 'CANCELLED' | 'STOPPED' | 'FAILED' | 'INTERRUPTED';

/** Whether a run has ended (anything but RUNNING and CANCELLING). */
export function isFinished(status: RunStatus): boolean {
  return status !== 'RUNNING' && status !== 'CANCELLING';
}

export interface RunCounts {
  /** Dead letters looked at (selective and archive). */
  readonly scanned: number;
  /** Of those, the ones the filter took. */
  readonly matched: number;
  /** Sent back to the work queue and deleted from the DLQ. */
  readonly moved: number;
  /** Written to S3 and deleted from the DLQ. */
  readonly archived: number;
  /** Could not be sent or archived: left in the DLQ. */
  readonly failed: number;
}

export const ZERO_COUNTS: RunCounts = { scanned: 0, matched: 0, moved: 0, archived: 0, failed: 0 };

/** A message that could not be moved or archived, or a canary item that failed, and why. */
export interface RunFailure {
  readonly messageId?: string;
  readonly itemId?: string;
  readonly reason: string;
}

export interface CanaryState {
  readonly size: number;
  /** `waiting` for the canary items' outcome; `passed`: all succeeded, the rest follows; `failed`: the run stopped. */
  readonly state: 'moving' | 'waiting' | 'passed' | 'failed';
  /** The business ids moved as the canary. */
  readonly itemIds: readonly string[];
  /** When the canary was moved: its items' outcomes are read from then on. */
  readonly movedAt?: string;
}

/** One run (a redrive, a dry run or an archive) as the audit ledger keeps it and `status` reports it. */
export interface RedriveRun {
  readonly runId: string;
  readonly queue: string;
  readonly kind: RunKind;
  readonly mode: RedriveMode;
  readonly dryRun: boolean;
  readonly filter?: RedriveFilter;
  readonly messageIds?: readonly string[];
  readonly maxPerSecond: number;
  readonly limit?: number;
  readonly requestedBy: string;
  readonly callerArn?: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly finishedAt?: string;
  readonly status: RunStatus;
  /** Dead letters the DLQ held when the run started (approximate, as SQS counts): the progress bar's total. */
  readonly toMove: number;
  readonly counts: RunCounts;
  /** `all`: the move task's handle, while it runs. */
  readonly taskHandle?: string;
  readonly canary?: CanaryState;
  /** The first failures, with their reasons. */
  readonly failures: readonly RunFailure[];
  /** One line: how it ended, or what it is doing. */
  readonly result?: string;
}

/** Per moved or archived message (selective and archive runs): which item, old and new message id. */
export interface LedgerEntry {
  readonly runId: string;
  readonly queue: string;
  readonly oldMessageId: string;
  /** Redrive: the id SQS gave the message sent back. */
  readonly newMessageId?: string;
  /** Archive: where it is kept. */
  readonly archiveKey?: string;
  /** The business ids (fileId, jobId) the message is about, as the workers key them. */
  readonly itemIds: readonly string[];
  readonly at: string;
}

/** How a run is going, for progress bars: derived from a run, never stored. */
export interface RunProgress {
  /** Moved or archived so far. */
  readonly done: number;
  /** What is left of the total (never negative). */
  readonly remaining: number;
  /** Messages a second since the start. */
  readonly perSecond: number;
  /** Seconds left at that pace; null before anything moved. */
  readonly etaSeconds: number | null;
}

export function progressOf(run: Pick<RedriveRun, 'counts' | 'toMove' | 'startedAt' | 'finishedAt' | 'limit'>, now: Date): RunProgress {
  const done = run.counts.moved + run.counts.archived;
  const total = run.limit === undefined ? run.toMove : Math.min(run.toMove, run.limit);
  const remaining = Math.max(0, total - done);
  const elapsedSeconds = Math.max(0.001, ((run.finishedAt ? Date.parse(run.finishedAt) : now.getTime()) - Date.parse(run.startedAt)) / 1000);
  const perSecond = done / elapsedSeconds;
  return { done, remaining, perSecond, etaSeconds: perSecond > 0 ? remaining / perSecond : null };
}

/** A dead letter as a dry run or a peek shows it: what it is about and why it died. */
export interface DeadLetterSample {
  readonly messageId: string;
  readonly sentAt?: string;
  readonly itemIds: readonly string[];
  /** `<class>: <message>` of the item's last failure, when the status table has one. */
  readonly reason?: string;
  /** The start of the body (untrusted: shown escaped). */
  readonly bodyExcerpt: string;
}

/** What the function answers. `error` answers are bad requests: nothing was done. */
export type RedriveAnswer =
  | { readonly outcome: 'started'; readonly run: RedriveRun }
  | { readonly outcome: 'busy'; readonly message: string; readonly run?: RedriveRun }
  | { readonly outcome: 'dry-run'; readonly run: RedriveRun; readonly count: number; readonly complete: boolean; readonly sample: readonly DeadLetterSample[] }
  | { readonly outcome: 'status'; readonly run?: RedriveRun; readonly deadLetters: number }
  | { readonly outcome: 'error'; readonly error: string; readonly message: string };

/** The audit ledger's keys: partition `queue`, sort key `sk`. Runs sort by start time, newest last. */
export const LEDGER_KEYS = { partition: 'queue', sort: 'sk' } as const;
/** The ledger's time-to-live attribute (epoch seconds). */
export const LEDGER_TTL_ATTRIBUTE = 'expiresAt';
/** How long the ledger keeps a run and its entries. */
export const LEDGER_RETENTION_DAYS = 90;

export const RUN_KEY_PREFIX = 'run#';
export function runKey(startedAt: string, runId: string): string {
  return `${RUN_KEY_PREFIX}${startedAt}#${runId}`;
}
/** A run's moved messages are stored a batch to an item, keyed by the batch's first message. */
export function entryKeyPrefix(runId: string): string {
  return `entry#${runId}#`;
}
export function entryKey(runId: string, oldMessageId: string): string {
  return `${entryKeyPrefix(runId)}${oldMessageId}`;
}
/** The queue's lease item: held by the one run allowed at a time. */
export const LEASE_KEY = 'lease';

/** Where archived dead letters go in the upload bucket. */
export const DEAD_LETTER_ARCHIVE_PREFIX = 'dead-letters/';

/** `dead-letters/<queue>/<yyyy-mm-dd>/<messageId>.json` (UTC date of the archive). */
export function deadLetterArchiveKey(queue: string, at: Date, messageId: string): string {
  return `${DEAD_LETTER_ARCHIVE_PREFIX}${queue}/${at.toISOString().slice(0, 10)}/${messageId}.json`;
}
