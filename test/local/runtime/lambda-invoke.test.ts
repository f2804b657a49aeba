/**
 * Lambda `Invoke` (and `GetFunction`, `ListFunctions`) at the one AWS endpoint: the runtime registers the
 * Lambda API of the template's functions, which run in their function hosts, through the SDK v3 client,
 * plain HTTP and the AWS CLI.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GetFunctionCommand, InvokeCommand, LambdaClient, ListFunctionsCommand, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime, type InvocationRecord } from '../../../local/runtime';
import { startLocalServices } from '../../../local/services';
import type { CfnResource, LocalServices } from '../../../local/template/model';
import { eventually } from '../../support/eventually';
import { awsCli } from '../scenarios/aws-cli';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../../..');
const CREDENTIALS = { accessKeyId: 'any', secretAccessKey: 'any' };

/** A project function running one of the fixture handlers, under a readable physical name. */
function fixtureFunction(handler: string, timeoutSeconds = 10): CfnResource {
  return {
    Type: 'AWS::Lambda::Function',
    Properties: { FunctionName: `fixture-${handler}`, Timeout: timeoutSeconds, MemorySize: 256, Environment: { Variables: { FROM_TEMPLATE: 'yes' } } },
    Metadata: { 'Tidewatch:Entry': 'test/local/runtime/fixtures/handlers.ts', 'Tidewatch:Handler': handler },
  };
}

let services: LocalServices;
let runtime: LocalRuntime;
let lambda: LambdaClient;
const lines: { functionName: string; line: string }[] = [];
const invocations: InvocationRecord[] = [];

beforeAll(async () => {
  runtime = await LocalRuntime.bind({ apiPort: 0, downloadPort: 0 });
  services = await startLocalServices({
    port: 0,
    apiPort: runtime.apiPort,
    downloadPort: runtime.downloadPort,
    projectRoot: PROJECT_ROOT,
    template: { stackName: 'LambdaTest-local', template: { Resources: { Echo: fixtureFunction('echo'), Fail: fixtureFunction('fail'), Sleep: fixtureFunction('sleep', 2) } } },
  });
  runtime.onLine((functionName, line) => lines.push({ functionName, line }));
  runtime.onInvocation((record) => invocations.push(record));
  runtime.start(services);
  lambda = new LambdaClient({ endpoint: services.endpoint, region: services.region, credentials: CREDENTIALS });
});

afterAll(async () => {
  lambda?.destroy();
  await runtime?.stop();
  await services?.stop();
});

const invoke = (input: Omit<ConstructorParameters<typeof InvokeCommand>[0], 'Payload'> & { Payload?: unknown }) =>
  lambda.send(new InvokeCommand({ ...input, Payload: input.Payload === undefined ? undefined : Buffer.from(JSON.stringify(input.Payload)) }));

function payloadOf(output: InvokeCommandOutput): Record<string, any> {
  return JSON.parse(Buffer.from(output.Payload ?? []).toString('utf8'));
}

/** The rejection of `promise`, which must reject. */
async function failure(promise: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  return promise.then(
    () => expect.unreachable('the call succeeded'),
    (error: Error & { $metadata: { httpStatusCode?: number } }) => error,
  );
}

describe('Lambda Invoke through the SDK', () => {
  it('RequestResponse answers the function result, run in its host with the template environment', async () => {
    const output = await invoke({ FunctionName: 'fixture-echo', Payload: { hello: 'world' } });
    expect([output.StatusCode, output.ExecutedVersion, output.FunctionError]).toEqual([200, '$LATEST', undefined]);
    const result = payloadOf(output);
    expect(result.event).toEqual({ hello: 'world' });
    expect(result.env).toMatchObject({ FROM_TEMPLATE: 'yes', AWS_LAMBDA_FUNCTION_NAME: 'fixture-echo', AWS_ENDPOINT_URL: services.endpoint });
    expect(result.context).toMatchObject({ functionName: 'fixture-echo', invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fixture-echo' });
    // The response's request id is the invocation's.
    expect(result.context.awsRequestId).toBe(output.$metadata.requestId);
    expect(invocations).toContainEqual(expect.objectContaining({ functionName: 'fixture-echo', requestId: output.$metadata.requestId, error: undefined }));
  });

  it('passes {} when there is no payload, and takes the function by ARN, partial ARN and $LATEST', async () => {
    expect(payloadOf(await invoke({ FunctionName: 'fixture-echo' })).event).toEqual({});
    for (const FunctionName of ['arn:aws:lambda:us-east-1:000000000000:function:fixture-echo', '000000000000:function:fixture-echo', 'fixture-echo:$LATEST']) {
      expect(payloadOf(await invoke({ FunctionName, Payload: { by: FunctionName } })).event).toEqual({ by: FunctionName });
    }
    expect((await invoke({ FunctionName: 'fixture-echo', Qualifier: '$LATEST' })).StatusCode).toBe(200);
  });

  it('returns the last 4 KB of the invocation log, base64, with LogType Tail', async () => {
    const output = await invoke({ FunctionName: 'fixture-echo', Payload: {}, LogType: 'Tail' });
    const log = Buffer.from(output.LogResult ?? '', 'base64').toString('utf8');
    expect(log).toContain(`"message":"echo","requestId":"${output.$metadata.requestId}"`);
    expect(log).toContain('a line on stderr\n');
    expect(log).toMatch(new RegExp(`REPORT RequestId: ${output.$metadata.requestId}\\tDuration: `));
    expect(Buffer.byteLength(log)).toBeLessThanOrEqual(4096);
  });

  it("a function error answers 200 with X-Amz-Function-Error Unhandled and the runtime's error payload", async () => {
    const output = await invoke({ FunctionName: 'fixture-fail', Payload: {}, LogType: 'Tail' });
    expect([output.StatusCode, output.FunctionError, output.ExecutedVersion]).toEqual([200, 'Unhandled', '$LATEST']);
    const error = payloadOf(output);
    expect(error).toMatchObject({ errorType: 'ValidationError', errorMessage: 'the input is wrong' });
    expect(error.trace[0]).toBe('ValidationError: the input is wrong');
    expect(error.trace[1]).toMatch(/^ {4}at .*handlers\.ts/);
    expect(Buffer.from(output.LogResult ?? '', 'base64').toString('utf8')).toContain('\tERROR\tInvoke Error \t{"errorType":"ValidationError"');
    expect(invocations).toContainEqual(expect.objectContaining({ functionName: 'fixture-fail', requestId: output.$metadata.requestId, error: expect.objectContaining({ errorType: 'ValidationError' }) }));
  });

  it('a timeout is a function error too', async () => {
    const output = await invoke({ FunctionName: 'fixture-sleep', Payload: { ms: 5_000 } });
    expect(output.FunctionError).toBe('Unhandled');
    expect(payloadOf(output)).toMatchObject({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 2.00 seconds' });
  });

  it('Event answers 202 at once and runs the invocation in the background', async () => {
    const output = await invoke({ FunctionName: 'fixture-sleep', InvocationType: 'Event', Payload: { ms: 1_000 } });
    expect(output.StatusCode).toBe(202);
    expect(Buffer.from(output.Payload ?? []).length).toBe(0);
    const requestId = output.$metadata.requestId as string;
    const reportLine = async () => lines.find(({ line }) => line.startsWith(`REPORT RequestId: ${requestId}\t`));
    expect(await reportLine()).toBeUndefined();
    // Its REPORT line shows it ran to the end: within Lambda's 10 s init limit plus its 1 s of work, and a second to spare.
    const report = await eventually(reportLine, 'the Event invocation to finish', 10_000 + 1_000 + 1_000);
    expect(report.functionName).toBe('fixture-sleep');
    expect(invocations.find((record) => record.requestId === requestId)?.error).toBeUndefined();
  });

  it('DryRun answers 204 without running the function', async () => {
    const before = invocations.length;
    const output = await invoke({ FunctionName: 'fixture-echo', InvocationType: 'DryRun', Payload: {} });
    expect(output.StatusCode).toBe(204);
    // A synchronous invocation after it is the next one recorded: the dry run ran nothing.
    const next = await invoke({ FunctionName: 'fixture-echo', Payload: {} });
    expect(invocations.slice(before).map((record) => record.requestId)).toEqual([next.$metadata.requestId]);
  });

  it('an unknown function, version or account is ResourceNotFoundException (404)', async () => {
    for (const [FunctionName, Qualifier, arn] of [
      ['nope', undefined, 'arn:aws:lambda:us-east-1:000000000000:function:nope'],
      ['fixture-echo', 'v1', 'arn:aws:lambda:us-east-1:000000000000:function:fixture-echo:v1'],
      ['arn:aws:lambda:us-east-1:111122223333:function:fixture-echo', undefined, 'arn:aws:lambda:us-east-1:111122223333:function:fixture-echo'],
    ] as const) {
      const error = await failure(invoke({ FunctionName, Qualifier, Payload: {} }));
      expect([error.name, error.message, error.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', `Function not found: ${arn}`, 404]);
    }
  });

  it('a payload that is not JSON is InvalidRequestContentException (400)', async () => {
    const error = await failure(lambda.send(new InvokeCommand({ FunctionName: 'fixture-echo', Payload: Buffer.from('{not json') })));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidRequestContentException', 400]);
    expect(error.message).toMatch(/^Could not parse request body into json: /);
  });

  it('GetFunction and ListFunctions describe the functions', async () => {
    const { Configuration } = await lambda.send(new GetFunctionCommand({ FunctionName: 'fixture-echo' }));
    expect(Configuration).toMatchObject({
      FunctionName: 'fixture-echo',
      FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fixture-echo',
      Handler: 'handlers.echo',
      Timeout: 10,
      MemorySize: 256,
      Environment: { Variables: { FROM_TEMPLATE: 'yes' } },
      State: 'Active',
    });
    const { Functions = [] } = await lambda.send(new ListFunctionsCommand({}));
    expect(Functions.map((fn) => fn.FunctionName)).toEqual(['fixture-echo', 'fixture-fail', 'fixture-sleep']);
  });
});

describe('Lambda Invoke over plain HTTP', () => {
  it("answers an unknown function with Lambda's JSON error and x-amzn-ErrorType", async () => {
    const response = await fetch(`${services.endpoint}/2015-03-31/functions/nope/invocations`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await response.json()).toEqual({ Type: 'User', Message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope' });
  });

  it('names a Lambda action the local cloud lacks', async () => {
    const credential = 'any/20260101/us-east-1/lambda/aws4_request';
    const response = await fetch(`${services.endpoint}/2015-03-31/functions/fixture-echo/policy`, {
      headers: { authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host, Signature=0` },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnsupportedOperation');
    expect(((await response.json()) as { Message: string }).Message).toBe('Lambda GET /2015-03-31/functions/fixture-echo/policy is not supported by the Tidewatch local cloud');
  });
});

describe('Lambda Invoke through the AWS CLI', () => {
  // CLI v1 sends --payload as it is given (v2 wants --cli-binary-format raw-in-base64-out, which v1 rejects).
  it('aws lambda invoke writes the result to the outfile and prints the status, or the function error', async () => {
    const aws = awsCli(services.endpoint);
    const directory = await mkdtemp(path.join(tmpdir(), 'tidewatch-lambda-'));
    const printed = JSON.parse(await aws('lambda', 'invoke', '--function-name', 'fixture-echo', '--payload', '{"hello":"cli"}', path.join(directory, 'out.json')));
    expect(printed).toEqual({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(JSON.parse(await readFile(path.join(directory, 'out.json'), 'utf8')).event).toEqual({ hello: 'cli' });

    const failed = JSON.parse(await aws('lambda', 'invoke', '--function-name', 'fixture-fail', '--log-type', 'Tail', path.join(directory, 'error.json')));
    expect(failed).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled', ExecutedVersion: '$LATEST' });
    expect(Buffer.from(failed.LogResult, 'base64').toString('utf8')).toContain('Invoke Error');
    expect(JSON.parse(await readFile(path.join(directory, 'error.json'), 'utf8'))).toMatchObject({ errorType: 'ValidationError' });
  });
});
