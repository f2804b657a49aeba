/**
 * `tidewatch redrive status <queue>` and `tidewatch redrive cancel <queue>`: the queue's latest run with
 * its progress, and asking it to stop (what it moved stays moved), both through the redrive function.
 */
import type { RedriveAnswer } from '../contract/redrive';
import type { CommandContext, CommandOutput } from './command';
import { invokeRedrive, requestedBy, statusRun } from './redrive-function';
import { followRun, progressReporter } from './redrive-progress';
import { exitCodeOf, renderRun } from './redrive-render';
import { readStackOutputs } from './stack-outputs';
import { queueArgument, selectedQueues, workQueueNames } from './work-queues';


export async function statusOrCancel(context: CommandContext, action: 'status' | 'cancel'): Promise<CommandOutput> {
  const { clients, args, flags, target } = context;
  const commandPath = `redrive ${action}`;
  const name = queueArgument(args, commandPath, true)!;
  const outputs = await readStackOutputs(await clients.cloudFormation(), target);
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
