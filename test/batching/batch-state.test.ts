// The batch state against real Redis: each move of a frame (held → handed off → committed →
// cached / evicted, or released) and what it leaves behind, seen through the state's own reads.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BatchState } from '../../src/batching/batch-state.ts';
import { deleteRedisPrefix } from '../../src/batching/batch-keys.ts';
import { frameKey } from '../../src/commitment/index.ts';
import { useBatchState } from '../support/batch-state.ts';
import { TEST_REDIS_URL } from '../support/stack.ts';

const { prefix, redis, state } = useBatchState('state');

const frame = (text: string) => new TextEncoder().encode(`${text} ${randomUUID()}`);
const batch = (quiltByte: number, keys: readonly string[]) => ({
  quiltId: new Uint8Array(32).fill(quiltByte),
  objectId: new Uint8Array(32).fill(0xb0),
  certifiedEpoch: 3,
  endEpoch: 9,
  frames: keys.map((key, i) => ({ key, startColumn: i + 1, endColumn: i + 2 })),
});

describe('BatchState', () => {
  it('holds, hands off, commits at one height per quilt, and keeps a frame’s first commitment', async () => {
    const frames = [frame('a'), frame('b')];
    const keys = frames.map(frameKey);
    for (const [i, f] of frames.entries()) await state.holdFrame(keys[i]!, f);
    await state.handOff('q-one', keys);
    expect(await state.batchOf(keys[0]!)).toBe('q-one');
    expect(await state.framesOf([...keys, 'ab'.repeat(32)])).toEqual([...frames, undefined]);

    const before = await state.latestHeight();
    const first = await state.commitBatch(batch(0x11, keys));
    expect(first.height).toBe(before + 1);
    expect([...first.commitments.keys()]).toEqual(keys);
    expect(await state.batchOf(keys[0]!)).toBeUndefined();
    expect(await state.isCommitted(keys[1]!)).toBe(true);
    expect((await state.batchAt(first.height))?.keys).toEqual(keys);

    // The same quilt again (a repeat after a crash): same height, nothing rewritten.
    expect(await state.commitBatch(batch(0x11, keys))).toEqual(first);
    // Another quilt holding one of the frames: a new height, but the frame keeps its commitment.
    const other = await state.commitBatch(batch(0x22, [keys[0]!]));
    expect(other.height).toBe(first.height + 1);
    expect(other.commitments.get(keys[0]!)).toEqual(first.commitments.get(keys[0]!));
    expect(await state.latestHeight()).toBe(other.height);
  });

  it('caches committed frames, never puts a TTL on a held one, and evicts only cache entries', async () => {
    const held = frame('held');
    const committed = frame('committed');
    const [heldKey, committedKey] = [frameKey(held), frameKey(committed)];
    await state.holdFrame(heldKey, held);
    await state.holdFrame(committedKey, committed);
    await state.commitBatch(batch(0x33, [committedKey]));

    await state.cacheFrame(heldKey, held); // refused: the held frame keeps no TTL
    expect(await state.evictFrames([heldKey, committedKey])).toBe(1);
    expect(await state.frame(heldKey)).toEqual(held);
    expect(await state.frame(committedKey)).toBeUndefined();

    await state.cacheFrame(committedKey, committed); // a read from Walrus refills the cache
    expect(await state.frame(committedKey)).toEqual(committed);
  });

  it('releases a batch that can never be stored, so its frames are held again', async () => {
    const keys = [frame('x'), frame('y')].map(frameKey);
    await state.handOff('q-doomed', keys);
    await state.releaseBatch(keys);
    expect(await Promise.all(keys.map((k) => state.batchOf(k)))).toEqual([undefined, undefined]);
  });

  it('places a go-da submission per namespace, in order, packed under the budget, once per frame', async () => {
    const keys = ['a', 'b', 'c', 'd'].map((t) => frameKey(frame(t)));
    const [a, b, c, d] = keys as [string, string, string, string];
    expect(await state.namespaceHead('0a')).toBe(0);
    // 40 + 40 fit a 100-byte height, the third frame starts a new one, a 150-byte frame gets its own.
    const heights = await state.placeSubmission('0a', [{ key: a, bytes: 40 }, { key: b, bytes: 40 }, { key: c, bytes: 40 }, { key: d, bytes: 150 }], 100);
    expect(heights).toEqual([1, 1, 2, 3]);
    expect(await state.namespaceHead('0a')).toBe(3);
    expect((await state.namespaceHeight('0a', 1))?.keys).toEqual([a, b]);
    expect((await state.namespaceHeight('0a', 2))?.keys).toEqual([c]);
    expect((await state.namespaceHeight('0a', 3))?.placedAtMs).toBeGreaterThan(Date.now() - 60_000);
    // A repeat keeps its heights and never adds to a height another submission wrote.
    const e = frameKey(frame('e'));
    expect(await state.placeSubmission('0a', [{ key: b, bytes: 40 }, { key: e, bytes: 1 }, { key: e, bytes: 1 }], 100)).toEqual([1, 4, 4]);
    expect((await state.namespaceHeight('0a', 4))?.keys).toEqual([e]);
    expect((await state.namespaceHeight('0a', 1))?.keys).toEqual([a, b]);
    // Namespaces are apart; the empty namespace is one too.
    expect(await state.placeSubmission('', [{ key: c, bytes: 1 }, { key: a, bytes: 1 }], 100)).toEqual([1, 1]);
    expect((await state.namespaceHeight('', 1))?.keys).toEqual([c, a]);
    expect(await state.namespaceHeight('0a', 5)).toBeUndefined();
    expect(await state.namespaceHeight('0a', 0)).toBeUndefined();
  });

  it('gives every per-frame and per-batch record the retention TTL, and keeps held frames in the held index until commit or release', async () => {
    const retentionMs = 5 * 86_400_000;
    const short = new BatchState(redis, { prefix, cacheTtlSeconds: 60, retentionMs });
    const frames = [frame('r1'), frame('r2')];
    const keys = frames.map(frameKey);
    const [k1, k2] = keys as [string, string];
    for (const [i, f] of frames.entries()) await short.holdFrame(keys[i]!, f);
    expect(await short.heldBefore(Date.now() + 1, 0, 1000)).toEqual(expect.arrayContaining(keys));
    expect(await short.heldBefore(0, 0, 1000)).not.toContain(k1); // held just now, not before 1970

    const { height } = await short.commitBatch(batch(0x44, [k1]));
    await short.releaseBatch([k2]);
    const held = await short.heldBefore(Date.now() + 1, 0, 1000);
    expect(held).not.toContain(k1);
    expect(held).not.toContain(k2);

    // The layout of batch-state.ts's header: the records that grow with traffic all expire.
    const within = (ttl: number) => ttl > retentionMs - 60_000 && ttl <= retentionMs;
    expect(within(await redis.pttl(`${prefix}:commit:${k1}`))).toBe(true);
    expect(within(await redis.pttl(`${prefix}:batch:${height}`))).toBe(true);
    expect(within(await redis.pttl(`${prefix}:quilt:0x${'44'.repeat(32)}`))).toBe(true);
    expect(await redis.ttl(`${prefix}:frame:${k1}`)).toBeGreaterThan(0); // the cache TTL
    await short.placeSubmission('0b', [{ key: k1, bytes: 10 }], 100);
    expect(within(await redis.pttl(`${prefix}:goda:0b:height:1`))).toBe(true);
    expect(within(await redis.pttl(`${prefix}:goda:0b:blob:${k1}`))).toBe(true);
    expect(await redis.pttl(`${prefix}:goda:0b:head`)).toBe(-1); // one key per namespace, kept
  });

  it('settles a committed frame whose bytes a racing put rewrote without TTL', async () => {
    const f = frame('raced');
    const key = frameKey(f);
    await state.holdFrame(key, f);
    await state.commitBatch(batch(0x55, [key]));
    await state.holdFrame(key, f); // a put that read no commitment just before the commit
    expect(await redis.ttl(`${prefix}:frame:${key}`)).toBe(-1);
    expect(await state.heldBefore(Date.now() + 1, 0, 1000)).toContain(key);
    await state.settleCommitted([key]);
    expect(await redis.ttl(`${prefix}:frame:${key}`)).toBeGreaterThan(0);
    expect(await state.heldBefore(Date.now() + 1, 0, 1000)).not.toContain(key);
  });

  it('refuses a prefix that could widen into other deployments’ keys', () => {
    expect(() => new BatchState(redis, { prefix: 'a*' })).toThrow(RangeError);
  });
});

describe('BatchState quilt expiry', () => {
  it('indexes committed quilts by end epoch, answers earliest, latest and how many end by an epoch, and forgets expired ones', async () => {
    const own = `${prefix}-expiry`;
    const expiry = new BatchState(redis, { prefix: own, cacheTtlSeconds: 60 });
    try {
      expect(await expiry.quiltExpiry(1, 100)).toEqual({ earliestEndEpoch: undefined, latestEndEpoch: undefined, endingBy: 0 });
      const commit = (quiltByte: number, endEpoch: number) => expiry.commitBatch({ ...batch(quiltByte, [frameKey(frame(`q${quiltByte}`))]), endEpoch });
      await commit(0x31, 12);
      await commit(0x32, 20);
      await commit(0x33, 15);
      // A quilt committed again keeps its one entry.
      await commit(0x33, 15);
      expect(await expiry.quiltExpiry(5, 15)).toEqual({ earliestEndEpoch: 12, latestEndEpoch: 20, endingBy: 2 });
      // At epoch 12 the first quilt's end epoch has begun: it is gone (end_epoch is exclusive).
      expect(await expiry.quiltExpiry(12, 15)).toEqual({ earliestEndEpoch: 15, latestEndEpoch: 20, endingBy: 1 });
      expect(await expiry.quiltExpiry(20, 30)).toEqual({ earliestEndEpoch: undefined, latestEndEpoch: undefined, endingBy: 0 });
    } finally {
      await deleteRedisPrefix(TEST_REDIS_URL, own);
    }
  });
});
