/**
 * `tidewatch dlq archive <queue> --message-id <id>... | --filter <key=value>...`: moves chosen dead letters
 * to `s3://<bucket>/dead-letters/<queue>/<date>/<messageId>.json` (body, attributes, status item, reason)
 * through the redrive function, which deletes each from the DLQ only once its archive object is written.
 * For a message that can never succeed: it leaves the DLQ (and its alarm clears) without being lost.
 */
import { DEFAULT_RATE, MAX_LIMIT, MAX_SELECTIVE_RATE } from '../contract/redrive';
import type { CommandContext, CommandOutput } from './command';
import { UsageError } from './errors';
import { integerFlag, optionalIntegerFlag, stringListFlag } from './options';
import { parseFilter } from './redrive-filter';
import { startRun } from './redrive-start';
import { queueArgument } from './work-queues';

const COMMAND_PATH = 'dlq archive';

export async function archive(context: CommandContext): Promise<CommandOutput> {
  const { args, flags, now } = context;
  const name = queueArgument(args, COMMAND_PATH, true)!;
  const messageIds = stringListFlag(flags, 'message-id');
  const filter = parseFilter(stringListFlag(flags, 'filter'), now, COMMAND_PATH);
  if (messageIds.length === 0 && !filter) throw new UsageError('name the dead letters to archive: --message-id <id> or --filter <key=value>', COMMAND_PATH);
  const limit = optionalIntegerFlag(flags, 'limit', { min: 1, max: MAX_LIMIT }, COMMAND_PATH);
  const request = {
    action: 'archive',
    queue: name,
    ...(messageIds.length > 0 ? { messageIds } : {}),
    ...(filter ? { filter } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(flags['dry-run'] === true ? { dryRun: true } : {}),
    maxPerSecond: integerFlag(flags, 'rate', { min: 1, max: MAX_SELECTIVE_RATE, default: DEFAULT_RATE }, COMMAND_PATH),
  } as const;
  return startRun(context, request, true, COMMAND_PATH);
}
