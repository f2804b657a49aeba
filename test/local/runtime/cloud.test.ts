/**
 * The runtime on the real local services, driven by the synthesized stack: HTTP API → function →
 * queue → poller → worker, presigned upload → S3 notification → file worker → local CloudFront, a
 * template function invoked through the Lambda API, and every function's output captured.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../local/cloud';

let cloud: LocalCloud;
const stateDirectory = mkdtempSync(join(tmpdir(), 'tidewatch-cloud-'));
const lines: { functionName: string; line: string }[] = [];

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, apiPort: 0, downloadPort: 0, stateDirectory, pollWaitSeconds: 2 });
  cloud.runtime.onLine((functionName, line) => lines.push({ functionName, line }));
});

afterAll(async () => {
  await cloud?.stop();
});

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

describe('local cloud runtime on the synthesized stack', () => {
  it('writes the outputs file in the shape of cdk deploy --outputs-file, pointing at the local ports', () => {
    const written = JSON.parse(readFileSync(cloud.outputsFile, 'utf8')) as Record<string, Record<string, string>>;
    expect(Object.keys(written)).toEqual([cloud.stackName]);
    expect(written[cloud.stackName]).toEqual(cloud.outputs);
    expect(cloud.outputs.ApiUrl).toBe(cloud.endpoints.api);
    expect(cloud.outputs.DownloadUrl).toBe(cloud.endpoints.downloads);
  });

  it('runs a job end to end: POST /jobs → 202, the poller feeds the worker, GET /jobs/{id} → PROCESSED', async () => {
    const submitted = await fetch(`${cloud.endpoints.api}jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ task: 'echo', payload: { hello: 'world' } }),
    });
    expect(submitted.status).toBe(202);
    const { jobId } = await json(submitted);
    await expect
      .poll(async () => (await json(await fetch(`${cloud.endpoints.api}jobs/${String(jobId)}`))).status, { timeout: 30_000, interval: 250 })
      .toBe('PROCESSED');
  });

  it('uploads through a presigned URL and serves the processed file from the local CloudFront only under processed/', async () => {
    const csv = 'id,name\n1,"Smith, Jane"\n2,Bob\n';
    const presigned = await json(
      await fetch(`${cloud.endpoints.api}presign`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fileName: 'people.csv', contentType: 'text/csv' }) }),
    );
    const put = await fetch(String(presigned.uploadUrl), { method: 'PUT', headers: presigned.headers as Record<string, string>, body: csv });
    expect(put.status).toBe(200);
    const processedUrl = `${cloud.endpoints.downloads}${String(presigned.s3Key).replace(/^uploads\//, 'processed/')}`;
    await expect.poll(async () => (await fetch(processedUrl)).status, { timeout: 30_000, interval: 250 }).toBe(200);
    expect(await (await fetch(processedUrl)).text()).toBe(csv);
    expect((await fetch(`${cloud.endpoints.downloads}${String(presigned.s3Key)}`)).status).toBe(404);
  });

  it("applies the template's CORS and answers unknown routes with API Gateway's 404", async () => {
    const preflight = await fetch(`${cloud.endpoints.api}jobs`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const unknown = await fetch(`${cloud.endpoints.api}nope`);
    expect([unknown.status, await unknown.json()]).toEqual([404, { message: 'Not Found' }]);
  });

  it("captures the functions' output: JSON logs, EMF metrics and REPORT lines, also in per-function log files", async () => {
    await expect.poll(() => lines.some(({ line }) => line.startsWith('{"_aws":') && line.includes('"JobsSucceeded"')), { timeout: 10_000 }).toBe(true);
    expect(lines.some(({ line }) => line.startsWith('REPORT RequestId: '))).toBe(true);
    const jobWorkerName = lines.find(({ line }) => line.includes('"service":"job-worker"'))?.functionName;
    expect(jobWorkerName).toBe(cloud.services.functions.find((fn) => fn.entry.endsWith(join('job-worker', 'index.ts')))?.name);
    expect(existsSync(join(stateDirectory, 'logs', 'job-worker.log'))).toBe(true);
  });

  it('invokes a template function through the Lambda API, its invocation metered like any other', async () => {
    const submitted = await fetch(`${cloud.endpoints.api}jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ task: 'echo', payload: {} }) });
    const { jobId } = await json(submitted);
    const jobStatus = cloud.services.functions.find((fn) => fn.entry.endsWith(join('job-status', 'index.ts')));
    const config = { endpoint: cloud.endpoints.aws, region: cloud.services.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    const lambda = new LambdaClient(config);
    const cloudWatch = new CloudWatchClient(config);
    try {
      // The API Gateway (payload 2.0) event of GET /jobs/{id}, as far as the function reads it.
      const event = {
        version: '2.0',
        routeKey: 'GET /jobs/{id}',
        rawPath: `/jobs/${String(jobId)}`,
        rawQueryString: '',
        headers: {},
        pathParameters: { id: jobId },
        requestContext: { http: { method: 'GET', path: `/jobs/${String(jobId)}` }, routeKey: 'GET /jobs/{id}', stage: '$default' },
        isBase64Encoded: false,
      };
      const invocations = async () => {
        const { Datapoints = [] } = await cloudWatch.send(
          new GetMetricStatisticsCommand({
            Namespace: 'AWS/Lambda',
            MetricName: 'Invocations',
            Dimensions: [{ Name: 'FunctionName', Value: jobStatus?.name }],
            StartTime: new Date(Date.now() - 10 * 60_000),
            EndTime: new Date(Date.now() + 60_000),
            Period: 60,
            Statistics: ['Sum'],
          }),
        );
        return Datapoints.reduce((sum, datapoint) => sum + (datapoint.Sum ?? 0), 0);
      };
      const before = await invocations();
      const output = await lambda.send(new InvokeCommand({ FunctionName: jobStatus?.name, Payload: Buffer.from(JSON.stringify(event)) }));
      expect([output.StatusCode, output.FunctionError]).toEqual([200, undefined]);
      const response = JSON.parse(Buffer.from(output.Payload ?? []).toString('utf8')) as { statusCode: number; body: string };
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ id: jobId, kind: 'job' });
      // Recorded when the invocation ends, before Invoke answers.
      expect(await invocations()).toBe(before + 1);
    } finally {
      lambda.destroy();
      cloudWatch.destroy();
    }
  });
});
