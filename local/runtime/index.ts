/**
 * The local cloud's runtime half: runs the template's functions against the running local services.
 * Function hosts (worker threads), SQS pollers, the HTTP API, the local CloudFront and schedules,
 * with every function's output captured line by line.
 *
 * Two steps, because the services resolve `ApiUrl` and `DownloadUrl` from the real ports (0 in tests):
 * `LocalRuntime.bind()` binds the two HTTP servers, then `start(services)` wires everything.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { basename, dirname } from 'node:path';
import type { Writable } from 'node:stream';
import type { LocalFunction, LocalServices } from '../template/model';
import { readDistribution } from './distribution';
import { DashboardRoutes } from '../dashboard/dashboard-routes';
import { readDashboards } from '../dashboard/template-dashboards';
import { DownloadServer } from './download-server';
import { FunctionHost, type InvocationRecord } from './function-host';
import { HttpApiServer, type ApiRequestRecord } from './http-api-server';
import { lambdaService } from './lambda-service';
import { LogSink, type LineFormat, type LineListener } from './log-sink';
import { Scheduler } from './scheduler';
import { DEFAULT_POLLERS, SqsPoller } from './sqs-poller';

export type { InvocationRecord } from './function-host';
export type { ApiRequestRecord } from './http-api-server';
export type { LineFormat, LineListener } from './log-sink';

export interface BindRuntimeOptions {
  /** Port of the local HTTP API; 0 picks a free one. @default 3000 */
  readonly apiPort?: number;
  /** Port of the local CloudFront; 0 picks a free one. @default 3001 */
  readonly downloadPort?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

export interface StartRuntimeOptions {
  /** Directory of the per-function log files; undefined keeps none. @default undefined */
  readonly logDirectory?: string;
  /** Where function output is printed, prefixed by the function name; undefined prints nothing. @default undefined */
  readonly print?: Writable & { readonly isTTY?: boolean };
  /** How a printed line of function output reads (see `LogSinkOptions.format`). @default the line as written */
  readonly printFormat?: LineFormat;
  /** Longest `stop()` waits for invocations in flight before ending them. @default 10 */
  readonly stopGraceSeconds?: number;
  /** Concurrent invocations of a function behind the HTTP API or a schedule. @default 10 */
  readonly defaultConcurrency?: number;
  /** Long-poll wait of the SQS pollers, seconds. @default 20 */
  readonly pollWaitSeconds?: number;
  /** Where every function's execution environments write a V8 CPU profile of their threads when they end. @default none */
  readonly functionCpuProfileDirectory?: string;
}

export class UnsupportedTemplateError extends Error {
  override readonly name = 'UnsupportedTemplateError';
}

const SDK_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** At stop the workers end first, so requests in flight get their 500 within this instead of a cut connection. */
const SERVER_CLOSE_GRACE_MS = 1_000;

export class LocalRuntime {
  private readonly lineListeners = new Set<LineListener>();
  private readonly invocationListeners = new Set<(record: InvocationRecord) => void>();
  private readonly apiRequestListeners = new Set<(record: ApiRequestRecord) => void>();
  private logSink = new LogSink();
  private hosts: FunctionHost[] = [];
  private pollers: SqsPoller[] = [];
  private scheduler: Scheduler | undefined;
  private clients: { destroy(): void }[] = [];
  private unregisterLambda: (() => void) | undefined;
  private stopGraceMs = 10_000;

  private constructor(
    private readonly api: HttpApiServer,
    private readonly downloads: DownloadServer,
  ) {}

  /** Binds the HTTP API and the local CloudFront; they answer 503 until `start`. */
  static async bind(options: BindRuntimeOptions = {}): Promise<LocalRuntime> {
    const host = options.host ?? '127.0.0.1';
    const [api, downloads] = await Promise.allSettled([
      HttpApiServer.listen({ port: options.apiPort ?? 3000, host, closeGraceMs: SERVER_CLOSE_GRACE_MS }),
      DownloadServer.listen({ port: options.downloadPort ?? 3001, host, closeGraceMs: SERVER_CLOSE_GRACE_MS }),
    ]);
    if (api.status === 'rejected' || downloads.status === 'rejected') {
      await Promise.all([api, downloads].map((bound) => (bound.status === 'fulfilled' ? bound.value.close() : undefined)));
      throw (api.status === 'rejected' ? api.reason : (downloads as PromiseRejectedResult).reason) as Error;
    }
    return new LocalRuntime(api.value, downloads.value);
  }

  /** `http://127.0.0.1:<port>` of the HTTP API. */
  get apiUrl(): string {
    return this.api.url;
  }

  /** `http://127.0.0.1:<port>` of the local CloudFront. */
  get downloadUrl(): string {
    return this.downloads.url;
  }

  get apiPort(): number {
    return this.api.port;
  }

  get downloadPort(): number {
    return this.downloads.port;
  }

  /** Every line a function writes (and its REPORT lines); returns the unsubscribe function. */
  onLine(listener: LineListener): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /** Every finished invocation; returns the unsubscribe function. */
  onInvocation(listener: (record: InvocationRecord) => void): () => void {
    this.invocationListeners.add(listener);
    return () => this.invocationListeners.delete(listener);
  }

  /** Every request the HTTP API answered; returns the unsubscribe function. */
  onApiRequest(listener: (record: ApiRequestRecord) => void): () => void {
    this.apiRequestListeners.add(listener);
    return () => this.apiRequestListeners.delete(listener);
  }

  /**
   * Wires the template's functions, event sources, routes, distribution and schedules to `services`,
   * and registers the functions' Lambda API (`Invoke`) at the services' endpoint.
   */
  /**
   * Fault injection for soaks and incident rehearsals: crashes one execution environment of the named
   * function while it runs an invocation, as a sandbox crash would. False when none is running.
   */
  crashBusyEnvironment(functionName: string): boolean {
    const host = this.hosts.find((candidate) => candidate.name === functionName);
    if (!host) throw new Error(`no function named ${functionName}`);
    return host.crashBusyEnvironment();
  }

  start(services: LocalServices, options: StartRuntimeOptions = {}): void {
    this.stopGraceMs = (options.stopGraceSeconds ?? 10) * 1000;
    this.logSink = new LogSink({ logDirectory: options.logDirectory, print: options.print, format: options.printFormat });
    this.logSink.onLine((functionName, line) => {
      for (const listener of this.lineListeners) listener(functionName, line);
    });
    this.logSink.label(functionLabels(services.functions));
    const hosts = new Map(services.functions.map((fn) => [fn.logicalId, this.host(services, fn, options)]));
    this.hosts = [...hosts.values()];
    this.unregisterLambda = services.register(
      lambdaService({ functions: new Map(this.hosts.map((host) => [host.name, host])), region: services.region, accountId: services.accountId }),
    );
    const hostOf = (logicalId: string, usedBy: string): FunctionHost => {
      const host = hosts.get(logicalId);
      if (!host) throw new UnsupportedTemplateError(`${usedBy} targets ${logicalId}, which is not a project function (no Tidewatch:Entry metadata)`);
      return host;
    };
    const log = (functionName: string, line: string) => this.logSink.write(functionName, line);
    const region = services.region;
    const clientConfig = { endpoint: services.endpoint, region, credentials: SDK_CREDENTIALS };

    const sqs = new SQSClient(clientConfig);
    const s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
    this.clients = [sqs, s3];

    for (const route of services.httpRoutes) {
      if (route.payloadFormatVersion !== '2.0') throw new UnsupportedTemplateError(`route ${route.routeKey}: the local HTTP API supports payload format 2.0 only, not ${route.payloadFormatVersion}`);
    }
    this.api.serve({
      routes: services.httpRoutes.map((route) => ({ routeKey: route.routeKey, target: hostOf(route.functionLogicalId, `route ${route.routeKey}`) })),
      cors: services.cors,
      accountId: services.accountId,
      apiId: httpApiId(services),
      log,
      onRequest: (record) => {
        for (const listener of this.apiRequestListeners) listener(record);
      },
    });

    const distribution = readDistribution(services.template);
    if (distribution) {
      this.downloads.serve({ s3, bucket: String(services.resolve({ Ref: distribution.bucketLogicalId })), prefixes: distribution.servedPrefixes });
    }
    const dashboard = new DashboardRoutes({ dashboards: readDashboards(services.template, (value) => services.resolve(value)), endpoint: services.endpoint, region, accountId: services.accountId });
    this.downloads.serveDashboard(dashboard);
    this.clients.push(dashboard);

    this.pollers = services.eventSourceMappings
      .filter((mapping) => mapping.enabled)
      .map((mapping) => {
        const host = hostOf(mapping.functionLogicalId, `the event source mapping of ${mapping.queueArn}`);
        return new SqsPoller({
          mapping,
          sqs,
          region,
          invoke: (event) => host.invoke(event),
          log: (line) => log(host.name, line),
          waitTimeSeconds: options.pollWaitSeconds,
        });
      });

    this.scheduler = new Scheduler(
      services.schedules.map((schedule) => {
        const host = hostOf(schedule.functionLogicalId, `schedule ${schedule.expression}`);
        return { expression: schedule.expression, input: schedule.input, functionName: host.name, invoke: (event: unknown) => host.invoke(event) };
      }),
      { region, accountId: services.accountId, log },
    );
    for (const poller of this.pollers) poller.start();
    this.scheduler.start();
  }

  /**
   * Unplugs the Lambda API, stops schedules and pollers, waits for invocations in flight (up to
   * `stopGraceSeconds`), then ends the workers, closes both servers and flushes the log files.
   */
  async stop(): Promise<void> {
    this.unregisterLambda?.();
    this.scheduler?.stop();
    await Promise.all(this.pollers.map((poller) => poller.stop(this.stopGraceMs)));
    await Promise.all([...this.hosts.map((host) => host.stop()), this.api.close(), this.downloads.close()]);
    for (const client of this.clients) client.destroy();
    await this.logSink.close();
  }

  private host(services: LocalServices, fn: LocalFunction, options: StartRuntimeOptions): FunctionHost {
    const mappings = services.eventSourceMappings.filter((mapping) => mapping.functionLogicalId === fn.logicalId && mapping.enabled);
    // Enough environments for every poller of the function's queues, and for HTTP and schedule traffic.
    const maxConcurrency = Math.max(options.defaultConcurrency ?? 10, ...mappings.map((mapping) => mapping.maxConcurrency ?? DEFAULT_POLLERS));
    return new FunctionHost(fn, {
      endpoint: services.endpoint,
      region: services.region,
      accountId: services.accountId,
      logSink: this.logSink,
      maxConcurrency,
      cpuProfileDirectory: options.functionCpuProfileDirectory,
      onInvocation: (record) => {
        for (const listener of this.invocationListeners) listener(record);
      },
    });
  }
}

/** The local id of the template's HTTP API (what `Ref` gives), as API Gateway reports it in events and metrics. */
function httpApiId(services: LocalServices): string {
  const logicalId = Object.keys(services.template.Resources).find((id) => services.template.Resources[id]?.Type === 'AWS::ApiGatewayV2::Api');
  return logicalId ? String(services.resolve({ Ref: logicalId })) : 'local';
}

/**
 * Short labels for the functions' output: the entry's folder (`handlers/file-worker/index.ts` →
 * `file-worker`, the function's name in the project) when no two functions share it, else the physical name.
 */
function functionLabels(functions: readonly LocalFunction[]): Record<string, string> {
  const folder = (fn: LocalFunction) => basename(dirname(fn.entry));
  const shared = (fn: LocalFunction) => functions.filter((other) => folder(other) === folder(fn)).length > 1;
  return Object.fromEntries(functions.map((fn) => [fn.name, shared(fn) ? fn.name : folder(fn)]));
}
