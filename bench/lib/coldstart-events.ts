/**
 * The first event of each function's cold start, made real on a local cloud: API requests as the HTTP
 * API builds them, worker batches received from their queue after a real upload or job submission,
 * and requests to the redrive and review functions; with the answer each must give, so a measured
 * invocation is known to have done its work (its SDK calls included) and not failed fast.
 */
import { randomUUID } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LocalCloud } from '../../local/cloud';
import { sqsEvent } from '../../local/runtime/sqs-event';

export interface ColdStartCase {
  /** A fresh first event (each run processes its own item). */
  event(): Promise<unknown>;
  /** Why the handler's answer is not the expected one; undefined when it is. */
  wrongAnswer(result: unknown): string | undefined;
}

const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

function httpEvent(routeKey: string, path: string, body?: unknown, pathParameters?: Record<string, string>) {
  const [method] = routeKey.split(' ');
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', host: '127.0.0.1', 'user-agent': 'bench' },
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(pathParameters ? { pathParameters } : {}),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    isBase64Encoded: false,
  };
}

const statusCode = (expected: number) => (result: unknown) => {
  const actual = (result as { statusCode?: number } | null)?.statusCode;
  return actual === expected ? undefined : `expected HTTP ${expected}, got ${JSON.stringify(result).slice(0, 300)}`;
};

const noBatchItemFailures = (result: unknown) => {
  const failures = (result as { batchItemFailures?: unknown[] } | null)?.batchItemFailures ?? [];
  return failures.length === 0 ? undefined : `batch item failures: ${JSON.stringify(result)}`;
};

/** The redrive function answers a failure as `{outcome: 'error'}`, the review as `{error}`. */
const noError = (result: unknown) => {
  const answer = result as { error?: unknown; outcome?: unknown } | null;
  const failed = answer === null || answer.error !== undefined || answer.outcome === 'error';
  return failed ? `answered ${JSON.stringify(result).slice(0, 300)}` : undefined;
};

/** Every function's case, by its name under `handlers/`, on `cloud` (whose pollers must be off: the bench takes the messages). */
export function coldStartCases(cloud: LocalCloud): { cases: Record<string, ColdStartCase>; dispose(): void } {
  const clientConfig = { endpoint: cloud.endpoints.aws, region: cloud.services.region, credentials: CREDENTIALS };
  const s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
  const sqs = new SQSClient(clientConfig);
  const mappingOf = (functionName: string) => {
    const fn = cloud.services.functions.find((candidate) => candidate.entry.endsWith(`handlers/${functionName}/index.ts`));
    const mapping = cloud.services.eventSourceMappings.find((candidate) => candidate.functionLogicalId === fn?.logicalId);
    if (!mapping) throw new Error(`no event source mapping for ${functionName}`);
    return mapping;
  };
  /** One message of the queue, received (and so hidden) long enough for the run to take it. */
  const receiveOne = async (functionName: string) => {
    const mapping = mappingOf(functionName);
    for (let attempt = 0; attempt < 20; attempt++) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: mapping.queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 5, VisibilityTimeout: 3600, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }),
      );
      if (Messages?.length) return sqsEvent(Messages, mapping.queueArn, cloud.services.region);
    }
    throw new Error(`no message arrived on ${mapping.queueUrl}`);
  };
  const submitJob = async () => {
    const response = await fetch(`${cloud.endpoints.api}jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ task: 'word-count', payload: { text: 'to be or not to be' } }) });
    if (response.status !== 202) throw new Error(`POST /jobs answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { jobId: string }).jobId;
  };
  const firstWorkQueue = cloud.outputs.WorkQueueNames.split(',')[0]!.trim();
  const today = new Date().toISOString().slice(0, 10);
  const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);

  const cases: Record<string, ColdStartCase> = {
    presign: { event: async () => httpEvent('POST /presign', '/presign', { fileName: 'bench.csv' }), wrongAnswer: statusCode(200) },
    'submit-job': { event: async () => httpEvent('POST /jobs', '/jobs', { task: 'word-count', payload: { text: 'to be or not to be' } }), wrongAnswer: statusCode(202) },
    'job-status': {
      event: async () => {
        const jobId = await submitJob();
        return httpEvent('GET /jobs/{id}', `/jobs/${jobId}`, undefined, { id: jobId });
      },
      wrongAnswer: statusCode(200),
    },
    // The bench's pollers are off, so no upload gets a status item: a file id never seen is read (one
    // consistent GetItem over the network, as for a known file) and answered 404.
    'file-status': {
      event: async () => {
        const fileId = randomUUID();
        return httpEvent('GET /files/{id}', `/files/${fileId}`, undefined, { id: fileId });
      },
      wrongAnswer: statusCode(404),
    },
    'job-worker': {
      event: async () => {
        await submitJob();
        return receiveOne('job-worker');
      },
      wrongAnswer: noBatchItemFailures,
    },
    'file-worker': {
      event: async () => {
        const id = randomUUID();
        await s3.send(new PutObjectCommand({ Bucket: cloud.outputs.BucketName, Key: `uploads/${id}/x.csv`, Body: `id,name\n${id},"Doe, Jane"\n`, ContentType: 'text/csv' }));
        return receiveOne('file-worker');
      },
      wrongAnswer: noBatchItemFailures,
    },
    redrive: { event: async () => ({ action: 'status', queue: firstWorkQueue }), wrongAnswer: noError },
    review: { event: async () => ({ action: 'review', from: weekAgo, to: today }), wrongAnswer: noError },
  };
  return {
    cases,
    dispose() {
      s3.destroy();
      sqs.destroy();
    },
  };
}
