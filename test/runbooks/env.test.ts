/**
 * runbooks/env.sh against a stub `aws` that answers the stack's outputs and the alarms' dimensions (as the
 * CLI prints them for env.sh's queries) and records each call: the variables it sets with and without a
 * queue, its errors, and its cost in aws calls. Against a real stack: test/runbooks/diagnose.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV_SCRIPT, ENV_SH } from './runbook-markdown';

const STACK = 'Tidewatch-test';
const OUTPUTS: Record<string, string> = {
  BucketName: 'tidewatch-test-uploads',
  ApiUrl: 'https://api.example.test/',
  DownloadUrl: 'https://downloads.example.test/',
  StatusTableName: 'Tidewatch-test-Status',
  PagingTopicArn: 'arn:aws:sns:us-east-1:000000000000:Tidewatch-test-paging',
  DashboardName: 'Tidewatch-test-on-call',
  WorkQueueNames: 'files,jobs,reports',
  FilesQueueUrl: 'https://sqs.example.test/000000000000/Tidewatch-test-FilesQueue',
  FilesDeadLetterQueueUrl: 'https://sqs.example.test/000000000000/Tidewatch-test-FilesDlq',
  ReportsQueueUrl: 'https://sqs.example.test/000000000000/Tidewatch-test-ReportsQueue',
  ReportsDeadLetterQueueUrl: 'https://sqs.example.test/000000000000/Tidewatch-test-ReportsDlq',
};
const API_ID = 'a1b2c3d4e5';
const REPORTS_WORKER = 'Tidewatch-test-ReportsWorker9F3A-abc';

const directory = mkdtempSync(path.join(tmpdir(), 'tidewatch-env-sh-'));
const bin = path.join(directory, 'bin');
const log = path.join(directory, 'aws-calls.log');
mkdirSync(bin);
// describe-alarms answers as the CLI prints env.sh's query: service, FunctionName, ApiId (None when absent).
writeFileSync(
  path.join(bin, 'aws'),
  `#!/bin/bash
printf '%s\\n' "$*" >> ${JSON.stringify(log)}
case "$*" in
  *'cloudformation describe-stacks --stack-name ${STACK} '*) printf '%s' "$STUB_OUTPUTS" ;;
  *'cloudformation describe-stacks'*) echo 'An error occurred (ValidationError): Stack does not exist' >&2; exit 254 ;;
  *'cloudwatch describe-alarms'*'-reports-dead-lettered'*) printf '%s\\t%s\\t%s\\n' job-worker "$STUB_WORKER" ${API_ID} ;;
  *'cloudwatch describe-alarms'*) printf 'None\\tNone\\t%s\\n' ${API_ID} ;;
  *) echo "stub aws: unexpected call: $*" >&2; exit 255 ;;
esac
`,
);
chmodSync(path.join(bin, 'aws'), 0o755);

afterAll(() => rmSync(directory, { recursive: true, force: true }));

interface Sourced {
  readonly code: number | null;
  readonly stderr: string;
  /** The environment after sourcing, with `_TW_LEFT` naming any `_tw_` variable or function left behind. */
  readonly variables: Record<string, string>;
  /** The stub's calls, one line of arguments each. */
  readonly calls: string[];
}

function source(args: string[], env: Record<string, string> = {}, cwd = directory): Sourced {
  writeFileSync(log, '');
  const script = `source ${JSON.stringify(ENV_SCRIPT)} "$@"; code=$?; export _TW_LEFT="$(compgen -v _tw_; compgen -A function _tw_)"; env -0; exit $code`;
  const result = spawnSync('bash', ['-c', script, 'bash', ...args], {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: `${bin}${path.delimiter}/usr/bin${path.delimiter}/bin`,
      HOME: directory,
      STUB_OUTPUTS: Object.entries(OUTPUTS).map(([key, value]) => `${key}\t${value}\n`).join(''),
      STUB_WORKER: REPORTS_WORKER,
      ...env,
    },
  });
  const variables = Object.fromEntries(
    result.stdout
      .split('\0')
      .filter(Boolean)
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
  return { code: result.status, stderr: result.stderr, variables, calls: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

const STACK_VARIABLES = {
  STAGE: 'test',
  STACK,
  BUCKET_NAME: OUTPUTS.BucketName,
  API_URL: OUTPUTS.ApiUrl,
  STATUS_TABLE_NAME: OUTPUTS.StatusTableName,
  PAGING_TOPIC_ARN: OUTPUTS.PagingTopicArn,
  DASHBOARD_NAME: OUTPUTS.DashboardName,
  API_ID,
  WORK_QUEUES: 'files jobs reports',
};

const queueVariablesOf = (sourced: Sourced) => Object.keys(sourced.variables).filter((name) => (ENV_SH.queueVariables as readonly string[]).includes(name));

describe('runbooks/env.sh', () => {
  it("with a queue: the stack's variables from its outputs, the queue's URLs and worker from its alarms, in two aws calls", () => {
    const sourced = source(['test', 'reports']);
    expect(sourced.stderr).toBe(`runbooks/env.sh: ${STACK}, queue reports (job-worker), work queues: files jobs reports\n`);
    expect(sourced.code).toBe(0);
    expect(sourced.variables).toMatchObject({
      ...STACK_VARIABLES,
      QUEUE: 'reports',
      QUEUE_URL: OUTPUTS.ReportsQueueUrl,
      DLQ_URL: OUTPUTS.ReportsDeadLetterQueueUrl,
      WORKER_FUNCTION: REPORTS_WORKER,
      WORKER_SERVICE: 'job-worker',
    });
    expect(Object.keys(STACK_VARIABLES).sort()).toEqual([...ENV_SH.stackVariables].sort());
    expect(sourced.calls).toHaveLength(2);
    expect(sourced.calls[0]).toMatch(/^cloudformation describe-stacks --stack-name Tidewatch-test /);
    expect(sourced.calls[1]).toMatch(/^cloudwatch describe-alarms --alarm-names Tidewatch-test-api-5xx Tidewatch-test-reports-dead-lettered Tidewatch-test-reports-worker-throttles /);
    expect(sourced.variables._TW_LEFT).toBe('');
  });

  it('takes the queue from $QUEUE when no second argument is given, and the stage from $TIDEWATCH_STAGE', () => {
    const sourced = source([], { TIDEWATCH_STAGE: 'test', QUEUE: 'reports' });
    expect(sourced.code).toBe(0);
    expect(sourced.variables).toMatchObject({ STACK, QUEUE: 'reports', QUEUE_URL: OUTPUTS.ReportsQueueUrl });
  });

  it("without a queue (or with ''): only the stack's variables, any earlier queue's unset, one alarm read", () => {
    const earlier = { QUEUE: 'files', QUEUE_URL: OUTPUTS.FilesQueueUrl, DLQ_URL: OUTPUTS.FilesDeadLetterQueueUrl, WORKER_FUNCTION: 'old', WORKER_SERVICE: 'file-worker' };
    const sourced = source(['test', ''], earlier);
    expect(sourced.code).toBe(0);
    expect(sourced.variables).toMatchObject(STACK_VARIABLES);
    expect(queueVariablesOf(sourced)).toEqual([]);
    expect(sourced.calls[1]).toMatch(/^cloudwatch describe-alarms --alarm-names Tidewatch-test-api-5xx --/);
    expect(sourced.variables._TW_LEFT).toBe('');
  });

  it("an unknown queue is an error listing the stack's work queues, and leaves no queue variables", () => {
    const sourced = source(['test', 'nope'], { QUEUE_URL: OUTPUTS.FilesQueueUrl });
    expect(sourced.code).not.toBe(0);
    expect(sourced.stderr).toBe(`runbooks/env.sh: ${STACK} has no work queue 'nope'; its work queues: files jobs reports\n`);
    expect(queueVariablesOf(sourced)).toEqual([]);
    expect(sourced.calls.filter((call) => call.startsWith('cloudwatch'))).toEqual([]);
    expect(sourced.variables._TW_LEFT).toBe('');
  });

  it('a queue whose alarms name no worker is an error naming the alarms read', () => {
    const sourced = source(['test', 'files']);
    expect(sourced.code).not.toBe(0);
    expect(sourced.stderr).toContain(`could not read the worker from alarms ${STACK}-files-dead-lettered (dimension service) and ${STACK}-files-worker-throttles (FunctionName)`);
    expect(queueVariablesOf(sourced)).toEqual([]);
  });

  it('a stage without a stack is an error that says what to check', () => {
    const sourced = source(['nostack', 'reports']);
    expect(sourced.code).not.toBe(0);
    expect(sourced.stderr).toContain('runbooks/env.sh: no outputs found for stack Tidewatch-nostack (is the stage right? is AWS_ENDPOINT_URL set for the local cloud?)');
    expect(sourced.variables._TW_LEFT).toBe('');
  });

  it('reads the outputs from .tidewatch/outputs.json when it names the stack: one aws call', () => {
    const project = mkdtempSync(path.join(directory, 'project-'));
    mkdirSync(path.join(project, '.tidewatch'));
    writeFileSync(path.join(project, '.tidewatch', 'outputs.json'), JSON.stringify({ [STACK]: { ...OUTPUTS, BucketName: 'from-outputs-json' } }));
    const sourced = source(['test', 'reports'], {}, project);
    expect(sourced.code).toBe(0);
    expect(sourced.variables).toMatchObject({ BUCKET_NAME: 'from-outputs-json', QUEUE_URL: OUTPUTS.ReportsQueueUrl });
    expect(sourced.calls).toHaveLength(1);
    expect(sourced.calls[0]).toMatch(/^cloudwatch describe-alarms /);
  });

  it('with AWS_ENDPOINT_URL, every aws call gets --endpoint-url (the CLI v1 ignores the variable for SQS)', () => {
    const sourced = source(['test', 'reports'], { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' });
    expect(sourced.code).toBe(0);
    expect(sourced.calls).toHaveLength(2);
    for (const call of sourced.calls) expect(call).toMatch(/^--endpoint-url http:\/\/127\.0\.0\.1:4566 /);
  });

  it('defines tw_ago: the UTC time that many seconds ago, as --start-time takes it', () => {
    const result = spawnSync('bash', ['-c', `source ${JSON.stringify(ENV_SCRIPT)} test '' >/dev/null 2>&1; tw_ago 3600`], {
      cwd: directory,
      encoding: 'utf8',
      env: { PATH: `${bin}${path.delimiter}/usr/bin${path.delimiter}/bin`, STUB_OUTPUTS: 'BucketName\tb\n' },
    });
    expect(result.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    expect(Math.abs(Date.parse(result.stdout.trim()) - (Date.now() - 3600_000))).toBeLessThan(60_000);
  });
});
