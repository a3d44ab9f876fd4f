// Move layouts of the Walrus objects and events walrus-local serves, field for field as in
// walrus contracts/walrus/sources (blob.move, storage_resource.move, system.move, staking.move,
// system/system_state_inner.move, staking/staking_inner.move, bls_aggregate.move, committee.move,
// storage_accounting.move, event_blob.move, extended_field.move, events.move); the generated
// bindings in @mysten/walrus/dist/contracts/walrus/*.mjs parse exactly these bytes.
import { moveEnum, struct, type MoveStruct, type MoveType } from './move-value.ts';

const SUI = '0x2';

export interface WalrusLayouts {
  readonly blob: MoveStruct;
  readonly system: MoveStruct;
  readonly staking: MoveStruct;
  readonly systemStateInner: MoveStruct;
  readonly stakingInner: MoveStruct;
  readonly blobRegistered: MoveStruct;
  readonly blobCertified: MoveStruct;
  /** `0x2::dynamic_field::Field<u64, V>`: what holds the inner state under the `version` key. */
  readonly field: (value: MoveStruct) => MoveStruct;
}

export function walrusLayouts(pkg: string): WalrusLayouts {
  const storage = struct(`${pkg}::storage_resource::Storage`, [
    ['id', 'UID'],
    ['start_epoch', 'u32'],
    ['end_epoch', 'u32'],
    ['storage_size', 'u64'],
  ]);
  const blob = struct(`${pkg}::blob::Blob`, [
    ['id', 'UID'],
    ['registered_epoch', 'u32'],
    ['blob_id', 'u256'],
    ['size', 'u64'],
    ['encoding_type', 'u8'],
    ['certified_epoch', { option: 'u32' }],
    ['storage', storage],
    ['deletable', 'bool'],
  ]);
  const versioned = (type: string) =>
    struct(type, [
      ['id', 'UID'],
      ['version', 'u64'],
      ['package_id', 'ID'],
      ['new_package_id', { option: 'ID' }],
    ]);
  const extendedField = (inner: string) => struct(`${pkg}::extended_field::ExtendedField<${inner}>`, [['id', 'UID']]);
  const vecMap = (key: MoveType, value: MoveType, keyName: string, valueName: string) => {
    const entry = struct(`${SUI}::vec_map::Entry<${keyName}, ${valueName}>`, [
      ['key', key],
      ['value', value],
    ]);
    return struct(`${SUI}::vec_map::VecMap<${keyName}, ${valueName}>`, [['contents', { vector: entry }]]);
  };
  const committee = struct(`${pkg}::committee::Committee`, [['pos0', vecMap('ID', { vector: 'u16' }, `${SUI}::object::ID`, 'vector<u16>')]]);
  const epochParams = struct(`${pkg}::epoch_parameters::EpochParams`, [
    ['total_capacity_size', 'u64'],
    ['storage_price_per_unit_size', 'u64'],
    ['write_price_per_unit_size', 'u64'],
  ]);
  const stakingInner = struct(`${pkg}::staking_inner::StakingInnerV1`, [
    ['n_shards', 'u16'],
    ['epoch_duration', 'u64'],
    ['first_epoch_start', 'u64'],
    ['pools', struct(`${SUI}::object_table::ObjectTable<${SUI}::object::ID, ${pkg}::staking_pool::StakingPool>`, [
      ['id', 'UID'],
      ['size', 'u64'],
    ])],
    ['epoch', 'u32'],
    ['active_set', extendedField(`${pkg}::active_set::ActiveSet`)],
    ['next_committee', { option: committee }],
    ['committee', committee],
    ['previous_committee', committee],
    ['next_epoch_params', { option: epochParams }],
    ['epoch_state', moveEnum(`${pkg}::staking_inner::EpochState`, [
      ['EpochChangeSync', ['u16']],
      ['EpochChangeDone', ['u64']],
      ['NextParamsSelected', ['u64']],
    ])],
    ['next_epoch_public_keys', extendedField(`${SUI}::table::Table<${SUI}::object::ID, ${SUI}::group_ops::Element<${SUI}::bls12381::G1>>`)],
  ]);
  const element = (group: string) => struct(`${SUI}::group_ops::Element<${SUI}::bls12381::${group}>`, [['bytes', { vector: 'u8' }]]);
  const member = struct(`${pkg}::bls_aggregate::BlsCommitteeMember`, [
    ['public_key', element('UncompressedG1')],
    ['weight', 'u16'],
    ['node_id', 'ID'],
  ]);
  const eventBlob = struct(`${pkg}::event_blob::EventBlob`, [
    ['blob_id', 'u256'],
    ['ending_checkpoint_sequence_number', 'u64'],
  ]);
  const futureAccounting = struct(`${pkg}::storage_accounting::FutureAccounting`, [
    ['epoch', 'u32'],
    ['used_capacity', 'u64'],
    ['rewards_to_distribute', 'Balance'],
  ]);
  const systemStateInner = struct(`${pkg}::system_state_inner::SystemStateInnerV1`, [
    ['committee', struct(`${pkg}::bls_aggregate::BlsCommittee`, [
      ['members', { vector: member }],
      ['n_shards', 'u16'],
      ['epoch', 'u32'],
      ['total_aggregated_key', element('G1')],
    ])],
    ['total_capacity_size', 'u64'],
    ['used_capacity_size', 'u64'],
    ['storage_price_per_unit_size', 'u64'],
    ['write_price_per_unit_size', 'u64'],
    ['future_accounting', struct(`${pkg}::storage_accounting::FutureAccountingRingBuffer`, [
      ['current_index', 'u32'],
      ['length', 'u32'],
      ['ring_buffer', { vector: futureAccounting }],
    ])],
    ['event_blob_certification_state', struct(`${pkg}::event_blob::EventBlobCertificationState`, [
      ['latest_certified_blob', { option: eventBlob }],
      ['aggregate_weight_per_blob', vecMap(eventBlob, 'u16', eventBlob.type, 'u16')],
    ])],
    ['deny_list_sizes', extendedField(`${SUI}::vec_map::VecMap<${SUI}::object::ID, u64>`)],
  ]);
  return {
    blob,
    system: versioned(`${pkg}::system::System`),
    staking: versioned(`${pkg}::staking::Staking`),
    systemStateInner,
    stakingInner,
    blobRegistered: struct(`${pkg}::events::BlobRegistered`, [
      ['epoch', 'u32'],
      ['blob_id', 'u256'],
      ['size', 'u64'],
      ['encoding_type', 'u8'],
      ['end_epoch', 'u32'],
      ['deletable', 'bool'],
      ['object_id', 'ID'],
    ]),
    blobCertified: struct(`${pkg}::events::BlobCertified`, [
      ['epoch', 'u32'],
      ['blob_id', 'u256'],
      ['end_epoch', 'u32'],
      ['deletable', 'bool'],
      ['object_id', 'ID'],
      ['is_extension', 'bool'],
    ]),
    field: (value) =>
      struct(`${SUI}::dynamic_field::Field<u64, ${value.type}>`, [
        ['id', 'UID'],
        ['name', 'u64'],
        ['value', value],
      ]),
  };
}
