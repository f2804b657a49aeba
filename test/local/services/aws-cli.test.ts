/**
 * The AWS CLI on these machines (v1) against the gateway, exactly as the README and runbooks use it:
 * `aws --endpoint-url ...` with any credentials.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_STACK_NAME } from './fixture-stack';
import { startHarness, type Harness } from './harness';

const run = promisify(execFile);

let harness: Harness;
let workdir: string;

beforeAll(async () => {
  harness = await startHarness();
  workdir = await mkdtemp(path.join(tmpdir(), 'tidewatch-cli-'));
  await harness.sqs.send(new PurgeQueueCommand({ QueueUrl: harness.services.outputs.WorkQueueUrl }));
});
afterAll(() => harness?.stop());

/** Runs `aws --endpoint-url <gateway> ...args`; resolves stdout, or rejects with the CLI's stderr and exit code. */
async function aws(...args: string[]): Promise<string> {
  const env = {
    PATH: process.env.PATH,
    HOME: workdir,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: path.join(workdir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(workdir, 'no-credentials'),
    AWS_PAGER: '',
  };
  const { stdout } = await run('aws', ['--endpoint-url', harness.services.endpoint, '--output', 'json', ...args], { env, cwd: workdir });
  return stdout;
}

describe('the AWS CLI against the local endpoint', () => {
  it('s3 cp and s3 ls', async () => {
    const bucket = harness.services.outputs.BucketName;
    await writeFile(path.join(workdir, 'rows.csv'), 'a,b\n1,2\n');
    await aws('s3', 'cp', path.join(workdir, 'rows.csv'), `s3://${bucket}/uploads/cli/rows.csv`);
    expect(await aws('s3', 'ls')).toContain(bucket);
    expect(await aws('s3', 'ls', `s3://${bucket}/uploads/cli/`)).toMatch(/\s8 rows\.csv/);
    await aws('s3', 'cp', `s3://${bucket}/uploads/cli/rows.csv`, path.join(workdir, 'back.csv'));
    expect(await readFile(path.join(workdir, 'back.csv'), 'utf8')).toBe('a,b\n1,2\n');
  });

  it('sqs get-queue-url, get-queue-attributes and receive-message (the upload above was notified)', async () => {
    const queueUrl = harness.services.outputs.WorkQueueUrl;
    const name = queueUrl.split('/').pop() as string;
    expect(JSON.parse(await aws('sqs', 'get-queue-url', '--queue-name', name))).toEqual({ QueueUrl: queueUrl });
    const attributes = JSON.parse(await aws('sqs', 'get-queue-attributes', '--queue-url', queueUrl, '--attribute-names', 'All')).Attributes;
    expect(attributes).toMatchObject({ VisibilityTimeout: '180', ApproximateNumberOfMessages: '1' });
    const { Messages } = JSON.parse(await aws('sqs', 'receive-message', '--queue-url', queueUrl, '--max-number-of-messages', '10'));
    expect(JSON.parse(Messages[0].Body).Records[0].s3.object.key).toBe('uploads/cli/rows.csv');
  });

  it('dynamodb get-item and scan', async () => {
    const TableName = harness.services.outputs.StatusTableName;
    await harness.dynamodb.send(new PutItemCommand({ TableName, Item: { id: { S: 'job-1' }, status: { S: 'PROCESSED' } } }));
    const item = JSON.parse(await aws('dynamodb', 'get-item', '--table-name', TableName, '--key', '{"id":{"S":"job-1"}}'));
    expect(item.Item).toEqual({ id: { S: 'job-1' }, status: { S: 'PROCESSED' } });
    const scan = JSON.parse(await aws('dynamodb', 'scan', '--table-name', TableName));
    expect(scan.Count).toBe(1);
  });

  it('cloudformation describe-stacks answers the local stack and its outputs', async () => {
    const { Stacks } = JSON.parse(await aws('cloudformation', 'describe-stacks', '--stack-name', FIXTURE_STACK_NAME));
    expect(Stacks).toHaveLength(1);
    expect(Stacks[0]).toMatchObject({ StackName: FIXTURE_STACK_NAME, StackStatus: 'CREATE_COMPLETE', Description: 'local services fixture' });
    const outputs = Object.fromEntries(Stacks[0].Outputs.map((output: { OutputKey: string; OutputValue: string }) => [output.OutputKey, output.OutputValue]));
    expect(outputs).toEqual(harness.services.outputs);
    const query = await aws('cloudformation', 'describe-stacks', '--query', "Stacks[0].Outputs[?OutputKey=='WorkQueueUrl'].OutputValue", '--output', 'text');
    expect(query.trim()).toBe(harness.services.outputs.WorkQueueUrl);
  });

  it('an unknown stack and an action the local cloud lacks fail with the AWS error and exit code', async () => {
    await expect(aws('cloudformation', 'describe-stacks', '--stack-name', 'Nope')).rejects.toMatchObject({
      code: 255,
      stderr: expect.stringContaining('(ValidationError) when calling the DescribeStacks operation: Stack with id Nope does not exist'),
    });
    await expect(aws('cloudformation', 'list-stacks')).rejects.toMatchObject({
      stderr: expect.stringContaining('(UnsupportedOperation) when calling the ListStacks operation: CloudFormation ListStacks is not supported by the Tidewatch local cloud'),
    });
  });
});

describe('CloudFormation DescribeStacks through the SDK', () => {
  it('answers the outputs with their descriptions', async () => {
    const { Stacks = [] } = await harness.cloudFormation.send(new DescribeStacksCommand({ StackName: FIXTURE_STACK_NAME }));
    expect(Stacks[0].StackName).toBe(FIXTURE_STACK_NAME);
    expect(Stacks[0].StackId).toMatch(/^arn:aws:cloudformation:us-east-1:000000000000:stack\/Fixture-local\//);
    expect(Stacks[0].Outputs).toContainEqual({ OutputKey: 'WorkQueueUrl', OutputValue: harness.services.outputs.WorkQueueUrl, Description: 'the work queue' });
    const all = await harness.cloudFormation.send(new DescribeStacksCommand({}));
    expect(all.Stacks?.map((stack) => stack.StackName)).toEqual([FIXTURE_STACK_NAME]);
  });
});
