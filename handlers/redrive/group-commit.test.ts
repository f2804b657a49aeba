import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit';

/** A write the test ends by hand. */
function manualWrites() {
  const writes: { items: readonly number[]; end(error?: Error): void }[] = [];
  const write = (items: readonly number[]) =>
    new Promise<void>((resolve, reject) => writes.push({ items, end: (error) => (error ? reject(error) : resolve()) }));
  return { writes, write };
}

describe('GroupCommit', () => {
  it('writes what arrives while a write is in flight together in the next one, and answers each caller after its own write', async () => {
    const { writes, write } = manualWrites();
    const commit = new GroupCommit(write);
    const settled: number[] = [];
    const first = commit.add([1]).then(() => settled.push(1));
    const second = commit.add([2, 3]).then(() => settled.push(2));
    const third = commit.add([4]).then(() => settled.push(4));
    expect(writes.map((w) => w.items)).toEqual([[1]]);
    writes[0]!.end();
    await first;
    expect(settled).toEqual([1]);
    await Promise.resolve();
    expect(writes.map((w) => w.items)).toEqual([[1], [2, 3, 4]]);
    writes[1]!.end();
    await Promise.all([second, third]);
    expect(settled).toEqual([1, 2, 4]);
  });

  it("rejects exactly the callers of a write that failed, and goes on with the next", async () => {
    const { writes, write } = manualWrites();
    const commit = new GroupCommit(write);
    const first = commit.add([1]);
    const second = commit.add([2]);
    writes[0]!.end(new Error('throttled'));
    await expect(first).rejects.toThrow('throttled');
    await Promise.resolve();
    writes[1]!.end();
    await expect(second).resolves.toBeUndefined();
    expect(writes.map((w) => w.items)).toEqual([[1], [2]]);
  });

  it('writes nothing for nothing', async () => {
    const { writes, write } = manualWrites();
    await new GroupCommit(write).add([]);
    expect(writes).toEqual([]);
  });
});
