/**
 * Every `tidewatch` command: its words, help and flags, which the help and the dispatcher both read,
 * and its run, which imports the command's module only then. So `--help`, a usage mistake or a typo
 * loads no command's code and no SDK client, and a command loads its own module and not the others'. A
 * new command is one entry here and one module exporting what it does.
 */
import { DEFAULT_RATE, MAX_CANARY, MAX_MOVE_TASK_RATE } from '../contract/redrive';
import type { Command } from './command';
import { PER_QUEUE_MAX } from './options';
import { FILTER_HELP } from './redrive-filter';

const REQUESTED_BY_FLAG = {
  'requested-by': { type: 'string', valueName: 'name', description: 'who asks, for the audit ledger (default: $USER@host)' },
} as const;

export const COMMANDS: readonly Command[] = [
  {
    path: ['status'],
    summary: 'queues, dead-letter queues, alarms firing with their runbook, recent pages',
    description: [
      'Shows what an on-call looks at first: the alarms firing (critical first) with their runbook link, each',
      'work queue (visible, in flight, age of the oldest message, dead-letter queue depth) and the pages of the',
      'last 24 hours.',
      '',
      'Exit codes: 0 healthy, 2 a paging alarm is firing, 1 an error (or part of the status could not be read).',
    ].join('\n'),
    flags: {},
    run: async (context) => (await import('./status')).showStatus(context),
  },
  {
    path: ['dlq', 'peek'],
    summary: 'sample dead-lettered messages with the failure reason, without consuming them',
    arguments: '[files|jobs]',
    description: [
      'Shows up to --max messages of the files and jobs dead-letter queues (or of the one named): message id,',
      'when it was sent, how often it was received, the file or job it is about, and its status, attempts and',
      'last error from the status table. Messages stay in the queue, visible; each peek counts as one receive.',
      '',
      'Exit codes: 0 done, 1 an error.',
    ].join('\n'),
    flags: { max: { type: 'string', valueName: 'n', description: `messages per queue, ${PER_QUEUE_MAX.min}-${PER_QUEUE_MAX.max} (default: ${PER_QUEUE_MAX.default})` } },
    run: async (context) => (await import('./dlq-peek')).peek(context),
  },
  {
    path: ['dlq', 'archive'],
    summary: 'archive chosen dead letters to S3, then delete them from the DLQ',
    arguments: '<queue>',
    description: [
      "Invokes the stack's redrive function to archive the dead letters named by --message-id (see `tidewatch",
      'dlq peek`) or taken by --filter: each is written to s3://<bucket>/dead-letters/<queue>/<date>/<messageId>.json',
      'with its body, attributes, status item and failure reason, and deleted from the DLQ only after that. It',
      'waits for the archive to end; --dry-run only counts and samples what it would take.',
      '',
      'Exit codes: 0 archived (or dry run done); 2 some could not be archived (left in the DLQ); 1 an error.',
    ].join('\n'),
    flags: {
      'message-id': { type: 'string', valueName: 'id', multiple: true, description: 'a dead letter to archive (repeat for several)' },
      filter: { type: 'string', valueName: 'key=value', multiple: true, description: FILTER_HELP },
      limit: { type: 'string', valueName: 'n', description: 'archive at most this many' },
      rate: { type: 'string', valueName: 'n', description: `messages a second (default: ${DEFAULT_RATE})` },
      'dry-run': { type: 'boolean', description: 'count and sample what would be archived; changes nothing' },
      ...REQUESTED_BY_FLAG,
    },
    run: async (context) => (await import('./dlq-archive')).archive(context),
  },
  {
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
    run: async (context) => (await import('./redrive')).startRedrive(context),
  },
  {
    path: ['redrive', 'status'],
    summary: "a queue's latest redrive or archive run, with its progress",
    arguments: '<queue>',
    description: [
      "Shows the queue's latest run (redrive, dry run or archive): who asked, what, its counts and how it ended,",
      'and how many dead letters the DLQ holds now. --wait follows a running run to its end.',
      '',
      'Exit codes: 0 running, or ended clean; 2 the latest run ended otherwise; 1 an error.',
    ].join('\n'),
    flags: { wait: { type: 'boolean', description: 'follow a running run to its end' } },
    run: async (context) => (await import('./redrive-status')).statusOrCancel(context, 'status'),
  },
  {
    path: ['redrive', 'cancel'],
    summary: "stop a queue's running redrive or archive (what moved stays moved)",
    arguments: '<queue>',
    description: [
      "Asks the queue's running run to stop: a selective run stops at its next batch and lets go of the",
      "messages it holds; a move task (mode all) is cancelled in SQS. --wait follows it until it has stopped.",
      '',
      'Exit codes: 0 nothing was running; 2 the run stopped (cancelled); 1 an error.',
    ].join('\n'),
    flags: { wait: { type: 'boolean', description: 'follow the run until it has stopped' }, ...REQUESTED_BY_FLAG },
    run: async (context) => (await import('./redrive-status')).statusOrCancel(context, 'cancel'),
  },
  {
    path: ['redrive', 'history'],
    summary: 'the audit ledger: past redrives and archives, and what became of each item moved',
    arguments: '[<queue>]',
    description: [
      'Lists the newest --max runs of each work queue (or of the one named) from the audit ledger (kept 90',
      'days): who asked and when, what, the counts and how each ended; for selective redrives and archives,',
      'each message moved (old and new message id) with its items and their status now.',
      '',
      'Exit codes: 0 done, 1 an error.',
    ].join('\n'),
    flags: { max: { type: 'string', valueName: 'n', description: `runs per queue, ${PER_QUEUE_MAX.min}-${PER_QUEUE_MAX.max} (default: ${PER_QUEUE_MAX.default})` } },
    run: async (context) => (await import('./redrive-history')).showHistory(context),
  },
  {
    path: ['review'],
    summary: 'the weekly reliability review: SLOs, error budgets, pages, dead letters, suggested actions',
    description: [
      'Fetches the stored report of a week (reports/<week>/ in the bucket, written every Monday), or builds',
      'the report of a week or a range of days on demand, through the stack\'s review function (it needs',
      'lambda:InvokeFunction on it). Without --week or --from/--to: last week.',
      '',
      'Writes Markdown to stdout by default; --format html gives one self-contained page (charts included),',
      '--out FILE writes to a file (its extension picks the format when --format is not given).',
    ].join('\n'),
    flags: {
      week: { type: 'string', valueName: 'YYYY-Www', description: 'the ISO week, e.g. 2026-W47 (default: last week)' },
      from: { type: 'string', valueName: 'YYYY-MM-DD', description: 'first day of a range (UTC), with --to' },
      to: { type: 'string', valueName: 'YYYY-MM-DD', description: 'day after the last of the range (exclusive), with --from' },
      format: { type: 'string', valueName: 'html|md|json', description: 'output format (default: from --out, else md)' },
      out: { type: 'string', valueName: 'file', description: 'write the report to this file instead of stdout' },
    },
    run: async (context) => (await import('./review')).review(context),
  },
  {
    path: ['cost'],
    summary: 'what a stage\'s monitoring costs a month, what a preview saves, and the cost per million items',
    description: [
      'Synthesizes the stage (offline, as `cdk synth` does) and prices its alarms by kind and resolution,',
      'composite alarms, custom metrics, dashboards and KMS keys at the us-east-1 list prices of',
      'contract/prices.ts; then the same stage as a preview (preview, no SLO burn-rate alarms). Custom metrics',
      'are counted as if each were emitted every hour (an upper bound). Adds the cost per million items',
      'measured by the last `npx tsx bench/cost.ts` (bench/results/cost.json).',
      '',
      'Give the stage\'s config as you deploy it (`cdk deploy -c tidewatch=...`) with --config.',
    ].join('\n'),
    flags: {
      config: { type: 'string', valueName: 'json', description: 'the stage\'s config object, as given to cdk -c tidewatch=... (default: {})' },
    },
    run: async (context) => (await import('./cost')).cost(context),
  },
];
