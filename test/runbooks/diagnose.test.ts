/**
 * The runbooks against a started local cloud: every paging alarm links its kind's runbook with the
 * runbook's severity, every alarm a runbook names exists, and each alarm kind's `bash diagnose` commands
 * run with bash exactly as written, for every work queue of the stack (api-5xx's once), with the
 * variables runbooks/env.sh sets for that queue and the endpoint set the way the runbooks tell an on-call
 * to (`AWS_ENDPOINT_URL`, any credentials). A command that exits non-zero fails its test with the command
 * and its stderr.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseAlarmDescription, runbookIdOf } from '../../contract/alarm-description';
import { alarmName, queueAlarmId } from '../../contract/naming';
import { deadLetterQueueUrlOutputKey, parseWorkQueueNames, queueUrlOutputKey } from '../../contract/outputs';
import { ALARM_KINDS, API_ALARM_KINDS, isAlarmKind, isWorkQueueAlarmKind, RUNBOOK_IDS, WORK_QUEUE_ALARM_KINDS, type AlarmKind } from '../../contract/runbooks';
import { isWorkerName } from '../../contract/workers';
import { startLocalCloud, type LocalCloud } from '../../local/cloud';
import { synthesizeTemplate } from '../../local/template/synthesize';
import { commandsOf, diagnoseBlocks, ENV_SH, readRunbook, severityOf, variablesUsed } from './runbook-markdown';
import { bash, runbookEnv, sourceEnv as sourceRunbookEnv, type CommandResult } from './runbook-shell';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
/**
 * A stage of its own: runbooks/env.sh prefers `.tidewatch/outputs.json` when it names the stack, and the
 * one in the project belongs to whatever `npm start` (stage local) ran last, on other ports.
 */
const STAGE = 'runbooks';
/**
 * What one command may take on a busy 2-core machine: the aws CLI v1 needs about a second of CPU,
 * `npx tidewatch` (tsx) a few; sourcing env.sh makes two aws calls. Each test's timeout is its
 * commands times this.
 */
const COMMAND_BUDGET_MS = 30_000;
/** Commands of one test that run side by side: one per core. */
const PARALLEL_COMMANDS = 2;
/** Starting the cloud from the template synthesized at collection: emulators, provisioning, functions. */
const START_BUDGET_MS = 60_000;
/** Each of someTraffic's two waits for an item to be processed. */
const TRAFFIC_WAIT_MS = 30_000;
const STOP_BUDGET_MS = 30_000;

// Synthesized while the tests are collected, so that the stack's work queues name the tests and size their timeouts.
// Context of its own: the template cache keeps one slot per extra context, so this stage does not evict npm start's.
const synthesized = await synthesizeTemplate({ stage: STAGE, context: { tidewatch: { stage: STAGE } }, projectRoot: PROJECT_ROOT });
const workQueueNamesOutput = synthesized.template.Outputs?.WorkQueueNames?.Value;
const WORK_QUEUES = typeof workQueueNamesOutput === 'string' ? parseWorkQueueNames(workQueueNamesOutput) : [];

let cloud: LocalCloud;
let stateDirectory: string;
/** As each runbook's "Before you start" block sets it up, with nothing from this machine's own AWS config. */
let baseEnv: NodeJS.ProcessEnv;
/** The environment after `source runbooks/env.sh "$STAGE"` (no queue), its shell functions exported. */
let stackEnv: NodeJS.ProcessEnv;

/** `source runbooks/env.sh <stage> [queue]` as the runbooks do. */
function sourceEnv(queue?: string): Promise<NodeJS.ProcessEnv> {
  return sourceRunbookEnv(baseEnv, STAGE, COMMAND_BUDGET_MS, queue);
}

const queueEnvs = new Map<string, Promise<NodeJS.ProcessEnv>>();
/** Each queue's environment, sourced once on first use. */
function queueEnv(queue: string): Promise<NodeJS.ProcessEnv> {
  let env = queueEnvs.get(queue);
  if (!env) queueEnvs.set(queue, (env = sourceEnv(queue)));
  return env;
}

/**
 * Each distinct command runs once per distinct value of the variables it reads: the commands are
 * read-only and runbooks share some (`npx tidewatch status` for every kind and queue, one metric view for
 * two kinds), so the same command line on the same cloud gives the same outcome.
 */
const commandResults = new Map<string, Promise<CommandResult>>();
function runCommand(command: string, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  const key = JSON.stringify([command, ...variablesUsed(command).map((name) => env[name] ?? null)]);
  let result = commandResults.get(key);
  if (!result) commandResults.set(key, (result = bash(command, env, COMMAND_BUDGET_MS)));
  return result;
}

/** Runs `run` over `items`, at most `parallel` at a time, results in order. */
async function inTurns<T, R>(items: readonly T[], parallel: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, lane));
  return results;
}

const diagnoseCommands = (kind: AlarmKind) => diagnoseBlocks(readRunbook(kind)).flatMap(commandsOf);

async function expectDiagnoseToSucceed(kind: AlarmKind, env: NodeJS.ProcessEnv): Promise<void> {
  const commands = diagnoseCommands(kind);
  expect(commands.length).toBeGreaterThan(0);
  const results = await inTurns(commands, PARALLEL_COMMANDS, (command) => runCommand(command, env));
  const failures = commands.flatMap((command, i) => (results[i]!.code === 0 ? [] : [`$ ${command}\nexit ${results[i]!.code}\n${results[i]!.stderr.trim()}`]));
  expect(failures.join('\n\n'), `${failures.length} of ${commands.length} diagnose commands failed`).toBe('');
}

async function api(method: 'GET' | 'POST', route: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL(route, cloud.endpoints.api), {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Something for the commands to find: a processed job and a processed file. */
async function someTraffic(): Promise<void> {
  const job = await api('POST', 'jobs', { task: 'echo', payload: { hello: 'runbooks' } });
  expect(job.status).toBe(202);
  const presigned = await api('POST', 'presign', { fileName: 'runbook.csv', contentType: 'text/csv' });
  const put = await fetch(String(presigned.body.uploadUrl), { method: 'PUT', headers: presigned.body.headers as Record<string, string>, body: 'id,name\n1,runbook\n' });
  expect(put.status).toBe(200);
  await vi.waitFor(async () => expect((await api('GET', `jobs/${String(job.body.jobId)}`)).body.status).toBe('PROCESSED'), { timeout: TRAFFIC_WAIT_MS, interval: 250 });
  const processed = `${cloud.endpoints.downloads}${String(presigned.body.s3Key).replace(/^uploads\//, 'processed/')}`;
  await vi.waitFor(async () => expect((await fetch(processed)).status).toBe(200), { timeout: TRAFFIC_WAIT_MS, interval: 250 });
}

/** Every alarm of the template, resolved to local names. */
function templateAlarms(): { name: string; description: string; actions: readonly string[] }[] {
  const { services } = cloud;
  return Object.values(services.template.Resources)
    .filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm' || resource.Type === 'AWS::CloudWatch::CompositeAlarm')
    .map((resource) => services.resolve(resource.Properties) as { AlarmName: string; AlarmDescription?: string; AlarmActions?: string[] })
    .map((alarm) => ({ name: alarm.AlarmName, description: alarm.AlarmDescription ?? '', actions: alarm.AlarmActions ?? [] }));
}

beforeAll(async () => {
  stateDirectory = await mkdtemp(path.join(tmpdir(), 'tidewatch-runbooks-'));
  cloud = await startLocalCloud({ template: synthesized, projectRoot: PROJECT_ROOT, port: 0, apiPort: 0, downloadPort: 0, stateDirectory, pollWaitSeconds: 2 });
  await someTraffic();
  baseEnv = runbookEnv(cloud.endpoints.aws, STAGE, stateDirectory);
  stackEnv = await sourceEnv();
}, START_BUDGET_MS + 2 * TRAFFIC_WAIT_MS + COMMAND_BUDGET_MS);

afterAll(async () => {
  await cloud?.stop();
  if (stateDirectory) await rm(stateDirectory, { recursive: true, force: true });
}, STOP_BUDGET_MS);

describe('runbooks/env.sh on the local cloud', () => {
  it("names the stack's work queues (its WorkQueueNames output) and sets the stack's variables from its outputs and alarms", () => {
    expect(WORK_QUEUES.length, 'work queues declared by the WorkQueueNames output').toBeGreaterThan(0);
    const outputs = cloud.outputs;
    expect(stackEnv).toMatchObject({
      STAGE,
      STACK: cloud.stackName,
      BUCKET_NAME: outputs.BucketName,
      API_URL: outputs.ApiUrl,
      STATUS_TABLE_NAME: outputs.StatusTableName,
      PAGING_TOPIC_ARN: outputs.PagingTopicArn,
      DASHBOARD_NAME: outputs.DashboardName,
    });
    expect(stackEnv.API_ID).toMatch(/^[0-9a-f]{10}$/);
    expect(stackEnv.WORK_QUEUES?.split(' ')).toEqual(WORK_QUEUES);
    expect(ENV_SH.queueVariables.filter((name) => stackEnv[name] !== undefined)).toEqual([]);
  });

  it.each(WORK_QUEUES)("sets queue %s's URLs from the outputs and its worker from its alarms", async (queue) => {
    const env = await queueEnv(queue);
    expect(env).toMatchObject({ QUEUE: queue, QUEUE_URL: cloud.outputs[queueUrlOutputKey(queue)], DLQ_URL: cloud.outputs[deadLetterQueueUrlOutputKey(queue)] });
    expect(env.QUEUE_URL).toBeTruthy();
    expect(env.DLQ_URL).toBeTruthy();
    expect(cloud.services.functions.map((fn) => fn.name)).toContain(env.WORKER_FUNCTION);
    expect(isWorkerName(env.WORKER_SERVICE ?? ''), env.WORKER_SERVICE).toBe(true);
  }, COMMAND_BUDGET_MS);
});

describe('runbooks and the running stack', () => {
  it("every paging alarm links its kind's runbook, named queue and severity by the scheme; every kind is linked for every queue", () => {
    const paging = templateAlarms().filter((alarm) => alarm.actions.includes(cloud.outputs.PagingTopicArn!));
    const linked = paging.map((alarm) => {
      const { severity, queue, runbookUrl } = parseAlarmDescription(alarm.description);
      const kind = runbookUrl ? runbookIdOf(runbookUrl) : undefined;
      return { alarm: alarm.name, kind, queue, severity };
    });
    expect(linked.filter(({ kind }) => kind === undefined || !isAlarmKind(kind)), 'paging alarms without an alarm kind runbook').toEqual([]);
    for (const { alarm, kind, queue, severity } of linked) {
      const expectedName = isWorkQueueAlarmKind(kind!) ? alarmName(cloud.stackName, queueAlarmId(queue ?? '(no Queue: line)', kind!)) : alarmName(cloud.stackName, kind!);
      expect(alarm).toBe(expectedName);
      if (queue !== undefined) expect(WORK_QUEUES).toContain(queue);
      expect(severity, `${alarm}: the severity of runbooks/${kind}.md`).toBe(severityOf(readRunbook(kind!)));
    }
    const expected = [
      ...WORK_QUEUES.flatMap((queue) => WORK_QUEUE_ALARM_KINDS.map((kind) => alarmName(cloud.stackName, queueAlarmId(queue, kind)))),
      ...API_ALARM_KINDS.map((kind) => alarmName(cloud.stackName, kind)),
    ];
    expect(expected.filter((name) => !linked.some(({ alarm }) => alarm === name)), 'alarms of a kind missing from the stack').toEqual([]);
  });

  it('every alarm a runbook names exists, for every work queue', () => {
    const alarms = new Set(templateAlarms().map((alarm) => alarm.name));
    const named = new Set(
      RUNBOOK_IDS.flatMap((id) => [...readRunbook(id).matchAll(/"\$STACK-([^"]*)"/g)].map((m) => m[1]!)).flatMap((suffix) =>
        suffix.includes('$QUEUE') ? WORK_QUEUES.map((queue) => `${cloud.stackName}-${suffix.replaceAll('$QUEUE', queue)}`) : [`${cloud.stackName}-${suffix}`],
      ),
    );
    expect([...named].filter((name) => !alarms.has(name))).toEqual([]);
  });
});

describe.each(ALARM_KINDS.map((kind) => [kind]))('runbooks/%s.md', (kind) => {
  const budget = (diagnoseCommands(kind).length + 1) * COMMAND_BUDGET_MS;
  if (isWorkQueueAlarmKind(kind)) {
    it.each(WORK_QUEUES)('diagnose commands all succeed for queue %s', async (queue) => expectDiagnoseToSucceed(kind, await queueEnv(queue)), budget);
  } else {
    it('diagnose commands all succeed', () => expectDiagnoseToSucceed(kind, stackEnv), budget);
  }
});
