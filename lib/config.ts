/**
 * Tidewatch configuration: one typed place, every key with a documented default.
 *
 * Values come from CDK context (`cdk.json`, `--context key=value` or `-c tidewatch='{"...":...}'`).
 * A single `tidewatch` context object wins over individual keys, which win over the defaults. Work
 * queues merge by name into the default ones, so one entry adds a queue and keeps `files` and `jobs`.
 */
import { API_AUTH_MODES, LOCAL_STAGE, type ApiAuthMode } from '../contract/api-access';
import { DEFAULT_STAGE, STAGE_PATTERN, WORK_QUEUE_NAME_PATTERN } from '../contract/naming';
import { isWorkerName, WORKERS, type WorkerName } from '../contract/workers';
import { ConfigError, boolean, decimal, integer, isEmail, oneOf, optionalList, parseMaybeJson, stringList, stringValue, timeZone } from './config-values';

export { ConfigError } from './config-values';

/** Settings of one work queue (queue + DLQ + worker). */
export interface WorkQueueSettings {
  /** The worker kind that runs the queue: a folder under `handlers/` (see contract/workers.ts). */
  readonly worker: WorkerName;
  /** Records per worker invocation. @default 10 */
  readonly batchSize: number;
  /** Seconds the poller may wait to fill a batch. @default 1 */
  readonly maxBatchingWindowSeconds: number;
  /** Most concurrent worker invocations for this queue (SQS event source `maxConcurrency`, 2..1000). @default 10 */
  readonly maxConcurrency: number;
  /** Worker timeout in seconds (Lambda's 900 s cap keeps 6 × this under SQS's 12-hour visibility limit). @default 60 files, 30 others */
  readonly workerTimeoutSeconds: number;
  /** Worker memory in MiB. @default 512 files, 256 others */
  readonly workerMemoryMiB: number;
  /** Age of the oldest waiting message, seconds, above which the queue-age alarm fires. @default 300 files, 120 others */
  readonly maxMessageAgeSeconds: number;
}

export interface TidewatchConfig {
  /** Stage name; part of the stack name (`Tidewatch-<stage>`) and of every metric's dimensions. @default 'dev' */
  readonly stage: string;
  /** Origins allowed to PUT to presigned URLs and call the API from a browser. @default ['*'] */
  readonly allowedOrigins: readonly string[];
  /** Lifetime of a presigned upload URL, seconds. @default 300 */
  readonly presignExpirySeconds: number;
  /** Largest upload accepted, bytes. @default 104857600 (100 MiB) */
  readonly maxUploadBytes: number;
  /** Content types a client may declare on POST /presign. @default text/csv, application/csv, text/plain, application/vnd.ms-excel */
  readonly allowedContentTypes: readonly string[];
  /** Largest POST /jobs body, bytes. @default 65536 (64 KiB) */
  readonly maxJobBodyBytes: number;
  /** Route S3 ObjectCreated through an SNS fan-out topic instead of straight to the files queue. @default false */
  readonly fanOut: boolean;
  /** Receives before a message moves to its DLQ. @default 3 */
  readonly maxReceiveCount: number;
  /** Base of the exponential retry backoff, seconds: a failed record is retried after base × 2^(attempt−1). @default 10 */
  readonly retryBackoffBaseSeconds: number;
  /** Days a dead letter is kept. @default 14 */
  readonly deadLetterRetentionDays: number;
  /** Days an old (noncurrent) object version is kept. @default 30 */
  readonly noncurrentVersionExpirationDays: number;
  /** Log level of every handler. @default 'INFO' */
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /**
   * The work queues by name (a short lowercase word): each gets its queue, DLQ, worker, alarms,
   * dashboard row, outputs and CLI name. Entries merge into the defaults by name.
   * @default files (file-worker, fed by uploads) and jobs (job-worker, fed by POST /jobs)
   */
  readonly workQueues: Readonly<Record<string, WorkQueueSettings>>;
  /** Email addresses subscribed to the paging topic (each confirms its subscription). @default [] */
  readonly pagingEmails: readonly string[];
  /** HTTPS endpoints subscribed to the paging topic, e.g. an incident tool's webhook. @default [] */
  readonly pagingHttpsUrls: readonly string[];
  /** Where the runbooks are published; every alarm links `<runbookBaseUrl>/<alarm id>.md`. @default 'https://github.com/tidewatch/tidewatch/blob/main/runbooks' */
  readonly runbookBaseUrl: string;
  /** Success SLO: percent of items processed without being dead-lettered. @default 99.9 */
  readonly successSloPercent: number;
  /** Freshness SLO: percent of items done within `freshnessSloSeconds` of their upload or submission. @default 99 */
  readonly freshnessSloPercent: number;
  /** The freshness SLO's bound, seconds from upload or submission to done. @default 300 */
  readonly freshnessSloSeconds: number;
  /**
   * A preview stage (one per pull request) is fully removable: deleting the stack deletes everything it
   * created, its buckets emptied first and its KMS keys scheduled for deletion after the 7-day minimum.
   * Any other stage retains its data (buckets, tables, log groups, keys) when its stack is deleted.
   * @default false
   */
  readonly preview: boolean;
  /** The success and freshness SLO burn-rate alarms of every work queue (a preview may do without them). @default true */
  readonly sloBurnRateAlarms: boolean;
  /** When the weekly review runs: an EventBridge schedule expression, in UTC. @default 'cron(0 8 ? * MON *)' (Monday 08:00 UTC) */
  readonly reviewSchedule: string;
  /** The team's IANA time zone: the review counts pages by hour of day and at night in it. @default 'UTC' */
  readonly reviewTimeZone: string;
  /** Email addresses subscribed to the reports topic (the weekly review's summary). @default [] */
  readonly reviewEmails: readonly string[];
  /**
   * Who may call the HTTP API: `none` (anonymous), `iam` (SigV4-signed callers) or `jwt` (a bearer token
   * from `jwtIssuer` for `jwtAudience`). The local stage runs with `none`: it cannot fetch an issuer's keys offline.
   * @default 'none'
   */
  readonly apiAuth: ApiAuthMode;
  /** With `apiAuth: jwt`: the token issuer's https URL (its `iss`), e.g. a Cognito user pool's. */
  readonly jwtIssuer?: string;
  /** With `apiAuth: jwt`: the audiences a token must carry one of (`aud`, or a Cognito app client id). */
  readonly jwtAudience?: readonly string[];
}

/** A queue's settings where its entry does not give them. */
export const DEFAULT_WORK_QUEUE_SETTINGS: Omit<WorkQueueSettings, 'worker'> = {
  batchSize: 10,
  maxBatchingWindowSeconds: 1,
  maxConcurrency: 10,
  workerTimeoutSeconds: 30,
  workerMemoryMiB: 256,
  maxMessageAgeSeconds: 120,
};

export const DEFAULT_CONFIG: TidewatchConfig = {
  stage: DEFAULT_STAGE,
  allowedOrigins: ['*'],
  presignExpirySeconds: 300,
  maxUploadBytes: 100 * 1024 * 1024,
  allowedContentTypes: ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel'],
  maxJobBodyBytes: 64 * 1024,
  fanOut: false,
  maxReceiveCount: 3,
  retryBackoffBaseSeconds: 10,
  deadLetterRetentionDays: 14,
  noncurrentVersionExpirationDays: 30,
  logLevel: 'INFO',
  workQueues: {
    files: { ...DEFAULT_WORK_QUEUE_SETTINGS, worker: 'file-worker', workerTimeoutSeconds: 60, workerMemoryMiB: 512, maxMessageAgeSeconds: 300 },
    jobs: { ...DEFAULT_WORK_QUEUE_SETTINGS, worker: 'job-worker' },
  },
  pagingEmails: [],
  pagingHttpsUrls: [],
  runbookBaseUrl: 'https://github.com/tidewatch/tidewatch/blob/main/runbooks',
  successSloPercent: 99.9,
  freshnessSloPercent: 99,
  freshnessSloSeconds: 300,
  preview: false,
  sloBurnRateAlarms: true,
  reviewSchedule: 'cron(0 8 ? * MON *)',
  reviewTimeZone: 'UTC',
  reviewEmails: [],
  apiAuth: 'none',
};

/** Context keys that belong to others: what the preview deployment passes beside the config, and the deploy role's stack. */
const DEPLOY_CONTEXT_KEYS = ['pr', 'repo', 'sha', 'runId', 'githubDeployRole'];
/** Keys of earlier versions, and where their settings live now. */
const MOVED_KEYS: Record<string, string> = { files: 'workQueues.files', jobs: 'workQueues.jobs' };

/** CDK's own context (feature flags, lookups, bundling): names holding `:` or starting with `@` or `aws:`. */
function isCdkContextKey(key: string): boolean {
  return key.includes(':') || key.startsWith('@') || key.startsWith('aws:');
}

/**
 * Reads the configuration from the whole CDK context (`node.getAllContext()`), validates it and fills
 * defaults. A key that is neither config, CDK's own nor a deploy key is refused: a typo must not
 * synthesize silently with a default.
 */
export function loadConfig(context: Readonly<Record<string, unknown>>): TidewatchConfig {
  const object = parseMaybeJson(context.tidewatch) ?? {};
  if (typeof object !== 'object' || object === null || Array.isArray(object)) throw new ConfigError('context "tidewatch" must be a JSON object');
  const singles = Object.entries(context).filter(([key]) => key !== 'tidewatch' && !isCdkContextKey(key) && !DEPLOY_CONTEXT_KEYS.includes(key));
  const raw: Record<string, unknown> = Object.fromEntries(singles.map(([key, value]) => [key, parseMaybeJson(value)]));
  return validateConfig({ ...raw, ...(object as Record<string, unknown>) });
}

/** Merges a partial configuration over the defaults and checks every value; throws ConfigError naming the key. */
export function validateConfig(raw: Record<string, unknown>): TidewatchConfig {
  const moved = Object.keys(raw).filter((key) => key in MOVED_KEYS);
  if (moved.length > 0) throw new ConfigError(moved.map((key) => `config key ${key} has moved: set ${MOVED_KEYS[key]} instead`).join('; '));
  const unknownKeys = Object.keys(raw).filter((key) => !(key in DEFAULT_CONFIG) && !JWT_KEYS.includes(key));
  if (unknownKeys.length > 0) throw new ConfigError(`unknown config key(s): ${unknownKeys.join(', ')} (known: ${Object.keys(DEFAULT_CONFIG).join(', ')})`);
  const d = DEFAULT_CONFIG;
  const config: TidewatchConfig = {
    stage: stringValue(raw, 'stage', d.stage, STAGE_PATTERN),
    allowedOrigins: stringList(raw, 'allowedOrigins', d.allowedOrigins),
    presignExpirySeconds: integer(raw, 'presignExpirySeconds', d.presignExpirySeconds, 1, 7 * 24 * 3600),
    maxUploadBytes: integer(raw, 'maxUploadBytes', d.maxUploadBytes, 1, 5 * 1024 ** 3),
    allowedContentTypes: stringList(raw, 'allowedContentTypes', d.allowedContentTypes),
    maxJobBodyBytes: integer(raw, 'maxJobBodyBytes', d.maxJobBodyBytes, 2, 256 * 1024),
    fanOut: boolean(raw, 'fanOut', d.fanOut),
    maxReceiveCount: integer(raw, 'maxReceiveCount', d.maxReceiveCount, 1, 1000),
    retryBackoffBaseSeconds: integer(raw, 'retryBackoffBaseSeconds', d.retryBackoffBaseSeconds, 0, 3600),
    deadLetterRetentionDays: integer(raw, 'deadLetterRetentionDays', d.deadLetterRetentionDays, 1, 14),
    noncurrentVersionExpirationDays: integer(raw, 'noncurrentVersionExpirationDays', d.noncurrentVersionExpirationDays, 1, 3650),
    logLevel: oneOf(raw, 'logLevel', d.logLevel, ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const),
    workQueues: workQueues(raw.workQueues, d.workQueues),
    pagingEmails: optionalList(raw, 'pagingEmails', d.pagingEmails, 'email addresses', isEmail),
    pagingHttpsUrls: optionalList(raw, 'pagingHttpsUrls', d.pagingHttpsUrls, 'https:// URLs', (item) => URL.canParse(item) && new URL(item).protocol === 'https:'),
    runbookBaseUrl: stringValue(raw, 'runbookBaseUrl', d.runbookBaseUrl, /^https?:\/\/[^\s]+[^\s/]$/),
    // Up to 99.999: a 100% target leaves no error budget to burn.
    successSloPercent: decimal(raw, 'successSloPercent', d.successSloPercent, 90, 99.999),
    // From 94: the fast burn (14.4 × the budget) must stay a share of items below 100%.
    freshnessSloPercent: decimal(raw, 'freshnessSloPercent', d.freshnessSloPercent, 94, 99.99),
    freshnessSloSeconds: integer(raw, 'freshnessSloSeconds', d.freshnessSloSeconds, 1, 86_400),
    preview: boolean(raw, 'preview', d.preview),
    sloBurnRateAlarms: boolean(raw, 'sloBurnRateAlarms', d.sloBurnRateAlarms),
    reviewSchedule: stringValue(raw, 'reviewSchedule', d.reviewSchedule, /^(cron\([^()]+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/),
    reviewTimeZone: timeZone(raw, 'reviewTimeZone', d.reviewTimeZone),
    reviewEmails: optionalList(raw, 'reviewEmails', d.reviewEmails, 'email addresses', isEmail),
    ...apiAccess(raw, d.apiAuth),
  };
  if (config.stage === LOCAL_STAGE && config.apiAuth !== 'none') {
    throw new ConfigError(`apiAuth must be none on the local stage (the local cloud cannot verify ${config.apiAuth} callers offline), got ${JSON.stringify(config.apiAuth)}`);
  }
  return config;
}

/** The keys only `apiAuth: jwt` reads. */
const JWT_KEYS = ['jwtIssuer', 'jwtAudience'];

function apiAccess(raw: Record<string, unknown>, fallback: ApiAuthMode): Pick<TidewatchConfig, 'apiAuth' | 'jwtIssuer' | 'jwtAudience'> {
  const apiAuth = oneOf(raw, 'apiAuth', fallback, API_AUTH_MODES);
  if (apiAuth !== 'jwt') {
    const stray = JWT_KEYS.filter((key) => raw[key] !== undefined);
    if (stray.length > 0) throw new ConfigError(`${stray.join(' and ')} apply only with apiAuth jwt, got apiAuth ${apiAuth}`);
    return { apiAuth };
  }
  if (raw.jwtIssuer === undefined || raw.jwtAudience === undefined) throw new ConfigError('apiAuth jwt needs jwtIssuer (the issuer\'s https URL) and jwtAudience');
  return {
    apiAuth,
    jwtIssuer: stringValue(raw, 'jwtIssuer', '', /^https:\/\/[^\s/]+(\/[^\s]*)?$/),
    jwtAudience: stringList(raw, 'jwtAudience', []),
  };
}

/** The default queues with the given entries merged in by name; then the rules that span queues. */
function workQueues(value: unknown, defaults: Readonly<Record<string, WorkQueueSettings>>): Readonly<Record<string, WorkQueueSettings>> {
  const given = parseMaybeJson(value) ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw new ConfigError('workQueues must be an object of work queues by name');
  const names = [...new Set([...Object.keys(defaults), ...Object.keys(given)])];
  const queues = Object.fromEntries(names.map((name) => [name, workQueue(name, (given as Record<string, unknown>)[name], defaults[name])]));
  const runBy = (worker: WorkerName) => names.filter((name) => queues[name]!.worker === worker);
  // The upload bucket notifies one queue: a second file-worker queue would process every upload twice.
  if (runBy('file-worker').length !== 1) throw new ConfigError(`exactly one work queue must run file-worker (it is fed by the uploads), got ${runBy('file-worker').join(', ') || 'none'}`);
  if (runBy('job-worker').length === 0) throw new ConfigError('at least one work queue must run job-worker (POST /jobs sends to it)');
  return queues;
}

function workQueue(name: string, value: unknown, defaults: WorkQueueSettings | undefined): WorkQueueSettings {
  const key = `workQueues.${name}`;
  if (!WORK_QUEUE_NAME_PATTERN.test(name)) {
    throw new ConfigError(`${key}: a work queue's name must be one short lowercase word (${WORK_QUEUE_NAME_PATTERN}), so every name derived from it stays valid`);
  }
  const entry = parseMaybeJson(value) ?? {};
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new ConfigError(`${key} must be an object`);
  const object = entry as Record<string, unknown>;
  const unknownKeys = Object.keys(object).filter((k) => k !== 'worker' && !(k in DEFAULT_WORK_QUEUE_SETTINGS));
  if (unknownKeys.length > 0) throw new ConfigError(`unknown ${key} key(s): ${unknownKeys.join(', ')}`);
  const worker = object.worker ?? defaults?.worker;
  if (typeof worker !== 'string' || !isWorkerName(worker)) {
    throw new ConfigError(`${key}.worker must name a worker kind (${Object.keys(WORKERS).join(', ')}), got ${JSON.stringify(worker)}`);
  }
  return workQueueSettings(key, object, { ...DEFAULT_WORK_QUEUE_SETTINGS, ...defaults, worker });
}

function workQueueSettings(key: string, object: Record<string, unknown>, defaults: WorkQueueSettings): WorkQueueSettings {
  const at = (name: string) => `${key}.${name}`;
  const settings: WorkQueueSettings = {
    worker: defaults.worker,
    batchSize: integer(object, 'batchSize', defaults.batchSize, 1, 10, at('batchSize')),
    maxBatchingWindowSeconds: integer(object, 'maxBatchingWindowSeconds', defaults.maxBatchingWindowSeconds, 0, 300, at('maxBatchingWindowSeconds')),
    maxConcurrency: integer(object, 'maxConcurrency', defaults.maxConcurrency, 2, 1000, at('maxConcurrency')),
    workerTimeoutSeconds: integer(object, 'workerTimeoutSeconds', defaults.workerTimeoutSeconds, 1, 900, at('workerTimeoutSeconds')),
    workerMemoryMiB: integer(object, 'workerMemoryMiB', defaults.workerMemoryMiB, 128, 10240, at('workerMemoryMiB')),
    maxMessageAgeSeconds: integer(object, 'maxMessageAgeSeconds', defaults.maxMessageAgeSeconds, 60, 1_209_600, at('maxMessageAgeSeconds')),
  };
  return settings;
}
