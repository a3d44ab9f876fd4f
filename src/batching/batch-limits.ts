// The batch policy and the largest frame a deployment accepts, derived from what is asked for and
// what one quilt can hold at the committee's shard count (docs/architecture.md, "Batching").
import { maxBlobSize, maxQuiltPatches } from '../walrus/codec/index.ts';
import type { BatchPolicy } from './accumulator.ts';

/** The operator's settings (flags), before they meet the quilt's limits. */
export interface RequestedLimits extends BatchPolicy {
  /** Largest frame a put may carry. */
  readonly maxFrameBytes: number;
}

export interface BatchLimits {
  /** What the frame worker's accumulator flushes at. */
  readonly policy: BatchPolicy;
  /** Largest frame DaService accepts: one frame alone must still fit a quilt. */
  readonly maxFrameBytes: number;
}

/**
 * Caps the requested limits at the quilt's: at most s − 1 patches per quilt, and payloads at half
 * Walrus's maximum blob size, so a quilt stays under it whatever padding its column layout needs.
 */
export function batchLimits(requested: RequestedLimits, nShards: number): BatchLimits {
  const quiltCeiling = Math.floor(maxBlobSize(nShards) / 2);
  return {
    policy: {
      maxFrames: Math.min(requested.maxFrames, maxQuiltPatches(nShards)),
      maxBytes: Math.min(requested.maxBytes, quiltCeiling),
      maxWaitMs: requested.maxWaitMs,
      ...(requested.lingerMs === undefined ? {} : { lingerMs: requested.lingerMs }),
    },
    maxFrameBytes: Math.min(requested.maxFrameBytes, quiltCeiling),
  };
}
