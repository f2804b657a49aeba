/**
 * Reads the template's queues, topics, subscriptions, buckets (with their event notifications) and
 * tables into a plan of what to create locally.
 */
import type { IntrinsicResolver } from './intrinsics';
import type {
  BucketPlan,
  CfnResource,
  NotificationRule,
  QueuePlan,
  S3CorsRule,
  StoragePlan,
  SubscriptionPlan,
  TablePlan,
  TopicPlan,
  UnsupportedResource,
} from './model';

/** Queue properties that are SQS attributes of the same name (KMS and policy ones are not enforced locally). */
const QUEUE_ATTRIBUTES = [
  'VisibilityTimeout',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'MaximumMessageSize',
  'ReceiveMessageWaitTimeSeconds',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
];

export interface StoragePlanResult {
  readonly plan: StoragePlan;
  readonly unsupported: UnsupportedResource[];
}

export function planStorage(resources: [string, CfnResource][], resolver: IntrinsicResolver): StoragePlanResult {
  const unsupported: UnsupportedResource[] = [];
  const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type);
  const props = (logicalId: string, resource: CfnResource) =>
    (resolver.resolve(resource.Properties ?? {}, `Resources.${logicalId}.Properties`) ?? {}) as Record<string, unknown>;
  const report = (logicalId: string, type: string, reason: string) => unsupported.push({ logicalId, type, reason });

  const queues = ofType('AWS::SQS::Queue').map(([logicalId, resource]): QueuePlan => {
    const properties = props(logicalId, resource);
    const attributes: Record<string, string> = {};
    for (const key of QUEUE_ATTRIBUTES) if (properties[key] !== undefined) attributes[key] = String(properties[key]);
    if (properties.RedrivePolicy !== undefined) attributes.RedrivePolicy = jsonAttribute(properties.RedrivePolicy);
    const name = resolver.identity.physicalName(logicalId);
    return { logicalId, name, arn: resolver.identity.queueArn(name), url: resolver.identity.queueUrl(name), attributes };
  });

  const topics = ofType('AWS::SNS::Topic').map(([logicalId, resource]): TopicPlan => {
    const properties = props(logicalId, resource);
    const attributes: Record<string, string> = {};
    for (const key of ['DisplayName', 'FifoTopic', 'ContentBasedDeduplication']) {
      if (properties[key] !== undefined) attributes[key] = String(properties[key]);
    }
    return { logicalId, name: resolver.identity.physicalName(logicalId), arn: resolver.identity.ref(logicalId), attributes };
  });

  const subscriptions = ofType('AWS::SNS::Subscription').flatMap(([logicalId, resource]): SubscriptionPlan[] => {
    const properties = props(logicalId, resource);
    if (properties.Protocol !== 'sqs') {
      report(logicalId, resource.Type, `SNS delivery over ${String(properties.Protocol)} is not emulated (only sqs)`);
      return [];
    }
    const attributes: Record<string, string> = {};
    if (properties.RawMessageDelivery !== undefined) attributes.RawMessageDelivery = String(properties.RawMessageDelivery);
    if (properties.FilterPolicy !== undefined) attributes.FilterPolicy = jsonAttribute(properties.FilterPolicy);
    if (properties.FilterPolicyScope !== undefined) attributes.FilterPolicyScope = String(properties.FilterPolicyScope);
    return [{ logicalId, topicArn: String(properties.TopicArn), queueArn: String(properties.Endpoint), attributes }];
  });

  const buckets: BucketPlan[] = [];
  const notifications: NotificationRule[] = [];
  for (const [logicalId, resource] of ofType('AWS::S3::Bucket')) {
    const properties = props(logicalId, resource);
    const name = resolver.identity.physicalName(logicalId);
    buckets.push({ logicalId, name, corsRules: corsRulesOf(properties.CorsConfiguration) });
    const versioning = (properties.VersioningConfiguration as { Status?: string } | undefined)?.Status;
    if (versioning === 'Enabled') report(logicalId, resource.Type, 'bucket versioning is not emulated: objects get no versionId');
    const configuration = properties.NotificationConfiguration as Record<string, unknown> | undefined;
    if (configuration) notifications.push(...cfnNotificationRules(name, configuration, (reason) => report(logicalId, resource.Type, reason)));
  }
  for (const [logicalId, resource] of ofType('Custom::S3BucketNotifications')) {
    const properties = props(logicalId, resource);
    const configuration = (properties.NotificationConfiguration ?? {}) as Record<string, unknown>;
    notifications.push(...apiNotificationRules(String(properties.BucketName), configuration, (reason) => report(logicalId, resource.Type, reason)));
  }

  const tables = ofType('AWS::DynamoDB::Table').map(([logicalId, resource]): TablePlan => {
    const properties = props(logicalId, resource);
    if (properties.StreamSpecification !== undefined) report(logicalId, resource.Type, 'DynamoDB streams are not emulated');
    const name = resolver.identity.physicalName(logicalId);
    const ttl = properties.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
    return { logicalId, name, createTable: createTableRequest(name, properties), ttlAttribute: ttl?.Enabled ? ttl.AttributeName : undefined };
  });

  return { plan: { queues, topics, subscriptions, buckets, notifications, tables }, unsupported };
}

function jsonAttribute(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `Custom::S3BucketNotifications` carries the S3 API shape (`Events`, `QueueArn`, `Filter.Key.FilterRules`). */
function apiNotificationRules(bucket: string, configuration: Record<string, unknown>, report: (reason: string) => void): NotificationRule[] {
  const rules: NotificationRule[] = [];
  const add = (entries: unknown, service: 'sqs' | 'sns', arnKey: string) => {
    for (const [index, entry] of asList(entries).entries()) {
      const filterRules = asList((entry.Filter as { Key?: { FilterRules?: unknown } } | undefined)?.Key?.FilterRules);
      rules.push(rule(bucket, `${service}-${index}`, entry.Id, asList(entry.Events) as unknown as string[], filterRules, service, String(entry[arnKey]), report));
    }
  };
  add(configuration.QueueConfigurations, 'sqs', 'QueueArn');
  add(configuration.TopicConfigurations, 'sns', 'TopicArn');
  if (asList(configuration.LambdaFunctionConfigurations).length > 0) report('S3 notifications to Lambda functions are not emulated');
  if (configuration.EventBridgeConfiguration !== undefined) report('S3 notifications to EventBridge are not emulated');
  return rules;
}

/** `AWS::S3::Bucket.NotificationConfiguration` carries the CloudFormation shape (`Event`, `Queue`, `Filter.S3Key.Rules`). */
function cfnNotificationRules(bucket: string, configuration: Record<string, unknown>, report: (reason: string) => void): NotificationRule[] {
  const rules: NotificationRule[] = [];
  const add = (entries: unknown, service: 'sqs' | 'sns', arnKey: string) => {
    for (const [index, entry] of asList(entries).entries()) {
      const filterRules = asList((entry.Filter as { S3Key?: { Rules?: unknown } } | undefined)?.S3Key?.Rules);
      rules.push(rule(bucket, `${service}-${index}`, undefined, [String(entry.Event)], filterRules, service, String(entry[arnKey]), report));
    }
  };
  add(configuration.QueueConfigurations, 'sqs', 'Queue');
  add(configuration.TopicConfigurations, 'sns', 'Topic');
  if (asList(configuration.LambdaConfigurations).length > 0) report('S3 notifications to Lambda functions are not emulated');
  if (configuration.EventBridgeConfiguration !== undefined) report('S3 notifications to EventBridge are not emulated');
  return rules;
}

function rule(
  bucket: string,
  fallbackId: string,
  id: unknown,
  events: string[],
  filterRules: Record<string, unknown>[],
  service: 'sqs' | 'sns',
  arn: string,
  report: (reason: string) => void,
): NotificationRule {
  const unsupportedEvents = events.filter((event) => !event.startsWith('s3:ObjectCreated:'));
  if (unsupportedEvents.length > 0) report(`S3 events ${unsupportedEvents.join(', ')} are not emulated (only s3:ObjectCreated:*)`);
  const filterValue = (name: string) => filterRules.find((entry) => String(entry.Name).toLowerCase() === name)?.Value as string | undefined;
  return {
    id: typeof id === 'string' ? id : `${bucket}-${fallbackId}`,
    bucket,
    events,
    prefix: filterValue('prefix'),
    suffix: filterValue('suffix'),
    destination: { service, arn },
  };
}

function createTableRequest(name: string, properties: Record<string, unknown>): Record<string, unknown> {
  const billingMode = (properties.BillingMode as string | undefined) ?? 'PROVISIONED';
  const throughput = billingMode === 'PROVISIONED' ? { ProvisionedThroughput: properties.ProvisionedThroughput ?? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } } : {};
  const index = (entry: Record<string, unknown>) => ({
    IndexName: entry.IndexName,
    KeySchema: entry.KeySchema,
    Projection: entry.Projection,
    ...(billingMode === 'PROVISIONED' && entry.ProvisionedThroughput ? { ProvisionedThroughput: entry.ProvisionedThroughput } : {}),
  });
  const globalIndexes = asList(properties.GlobalSecondaryIndexes).map(index);
  const localIndexes = asList(properties.LocalSecondaryIndexes).map(index);
  return {
    TableName: name,
    KeySchema: properties.KeySchema,
    AttributeDefinitions: properties.AttributeDefinitions,
    BillingMode: billingMode,
    ...throughput,
    ...(globalIndexes.length > 0 ? { GlobalSecondaryIndexes: globalIndexes } : {}),
    ...(localIndexes.length > 0 ? { LocalSecondaryIndexes: localIndexes } : {}),
  };
}

function asList(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}

/** The rules of `AWS::S3::Bucket.CorsConfiguration`. */
function corsRulesOf(configuration: unknown): S3CorsRule[] {
  const rules = (configuration as { CorsRules?: Record<string, unknown>[] } | undefined)?.CorsRules ?? [];
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  return rules.map((rule) => ({
    allowedOrigins: list(rule.AllowedOrigins),
    allowedMethods: list(rule.AllowedMethods),
    allowedHeaders: list(rule.AllowedHeaders),
    exposedHeaders: list(rule.ExposedHeaders),
    maxAgeSeconds: typeof rule.MaxAge === 'number' ? rule.MaxAge : undefined,
  }));
}
