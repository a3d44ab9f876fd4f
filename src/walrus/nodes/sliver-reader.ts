// How a reader gets verified data out of the storage nodes (walrus-local's aggregator, and
// StorageNodePatchSource when a column cannot be read on its own), tolerating missing and corrupt
// slivers as Walrus's client does (walrus crates/walrus-sdk/src/client.rs `request_slivers_and_decode`,
// default consistency check = the fetched primary slivers must match the metadata's hashes):
//   metadata   from any node, checked against the blob id (Merkle recomputation);
//   primary    p slivers, systematic pairs 0..p−1 first; each round is verified with one crafted
//              encode (src/walrus/codec/sliver-verify.ts), failures are replaced by other pairs and
//              the nodes that served them are skipped for the rest of the read;
//   blob       rebuilt from them and re-encoded: its blob id must be the one asked for.
import {
  blobIdToText,
  checkSliverShape,
  decodeVerifiedMetadata,
  encodingConfig,
  shardForPair,
  verifyPrimarySlivers,
  type BlobMetadataV1,
  type EncoderPool,
} from '../codec/index.ts';
import { equalBytes } from '../../bytes/index.ts';
import type { Logger } from '../../observability/logger.ts';
import { withTimeout, type NodeClient } from './node-client.ts';

/** Who holds which shard: walrus-local's Committee and NodeCommittee both are. */
export interface ShardOwners {
  readonly nShards: number;
  ownerOfShard(shard: number): { readonly index: number } | undefined;
}

export interface VerifiedPrimarySliver {
  readonly pair: number;
  /** The BCS `SliverData` as the node sent it (what `decode` takes). */
  readonly bcs: Uint8Array;
  /** Its symbol data: row `pair` of the expanded matrix, first s symbols. */
  readonly data: Uint8Array;
}

export interface SliverReaderDeps {
  readonly committee: ShardOwners;
  /** Indexed like the committee's members; undefined for a node that has no client. */
  readonly nodes: readonly (NodeClient | undefined)[];
  readonly encoder: EncoderPool;
  readonly logger: Logger;
  /** Bound of one round of sliver requests. */
  readonly requestTimeoutMs: number;
  /** The caller's error for "too few nodes answered" (retryable). */
  readonly unavailable: (blobId: Uint8Array, detail: string) => Error;
  /** The caller's error for slivers that verified one by one yet decode to another blob. */
  readonly inconsistent: (blobId: Uint8Array, detail: string) => Error;
}

export class SliverReader {
  readonly #deps: SliverReaderDeps;

  constructor(deps: SliverReaderDeps) {
    this.#deps = deps;
  }

  /** Metadata from the first node whose answer verifies against the blob id; 503 if none does. */
  async metadata(blobId: Uint8Array, signal?: AbortSignal): Promise<BlobMetadataV1> {
    const { nodes, committee, logger } = this.#deps;
    const start = blobId[0] ?? 0; // spread reads over the nodes
    for (let k = 0; k < nodes.length; k++) {
      const node = nodes[(start + k) % nodes.length];
      if (!node) continue;
      try {
        return decodeVerifiedMetadata(await node.getMetadata(blobId, signal), blobId, committee.nShards);
      } catch (error) {
        if (signal?.aborted) throw error;
        logger.debug({ node: node.index, err: error }, 'no valid metadata from node');
      }
    }
    throw this.#deps.unavailable(blobId, 'no storage node returned valid metadata');
  }

  /**
   * Exactly p primary slivers, as many of them systematic as the nodes allow, each checked against
   * the metadata's hash — unless `hashes` is 'skip': a caller that re-encodes the result and
   * compares the blob id verifies everything at once, so a per-round check would be a second encode.
   */
  async primarySlivers(blobId: Uint8Array, metadata: BlobMetadataV1, signal?: AbortSignal, hashes: 'check' | 'skip' = 'check'): Promise<VerifiedPrimarySliver[]> {
    const n = this.#deps.committee.nShards;
    const { primarySymbols: p } = encodingConfig(n);
    const verified: VerifiedPrimarySliver[] = [];
    const badNodes = new Set<number>();
    let next = 0;
    while (verified.length < p) {
      const batch: number[] = [];
      for (; next < n && batch.length < p - verified.length; next++) {
        const owner = this.#owner(blobId, next);
        if (owner && !badNodes.has(owner.index)) batch.push(next);
      }
      if (batch.length === 0) throw this.#deps.unavailable(blobId, `only ${verified.length} of the ${p} primary slivers needed could be fetched and verified`);
      const round = withTimeout(signal, this.#deps.requestTimeoutMs);
      const fetched = await Promise.all(
        batch.map(async (pair) => {
          const node = this.#owner(blobId, pair) as NodeClient;
          try {
            const bcs = await node.getSliver(blobId, pair, 'primary', round);
            const { data } = checkSliverShape(bcs, { axis: 'primary', pair, nShards: n, unencodedLength: metadata.unencodedLength });
            return { pair, bcs, data };
          } catch (error) {
            if (signal?.aborted) throw error;
            badNodes.add(node.index);
            this.#deps.logger.debug({ node: node.index, pair, err: error }, 'primary sliver unavailable');
            return undefined;
          }
        }),
      );
      const candidates = fetched.filter((f) => f !== undefined);
      const verdicts = hashes === 'skip' ? candidates.map(() => true) : await verifyPrimarySlivers(this.#deps.encoder, metadata, n, candidates, signal ? { signal } : {});
      candidates.forEach((candidate, i) => {
        if (verdicts[i]) verified.push(candidate);
        else badNodes.add((this.#owner(blobId, candidate.pair) as NodeClient).index);
      });
    }
    return verified.sort((a, b) => a.pair - b.pair);
  }

  /**
   * The blob, rebuilt from p primary slivers and verified: its data re-encodes to `blobId`.
   * Optimistic first (no per-sliver checks, one encode of the result compared with the blob id);
   * only when that fails (a node served a corrupt sliver) is the read repeated with every sliver
   * checked, which finds and skips the bad nodes.
   */
  async verifiedBlob(blobId: Uint8Array, metadata: BlobMetadataV1, signal?: AbortSignal): Promise<Uint8Array> {
    const optimistic = await this.#rebuild(blobId, metadata, 'skip', signal);
    if (optimistic.consistent) return optimistic.blob;
    const checked = await this.#rebuild(blobId, metadata, 'check', signal);
    if (checked.consistent) return checked.blob;
    throw this.#deps.inconsistent(blobId, `its data re-encodes to ${blobIdToText(checked.recomputed)}`);
  }

  async #rebuild(blobId: Uint8Array, metadata: BlobMetadataV1, hashes: 'check' | 'skip', signal: AbortSignal | undefined): Promise<{ blob: Uint8Array; consistent: boolean; recomputed: Uint8Array }> {
    const { encoder, committee } = this.#deps;
    const n = committee.nShards;
    const options = signal ? { signal } : {};
    const slivers = await this.primarySlivers(blobId, metadata, signal, hashes);
    let blob: Uint8Array;
    if (slivers.every((s, i) => s.pair === i)) {
      // All systematic: the blob is the first p rows of the matrix, row-major, cut to its length.
      blob = new Uint8Array(metadata.unencodedLength);
      let offset = 0;
      for (const { data } of slivers) {
        if (offset >= blob.length) break;
        blob.set(data.subarray(0, blob.length - offset), offset);
        offset += data.length;
      }
    } else {
      blob = await encoder.decode({ blobId, length: metadata.unencodedLength, nShards: n, slivers: slivers.map((s) => s.bcs) }, options);
    }
    const recomputed = (await encoder.blobMetadata(blob, n, options)).blobId;
    return { blob, consistent: equalBytes(recomputed, blobId), recomputed };
  }

  #owner(blobId: Uint8Array, pair: number): NodeClient | undefined {
    const { committee, nodes } = this.#deps;
    const owner = committee.ownerOfShard(shardForPair(pair, blobId, committee.nShards));
    return owner ? nodes[owner.index] : undefined;
  }
}
