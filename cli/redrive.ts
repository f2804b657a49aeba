/**
 * `tidewatch redrive <queue>`: puts a work queue's dead letters back to work through the redrive
 * function. Selective by default (filter, limit, canary, a ledger entry per message moved); `--mode all`
 * runs SQS's own move task. `--dry-run` counts and samples in the same call; `--wait` follows the run to
 * its end with a progress bar.
 */
import { DEFAULT_RATE, MAX_CANARY, MAX_LIMIT, MAX_MOVE_TASK_RATE, MAX_SELECTIVE_RATE, type RedriveMode } from '../contract/redrive';
import type { CommandContext, CommandOutput } from './command';
import { UsageError } from './errors';
import { integerFlag, optionalIntegerFlag, stringFlag, stringListFlag } from './options';
import { parseFilter } from './redrive-filter';
import { startRun } from './redrive-start';
import { queueArgument } from './work-queues';

const COMMAND_PATH = 'redrive';


function modeOf(value: string | undefined): RedriveMode {
  if (value === undefined || value === 'selective' || value === 'all') return value ?? 'selective';
  throw new UsageError(`--mode must be selective or all, got ${JSON.stringify(value)}`, COMMAND_PATH);
}

export async function startRedrive(context: CommandContext): Promise<CommandOutput> {
  const { args, flags, now } = context;
  const queue = queueArgument(args, COMMAND_PATH, true)!;
  const mode = modeOf(stringFlag(flags, 'mode'));
  const limit = optionalIntegerFlag(flags, 'limit', { min: 1, max: MAX_LIMIT }, COMMAND_PATH);
  const canary = optionalIntegerFlag(flags, 'canary', { min: 1, max: MAX_CANARY }, COMMAND_PATH);
  const filter = parseFilter(stringListFlag(flags, 'filter'), now, COMMAND_PATH);
  const request = {
    action: 'start',
    queue,
    mode,
    ...(flags['dry-run'] === true ? { dryRun: true } : {}),
    maxPerSecond: integerFlag(flags, 'rate', { min: 1, max: mode === 'all' ? MAX_MOVE_TASK_RATE : MAX_SELECTIVE_RATE, default: DEFAULT_RATE }, COMMAND_PATH),
    ...(limit !== undefined ? { limit } : {}),
    ...(canary !== undefined ? { canary } : {}),
    ...(filter ? { filter } : {}),
  } as const;
  return startRun(context, request, flags.wait === true, COMMAND_PATH);
}
