/**
 * Every runbook's `bash diagnose` commands, run with bash exactly as written against a started local
 * cloud, with the variables runbooks/env.sh sets from the stack's outputs and the endpoint set the way
 * the runbooks tell an on-call to (`AWS_ENDPOINT_URL`, any credentials). A command that exits non-zero
 * fails the runbook's test with the command and its stderr.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../local/cloud';
import { synthesizeTemplate } from '../../local/template/synthesize';
import { commandsOf, diagnoseBlocks, readRunbook, runbookIds } from './runbook-markdown';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
/**
 * A stage of its own: runbooks/env.sh prefers `.tidewatch/outputs.json` when it names the stack, and the
 * one in the project belongs to whatever `npm start` (stage local) ran last, on other ports.
 */
const STAGE = 'runbooks';
const COMMAND_TIMEOUT_MS = 60_000;

let cloud: LocalCloud;
let stateDirectory: string;
/** The environment after `source runbooks/env.sh`, its shell functions exported. */
let runbookEnv: NodeJS.ProcessEnv;
/**
 * Each distinct command runs once: the commands are read-only and many runbooks share some
 * (`npx tidewatch status`), so the same command on the same cloud gives the same outcome.
 */
const commandResults = new Map<string, Promise<CommandResult>>();
const runCommand = (command: string): Promise<CommandResult> => {
  let result = commandResults.get(command);
  if (!result) commandResults.set(command, (result = bash(command, runbookEnv)));
  return result;
};

interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function bash(script: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script, 'bash', ...args], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr: code === null ? `${stderr}\n(killed after ${COMMAND_TIMEOUT_MS} ms)` : stderr });
    });
  });
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
  await vi.waitFor(async () => expect((await api('GET', `jobs/${String(job.body.jobId)}`)).body.status).toBe('PROCESSED'), { timeout: 30_000, interval: 250 });
  const processed = `${cloud.endpoints.downloads}${String(presigned.body.s3Key).replace(/^uploads\//, 'processed/')}`;
  await vi.waitFor(async () => expect((await fetch(processed)).status).toBe(200), { timeout: 30_000, interval: 250 });
}

beforeAll(async () => {
  // Context of its own: the template cache keeps one slot per extra context, so this stage does not evict npm start's.
  const template = await synthesizeTemplate({ stage: STAGE, context: { tidewatch: { stage: STAGE } }, projectRoot: PROJECT_ROOT });
  stateDirectory = await mkdtemp(path.join(tmpdir(), 'tidewatch-runbooks-'));
  cloud = await startLocalCloud({ template, projectRoot: PROJECT_ROOT, port: 0, apiPort: 0, downloadPort: 0, stateDirectory, pollWaitSeconds: 2 });
  await someTraffic();

  // As each runbook's "Before you start" block sets it up, with nothing from this machine's own AWS config.
  const base: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ENDPOINT_URL: cloud.endpoints.aws,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_CONFIG_FILE: path.join(stateDirectory, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(stateDirectory, 'no-aws-credentials'),
    AWS_PAGER: '',
    TIDEWATCH_STAGE: STAGE,
  };
  // Its shell functions (tw_ago, and aws with the endpoint) exported, so that each command's own bash has them.
  const sourced = await bash('source runbooks/env.sh "$1" && export -f $(compgen -A function) && env -0', base, [STAGE]);
  if (sourced.code !== 0) throw new Error(`source runbooks/env.sh failed (exit ${sourced.code}):\n${sourced.stderr}`);
  runbookEnv = Object.fromEntries(
    sourced.stdout
      .split('\0')
      .filter(Boolean)
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
});

afterAll(async () => {
  await cloud?.stop();
  if (stateDirectory) await rm(stateDirectory, { recursive: true, force: true });
});

describe('runbooks/env.sh on the local cloud', () => {
  it("sets every variable from the stack's outputs and alarms", () => {
    const outputs = cloud.outputs;
    expect(runbookEnv).toMatchObject({
      STAGE,
      STACK: cloud.stackName,
      BUCKET_NAME: outputs.BucketName,
      API_URL: outputs.ApiUrl,
      FILES_QUEUE_URL: outputs.FilesQueueUrl,
      FILES_DLQ_URL: outputs.FilesDeadLetterQueueUrl,
      JOBS_QUEUE_URL: outputs.JobsQueueUrl,
      JOBS_DLQ_URL: outputs.JobsDeadLetterQueueUrl,
      STATUS_TABLE_NAME: outputs.StatusTableName,
      PAGING_TOPIC_ARN: outputs.PagingTopicArn,
      DASHBOARD_NAME: outputs.DashboardName,
    });
    const functionNames = cloud.services.functions.map((fn) => fn.name);
    expect(functionNames).toContain(runbookEnv.FILES_WORKER_FUNCTION);
    expect(functionNames).toContain(runbookEnv.JOBS_WORKER_FUNCTION);
    expect(runbookEnv.API_ID).toMatch(/^[0-9a-f]{10}$/);
  });
});

describe('runbooks and the running stack', () => {
  it('every paging alarm links its runbook, and every runbook is linked by a paging alarm', async () => {
    const { services } = cloud;
    const linked = Object.entries(services.template.Resources)
      .filter(([, resource]) => resource.Type === 'AWS::CloudWatch::Alarm' || resource.Type === 'AWS::CloudWatch::CompositeAlarm')
      .map(([, resource]) => services.resolve(resource.Properties) as { AlarmName: string; AlarmDescription?: string; AlarmActions?: string[] })
      .filter((alarm) => (alarm.AlarmActions ?? []).includes(cloud.outputs.PagingTopicArn!))
      .map((alarm) => ({ alarm: alarm.AlarmName, runbook: /^Runbook: \S+\/([\w-]+)\.md$/m.exec(alarm.AlarmDescription ?? '')?.[1] }));
    expect(linked.filter(({ runbook }) => runbook === undefined || !runbookIds().includes(runbook))).toEqual([]);
    expect(runbookIds().filter((id) => !linked.some(({ runbook }) => runbook === id))).toEqual([]);
    for (const { alarm, runbook } of linked) expect(alarm).toBe(`${cloud.stackName}-${runbook}`);
  });
});

// Concurrent: each command spawns a CLI (python or tsx), and most of the time goes into starting them.
describe.concurrent.each(runbookIds())('runbooks/%s.md', (id) => {
  it('diagnose commands all succeed on the local cloud', async () => {
    const commands = diagnoseBlocks(readRunbook(id)).flatMap(commandsOf);
    expect(commands.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const command of commands) {
      const result = await runCommand(command);
      if (result.code !== 0) failures.push(`$ ${command}\nexit ${result.code}\n${result.stderr.trim()}`);
    }
    expect(failures.join('\n\n'), `${failures.length} of ${commands.length} diagnose commands failed`).toBe('');
  });
});
