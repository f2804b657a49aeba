/**
 * Names for services no registered LocalService answers, so that an unsupported call names the
 * service as AWS does ("CloudWatch PutMetricData", not "monitoring PutMetricData"). A request names
 * its service only by SigV4 signing name or target prefix; names not listed here are used as they are.
 */
const AWS_NAMES: Readonly<Record<string, string>> = {
  monitoring: 'CloudWatch',
  GraniteServiceVersion20100801: 'CloudWatch',
  lambda: 'Lambda',
  logs: 'CloudWatch Logs',
  events: 'EventBridge',
  scheduler: 'EventBridge Scheduler',
  states: 'Step Functions',
  kinesis: 'Kinesis',
  secretsmanager: 'Secrets Manager',
  ssm: 'Systems Manager',
  kms: 'KMS',
  iam: 'IAM',
  apigateway: 'API Gateway',
  cloudfront: 'CloudFront',
  xray: 'X-Ray',
};

export function foreignServiceName(signingNameOrTarget: string): string {
  return AWS_NAMES[signingNameOrTarget] ?? signingNameOrTarget;
}
