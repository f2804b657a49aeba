/**
 * One local cloud per scenario test file: the synthesized stack (with the file's own context), started
 * in-process on free ports with a fresh state directory, and the clients a user would point at it: the
 * AWS SDK v3 on the AWS endpoint and plain fetch on the HTTP API.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { vi } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../local/cloud';
import type { SynthesizedStack } from '../../../local/template/model';
import { synthesizeTemplate } from '../../../local/template/synthesize';
import type { StatusItem } from '../../../contract/status-item';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../../..');

export interface ScenarioCloudOptions {
  /** CDK context for synthesis (e.g. `{ tidewatch: { fanOut: true } }`). @default {} */
  readonly context?: Record<string, unknown>;
  /** Changes the synthesized template before the cloud starts (fault injection). @default none */
  readonly patchTemplate?: (stack: SynthesizedStack) => SynthesizedStack;
}

export interface ScenarioCloud {
  readonly cloud: LocalCloud;
  readonly outputs: Readonly<Record<string, string>>;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly dynamodb: DynamoDBDocumentClient;
  /** Every line the functions wrote so far (JSON logs, EMF, REPORT lines). */
  readonly lines: { readonly functionName: string; readonly line: string }[];
  stop(): Promise<void>;
}

/** Any credentials do locally; the region is the local cloud's. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export async function startScenarioCloud(options: ScenarioCloudOptions = {}): Promise<ScenarioCloud> {
  const synthesized = await synthesizeTemplate({ context: options.context, projectRoot: PROJECT_ROOT });
  const template = options.patchTemplate ? options.patchTemplate(structuredClone(synthesized)) : synthesized;
  const stateDirectory = await mkdtemp(path.join(tmpdir(), 'tidewatch-scenario-'));
  // Short long polls: a message whose visibility timeout ends is picked up within two seconds.
  const cloud = await startLocalCloud({ template, projectRoot: PROJECT_ROOT, port: 0, apiPort: 0, downloadPort: 0, stateDirectory, pollWaitSeconds: 2 });
  const lines: { functionName: string; line: string }[] = [];
  cloud.runtime.onLine((functionName, line) => lines.push({ functionName, line }));
  const common = { endpoint: cloud.endpoints.aws, region: cloud.services.region, credentials: LOCAL_CREDENTIALS };
  const s3 = new S3Client(common);
  const sqs = new SQSClient(common);
  const sns = new SNSClient(common);
  const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient(common));
  return {
    cloud,
    outputs: cloud.outputs,
    s3,
    sqs,
    sns,
    dynamodb,
    lines,
    async stop() {
      for (const client of [s3, sqs, sns, dynamodb]) client.destroy();
      await cloud.stop();
      await rm(stateDirectory, { recursive: true, force: true });
    },
  };
}

/** The status table item of a file or job, or undefined. */
export async function statusItem(scenario: ScenarioCloud, id: string): Promise<StatusItem | undefined> {
  const { Item } = await scenario.dynamodb.send(new GetCommand({ TableName: scenario.outputs.StatusTableName, Key: { id }, ConsistentRead: true }));
  return Item as StatusItem | undefined;
}

/** Polls the status item until its status is one of `statuses` (a deadline, never a fixed sleep). */
export function waitForStatus(scenario: ScenarioCloud, id: string, statuses: readonly string[], timeoutMs = 20_000): Promise<StatusItem> {
  return vi.waitFor(
    async () => {
      const item = await statusItem(scenario, id);
      if (!item || !statuses.includes(item.status)) throw new Error(`status of ${id} is ${item?.status ?? 'absent'}, waiting for ${statuses.join(' or ')}`);
      return item;
    },
    { timeout: timeoutMs, interval: 100 },
  );
}

/** Visible and in-flight messages of a queue. */
export async function queueDepth(scenario: ScenarioCloud, queueUrl: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes = {} } = await scenario.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return { visible: Number(Attributes.ApproximateNumberOfMessages), inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible) };
}

/** POST/GET on the local HTTP API with a JSON body; answers the status and the parsed JSON body. */
export async function callApi(scenario: ScenarioCloud, method: 'GET' | 'POST', route: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL(route, scenario.cloud.endpoints.api), {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** What POST /presign answers. */
export interface PresignedUpload {
  readonly uploadUrl: string;
  readonly s3Key: string;
  readonly fileId: string;
  readonly headers: Record<string, string>;
}

export async function presign(scenario: ScenarioCloud, request: { fileName?: string; contentType?: string; size?: number } = {}): Promise<PresignedUpload> {
  const { status, body } = await callApi(scenario, 'POST', 'presign', request);
  if (status !== 200) throw new Error(`POST /presign answered ${status}: ${JSON.stringify(body)}`);
  return body as unknown as PresignedUpload;
}

/** Presigns and PUTs `content` with fetch, sending exactly the headers presign asked for. */
export async function upload(scenario: ScenarioCloud, fileName: string, content: string | Uint8Array): Promise<PresignedUpload> {
  const presigned = await presign(scenario, { fileName, contentType: 'text/csv' });
  const response = await fetch(presigned.uploadUrl, { method: 'PUT', headers: presigned.headers, body: content });
  if (response.status !== 200) throw new Error(`PUT to the presigned URL answered ${response.status}: ${await response.text()}`);
  return presigned;
}

/** The log lines of the function whose entry folder is `name` (`file-worker`, `job-worker`...), parsed when JSON. */
export function functionLogs(scenario: ScenarioCloud, name: string): Record<string, unknown>[] {
  const fn = scenario.cloud.services.functions.find((candidate) => path.basename(path.dirname(candidate.entry)) === name);
  if (!fn) throw new Error(`no function ${name} in the template`);
  return scenario.lines
    .filter(({ functionName, line }) => functionName === fn.name && line.startsWith('{'))
    .map(({ line }) => JSON.parse(line) as Record<string, unknown>);
}
