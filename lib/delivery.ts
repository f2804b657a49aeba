/**
 * Delivery: CloudFront with origin access control serves `processed/*` over HTTPS with security
 * headers and optimized caching. Nothing else is served, enforced twice: the default behavior answers
 * 404 from a CloudFront Function before reaching S3, and the bucket policy denies CloudFront any
 * object outside `processed/`. The bucket itself stays private.
 */
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PROCESSED_PREFIX } from '../contract/s3-layout';
import { acknowledge } from './nag';

export interface DeliveryProps {
  /** The private bucket holding `processed/`. */
  readonly bucket: s3.Bucket;
  /** Where CloudFront writes its standard access logs (prefix `cloudfront/`). */
  readonly logBucket: s3.IBucket;
  /** Which edge locations serve. @default cloudfront.PriceClass.PRICE_CLASS_100 */
  readonly priceClass?: cloudfront.PriceClass;
}

/** Viewer-request function of the default behavior: any path outside `processed/` is not found. */
const NOT_FOUND_FUNCTION = `function handler(event) {
  return { statusCode: 404, statusDescription: 'Not Found' };
}`;

export class Delivery extends Construct {
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: DeliveryProps) {
    super(scope, id);
    // Adds the bucket policy statement that lets this distribution (AWS:SourceArn) read objects.
    const origin = S3BucketOrigin.withOriginAccessControl(props.bucket);
    const notFound = new cloudfront.Function(this, 'NotFound', {
      code: cloudfront.FunctionCode.fromInline(NOT_FOUND_FUNCTION),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Tidewatch: only processed/ is served',
    });
    const common = {
      origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Tidewatch processed files',
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        ...common,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        functionAssociations: [{ function: notFound, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        [`${PROCESSED_PREFIX}*`]: { ...common, cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED, compress: true },
      },
    });

    // Defense in depth: even a misrouted behavior cannot read uploads or anything else.
    props.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyCloudFrontOutsideProcessed',
        effect: iam.Effect.DENY,
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        notResources: [props.bucket.arnForObjects(`${PROCESSED_PREFIX}*`)],
      }),
    );
    acknowledge(
      this.distribution,
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the minimum viewer protocol; a TLSv1.2_2021 policy needs a custom domain and ACM certificate, which this stack does not have.',
      },
      { id: 'AwsSolutions-CFR1', reason: 'Processed files are delivered to their users wherever they are; there is no geographic restriction to enforce.' },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The distribution serves only processed/ objects from a private S3 origin with no compute behind it, and answers 404 at the edge for every other path; Shield Standard covers network-level DDoS. A WAF web ACL with rate-based rules is left for when a custom domain and public traffic call for it.',
      },
    );
  }

  /** `https://<domain>/`, the base of every download URL. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}/`;
  }
}
