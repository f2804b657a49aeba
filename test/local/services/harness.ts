/** Starts the local services on free ports for one test file, with SDK clients pointed at the gateway. */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startLocalServices } from '../../../local/services';
import type { LocalServices, SynthesizedStack } from '../../../local/template/model';
import { synthesizeFixtureStack } from './fixture-stack';

export interface Harness {
  readonly services: LocalServices;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  readonly cloudFormation: CloudFormationClient;
  readonly warnings: string[];
  stop(): Promise<void>;
}

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export async function startHarness(stack: SynthesizedStack = synthesizeFixtureStack()): Promise<Harness> {
  const warnings: string[] = [];
  const services = await startLocalServices({ port: 0, apiPort: 3900, downloadPort: 3901, template: stack, onWarning: (message) => warnings.push(message) });
  const common = { endpoint: services.endpoint, region: services.region, credentials: TEST_CREDENTIALS };
  // No forcePathStyle: the SDK goes path-style by itself for an IP endpoint, as the handlers' clients will.
  const clients = {
    sqs: new SQSClient(common),
    sns: new SNSClient(common),
    s3: new S3Client(common),
    dynamodb: new DynamoDBClient(common),
    cloudFormation: new CloudFormationClient(common),
  };
  return {
    services,
    ...clients,
    warnings,
    stop: async () => {
      Object.values(clients).forEach((client) => client.destroy());
      await services.stop();
    },
  };
}

