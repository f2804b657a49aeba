/**
 * Delivery: CloudFront with origin access control serves `processed/*` and the web console `site/*`
 * over HTTPS with security headers and optimized caching. Nothing else is served, enforced twice: the
 * default behavior answers from a CloudFront Function before reaching S3 (the root redirects to the
 * console, any other path is 404), and the bucket policy denies CloudFront any object outside
 * `processed/` and `site/`. The bucket itself stays private.
 */
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CONSOLE_INDEX_PATH, CONSOLE_PREFIX } from '../contract/console-config';
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

/** The key prefixes the distribution serves; every other key stays unreachable through it. */
export const SERVED_PREFIXES = [PROCESSED_PREFIX, CONSOLE_PREFIX] as const;

/** Viewer-request function of the default behavior: the root goes to the console, any other path is not found. */
const DEFAULT_BEHAVIOR_FUNCTION = `function handler(event) {
  if (event.request.uri === '/') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '${CONSOLE_INDEX_PATH}' } } };
  }
  return { statusCode: 404, statusDescription: 'Not Found' };
}`;

export class Delivery extends Construct {
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: DeliveryProps) {
    super(scope, id);
    // Adds the bucket policy statement that lets this distribution (AWS:SourceArn) read objects.
    const origin = S3BucketOrigin.withOriginAccessControl(props.bucket);
    const notFound = new cloudfront.Function(this, 'NotFound', {
      code: cloudfront.FunctionCode.fromInline(DEFAULT_BEHAVIOR_FUNCTION),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Tidewatch: only processed/ and site/ are served',
    });
    const common = {
      origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Tidewatch processed files and console',
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
      additionalBehaviors: Object.fromEntries(
        SERVED_PREFIXES.map((prefix) => [`${prefix}*`, { ...common, cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED, compress: true }]),
      ),
    });

    // Defense in depth: even a misrouted behavior cannot read uploads or anything else.
    props.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyCloudFrontOutsideServedPrefixes',
        effect: iam.Effect.DENY,
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        notResources: SERVED_PREFIXES.map((prefix) => props.bucket.arnForObjects(`${prefix}*`)),
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
          'The distribution serves only processed/ objects and the static console under site/ from a private S3 origin with no compute behind it, and answers 404 at the edge for every other path; Shield Standard covers network-level DDoS. A WAF web ACL with rate-based rules is left for when a custom domain and public traffic call for it.',
      },
    );
  }

  /** `https://<domain>/`, the base of every download URL. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}/`;
  }
}
