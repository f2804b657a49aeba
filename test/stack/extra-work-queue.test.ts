/**
 * A team's own work queue from one config entry: `{"workQueues":{"reports":{"worker":"job-worker"}}}`
 * adds a third queue run by the existing job worker code with default settings, and keeps files and
 * jobs. Everything the on-call needs follows from that entry: queue, DLQ, worker, event source, the
 * whole alarm set with its own metric series, a dashboard row, outputs, runbook links, POST /jobs
 * routing, and a clean cdk-nag report.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../contract/env';
import { RUNBOOKS_DIRECTORY } from '../runbooks/runbook-markdown';
import { mathOf, metricStats, templateAlarms } from '../alarms/template';
import { references, resourcesOfType, roleStatements, synthesize, type Json } from './synth';

const synth = synthesize({ stage: 'team1', tidewatch: JSON.stringify({ workQueues: { reports: { worker: 'job-worker' } } }) });
afterAll(() => synth.dispose());
const { stack, json } = synth;
const { id, ref, arn } = references(stack);
const reports = stack.workQueues.reports!;
const alarms = templateAlarms(json);
const PREFIX = 'Tidewatch-team1';
const KINDS = ['dead-lettered', 'dlq-not-empty', 'queue-age', 'stall', 'worker-errors', 'worker-throttles', 'worker-duration', 'success-slo-burn', 'freshness-slo-burn'];

describe('a reports queue added by one config entry', () => {
  it('keeps files and jobs and adds reports, in that order', () => {
    expect(Object.keys(stack.workQueues)).toEqual(['files', 'jobs', 'reports']);
  });

  it('gets its queue, DLQ and a worker built from the job worker code with the default settings', () => {
    const queue = json.Resources[id(reports.queue)].Properties;
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: arn(reports.deadLetterQueue), maxReceiveCount: 3 });
    expect(queue.VisibilityTimeout).toBe(6 * 30);
    const worker = json.Resources[id(reports.worker)];
    expect(worker.Metadata['Tidewatch:Entry']).toBe('handlers/job-worker/index.ts');
    expect(worker.Properties).toMatchObject({ Timeout: 30, MemorySize: 256 });
    expect(worker.Properties.Environment.Variables).toMatchObject({ [ENV.workQueue]: 'reports', [ENV.queueUrl]: ref(reports.queue) });
    const mappings = Object.values(resourcesOfType(json, 'AWS::Lambda::EventSourceMapping')).filter((m) => m.Properties.FunctionName.Ref === id(reports.worker));
    expect(mappings.map((m) => m.Properties)).toEqual([expect.objectContaining({ EventSourceArn: arn(reports.queue), BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] })]);
  });

  it('lets its worker consume only its own queue', () => {
    const queueGrants = roleStatements(json, id(reports.worker)).filter((s: Json) => JSON.stringify(s.Action).includes('sqs:'));
    expect(queueGrants.map((s: Json) => s.Resource)).toEqual([arn(reports.queue)]);
  });

  it('gets the whole alarm set, paging, watching its own resources and its own metric series', () => {
    for (const kind of KINDS) expect(alarms.has(`${PREFIX}-reports-${kind}`), kind).toBe(true);
    const deaths = alarms.get(`${PREFIX}-reports-dead-lettered`)!.props;
    expect(metricStats(deaths)[0]!.dimensions).toEqual({ service: 'job-worker', stage: 'team1', queue: 'reports' });
    expect(metricStats(alarms.get(`${PREFIX}-jobs-dead-lettered`)!.props)[0]!.dimensions).toEqual({ service: 'job-worker', stage: 'team1', queue: 'jobs' });
    const stall = mathOf(alarms.get(`${PREFIX}-reports-stall`)!.props);
    expect(stall.using.deleted!.dimensions).toEqual({ QueueName: stack.resolve(reports.queue.queueName) });
    expect(deaths.AlarmActions).toEqual([ref(stack.paging.topic)]);
  });

  it('names its queue in every page and links the runbook of the alarm kind, which exists', () => {
    for (const kind of KINDS) {
      const description = alarms.get(`${PREFIX}-reports-${kind}`)!.props.AlarmDescription as string;
      expect(description).toContain('\nQueue: reports\n');
      const runbook = /^Runbook: \S+\/([\w-]+)\.md$/m.exec(description)?.[1];
      expect(runbook).toBe(kind);
      expect(existsSync(path.join(RUNBOOKS_DIRECTORY, `${kind}.md`)), `runbooks/${kind}.md`).toBe(true);
    }
  });

  it('gets its row on the on-call dashboard', () => {
    const body = JSON.stringify(json.Resources[id(stack.monitoring.dashboard)].Properties.DashboardBody);
    expect(body).toContain('Reports work queue (job-worker)');
    expect(body).toContain('reports-dead-lettered');
  });

  it('gets its outputs, and the queue list names it', () => {
    expect(json.Outputs.ReportsQueueUrl.Value).toEqual(ref(reports.queue));
    expect(json.Outputs.ReportsDeadLetterQueueUrl.Value).toEqual(ref(reports.deadLetterQueue));
    expect(json.Outputs.WorkQueueNames.Value).toBe('files,jobs,reports');
    expect(json.Outputs.FilesQueueUrl.Value).toEqual(ref(stack.workQueues.files!.queue));
  });

  it('can be fed through POST /jobs, which may send to any job-worker queue and to no other', () => {
    const submitJob = json.Resources[id(stack.jobsApi.submitJob.function)].Properties.Environment.Variables;
    expect(submitJob[ENV.defaultJobQueue]).toBe('jobs');
    expect(JSON.stringify(submitJob[ENV.jobQueueUrls])).toContain('\\"reports\\":\\"');
    const sends = roleStatements(json, id(stack.jobsApi.submitJob.function)).filter((s: Json) => s.Action === 'sqs:SendMessage');
    expect(sends.flatMap((s: Json) => s.Resource)).toEqual([arn(stack.workQueues.jobs!.queue), arn(reports.queue)]);
  });

  it('leaves cdk-nag clean', () => {
    expect(synth.violations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath)}`)).toEqual([]);
  });
});
