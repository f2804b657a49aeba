/** Waiting for work at most so long, without ending the work: what a time limit that only stops the waiting needs. */

export type WithinTimeLimit<T> = { readonly timedOut: false; readonly value: T } | { readonly timedOut: true };

/** `work`'s value if it settles within `timeoutMs`, else `timedOut` (the work goes on); rejects as `work` does within the limit. */
export function withinTimeLimit<T>(work: Promise<T>, timeoutMs: number): Promise<WithinTimeLimit<T>> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<WithinTimeLimit<T>>((resolve) => {
    timer = setTimeout(() => resolve({ timedOut: true }), timeoutMs);
  });
  return Promise.race([work.then((value): WithinTimeLimit<T> => ({ timedOut: false, value })), limit]).finally(() => clearTimeout(timer));
}
