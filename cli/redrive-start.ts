/**
 * Starting a run (`tidewatch redrive`, `tidewatch dlq archive`) the same way: the queue checked against
 * the stack, who asks attached (the user's name, and the caller's IAM identity as STS reports it: the
 * function cannot verify it; CloudTrail's Invoke record is the authoritative identity), the redrive
 * function invoked, a refusal explained with the running run's progress, a dry run reported with its
 * sample, and a started run followed to its end when asked.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { RedriveRequest } from '../contract/redrive';
import type { AwsClients } from './aws-clients';
import type { CommandContext, CommandOutput } from './command';
import { CliError } from './errors';
import { invokeRedrive, requestedBy, statusRun } from './redrive-function';
import { followRun, progressReporter } from './redrive-progress';
import { exitCodeOf, progressLine, renderRun, renderSample } from './redrive-render';
import { readStackOutputs } from './stack-outputs';
import { selectedQueues, workQueueNames } from './work-queues';

export async function startRun(context: CommandContext, request: Omit<RedriveRequest, 'requestedBy' | 'callerArn'>, wait: boolean, commandPath: string): Promise<CommandOutput> {
  const { clients, flags, target } = context;
  const outputs = await readStackOutputs(await clients.cloudFormation(), target);
  selectedQueues(request.queue, workQueueNames(outputs), commandPath);
  const arn = await callerArn(clients);
  const answer = await invokeRedrive(clients, outputs, { ...request, requestedBy: requestedBy(flags, context.env), ...(arn ? { callerArn: arn } : {}) });
  if (answer.outcome === 'busy') {
    throw new CliError(`${answer.message}${answer.run ? `; ${progressLine(answer.run, new Date())}` : ''}. Follow it: tidewatch redrive status ${request.queue}`, 'RedriveRunning');
  }
  if (answer.outcome === 'dry-run') {
    return { json: answer, exitCode: 0, human: (style) => [...renderRun(answer.run, style, new Date()), ...renderSample(answer.sample, style), ''].join('\n') };
  }
  if (answer.outcome !== 'started') throw new CliError(`unexpected answer from the redrive function: ${answer.outcome}`);
  const run = wait
    ? await followRun(async () => statusRun(await invokeRedrive(clients, outputs, { action: 'status', queue: request.queue })), answer.run.runId, progressReporter(context.progress, flags.json === true))
    : answer.run;
  return {
    json: { outcome: wait ? 'ended' : 'started', run },
    exitCode: exitCodeOf(run),
    human: (style) => [...renderRun(run, style, new Date()), ...(wait ? [] : [`  follow it: tidewatch redrive status ${request.queue} (or start with --wait)`]), ''].join('\n'),
  };
}

/** The caller's ARN as STS reports it; undefined when STS cannot say (the request still goes). */
async function callerArn(clients: AwsClients): Promise<string | undefined> {
  try {
    return (await (await clients.sts()).send(new GetCallerIdentityCommand({}))).Arn;
  } catch {
    return undefined;
  }
}
