/**
 * `npm start` as a person runs it: the whole command chain (npm, its shell, the local cloud) in a
 * process group of its own, stopped with a Ctrl-C sent to the group as a terminal sends it; its function
 * output readable, or as written with --raw.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvokeCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SLEEP_MS } from '../../handlers/job-worker/tasks';
import { SAME_KEYPRESS_MS } from '../../local/terminal/stop-on-signal';
import { eventually } from '../support/eventually';
import { NpmStart } from '../support/npm-start';

/** Start-up on a loaded machine, synthesis of a changed stack included. */
const READY_MS = 240_000;
/** A clean stop: pollers, workers, servers and emulators. */
const STOP_MS = 60_000;
/** A job through the API to its worker, cold starts on a loaded machine included. */
const JOB_MS = 90_000;

let run: NpmStart | undefined;
afterEach(() => run?.dispose());

/** POST /jobs until answered: a cold start on a loaded machine can outlast the API's timeout (a 500). */
async function postJob(api: string, job: unknown): Promise<{ status: number; body: { jobId?: string } }> {
  return eventually(
    async () => {
      const response = await fetch(`${api}jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(job) });
      return response.status >= 500 ? undefined : { status: response.status, body: (await response.json()) as { jobId?: string } };
    },
    'POST /jobs to answer',
    JOB_MS,
  );
}

/** A job submit-job turns down (400) at once: a Powertools WARN record, an EMF document and the empty-metrics warning. */
const UNKNOWN_TASK = { task: 'no-such-task' };

/** The status of a job, read from the status table (no function involved). */
async function jobStatus(run: NpmStart, aws: string, jobId: string): Promise<string | undefined> {
  const { StatusTableName } = (JSON.parse(readFileSync(join(run.dataDir, 'outputs.json'), 'utf8')) as Record<string, Record<string, string>>)['Tidewatch-local'];
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(aws)));
  try {
    return (await documents.send(new GetCommand({ TableName: StatusTableName, Key: { id: jobId } }))).Item?.status as string | undefined;
  } finally {
    documents.destroy();
  }
}

const localClientConfig = (endpoint: string) => ({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

/**
 * Invokes the job worker until one invocation ends without timing out, so an environment is warm: on a
 * loaded machine a cold start can outlast the worker's timeout, and its job would then wait out the
 * queue's visibility timeout (minutes) before a second attempt.
 */
async function warmJobWorker(aws: string): Promise<void> {
  const lambda = new LambdaClient(localClientConfig(aws));
  try {
    const { Functions = [] } = await lambda.send(new ListFunctionsCommand({}));
    const jobWorker = Functions.find((fn) => fn.FunctionName?.includes('jobsworker'))?.FunctionName;
    expect(jobWorker).toBeDefined();
    await eventually(
      async () => {
        const { Payload } = await lambda.send(new InvokeCommand({ FunctionName: jobWorker, Payload: JSON.stringify({ Records: [] }) }));
        const result = JSON.parse(Buffer.from(Payload ?? []).toString() || 'null') as { errorType?: string } | null;
        return result?.errorType === 'Sandbox.Timedout' ? undefined : true;
      },
      'a warm job worker',
      JOB_MS,
    );
  } finally {
    lambda.destroy();
  }
}

/** The lines of a function's log file (its output as written). */
function logFile(run: NpmStart, label: string): string[] {
  return readFileSync(join(run.dataDir, 'logs', `${label}.log`), 'utf8').split('\n').slice(0, -1);
}

/** The lines of submit-job's log file once its "job not accepted" invocation has ended (files are written asynchronously). */
async function loggedRejection(run: NpmStart): Promise<string[]> {
  return eventually(
    async () => {
      const lines = logFile(run, 'submit-job');
      const rejected = lines.findIndex((line) => line.includes('"message":"job not accepted"'));
      return rejected >= 0 && lines.slice(rejected).some((line) => line.startsWith('REPORT RequestId: ')) ? lines : undefined;
    },
    'the "job not accepted" invocation in submit-job.log',
    JOB_MS,
  );
}

/** What --raw printed for a function: its lines without the label. */
function printedLines(run: NpmStart, label: string): string[] {
  return [...run.stdout.matchAll(new RegExp(`^${label} +│ (.*)$`, 'gm'))].map(([, line]) => line);
}

describe('npm start', () => {
  it('prints one readable line per log record, and stops cleanly on one Ctrl-C to its process group', { timeout: READY_MS + JOB_MS + STOP_MS }, async () => {
    const npm = (run = new NpmStart());
    const { api } = await npm.ready(READY_MS);
    expect((await postJob(api, UNKNOWN_TASK)).status).toBe(400);
    const [, time] = await npm.waitFor(
      /^submit-job +│ (\d\d:\d\d:\d\d\.\d{3}) WARN  job not accepted statusCode=400 error=UnknownTask reason="unknown task \\"no-such-task\\"; known tasks: [^"]+"  requestId=[0-9a-f-]{36}$/m,
      'the readable "job not accepted" line',
      JOB_MS,
    );
    await npm.waitFor(/^submit-job +│ \d\d:\d\d:\d\d\.\d{3} REPORT \d+\.\d\d ms/m, "submit-job's readable REPORT line", JOB_MS);
    const written = await loggedRejection(npm);
    expect((JSON.parse(written.find((line) => line.includes('"job not accepted"')) as string) as { timestamp: string }).timestamp.slice(11, 23)).toBe(time);
    // Written to the log, not printed: the metrics and Powertools' warning that the invocation published none.
    expect(written.some((line) => line.startsWith('{"_aws"'))).toBe(true);
    expect(written.some((line) => line.startsWith('No application metrics to publish'))).toBe(true);
    expect(npm.stdout).not.toContain('No application metrics');
    expect(npm.stdout).not.toMatch(/│ \{/);

    npm.pressCtrlC();
    const exit = await npm.exitWithin(STOP_MS);

    expect(npm.stderr).not.toMatch(/again/);
    expect(npm.stdout).toMatch(/^SIGINT: stopping/m);
    expect(npm.stdout).toMatch(/^Stopped\.$/m);
    expect(exit).toEqual({ code: 0, signal: null });
  });

  it('prints function output as written with --raw, and exits at once, saying so, on a second Ctrl-C pressed later', { timeout: READY_MS + 4 * JOB_MS + STOP_MS }, async () => {
    const npm = (run = new NpmStart(['--raw']));
    const { api, aws } = await npm.ready(READY_MS);
    expect((await postJob(api, UNKNOWN_TASK)).status).toBe(400);
    const [, record] = await npm.waitFor(/^submit-job +│ (\{"level":"WARN","message":"job not accepted",.*\})$/m, 'the "job not accepted" record', JOB_MS);
    const written = await loggedRejection(npm);
    // Printed as written: the same lines as its log file, once the printing has caught up with the file.
    await eventually(async () => (printedLines(npm, 'submit-job').length >= written.length ? true : undefined), 'the printed lines to catch up', JOB_MS);
    const printed = printedLines(npm, 'submit-job').slice(0, written.length);
    expect(printed).toEqual(written);
    expect(printed).toContain(record);
    expect(printed.some((line) => line.startsWith('{"_aws"'))).toBe(true);
    expect(printed.some((line) => line.startsWith('No application metrics to publish'))).toBe(true);

    await warmJobWorker(aws);
    // In flight, the job keeps the clean stop waiting for it (up to its grace of 10 s).
    const { body } = await postJob(api, { task: 'sleep', payload: { ms: MAX_SLEEP_MS } });
    await eventually(async () => ((await jobStatus(npm, aws, body.jobId as string)) === 'PROCESSING' ? true : undefined), 'the sleep job to be running', JOB_MS);
    npm.pressCtrlC();
    await npm.waitFor(/^SIGINT: stopping/m, 'the stop to begin', STOP_MS);
    // A person's second keypress, later than the first keypress's own repeated signals.
    await sleep(SAME_KEYPRESS_MS);
    npm.pressCtrlC();
    const exit = await npm.exitWithin(STOP_MS);

    expect(npm.stderr).toContain('SIGINT again: exiting without a clean stop\n');
    expect(npm.stdout).not.toMatch(/^Stopped\.$/m);
    expect(exit).toEqual({ code: 1, signal: null });
  });
});
