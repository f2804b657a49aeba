/**
 * The template's single SDK calls made at deployment (`Custom::AWS`, CDK's AwsCustomResource), run
 * against the local services when the cloud starts, as CloudFormation runs them on create: how the
 * console's files and its generated `config.js` reach the bucket (lib/console-site.ts). S3 PutObject is
 * run; a CloudFront invalidation has nothing to do locally (the local CloudFront caches nothing); any
 * other call is refused by name, never skipped.
 */
import { PutObjectCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import type { LocalServices } from '../template/model';

interface SdkCall {
  readonly service: string;
  readonly action: string;
  readonly parameters?: Record<string, unknown>;
}

export class UnsupportedDeploymentCallError extends Error {
  override readonly name = 'UnsupportedDeploymentCallError';
}

export async function runDeploymentCalls(services: Pick<LocalServices, 'template' | 'resolve'>, s3: S3Client): Promise<void> {
  // In template order: CDK orders a call after those it depends on.
  for (const [logicalId, resource] of Object.entries(services.template.Resources)) {
    if (resource.Type !== 'Custom::AWS') continue;
    const properties = (resource as { Properties?: Record<string, unknown> }).Properties ?? {};
    const call = JSON.parse(String(services.resolve(properties.Create ?? properties.Update))) as SdkCall;
    const name = `${call.service}.${call.action}`.toLowerCase();
    if (name === 's3.putobject') await s3.send(new PutObjectCommand(call.parameters as unknown as PutObjectCommandInput));
    else if (name !== 'cloudfront.createinvalidation') throw new UnsupportedDeploymentCallError(`${logicalId}: the local cloud does not run the deployment call ${call.service}.${call.action}`);
  }
}
