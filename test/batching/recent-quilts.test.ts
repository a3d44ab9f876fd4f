// BatchState.recentQuilts against real Redis: the newest committed quilts, newest first, each
// with the end epoch its frames' commitments record, as the availability sampler reads them.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { frameKey } from '../../src/commitment/index.ts';
import { useBatchState } from '../support/batch-state.ts';

const { state } = useBatchState('recent');

const key = (text: string) => frameKey(new TextEncoder().encode(`${text} ${randomUUID()}`));
const commit = (quiltByte: number, endEpoch: number, keys: readonly string[]) =>
  state.commitBatch({
    quiltId: new Uint8Array(32).fill(quiltByte),
    objectId: new Uint8Array(32).fill(0xb0),
    certifiedEpoch: 1,
    endEpoch,
    frames: keys.map((k, i) => ({ key: k, startColumn: i + 1, endColumn: i + 2 })),
  });

describe('BatchState.recentQuilts', () => {
  it('is empty before the first batch', async () => {
    expect(await state.recentQuilts(10)).toEqual([]);
  });

  it('lists the newest quilts first with their end epochs, at most `count`', async () => {
    const shared = key('shared');
    const a = await commit(0x11, 7, [shared, key('a')]);
    const b = await commit(0x22, 8, [key('b')]);
    // Its only frame kept quilt 0x11's commitment: no commitment names this height, so it is left out.
    const c = await commit(0x33, 9, [shared]);
    const d = await commit(0x44, 10, [key('d1'), key('d2')]);
    expect(await state.recentQuilts(10)).toEqual([
      { height: d.height, quiltId: new Uint8Array(32).fill(0x44), endEpoch: 10 },
      { height: b.height, quiltId: new Uint8Array(32).fill(0x22), endEpoch: 8 },
      { height: a.height, quiltId: new Uint8Array(32).fill(0x11), endEpoch: 7 },
    ]);
    expect(c.height).toBe(b.height + 1);
    expect((await state.recentQuilts(2)).map((q) => q.height)).toEqual([d.height]);
    expect(await state.recentQuilts(0)).toEqual([]);
  });
});
