/**
 * `tidewatch redrive history [<queue>]`: the audit ledger, newest run first, and for each redriven or
 * archived message its items and what became of them since (their status now). Read from the ledger
 * table and the status table directly: reading changes nothing, so it needs no function.
 */
import { Ledger } from '../handlers/redrive/ledger';
import { statusItems } from '../handlers/redrive/status-items';
import type { LedgerEntry, RedriveRun } from '../contract/redrive';
import type { StatusItem } from '../contract/status-item';
import type { CommandContext, CommandOutput } from './command';
import { integerFlag, PER_QUEUE_MAX } from './options';
import { renderRun } from './redrive-render';
import { readStackOutputs } from './stack-outputs';
import { table, type Style } from './terminal';
import { queueArgument, selectedQueues, workQueueNames } from './work-queues';

const COMMAND_PATH = 'redrive history';
/** Moved messages read per run (the JSON has them all, up to this). */
const ENTRIES_PER_RUN = 1000;
/** Moved items a person is shown per run. */
const SHOWN_ITEMS = 20;

/** A moved item and its outcome since. */
export interface ItemOutcome {
  readonly itemId: string;
  readonly oldMessageId: string;
  readonly newMessageId?: string;
  readonly archiveKey?: string;
  /** The item's status now; null when the status table has no item. */
  readonly status: string | null;
  readonly lastError?: string;
  readonly updatedAt?: string;
}

export interface HistoryRun {
  readonly run: RedriveRun;
  readonly items: readonly ItemOutcome[];
}

export interface RedriveHistory {
  readonly stack: string;
  readonly queues: readonly { readonly name: string; readonly runs: readonly HistoryRun[] }[];
}

export async function showHistory(context: CommandContext): Promise<CommandOutput> {
  const history = await readHistory(context);
  return { json: history, exitCode: 0, human: (style) => renderHistory(history, style) };
}

async function readHistory({ clients, args, flags, target }: CommandContext): Promise<RedriveHistory> {
  const name = queueArgument(args, COMMAND_PATH);
  const max = integerFlag(flags, 'max', PER_QUEUE_MAX, COMMAND_PATH);
  const outputs = await readStackOutputs(await clients.cloudFormation(), target);
  const dynamoDb = await clients.dynamoDb();
  const ledger = new Ledger(dynamoDb, outputs.require('RedriveLedgerTableName'));
  const statusTable = outputs.require('StatusTableName');
  const queues = await Promise.all(
    selectedQueues(name, workQueueNames(outputs), COMMAND_PATH).map(async (queue) => {
      const runs = await ledger.runs(queue, max);
      return {
        name: queue,
        runs: await Promise.all(
          runs.map(async ({ runKey: _key, cancelRequestedAt: _at, cancelRequestedBy: _by, ...run }) => {
            const entries = run.mode === 'selective' && !run.dryRun ? await ledger.entries(queue, run.runId, ENTRIES_PER_RUN) : [];
            return { run, items: await outcomes(entries, (ids) => statusItems(dynamoDb, statusTable, ids)) };
          }),
        ),
      };
    }),
  );
  return { stack: target.stackName, queues };
}

async function outcomes(entries: readonly LedgerEntry[], read: (ids: readonly string[]) => Promise<ReadonlyMap<string, StatusItem>>): Promise<ItemOutcome[]> {
  const items = await read(entries.flatMap((entry) => entry.itemIds));
  return entries
    .toSorted((a, b) => a.at.localeCompare(b.at))
    .flatMap((entry) =>
      (entry.itemIds.length > 0 ? entry.itemIds : ['(none named)']).map((itemId): ItemOutcome => {
        const item = items.get(itemId);
        return {
          itemId,
          oldMessageId: entry.oldMessageId,
          ...(entry.newMessageId ? { newMessageId: entry.newMessageId } : {}),
          ...(entry.archiveKey ? { archiveKey: entry.archiveKey } : {}),
          status: item?.status ?? null,
          ...(item?.lastError ? { lastError: `${item.lastError.class}: ${item.lastError.message}` } : {}),
          ...(item ? { updatedAt: item.updatedAt } : {}),
        };
      }),
    );
}

export function renderHistory(history: RedriveHistory, style: Style): string {
  const now = new Date();
  const lines: string[] = [];
  for (const queue of history.queues) {
    if (queue.runs.length === 0) lines.push(`${style.bold(queue.name)}: no redrive or archive in the ledger`, '');
    for (const { run, items } of queue.runs) {
      lines.push(...renderRun(run, style, now));
      if (items.length > 0) {
        const rows = items.slice(0, SHOWN_ITEMS).map((item) => [
          item.itemId,
          `${item.oldMessageId} -> ${item.newMessageId ?? item.archiveKey ?? '?'}`,
          item.status === null ? style.yellow('no status item') : item.status === 'FAILED' ? style.red(item.status) : item.status,
          item.lastError && item.status !== 'PROCESSED' ? item.lastError : '',
        ]);
        lines.push(`  ${style.dim('items moved, and their status now')}`, ...table(rows, [], '    '));
        if (items.length > SHOWN_ITEMS) lines.push(style.dim(`    ... and ${items.length - SHOWN_ITEMS} more (--json has them all)`));
      }
      lines.push('');
    }
  }
  return lines.join('\n');
}
