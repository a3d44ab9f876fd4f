import { describe, expect, it } from 'vitest';
import { mapConcurrently } from './concurrency.ts';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapConcurrently', () => {
  it('keeps the order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const result = await mapConcurrently([5, 1, 4, 2, 3, 0], 2, new AbortController().signal, async (n, index) => {
      running++;
      peak = Math.max(peak, running);
      await tick(n);
      running--;
      return `${index}:${n}`;
    });
    expect(result).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0']);
    expect(peak).toBe(2);
  });

  it('handles no items', async () => {
    expect(await mapConcurrently([], 4, new AbortController().signal, () => Promise.resolve(1))).toEqual([]);
  });

  it('rejects with the first failure and starts nothing after it', async () => {
    const started: number[] = [];
    const run = mapConcurrently([0, 1, 2, 3, 4, 5], 1, new AbortController().signal, async (n) => {
      started.push(n);
      await tick(1);
      if (n === 2) throw new Error('boom');
      return n;
    });
    await expect(run).rejects.toThrow('boom');
    expect(started).toEqual([0, 1, 2]);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const run = mapConcurrently([1, 2, 3], 1, controller.signal, async (n) => {
      if (n === 1) controller.abort(new Error('cancelled'));
      await tick(1);
      return n;
    });
    await expect(run).rejects.toThrow('cancelled');
  });
});
