/** The page's calls to its server (`/dashboard/api/...`), which makes them at the local AWS endpoint. */
import type { AlarmSummary } from '../alarm-status';
import type { QueryData } from '../metric-chart';
import type { MetricDataQuery } from '../metric-queries';

export interface InvokeAnswer {
  readonly payload?: unknown;
  readonly functionError?: string;
}

async function post<T>(call: string, body: unknown): Promise<T> {
  const response = await fetch(`/dashboard/api/${call}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await response.json()) as T & { error?: string; message?: string };
  if (!response.ok) throw new Error(`${answer.error ?? response.status}: ${answer.message ?? response.statusText}`);
  return answer;
}

export const calls = {
  metricData: (queries: readonly MetricDataQuery[], start: Date, end: Date) => post<QueryData[]>('metric-data', { queries, start: start.toISOString(), end: end.toISOString() }),
  alarms: (names: readonly string[]) => post<AlarmSummary[]>('alarms', { names }),
  invoke: (functionName: string, event: Record<string, unknown>) => post<InvokeAnswer>('invoke', { functionName, event }),
};
