/** What every answer of an HTTP handler must be, whatever the body: its success status, or a 4xx with a JSON error body. */
import { expect } from 'vitest';

export interface HandlerAnswer {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

/** Success, or a client error carrying exactly `error` and `message`; never a 5xx. */
export function expectSuccessOrClientError(response: HandlerAnswer, successStatus: number): void {
  expect(response.status === successStatus || (response.status >= 400 && response.status < 500)).toBe(true);
  if (response.status >= 400) expect(Object.keys(response.json).sort()).toEqual(['error', 'message']);
}
