// The storage committee as a reader needs it: which node holds which shard, and where to reach it.
// Found the way @mysten/walrus finds it (ts-sdks @ f940dda9 packages/walrus/src/client.ts
// `#getActiveCommittee`): the SDK's own `stakingState()` gives the epoch, n_shards and the active
// committee (a VecMap node id → shard indices, in committee order); each node's StakingPool object
// (loaded by node id, as the SDK does) gives its `network_address`, `host:port` without a scheme.
// The SDK keeps that lookup private, so the StakingPool prefix is parsed here (layout drawn in
// src/walrus-local/sui-rpc/staking-pool-layout.ts; BCS is read front to back, so a prefix parses).
import { bcs } from '@mysten/sui/bcs';
import type { ClientWithCoreApi } from '@mysten/sui/client';
import { WalrusClient } from '@mysten/walrus';
import { UnavailableError } from '../../core/errors.ts';
import { pairForShard, shardForPair } from '../codec/index.ts';

/** One member of the committee. */
export interface StorageNodeInfo {
  /** Position in the committee (the SDK's `nodeIndex`). */
  readonly index: number;
  /** The node id on Sui (its staking pool id), 0x-prefixed hex. */
  readonly id: string;
  /** Base URL, `<scheme>://<network_address>`. */
  readonly url: string;
  readonly shards: readonly number[];
}

/** The committee of one epoch. Immutable; `ownerOf*` are array lookups. */
export class NodeCommittee {
  readonly epoch: number;
  readonly nShards: number;
  readonly nodes: readonly StorageNodeInfo[];
  readonly #ownerOfShard: Int32Array;

  constructor(epoch: number, nShards: number, nodes: readonly StorageNodeInfo[]) {
    this.epoch = epoch;
    this.nShards = nShards;
    this.nodes = nodes;
    this.#ownerOfShard = new Int32Array(nShards).fill(-1);
    for (const node of nodes) {
      for (const shard of node.shards) {
        if (!Number.isInteger(shard) || shard < 0 || shard >= nShards) throw new RangeError(`node ${node.index} holds shard ${shard}, outside [0, ${nShards})`);
        this.#ownerOfShard[shard] = node.index;
      }
    }
  }

  /** The node holding `shard`, or undefined when no committee member does. */
  ownerOfShard(shard: number): StorageNodeInfo | undefined {
    const index = this.#ownerOfShard[shard];
    return index === undefined || index < 0 ? undefined : this.nodes[index];
  }

  /** The node holding sliver pair `pair` of `blobId` (pairs rotate over shards per blob). */
  ownerOfPair(blobId: Uint8Array, pair: number): StorageNodeInfo | undefined {
    return this.ownerOfShard(shardForPair(pair, blobId, this.nShards));
  }

  /** The sliver pairs of `blobId` that `node` holds. */
  pairsOf(blobId: Uint8Array, node: StorageNodeInfo): number[] {
    return node.shards.map((shard) => pairForShard(shard, blobId, this.nShards));
  }
}

/** The leading fields of `StakingPool` up to `node_info.network_address`. */
const StakingPoolPrefixBcs = bcs.struct('StakingPoolPrefix', {
  id: bcs.Address,
  state: bcs.enum('PoolState', { Active: null, Withdrawing: bcs.u32(), Withdrawn: null }),
  voting_params: bcs.struct('VotingParams', { storage_price: bcs.u64(), write_price: bcs.u64(), node_capacity: bcs.u64() }),
  node_info: bcs.struct('StorageNodeInfoPrefix', { name: bcs.string(), node_id: bcs.Address, network_address: bcs.string() }),
});

export interface CommitteeSourceOptions {
  /** @mysten/walrus's client for the network: its `stakingState()` names the committee. */
  readonly walrus: Pick<WalrusClient, 'stakingState'>;
  /** Loads the StakingPool objects. */
  readonly sui: ClientWithCoreApi;
  /** `http` for walrus-local; real nodes speak `https`. */
  readonly urlScheme?: 'http' | 'https';
  /** How long a looked-up committee is reused before asking Sui again (default 60 s). */
  readonly ttlMs?: number;
}

/** Looks the active committee up on Sui, cached for `ttlMs`; `refresh()` forces a new lookup. */
export class CommitteeSource {
  readonly #o: CommitteeSourceOptions;
  #cached: { committee: Promise<NodeCommittee>; at: number } | undefined;

  constructor(options: CommitteeSourceOptions) {
    this.#o = options;
  }

  /** A source over @mysten/walrus's own client for the network named by its System and Staking objects. */
  static fromSui(options: { readonly sui: ClientWithCoreApi; readonly systemObjectId: string; readonly stakingObjectId: string; readonly urlScheme: 'http' | 'https'; readonly ttlMs?: number }): CommitteeSource {
    const walrus = new WalrusClient({
      suiClient: options.sui,
      packageConfig: { systemObjectId: options.systemObjectId, stakingPoolId: options.stakingObjectId },
      storageNodeUrlScheme: options.urlScheme,
    });
    return new CommitteeSource({ walrus, sui: options.sui, urlScheme: options.urlScheme, ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }) });
  }

  /** The active committee. Throws UnavailableError when Sui cannot be read. */
  current(options: { signal?: AbortSignal } = {}): Promise<NodeCommittee> {
    const ttl = this.#o.ttlMs ?? 60_000;
    if (!this.#cached || Date.now() - this.#cached.at > ttl) {
      const committee = this.#lookup(options.signal);
      const entry = { committee, at: Date.now() };
      this.#cached = entry;
      committee.catch(() => {
        if (this.#cached === entry) this.#cached = undefined; // a failed lookup is not cached
      });
    }
    return this.#cached.committee;
  }

  /** Drops the cached committee (e.g. after nodes answered for another epoch). */
  refresh(): void {
    this.#cached = undefined;
  }

  async #lookup(signal: AbortSignal | undefined): Promise<NodeCommittee> {
    try {
      const state = await this.#o.walrus.stakingState();
      const members = state.committee[0].contents;
      const ids = members.map((member) => member.key);
      const objects = await this.#o.sui.core.getObjects({ objectIds: ids, include: { content: true }, ...(signal ? { signal } : {}) });
      const scheme = this.#o.urlScheme ?? 'https';
      const nodes = members.map((member, index): StorageNodeInfo => {
        const object = objects.objects[index];
        if (!object || object instanceof Error || !object.content) throw new Error(`the StakingPool of committee member ${member.key} could not be loaded`);
        const pool = StakingPoolPrefixBcs.parse(object.content);
        return { index, id: member.key, url: `${scheme}://${pool.node_info.network_address}`, shards: member.value };
      });
      return new NodeCommittee(state.epoch, state.n_shards, nodes);
    } catch (error) {
      if (error instanceof UnavailableError) throw error;
      throw new UnavailableError(`cannot read the Walrus storage committee from Sui: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}
