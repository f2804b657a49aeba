/**
 * The real AWS SDK v3 clients the commands use, all pointed at one target: AWS in a region, or the
 * local cloud through `--endpoint-url`. Created on first use, destroyed together.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isLoopback } from './errors';
import type { Target } from './options';

export interface AwsClients {
  readonly cloudFormation: CloudFormationClient;
  readonly sqs: SQSClient;
  readonly cloudWatch: CloudWatchClient;
  readonly dynamoDb: DynamoDBDocumentClient;
  readonly lambda: LambdaClient;
  destroy(): void;
}

/** The CLI answers in seconds or says why not: a silent endpoint must not hang it. */
const REQUEST_HANDLER = { connectionTimeout: 5_000, requestTimeout: 30_000 };

// The local cloud ignores signatures but the SDK refuses to send unsigned requests; like `awslocal`,
// a loopback endpoint gets placeholder credentials when the environment names none.
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

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
  const lambda = lazy(() => new LambdaClient(config));
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
    get lambda() {
      return lambda();
    },
    get dynamoDb() {
      return (dynamoDb ??= DynamoDBDocumentClient.from(dynamoDbBase()));
    },
    destroy() {
      for (const client of created.splice(0)) client.destroy();
    },
  };
}
