// What a storage node depends on, apart from its own disk: its view of the chain and its faults.
import type { BlobObject, BlobStatus } from '../ledger/types.ts';

/** What a node learns from the chain (real nodes follow Sui events; ours ask the local ledger). */
export interface NodeChainView {
  readonly nShards: number;
  currentEpoch(): number;
  blobStatus(blobIdText: string): BlobStatus;
  blobObject(objectId: string): BlobObject | undefined;
}

export interface NodeFault {
  /** Serve slivers whose symbol bytes are flipped (still valid BCS). */
  readonly corruptSlivers?: boolean;
  /** Delay every answer by this many ms. */
  readonly latencyMs?: number;
}
