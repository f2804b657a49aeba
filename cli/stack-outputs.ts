/**
 * Finds the stack's resources the way every Tidewatch tool does: from its CloudFormation outputs
 * (DescribeStacks), so the CLI needs no configuration beyond the stack's name.
 */
import { DescribeStacksCommand, type CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import type { StackOutputKey } from '../contract/outputs';
import { CliError } from './errors';
import type { Target } from './options';

export interface StackOutputs {
  readonly stackName: string;
  /** The value of an output the command cannot work without; a clear error when the stack lacks it. */
  require(key: StackOutputKey | (string & {})): string;
}

export async function readStackOutputs(cloudFormation: CloudFormationClient, target: Target): Promise<StackOutputs> {
  let stack: Stack | undefined;
  try {
    const { Stacks: stacks = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: target.stackName }));
    stack = stacks[0];
  } catch (error) {
    // CloudFormation answers a missing stack with a plain ValidationError; its message is the only tell.
    if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message)) throw stackNotFound(target);
    throw error;
  }
  if (!stack) throw stackNotFound(target);
  const outputs = new Map((stack.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));
  return {
    stackName: target.stackName,
    require(key) {
      const value = outputs.get(key);
      if (!value) throw new CliError(`stack ${target.stackName} has no output ${key}: is it a Tidewatch stack, deployed by this version?`, 'MissingOutput');
      return value;
    },
  };
}

function stackNotFound(target: Target): CliError {
  const where = target.endpoint ?? target.region;
  return new CliError(`stack ${target.stackName} not found at ${where}: pick it with --stack or --stage (the local cloud's is Tidewatch-local)`, 'StackNotFound');
}
