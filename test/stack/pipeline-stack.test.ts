/**
 * Stack assertions for the pipeline (issue 2), on one synth with non-default settings so every value
 * is seen to come from config. The fan-out variant is in fan-out.test.ts, cdk-nag in cdk-nag.test.ts.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../contract/env';
import { monitoringCost } from '../../lib/cost/monitoring-cost';
import { monitoringInventory, type TemplateResource } from '../../lib/cost/monitoring-inventory';
import { PROJECT_ROOT } from '../../lib/project';
import { STACK_OUTPUT_KEYS } from '../../contract/outputs';
import { asList, references, resourcesOfType, roleStatements, synthesize, type Json } from './synth';

const CONTEXT = {
  stage: 'test1',
  allowedOrigins: ['https://app.example.com'],
  noncurrentVersionExpirationDays: 45,
  maxReceiveCount: 4,
  retryBackoffBaseSeconds: 7,
  deadLetterRetentionDays: 10,
  presignExpirySeconds: 120,
  maxUploadBytes: 1048576,
  allowedContentTypes: ['text/csv', 'text/plain'],
  maxJobBodyBytes: 1024,
  logLevel: 'DEBUG',
  workQueues: {
    files: { batchSize: 5, maxBatchingWindowSeconds: 2, maxConcurrency: 4, workerTimeoutSeconds: 40, workerMemoryMiB: 1024 },
    jobs: { batchSize: 7, maxBatchingWindowSeconds: 0, maxConcurrency: 3, workerTimeoutSeconds: 20, workerMemoryMiB: 384 },
  },
};

const synth = synthesize(CONTEXT);
afterAll(() => synth.dispose());
const { stack, template, json } = synth;

const { id, arn, ref } = references(stack);
const objects = (prefix: string) => stack.resolve(stack.uploads.bucket.arnForObjects(`${prefix}*`));

const bucket = stack.uploads.bucket;
const functions = {
  presign: stack.uploadApi.presign,
  'file-worker': stack.workQueues.files!.instrumentedWorker,
  'submit-job': stack.jobsApi.submitJob,
  'job-status': stack.jobsApi.jobStatus,
  'file-status': stack.uploadApi.fileStatus,
  'job-worker': stack.workQueues.jobs!.instrumentedWorker,
  redrive: stack.redrive.function,
  review: stack.review.instrumented,
};
type FunctionName = keyof typeof functions;
const fnId = (name: FunctionName) => id(functions[name].function);
const fnProps = (name: FunctionName): Json => json.Resources[fnId(name)].Properties;

/** A role's grants as resource → sorted actions, so merged or split statements compare equal. */
function grants(statements: Json[]): Record<string, string[]> {
  const byResource: Record<string, Set<string>> = {};
  for (const statement of statements) {
    expect(statement.Effect).toBe('Allow');
    for (const resource of asList(statement.Resource)) {
      const key = JSON.stringify(resource);
      byResource[key] ??= new Set();
      for (const action of asList(statement.Action as string | string[])) byResource[key].add(action);
    }
  }
  return Object.fromEntries(Object.entries(byResource).map(([key, actions]) => [key, [...actions].sort()]));
}
const grant = (resource: unknown, ...actions: string[]) => [JSON.stringify(resource), actions.sort()] as const;

describe('upload bucket', () => {
  const props = json.Resources[id(bucket)].Properties;

  it('is private, versioned, encrypted and owner-enforced', () => {
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(props.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(props.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
  });

  it('aborts incomplete multipart uploads and expires noncurrent versions after the configured days', () => {
    expect(props.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
        expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 45 }, Status: 'Enabled' }),
      ]),
    );
  });

  it('writes server access logs to the private, TLS-only log bucket', () => {
    const logBucket = stack.uploads.accessLogBucket;
    expect(props.LoggingConfiguration).toEqual({ DestinationBucketName: ref(logBucket), LogFilePrefix: 's3/' });
    const logProps = json.Resources[id(logBucket)].Properties;
    expect(logProps.PublicAccessBlockConfiguration.RestrictPublicBuckets).toBe(true);
    expect(logProps.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(90);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(logBucket),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' }),
        ]),
      },
    });
  });

  it('allows browser PUTs only from the configured origins', () => {
    expect(props.CorsConfiguration.CorsRules).toEqual([
      expect.objectContaining({ AllowedMethods: ['PUT'], AllowedOrigins: ['https://app.example.com'], ExposedHeaders: ['ETag'] }),
    ]);
  });

  it('denies every request without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(bucket),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('sends ObjectCreated under uploads/ straight to the files queue when fanOut is off', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: ref(bucket),
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } },
            QueueArn: arn(stack.workQueues.files!.queue),
          },
        ],
        TopicConfigurations: Match.absent(),
      },
    });
    // No fan-out topic: the paging and the reports topics are the only ones.
    expect(Object.keys(template.findResources('AWS::SNS::Topic')).sort()).toEqual([id(stack.paging.topic), id(stack.review.topic)].sort());
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [ref(stack.workQueues.files!.queue)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: Match.arrayWith(['sqs:SendMessage']),
            Condition: { ArnLike: { 'aws:SourceArn': arn(bucket) } },
          }),
        ]),
      },
    });
  });
});

describe.each([
  { name: 'files', queue: stack.workQueues.files!, worker: 'file-worker' as const, settings: CONTEXT.workQueues.files },
  { name: 'jobs', queue: stack.workQueues.jobs!, worker: 'job-worker' as const, settings: CONTEXT.workQueues.jobs },
])('$name work queue', ({ queue, worker, settings }) => {
  const queueProps = json.Resources[id(queue.queue)].Properties;
  const dlqProps = json.Resources[id(queue.deadLetterQueue)].Properties;

  it('has a visibility timeout of 6 × the worker timeout', () => {
    expect(fnProps(worker).Timeout).toBe(settings.workerTimeoutSeconds);
    expect(queueProps.VisibilityTimeout).toBe(6 * settings.workerTimeoutSeconds);
  });

  it('moves a message to its DLQ after maxReceiveCount receives and keeps dead letters for the configured days', () => {
    expect(queueProps.RedrivePolicy).toEqual({ deadLetterTargetArn: arn(queue.deadLetterQueue), maxReceiveCount: 4 });
    expect(dlqProps.MessageRetentionPeriod).toBe(10 * 86400);
    // Shorter than the DLQ's, since a moved message keeps its original enqueue time.
    expect(queueProps.MessageRetentionPeriod).toBe(4 * 86400);
  });

  it('encrypts both queues and denies requests without TLS', () => {
    for (const q of [queue.queue, queue.deadLetterQueue]) {
      expect(json.Resources[id(q)].Properties.SqsManagedSseEnabled).toBe(true);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(q)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('feeds the worker in configured batches with partial batch responses', () => {
    const mappings = Object.values(resourcesOfType(json, 'AWS::Lambda::EventSourceMapping')).filter(
      (m) => JSON.stringify(m.Properties.EventSourceArn) === JSON.stringify(arn(queue.queue)),
    );
    expect(mappings).toHaveLength(1);
    expect(mappings[0].Properties).toMatchObject({
      FunctionName: { Ref: fnId(worker) },
      BatchSize: settings.batchSize,
      MaximumBatchingWindowInSeconds: settings.maxBatchingWindowSeconds,
      ScalingConfig: { MaximumConcurrency: settings.maxConcurrency },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('gives the worker its configured memory', () => {
    expect(fnProps(worker).MemorySize).toBe(settings.workerMemoryMiB);
  });
});

describe('functions', () => {
  const projectFunctions = Object.entries(resourcesOfType(json, 'AWS::Lambda::Function')).filter(
    ([, r]) => r.Metadata?.['Tidewatch:Entry'] !== undefined,
  );

  it('are the eight of the contract, each with its entry, handler metadata and source on disk', () => {
    expect(projectFunctions.map(([logical]) => logical).sort()).toEqual(Object.keys(functions).map((n) => fnId(n as FunctionName)).sort());
    for (const [name] of Object.entries(functions)) {
      const metadata = json.Resources[fnId(name as FunctionName)].Metadata;
      expect(metadata['Tidewatch:Entry']).toBe(`handlers/${name}/index.ts`);
      expect(metadata['Tidewatch:Handler']).toBe('handler');
      expect(existsSync(path.join(PROJECT_ROOT, metadata['Tidewatch:Entry']))).toBe(true);
    }
  });

  it.each(Object.keys(functions) as FunctionName[])('%s runs nodejs24.x on arm64 with active tracing and its own log group', (name) => {
    const props = fnProps(name);
    expect(props).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: ref(functions[name].logGroup) },
    });
    expect(json.Resources[id(functions[name].logGroup)].Properties.RetentionInDays).toBe(30);
  });

  it('use no LogRetention custom resource and no AWS managed policy on their roles', () => {
    expect(resourcesOfType(json, 'Custom::LogRetention')).toEqual({});
    for (const fn of Object.values(functions)) {
      expect(json.Resources[id(fn.role)].Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  const common = {
    [ENV.stage]: 'test1',
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
    POWERTOOLS_METRICS_NAMESPACE: 'Tidewatch',
  };
  const statusTable = () => ref(stack.tables.statusTable);
  const idempotencyTable = () => ref(stack.tables.idempotencyTable);
  const expectedEnvironment: Record<FunctionName, () => Record<string, unknown>> = {
    presign: () => ({
      [ENV.bucket]: ref(bucket),
      [ENV.presignExpirySeconds]: '120',
      [ENV.maxUploadBytes]: '1048576',
      [ENV.allowedContentTypes]: 'text/csv,text/plain',
    }),
    'file-worker': () => ({
      [ENV.bucket]: ref(bucket),
      [ENV.statusTable]: statusTable(),
      [ENV.idempotencyTable]: idempotencyTable(),
      [ENV.maxUploadBytes]: '1048576',
      [ENV.workQueue]: 'files',
      [ENV.queueUrl]: ref(stack.workQueues.files!.queue),
      [ENV.idempotencyTtlSeconds]: String(10 * 86400),
      [ENV.maxReceiveCount]: '4',
      [ENV.retryBackoffBaseSeconds]: '7',
    }),
    'submit-job': () => ({
      [ENV.statusTable]: statusTable(),
      [ENV.jobQueueUrls]: { 'Fn::Join': ['', ['{"jobs":"', ref(stack.workQueues.jobs!.queue), '"}']] },
      [ENV.defaultJobQueue]: 'jobs',
      [ENV.maxJobBodyBytes]: '1024',
    }),
    'job-status': () => ({ [ENV.statusTable]: statusTable() }),
    'file-status': () => ({ [ENV.statusTable]: statusTable() }),
    'job-worker': () => ({
      [ENV.statusTable]: statusTable(),
      [ENV.idempotencyTable]: idempotencyTable(),
      [ENV.workQueue]: 'jobs',
      [ENV.queueUrl]: ref(stack.workQueues.jobs!.queue),
      [ENV.idempotencyTtlSeconds]: String(10 * 86400),
      [ENV.maxReceiveCount]: '4',
      [ENV.retryBackoffBaseSeconds]: '7',
    }),
    redrive: () => ({
      [ENV.redriveQueues]: expect.objectContaining({ 'Fn::Join': expect.any(Array) }),
      [ENV.redriveLedgerTable]: ref(stack.redrive.ledger),
      [ENV.statusTable]: statusTable(),
      [ENV.bucket]: ref(bucket),
    }),
    // The sources' JSON is checked field by field in test/stack/review-stack.test.ts.
    review: () => ({
      [ENV.bucket]: ref(bucket),
      [ENV.statusTable]: statusTable(),
      [ENV.reportsTopicArn]: ref(stack.review.topic),
      [ENV.reviewSources]: { 'Fn::Join': expect.any(Array) },
      [ENV.redriveLedgerTable]: ref(stack.redrive.ledger),
      // Priced at synthesis: the same figure as pricing the synthesized template afterwards.
      [ENV.monitoringCost]: ((cost) => JSON.stringify({ monthlyUsd: cost.monthlyUsd, basis: cost.basis }))(monitoringCost(monitoringInventory(Object.values(json.Resources) as TemplateResource[]))),
    }),
  };

  it.each(Object.keys(functions) as FunctionName[])('%s has exactly the environment of the contract', (name) => {
    expect(fnProps(name).Environment.Variables).toEqual({ ...common, ...expectedEnvironment[name]() });
  });
});

describe('least privilege', () => {
  const consume = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'];
  const statusReadWrite = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
  const idempotency = ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
  const expected: Record<FunctionName, () => (readonly [string, string[]])[]> = {
    presign: () => [grant(objects('uploads/'), 's3:PutObject')],
    'file-worker': () => [
      grant(arn(stack.workQueues.files!.queue), ...consume),
      grant(arn(bucket), 's3:ListBucket'),
      grant(objects('uploads/'), 's3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject'),
      grant(objects('processed/'), 's3:PutObject'),
      grant(arn(stack.tables.statusTable), ...statusReadWrite, 'dynamodb:DeleteItem'),
      grant(arn(stack.tables.idempotencyTable), ...idempotency),
    ],
    'submit-job': () => [
      grant(arn(stack.workQueues.jobs!.queue), 'sqs:SendMessage'),
      grant(arn(stack.tables.statusTable), 'dynamodb:PutItem', 'dynamodb:UpdateItem'),
    ],
    'job-status': () => [grant(arn(stack.tables.statusTable), 'dynamodb:GetItem')],
    'file-status': () => [grant(arn(stack.tables.statusTable), 'dynamodb:GetItem')],
    'job-worker': () => [
      grant(arn(stack.workQueues.jobs!.queue), ...consume),
      grant(arn(stack.tables.statusTable), ...statusReadWrite),
      grant(arn(stack.tables.idempotencyTable), ...idempotency),
    ],
    redrive: () => [
      grant(arn(stack.workQueues.files!.queue), 'sqs:SendMessage'),
      grant(arn(stack.workQueues.jobs!.queue), 'sqs:SendMessage'),
      ...(['files', 'jobs'] as const).map((name) =>
        grant(arn(stack.workQueues[name]!.deadLetterQueue), ...consume.filter((action) => action !== 'sqs:GetQueueUrl'), 'sqs:StartMessageMoveTask', 'sqs:ListMessageMoveTasks', 'sqs:CancelMessageMoveTask'),
      ),
      grant(arn(stack.redrive.ledger), 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'),
      grant(arn(stack.tables.statusTable), 'dynamodb:BatchGetItem'),
      grant({ 'Fn::Join': ['', [arn(stack.tables.statusTable), '/index/byStatusAndTime']] }, 'dynamodb:Query'),
      grant(objects('dead-letters/'), 's3:PutObject'),
      grant(arn(stack.redrive.function.function), 'lambda:InvokeFunction'),
    ],
    review: () => [
      // CloudWatch's reads have no resource-level permissions: they join X-Ray's "*".
      grant('*', 'cloudwatch:DescribeAlarmHistory', 'cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'),
      grant({ 'Fn::Join': ['', [arn(stack.tables.statusTable), '/index/byStatusAndTime']] }, 'dynamodb:Query'),
      grant(objects('reports/'), 's3:GetObject', 's3:PutObject'),
      grant(arn(stack.redrive.ledger), 'dynamodb:Query'),
      grant(arn(stack.tables.statusTable), 'dynamodb:BatchGetItem'),
      grant(arn(bucket), 's3:ListBucket'),
      grant(ref(stack.review.topic), 'sns:Publish'),
    ],
  };

  it.each(Object.keys(functions) as FunctionName[])('%s gets exactly its own actions on its own resources', (name) => {
    expect(grants(roleStatements(json, fnId(name)))).toEqual(
      Object.fromEntries([
        grant(arn(functions[name].logGroup), 'logs:CreateLogStream', 'logs:PutLogEvents'),
        // X-Ray has no resource-level permissions (acknowledged in nag-suppressions.ts).
        grant('*', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'),
        ...expected[name](),
      ]),
    );
  });

  it('has no wildcard action in any IAM policy of the stack', () => {
    const actions = Object.values(resourcesOfType(json, 'AWS::IAM::Policy')).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as Json[]).flatMap((s) => asList(s.Action as string | string[])),
    );
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });
});

describe('HTTP API', () => {
  it('allows CORS from the configured origins', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: { AllowOrigins: ['https://app.example.com'], AllowMethods: Match.arrayWith(['GET', 'POST']) },
    });
  });

  it.each([
    ['POST /presign', 'presign'],
    ['POST /jobs', 'submit-job'],
    ['GET /jobs/{id}', 'job-status'],
    ['GET /files/{id}', 'file-status'],
  ] as const)('routes %s to %s with payload format 2.0', (routeKey, name) => {
    const routes = Object.values(resourcesOfType(json, 'AWS::ApiGatewayV2::Route')).filter((r) => r.Properties.RouteKey === routeKey);
    expect(routes).toHaveLength(1);
    const integrationId = (routes[0].Properties.Target['Fn::Join'][1] as unknown[])[1] as Json;
    const integration = json.Resources[integrationId.Ref].Properties;
    expect(integration).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0', IntegrationUri: arn(functions[name].function) });
  });

  // No GET /items: this stage's API is anonymous (test/stack/api-auth.test.ts has the other modes).
  it('has only the four routes', () => {
    expect(Object.values(resourcesOfType(json, 'AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey).sort()).toEqual([
      'GET /files/{id}',
      'GET /jobs/{id}',
      'POST /jobs',
      'POST /presign',
    ]);
  });

  it('logs every request of the $default stage as JSON and throttles it', () => {
    const stage = Object.values(resourcesOfType(json, 'AWS::ApiGatewayV2::Stage'));
    expect(stage).toHaveLength(1);
    expect(stage[0].Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: arn(stack.httpApi.accessLogGroup) },
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    const format = JSON.parse(stage[0].Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
  });
});

describe('delivery', () => {
  const distribution = json.Resources[id(stack.delivery.distribution)].Properties.DistributionConfig;
  const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
  const SECURITY_HEADERS = '67f7725c-6f97-4210-82d7-5512b31e9d03';

  it('reaches the private bucket through origin access control only', () => {
    expect(distribution.Origins).toHaveLength(1);
    const [origin] = distribution.Origins;
    expect(origin.DomainName).toEqual({ 'Fn::GetAtt': [id(bucket), 'RegionalDomainName'] });
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    const oacId = origin.OriginAccessControlId['Fn::GetAtt'][0];
    expect(json.Resources[oacId].Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
  });

  it('serves processed/* and the console site/* over HTTPS with security headers and optimized caching', () => {
    expect(distribution.CacheBehaviors).toEqual(
      ['processed/*', 'site/*'].map((PathPattern) =>
        expect.objectContaining({
          PathPattern,
          ViewerProtocolPolicy: 'https-only',
          AllowedMethods: ['GET', 'HEAD'],
          CachePolicyId: CACHING_OPTIMIZED,
          ResponseHeadersPolicyId: SECURITY_HEADERS,
        }),
      ),
    );
  });

  it('answers 404 at the edge for every path outside processed/ and site/, and sends the root to the console', () => {
    const defaults = distribution.DefaultCacheBehavior;
    expect(defaults.ViewerProtocolPolicy).toBe('https-only');
    expect(defaults.FunctionAssociations).toHaveLength(1);
    expect(defaults.FunctionAssociations[0].EventType).toBe('viewer-request');
    const functionId = defaults.FunctionAssociations[0].FunctionARN['Fn::GetAtt'][0];
    const code = json.Resources[functionId].Properties.FunctionCode as string;
    // Runs the CloudFront Function's own code (plain JavaScript) on viewer requests.
    const handler = new Function(`${code}; return handler;`)() as (event: Json) => Json;
    for (const uri of ['/uploads/0f8e/data.csv', '/index.html', '/processed', '/site', '/reports/2030-W01.html']) {
      expect(handler({ request: { uri, method: 'GET' } })).toEqual({ statusCode: 404, statusDescription: 'Not Found' });
    }
    expect(handler({ request: { uri: '/', method: 'GET' } })).toEqual({ statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/site/index.html' } } });
  });

  it('lets CloudFront read objects but denies it anything outside processed/ and site/', () => {
    const statements = Object.values(resourcesOfType(json, 'AWS::S3::BucketPolicy'))
      .filter((p) => p.Properties.Bucket.Ref === id(bucket))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[])
      .filter((s) => s.Principal?.Service === 'cloudfront.amazonaws.com');
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Allow',
          Action: 's3:GetObject',
          Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
        }),
        expect.objectContaining({ Effect: 'Deny', Action: 's3:GetObject', NotResource: [objects('processed/'), objects('site/')] }),
      ]),
    );
    expect(statements).toHaveLength(2);
  });

  it('logs to the access log bucket', () => {
    expect(distribution.Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [id(stack.uploads.accessLogBucket), 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
  });
});

describe('tables', () => {
  it.each([
    ['status', () => stack.tables.statusTable, undefined],
    ['idempotency', () => stack.tables.idempotencyTable, { AttributeName: 'expiration', Enabled: true }],
  ] as const)('%s table: id (S) key, on-demand, encrypted, point-in-time recovery', (_name, table, ttl) => {
    const props = json.Resources[id(table())].Properties;
    expect(props).toMatchObject({
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: expect.arrayContaining([{ AttributeName: 'id', AttributeType: 'S' }]),
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    expect(props.TimeToLiveSpecification).toEqual(ttl);
  });

  it('status table: listed by queue and by status, newest first, without payloads (queries, not scans)', () => {
    const props = json.Resources[id(stack.tables.statusTable)].Properties;
    const indexes: Record<string, Json> = Object.fromEntries((props.GlobalSecondaryIndexes as Json[]).map((index) => [index.IndexName, index]));
    expect(Object.keys(indexes).sort()).toEqual(['byQueueAndTime', 'byStatusAndTime']);
    expect(indexes.byQueueAndTime!.KeySchema).toEqual([{ AttributeName: 'queue', KeyType: 'HASH' }, { AttributeName: 'updatedAt', KeyType: 'RANGE' }]);
    expect(indexes.byStatusAndTime!.KeySchema).toEqual([{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'updatedAt', KeyType: 'RANGE' }]);
    for (const index of Object.values(indexes)) {
      expect(index.Projection.ProjectionType).toBe('INCLUDE');
      expect(index.Projection.NonKeyAttributes).toEqual(expect.arrayContaining(['kind', 'lastError', 'fileName', 'rowCount']));
      expect(index.Projection.NonKeyAttributes).not.toContain('payload');
      expect(index.Projection.NonKeyAttributes).not.toContain('result');
    }
    expect(props.AttributeDefinitions).toEqual(expect.arrayContaining([{ AttributeName: 'queue', AttributeType: 'S' }, { AttributeName: 'status', AttributeType: 'S' }]));
  });
});

describe('outputs', () => {
  it('are named Tidewatch-<stage>', () => {
    expect(stack.stackName).toBe('Tidewatch-test1');
  });

  it('have exactly the keys the CLI and the local cloud read', () => {
    const perQueue = ['FilesQueueUrl', 'FilesDeadLetterQueueUrl', 'JobsQueueUrl', 'JobsDeadLetterQueueUrl'];
    expect(Object.keys(json.Outputs).sort()).toEqual([...STACK_OUTPUT_KEYS, ...perQueue].sort());
    expect(json.Outputs.WorkQueueNames.Value).toBe('files,jobs');
  });

  it('point at the right resources', () => {
    expect(json.Outputs.BucketName.Value).toEqual(ref(bucket));
    expect(json.Outputs.FilesQueueUrl.Value).toEqual(ref(stack.workQueues.files!.queue));
    expect(json.Outputs.FilesDeadLetterQueueUrl.Value).toEqual(ref(stack.workQueues.files!.deadLetterQueue));
    expect(json.Outputs.JobsQueueUrl.Value).toEqual(ref(stack.workQueues.jobs!.queue));
    expect(json.Outputs.JobsDeadLetterQueueUrl.Value).toEqual(ref(stack.workQueues.jobs!.deadLetterQueue));
    expect(json.Outputs.StatusTableName.Value).toEqual(ref(stack.tables.statusTable));
  });

  it.each(['ApiUrl', 'DownloadUrl'])('%s is an https base URL ending in /', (key) => {
    const parts = json.Outputs[key].Value['Fn::Join'][1] as unknown[];
    expect(parts[0]).toBe('https://');
    expect(parts.at(-1)).toBe('/');
  });
});
