// BCS layouts of the Walrus Move structs we read from Sui (walrus contracts/walrus/sources/system/
// blob.move, storage_resource.move, events.move, staking.move, staking/staking_inner.move). Field
// order is the Move declaration order; u64/u256 decode to decimal strings.
import { bcs } from '@mysten/sui/bcs';

export const StorageBcs = bcs.struct('Storage', {
  id: bcs.Address,
  start_epoch: bcs.u32(),
  end_epoch: bcs.u32(),
  storage_size: bcs.u64(),
});

export const BlobBcs = bcs.struct('Blob', {
  id: bcs.Address,
  registered_epoch: bcs.u32(),
  blob_id: bcs.u256(),
  size: bcs.u64(),
  encoding_type: bcs.u8(),
  certified_epoch: bcs.option(bcs.u32()),
  storage: StorageBcs,
  deletable: bcs.bool(),
});

/** The shared `Staking` (and `System`) object: the inner state is a dynamic field keyed by `version`. */
export const VersionedBcs = bcs.struct('Versioned', {
  id: bcs.Address,
  version: bcs.u64(),
  package_id: bcs.Address,
  new_package_id: bcs.option(bcs.Address),
});

/**
 * The leading fields of `StakingInnerV1`, which are all we need (BCS is read front to back, so a
 * prefix parses without knowing the rest): n_shards, epoch_duration, first_epoch_start, pools, epoch.
 */
export const StakingInnerPrefixBcs = bcs.struct('StakingInnerV1Prefix', {
  n_shards: bcs.u16(),
  epoch_duration: bcs.u64(),
  first_epoch_start: bcs.u64(),
  pools: bcs.struct('ObjectTable', { id: bcs.Address, size: bcs.u64() }),
  epoch: bcs.u32(),
});

export const BlobCertifiedBcs = bcs.struct('BlobCertified', {
  epoch: bcs.u32(),
  blob_id: bcs.u256(),
  end_epoch: bcs.u32(),
  deletable: bcs.bool(),
  object_id: bcs.Address,
  is_extension: bcs.bool(),
});

/**
 * The leading field of `SystemStateInnerV1`, its `BlsCommittee` (contracts/walrus/sources/system/
 * system_state_inner.move, bls_aggregate.move): the committee of the current epoch, members in the
 * order of a certificate's signers bitmap; `public_key` is a 96-byte uncompressed G1 point.
 */
export const SystemInnerCommitteeBcs = bcs.struct('SystemStateInnerV1Prefix', {
  committee: bcs.struct('BlsCommittee', {
    members: bcs.vector(
      bcs.struct('BlsCommitteeMember', {
        public_key: bcs.struct('Element', { bytes: bcs.byteVector() }),
        weight: bcs.u16(),
        node_id: bcs.Address,
      }),
    ),
    n_shards: bcs.u16(),
    epoch: bcs.u32(),
  }),
});
