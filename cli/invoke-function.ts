/** Synchronous invocation of one of the stack's functions by the CLI: its JSON answer, or a CliError naming the failure. */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { CliError } from './errors';

/**
 * Invokes `functionName` with `request` and answers the JSON it returned. A function error (an uncaught
 * exception, a timeout) or an answer that is not JSON is a CliError with `code`, naming the function.
 */
export async function invokeForJson(lambda: LambdaClient, functionName: string, request: unknown, code: string): Promise<unknown> {
  const result = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(request)) }));
  const payload = result.Payload ? Buffer.from(result.Payload).toString('utf8') : '';
  const answer = parseJson(payload);
  if (result.FunctionError) {
    const failure = answer as { errorType?: string; errorMessage?: string } | undefined;
    throw new CliError(`the function ${functionName} failed: ${failure?.errorType ?? result.FunctionError}: ${failure?.errorMessage ?? (payload || '(no message)')}`, code);
  }
  if (answer === undefined) throw new CliError(`the function ${functionName} answered something that is not JSON: ${payload.slice(0, 200)}`, code);
  return answer;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
