/**
 * Acknowledging a cdk-nag (AwsSolutions) finding: each construct acknowledges its own, on the narrowest
 * scope and with the reason it is accepted. Anything not acknowledged fails `cdk synth` and the cdk-nag test.
 */
import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

export interface NagAcknowledgement {
  /** The finding's id, e.g. `AwsSolutions-APIG4` or `AwsSolutions-IAM5[Resource::*]`. */
  readonly id: string;
  readonly reason: string;
}

export function acknowledge(scope: IConstruct, ...rules: NagAcknowledgement[]): void {
  Validations.of(scope).acknowledge(...rules);
}

/** The IAM5 finding id cdk-nag reports for a grant on `<bucket ARN>/<prefix>*`. */
export function keyPrefixFinding(bucket: s3.Bucket, prefix: string): string {
  const logicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnElement);
  return `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${prefix}*]`;
}
