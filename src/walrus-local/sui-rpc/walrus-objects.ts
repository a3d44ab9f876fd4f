// The Sui objects of the local Walrus deployment, built on demand from the ledger so they always
// show the current epoch: each Blob object; the shared `System` and `Staking` objects; their
// inner states, each a dynamic field keyed by the object's `version` (u64) whose id is
// `deriveDynamicFieldID(parent, 'u64', bcs(version))`, as `client.core.getDynamicField` and
// @mysten/walrus's `systemState()`/`stakingState()` look them up; and the committee's StakingPool
// objects (staking-pools.ts), which tell clients where the storage nodes are.
import { bcs } from '@mysten/bcs';
import { deriveDynamicFieldID } from '@mysten/sui/utils';
import { blobIdFromText, blobIdToU256 } from '../../walrus/codec/index.ts';
import { aggregatePublicKeys, uncompressedPublicKey } from '../bls.ts';
import type { LocalNetwork } from '../genesis.ts';
import { deriveAddress, deriveDigest } from '../ids.ts';
import { STORAGE_PRICE_PER_UNIT, WRITE_PRICE_PER_UNIT, type Ledger } from '../ledger/ledger.ts';
import type { BlobObject, LedgerEvent } from '../ledger/types.ts';
import { StakingPools } from './staking-pools.ts';
import { normalizeAddress, toBcs, toSuiJsonFields, type MoveStruct, type MoveValue, type SuiJson } from './move-value.ts';
import { walrusLayouts, type WalrusLayouts } from './walrus-layouts.ts';

/** Version of the inner state (the dynamic-field key), like a freshly deployed package. */
export const INNER_STATE_VERSION = 1n;
const GENESIS_OBJECT_VERSION = 1;
/** Capacity the local network advertises: 1 TiB of encoded storage. */
const TOTAL_CAPACITY = 1n << 40n;

export type SuiOwner = { readonly AddressOwner: string } | { readonly ObjectOwner: string } | { readonly Shared: { readonly initial_shared_version: number } };

/** Everything `sui_getObject` can show about one object. */
export interface SuiObjectView {
  readonly objectId: string;
  readonly version: number;
  readonly digest: string;
  readonly type: string;
  readonly owner: SuiOwner;
  readonly previousTransaction: string;
  readonly hasPublicTransfer: boolean;
  readonly bcs: Uint8Array;
  readonly fields: { [key: string]: SuiJson };
}

export interface SuiEventView {
  readonly id: { readonly txDigest: string; readonly eventSeq: string };
  readonly packageId: string;
  readonly transactionModule: string;
  readonly sender: string;
  readonly type: string;
  readonly parsedJson: { [key: string]: SuiJson };
  readonly bcsEncoding: 'base64';
  readonly bcs: string;
  readonly timestampMs: string;
}

export class WalrusObjects {
  readonly #ledger: Ledger;
  readonly #network: LocalNetwork;
  readonly #layouts: WalrusLayouts;
  readonly #systemField: MoveStruct;
  readonly #stakingField: MoveStruct;
  readonly #pools: StakingPools;
  readonly systemStateId: string;
  readonly stakingStateId: string;

  /** `networkAddresses[i]` is storage node i's `host:port`, what its StakingPool advertises. */
  constructor(ledger: Ledger, networkAddresses: readonly string[]) {
    this.#ledger = ledger;
    this.#network = ledger.network;
    const { packageId, systemObjectId, stakingObjectId } = this.#network.genesis;
    this.#layouts = walrusLayouts(packageId);
    this.#systemField = this.#layouts.field(this.#layouts.systemStateInner);
    this.#stakingField = this.#layouts.field(this.#layouts.stakingInner);
    const key = bcs.u64().serialize(INNER_STATE_VERSION).toBytes();
    this.systemStateId = deriveDynamicFieldID(systemObjectId, 'u64', key);
    this.stakingStateId = deriveDynamicFieldID(stakingObjectId, 'u64', key);
    this.#pools = new StakingPools(this.#network, networkAddresses, TOTAL_CAPACITY);
  }

  /**
   * What `suix_getDynamicFieldObject` finds: the inner state under its `version` key (u64), or a
   * StakingPool under its node id in the pools table (a dynamic object field answers with the object).
   */
  dynamicField(parentId: string, nameType: unknown, nameValue: unknown): SuiObjectView | undefined {
    const { systemObjectId, stakingObjectId } = this.#network.genesis;
    if (nameType === 'u64' && (typeof nameValue === 'string' || typeof nameValue === 'number')) {
      if (!/^[0-9]+$/.test(String(nameValue)) || BigInt(nameValue) !== INNER_STATE_VERSION) return undefined;
      return parentId === systemObjectId ? this.get(this.systemStateId) : parentId === stakingObjectId ? this.get(this.stakingStateId) : undefined;
    }
    const poolId = typeof nameType === 'string' ? this.#pools.poolByFieldName(parentId, nameType, nameValue) : undefined;
    return poolId === undefined ? undefined : this.get(poolId);
  }

  get(objectId: string): SuiObjectView | undefined {
    const { genesis } = this.#network;
    const shared: SuiOwner = { Shared: { initial_shared_version: GENESIS_OBJECT_VERSION } };
    const genesisTx = deriveDigest(this.#network.seed, 'genesis-tx');
    const versioned = { version: INNER_STATE_VERSION, package_id: genesis.packageId, new_package_id: null };
    if (objectId === genesis.systemObjectId) {
      return this.#view(objectId, GENESIS_OBJECT_VERSION, this.#layouts.system, { id: objectId, ...versioned }, shared, genesisTx, false);
    }
    if (objectId === genesis.stakingObjectId) {
      return this.#view(objectId, GENESIS_OBJECT_VERSION, this.#layouts.staking, { id: objectId, ...versioned }, shared, genesisTx, false);
    }
    if (objectId === this.systemStateId || objectId === this.stakingStateId) {
      const isSystem = objectId === this.systemStateId;
      // The inner state changes with every epoch and every stored blob; so does its version.
      const epoch = this.#ledger.currentEpoch();
      const txs = this.#ledger.transactionCount();
      const previous = txs > 0 ? deriveDigest(this.#network.seed, 'tx', txs - 1) : genesisTx;
      const inner = isSystem ? this.#systemStateInner(epoch) : this.#stakingInner(epoch);
      const value = { id: objectId, name: INNER_STATE_VERSION, value: inner };
      const parent = isSystem ? genesis.systemObjectId : genesis.stakingObjectId;
      return this.#view(objectId, GENESIS_OBJECT_VERSION + epoch + txs, isSystem ? this.#systemField : this.#stakingField, value, { ObjectOwner: parent }, previous, false);
    }
    const pool = this.#pools.object(normalizeAddress(objectId));
    if (pool) return this.#view(objectId, GENESIS_OBJECT_VERSION, pool.layout, pool.value, { ObjectOwner: pool.owner }, genesisTx, pool.hasPublicTransfer);
    const blob = this.#ledger.blobObject(objectId);
    if (!blob) return undefined;
    return this.#view(objectId, blob.version, this.#layouts.blob, blobValue(blob), { AddressOwner: blob.owner }, blob.previousTransaction, true);
  }

  event(event: LedgerEvent): SuiEventView {
    const layout = event.type === 'BlobRegistered' ? this.#layouts.blobRegistered : this.#layouts.blobCertified;
    const value = event.fields as MoveValue;
    return {
      id: event.id,
      packageId: this.#network.genesis.packageId,
      transactionModule: 'system',
      sender: this.#network.genesis.publisherAddress,
      type: layout.type,
      parsedJson: toSuiJsonFields(layout, value),
      bcsEncoding: 'base64',
      bcs: Buffer.from(toBcs(layout, value)).toString('base64'),
      timestampMs: String(event.timestampMs),
    };
  }

  eventType(type: LedgerEvent['type']): string {
    return (type === 'BlobRegistered' ? this.#layouts.blobRegistered : this.#layouts.blobCertified).type;
  }

  #view(objectId: string, version: number, layout: MoveStruct, value: MoveValue, owner: SuiOwner, previousTransaction: string, hasPublicTransfer: boolean): SuiObjectView {
    const bytes = toBcs(layout, value);
    return {
      objectId,
      version,
      digest: deriveDigest(this.#network.seed, 'object', objectId, version, bytes),
      type: layout.type,
      owner,
      previousTransaction,
      hasPublicTransfer,
      bcs: bytes,
      fields: toSuiJsonFields(layout, value),
    };
  }

  #systemStateInner(epoch: number): MoveValue {
    const { committee, seed } = this.#network;
    const max = this.#ledger.maxEpochsAhead;
    const blobs = this.#ledger.allBlobObjects();
    const used = (e: number) => blobs.reduce((sum, b) => (b.storage.startEpoch <= e && e < b.storage.endEpoch ? sum + BigInt(b.storage.storageSize) : sum), 0n);
    return {
      committee: {
        members: committee.members.map((m) => ({ public_key: { bytes: uncompressedPublicKey(m.publicKey) }, weight: m.shards.end - m.shards.start, node_id: m.nodeId })),
        n_shards: committee.nShards,
        epoch,
        total_aggregated_key: { bytes: aggregatePublicKeys(committee.members.map((m) => m.publicKey)) },
      },
      total_capacity_size: TOTAL_CAPACITY,
      used_capacity_size: used(epoch),
      storage_price_per_unit_size: STORAGE_PRICE_PER_UNIT,
      write_price_per_unit_size: WRITE_PRICE_PER_UNIT,
      future_accounting: {
        current_index: 0,
        length: max,
        ring_buffer: Array.from({ length: max }, (_, i) => ({ epoch: epoch + i, used_capacity: used(epoch + i), rewards_to_distribute: 0 })),
      },
      event_blob_certification_state: { latest_certified_blob: null, aggregate_weight_per_blob: { contents: [] } },
      deny_list_sizes: { id: deriveAddress(seed, 'deny-list-sizes') },
    };
  }

  #stakingInner(epoch: number): MoveValue {
    const { committee, seed } = this.#network;
    const clock = this.#ledger.clock;
    const shardMap = {
      pos0: {
        contents: committee.members.map((m) => ({
          key: m.nodeId,
          value: Array.from({ length: m.shards.end - m.shards.start }, (_, i) => m.shards.start + i),
        })),
      },
    };
    return {
      n_shards: committee.nShards,
      epoch_duration: clock.durationMs,
      first_epoch_start: clock.firstEpochStartMs(),
      pools: { id: this.#pools.tableId, size: committee.members.length },
      epoch,
      active_set: { id: deriveAddress(seed, 'active-set') },
      next_committee: null,
      committee: shardMap,
      previous_committee: shardMap,
      next_epoch_params: null,
      epoch_state: { $variant: 'EpochChangeDone', $fields: [clock.currentEpochStartMs()] },
      next_epoch_public_keys: { id: deriveAddress(seed, 'next-epoch-public-keys') },
    };
  }
}

function blobValue(blob: BlobObject): MoveValue {
  return {
    id: blob.objectId,
    registered_epoch: blob.registeredEpoch,
    blob_id: blobIdToU256(blobIdFromText(blob.blobId)),
    size: blob.size,
    encoding_type: 1,
    certified_epoch: blob.certifiedEpoch,
    storage: { id: blob.storage.id, start_epoch: blob.storage.startEpoch, end_epoch: blob.storage.endEpoch, storage_size: blob.storage.storageSize },
    deletable: blob.deletable,
  };
}
