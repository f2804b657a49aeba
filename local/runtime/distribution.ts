/**
 * What the local CloudFront serves, read from the template's distribution: the bucket behind its S3
 * origin and the path patterns of its cache behaviors (`processed/*`). The default behavior's
 * viewer-request function answers 404 for everything else (lib/delivery.ts); it is not run locally.
 */
import type { CfnTemplate } from '../template/model';

export interface LocalDistribution {
  /** Logical id of the origin's bucket. */
  readonly bucketLogicalId: string;
  /** Key prefixes served, from path patterns such as `processed/*`. */
  readonly servedPrefixes: readonly string[];
}

interface DistributionConfig {
  readonly Origins?: readonly { readonly DomainName?: unknown }[];
  readonly CacheBehaviors?: readonly { readonly PathPattern?: string }[];
}

export class UnsupportedDistributionError extends Error {
  override readonly name = 'UnsupportedDistributionError';
}

/** The template's one distribution, or undefined when it has none. */
export function readDistribution(template: CfnTemplate): LocalDistribution | undefined {
  const distributions = Object.entries(template.Resources).filter(([, resource]) => resource.Type === 'AWS::CloudFront::Distribution');
  if (distributions.length === 0) return undefined;
  if (distributions.length > 1) throw new UnsupportedDistributionError('the local cloud serves one CloudFront distribution; the template has several');
  const [logicalId, resource] = distributions[0] as [string, { Properties?: Record<string, unknown> }];
  const config = (resource.Properties?.DistributionConfig ?? {}) as DistributionConfig;
  const bucketLogicalId = config.Origins?.map((origin) => bucketOf(origin.DomainName)).find((id) => id !== undefined);
  if (!bucketLogicalId) throw new UnsupportedDistributionError(`distribution ${logicalId}: the local cloud serves S3 bucket origins only`);
  const servedPrefixes = (config.CacheBehaviors ?? []).map((behavior) => behavior.PathPattern ?? '').map((pattern) => {
    if (!/^[^*?]*\*$/.test(pattern)) throw new UnsupportedDistributionError(`distribution ${logicalId}: path pattern ${JSON.stringify(pattern)} is not a "prefix/*" pattern`);
    return pattern.slice(0, -1);
  });
  return { bucketLogicalId, servedPrefixes };
}

/** The bucket named by an origin domain `{"Fn::GetAtt": [bucket, "RegionalDomainName" | "DomainName"]}`. */
function bucketOf(domainName: unknown): string | undefined {
  const getAtt = (domainName as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
  return getAtt && /DomainName$/.test(getAtt[1]) ? getAtt[0] : undefined;
}
