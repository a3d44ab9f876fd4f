// What the quilt committer needs from the rest of the system, and nothing more: the bytes of a
// batch's frames, a quilt encoder, a place to record the commit (plus the core's BlobStore and
// AvailabilityChecker). Production passes the Redis batch state and the encoder pool; unit tests
// pass in-memory fakes.
import type { FrameCommitment, FrameKey } from '../core/index.ts';
import type { FrameQuilt, KeyedFrame } from '../walrus/codec/index.ts';

/** Reads the bytes of a batch's frames. */
export interface BatchFrameSource {
  /** In the order of `keys`; undefined where a frame is gone (expired, never held). */
  framesOf(keys: readonly FrameKey[]): Promise<readonly (Uint8Array | undefined)[]>;
}

/** Packs frames into a quilt and computes blob ids, off the event loop. */
export interface QuiltEncoder {
  /** Each frame travels with its key, which becomes its patch identifier (no re-hash). */
  buildFrameQuilt(frames: readonly KeyedFrame[], nShards: number): Promise<FrameQuilt>;
  /** The blob id Walrus will give `blob` (a full RS2 encode: the slow part at n = 1000). */
  blobMetadata(blob: Uint8Array, nShards: number): Promise<{ readonly blobId: Uint8Array }>;
}

/** A stored and certified batch, ready to become commitments. */
export interface BatchToCommit {
  readonly quiltId: Uint8Array;
  readonly objectId: Uint8Array;
  readonly certifiedEpoch: number;
  readonly endEpoch: number;
  /** In the batch's order, with each frame's patch columns. */
  readonly frames: readonly { readonly key: FrameKey; readonly startColumn: number; readonly endColumn: number }[];
}

export interface CommittedBatchRecord {
  readonly height: number;
  readonly commitments: ReadonlyMap<FrameKey, FrameCommitment>;
}

/** Records a batch's commitments at a new height, idempotently per quilt. */
export interface BatchCommitLog {
  /** A quilt committed before keeps its height; a frame committed before keeps its commitment. */
  commitBatch(batch: BatchToCommit): Promise<CommittedBatchRecord>;
}
