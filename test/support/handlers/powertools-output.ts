/**
 * A capture of what Powertools prints, for handler tests. They run with POWERTOOLS_DEV=true (Powertools
 * then writes through the global console, so the output can be captured) and
 * POWERTOOLS_METRICS_DISABLED=false (dev mode would otherwise mute metrics).
 */
import { vi } from 'vitest';

/** The environment every handler test sets before importing a handler's index. */
export const POWERTOOLS_TEST_ENV = {
  POWERTOOLS_DEV: 'true',
  POWERTOOLS_METRICS_DISABLED: 'false',
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
  // Lambda sets this on on-demand functions; Powertools emits ColdStart only when it is present.
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  TIDEWATCH_STAGE: 'test',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
} as const;

/** An Embedded Metric Format document as Powertools Metrics prints it. */
export interface EmfDocument {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: ReadonlyArray<{
      readonly Namespace: string;
      readonly Dimensions: ReadonlyArray<readonly string[]>;
      readonly Metrics: ReadonlyArray<{ readonly Name: string; readonly Unit: string; readonly StorageResolution?: number }>;
    }>;
  };
  readonly [key: string]: unknown;
}

export interface CapturedOutput {
  /** EMF documents printed so far. */
  emf(): EmfDocument[];
  /** Structured log lines printed so far. */
  logs(): Array<Record<string, unknown>>;
}

/** Captures what Powertools prints through the global console (dev mode) until the test's mocks are restored. */
export function captureOutput(): CapturedOutput {
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation(() => undefined),
  );
  const printed = () =>
    spies.flatMap((spy) => spy.mock.calls.map((call) => parseJson(call[0])).filter((value): value is Record<string, unknown> => value !== undefined));
  return {
    emf: () => printed().filter((line) => '_aws' in line) as unknown as EmfDocument[],
    logs: () => printed().filter((line) => !('_aws' in line)),
  };
}

/** Every metric in the captured EMF output, with its document (namespace, dimensions, values). */
export function emittedMetric(documents: readonly EmfDocument[], name: string): Array<{ document: EmfDocument; definition: EmfDocument['_aws']['CloudWatchMetrics'][number]['Metrics'][number] }> {
  return documents.flatMap((document) =>
    document._aws.CloudWatchMetrics.flatMap((directive) =>
      directive.Metrics.filter((metric) => metric.Name === name).map((definition) => ({ document, definition })),
    ),
  );
}

function parseJson(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
