// The orphan sweeper against real Redis and BullMQ queues (no workers): which held frames it gives a
// frame job, which it leaves alone, and that two sweepers at once add one job per orphan.
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAMES_QUEUE, QUILTS_QUEUE, type FrameJobData, type QuiltJobData } from '../../src/batching/jobs.ts';
import { OrphanSweeper } from '../../src/batching/orphan-sweeper.ts';
import { frameKey } from '../../src/commitment/index.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { useBatchState } from '../support/batch-state.ts';

const { prefix, redis, state } = useBatchState('sweep');
let frames: Queue<FrameJobData>;
let quilts: Queue<QuiltJobData>;

beforeAll(() => {
  frames = new Queue<FrameJobData>(FRAMES_QUEUE, { connection: redis, prefix });
  quilts = new Queue<QuiltJobData>(QUILTS_QUEUE, { connection: redis, prefix });
});

afterAll(async () => {
  await frames?.close();
  await quilts?.close();
});

const frame = (text: string) => new TextEncoder().encode(`${text} ${randomUUID()}`);
// A zero grace period: every held frame is old enough (the sleep puts its write strictly in the past).
const sweeper = () => new OrphanSweeper({ state, frames, quilts, logger: silentLogger(), intervalMs: 0, pageSize: 2 });
const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('OrphanSweeper', () => {
  it('adds a frame job only for held frames with neither a frame job nor a live quilt job, and settles committed ones', async () => {
    const [orphan, queued, handed, committed, released] = ['orphan', 'queued', 'handed', 'committed', 'released'].map(frame) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    const key = (f: Uint8Array) => frameKey(f);
    for (const f of [orphan, queued, handed, committed, released]) await state.holdFrame(key(f), f);
    await frames.add('frame', { size: queued.length }, { jobId: key(queued) });
    await state.handOff('q-live', [key(handed)]);
    await quilts.add('quilt', { keys: [key(handed)] }, { jobId: 'q-live' });
    await state.commitBatch({ quiltId: new Uint8Array(32).fill(0x61), objectId: new Uint8Array(32).fill(0x62), certifiedEpoch: 1, endEpoch: 5, frames: [{ key: key(committed), startColumn: 1, endColumn: 2 }] });
    await state.holdFrame(key(committed), committed); // a put that raced the commit rewrote the bytes without TTL
    await state.handOff('q-doomed', [key(released)]);
    await state.releaseBatch([key(released)]);
    await pause();

    const result = await sweeper().sweep();
    expect(result).toEqual({ checked: 4, committed: 1, requeued: 1 }); // released frames left the index
    expect((await frames.getJob(key(orphan)))?.data).toEqual({ size: orphan.length });
    expect(await frames.getJob(key(handed))).toBeUndefined();
    expect(await frames.getJob(key(released))).toBeUndefined();
    expect(await redis.ttl(`${prefix}:frame:${key(committed)}`)).toBeGreaterThan(0);

    // Nothing changed since: the next sweep requeues nothing, and the committed frame is gone from the index.
    expect(await sweeper().sweep()).toEqual({ checked: 3, committed: 0, requeued: 0 });
  });

  it('adds one job when two replicas sweep the same orphans at once', async () => {
    const orphans = ['a', 'b', 'c'].map(frame);
    for (const f of orphans) await state.holdFrame(frameKey(f), f);
    await pause();
    const before = await frames.getJobCounts('waiting');
    const results = await Promise.all([sweeper().sweep(), sweeper().sweep()]);
    expect(results[0].requeued + results[1].requeued).toBeGreaterThanOrEqual(3); // each orphan was requeued by one or both
    const after = await frames.getJobCounts('waiting');
    expect((after.waiting ?? 0) - (before.waiting ?? 0)).toBe(3);
  });
});
