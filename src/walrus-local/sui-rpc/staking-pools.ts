// The committee's `StakingPool` objects: @mysten/walrus reads the node ids from the staking inner
// state's committee, loads one StakingPool per id and talks to `<scheme>://<node_info.network_address>`
// (ts-sdks @ f940dda9ded4d6dcf1f86837aca35fd70bcd1657 packages/walrus/src/client.ts `#getCommittee`).
//
// On Sui the pools live in StakingInnerV1's `pools: ObjectTable<ID, StakingPool>`, so each pool is a
// dynamic object field of that table (MystenLabs/sui @ 02ebe5f9560810fba12d956c55af64dcc7bb4fef
// crates/sui-framework/packages/sui-framework/sources/dynamic_object_field.move `add_impl`):
//
//   table UID ──owns──▶ Field<Wrapper<ID>, ID> { id, name: Wrapper { name: node id }, value: node id }
//                          id = deriveDynamicFieldID(table, "0x2::dynamic_object_field::Wrapper<0x2::object::ID>", node id)
//   field id  ──owns──▶ StakingPool { id: node id, … }
//
// `network_address` is `host:port` as on a real node; the SDK prefixes `https://` unless built with its
// own `storageNodeUrlScheme: 'http'` option, which walrus-local clients must use: its nodes serve plain
// HTTP (no TLS is faked), and the network key below is one no endpoint presents.
//
// walrus-local serves both objects, so owners resolve as on a full node. Its committee is fixed at
// genesis (no staking, no epoch change), so every pool is Active since the genesis epoch and never
// changes: one version, written by the genesis transaction. Stakes are illustrative.
import { p256 } from '@noble/curves/nist.js';
import { normalizeStructTag, deriveDynamicFieldID } from '@mysten/sui/utils';
import { uncompressedPublicKey } from '../bls.ts';
import type { CommitteeMember } from '../committee.ts';
import { GENESIS_EPOCH } from '../epoch-clock.ts';
import type { LocalNetwork } from '../genesis.ts';
import { addressBytes, deriveAddress } from '../ids.ts';
import { STORAGE_PRICE_PER_UNIT, WRITE_PRICE_PER_UNIT } from '../ledger/ledger.ts';
import { normalizeAddress, struct, type MoveStruct, type MoveValue } from './move-value.ts';
import { stakingPoolLayout } from './staking-pool-layout.ts';

const OBJECT_ID_TYPE = normalizeStructTag('0x2::object::ID');
const WRAPPER_TYPE = '0x2::dynamic_object_field::Wrapper<0x2::object::ID>';
/** Illustrative stake: 1000 WAL (in FROST, 9 decimals) per shard held. */
const STAKE_PER_SHARD = 1_000n * 1_000_000_000n;

/** One object of the pools table: what WalrusObjects needs to render it. */
export interface PoolObject {
  readonly layout: MoveStruct;
  readonly value: MoveValue;
  /** The object id of the owner (`ObjectOwner`). */
  readonly owner: string;
  /** Only StakingPool (`key, store`) can be transferred; a dynamic field (`key`) cannot. */
  readonly hasPublicTransfer: boolean;
}

export class StakingPools {
  /** The UID of StakingInnerV1's `pools` ObjectTable. */
  readonly tableId: string;
  readonly #poolLayout: MoveStruct;
  readonly #fieldLayout: MoveStruct;
  readonly #pools = new Map<string, PoolObject>();
  readonly #fields = new Map<string, PoolObject>();

  /** `networkAddresses[i]` is node i's `host:port`. */
  constructor(network: LocalNetwork, networkAddresses: readonly string[], totalCapacity: bigint) {
    const { genesis, seed, committee } = network;
    this.tableId = deriveAddress(seed, 'staking-pools');
    this.#poolLayout = stakingPoolLayout(genesis.packageId);
    this.#fieldLayout = struct(`0x2::dynamic_field::Field<${WRAPPER_TYPE}, 0x2::object::ID>`, [
      ['id', 'UID'],
      ['name', struct(WRAPPER_TYPE, [['name', 'ID']])],
      ['value', 'ID'],
    ]);
    for (const member of committee.members) {
      const address = networkAddresses[member.index];
      if (address === undefined) throw new RangeError(`no network address for storage node ${member.index}`);
      const nodeId = normalizeAddress(member.nodeId);
      const fieldId = this.fieldIdOf(nodeId);
      const weight = BigInt(member.shards.end - member.shards.start);
      const capacity = (totalCapacity * weight) / BigInt(committee.nShards);
      this.#pools.set(nodeId, { layout: this.#poolLayout, value: poolValue(network, member, address, capacity, weight * STAKE_PER_SHARD), owner: fieldId, hasPublicTransfer: true });
      this.#fields.set(fieldId, { layout: this.#fieldLayout, value: { id: fieldId, name: { name: nodeId }, value: nodeId }, owner: this.tableId, hasPublicTransfer: false });
    }
  }

  /** The StakingPool with this id, or the dynamic field that owns one. */
  object(objectId: string): PoolObject | undefined {
    return this.#pools.get(objectId) ?? this.#fields.get(objectId);
  }

  /**
   * `suix_getDynamicFieldObject(table, {type: ID, value: node id})`: a full node answers a
   * dynamic object field with the object itself, not the wrapper field.
   */
  poolByFieldName(parentId: string, nameType: string, nameValue: unknown): string | undefined {
    if (parentId !== this.tableId || typeof nameValue !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(nameValue)) return undefined;
    if (!sameType(nameType, OBJECT_ID_TYPE)) return undefined;
    const nodeId = normalizeAddress(nameValue);
    return this.#pools.has(nodeId) ? nodeId : undefined;
  }

  fieldIdOf(nodeId: string): string {
    return deriveDynamicFieldID(this.tableId, WRAPPER_TYPE, addressBytes(normalizeAddress(nodeId)));
  }
}

function poolValue(network: LocalNetwork, member: CommitteeMember, networkAddress: string, capacity: bigint, stake: bigint): MoveValue {
  const { seed } = network;
  const empty = { pos0: { contents: [] } };
  const operator = { $variant: 'Address', $fields: [deriveAddress(seed, 'node-operator', member.index)] };
  return {
    id: member.nodeId,
    state: { $variant: 'Active', $fields: [] },
    voting_params: { storage_price: STORAGE_PRICE_PER_UNIT, write_price: WRITE_PRICE_PER_UNIT, node_capacity: capacity },
    node_info: {
      name: `walrus-local-${member.index}`,
      node_id: member.nodeId,
      network_address: networkAddress,
      public_key: { bytes: uncompressedPublicKey(member.publicKey) },
      next_epoch_public_key: null,
      network_public_key: networkPublicKey(seed, member.index),
      metadata: { id: deriveAddress(seed, 'node-metadata', member.index) },
    },
    activation_epoch: GENESIS_EPOCH,
    latest_epoch: GENESIS_EPOCH,
    wal_balance: stake,
    num_shares: stake,
    pending_shares_withdraw: empty,
    pre_active_withdrawals: empty,
    pending_commission_rate: empty,
    commission_rate: 0,
    exchange_rates: { id: deriveAddress(seed, 'exchange-rates', member.index), size: 0 },
    pending_stake: empty,
    rewards_pool: 0,
    commission: 0,
    commission_receiver: operator,
    governance_authorized: operator,
    extra_fields: { id: deriveAddress(seed, 'pool-extra-fields', member.index), size: 0 },
  };
}

/**
 * `storage_node::new` requires a 33-byte network key (a compressed secp256r1 point; real clients pin
 * the node's TLS certificate to it). walrus-local nodes serve plain HTTP on loopback, so this is a
 * well-formed key derived from the seed that no endpoint presents.
 */
function networkPublicKey(seed: Uint8Array, index: number): Uint8Array {
  // randomSecretKey reduces exactly 48 seed bytes modulo the group order (no bias, never zero).
  const material = Uint8Array.from([...addressBytes(deriveAddress(seed, 'network-key', index, 0)), ...addressBytes(deriveAddress(seed, 'network-key', index, 1))]);
  return p256.getPublicKey(p256.utils.randomSecretKey(material.subarray(0, 48)), true);
}

function sameType(a: string, b: string): boolean {
  try {
    return normalizeStructTag(a) === b;
  } catch {
    return false;
  }
}
