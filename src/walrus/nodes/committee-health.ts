// Which storage nodes of the current committee answer, and how many shards they hold: the input of
// write and read capability in /health (src/observability/capability.ts, whose StorageNodeHealth
// this satisfies structurally). One `GET /v1/health` per node, all at once, each bounded by the
// caller's signal and a per-node timeout; a node that answers with another status than `Active`
// (recovering, standby) is counted as not holding its shards for writes.
import type { CommitteeSource } from './committee.ts';
import { NodeClients } from './node-client.ts';

export interface CommitteeHealthOptions {
  readonly committee: Pick<CommitteeSource, 'current'>;
  /** Per-node answer time. @default 3000 */
  readonly timeoutMs?: number;
}

export interface NodeShardsAnswer {
  readonly node: string;
  readonly shards: number;
  readonly up: boolean;
}

export class CommitteeHealthCheck {
  readonly #o: CommitteeHealthOptions;
  /** Kept across checks for their keep-alive connections. */
  readonly #clients: NodeClients;

  constructor(options: CommitteeHealthOptions) {
    this.#o = options;
    this.#clients = new NodeClients({ concurrency: 1, timeoutMs: options.timeoutMs ?? 3000 });
  }

  async check(options: { readonly signal?: AbortSignal } = {}): Promise<{ readonly nShards: number; readonly nodes: readonly NodeShardsAnswer[] }> {
    const committee = await this.#o.committee.current(options.signal ? { signal: options.signal } : {});
    const nodes = await Promise.all(
      committee.nodes.map(async (node): Promise<NodeShardsAnswer> => {
        const up = await this.#clients.of(node).getHealth(options.signal).then(
          (health) => health.nodeStatus === 'Active',
          () => false,
        );
        // The node's host alone: enough to find it, and never a URL with credentials.
        return { node: new URL(node.url).host, shards: node.shards.length, up };
      }),
    );
    return { nShards: committee.nShards, nodes };
  }

  close(): void {
    this.#clients.close();
  }
}
