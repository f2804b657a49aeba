/**
 * The web console in the bucket: the static files of `site/` and its runtime `config.js` (the API's URL,
 * its auth mode, whether `GET /items` exists, rendered at deploy time), each written under `site/` by one
 * PutObject of a CDK AwsCustomResource, then one invalidation of the distribution's cached copies. Single
 * calls rather than CDK's BucketDeployment, whose role takes wildcard S3 actions: this one may only put
 * objects under `site/` and invalidate this distribution. The local cloud runs the same calls from the
 * template.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId, type AwsSdkCall } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { listsAllItems } from '../contract/api-access';
import { CONSOLE_CONFIG_KEY, CONSOLE_PREFIX, renderConsoleConfig } from '../contract/console-config';
import type { TidewatchConfig } from './config';
import { PROJECT_ROOT } from './project';
import { acknowledge } from './nag';

/** The console's static files in the project. */
export const CONSOLE_SOURCE_DIR = path.join(PROJECT_ROOT, 'site');

/** Content types of the console's files, by extension. */
export const CONSOLE_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface ConsoleSiteProps {
  readonly bucket: s3.IBucket;
  readonly distribution: cloudfront.IDistribution;
  /** The API's base URL, ending in `/`. */
  readonly apiUrl: string;
  readonly config: Pick<TidewatchConfig, 'stage' | 'apiAuth'>;
}

export class ConsoleSite extends Construct {
  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    const { config, bucket } = props;
    const files = readdirSync(CONSOLE_SOURCE_DIR)
      .filter((name) => name !== path.basename(CONSOLE_CONFIG_KEY))
      .sort()
      .map((name) => ({ key: `${CONSOLE_PREFIX}${name}`, body: readFileSync(path.join(CONSOLE_SOURCE_DIR, name), 'utf8') }));
    const runtimeConfig = renderConsoleConfig({
      apiUrl: props.apiUrl,
      // The console cannot sign SigV4 requests: with iam it stays anonymous, and the API refuses it.
      apiAuth: config.apiAuth === 'jwt' ? 'jwt' : 'none',
      listsItems: listsAllItems(config.stage, config.apiAuth),
    });
    const puts = [...files, { key: CONSOLE_CONFIG_KEY, body: runtimeConfig }].map(({ key, body }) =>
      this.call(`Put${path.basename(key).replace(/[^A-Za-z0-9]/g, '')}`, {
        service: 'S3',
        action: 'putObject',
        parameters: { Bucket: bucket.bucketName, Key: key, Body: body, ContentType: contentTypeOf(key), CacheControl: 'no-cache' },
        physicalResourceId: PhysicalResourceId.of(key),
      }, [new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects(key)] })]),
    );
    // A new caller reference whenever a file changes: CloudFront runs an invalidation once per reference.
    const version = createHash('sha256').update(JSON.stringify(files)).update(JSON.stringify(Stack.of(this).resolve(runtimeConfig))).digest('hex').slice(0, 32);
    const invalidation = this.call('Invalidate', {
      service: 'CloudFront',
      action: 'createInvalidation',
      parameters: {
        DistributionId: props.distribution.distributionId,
        InvalidationBatch: { CallerReference: version, Paths: { Quantity: 1, Items: [`/${CONSOLE_PREFIX}*`] } },
      },
      physicalResourceId: PhysicalResourceId.of(version),
    }, [new iam.PolicyStatement({ actions: ['cloudfront:CreateInvalidation'], resources: [props.distribution.distributionArn] })]);
    for (const put of puts) invalidation.node.addDependency(put);
    acknowledgeCallHandler(Stack.of(this));
  }

  /** One SDK call on create and on every update (the file's content or the API's URL changed). */
  private call(id: string, call: AwsSdkCall, statements: iam.PolicyStatement[]): AwsCustomResource {
    return new AwsCustomResource(this, id, { onUpdate: call, policy: AwsCustomResourcePolicy.fromStatements(statements), installLatestAwsSdk: false });
  }
}

export function contentTypeOf(key: string): string {
  return CONSOLE_CONTENT_TYPES[path.extname(key)] ?? 'application/octet-stream';
}

/** The id CDK gives its singleton AwsCustomResource handler (a child of the stack). */
const CALL_HANDLER_ID = /^AWS[0-9a-f]{32}$/;

function acknowledgeCallHandler(stack: Stack): void {
  for (const handler of stack.node.children.filter((child) => CALL_HANDLER_ID.test(child.node.id))) {
    acknowledge(handler, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "aws-cdk-lib's own AwsCustomResource handler (runs only during deployment) creates its role with this managed policy; the role is not configurable.",
    });
  }
}
