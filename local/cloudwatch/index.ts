/**
 * The local cloud's CloudWatch: a metric store fed by the functions' EMF output, the queues, the
 * function runtime and the HTTP API; the template's alarms evaluated on it, paging through SNS; and
 * the CloudWatch API the SDK and CLI use. This facade wires the focused modules together.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalService } from '../services/local-service';
import type { CfnTemplate } from '../template/model';
import { ApiGatewayMetrics, type ApiRequestRecord } from './api-gateway-metrics';
import { AlarmEngine, evaluationCadenceMs, type PageEvent } from './alarm-engine';
import { AlarmHistory } from './alarm-history';
import { loadAlarms, type Resolve } from './alarm-loader';
import { snsPublisher, type Publisher } from './alarm-notification';
import { alarmActions } from './api/alarm-actions';
import { metricActions } from './api/metric-actions';
import { jsonProtocolHandler, type ApiHandler, type ApiRequest } from './api/protocol';
import { cloudWatchService } from './api/service';
import { BoundaryTicker } from './boundary-ticker';
import { systemClock, type Clock } from './clock';
import { EmfFormatError, parseEmfLine } from './emf';
import { KeptCloudWatchState } from './kept-state';
import { LambdaMetrics, type InvocationRecord } from './lambda-metrics';
import { MetricStore } from './metric-store';
import { SqsMetrics, type SqsCountedAction, type SqsSamplingOptions } from './sqs-metrics';

export interface LocalCloudWatchOptions {
  /** The synthesized template whose alarms are evaluated. */
  readonly template: CfnTemplate;
  /** The local cloud's intrinsic resolver (deep: resolves nested Ref, Fn::GetAtt, Fn::Join, ...). */
  readonly resolve: Resolve;
  /** The local AWS endpoint alarm actions publish to, e.g. `http://127.0.0.1:4566`. */
  readonly endpoint: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '000000000000' */
  readonly accountId?: string;
  /** @default the system clock */
  readonly clock?: Clock;
  /** How alarm notifications are published. @default the real SNS client on `endpoint` */
  readonly publish?: Publisher;
  /** Keeps metrics, alarm states and history in a SQLite file in this directory across restarts; in memory when undefined. */
  readonly keptStateDirectory?: string;
}

export interface LocalCloudWatch {
  /** The CloudWatch API as a service of the endpoint: `services.register(cloudWatch.service)`. */
  readonly service: LocalService;
  /** Answers one CloudWatch API request. */
  readonly handle: ApiHandler;
  /** The same API as a Node `http` request listener, for a standalone server. */
  requestListener(request: IncomingMessage, response: ServerResponse): void;
  /** Feeds one stdout line of a function: EMF lines become metrics, anything else is ignored. */
  ingestLine(functionName: string, line: string): void;
  /** Counts a proxied SQS action (batch actions: their successful entries; receives: messages returned). */
  recordSqsAction(queueName: string, action: SqsCountedAction, count: number): void;
  recordInvocation(record: InvocationRecord): void;
  recordApiRequest(record: ApiRequestRecord): void;
  /** Samples the queues' gauges now and every `intervalMs` (default 10 s) until `stop()`. */
  startSampling(options: SqsSamplingOptions): void;
  /** Starts alarm evaluation: every alarm right away, then each at its cadence (10 s, 30 s or 1 min). */
  start(): void;
  /** Evaluates every alarm now (on the periods that have ended) and resolves once actions ran. */
  evaluateNow(): Promise<void>;
  /** One event per alarm action run (a page published, or why not). Returns the unsubscribe function. */
  onPage(listener: (event: PageEvent) => void): () => void;
  /** Problems that do not stop the local CloudWatch: malformed EMF, a failed sample or evaluation. */
  onWarning(listener: (message: string) => void): () => void;
  /** Stops sampling and alarm evaluation, and closes the kept state. */
  stop(): void;
}

/** The finest alarm cadence: 10-second high-resolution alarms. */
const TICK_MS = 10_000;

export function createLocalCloudWatch(options: LocalCloudWatchOptions): LocalCloudWatch {
  const clock = options.clock ?? systemClock;
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const alarms = loadAlarms({ template: options.template, resolve: options.resolve, region, accountId });
  const kept = options.keptStateDirectory === undefined ? undefined : new KeptCloudWatchState(options.keptStateDirectory);
  const store = new MetricStore({ clock, journal: kept?.datapoints });
  const history = new AlarmHistory(clock, undefined, kept?.history);
  const engine = new AlarmEngine({
    alarms,
    store,
    history,
    clock,
    region,
    accountId,
    publish: options.publish ?? snsPublisher({ endpoint: options.endpoint, region }),
    stateJournal: kept?.alarmStates,
  });
  const sqs = new SqsMetrics(store, clock);
  const lambda = new LambdaMetrics(store, clock);
  const apiGateway = new ApiGatewayMetrics(store, clock);
  const warningListeners = new Set<(message: string) => void>();
  const warn = (message: string): void => warningListeners.forEach((listener) => listener(message));

  const actions = { ...metricActions({ store, clock }), ...alarmActions({ engine, history }) };
  const handle = jsonProtocolHandler(actions);
  const ticker = new BoundaryTicker(
    clock,
    TICK_MS,
    async (boundary, first) => {
      store.prune();
      await engine.evaluate(boundary, (alarm) => first || boundary % evaluationCadenceMs(alarm) === 0);
    },
    (error) => warn(`alarm evaluation failed: ${(error as Error).message}`),
  );

  return {
    service: cloudWatchService(handle, Object.keys(actions)),
    handle,
    requestListener(request, response) {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const apiRequest: ApiRequest = { method: request.method ?? 'POST', url: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks) };
        void handle(apiRequest).then((answer) => {
          response.writeHead(answer.status, answer.headers);
          response.end(answer.body);
        });
      });
    },
    ingestLine(functionName, line) {
      try {
        for (const { metric, datapoint } of parseEmfLine(line)) store.put(metric, datapoint);
      } catch (error) {
        if (!(error instanceof EmfFormatError)) throw error;
        warn(`${functionName}: EMF line dropped, as CloudWatch would: ${error.message}`);
      }
    },
    recordSqsAction: (queueName, action, count) => sqs.recordAction(queueName, action, count),
    recordInvocation: (record) => lambda.recordInvocation(record),
    recordApiRequest: (record) => apiGateway.recordApiRequest(record),
    startSampling: (sampling) =>
      sqs.start({
        ...sampling,
        onError: (queueName, error) => {
          sampling.onError?.(queueName, error);
          warn(`sampling queue ${queueName} failed: ${(error as Error).message}`);
        },
      }),
    start: () => ticker.start(),
    evaluateNow: () => engine.evaluate(clock.now()),
    onPage: (listener) => engine.onPage(listener),
    onWarning(listener) {
      warningListeners.add(listener);
      return () => warningListeners.delete(listener);
    },
    stop() {
      sqs.stop();
      ticker.stop();
      kept?.close();
    },
  };
}

export type { PageEvent } from './alarm-engine';
export type { ApiRequestRecord } from './api-gateway-metrics';
export type { InvocationRecord } from './lambda-metrics';
export { fauxqsOldestMessage, type OldestMessageSource } from './oldest-message';
export type { SqsCountedAction, SqsSamplingOptions } from './sqs-metrics';
export type { Clock } from './clock';
