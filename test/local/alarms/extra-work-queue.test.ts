/**
 * A team's own work queue on the local cloud, from one config entry: `reports`, run by the existing job
 * worker code. POST /jobs sends to it by name, its worker processes it under its own queue, a failing
 * job pages the queue's own dead-lettered alarm (and not the jobs queue's), and `tidewatch status`
 * lists it beside files and jobs.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../../cli/status';
import { runTidewatch, type CliRun } from '../../support/tidewatch-cli';
import { awsCli } from '../scenarios/aws-cli';
import { startAlarmCloud, waitFor, type AlarmCloud } from './alarm-cloud';

let alarms: AlarmCloud;

beforeAll(async () => {
  // Backoff 1 s, 2 s: a failing job reaches its final attempt in seconds.
  alarms = await startAlarmCloud({ context: { tidewatch: { retryBackoffBaseSeconds: 1, workQueues: { reports: { worker: 'job-worker' } } } } });
});

afterAll(async () => {
  await alarms?.stop();
});

async function submit(body: object): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${alarms.cloud.endpoints.api}jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function jobStatus(jobId: unknown): Promise<Record<string, unknown>> {
  return (await (await fetch(`${alarms.cloud.endpoints.api}jobs/${String(jobId)}`)).json()) as Record<string, unknown>;
}

function tidewatch(args: readonly string[]): Promise<CliRun> {
  return runTidewatch([...args, '--endpoint-url', alarms.cloud.endpoints.aws, '--stack', alarms.cloud.stackName]);
}

describe('a reports queue added by one config entry', () => {
  it('takes jobs sent to it by name through POST /jobs and processes them under its own queue', async () => {
    const submitted = await submit({ task: 'word-count', payload: { text: 'quarterly report' }, queue: 'reports' });
    expect(submitted).toMatchObject({ status: 202, body: { queue: 'reports' } });
    const done = await waitFor('the reports job PROCESSED', async () => {
      const item = await jobStatus(submitted.body.jobId);
      return item.status === 'PROCESSED' ? item : undefined;
    }, 30_000, 250);
    expect(done).toMatchObject({ queue: 'reports' });
    // Its worker is the reports queue's own function, not the jobs queue's.
    const reportsWorker = String(alarms.cloud.services.resolve({ Ref: logicalIdOfWorker('Reports') }));
    expect(alarms.lines.some(({ functionName, line }) => functionName === reportsWorker && line.includes(String(submitted.body.jobId)))).toBe(true);
  });

  it('refuses a queue POST /jobs does not know, naming the ones it does', async () => {
    const refused = await submit({ task: 'echo', queue: 'images' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/jobs.*reports|reports.*jobs/);
  });

  it("pages its own dead-lettered alarm, naming its queue, when one of its jobs fails for good; the jobs queue's alarm stays quiet", async () => {
    const submitted = await submit({ task: 'echo', fail: true, queue: 'reports' });
    expect(submitted.status).toBe(202);
    const page = await waitFor(
      'the reports-dead-lettered ALARM page',
      async () => {
        await alarms.inbox.receive();
        return alarms.inbox.find(alarms.alarmName('reports-dead-lettered'), 'ALARM');
      },
      60_000,
    );
    expect(page.description).toMatch(/^CRITICAL: .+\nQueue: reports\nRunbook: \S+\/dead-lettered\.md$/);
    expect(alarms.inbox.find(alarms.alarmName('jobs-dead-lettered'), 'ALARM')).toBeUndefined();
    expect(await jobStatus(submitted.body.jobId)).toMatchObject({ status: 'FAILED', queue: 'reports' });
  });

  it("answers `aws lambda invoke` of the template's job-status function with the reports job", async () => {
    const submitted = await submit({ task: 'echo', payload: { via: 'lambda invoke' }, queue: 'reports' });
    await waitFor('the job PROCESSED', async () => ((await jobStatus(submitted.body.jobId)).status === 'PROCESSED' ? true : undefined), 30_000, 250);
    const jobStatusFunction = alarms.cloud.services.functions.find((fn) => fn.entry.endsWith(path.join('job-status', 'index.ts')))!;
    const directory = await mkdtemp(path.join(tmpdir(), 'tidewatch-invoke-'));
    const outfile = path.join(directory, 'answer.json');
    const event = JSON.stringify({ version: '2.0', routeKey: 'GET /jobs/{id}', rawPath: `/jobs/${String(submitted.body.jobId)}`, pathParameters: { id: submitted.body.jobId } });
    const printed = JSON.parse(await awsCli(alarms.cloud.endpoints.aws)('lambda', 'invoke', '--function-name', jobStatusFunction.name, '--payload', event, outfile)) as Record<string, unknown>;
    expect(printed).toMatchObject({ StatusCode: 200 });
    const answer = JSON.parse(await readFile(outfile, 'utf8')) as { statusCode: number; body: string };
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ id: submitted.body.jobId, queue: 'reports', status: 'PROCESSED' });
    await rm(directory, { recursive: true, force: true });
  });

  it('is listed by tidewatch status beside files and jobs', async () => {
    const run = await tidewatch(['status', '--json']);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as StatusReport;
    expect(report.queues.map((queue) => queue.name)).toEqual(['files', 'jobs', 'reports']);
    expect(report.queues[2]).toMatchObject({ queueUrl: alarms.outputs.ReportsQueueUrl, deadLetterQueueUrl: alarms.outputs.ReportsDeadLetterQueueUrl });
  });
});

/** The logical id of a work queue's worker function (`<Title>WorkerFunction…`). */
function logicalIdOfWorker(title: string): string {
  const id = Object.keys(alarms.cloud.services.template.Resources).find((logicalId) => logicalId.startsWith(`${title}WorkerFunction`) && alarms.cloud.services.template.Resources[logicalId]!.Type === 'AWS::Lambda::Function');
  if (!id) throw new Error(`no ${title} worker in the template`);
  return id;
}
