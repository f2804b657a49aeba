/**
 * The seeds' scenarios on the local cloud, default configuration (S3 notifies the files queue directly),
 * exactly as a user runs them: POST /presign, PUT to the presigned URL (fetch, and the seed's plain curl),
 * POST /jobs and GET /jobs/{id} over HTTP; S3, SQS and DynamoDB through the AWS SDK v3 and the AWS CLI.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { awsCli } from './aws-cli';
import { callApi, presign, queueDepth, startScenarioCloud, upload, waitForStatus, type ScenarioCloud } from './scenario-cloud';

const run = promisify(execFile);

let scenario: ScenarioCloud;
let aws: ReturnType<typeof awsCli>;

beforeAll(async () => {
  scenario = await startScenarioCloud();
  aws = awsCli(scenario.cloud.endpoints.aws);
});
afterAll(() => scenario?.stop());

/**
 * Four data rows, each a trap for a naive line split: quoted commas, a quoted line break (LF, and CRLF),
 * escaped quotes, CRLF row ends. A random token keeps the content unique to this run (duplicate detection
 * works on content hashes).
 */
function trickyCsv(): string {
  return ['id,name,notes', '1,"Smith, Jane","first line\nsecond line"', '2,"O""Brien, Pat",plain', '3,Lee,"a, b, and c"', `4,${randomUUID()},"multi\r\nline"`].join('\r\n') + '\r\n';
}

async function objectText(key: string): Promise<string> {
  const object = await scenario.s3.send(new GetObjectCommand({ Bucket: scenario.outputs.BucketName, Key: key }));
  return (await object.Body?.transformToString()) ?? '';
}

async function objectExists(key: string): Promise<boolean> {
  try {
    await scenario.s3.send(new HeadObjectCommand({ Bucket: scenario.outputs.BucketName, Key: key }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound') return false;
    throw error;
  }
}

async function keysUnder(prefix: string): Promise<string[]> {
  const { Contents = [] } = await scenario.s3.send(new ListObjectsV2Command({ Bucket: scenario.outputs.BucketName, Prefix: prefix }));
  return Contents.map((object) => object.Key ?? '');
}

/** The files queue drained and its DLQ empty: every message acknowledged, none retried or dead-lettered. */
async function expectFilesQueueSettled(): Promise<void> {
  await expect.poll(() => queueDepth(scenario, scenario.outputs.FilesQueueUrl), { timeout: 10_000, interval: 100 }).toEqual({ visible: 0, inFlight: 0 });
  expect(await queueDepth(scenario, scenario.outputs.FilesDeadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
}

describe('files: presigned PUT → S3 notification → files queue → file worker', () => {
  it('a CSV with quoted commas and line breaks moves to processed/ and is PROCESSED with its data rows counted', async () => {
    const csv = trickyCsv();
    const uploaded = await upload(scenario, 'people.csv', csv);
    const item = await waitForStatus(scenario, uploaded.fileId, ['PROCESSED', 'FAILED']);

    const processedKey = `processed/${uploaded.fileId}/people.csv`;
    expect(item).toMatchObject({ id: uploaded.fileId, kind: 'file', status: 'PROCESSED', rowCount: 4, fileName: 'people.csv', s3Key: uploaded.s3Key, processedKey, attempts: 1 });
    expect(await objectText(processedKey)).toBe(csv);
    expect(await objectExists(uploaded.s3Key)).toBe(false);
    // Seed 000: the viewer downloads processed files through CloudFront (here the local one).
    const download = await fetch(new URL(processedKey, scenario.cloud.endpoints.downloads));
    expect([download.status, await download.text()]).toEqual([200, csv]);
    await expectFilesQueueSettled();
  });

  it("the seeds' plain `curl -X PUT --data-binary` to a presigned URL answers 200 and the file is processed", async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'tidewatch-curl-'));
    const file = path.join(directory, 'orders.csv');
    await writeFile(file, `order,amount\n${randomUUID()},12.50\nB-2,"1,000.00"\n`);
    // No content type declared: the seeds' presign, whose URL accepts curl's default form Content-Type.
    const presigned = await presign(scenario, { fileName: 'orders.csv' });
    const { stdout } = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'PUT', presigned.uploadUrl, '--data-binary', `@${file}`]);
    expect(stdout).toBe('200');
    const item = await waitForStatus(scenario, presigned.fileId, ['PROCESSED', 'FAILED']);
    expect(item).toMatchObject({ status: 'PROCESSED', rowCount: 2, processedKey: `processed/${presigned.fileId}/orders.csv` });
  });

  it('the same content under two presigned keys: the second is DUPLICATE of the first and not ingested again', async () => {
    const csv = trickyCsv();
    const first = await upload(scenario, 'monday.csv', csv);
    const original = await waitForStatus(scenario, first.fileId, ['PROCESSED', 'FAILED']);
    expect(original.status).toBe('PROCESSED');

    const second = await upload(scenario, 'tuesday.csv', csv);
    const duplicate = await waitForStatus(scenario, second.fileId, ['DUPLICATE', 'PROCESSED', 'FAILED']);
    expect(duplicate).toMatchObject({ status: 'DUPLICATE', duplicateOf: first.fileId, contentHash: original.contentHash, rowCount: 4 });
    expect(await keysUnder(`processed/${second.fileId}/`)).toEqual([]);
    expect(await keysUnder(`processed/${first.fileId}/`)).toEqual([`processed/${first.fileId}/monday.csv`]);
    await expectFilesQueueSettled();
  });

  const pngBytes = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x01, 0x00]);
  it.each([
    { what: 'binary content under a .csv name', fileName: 'export.csv', content: pngBytes as string | Uint8Array, errorClass: 'NotCsvError', reason: /looks binary/ },
    { what: 'a row with a wrong column count', fileName: 'short-row.csv', content: 'a,b,c\n1,2,3\n4,5\n', errorClass: 'CsvFormatError', reason: /^malformed CSV: .*line 3/ },
    { what: 'a spreadsheet that is not CSV', fileName: 'report.xlsx', content: `not,a,csv,${randomUUID()}\n`, errorClass: 'NotCsvError', reason: /extension \.xlsx is not a CSV type/ },
  ])('a malformed upload ($what) is FAILED with its reason, acknowledged, and the object kept', async ({ fileName, content, errorClass, reason }) => {
    const uploaded = await upload(scenario, fileName, content);
    const item = await waitForStatus(scenario, uploaded.fileId, ['FAILED', 'PROCESSED']);
    expect(item).toMatchObject({ status: 'FAILED', attempts: 1, lastError: { class: errorClass, permanent: true } });
    expect(item.lastError?.message).toMatch(reason);
    // Bad input is never lost: the upload stays where it arrived, for someone to look at.
    expect(await objectExists(uploaded.s3Key)).toBe(true);
    await expectFilesQueueSettled();
  });
});

describe('jobs: POST /jobs → jobs queue → job worker → GET /jobs/{id}', () => {
  it('answers 202 with a status URL that ends PROCESSED with the task result', async () => {
    const submitted = await callApi(scenario, 'POST', 'jobs', { task: 'sum', payload: { numbers: [1, 2, 3, 4] } });
    expect(submitted.status).toBe(202);
    const { jobId, statusUrl } = submitted.body as { jobId: string; statusUrl: string };
    expect(statusUrl).toBe(`${scenario.cloud.endpoints.api}jobs/${jobId}`);

    const job = await pollJob(statusUrl);
    expect(job).toMatchObject({ id: jobId, kind: 'job', status: 'PROCESSED', task: 'sum', attempts: 1, result: { count: 4, sum: 10, mean: 2.5, min: 1, max: 4 } });
    expect(Date.parse(String(job.completedAt))).toBeGreaterThanOrEqual(Date.parse(String(job.createdAt)));
  });

  it('refuses a job it cannot run with 400 and a JSON error; an unknown job id is 404', async () => {
    const refused = await callApi(scenario, 'POST', 'jobs', { task: 'mine-bitcoin' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: expect.any(String), message: expect.stringContaining('unknown task "mine-bitcoin"') });
    const unknown = await callApi(scenario, 'GET', `jobs/${randomUUID()}`);
    expect(unknown.status).toBe(404);
  });
});

/** Polls GET <statusUrl> until the job is done, as a client would. */
function pollJob(statusUrl: string): Promise<Record<string, unknown>> {
  return vi.waitFor(
    async () => {
      const job = (await (await fetch(statusUrl)).json()) as Record<string, unknown>;
      if (job.status !== 'PROCESSED' && job.status !== 'FAILED') throw new Error(`job is ${String(job.status)}`);
      return job;
    },
    { timeout: 20_000, interval: 100 },
  );
}

describe('the AWS CLI (v1) against the full local cloud', () => {
  it('s3 ls and s3 cp of a processed file, dynamodb get-item and scan of its status item', async () => {
    const csv = trickyCsv();
    const uploaded = await upload(scenario, 'cli.csv', csv);
    await waitForStatus(scenario, uploaded.fileId, ['PROCESSED']);
    const bucket = scenario.outputs.BucketName;
    const processedKey = `processed/${uploaded.fileId}/cli.csv`;

    expect(await aws('s3', 'ls', `s3://${bucket}/processed/`, '--recursive')).toContain(processedKey);
    expect(await aws('s3', 'cp', `s3://${bucket}/${processedKey}`, '-')).toBe(csv);
    const { Item } = JSON.parse(await aws('dynamodb', 'get-item', '--table-name', scenario.outputs.StatusTableName, '--key', JSON.stringify({ id: { S: uploaded.fileId } })));
    expect(Item).toMatchObject({ status: { S: 'PROCESSED' }, rowCount: { N: '4' }, processedKey: { S: processedKey } });
    const scan = JSON.parse(
      await aws('dynamodb', 'scan', '--table-name', scenario.outputs.StatusTableName, '--filter-expression', 'id = :id', '--expression-attribute-values', JSON.stringify({ ':id': { S: uploaded.fileId } })),
    );
    expect(scan.Items).toEqual([Item]);
  });

  it('sqs get-queue-url, get-queue-attributes and receive-message, cloudformation describe-stacks', async () => {
    const queueUrl = scenario.outputs.FilesQueueUrl;
    expect(JSON.parse(await aws('sqs', 'get-queue-url', '--queue-name', queueUrl.split('/').pop() ?? ''))).toEqual({ QueueUrl: queueUrl });
    const { Attributes } = JSON.parse(await aws('sqs', 'get-queue-attributes', '--queue-url', queueUrl, '--attribute-names', 'All'));
    expect(JSON.parse(Attributes.RedrivePolicy)).toMatchObject({ maxReceiveCount: 3 });
    // Nothing dead-lettered in this file's scenarios: an empty receive prints nothing.
    expect(await aws('sqs', 'receive-message', '--queue-url', scenario.outputs.FilesDeadLetterQueueUrl, '--wait-time-seconds', '0')).toBe('');

    const { Stacks } = JSON.parse(await aws('cloudformation', 'describe-stacks', '--stack-name', scenario.cloud.stackName));
    const outputs = Object.fromEntries((Stacks[0].Outputs as { OutputKey: string; OutputValue: string }[]).map((output) => [output.OutputKey, output.OutputValue]));
    expect(outputs).toEqual(scenario.outputs);
  });
});
