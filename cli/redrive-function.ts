/**
 * The CLI's one way to redrive, cancel or archive: invoking the stack's redrive function (its
 * `RedriveFunctionName` output), as the dashboard widget does, so every action goes through one code
 * path and leaves one audit record. It says who asks: the user's name given or taken from the shell (a
 * start adds the caller's IAM identity: redrive-start.ts).
 */
import { userInfo, hostname } from 'node:os';
import type { RedriveAnswer, RedriveRequest, RedriveRun } from '../contract/redrive';
import type { AwsClients } from './aws-clients';
import { CliError } from './errors';
import { invokeForJson } from './invoke-function';
import { stringFlag, type FlagValues } from './options';
import type { StackOutputs } from './stack-outputs';

/** Who asks: `--requested-by`, else the shell's user at this host. */
export function requestedBy(flags: FlagValues, env: NodeJS.ProcessEnv): string {
  return stringFlag(flags, 'requested-by') ?? `${env.USER ?? env.USERNAME ?? safeUserName()}@${hostname()}`;
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Invokes the redrive function and answers what it said; a function failure is a CliError naming it. */
export async function invokeRedrive(clients: AwsClients, outputs: StackOutputs, request: RedriveRequest): Promise<RedriveAnswer> {
  const functionName = outputs.require('RedriveFunctionName');
  const result = (await invokeForJson(await clients.lambda(), functionName, request, 'RedriveFunctionError')) as RedriveAnswer;
  if (result.outcome === 'error') throw new CliError(`the redrive function refused the request: ${result.message}`, result.error);
  return result;
}

/** The run a status answer reports. */
export function statusRun(answer: RedriveAnswer): RedriveRun | undefined {
  return answer.outcome === 'status' ? answer.run : undefined;
}
