// The SliverSource over the real committee: who holds which shard from `CommitteeSource` (Sui,
// cached per its TTL), and one keep-alive `NodeClient` per node URL. A node is named by its
// network address (`host:port`, as its StakingPool advertises it): unique in a committee, stable
// across epochs, and what an operator recognises in a metric label or a log line.
import type { CommitteeSource, NodeCommittee, StorageNodeInfo } from '../walrus/nodes/committee.ts';
import { NodeClients, type NodeClient } from '../walrus/nodes/node-client.ts';
import type { SliverAxis } from '../walrus/codec/index.ts';
import type { FetchOptions, SamplingCommittee, SamplingNode, SliverSource } from './sliver-source.ts';

export interface NodeSliverSourceOptions {
  readonly committee: Pick<CommitteeSource, 'current'>;
  /** Requests in flight per node. @default 8 */
  readonly concurrencyPerNode?: number;
  /** Inactivity timeout per request. @default 10000 */
  readonly timeoutMs?: number;
}

interface Member extends SamplingNode {
  readonly info: StorageNodeInfo;
}

export class NodeSliverSource implements SliverSource {
  readonly #options: NodeSliverSourceOptions;
  readonly #clients: NodeClients;

  constructor(options: NodeSliverSourceOptions) {
    this.#options = options;
    this.#clients = new NodeClients({ concurrency: options.concurrencyPerNode ?? 8, timeoutMs: options.timeoutMs ?? 10_000 });
  }

  async committee(options: FetchOptions = {}): Promise<SamplingCommittee> {
    const committee: NodeCommittee = await this.#options.committee.current(options);
    const members = committee.nodes.map((info): Member => ({ name: nodeName(info.url), info }));
    return {
      epoch: committee.epoch,
      nShards: committee.nShards,
      nodes: members,
      nodeOfShard: (shard) => {
        const owner = committee.ownerOfShard(shard);
        return owner === undefined ? undefined : members[owner.index];
      },
    };
  }

  metadata(node: SamplingNode, blobId: Uint8Array, options: FetchOptions = {}): Promise<Uint8Array> {
    return this.#client(node).getMetadata(blobId, options.signal);
  }

  sliver(node: SamplingNode, blobId: Uint8Array, pair: number, axis: SliverAxis, options: FetchOptions = {}): Promise<Uint8Array> {
    return this.#client(node).getSliver(blobId, pair, axis, options.signal);
  }

  /** Closes every node's idle connections. */
  close(): void {
    this.#clients.close();
  }

  #client(node: SamplingNode): NodeClient {
    return this.#clients.of((node as Member).info);
  }
}

/** `https://node.example:9185` → `node.example:9185`. */
export function nodeName(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
