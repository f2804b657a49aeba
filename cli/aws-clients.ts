/**
 * The real AWS SDK v3 clients the commands use, all pointed at one target: AWS in a region, or the
 * local cloud through `--endpoint-url`. Created on first use, destroyed together.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS } from '../contract/local-cloud';
import { isLoopback } from './errors';
import type { Target } from './options';

export interface AwsClients {
  readonly cloudFormation: CloudFormationClient;
  readonly sqs: SQSClient;
  readonly cloudWatch: CloudWatchClient;
  readonly dynamoDb: DynamoDBDocumentClient;
  readonly lambda: LambdaClient;
  readonly sts: STSClient;
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
  const lazy = <T extends { destroy(): void }>(create: () => T): (() => T) => {
    let client: T | undefined;
    return () => {
      if (!client) created.push((client = create()));
      return client;
    };
  };
  const cloudFormation = lazy(() => new CloudFormationClient(config));
  const sqs = lazy(() => new SQSClient(config));
  const cloudWatch = lazy(() => new CloudWatchClient(config));
  const lambda = lazy(() => new LambdaClient({ ...config, ...INVOKE_CONFIG }));
  const sts = lazy(() => new STSClient(config));
  // The document client's destroy() leaves its base client open: the base client is the one tracked.
  const dynamoDbBase = lazy(() => new DynamoDBClient(config));
  let dynamoDb: DynamoDBDocumentClient | undefined;
  return {
    get cloudFormation() {
      return cloudFormation();
    },
    get sqs() {
      return sqs();
    },
    get cloudWatch() {
      return cloudWatch();
    },
    get dynamoDb() {
      return (dynamoDb ??= DynamoDBDocumentClient.from(dynamoDbBase()));
    },
    get lambda() {
      return lambda();
    },
    get sts() {
      return sts();
    },
    destroy() {
      for (const client of created.splice(0)) client.destroy();
    },
  };
}
