/**
 * AWS/Lambda metrics per function (dimension `FunctionName`), as Lambda publishes them for each
 * invocation the local runtime reports.
 */
import type { Clock } from './clock';
import type { MetricStore } from './metric-store';

export const LAMBDA_NAMESPACE = 'AWS/Lambda';

export interface InvocationRecord {
  /** The function's local physical name: what `resolve({ Ref: <function logical id> })` gives. */
  readonly functionName: string;
  /** Run time of the invocation (not measured for a throttled one). */
  readonly durationMs?: number;
  /** The handler threw, returned a rejected promise, or was timed out / killed. */
  readonly error?: boolean;
  /** Refused for lack of concurrency: counted as a throttle, not an invocation. */
  readonly throttled?: boolean;
  /** Invocations of this function running at that moment, this one included. */
  readonly concurrent?: number;
  /** When the invocation ended. @default the clock's now */
  readonly timestamp?: number;
}

export class LambdaMetrics {
  constructor(
    private readonly store: MetricStore,
    private readonly clock: Clock,
  ) {}

  recordInvocation(record: InvocationRecord): void {
    const timestamp = record.timestamp ?? this.clock.now();
    const put = (metricName: string, value: number, unit: string): void =>
      this.store.put(
        { namespace: LAMBDA_NAMESPACE, metricName, dimensions: [{ name: 'FunctionName', value: record.functionName }] },
        { timestamp, values: [value], unit },
      );
    if (record.throttled) {
      put('Throttles', 1, 'Count');
      return;
    }
    // Like Lambda, publish Errors and Throttles as 0 on success so error-rate math has matching datapoints.
    put('Invocations', 1, 'Count');
    put('Errors', record.error ? 1 : 0, 'Count');
    put('Throttles', 0, 'Count');
    if (record.durationMs !== undefined) put('Duration', record.durationMs, 'Milliseconds');
    if (record.concurrent !== undefined) put('ConcurrentExecutions', record.concurrent, 'Count');
  }
}
