// What the sampler needs of a Walrus network, and nothing more: the committee of the current
// epoch (which node holds which shard) and raw answers of single storage nodes. Raw bytes, so the
// sampler itself decides what a bad answer is (docs/sampling.md "Outcomes"); any failure to get
// an answer (refused, 404, timeout, 5xx) is a throw, which the sampler counts as `missing`.
import type { SliverAxis } from '../walrus/codec/index.ts';

export interface SamplingNode {
  /** How metrics and logs name the node: stable across rounds and unique in the committee. */
  readonly name: string;
}

export interface SamplingCommittee {
  readonly epoch: number;
  readonly nShards: number;
  readonly nodes: readonly SamplingNode[];
  /** The node that holds `shard` this epoch, or undefined if none does. */
  nodeOfShard(shard: number): SamplingNode | undefined;
}

export interface FetchOptions {
  readonly signal?: AbortSignal;
}

export interface SliverSource {
  committee(options?: FetchOptions): Promise<SamplingCommittee>;
  /** BCS `BlobMetadataWithId` exactly as the node served it (`GET /v1/blobs/{id}/metadata`). */
  metadata(node: SamplingNode, blobId: Uint8Array, options?: FetchOptions): Promise<Uint8Array>;
  /** BCS `SliverData` exactly as the node served it (`GET /v1/blobs/{id}/slivers/{pair}/{axis}`). */
  sliver(node: SamplingNode, blobId: Uint8Array, pair: number, axis: SliverAxis, options?: FetchOptions): Promise<Uint8Array>;
}
