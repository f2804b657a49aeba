/**
 * The upload bucket: private, versioned, encrypted, TLS-only, with lifecycle rules, server access logs
 * and CORS for browser PUTs to presigned URLs. Its grants are scoped to the two key prefixes of the
 * S3 layout, so no function can touch objects outside its part of the pipeline.
 */
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PROCESSED_PREFIX, UPLOAD_PREFIX } from '../contract/s3-layout';
import { acknowledge, keyPrefixFinding } from './nag';

export interface UploadBucketProps {
  /** Origins allowed to PUT to presigned URLs from a browser. */
  readonly allowedOrigins: readonly string[];
  /** Days an old (noncurrent) object version is kept. */
  readonly noncurrentVersionExpirationDays: number;
  /** Days after which an unfinished multipart upload is aborted. @default 1 */
  readonly abortIncompleteMultipartUploadDays?: number;
  /** Days access logs are kept. @default 90 */
  readonly accessLogExpirationDays?: number;
}

export class UploadBucket extends Construct {
  readonly bucket: s3.Bucket;
  /** Receives the bucket's server access logs (prefix `s3/`) and the CDN's access logs (`cloudfront/`). */
  readonly accessLogBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: UploadBucketProps) {
    super(scope, id);

    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // S3 server access logging only delivers to SSE-S3 buckets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with object ACLs, so this bucket keeps ACLs enabled.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(props.accessLogExpirationDays ?? 90) }],
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 's3/',
      lifecycleRules: [
        {
          id: 'abort-incomplete-multipart-uploads',
          abortIncompleteMultipartUploadAfter: Duration.days(props.abortIncompleteMultipartUploadDays ?? 1),
        },
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionExpirationDays),
        },
      ],
      cors: [
        {
          allowedMethods: [s3.HttpMethods.PUT],
          allowedOrigins: [...props.allowedOrigins],
          // Presigned PUTs sign Content-Type and Content-Length; browsers add their own headers too.
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
    });
  }

  /** PutObject under `uploads/` (the presign function signs URLs with these rights). */
  grantUpload(role: iam.Role): iam.Grant {
    acknowledge(role, {
      id: keyPrefixFinding(this.bucket, UPLOAD_PREFIX),
      reason: 'Presigned PUTs create objects with generated keys, so PutObject is scoped to the uploads/ key prefix, not to single objects.',
    });
    return this.grantObjects(role, UPLOAD_PREFIX, 's3:PutObject');
  }

  /**
   * Read and delete under `uploads/`, write under `processed/`: what moving a processed file needs.
   * Plus ListBucket on the bucket (key names only, no content): without it S3 answers a read of a
   * vanished object with 403 instead of 404, and the worker would retry a gone upload until the DLQ.
   */
  grantProcess(role: iam.Role): iam.Grant {
    acknowledge(
      role,
      {
        id: keyPrefixFinding(this.bucket, UPLOAD_PREFIX),
        reason: 'The file worker reads and deletes the uploads it is notified of: keys are only known at run time, so the grant is the uploads/ key prefix.',
      },
      {
        id: keyPrefixFinding(this.bucket, PROCESSED_PREFIX),
        reason: 'The file worker writes each processed file under processed/<fileId>/: the grant is that key prefix only.',
      },
    );
    iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:ListBucket'], resourceArns: [this.bucket.bucketArn] });
    this.grantObjects(role, UPLOAD_PREFIX, 's3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject');
    return this.grantObjects(role, PROCESSED_PREFIX, 's3:PutObject');
  }

  private grantObjects(grantee: iam.IGrantable, prefix: string, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.bucket.arnForObjects(`${prefix}*`)] });
  }
}
