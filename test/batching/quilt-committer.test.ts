// The quilt committer against real Redis and walrus-local: a batch stored again (as after a crash
// between the Walrus store and the Redis commit) is alreadyCertified and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchProgress } from '../../src/batching/jobs.ts';
import type { QuiltCommitter } from '../../src/batching/quilt-committer.ts';
import { quiltCommitter } from '../../src/batching/start-batching.ts';
import { frameKey } from '../../src/commitment/index.ts';
import { batcherFrame } from '../support/opstack-client.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
let committer: QuiltCommitter;

beforeAll(async () => {
  stack = await startStack({ settings: { workers: false } });
  // The replica's own wiring (the stack runs no workers, so this committer is the only one).
  const { batching, encoder, blobStore, availability } = stack.composed;
  committer = quiltCommitter(batching.state, {
    encoder,
    blobStore,
    availability,
    availabilityWindowMs: 2 * 86_400_000,
    certifyTimeoutMs: 10_000,
    logger: stack.logger,
    metrics: stack.metrics,
  });
});

afterAll(() => stack?.close());

describe('QuiltCommitter', () => {
  it('commits a batch once; a repeated store is alreadyCertified and keeps height and commitments', async () => {
    const frames = Array.from({ length: 5 }, () => batcherFrame(10_000));
    const keys = frames.map(frameKey);
    for (const [i, frame] of frames.entries()) await stack.composed.batching.state.holdFrame(keys[i]!, frame);
    const stages: BatchProgress[] = [];
    const first = await committer.commit(keys, (p) => Promise.resolve(void stages.push(p)));
    expect(stages.map((s) => s.stage)).toEqual(['encoding', 'storing', 'stored']);
    const commitments = await Promise.all(keys.map((k) => stack.service.commitment(k)));
    expect(commitments.every((c) => c?.height === first.height)).toBe(true);

    const again = await committer.commit(keys, () => Promise.resolve());
    expect({ ...again, stages: undefined }).toEqual({ ...first, stages: undefined });
    expect(await Promise.all(keys.map((k) => stack.service.commitment(k)))).toEqual(commitments);
    expect(await stack.service.latestHeight()).toBe(first.height);
    const text = await stack.metrics.registry.metrics();
    expect(text).toContain('walrus_da_quilt_stores_total{outcome="newlyCreated"} 1');
    expect(text).toContain('walrus_da_quilt_stores_total{outcome="alreadyCertified"} 1');
    expect((await stack.service.batch(first.height))?.keys).toEqual(keys);
  });

  it('rejects a batch whose frames are missing from Redis instead of storing part of it', async () => {
    await expect(committer.commit(['ab'.repeat(32)], () => Promise.resolve())).rejects.toThrow(/frame bytes missing from Redis/);
  });
});
