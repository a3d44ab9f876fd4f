// Move layout of a storage node's `StakingPool`, the object @mysten/walrus loads by node id to find
// a committee member's network address, BLS key and shards. Field for field as in
//   MystenLabs/walrus @ 3c1cacc11c9292ed498f01f798cf790f02ea5062
//     contracts/walrus/sources/staking/staking_pool.move    StakingPool, PoolState, VotingParams
//     contracts/walrus/sources/staking/storage_node.move    StorageNodeInfo
//     contracts/walrus/sources/staking/pending_values.move  PendingValues(VecMap<u32, u64>)
//     contracts/walrus/sources/staking/auth.move            Authorized
// and parsed by the generated bindings of the pinned SDK
//   MystenLabs/ts-sdks @ f940dda9ded4d6dcf1f86837aca35fd70bcd1657 (@mysten/walrus 1.2.13)
//     packages/walrus/src/contracts/walrus/staking_pool.ts, storage_node.ts, pending_values.ts, auth.ts
//
//   StakingPool (BCS, in order)
//   ┌────────────────────────────┬──────────────────────────────────────────────────────────────┐
//   │ id                  32     │ UID = the node id (the key of the committee's VecMap)        │
//   │ state               enum   │ uleb variant: 0 Active | 1 Withdrawing(u32) | 2 Withdrawn    │
//   │ voting_params       24     │ storage_price u64 | write_price u64 | node_capacity u64      │
//   │ node_info                  │ name String | node_id ID | network_address String            │
//   │                            │ public_key Element { bytes: vector<u8> } (96-byte G1)        │
//   │                            │ next_epoch_public_key Option<…> | network_public_key vec<u8> │
//   │                            │ metadata ExtendedField<NodeMetadata> (UID)                   │
//   │ activation_epoch u32 | latest_epoch u32 | wal_balance u64 | num_shares u64              │
//   │ pending_shares_withdraw | pre_active_withdrawals | pending_commission_rate  (VecMaps)    │
//   │ commission_rate u16 | exchange_rates Table (UID, size u64) | pending_stake (VecMap)      │
//   │ rewards_pool Balance<WAL> u64 | commission Balance<WAL> u64                              │
//   │ commission_receiver Authorized | governance_authorized Authorized | extra_fields Bag     │
//   └──────────────────────────────────────────────────────────────────────────────────────────┘
import { moveEnum, struct, type MoveEnum, type MoveStruct } from './move-value.ts';

const SUI = '0x2';

/**
 * `network_address` is `host:port`, never a URL: clients add the scheme. `Balance<WAL>` fields are
 * bare u64s in BCS and decimal strings in Sui JSON, so the WAL coin type never shows.
 */
export function stakingPoolLayout(pkg: string): MoveStruct {
  const element = struct(`${SUI}::group_ops::Element<${SUI}::bls12381::UncompressedG1>`, [['bytes', { vector: 'u8' }]]);
  const pendingValues = struct(`${pkg}::pending_values::PendingValues`, [
    ['pos0', struct(`${SUI}::vec_map::VecMap<u32, u64>`, [['contents', { vector: struct(`${SUI}::vec_map::Entry<u32, u64>`, [['key', 'u32'], ['value', 'u64']]) }]])],
  ]);
  const authorized: MoveEnum = moveEnum(`${pkg}::auth::Authorized`, [
    ['Address', ['address']],
    ['ObjectID', ['ID']],
  ]);
  const nodeInfo = struct(`${pkg}::storage_node::StorageNodeInfo`, [
    ['name', 'String'],
    ['node_id', 'ID'],
    ['network_address', 'String'],
    ['public_key', element],
    ['next_epoch_public_key', { option: element }],
    ['network_public_key', { vector: 'u8' }],
    ['metadata', struct(`${pkg}::extended_field::ExtendedField<${pkg}::node_metadata::NodeMetadata>`, [['id', 'UID']])],
  ]);
  return struct(`${pkg}::staking_pool::StakingPool`, [
    ['id', 'UID'],
    ['state', moveEnum(`${pkg}::staking_pool::PoolState`, [['Active', []], ['Withdrawing', ['u32']], ['Withdrawn', []]])],
    ['voting_params', struct(`${pkg}::staking_pool::VotingParams`, [['storage_price', 'u64'], ['write_price', 'u64'], ['node_capacity', 'u64']])],
    ['node_info', nodeInfo],
    ['activation_epoch', 'u32'],
    ['latest_epoch', 'u32'],
    ['wal_balance', 'u64'],
    ['num_shares', 'u64'],
    ['pending_shares_withdraw', pendingValues],
    ['pre_active_withdrawals', pendingValues],
    ['pending_commission_rate', pendingValues],
    ['commission_rate', 'u16'],
    ['exchange_rates', struct(`${SUI}::table::Table<u32, ${pkg}::pool_exchange_rate::PoolExchangeRate>`, [['id', 'UID'], ['size', 'u64']])],
    ['pending_stake', pendingValues],
    ['rewards_pool', 'Balance'],
    ['commission', 'Balance'],
    ['commission_receiver', authorized],
    ['governance_authorized', authorized],
    ['extra_fields', struct(`${SUI}::bag::Bag`, [['id', 'UID'], ['size', 'u64']])],
  ]);
}
