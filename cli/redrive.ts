/**
 * `tidewatch redrive <queue>`: puts a work queue's dead letters back to work through the redrive
 * function. Selective by default (filter, limit, canary, a ledger entry per message moved); `--mode all`
 * runs SQS's own move task. `--dry-run` counts and samples in the same call; `--wait` follows the run to
 * its end with a progress bar.
 */
import { DEFAULT_RATE, MAX_CANARY, MAX_LIMIT, MAX_MOVE_TASK_RATE, MAX_SELECTIVE_RATE, type RedriveMode } from '../contract/redrive';
import type { Command, CommandContext, CommandOutput } from './command';
import { UsageError } from './errors';
import { integerFlag, optionalIntegerFlag, stringFlag, stringListFlag } from './options';
import { REQUESTED_BY_FLAG } from './redrive-function';
import { FILTER_HELP, parseFilter } from './redrive-filter';
import { startRun } from './redrive-start';
import { queueArgument } from './work-queues';

const COMMAND_PATH = 'redrive';

export const redriveCommand: Command = {
  path: ['redrive'],
  summary: 'move a work queue\'s dead letters back to it (see also: redrive status|cancel|history)',
  arguments: '<queue>',
  description: [
    "Invokes the stack's redrive function to move the queue's dead letters back to it, and prints the run it",
    'started (one run per queue at a time; a second start is refused with the running one\'s progress).',
    'Selective (the default) receives, filters, sends back and deletes each message itself, at --rate, and',
    'records each one in the audit ledger; --mode all runs SQS\'s own move task (every message, no filter,',
    `at most ${MAX_MOVE_TASK_RATE}/s). Follow a run with --wait or \`tidewatch redrive status <queue>\`, stop it with`,
    '`tidewatch redrive cancel <queue>`, read past runs with `tidewatch redrive history [<queue>]`.',
    '',
    'Exit codes: 0 started, dry run done, or (with --wait) completed with nothing failed; 2 the run ended',
    'otherwise (canary failed, cancelled, messages left in the DLQ); 1 an error or refused (one is running).',
  ].join('\n'),
  flags: {
    'dry-run': { type: 'boolean', description: 'count and sample what would move; changes nothing' },
    mode: { type: 'string', valueName: 'mode', description: 'selective (default) or all (SQS message move task)' },
    rate: { type: 'string', valueName: 'n', description: `messages a second (default: ${DEFAULT_RATE}; all: at most ${MAX_MOVE_TASK_RATE})` },
    limit: { type: 'string', valueName: 'n', description: 'move at most this many (selective)' },
    filter: { type: 'string', valueName: 'key=value', multiple: true, description: `only these dead letters (selective): ${FILTER_HELP}` },
    canary: { type: 'string', valueName: 'n', description: `move n first, go on only if they all succeed (selective, 1-${MAX_CANARY})` },
    wait: { type: 'boolean', description: 'follow the run to its end, with a progress bar on a terminal' },
    ...REQUESTED_BY_FLAG,
  },
  async run(context) {
    return startRedrive(context);
  },
};

function modeOf(value: string | undefined): RedriveMode {
  if (value === undefined || value === 'selective' || value === 'all') return value ?? 'selective';
  throw new UsageError(`--mode must be selective or all, got ${JSON.stringify(value)}`, COMMAND_PATH);
}

async function startRedrive(context: CommandContext): Promise<CommandOutput> {
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
