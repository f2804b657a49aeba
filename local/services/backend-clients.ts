/**
 * AWS SDK clients the services half itself uses, pointed straight at the emulators (not through the
 * gateway, so provisioning and notifications never trigger gateway behaviour twice).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS } from '../../contract/local-cloud';
import { LOCAL_REGION } from '../template/resource-identity';
import type { Backend } from './backend';

export interface BackendClients {
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  destroy(): void;
}

export async function createBackendClients(fauxqs: Backend, dynalite: Backend): Promise<BackendClients> {
  const [{ SQSClient }, { SNSClient }, { S3Client }, { DynamoDBClient }] = await Promise.all([
    import('@aws-sdk/client-sqs'),
    import('@aws-sdk/client-sns'),
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/client-dynamodb'),
  ]);
  const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const sqs = new SQSClient({ ...common, endpoint: fauxqs.endpoint });
  const sns = new SNSClient({ ...common, endpoint: fauxqs.endpoint });
  const s3 = new S3Client({ ...common, endpoint: fauxqs.endpoint, forcePathStyle: true });
  const dynamodb = new DynamoDBClient({ ...common, endpoint: dynalite.endpoint });
  return {
    sqs,
    sns,
    s3,
    dynamodb,
    destroy: () => [sqs, sns, s3, dynamodb].forEach((client) => client.destroy()),
  };
}
