/** The services half driven by the real app (lib/app.ts), synthesized for the local stage. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices } from '../../../local/services';
import type { LocalServices } from '../../../local/template/model';
import { synthesizeTemplate } from '../../../local/template/synthesize';
import { TEST_CREDENTIALS } from './harness';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../../..');
const OUTPUT_KEYS = ['BucketName', 'ApiUrl', 'DownloadUrl', 'FilesQueueUrl', 'FilesDeadLetterQueueUrl', 'JobsQueueUrl', 'JobsDeadLetterQueueUrl', 'StatusTableName'];

let services: LocalServices;
let sqs: SQSClient;
let dynamodb: DynamoDBClient;

beforeAll(async () => {
  services = await startLocalServices({ port: 0, apiPort: 3910, downloadPort: 3911, projectRoot: PROJECT_ROOT, onWarning: () => undefined });
  const common = { endpoint: services.endpoint, region: services.region, credentials: TEST_CREDENTIALS };
  sqs = new SQSClient(common);
  dynamodb = new DynamoDBClient(common);
});
afterAll(async () => {
  sqs?.destroy();
  dynamodb?.destroy();
  await services?.stop();
});

describe('the Tidewatch stack on the local services', () => {
  it('synthesizes Tidewatch-local and resolves its outputs to local values', () => {
    expect(services.stackName).toBe('Tidewatch-local');
    expect(Object.keys(services.outputs)).toEqual(expect.arrayContaining(OUTPUT_KEYS));
    expect(services.outputs.ApiUrl).toBe('http://127.0.0.1:3910/');
    expect(services.outputs.DownloadUrl).toBe('http://127.0.0.1:3911/');
    for (const key of ['FilesQueueUrl', 'FilesDeadLetterQueueUrl', 'JobsQueueUrl', 'JobsDeadLetterQueueUrl']) {
      expect(services.outputs[key]).toMatch(new RegExp(`^${services.endpoint}/000000000000/tidewatch-local-`));
    }
  });

  it('provisions the queues with their redrive policies and the status table', async () => {
    const { outputs } = services;
    for (const [queue, deadLetters] of [
      [outputs.FilesQueueUrl, outputs.FilesDeadLetterQueueUrl],
      [outputs.JobsQueueUrl, outputs.JobsDeadLetterQueueUrl],
    ]) {
      const source = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue, AttributeNames: ['RedrivePolicy'] }));
      const dlq = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: deadLetters, AttributeNames: ['QueueArn', 'MessageRetentionPeriod'] }));
      expect(JSON.parse(source.Attributes?.RedrivePolicy ?? '{}')).toEqual({ deadLetterTargetArn: dlq.Attributes?.QueueArn, maxReceiveCount: 3 });
      expect(dlq.Attributes?.MessageRetentionPeriod).toBe(String(14 * 24 * 3600));
    }
    const table = await dynamodb.send(new DescribeTableCommand({ TableName: outputs.StatusTableName }));
    expect(table.Table?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
  });

  it('configures the upload notifications (the files queue got the s3:TestEvent)', async () => {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: services.outputs.FilesQueueUrl, WaitTimeSeconds: 1 }));
    expect(JSON.parse(Messages[0]?.Body ?? '{}')).toMatchObject({ Event: 's3:TestEvent', Bucket: services.outputs.BucketName });
  });

  it('hands the runtime every project function from its TypeScript source, with its triggers', () => {
    const entries = services.functions.map((fn) => path.relative(PROJECT_ROOT, fn.entry)).sort();
    expect(entries).toEqual([
      'handlers/file-status/index.ts',
      'handlers/file-worker/index.ts',
      'handlers/job-status/index.ts',
      'handlers/job-worker/index.ts',
      'handlers/list-items/index.ts',
      'handlers/presign/index.ts',
      'handlers/redrive/index.ts',
      'handlers/review/index.ts',
      'handlers/submit-job/index.ts',
    ]);
    for (const fn of services.functions) {
      expect(existsSync(fn.entry)).toBe(true);
      expect(fn.environment).toMatchObject({ TIDEWATCH_STAGE: 'local', POWERTOOLS_METRICS_NAMESPACE: 'Tidewatch' });
    }
    const byId = new Map(services.functions.map((fn) => [fn.logicalId, path.basename(path.dirname(fn.entry))]));
    expect(services.eventSourceMappings.map((mapping) => [byId.get(mapping.functionLogicalId), mapping.queueUrl, mapping.reportBatchItemFailures]).sort()).toEqual([
      ['file-worker', services.outputs.FilesQueueUrl, true],
      ['job-worker', services.outputs.JobsQueueUrl, true],
    ]);
    expect(services.httpRoutes.map((route) => `${route.routeKey} → ${byId.get(route.functionLogicalId)}`).sort()).toEqual([
      'GET /files/{id} → file-status',
      'GET /items → list-items',
      'GET /jobs/{id} → job-status',
      'POST /jobs → submit-job',
      'POST /presign → presign',
    ]);
  });

  it('reuses the synthesized template while no input of synthesis changed', async () => {
    const again = await synthesizeTemplate({ projectRoot: PROJECT_ROOT });
    expect(again).toEqual({ stackName: services.stackName, template: services.template });
    const cached = JSON.parse(await readFile(path.join(PROJECT_ROOT, '.tidewatch', 'local-template.json'), 'utf8'));
    expect(cached.key).toMatch(/^[0-9a-f]{64}$/);
  });
});
