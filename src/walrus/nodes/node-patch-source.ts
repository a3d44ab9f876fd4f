// StorageNodePatchSource: the NodePatchSource port (src/core/ports.ts) over the committee's storage
// nodes, trusting no aggregator and no single node. One read of patch columns [a, b):
//
//   committee   @mysten/walrus stakingState + StakingPools (./committee.ts), cached
//   metadata    from any node, verified against the blob id once per quilt, cached
//   column c    secondary sliver of pair n−1−c from its owner, plus ONE recovery symbol (row p of
//               column c) with its Merkle proof from the same node, in one request per node for
//               all its columns; checked with ~2p hashes (codec/recovery-symbol.ts `verifyColumn`)
//               against the metadata's secondary hash; verified columns are cached per quilt
//   fallback    a column whose owner is down or serves bytes that fail the check: the whole quilt
//               is rebuilt from p primary slivers and re-encoded to its blob id (./sliver-reader.ts,
//               one ~1.45 s encode at n = 1000), cached per quilt under the same byte budget
//
// A verdict is given only on verified bytes: `no-patch` when the verified blob is not a quilt, the
// columns lie beyond it, or they do not decode as a patch start. Everything else (no committee, no
// verified metadata, too few slivers) is UnavailableError, retryable.
import type { QuiltPatchId } from '../../commitment/index.ts';
import { UnavailableError } from '../../core/errors.ts';
import type { CallOptions, NodePatchRead, NodePatchSource } from '../../core/ports.ts';
import type { Logger } from '../../observability/logger.ts';
import {
  blobIdToText,
  checkSliverShape,
  decodeQuiltPatch,
  decodeRecoverySymbols,
  encodingConfig,
  quiltColumns,
  quiltGeometry,
  verifyColumn,
  type BlobMetadataV1,
  type EncoderPool,
  type QuiltGeometry,
  type RecoverySymbol,
} from '../codec/index.ts';
import type { CommitteeSource, NodeCommittee, StorageNodeInfo } from './committee.ts';
import { NodeClients, withTimeout } from './node-client.ts';
import { SliverReader } from './sliver-reader.ts';
import { VerifiedBlobCache } from './verified-blobs.ts';

/** `source` of a read answered from columns verified one by one. */
export const NODES_SOURCE = 'nodes';
/** `source` of a read that needed the quilt rebuilt from primary slivers. */
export const NODES_REBUILT_SOURCE = 'nodes-rebuilt';
/** Symbol ids per recoverySymbols request, keeping the query string short. */
const IDS_PER_REQUEST = 128;

export interface StorageNodePatchSourceOptions {
  readonly committee: Pick<CommitteeSource, 'current' | 'refresh'>;
  /** Only for the fallback (rebuilding a quilt and checking its blob id). */
  readonly encoder: EncoderPool;
  readonly logger: Logger;
  /** Bound of one round of node requests. @default 10 000 */
  readonly requestTimeoutMs?: number;
  /** Requests in flight per node. @default 32 */
  readonly concurrency?: number;
  /** Memory for verified columns and rebuilt quilts. @default 64 MiB */
  readonly cacheBytes?: number;
  /** Verified metadata kept (≈ 66 bytes per shard each). @default 256 */
  readonly metadataEntries?: number;
  /** Told of every node whose answer was missing or failed verification (metrics). */
  readonly onNodeFailure?: (node: StorageNodeInfo, reason: 'unreachable' | 'invalid') => void;
}

export class StorageNodePatchSource implements NodePatchSource {
  readonly #o: StorageNodePatchSourceOptions;
  readonly #clients: NodeClients;
  readonly #verified: VerifiedBlobCache;
  /** Map order is recency. */
  readonly #metadata = new Map<string, Promise<BlobMetadataV1>>();

  constructor(options: StorageNodePatchSourceOptions) {
    this.#o = options;
    this.#clients = new NodeClients({ concurrency: options.concurrency ?? 32, timeoutMs: options.requestTimeoutMs ?? 10_000 });
    this.#verified = new VerifiedBlobCache(options.cacheBytes ?? 64 * 1024 * 1024);
  }

  async readPatch(id: QuiltPatchId, options: CallOptions = {}): Promise<NodePatchRead> {
    const { signal } = options;
    const committee = await this.#o.committee.current(signal ? { signal } : {});
    const reader = this.#reader(committee);
    const metadata = await this.#verifiedMetadata(id.quiltId, reader, signal);
    let geometry: QuiltGeometry;
    try {
      geometry = quiltGeometry(metadata.unencodedLength, committee.nShards);
    } catch (error) {
      return { kind: 'no-patch', reason: `blob ${blobIdToText(id.quiltId)} is not a quilt: ${(error as Error).message}`, source: NODES_SOURCE };
    }
    if (id.startColumn >= id.endColumn || id.endColumn > geometry.columns) {
      return { kind: 'no-patch', reason: `columns [${id.startColumn}, ${id.endColumn}) lie beyond the quilt's ${geometry.columns} columns`, source: NODES_SOURCE };
    }
    const { bytes, rebuilt } = await this.#columns(id, committee, reader, metadata, geometry, signal);
    const source = rebuilt ? NODES_REBUILT_SOURCE : NODES_SOURCE;
    try {
      const patch = decodeQuiltPatch(bytes);
      return { kind: 'patch', identifier: patch.identifier, data: patch.data, source };
    } catch (error) {
      return { kind: 'no-patch', reason: `no quilt patch starts at column ${id.startColumn}: ${(error as Error).message}`, source };
    }
  }

  /** Closes the idle connections to the nodes. */
  close(): void {
    this.#clients.close();
  }

  #reader(committee: NodeCommittee): SliverReader {
    return new SliverReader({
      committee,
      nodes: committee.nodes.map((node) => this.#clients.of(node)),
      encoder: this.#o.encoder,
      logger: this.#o.logger,
      requestTimeoutMs: this.#o.requestTimeoutMs ?? 10_000,
      unavailable: (blobId, detail) => new UnavailableError(`quilt ${blobIdToText(blobId)} cannot be read from the storage nodes: ${detail}`),
      inconsistent: (blobId, detail) => new UnavailableError(`quilt ${blobIdToText(blobId)} read from the storage nodes is inconsistent: ${detail}`),
    });
  }

  #verifiedMetadata(blobId: Uint8Array, reader: SliverReader, signal: AbortSignal | undefined): Promise<BlobMetadataV1> {
    const key = blobIdToText(blobId);
    const hit = this.#metadata.get(key);
    if (hit) {
      this.#metadata.delete(key);
      this.#metadata.set(key, hit);
      return hit;
    }
    const load = reader.metadata(blobId, signal);
    this.#metadata.set(key, load);
    load.catch(() => {
      if (this.#metadata.get(key) === load) this.#metadata.delete(key);
    });
    const max = this.#o.metadataEntries ?? 256;
    for (const oldest of this.#metadata.keys()) {
      if (this.#metadata.size <= max) break;
      this.#metadata.delete(oldest);
    }
    return load;
  }

  /** The bytes of columns [start, end), each verified; `rebuilt` when the fallback was needed. */
  async #columns(
    id: QuiltPatchId,
    committee: NodeCommittee,
    reader: SliverReader,
    metadata: BlobMetadataV1,
    geometry: QuiltGeometry,
    signal: AbortSignal | undefined,
  ): Promise<{ bytes: Uint8Array; rebuilt: boolean }> {
    const blobKey = blobIdToText(id.quiltId);
    const wanted = Array.from({ length: id.endColumn - id.startColumn }, (_, i) => id.startColumn + i);
    const missing = wanted.filter((column) => !this.#verified.has(columnKey(blobKey, column)));
    if (missing.length > 0 && !this.#verified.has(blobKey)) {
      const fetched = await this.#fetchColumns(id.quiltId, committee, metadata, geometry, missing, signal);
      for (const [column, data] of fetched) void this.#verified.get(columnKey(blobKey, column), () => Promise.resolve(data));
    }
    const parts: Uint8Array[] = [];
    let rebuilt = false;
    for (const column of wanted) {
      const cached = this.#verified.peek(columnKey(blobKey, column));
      if (cached) {
        parts.push(await cached);
        continue;
      }
      // The fallback: the whole quilt, verified against its blob id (shared and cached).
      rebuilt = true;
      const quilt = await this.#verified.get(blobKey, () => reader.verifiedBlob(id.quiltId, metadata));
      parts.push(quiltColumns(quilt, geometry, column, column + 1));
    }
    const bytes = new Uint8Array(parts.length * geometry.columnSize);
    parts.forEach((part, i) => bytes.set(part, i * geometry.columnSize));
    return { bytes, rebuilt };
  }

  /** Columns fetched and verified straight from their owners; columns that fail are left out. */
  async #fetchColumns(
    blobId: Uint8Array,
    committee: NodeCommittee,
    metadata: BlobMetadataV1,
    geometry: QuiltGeometry,
    columns: readonly number[],
    signal: AbortSignal | undefined,
  ): Promise<Map<number, Uint8Array>> {
    const n = committee.nShards;
    const { primarySymbols: p } = encodingConfig(n);
    const byNode = new Map<StorageNodeInfo, number[]>();
    for (const column of columns) {
      const owner = committee.ownerOfPair(blobId, n - 1 - column);
      if (!owner) continue;
      byNode.set(owner, [...(byNode.get(owner) ?? []), column]);
    }
    const round = withTimeout(signal, this.#o.requestTimeoutMs ?? 10_000);
    const verified = new Map<number, Uint8Array>();
    await Promise.all(
      [...byNode].map(async ([node, owned]) => {
        const client = this.#clients.of(node);
        const symbolRequests: Promise<RecoverySymbol[]>[] = [];
        for (let i = 0; i < owned.length; i += IDS_PER_REQUEST) {
          const ids = owned.slice(i, i + IDS_PER_REQUEST).map((column) => ({ primary: p, secondary: column }));
          symbolRequests.push(client.getRecoverySymbols(blobId, ids, 'secondary', round).then(decodeRecoverySymbols));
        }
        const slivers = owned.map((column) => client.getSliver(blobId, n - 1 - column, 'secondary', round));
        const [symbolAnswers, sliverAnswers] = await Promise.all([Promise.allSettled(symbolRequests), Promise.allSettled(slivers)]);
        if (signal?.aborted) throw signal.reason as Error;
        const symbols = new Map<number, RecoverySymbol>();
        for (const answer of symbolAnswers) {
          if (answer.status === 'fulfilled') for (const symbol of answer.value) symbols.set(symbol.index, symbol);
        }
        let failure: 'unreachable' | 'invalid' | undefined;
        owned.forEach((column, i) => {
          const answer = sliverAnswers[i];
          const symbol = symbols.get(column);
          if (answer?.status !== 'fulfilled' || !symbol) {
            failure ??= 'unreachable';
            return;
          }
          const pair = n - 1 - column;
          try {
            const { data } = checkSliverShape(answer.value, { axis: 'secondary', pair, nShards: n, unencodedLength: metadata.unencodedLength });
            const secondaryHash = metadata.hashes[pair]?.secondary;
            if (secondaryHash && verifyColumn({ columnData: data, column, symbolSize: geometry.symbolSize, nShards: n, secondaryHash, symbol })) {
              verified.set(column, data.slice());
              return;
            }
          } catch {
            // a malformed sliver is as invalid as a wrong one
          }
          failure = 'invalid';
        });
        if (failure) {
          this.#o.logger.warn({ node: node.index, url: node.url, blobId: blobIdToText(blobId), failure }, 'storage node did not serve verifiable columns');
          this.#o.onNodeFailure?.(node, failure);
          if (failure === 'unreachable') this.#o.committee.refresh(); // an epoch change may have moved shards
        }
      }),
    );
    return verified;
  }
}

function columnKey(blobKey: string, column: number): string {
  return `${blobKey}/${column}`;
}
