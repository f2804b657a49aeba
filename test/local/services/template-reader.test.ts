/** The template half without emulators: intrinsics, local names, plans and outputs on a hand-written template. */
import { describe, expect, it } from 'vitest';
import { IntrinsicResolver } from '../../../local/template/intrinsics';
import { readLocalStack } from '../../../local/template/local-stack';
import type { CfnTemplate } from '../../../local/template/model';
import { generatedName } from '../../../local/template/resource-identity';

const ENDPOINTS = { gatewayEndpoint: 'http://127.0.0.1:4566', apiPort: 3000, downloadPort: 3001 };

/** The shapes of the Tidewatch stack, written out: CloudFormation's own form of bucket notifications here. */
const TEMPLATE: CfnTemplate = {
  Description: 'hand-written',
  Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' } },
  Conditions: {
    IsLocal: { 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, '000000000000'] },
    NotLocal: { 'Fn::Not': [{ Condition: 'IsLocal' }] },
  },
  Mappings: { Limits: { files: { batch: 7 } } },
  Resources: {
    FilesDLQ0A1B2C3D: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600 } },
    FilesQueue4E5F6A7B: {
      Type: 'AWS::SQS::Queue',
      Properties: { VisibilityTimeout: 360, RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['FilesDLQ0A1B2C3D', 'Arn'] }, maxReceiveCount: 3 } },
    },
    Jobs: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'named-jobs.fifo', FifoQueue: true } },
    Uploads8C9D0E1F: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        VersioningConfiguration: { Status: 'Enabled' },
        NotificationConfiguration: {
          QueueConfigurations: [
            { Event: 's3:ObjectCreated:*', Queue: { 'Fn::GetAtt': ['FilesQueue4E5F6A7B', 'Arn'] }, Filter: { S3Key: { Rules: [{ Name: 'Prefix', Value: 'uploads/' }] } } },
            { Event: 's3:ObjectRemoved:*', Queue: { 'Fn::GetAtt': ['FilesDLQ0A1B2C3D', 'Arn'] } },
          ],
          LambdaConfigurations: [{ Event: 's3:ObjectCreated:*', Function: 'arn:aws:lambda:us-east-1:000000000000:function:x' }],
        },
      },
    },
    Status: {
      Type: 'AWS::DynamoDB::Table',
      Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] },
    },
    OnlyInAws: { Type: 'AWS::SQS::Queue', Condition: 'NotLocal' },
    Distribution: { Type: 'AWS::CloudFront::Distribution', Properties: {} },
    Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'api', ProtocolType: 'HTTP' } },
    Role: { Type: 'AWS::IAM::Role', Properties: {} },
    Firehose: { Type: 'AWS::KinesisFirehose::DeliveryStream', Properties: {} },
    Worker: {
      Type: 'AWS::Lambda::Function',
      Metadata: { 'Tidewatch:Entry': 'handlers/job-worker/index.ts', 'Tidewatch:Handler': 'handler' },
      Properties: {
        Environment: {
          Variables: {
            QUEUE_URL: { Ref: 'FilesQueue4E5F6A7B' },
            BATCH: { 'Fn::FindInMap': ['Limits', 'files', 'batch'] },
            MODE: { 'Fn::If': ['IsLocal', 'local', 'aws'] },
            HOST: { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': ['Api', 'ApiEndpoint'] }] }] },
            ROLE: { 'Fn::Sub': ['${Arn}|${AWS::Partition}|${!Literal}', { Arn: { 'Fn::GetAtt': ['Role', 'Arn'] } }] },
          },
        },
      },
    },
    InternalHandler: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler' } },
  },
  Outputs: {
    ApiUrl: { Value: { 'Fn::Join': ['', ['https://', { Ref: 'Api' }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/']] } },
    DownloadUrl: { Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['Distribution', 'DomainName'] }, '/']] } },
    QueueUrl: { Value: { Ref: 'FilesQueue4E5F6A7B' } },
    Gone: { Value: 'x', Condition: 'NotLocal' },
  },
};

describe('intrinsic resolution', () => {
  const resolver = new IntrinsicResolver(TEMPLATE, { ...ENDPOINTS, stackName: 'Tidewatch-local' });

  it('maps references to local names, URLs and ARNs', () => {
    expect(resolver.resolve({ Ref: 'FilesQueue4E5F6A7B' })).toBe('http://127.0.0.1:4566/000000000000/tidewatch-local-filesqueue-4e5f6a7b');
    expect(resolver.resolve({ 'Fn::GetAtt': ['FilesQueue4E5F6A7B', 'Arn'] })).toBe('arn:aws:sqs:us-east-1:000000000000:tidewatch-local-filesqueue-4e5f6a7b');
    expect(resolver.resolve({ Ref: 'Jobs' })).toBe('http://127.0.0.1:4566/000000000000/named-jobs.fifo');
    expect(resolver.resolve({ Ref: 'Uploads8C9D0E1F' })).toBe('tidewatch-local-uploads-8c9d0e1f');
    expect(resolver.resolve({ Ref: 'Status' })).toBe('tidewatch-local-status');
    expect(resolver.resolve({ 'Fn::GetAtt': ['Status', 'Arn'] })).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/tidewatch-local-status');
    expect(resolver.resolve({ 'Fn::GetAtt': ['Api', 'ApiEndpoint'] })).toBe('http://127.0.0.1:3000');
    expect(resolver.resolve({ 'Fn::GetAtt': ['Distribution', 'DomainName'] })).toBe('127.0.0.1:3001');
    expect(resolver.resolve({ Ref: 'AWS::StackName' })).toBe('Tidewatch-local');
    expect(resolver.resolve({ Ref: 'BootstrapVersion' })).toBe('/cdk-bootstrap/hnb659fds/version');
  });

  it('drops AWS::NoValue and evaluates conditions', () => {
    expect(resolver.resolve({ a: 1, b: { Ref: 'AWS::NoValue' }, c: [1, { Ref: 'AWS::NoValue' }, 2] })).toEqual({ a: 1, c: [1, 2] });
    expect(resolver.resolve({ 'Fn::If': ['NotLocal', 'aws', { Ref: 'AWS::NoValue' }] })).toBeUndefined();
    expect(resolver.isConditionTrue('IsLocal')).toBe(true);
  });

  it('throws an error naming an unsupported intrinsic, attribute or reference', () => {
    expect(() => resolver.resolve({ 'Fn::ImportValue': 'shared-vpc' }, 'Resources.X.Properties.Vpc')).toThrow(
      'Fn::ImportValue is not supported by the local cloud (at Resources.X.Properties.Vpc)',
    );
    expect(() => resolver.resolve({ 'Fn::GetAtt': ['Status', 'StreamArn'] })).toThrow('Fn::GetAtt Status.StreamArn (AWS::DynamoDB::Table) has no local value');
    expect(() => resolver.resolve({ Ref: 'Missing' })).toThrow('Ref Missing: no such resource or parameter');
  });

  it('generates readable, deterministic names within each service limit', () => {
    expect(generatedName('Tidewatch-local', 'FilesQueueA4BC72F9', 80)).toBe('tidewatch-local-filesqueue-a4bc72f9');
    const long = generatedName('Tidewatch-pr-1234', 'UploadsAccessLogsBucketWithAVeryLongConstructPath0123ABCD', 63);
    expect(long).toHaveLength(63);
    expect(long).toMatch(/^[a-z0-9-]+-0123abcd$/);
    expect(generatedName('Tidewatch-local', 'Uploads8C9D0E1F', 63)).toBe(generatedName('Tidewatch-local', 'Uploads8C9D0E1F', 63));
  });
});

describe('reading the stack for the local cloud', () => {
  const local = readLocalStack({ stackName: 'Tidewatch-local', template: TEMPLATE }, ENDPOINTS, '/project');

  it('resolves the outputs, API and download URLs on local HTTP ports, conditional ones only when true', () => {
    expect(local.outputs).toEqual({
      ApiUrl: 'http://127.0.0.1:3000/',
      DownloadUrl: 'http://127.0.0.1:3001/',
      QueueUrl: 'http://127.0.0.1:4566/000000000000/tidewatch-local-filesqueue-4e5f6a7b',
    });
  });

  it('plans queues with SQS attributes, CloudFormation-form notifications and tables', () => {
    const files = local.storage.queues.find((queue) => queue.logicalId === 'FilesQueue4E5F6A7B');
    expect(files?.attributes).toEqual({
      VisibilityTimeout: '360',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:tidewatch-local-filesdlq-0a1b2c3d', maxReceiveCount: 3 }),
    });
    expect(local.storage.queues.map((queue) => queue.name)).not.toContain('tidewatch-local-onlyinaws');
    expect(local.storage.notifications).toHaveLength(2);
    expect(local.storage.notifications[0]).toEqual(
      {
        id: 'tidewatch-local-uploads-8c9d0e1f-sqs-0',
        bucket: 'tidewatch-local-uploads-8c9d0e1f',
        events: ['s3:ObjectCreated:*'],
        prefix: 'uploads/',
        suffix: undefined,
        destination: { service: 'sqs', arn: files?.arn },
      },
    );
    expect(local.storage.tables[0].createTable).toMatchObject({ TableName: 'tidewatch-local-status', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5 } });
  });

  it('resolves each project function environment and skips CDK-internal functions', () => {
    expect(local.compute.functions).toEqual([
      {
        logicalId: 'Worker',
        name: 'tidewatch-local-worker',
        entry: '/project/handlers/job-worker/index.ts',
        handler: 'handler',
        environment: {
          QUEUE_URL: 'http://127.0.0.1:4566/000000000000/tidewatch-local-filesqueue-4e5f6a7b',
          BATCH: '7',
          MODE: 'local',
          HOST: '127.0.0.1:3000',
          ROLE: 'arn:aws:iam::000000000000:role/tidewatch-local-role|aws|${Literal}',
        },
        timeoutSeconds: 3,
        memoryMiB: 128,
      },
    ]);
  });

  it('reports what matters but is not emulated, and ignores what only matters in AWS', () => {
    expect(local.unsupported.map(({ logicalId, reason }) => `${logicalId}: ${reason}`).sort()).toEqual([
      'Firehose: AWS::KinesisFirehose::DeliveryStream is not emulated by the local cloud',
      'Uploads8C9D0E1F: S3 events s3:ObjectRemoved:* are not emulated (only s3:ObjectCreated:*)',
      'Uploads8C9D0E1F: S3 notifications to Lambda functions are not emulated',
      'Uploads8C9D0E1F: bucket versioning is not emulated: objects get no versionId',
    ]);
  });
});
