/**
 * Counts what a pipeline uses on the local cloud, in AWS's billing units: every request the endpoint
 * served, by service and action (SQS per 64 KB chunk, DynamoDB in request units, S3 by request tier),
 * the gateway's own sends to SQS (S3 event notifications), each function's invocations, billed
 * milliseconds (init included) and log bytes, and the HTTP API's requests.
 */
import { LOCAL_CLOUDWATCH_CREDENTIALS } from '../../contract/local-cloud';
import type { LocalCloud } from '../../local/cloud';
import type { ServedRequest } from '../../local/services/service-registry';
import type { InvocationRecord } from '../../local/runtime';
import { dynamoDbCapacity } from './dynamodb-capacity';
import { s3Operation } from './s3-operation';

/** SQS bills each 64 KB chunk of a request's payload as one request. */
const SQS_CHUNK_BYTES = 64 * 1024;
const NOTIFICATION_SEND = 'SendMessage (S3 event notification)';

/**
 * Lambda's own lines per invocation besides the REPORT line the local runtime writes too (text log
 * format): `START RequestId: <id> Version: $LATEST` and `END RequestId: <id>`, each with its newline.
 */
const PLATFORM_LINE_BYTES = 'START RequestId: 00000000-0000-0000-0000-000000000000 Version: $LATEST\n'.length + 'END RequestId: 00000000-0000-0000-0000-000000000000\n'.length;

export interface FunctionUsage {
  readonly memoryMiB: number;
  readonly traced: boolean;
  invocations: number;
  /** Sum of each invocation's duration rounded up to the millisecond, its init included. */
  billedMs: number;
  initMs: number;
  coldStarts: number;
  logBytes: number;
}

export interface Usage {
  /** Requests by `<service> <action>`. */
  readonly requests: Map<string, number>;
  sqsChunks: number;
  dynamoDbWriteUnits: number;
  dynamoDbReadUnits: number;
  s3WriteRequests: number;
  s3ReadRequests: number;
  apiRequests: number;
  readonly functions: Map<string, FunctionUsage>;
}

export class UsageMeter {
  private usage: Usage = emptyUsage();
  private readonly unsubscribe: (() => void)[] = [];
  /** SendMessage calls the gateway made itself: every counted send minus those clients made through it. */
  private sqsSends = 0;
  private clientSqsSends = 0;

  constructor(private readonly cloud: LocalCloud) {
    const { services, runtime } = cloud;
    this.unsubscribe.push(
      services.onServed((served) => this.served(served)),
      services.onSqsAction((_queue, action) => {
        if (action === 'SendMessage') this.sqsSends += 1;
      }),
      runtime.onInvocation((record) => this.invoked(record)),
      runtime.onLine((functionName, line) => {
        this.functionUsage(functionName).logBytes += Buffer.byteLength(line) + 1;
      }),
      runtime.onApiRequest(() => {
        this.usage.apiRequests += 1;
      }),
    );
  }

  /** What was used since the last call (or since the meter started), and starts counting afresh. */
  take(): Usage {
    const taken = this.usage;
    const notificationSends = this.sqsSends - this.clientSqsSends;
    if (notificationSends > 0) {
      taken.requests.set(`SQS ${NOTIFICATION_SEND}`, notificationSends);
      taken.sqsChunks += notificationSends;
    }
    this.usage = emptyUsage();
    this.sqsSends = 0;
    this.clientSqsSends = 0;
    return taken;
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe();
  }

  private served({ service, action, request, status }: ServedRequest): void {
    // The local CloudWatch's own calls (alarm actions) are not per item.
    if (accessKeyOf(request) === LOCAL_CLOUDWATCH_CREDENTIALS.accessKeyId) return;
    const name = service === 'S3' ? s3Operation(request) : (action ?? `${request.method} (no action)`);
    const key = `${service} ${name}`;
    this.usage.requests.set(key, (this.usage.requests.get(key) ?? 0) + 1);
    if (service === 'SQS') {
      this.usage.sqsChunks += Math.max(1, Math.ceil(request.body.length / SQS_CHUNK_BYTES));
      if (name === 'SendMessage' && status === 200) this.clientSqsSends += 1;
    } else if (service === 'DynamoDB') {
      const capacity = dynamoDbCapacity(name, request.body);
      this.usage.dynamoDbWriteUnits += capacity.writeUnits;
      this.usage.dynamoDbReadUnits += capacity.readUnits;
    } else if (service === 'S3') {
      if (/^(Put|Copy|List|Create|Complete|UploadPart|Post)/.test(name)) this.usage.s3WriteRequests += 1;
      else if (!/^Delete/.test(name)) this.usage.s3ReadRequests += 1;
    }
  }

  private invoked(record: InvocationRecord): void {
    const usage = this.functionUsage(record.functionName);
    usage.invocations += 1;
    usage.billedMs += Math.ceil(record.durationMs + (record.initDurationMs ?? 0));
    usage.initMs += record.initDurationMs ?? 0;
    if (record.initDurationMs !== undefined) usage.coldStarts += 1;
    usage.logBytes += PLATFORM_LINE_BYTES;
  }

  private functionUsage(functionName: string): FunctionUsage {
    let usage = this.usage.functions.get(functionName);
    if (!usage) {
      const fn = this.cloud.services.functions.find((candidate) => candidate.name === functionName);
      if (!fn) throw new Error(`no function named ${functionName} in the template`);
      const tracing = this.cloud.services.template.Resources[fn.logicalId]?.Properties?.TracingConfig as { Mode?: string } | undefined;
      usage = { memoryMiB: fn.memoryMiB, traced: tracing?.Mode === 'Active', invocations: 0, billedMs: 0, initMs: 0, coldStarts: 0, logBytes: 0 };
      this.usage.functions.set(functionName, usage);
    }
    return usage;
  }
}

/** The access key a request was signed with (Authorization header or presigned query). */
function accessKeyOf(request: ServedRequest['request']): string | undefined {
  const authorization = request.headers.authorization;
  const fromHeader = typeof authorization === 'string' ? /Credential=([^/]+)\//.exec(authorization)?.[1] : undefined;
  return fromHeader ?? new URLSearchParams(request.url.split('?')[1] ?? '').get('X-Amz-Credential')?.split('/')[0];
}

function emptyUsage(): Usage {
  return { requests: new Map(), sqsChunks: 0, dynamoDbWriteUnits: 0, dynamoDbReadUnits: 0, s3WriteRequests: 0, s3ReadRequests: 0, apiRequests: 0, functions: new Map() };
}
