// How the aggregator gets verified data out of the storage nodes, tolerating missing and corrupt
// slivers as Walrus's client does (walrus crates/walrus-sdk/src/client.rs `request_slivers_and_decode`,
// default consistency check = the fetched primary slivers must match the metadata's hashes):
//   metadata   from any node, checked against the blob id (Merkle recomputation);
//   primary    p slivers, systematic pairs 0..p−1 first; each round is verified with one crafted
//              encode (src/walrus/codec/sliver-verify.ts), failures are replaced by other pairs and
//              the nodes that served them are skipped for the rest of the read;
//   secondary  the columns of a quilt patch, all or nothing, verified the same way.
import {
  blobIdToText,
  checkSliverShape,
  decodeBlobMetadataWithId,
  encodingConfig,
  shardForPair,
  verifyBlobMetadata,
  verifyPrimarySlivers,
  verifySecondarySlivers,
  type BlobMetadataV1,
  type EncoderPool,
} from '../../walrus/codec/index.ts';
import { equalBytes } from '../../bytes/index.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Committee } from '../committee.ts';
import { ApiError } from '../http/api-status.ts';
import { withTimeout, type NodeClient } from './node-client.ts';

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

  /** Exactly p verified primary slivers, as many of them systematic as the nodes allow. */
  async primarySlivers(blobId: Uint8Array, metadata: BlobMetadataV1, signal?: AbortSignal): Promise<VerifiedPrimarySliver[]> {
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
      const verdicts = await verifyPrimarySlivers(this.#deps.encoder, metadata, n, candidates, signal ? { signal } : {});
      candidates.forEach((candidate, i) => {
        if (verdicts[i]) verified.push(candidate);
        else badNodes.add(this.#owner(blobId, candidate.pair).index);
      });
    }
    return verified.sort((a, b) => a.pair - b.pair);
  }

  /**
   * The symbol data of secondary slivers (matrix columns) `columns`, verified; undefined when any
   * of them is missing or does not match the metadata (the caller falls back to a full read).
   */
  async secondaryColumns(blobId: Uint8Array, metadata: BlobMetadataV1, columns: readonly number[], signal?: AbortSignal): Promise<Uint8Array[] | undefined> {
    const n = this.#deps.committee.nShards;
    const round = withTimeout(signal, this.#deps.requestTimeoutMs);
    const fetched = await Promise.all(
      columns.map(async (column) => {
        const pair = n - 1 - column;
        try {
          const bcs = await this.#owner(blobId, pair).getSliver(blobId, pair, 'secondary', round);
          return { column, data: checkSliverShape(bcs, { axis: 'secondary', pair, nShards: n, unencodedLength: metadata.unencodedLength }).data };
        } catch (error) {
          if (signal?.aborted) throw error;
          this.#deps.logger.debug({ blobId: blobIdToText(blobId), column, err: error }, 'secondary sliver unavailable');
          return undefined;
        }
      }),
    );
    const candidates = fetched.filter((f) => f !== undefined);
    if (candidates.length !== columns.length) return undefined;
    const verdicts = await verifySecondarySlivers(this.#deps.encoder, metadata, n, candidates, signal ? { signal } : {});
    return verdicts.every(Boolean) ? candidates.map((c) => c.data) : undefined;
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
