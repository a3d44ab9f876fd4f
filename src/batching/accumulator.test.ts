import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchAccumulator, COALESCE_MS } from './accumulator.ts';
import { StoreSlots } from './store-slots.ts';

afterEach(() => vi.useRealTimers());

function recorder() {
  const batches: number[][] = [];
  const flush = (items: number[]) => {
    batches.push(items);
    return Promise.resolve(batches.length);
  };
  return { batches, flush };
}

describe('BatchAccumulator', () => {
  it('flushes at maxFrames and resolves every item with its batch result', async () => {
    const { batches, flush } = recorder();
    const acc = new BatchAccumulator({ maxFrames: 3, maxBytes: 1e9, maxWaitMs: 60_000 }, flush);
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => acc.add(i, 1)));
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(results).toEqual([1, 1, 1, 2, 2, 2]);
  });

  it('flushes before the payload would pass maxBytes, and alone for an oversized item', async () => {
    const { batches, flush } = recorder();
    const acc = new BatchAccumulator({ maxFrames: 100, maxBytes: 10, maxWaitMs: 60_000 }, flush);
    const pending = [acc.add(1, 4), acc.add(2, 4), acc.add(3, 4), acc.add(4, 30), acc.add(5, 1)];
    await acc.drain();
    await Promise.all(pending);
    expect(batches).toEqual([[1, 2], [3], [4], [5]]);
  });

  it('flushes maxWaitMs after the first item of a batch', async () => {
    vi.useFakeTimers();
    const { batches, flush } = recorder();
    const acc = new BatchAccumulator({ maxFrames: 100, maxBytes: 1e9, maxWaitMs: 1000 }, flush);
    const first = acc.add(1, 1);
    await vi.advanceTimersByTimeAsync(600);
    const second = acc.add(2, 1);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(400);
    expect(batches).toEqual([[1, 2]]);
    await expect(Promise.all([first, second])).resolves.toEqual([1, 1]);
    const third = acc.add(3, 1);
    await vi.advanceTimersByTimeAsync(999);
    expect(acc.pending).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(third).resolves.toBe(2);
  });

  it('rejects every item of a failed flush and keeps going', async () => {
    let calls = 0;
    const acc = new BatchAccumulator({ maxFrames: 2, maxBytes: 1e9, maxWaitMs: 60_000 }, () =>
      ++calls === 1 ? Promise.reject(new Error('store down')) : Promise.resolve('ok'),
    );
    const outcomes = await Promise.allSettled([acc.add(1, 1), acc.add(2, 1), acc.add(3, 1), acc.add(4, 1)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
  });

  it('never loses or duplicates an item, whatever the sizes and limits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 100 }),
        async (sizes, maxFrames, maxBytes) => {
          const { batches, flush } = recorder();
          const acc = new BatchAccumulator({ maxFrames, maxBytes, maxWaitMs: 60_000 }, flush);
          const pending = sizes.map((size, i) => acc.add(i, size));
          await acc.drain();
          await Promise.all(pending);
          expect(batches.flat()).toEqual(sizes.map((_, i) => i));
          for (const batch of batches) {
            expect(batch.length).toBeLessThanOrEqual(maxFrames);
            const bytes = batch.reduce((sum, i) => sum + (sizes[i] ?? 0), 0);
            if (batch.length > 1) expect(bytes).toBeLessThanOrEqual(maxBytes);
          }
        },
      ),
    );
  });

  describe('group commit (with store slots)', () => {
    const policy = { maxFrames: 100, maxBytes: 1e9, maxWaitMs: 60_000 };

    it('seals a lone item COALESCE_MS after it arrives when a slot is free, instead of waiting maxWaitMs', async () => {
      vi.useFakeTimers();
      const { batches, flush } = recorder();
      const acc = new BatchAccumulator(policy, flush, new StoreSlots(2));
      const lone = acc.add(1, 1);
      await vi.advanceTimersByTimeAsync(COALESCE_MS - 1);
      expect(batches).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(batches).toEqual([[1]]);
      await expect(lone).resolves.toBe(1);
    });

    it('lets items pile up while every slot is busy and seals them together when one frees', async () => {
      vi.useFakeTimers();
      const slots = new StoreSlots(1);
      const { batches, flush } = recorder();
      const acc = new BatchAccumulator(policy, (items: number[]) => {
        slots.take(`b${batches.length + 1}`);
        return flush(items);
      }, slots);
      void acc.add(1, 1);
      await vi.advanceTimersByTimeAsync(COALESCE_MS);
      expect(batches).toEqual([[1]]); // the slot is now busy storing b1
      const later = [2, 3, 4].map((i) => acc.add(i, 1));
      await vi.advanceTimersByTimeAsync(5_000);
      expect(batches).toEqual([[1]]);
      slots.release('b1');
      await vi.advanceTimersByTimeAsync(COALESCE_MS);
      expect(batches).toEqual([[1], [2, 3, 4]]);
      await expect(Promise.all(later)).resolves.toEqual([2, 2, 2]);
    });

    it('keeps a burst together: each arrival within COALESCE_MS of the last joins the batch', async () => {
      vi.useFakeTimers();
      const { batches, flush } = recorder();
      const acc = new BatchAccumulator(policy, flush, new StoreSlots(1));
      for (let i = 1; i <= 5; i++) {
        void acc.add(i, 1);
        await vi.advanceTimersByTimeAsync(COALESCE_MS - 2);
      }
      expect(batches).toEqual([]);
      await vi.advanceTimersByTimeAsync(2);
      expect(batches).toEqual([[1, 2, 3, 4, 5]]);
    });

    it('lingers lingerMs for companions when asked to', async () => {
      vi.useFakeTimers();
      const { batches, flush } = recorder();
      const acc = new BatchAccumulator({ ...policy, lingerMs: 50 }, flush, new StoreSlots(1));
      void acc.add(1, 1);
      await vi.advanceTimersByTimeAsync(30);
      void acc.add(2, 1);
      expect(batches).toEqual([]);
      await vi.advanceTimersByTimeAsync(20 + COALESCE_MS);
      expect(batches).toEqual([[1, 2]]);
    });

    it('still seals at maxWaitMs when no slot frees (a lost completion event never stalls a batch)', async () => {
      vi.useFakeTimers();
      const slots = new StoreSlots(1);
      slots.take('stuck');
      const { batches, flush } = recorder();
      const acc = new BatchAccumulator({ ...policy, maxWaitMs: 1000 }, flush, slots);
      void acc.add(1, 1);
      await vi.advanceTimersByTimeAsync(999);
      expect(batches).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(batches).toEqual([[1]]);
    });

    it('never loses or duplicates an item, whatever slots do', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 1, max: 20 }), fc.boolean()), { maxLength: 40 }), async (steps) => {
          const slots = new StoreSlots(1);
          const { batches, flush } = recorder();
          const acc = new BatchAccumulator({ maxFrames: 5, maxBytes: 50, maxWaitMs: 60_000 }, (items: number[]) => {
            slots.take(`b${batches.length}`);
            return flush(items);
          }, slots);
          const pending: Promise<number>[] = [];
          for (const [i, [size, release]] of steps.entries()) {
            pending.push(acc.add(i, size));
            if (release) slots.release(`b${batches.length - 1}`);
            await new Promise((resolve) => setTimeout(resolve, release ? COALESCE_MS + 1 : 0));
          }
          await acc.drain();
          await Promise.all(pending);
          expect(batches.flat().sort((a, b) => a - b)).toEqual(steps.map((_, i) => i));
        }),
        { numRuns: 50 },
      );
    });
  });
});
