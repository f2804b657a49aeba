/**
 * The contract between the local cloud's services half (`local/services`, `local/template`) and its
 * runtime half (`local/runtime`): the CloudFormation shapes read from the synthesized template and
 * what `startLocalServices` hands the runtime once every resource is provisioned.
 */
import type { LocalService } from '../services/local-service';
import type { ServedRequestListener } from '../services/service-registry';

/** A CloudFormation template as `cdk synth` writes it (only the parts the local cloud reads). */
export interface CfnTemplate {
  readonly Description?: string;
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, CfnOutput>;
  readonly Conditions?: Record<string, unknown>;
  readonly Parameters?: Record<string, { readonly Type: string; readonly Default?: unknown }>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly Condition?: string;
  readonly DependsOn?: string | readonly string[];
}

export interface CfnOutput {
  readonly Value: unknown;
  readonly Description?: string;
  readonly Condition?: string;
  readonly Export?: { readonly Name: unknown };
}

/** One synthesized stack: what `synthesizeTemplate` returns and `startLocalServices` accepts preloaded. */
export interface SynthesizedStack {
  /** `Tidewatch-<stage>`. */
  readonly stackName: string;
  readonly template: CfnTemplate;
}

/** A project function (one carrying `Tidewatch:Entry` metadata) to run from its TypeScript source. */
export interface LocalFunction {
  readonly logicalId: string;
  /** Local physical name (deterministic, readable). */
  readonly name: string;
  /** Absolute path of the TypeScript entry (`<projectRoot>/handlers/<name>/index.ts`). */
  readonly entry: string;
  /** Exported handler name, from `Tidewatch:Handler`. @default 'handler' */
  readonly handler: string;
  /** The template's environment with every intrinsic resolved to local names and URLs. */
  readonly environment: Record<string, string>;
  /** @default 3 (the Lambda default) */
  readonly timeoutSeconds: number;
  /** @default 128 (the Lambda default) */
  readonly memoryMiB: number;
}

/** An SQS event source mapping of a project function. */
export interface LocalEventSourceMapping {
  readonly functionLogicalId: string;
  /** `http://127.0.0.1:<port>/000000000000/<queue>`, reachable through the gateway. */
  readonly queueUrl: string;
  readonly queueArn: string;
  /** @default 10 */
  readonly batchSize: number;
  /** @default 0 */
  readonly maximumBatchingWindowSeconds: number;
  /** `ScalingConfig.MaximumConcurrency`; undefined when the template sets none. */
  readonly maxConcurrency?: number;
  /** `FunctionResponseTypes` includes `ReportBatchItemFailures`. */
  readonly reportBatchItemFailures: boolean;
  /** @default true */
  readonly enabled: boolean;
}

/** One HTTP API route (`AWS::ApiGatewayV2::Route`) integrated with a project function. */
export interface LocalHttpRoute {
  /** As in the template: `POST /jobs`, `GET /jobs/{id}`, `$default`. */
  readonly routeKey: string;
  readonly functionLogicalId: string;
  /** @default '2.0' */
  readonly payloadFormatVersion: string;
}

/** The HTTP API's `CorsConfiguration`, empty lists where the template sets none. */
export interface LocalCors {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds?: number;
  readonly allowCredentials: boolean;
}

/** A schedule (`AWS::Events::Rule` or `AWS::Scheduler::Schedule`) targeting a project function. */
export interface LocalSchedule {
  readonly functionLogicalId: string;
  /** `rate(7 days)` or `cron(0 8 ? * MON *)`, as templated. */
  readonly expression: string;
  /** The target's constant `Input`, parsed, if any. */
  readonly input?: unknown;
}

/** The SQS actions counted for the queues' metrics (batch actions count their successful entries). */
export type SqsCountedAction = 'SendMessage' | 'SendMessageBatch' | 'ReceiveMessage' | 'DeleteMessage' | 'DeleteMessageBatch';

/** `count` messages sent, received (0: an empty receive) or deleted on the queue named `queueName`. */
export type SqsActionListener = (queueName: string, action: SqsCountedAction, count: number) => void;

export interface StartLocalServicesOptions {
  /** Gateway port; 0 picks a free one. @default 4566 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: '127.0.0.1';
  /** Port of the local HTTP API: `ApiUrl` and the API's `ApiEndpoint` resolve to it. */
  readonly apiPort: number;
  /** Port of the local CloudFront: `DownloadUrl` and the distribution's `DomainName` resolve to it. */
  readonly downloadPort: number;
  /** Where `--keep` data lives. @default '<projectRoot>/.tidewatch/data' */
  readonly dataDir?: string;
  /** Keep the services' data on disk across runs (under `dataDir`: SQS, SNS and S3 in `fauxqs/`, DynamoDB in `dynamodb/`) instead of in memory. @default false */
  readonly keep?: boolean;
  /** @default 'local' */
  readonly stage?: string;
  /** Root of the project (entries, `.tidewatch/`). @default process.cwd() */
  readonly projectRoot?: string;
  /** A template already synthesized (tests, fixtures); skips synthesis. */
  readonly template?: SynthesizedStack;
  /** Where problems that fail no request go (a notification that could not be delivered). @default console.warn */
  readonly onWarning?: (message: string) => void;
  /** Milliseconds added to every answer of the AWS endpoint, standing for the network in AWS (benchmarks). @default 0 */
  readonly networkLatencyMs?: number;
}

/** A template resource the local cloud does not emulate although it matters to behaviour. */
export interface UnsupportedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly reason: string;
}

/** The running local services, provisioned from the template. */
export interface LocalServices {
  /** `http://127.0.0.1:<port>`: the one AWS-compatible endpoint. */
  readonly endpoint: string;
  readonly region: 'us-east-1';
  readonly accountId: '000000000000';
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** Stack outputs resolved locally (`ApiUrl`, `DownloadUrl` on 127.0.0.1). */
  readonly outputs: Record<string, string>;
  /** Resolves any template value (intrinsics included) to its local value. */
  resolve(value: unknown): unknown;
  /** `arn:aws:sqs:us-east-1:000000000000:<name>` → the queue's local URL. */
  queueUrlFromArn(arn: string): string;
  readonly functions: readonly LocalFunction[];
  readonly eventSourceMappings: readonly LocalEventSourceMapping[];
  readonly httpRoutes: readonly LocalHttpRoute[];
  /** The HTTP API's CORS; undefined when it has none. */
  readonly cors: LocalCors | undefined;
  readonly schedules: readonly LocalSchedule[];
  /** Resources that matter to behaviour but are not emulated: print them at start (alarms leave the list once the CloudWatch service is registered). */
  readonly unsupportedResources: readonly UnsupportedResource[];
  /** The services the endpoint answers, by name (`SQS`, ..., and those registered since). */
  readonly serviceNames: readonly string[];
  /**
   * Plugs a service into the endpoint (or replaces the one of the same name): the local CloudWatch,
   * the runtime's Lambda API. Returns the function that unplugs it.
   */
  register(service: LocalService): () => void;
  /**
   * Every SQS action that moves messages: clients' calls through the gateway and the gateway's own sends
   * (S3 notifications to queues, message move tasks). Not seen: SNS deliveries to subscribed queues,
   * which fauxqs makes internally. Returns the unsubscribe function.
   */
  onSqsAction(listener: SqsActionListener): () => void;
  /** Calls `listener` after each request a local service answered, with its status. */
  onServed(listener: ServedRequestListener): () => void;
  /** fauxqs's own address: its read-only queue inspection (`/_fauxqs/queues/<name>`) gives message ages. */
  readonly fauxqsEndpoint: string;
  /** Stops the gateway and both emulators; resolves when every port is closed. */
  stop(): Promise<void>;
}

/** A queue to create, with its CloudFormation properties as SQS attributes. */
export interface QueuePlan {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** Local URL (through the gateway). */
  readonly url: string;
  readonly attributes: Record<string, string>;
}

export interface TopicPlan {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly attributes: Record<string, string>;
}

/** An SNS → SQS subscription. */
export interface SubscriptionPlan {
  readonly logicalId: string;
  readonly topicArn: string;
  readonly queueArn: string;
  /** `RawMessageDelivery`, `FilterPolicy`, `FilterPolicyScope` as SNS attribute strings. */
  readonly attributes: Record<string, string>;
}

/** One S3 event notification rule, normalized from either template form. */
export interface NotificationRule {
  readonly id: string;
  readonly bucket: string;
  /** `s3:ObjectCreated:*`, `s3:ObjectCreated:Put`, ... */
  readonly events: readonly string[];
  readonly prefix?: string;
  readonly suffix?: string;
  readonly destination: { readonly service: 'sqs' | 'sns'; readonly arn: string };
}

export interface BucketPlan {
  readonly logicalId: string;
  readonly name: string;
  /** Its `CorsConfiguration` rules; empty when it has none. */
  readonly corsRules: readonly S3CorsRule[];
}

/** One rule of a bucket's CORS configuration. */
export interface S3CorsRule {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders: readonly string[];
  readonly exposedHeaders: readonly string[];
  readonly maxAgeSeconds?: number;
}

export interface TablePlan {
  readonly logicalId: string;
  readonly name: string;
  /** A DynamoDB `CreateTable` request. */
  readonly createTable: Record<string, unknown>;
  /** `TimeToLiveSpecification.AttributeName` when TTL is enabled. */
  readonly ttlAttribute?: string;
}

/** Every storage and messaging resource of the template. */
export interface StoragePlan {
  readonly queues: readonly QueuePlan[];
  readonly topics: readonly TopicPlan[];
  readonly subscriptions: readonly SubscriptionPlan[];
  readonly buckets: readonly BucketPlan[];
  readonly notifications: readonly NotificationRule[];
  readonly tables: readonly TablePlan[];
}
