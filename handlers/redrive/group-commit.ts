/**
 * Group commit: items added while a write is in flight wait for it to end, then go together in the
 * next write, so batches in flight at once share one write instead of each making its own. Each caller
 * is answered when the write holding its items has succeeded (or with its error), never before, and
 * waits no longer than the write ahead of it. Hand-written: DataLoader and its kin group what arrives
 * within one tick, not what arrives while a write is in flight.
 */
interface Waiting<T> {
  readonly items: readonly T[];
  resolve(): void;
  reject(error: unknown): void;
}

export class GroupCommit<T> {
  private waiting: Waiting<T>[] = [];
  private writing = false;

  constructor(private readonly write: (items: readonly T[]) => Promise<void>) {}

  /** Resolves once `items` are written. */
  add(items: readonly T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ items, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const group = this.waiting;
      this.waiting = [];
      try {
        await this.write(group.flatMap((waiting) => waiting.items));
        for (const waiting of group) waiting.resolve();
      } catch (error) {
        for (const waiting of group) waiting.reject(error);
      }
    }
    this.writing = false;
  }
}
