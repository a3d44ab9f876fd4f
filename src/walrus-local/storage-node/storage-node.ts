// One storage node of the local committee: an HTTP server with Walrus's storage-node routes
// (walrus crates/walrus-service/src/node/server/routes.rs; docs/wire/walrus.md "Write protocol"),
// its shard range, its BLS key and its slivers on disk. Faults for tests: a stopped node's server is closed
// (connections refused), `corruptSlivers` serves valid BCS with flipped symbol bytes, and
// `latencyMs` delays every answer.
import { encodingConfig, MAX_SYMBOL_SIZE, pairForShard, sliverBcsLength, type EncoderPool } from '../../walrus/codec/index.ts';
import type { Logger } from '../../observability/logger.ts';
import type { CommitteeMember } from '../committee.ts';
import { STORAGE_DOMAIN } from '../http/api-status.ts';
import { HttpEndpoint } from '../http/endpoint.ts';
import { ColumnExpander } from './column-expander.ts';
import { registerNodeRoutes } from './node-routes.ts';
import type { NodeChainView, NodeFault } from './node-types.ts';
import { SliverStore } from './sliver-store.ts';

export type { NodeChainView, NodeFault } from './node-types.ts';

export interface StorageNodeOptions {
  readonly member: CommitteeMember;
  readonly secretKey: Uint8Array;
  readonly chain: NodeChainView;
  /** This node's directory (slivers and metadata live below it). */
  readonly dir: string;
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
  /** Expands secondary slivers for the recoverySymbols route (./column-expander.ts). */
  readonly encoder: Pick<EncoderPool, 'encode'>;
}

export class StorageNode {
  readonly member: CommitteeMember;
  readonly #endpoint: HttpEndpoint;
  readonly #store: SliverStore;
  #fault: Required<NodeFault> = { corruptSlivers: false, latencyMs: 0 };

  constructor(options: StorageNodeOptions) {
    this.member = options.member;
    const { nShards } = options.chain;
    this.#store = new SliverStore(options.dir, nShards, options.member.shards);
    const store = this.#store;
    const { start, end } = options.member.shards;
    const expander = new ColumnExpander(nShards, options.encoder, {
      unencodedLength: (blobId) => store.unencodedLength(blobId),
      async storedColumns(blobId) {
        const columns: number[] = [];
        for (let shard = start; shard < end; shard++) {
          if (await store.hasSliver(blobId, shard - start, 'secondary')) columns.push(nShards - 1 - pairForShard(shard, blobId, nShards));
        }
        return columns;
      },
      secondarySliver(blobId, column) {
        const slot = store.slotOf(blobId, nShards - 1 - column);
        return slot === undefined ? Promise.resolve(undefined) : store.getSliver(blobId, slot, 'secondary');
      },
    });
    const { secondarySymbols } = encodingConfig(nShards);
    const startedAt = Date.now();
    this.#endpoint = new HttpEndpoint({
      name: `storage node ${options.member.index}`,
      host: options.host,
      port: options.port,
      // The largest sliver Walrus can produce at this shard count, plus the metadata of n pairs.
      bodyLimit: sliverBcsLength(secondarySymbols * MAX_SYMBOL_SIZE) + nShards * 66 + 1024,
      errorDomain: STORAGE_DOMAIN,
      logger: options.logger,
      routes: (app) =>
        registerNodeRoutes(app, {
          member: options.member,
          secretKey: options.secretKey,
          chain: options.chain,
          store: this.#store,
          expander,
          fault: () => this.#fault,
          startedAt,
        }),
    });
  }

  get url(): string {
    return this.#endpoint.url;
  }

  get running(): boolean {
    return this.#endpoint.running;
  }

  get fault(): Required<NodeFault> {
    return this.#fault;
  }

  start(): Promise<void> {
    return this.#endpoint.start();
  }

  stop(): Promise<void> {
    return this.#endpoint.stop();
  }

  setFault(fault: NodeFault): void {
    const latencyMs = fault.latencyMs ?? 0;
    if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new RangeError(`latencyMs must be a non-negative number, got ${latencyMs}`);
    this.#fault = { corruptSlivers: fault.corruptSlivers ?? false, latencyMs };
  }

  async close(): Promise<void> {
    await this.#endpoint.stop();
    await this.#store.close();
  }
}
