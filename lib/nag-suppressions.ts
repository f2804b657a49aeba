/**
 * Every cdk-nag (AwsSolutions) finding Tidewatch accepts, each on the narrowest construct and with the
 * reason it is accepted. Anything not listed here fails `cdk synth` and the cdk-nag test.
 */
import { Validations, type CfnElement, type Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { InstrumentedFunction } from './instrumented-function';
import { PROCESSED_PREFIX, UPLOAD_PREFIX } from '../contract/s3-layout';
import type { UploadBucket } from './upload-bucket';
import type { TidewatchStack } from './tidewatch-stack';

/** The id CDK gives its singleton bucket-notifications custom resource handler. */
const BUCKET_NOTIFICATIONS_HANDLER_ID = /^BucketNotificationsHandler/;

export function acknowledgeNagFindings(stack: TidewatchStack): void {
  for (const fn of stack.node.findAll().filter((c): c is InstrumentedFunction => c instanceof InstrumentedFunction)) {
    acknowledge(fn.role, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so they are granted on "*".',
    });
  }

  const uploads = keyPrefixFinding(stack, stack.uploads, UPLOAD_PREFIX);
  const processed = keyPrefixFinding(stack, stack.uploads, PROCESSED_PREFIX);
  acknowledge(stack.uploadApi.presign.role, {
    id: uploads,
    reason: 'Presigned PUTs create objects with generated keys, so PutObject is scoped to the uploads/ key prefix, not to single objects.',
  });
  acknowledge(stack.files.instrumentedWorker.role, {
    id: uploads,
    reason: 'The file worker reads and deletes the uploads it is notified of: keys are only known at run time, so the grant is the uploads/ key prefix.',
  }, {
    id: processed,
    reason: 'The file worker writes each processed file under processed/<fileId>/: the grant is that key prefix only.',
  });

  for (const handler of stack.node.children.filter((c) => BUCKET_NOTIFICATIONS_HANDLER_ID.test(c.node.id))) {
    acknowledge(handler, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "aws-cdk-lib's own bucket-notifications custom resource (runs only during deployment) creates its role with this managed policy; the role is not configurable.",
    });
  }

  acknowledge(stack.httpApi.api, {
    id: 'AwsSolutions-APIG4',
    reason:
      'The seeds define an anonymous API for browser clients without accounts. Exposure is bounded: stage throttling, presigned URLs that expire in minutes and only allow uploads/ with a declared type and size, and job bodies capped in size.',
  });

  acknowledge(stack.delivery.distribution, {
    id: 'AwsSolutions-CFR4',
    reason:
      'The distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the minimum viewer protocol; a TLSv1.2_2021 policy needs a custom domain and ACM certificate, which this stack does not have.',
  }, {
    id: 'AwsSolutions-CFR1',
    reason: 'Processed files are delivered to their users wherever they are; there is no geographic restriction to enforce.',
  }, {
    id: 'AwsSolutions-CFR2',
    reason:
      'The distribution serves only processed/ objects from a private S3 origin with no compute behind it, and answers 404 at the edge for every other path; Shield Standard covers network-level DDoS. A WAF web ACL with rate-based rules is left for when a custom domain and public traffic call for it.',
  });
}

function acknowledge(scope: IConstruct, ...rules: { id: string; reason: string }[]): void {
  Validations.of(scope).acknowledge(...rules);
}

/** The IAM5 finding id cdk-nag reports for a grant on `<bucket ARN>/<prefix>*`. */
function keyPrefixFinding(stack: Stack, uploads: UploadBucket, prefix: string): string {
  const logicalId = stack.getLogicalId(uploads.bucket.node.defaultChild as CfnElement);
  return `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${prefix}*]`;
}
