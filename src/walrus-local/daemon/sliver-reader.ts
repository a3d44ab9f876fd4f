// How the aggregator gets verified data out of the storage nodes, tolerating missing and corrupt
// slivers as Walrus's client does (walrus crates/walrus-sdk/src/client.rs `request_slivers_and_decode`,
// default consistency check = the fetched primary slivers must match the metadata's hashes):
//   metadata   from any node, checked against the blob id (Merkle recomputation);
//   primary    p slivers, systematic pairs 0..p−1 first; each round is verified with one crafted
//              encode (src/walrus/codec/sliver-verify.ts), failures are replaced by other pairs and
//              the nodes that served them are skipped for the rest of the read;
import {
  blobIdToText,
  checkSliverShape,
  decodeBlobMetadataWithId,
  encodingConfig,
  shardForPair,
  verifyBlobMetadata,
  verifyPrimarySlivers,
  type BlobMetadataV1,
  type EncoderPool,
} from '../../walrus/codec/index.ts';
import { equalBytes } from '../../bytes/index.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Committee } from '../committee.ts';
import { ApiError } from '../http/api-status.ts';
import { withTimeout, type NodeClient } from '../../walrus/nodes/node-client.ts';

export interface VerifiedPrimarySliver {
  readonly pair: number;
  /** The BCS `SliverData` as the node sent it (what `decode` takes). */
  readonly bcs: Uint8Array;
  /** Its symbol data: row `pair` of the expanded matrix, first s symbols. */
  readonly data: Uint8Array;
}

export interface SliverReaderDeps {
  readonly committee: Committee;
  readonly nodes: readonly NodeClient[];
  readonly encoder: EncoderPool;
  readonly logger: Logger;
  /** Bound of one round of sliver requests. */
  readonly requestTimeoutMs: number;
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
        const decoded = decodeBlobMetadataWithId(await node.getMetadata(blobId, signal));
        if (!equalBytes(decoded.blobId, blobId)) throw new Error('metadata for another blob id');
        verifyBlobMetadata(blobId, decoded.metadata, committee.nShards);
        return decoded.metadata;
      } catch (error) {
        if (signal?.aborted) throw error;
        logger.debug({ node: node.index, err: error }, 'no valid metadata from node');
      }
    }
    throw unavailable(blobId, 'no storage node returned valid metadata');
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
        if (!badNodes.has(this.#owner(blobId, next).index)) batch.push(next);
      }
      if (batch.length === 0) throw unavailable(blobId, `only ${verified.length} of the ${p} primary slivers needed could be fetched and verified`);
      const round = withTimeout(signal, this.#deps.requestTimeoutMs);
      const fetched = await Promise.all(
        batch.map(async (pair) => {
          const node = this.#owner(blobId, pair);
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
        else badNodes.add(this.#owner(blobId, candidate.pair).index);
      });
    }
    return verified.sort((a, b) => a.pair - b.pair);
  }

  #owner(blobId: Uint8Array, pair: number): NodeClient {
    const { committee, nodes } = this.#deps;
    const node = nodes[committee.ownerOfShard(shardForPair(pair, blobId, committee.nShards)).index];
    if (!node) throw new Error(`no client for the owner of pair ${pair}`);
    return node;
  }
}

function unavailable(blobId: Uint8Array, detail: string): ApiError {
  return new ApiError('UNAVAILABLE', 'BLOB_UNAVAILABLE', `the requested blob is currently not retrievable from Walrus (${detail}); this may be transient — retry with backoff`, {
    metadata: { blobId: blobIdToText(blobId) },
  });
}
