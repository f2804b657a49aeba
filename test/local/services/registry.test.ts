/**
 * The service registry behind the one endpoint: every service's requests reach it by its own routes
 * (target prefix, signing name, unsigned query action, REST operation), a service plugged in later is
 * routed the same way, and whatever is not registered or not supported answers UnsupportedOperation.
 */
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { ListTopicsCommand } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundRequest, LocalService, Route } from '../../../local/services/local-service';
import { FIXTURE_STACK_NAME } from './fixture-stack';
import { startHarness, TEST_CREDENTIALS, type Harness } from './harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness?.stop());

/** A service that answers every call with what the registry handed it. */
function echoService(name: string, routes: LocalService['routes'], supports: readonly string[]): LocalService & { readonly calls: Route[] } {
  const calls: Route[] = [];
  return {
    name,
    routes,
    supports,
    calls,
    async handle(_request: InboundRequest, route: Route) {
      calls.push(route);
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: route.action, pathParameters: route.pathParameters ?? null }) };
    },
  };
}

const signedFor = (service: string) => ({ authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0` });

async function unsignedQuery(action: string): Promise<Response> {
  return fetch(harness.services.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `Action=${action}&Version=2011-06-15` });
}

describe('the emulated services', () => {
  it('are registered by name', () => {
    expect(harness.services.serviceNames).toEqual(['SQS', 'SNS', 'STS', 'S3', 'DynamoDB', 'CloudFormation']);
  });

  it('each get their SDK requests: by target prefix (SQS, DynamoDB), signing name (SNS, CloudFormation) and the REST fallback (S3)', async () => {
    const { QueueUrls = [] } = await harness.sqs.send(new ListQueuesCommand({}));
    expect(QueueUrls).toContain(harness.services.outputs.WorkQueueUrl);
    const { Topics = [] } = await harness.sns.send(new ListTopicsCommand({}));
    expect(Topics.map((topic) => topic.TopicArn)).toContain(harness.services.outputs.TopicArn);
    const { Buckets = [] } = await harness.s3.send(new ListBucketsCommand({}));
    expect(Buckets.map((bucket) => bucket.Name)).toContain(harness.services.outputs.BucketName);
    const { TableNames = [] } = await harness.dynamodb.send(new ListTablesCommand({}));
    expect(TableNames).toContain(harness.services.outputs.StatusTableName);
    const { Stacks = [] } = await harness.cloudFormation.send(new DescribeStacksCommand({}));
    expect(Stacks.map((stack) => stack.StackName)).toEqual([FIXTURE_STACK_NAME]);
  });

  it('take unsigned query requests by the actions they list (STS, CloudFormation)', async () => {
    const identity = await unsignedQuery('GetCallerIdentity');
    expect([identity.status, await identity.text()]).toEqual([200, expect.stringContaining('<GetCallerIdentityResponse')]);
    const stacks = await unsignedQuery('DescribeStacks');
    expect([stacks.status, await stacks.text()]).toEqual([200, expect.stringContaining(`<StackName>${FIXTURE_STACK_NAME}</StackName>`)]);
  });
});

describe('a service registered later', () => {
  it('is routed by its target prefix, and an action it does not list answers UnsupportedOperation naming it', async () => {
    const service = echoService('Fake', { signingName: 'fake', protocol: 'json', targetPrefix: 'Fake_20240101' }, ['Ping']);
    const unregister = harness.services.register(service);
    const call = (action: string) =>
      fetch(harness.services.endpoint, { method: 'POST', headers: { ...signedFor('fake'), 'x-amz-target': `Fake_20240101.${action}`, 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
    try {
      expect(harness.services.serviceNames).toContain('Fake');
      expect(await (await call('Ping')).json()).toEqual({ action: 'Ping', pathParameters: null });
      const unsupported = await call('Pong');
      expect([unsupported.status, unsupported.headers.get('x-amzn-errortype')]).toEqual([400, 'UnsupportedOperation']);
      expect(((await unsupported.json()) as { message: string }).message).toBe('Fake Pong is not supported by the Tidewatch local cloud');
      expect(service.calls.map((route) => route.action)).toEqual(['Ping']);
    } finally {
      unregister();
    }
    const gone = await call('Ping');
    expect(((await gone.json()) as { message: string }).message).toBe('fake Ping is not supported by the Tidewatch local cloud');
  });

  it('is routed by its REST operations, signed or unsigned, with the path labels decoded', async () => {
    const service = echoService('Rest', { signingName: 'rest', protocol: 'rest-json', restOperations: [{ action: 'GetThing', method: 'GET', path: '/2020-01-01/things/{ThingName}' }] }, ['GetThing']);
    const unregister = harness.services.register(service);
    try {
      const unsigned = await fetch(`${harness.services.endpoint}/2020-01-01/things/arn%3Athing%3Aone`);
      expect(await unsigned.json()).toEqual({ action: 'GetThing', pathParameters: { ThingName: 'arn:thing:one' } });
      const signed = await fetch(`${harness.services.endpoint}/2020-01-01/things/two/`, { headers: signedFor('rest') });
      expect(await signed.json()).toEqual({ action: 'GetThing', pathParameters: { ThingName: 'two' } });
      // Another path signed for the service is its unsupported operation; unsigned, it is S3's.
      const other = await fetch(`${harness.services.endpoint}/2020-01-01/other`, { headers: signedFor('rest') });
      expect([other.status, other.headers.get('x-amzn-errortype')]).toEqual([400, 'UnsupportedOperation']);
      expect(((await other.json()) as { Message: string }).Message).toBe('Rest GET /2020-01-01/other is not supported by the Tidewatch local cloud');
      expect((await fetch(`${harness.services.endpoint}/2020-01-01/other`)).headers.get('content-type')).toMatch(/xml/);
    } finally {
      unregister();
    }
  });

  it('cannot claim a route another service has', () => {
    expect(() => harness.services.register(echoService('NotSqs', { signingName: 'not-sqs', protocol: 'json', targetPrefix: 'AmazonSQS' }, []))).toThrow(
      "NotSqs cannot be registered: the target prefix AmazonSQS is already SQS's",
    );
    expect(() => harness.services.register(echoService('Bucket', { signingName: 'bucket', protocol: 'rest-xml', restFallback: true }, []))).toThrow(
      "Bucket cannot be registered: the REST fallback is already S3's",
    );
  });
});

describe('a service that is not registered', () => {
  it('answers UnsupportedOperation naming it as AWS does (Lambda without a runtime)', async () => {
    const lambda = new LambdaClient({ endpoint: harness.services.endpoint, region: harness.services.region, credentials: TEST_CREDENTIALS });
    try {
      await expect(lambda.send(new InvokeCommand({ FunctionName: 'anything' }))).rejects.toMatchObject({
        name: 'UnsupportedOperation',
        message: 'Lambda POST /2015-03-31/functions/anything/invocations is not supported by the Tidewatch local cloud',
      });
    } finally {
      lambda.destroy();
    }
  });
});

describe('served requests', () => {
  it('are reported to listeners with service, action and status, failures included', async () => {
    const served: { service: string; action?: string; status: number }[] = [];
    const stopListening = harness.services.onServed(({ service, action, status }) => served.push({ service, action, status }));
    try {
      await harness.dynamodb.send(new ListTablesCommand({}));
      await expect(harness.sqs.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue' }))).rejects.toThrow();
    } finally {
      stopListening();
    }
    await harness.dynamodb.send(new ListTablesCommand({}));
    expect(served).toEqual([
      { service: 'DynamoDB', action: 'ListTables', status: 200 },
      { service: 'SQS', action: 'GetQueueUrl', status: 400 },
    ]);
  });
});
