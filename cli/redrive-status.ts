/**
 * `tidewatch redrive status <queue>` and `tidewatch redrive cancel <queue>`: the queue's latest run with
 * its progress, and asking it to stop (what it moved stays moved), both through the redrive function.
 */
import type { RedriveAnswer } from '../contract/redrive';
import type { Command, CommandContext, CommandOutput } from './command';
import { invokeRedrive, REQUESTED_BY_FLAG, requestedBy, statusRun } from './redrive-function';
import { followRun, progressReporter } from './redrive-progress';
import { exitCodeOf, renderRun } from './redrive-render';
import { readStackOutputs } from './stack-outputs';
import { queueArgument, selectedQueues, workQueueNames } from './work-queues';

export const redriveStatusCommand: Command = {
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
  run: (context) => statusOrCancel(context, 'status'),
};

export const redriveCancelCommand: Command = {
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
  run: (context) => statusOrCancel(context, 'cancel'),
};

async function statusOrCancel(context: CommandContext, action: 'status' | 'cancel'): Promise<CommandOutput> {
  const { clients, args, flags, target } = context;
  const commandPath = `redrive ${action}`;
  const name = queueArgument(args, commandPath, true)!;
  const outputs = await readStackOutputs(clients.cloudFormation, target);
  selectedQueues(name, workQueueNames(outputs), commandPath);
  const status = () => invokeRedrive(clients, outputs, { action: 'status', queue: name });
  let answer: RedriveAnswer = await invokeRedrive(clients, outputs, { action, queue: name, ...(action === 'cancel' ? { requestedBy: requestedBy(flags, context.env) } : {}) });
  let run = statusRun(answer);
  if (flags.wait === true && run) {
    run = await followRun(async () => statusRun(await status()), run.runId, progressReporter(context.progress, flags.json === true));
    answer = await status();
  }
  const deadLetters = answer.outcome === 'status' ? answer.deadLetters : null;
  return {
    json: { queue: name, run: run ?? null, deadLetters },
    exitCode: exitCodeOf(run),
    human: (style) => {
      const now = new Date();
      const lines = run ? renderRun(run, style, now) : [`${style.bold(name)}: no redrive or archive run yet`];
      lines.push(`  the ${name} DLQ holds ${deadLetters ?? '?'} dead letter${deadLetters === 1 ? '' : 's'} now`, '');
      return lines.join('\n');
    },
  };
}
