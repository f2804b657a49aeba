/**
 * npm start's readable function output, over what a function really writes: the project's Powertools
 * instrumentation run in a worker thread with the local cloud's function environment (the fixture), plus
 * the Lambda platform's own lines.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionEnvironment } from '../../../local/runtime/function-environment';
import { readableLogLine } from '../../../local/terminal/log-format';
import type { FixtureIds } from './function-output.fixture';

let lines: string[];
let ids: FixtureIds;

/** Runs the fixture as the local cloud runs a function: a worker thread, its stdout and stderr read line by line. */
beforeAll(async () => {
  const worker = new Worker(new URL('./function-output.fixture.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
    stdout: true,
    stderr: true,
    env: functionEnvironment({
      functionName: 'tidewatch-local-jobsworkerfunction-d9840a42',
      memoryMiB: 256,
      handler: 'index.handler',
      environment: { TIDEWATCH_STAGE: 'local', WORK_QUEUE_NAME: 'jobs' },
      endpoint: 'http://127.0.0.1:4566',
      region: 'us-east-1',
    }),
  });
  const collected: string[] = [];
  const streams = [worker.stdout, worker.stderr].map((stream) => once(createInterface({ input: stream }).on('line', (line) => collected.push(line)), 'close'));
  const [exitCode] = (await once(worker, 'exit')) as [number];
  await Promise.all(streams);
  expect(exitCode).toBe(0);
  const idsLine = collected.find((line) => line.startsWith('{"fixtureIds"')) as string;
  ids = (JSON.parse(idsLine) as { fixtureIds: FixtureIds }).fixtureIds;
  lines = collected.filter((line) => line !== idsLine);
});

const plain = (line: string) => readableLogLine(line, { colour: false });
const recordWith = (message: string) => lines.find((line) => line.includes(`"message":"${message}`)) as string;
const timeOf = (line: string) => (JSON.parse(line) as { timestamp: string }).timestamp.slice(11, 23);

describe('readableLogLine over Powertools records', () => {
  it('prints time, level and message, then the record keys, then its correlation ids', () => {
    const line = recordWith('job processed');
    expect(plain(line)).toBe(
      `${timeOf(line)} INFO  job processed queue=jobs task=word-count attempts=1 latencyMs=42  jobId=${ids.jobId} messageId=${ids.messageId} requestId=${ids.requestIds[0]}`,
    );
  });

  it('prints an error as its name and message, whether the project described it or Powertools did', () => {
    const warning = recordWith('record failed: transient');
    expect(plain(warning)).toBe(
      `${timeOf(warning)} WARN  record failed: transient, retrying after backoff queue=jobs attempt=2 error="Error: status table throttled" retryInSeconds=20  jobId=${ids.jobId} messageId=${ids.messageId} requestId=${ids.requestIds[0]}`,
    );
    const error = recordWith('could not record the job');
    expect(plain(error)).toBe(
      `${timeOf(error)} ERROR could not record the job; nothing was queued queue=jobs error="TypeError: no table named \\"status\\""  jobId=${ids.jobId} messageId=${ids.messageId} requestId=${ids.requestIds[0]}`,
    );
  });

  it('leaves out the metrics (EMF) and Powertools warning that an invocation published none', () => {
    const emf = lines.filter((line) => line.includes('"_aws"'));
    expect(emf.map((line) => Object.keys(JSON.parse(line) as object))).toEqual(expect.arrayContaining([expect.arrayContaining(['ColdStart']), expect.arrayContaining(['JobsSucceeded'])]));
    const emptyMetrics = lines.filter((line) => line.startsWith('No application metrics to publish'));
    expect(emptyMetrics).toHaveLength(1);
    for (const line of [...emf, ...emptyMetrics]) expect(plain(line)).toBeUndefined();
    // Everything else the function wrote is a record worth a line.
    expect(lines.map(plain).filter((text) => text !== undefined)).toHaveLength(3);
  });

  it('colours only when asked: level, and the time and ids dimmed', () => {
    const line = recordWith('could not record the job');
    const coloured = readableLogLine(line, { colour: true }) as string;
    expect(coloured).toContain('\u001b[31m\u001b[1mERROR\u001b[22m\u001b[39m');
    expect(coloured).toContain(`\u001b[2mjobId=${ids.jobId}`);
    expect(stripVTControlCharacters(coloured)).toBe(plain(line));
    expect(plain(line)).toBe(stripVTControlCharacters(plain(line) as string));
  });
});

describe('readableLogLine over the Lambda platform lines', () => {
  const now = () => new Date('2026-05-01T03:11:52.250Z');
  const requestId = '35953254-8d43-4ed9-9e53-c3165c122858';

  it('condenses REPORT to its duration, cold start and error type', () => {
    const warm = `REPORT RequestId: ${requestId}\tDuration: 436.21 ms\tBilled Duration: 437 ms\tMemory Size: 256 MB`;
    const cold = `${warm}\tInit Duration: 8219.00 ms`;
    const timedOut = `REPORT RequestId: ${requestId}\tDuration: 30001.12 ms\tBilled Duration: 30002 ms\tMemory Size: 256 MB\tStatus: error\tError Type: Sandbox.Timedout`;
    expect(readableLogLine(warm, { now })).toBe(`03:11:52.250 REPORT 436.21 ms  requestId=${requestId}`);
    expect(readableLogLine(cold, { now })).toBe(`03:11:52.250 REPORT 436.21 ms, init 8219.00 ms  requestId=${requestId}`);
    expect(readableLogLine(timedOut, { now })).toBe(`03:11:52.250 REPORT 30001.12 ms, Sandbox.Timedout  requestId=${requestId}`);
  });

  it("reads the runtime's lines: its time, level and request id, an Invoke Error as its type and message", () => {
    const error = { errorType: 'TypeError', errorMessage: 'boom', trace: ['TypeError: boom', '    at handler (index.ts:1:1)'] };
    expect(readableLogLine(`2026-05-01T03:11:50.000Z\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(error)}`, { now })).toBe(
      `03:11:50.000 ERROR Invoke Error TypeError: boom  requestId=${requestId}`,
    );
    expect(readableLogLine(`2026-05-01T03:11:51.000Z ${requestId} Task timed out after 30.00 seconds`, { now })).toBe(
      `03:11:51.000       Task timed out after 30.00 seconds  requestId=${requestId}`,
    );
  });

  it("leaves out the AWS SDK's warnings, and prints any other line as written, at the time it came", () => {
    expect(readableLogLine('@aws-sdk/credential-provider-node - defaultProvider::fromEnv WARNING:', { now })).toBeUndefined();
    expect(readableLogLine('@smithy/util-stream - stream chunk size 1024 is below threshold of 8192, automatically buffering.', { now })).toBeUndefined();
    expect(readableLogLine('[sqs poller] arn:aws:sqs:us-east-1:000000000000:jobs: connect ECONNREFUSED; retrying', { now })).toBe(
      '03:11:52.250 [sqs poller] arn:aws:sqs:us-east-1:000000000000:jobs: connect ECONNREFUSED; retrying',
    );
    expect(readableLogLine('{"not":"a log record"}', { now })).toBe('03:11:52.250 {"not":"a log record"}');
  });
});
