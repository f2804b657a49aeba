/**
 * AWS/ApiGateway metrics of an HTTP API (dimension `ApiId`, and `ApiId` + `Stage` when the stage is
 * known), as API Gateway publishes them per request: Count, 4xx and 5xx as 0/1 (so their Average is a
 * rate), Latency and IntegrationLatency in milliseconds.
 */
import type { Clock } from './clock';
import type { Dimension } from './model';
import type { MetricStore } from './metric-store';

export const API_GATEWAY_NAMESPACE = 'AWS/ApiGateway';

export interface ApiRequestRecord {
  /** The API's id: what `resolve({ Ref: <AWS::ApiGatewayV2::Api logical id> })` gives. */
  readonly apiId: string;
  /** e.g. `$default`; adds the `ApiId` + `Stage` dimension set. */
  readonly stage?: string;
  readonly status: number;
  /** From request received to response sent. */
  readonly latencyMs: number;
  /** Time spent in the integration (the function). */
  readonly integrationLatencyMs?: number;
  /** @default the clock's now */
  readonly timestamp?: number;
}

export class ApiGatewayMetrics {
  constructor(
    private readonly store: MetricStore,
    private readonly clock: Clock,
  ) {}

  recordApiRequest(record: ApiRequestRecord): void {
    const timestamp = record.timestamp ?? this.clock.now();
    const dimensionSets: Dimension[][] = [[{ name: 'ApiId', value: record.apiId }]];
    if (record.stage) dimensionSets.push([...dimensionSets[0], { name: 'Stage', value: record.stage }]);
    const metrics: Array<[string, number | undefined, string]> = [
      ['Count', 1, 'Count'],
      ['4xx', record.status >= 400 && record.status < 500 ? 1 : 0, 'Count'],
      ['5xx', record.status >= 500 ? 1 : 0, 'Count'],
      ['Latency', record.latencyMs, 'Milliseconds'],
      ['IntegrationLatency', record.integrationLatencyMs, 'Milliseconds'],
    ];
    for (const dimensions of dimensionSets) {
      for (const [metricName, value, unit] of metrics) {
        if (value === undefined) continue;
        this.store.put({ namespace: API_GATEWAY_NAMESPACE, metricName, dimensions }, { timestamp, values: [value], unit });
      }
    }
  }
}
