/**
 * What each template resource is called locally: its physical name, what `Ref` returns and its
 * `Fn::GetAtt` attributes, as CloudFormation would answer them, but pointing at the local cloud.
 */
import { createHash } from 'node:crypto';
import type { CfnResource, CfnTemplate } from './model';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '000000000000';

/** Where the local cloud listens: what local names, URLs and ARNs are built from. */
export interface LocalEndpoints {
  readonly stackName: string;
  /** `http://127.0.0.1:<port>`, the AWS-compatible gateway. */
  readonly gatewayEndpoint: string;
  readonly apiPort: number;
  readonly downloadPort: number;
}

/** Raised for a reference the local cloud cannot answer; the message names it. */
export class UnsupportedTemplateError extends Error {
  override readonly name = 'UnsupportedTemplateError';
}

/** The property that carries an explicit physical name, per type. */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::CompositeAlarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::Events::Rule': 'Name',
  'AWS::Scheduler::Schedule': 'Name',
};

/** Longest generated name per type (AWS limits; buckets also lower-case only). */
const MAX_NAME_LENGTH: Record<string, number> = {
  'AWS::S3::Bucket': 63,
  'AWS::SQS::Queue': 80,
  'AWS::Lambda::Function': 64,
  'AWS::IAM::Role': 64,
};

type Resolve = (value: unknown, where: string) => unknown;

export class ResourceIdentity {
  private readonly names = new Map<string, string>();

  constructor(
    private readonly template: CfnTemplate,
    private readonly endpoints: LocalEndpoints,
    private readonly resolve: Resolve,
  ) {}

  get stackName(): string {
    return this.endpoints.stackName;
  }

  resource(logicalId: string): CfnResource {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new UnsupportedTemplateError(`the template has no resource "${logicalId}"`);
    return resource;
  }

  /** The resource's name: its explicit name property, else `<stack>-<logical id>-<hash>` in lower case. */
  physicalName(logicalId: string): string {
    let name = this.names.get(logicalId);
    if (name === undefined) {
      name = this.computeName(logicalId);
      this.names.set(logicalId, name);
    }
    return name;
  }

  queueUrl(queueName: string): string {
    return `${this.endpoints.gatewayEndpoint}/${LOCAL_ACCOUNT_ID}/${queueName}`;
  }

  queueArn(queueName: string): string {
    return arn('sqs', queueName);
  }

  /** What `{"Ref": logicalId}` returns. */
  ref(logicalId: string): string {
    const { Type } = this.resource(logicalId);
    const name = this.physicalName(logicalId);
    switch (Type) {
      case 'AWS::SQS::Queue':
        return this.queueUrl(name);
      case 'AWS::SNS::Topic':
        return arn('sns', name);
      case 'AWS::SNS::Subscription':
        return `${arn('sns', name)}:${uuidFrom(logicalId)}`;
      case 'AWS::KMS::Key':
        return uuidFrom(logicalId);
      case 'AWS::ApiGatewayV2::Api':
      case 'AWS::CloudFront::Distribution':
        return shortId(logicalId);
      default:
        return name;
    }
  }

  /** What `{"Fn::GetAtt": [logicalId, attribute]}` returns; throws naming both when there is no local value. */
  getAtt(logicalId: string, attribute: string): string {
    const value = this.attributes(logicalId)[attribute];
    if (value === undefined) {
      const { Type } = this.resource(logicalId);
      throw new UnsupportedTemplateError(`Fn::GetAtt ${logicalId}.${attribute} (${Type}) has no local value`);
    }
    return value;
  }

  private attributes(logicalId: string): Record<string, string> {
    const { Type } = this.resource(logicalId);
    const name = this.physicalName(logicalId);
    const id = this.ref(logicalId);
    switch (Type) {
      case 'AWS::SQS::Queue':
        return { Arn: arn('sqs', name), QueueName: name, QueueUrl: this.queueUrl(name) };
      case 'AWS::SNS::Topic':
        return { TopicArn: arn('sns', name), TopicName: name };
      case 'AWS::S3::Bucket':
        return {
          Arn: `arn:aws:s3:::${name}`,
          DomainName: `${name}.s3.amazonaws.com`,
          RegionalDomainName: `${name}.s3.${LOCAL_REGION}.amazonaws.com`,
          DualStackDomainName: `${name}.s3.dualstack.${LOCAL_REGION}.amazonaws.com`,
        };
      case 'AWS::DynamoDB::Table':
        return { Arn: arn('dynamodb', `table/${name}`) };
      case 'AWS::Lambda::Function':
        return { Arn: arn('lambda', `function:${name}`) };
      case 'AWS::IAM::Role':
        return { Arn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${name}`, RoleId: `AROA${shortId(logicalId).toUpperCase()}` };
      case 'AWS::KMS::Key':
        return { Arn: arn('kms', `key/${id}`), KeyId: id };
      case 'AWS::Logs::LogGroup':
        return { Arn: arn('logs', `log-group:${name}:*`) };
      case 'AWS::Events::Rule':
        return { Arn: arn('events', `rule/${name}`) };
      case 'AWS::CloudWatch::Alarm':
      case 'AWS::CloudWatch::CompositeAlarm':
        return { Arn: arn('cloudwatch', `alarm:${name}`) };
      case 'AWS::ApiGatewayV2::Api':
        return { ApiId: id, ApiEndpoint: `http://127.0.0.1:${this.endpoints.apiPort}` };
      case 'AWS::CloudFront::Distribution':
        return { Id: id, DomainName: `127.0.0.1:${this.endpoints.downloadPort}` };
      default:
        return {};
    }
  }

  private computeName(logicalId: string): string {
    const resource = this.resource(logicalId);
    const property = NAME_PROPERTY[resource.Type];
    const explicit = property ? resource.Properties?.[property] : undefined;
    if (explicit !== undefined) {
      const value = this.resolve(explicit, `Resources.${logicalId}.Properties.${property}`);
      if (typeof value !== 'string') throw new UnsupportedTemplateError(`${logicalId}.${property} must resolve to a string`);
      return value;
    }
    const fifo = resource.Type === 'AWS::SQS::Queue' && String(resource.Properties?.FifoQueue) === 'true';
    const maxLength = (MAX_NAME_LENGTH[resource.Type] ?? 128) - (fifo ? 5 : 0);
    return generatedName(this.endpoints.stackName, logicalId, maxLength) + (fifo ? '.fifo' : '');
  }
}

/**
 * `Tidewatch-local` + `FilesQueueDLQ1A2B3C4D` → `tidewatch-local-filesqueuedlq-1a2b3c4d`: readable,
 * deterministic, unique (the CDK hash suffix is kept) and valid for every resource type.
 */
export function generatedName(stackName: string, logicalId: string, maxLength: number): string {
  const match = /^(.+?)([0-9A-F]{8})$/.exec(logicalId);
  const [base, hash] = match ? [match[1], match[2]] : [logicalId, ''];
  const clean = (text: string) => text.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  const suffix = hash ? `-${hash.toLowerCase()}` : '';
  const head = `${clean(stackName)}-${clean(base)}`.slice(0, maxLength - suffix.length).replace(/-+$/, '');
  return head + suffix;
}

function arn(service: string, resource: string): string {
  return `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${resource}`;
}

function shortId(logicalId: string): string {
  return createHash('sha256').update(logicalId).digest('hex').slice(0, 10);
}

function uuidFrom(logicalId: string): string {
  const hex = createHash('sha256').update(logicalId).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
