import { describe, expect, it } from 'vitest';
import { maxBlobSize } from '../walrus/codec/index.ts';
import { batchLimits } from './batch-limits.ts';

const requested = { maxFrames: 600, maxBytes: 32 * 1024 * 1024, maxWaitMs: 1000, maxFrameBytes: 16 * 1024 * 1024 };

describe('batchLimits', () => {
  it('keeps what fits a quilt at 1000 shards', () => {
    expect(batchLimits(requested, 1000)).toEqual({ policy: { maxFrames: 600, maxBytes: 32 * 1024 * 1024, maxWaitMs: 1000 }, maxFrameBytes: 16 * 1024 * 1024 });
  });

  it('caps frames per batch at the quilt patch limit (s − 1)', () => {
    expect(batchLimits({ ...requested, maxFrames: 10_000 }, 1000).policy.maxFrames).toBe(666);
    expect(batchLimits(requested, 10).policy.maxFrames).toBe(6);
  });

  it('caps batch and frame bytes at half the maximum blob size', () => {
    const ceiling = Math.floor(maxBlobSize(10) / 2);
    const limits = batchLimits(requested, 10);
    expect(limits.policy.maxBytes).toBe(ceiling);
    expect(limits.maxFrameBytes).toBe(ceiling);
    expect(limits.policy.maxWaitMs).toBe(1000);
  });
});
