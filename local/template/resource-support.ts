/**
 * Which template resource types the local cloud emulates, which it ignores knowingly (they only
 * matter in AWS: permissions, encryption keys, log groups, CDK bookkeeping) and which it cannot
 * emulate although they change behaviour: those are reported, never silently dropped.
 */
import type { CfnResource, UnsupportedResource } from './model';

/** Types the storage and compute plans turn into local resources (dashboards: the runtime's /dashboard). */
const EMULATED = new Set([
  'AWS::SQS::Queue',
  'AWS::SNS::Topic',
  'AWS::SNS::Subscription',
  'AWS::S3::Bucket',
  'AWS::DynamoDB::Table',
  'AWS::Lambda::Function',
  'AWS::Lambda::EventSourceMapping',
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Stage',
  'AWS::CloudFront::Distribution',
  'AWS::CloudWatch::Dashboard',
  'AWS::Events::Rule',
  'AWS::Scheduler::Schedule',
  'Custom::S3BucketNotifications',
  // Run when the cloud starts (local/runtime/deployment-calls.ts).
  'Custom::AWS',
]);

/** Types that only matter in AWS, with why ignoring them changes nothing locally. */
const IGNORED_PREFIXES: readonly [string, string][] = [
  ['AWS::IAM::', 'permissions are not enforced locally'],
  ['AWS::KMS::', 'data is not encrypted locally'],
  ['AWS::Logs::', 'function logs go to the console and .tidewatch/logs'],
  ['AWS::CDK::Metadata', 'CDK bookkeeping'],
  ['AWS::SQS::QueuePolicy', 'resource policies are not enforced locally'],
  ['AWS::SNS::TopicPolicy', 'resource policies are not enforced locally'],
  ['AWS::S3::BucketPolicy', 'resource policies are not enforced locally'],
  ['AWS::Lambda::Permission', 'invoke permissions are not enforced locally'],
  ['AWS::CloudFront::', 'the local CloudFront serves the distribution'],
  ['Custom::S3AutoDeleteObjects', 'local buckets vanish with the local cloud'],
  ['Custom::LogRetention', 'log retention is an AWS setting'],
];

export type Support = { readonly kind: 'emulated' } | { readonly kind: 'ignored' | 'unsupported'; readonly reason: string };

export function supportOf(resource: CfnResource): Support {
  if (resource.Type === 'AWS::Lambda::Function' && resource.Metadata?.['Tidewatch:Entry'] === undefined) {
    return { kind: 'ignored', reason: 'a CDK-internal function (no Tidewatch:Entry metadata) is not run locally' };
  }
  if (EMULATED.has(resource.Type)) return { kind: 'emulated' };
  const ignored = IGNORED_PREFIXES.find(([prefix]) => resource.Type.startsWith(prefix));
  if (ignored) return { kind: 'ignored', reason: ignored[1] };
  if (isAlarmType(resource.Type)) return { kind: 'unsupported', reason: 'alarms are not evaluated: no local CloudWatch is plugged in' };
  return { kind: 'unsupported', reason: `${resource.Type} is not emulated by the local cloud` };
}

/** Alarms: emulated only once a CloudWatch handler is plugged into the gateway. */
export function isAlarmType(type: string): boolean {
  return type === 'AWS::CloudWatch::Alarm' || type === 'AWS::CloudWatch::CompositeAlarm';
}

/** The template's resources that change behaviour but are not emulated. */
export function unsupportedResources(resources: Record<string, CfnResource>): UnsupportedResource[] {
  return Object.entries(resources).flatMap(([logicalId, resource]) => {
    const support = supportOf(resource);
    return support.kind === 'unsupported' ? [{ logicalId, type: resource.Type, reason: support.reason }] : [];
  });
}
