/**
 * The real AWS SDK v3 clients the commands use, all pointed at one target: AWS in a region, or the
 * local cloud through `--endpoint-url`. Each client's module is imported and the client made on its
 * first use, so a command loads only the SDK packages it calls (each costs a tenth of a second or more
 * of every start); all are destroyed together.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { STSClient } from '@aws-sdk/client-sts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS } from '../contract/local-cloud';
import { isLoopback } from './errors';
import type { Target } from './options';

export interface AwsClients {
  cloudFormation(): Promise<CloudFormationClient>;
  sqs(): Promise<SQSClient>;
  cloudWatch(): Promise<CloudWatchClient>;
  dynamoDb(): Promise<DynamoDBDocumentClient>;
  lambda(): Promise<LambdaClient>;
  sts(): Promise<STSClient>;
  destroy(): void;
}

/** The CLI answers in seconds or says why not: a silent endpoint must not hang it. */
const REQUEST_HANDLER = { connectionTimeout: 5_000, requestTimeout: 30_000 };
/**
 * A function invocation may take longer (a cold start, then a dry run's scan), and is never retried: a
 * retried start after a lost answer would only be refused as a second run, and confuse.
 */
const INVOKE_CONFIG = { requestHandler: { connectionTimeout: 5_000, requestTimeout: 90_000 }, maxAttempts: 1 };

// The SDK refuses to send unsigned requests; like `awslocal`, a loopback endpoint gets the local
// cloud's credentials when the environment names none.

export function createAwsClients(target: Target, env: NodeJS.ProcessEnv): AwsClients {
  const config = {
    region: target.region,
    requestHandler: REQUEST_HANDLER,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(target.endpoint && isLoopback(target.endpoint) && !env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE ? { credentials: LOCAL_CREDENTIALS } : {}),
  };
  const created: { destroy(): void }[] = [];
  const track = <T extends { destroy(): void }>(client: T): T => {
    created.push(client);
    return client;
  };
  // The document client's destroy() leaves its base client open: the base client is the one tracked.
  const dynamoDbBase = once(async () => track(new (await import('@aws-sdk/client-dynamodb')).DynamoDBClient(config)));
  return {
    cloudFormation: once(async () => track(new (await import('@aws-sdk/client-cloudformation')).CloudFormationClient(config))),
    sqs: once(async () => track(new (await import('@aws-sdk/client-sqs')).SQSClient(config))),
    cloudWatch: once(async () => track(new (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient(config))),
    dynamoDb: once(async () => (await import('@aws-sdk/lib-dynamodb')).DynamoDBDocumentClient.from(await dynamoDbBase())),
    lambda: once(async () => track(new (await import('@aws-sdk/client-lambda')).LambdaClient({ ...config, ...INVOKE_CONFIG }))),
    sts: once(async () => track(new (await import('@aws-sdk/client-sts')).STSClient(config))),
    destroy() {
      for (const client of created.splice(0)) client.destroy();
    },
  };
}

/** The first call's promise, shared by every later call: one client per kind, however many ask at once. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}
