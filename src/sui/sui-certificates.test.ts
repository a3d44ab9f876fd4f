import { bcs } from '@mysten/sui/bcs';
import type { ClientWithCoreApi } from '@mysten/sui/client';
import { describe, expect, it } from 'vitest';
import { SuiCertificates } from './sui-certificates.ts';
import { BlobCertifiedBcs, VersionedBcs } from './walrus-move-types.ts';

const hex32 = (byte: number) => `0x${byte.toString(16).padStart(2, '0').repeat(32)}`;
const PKG = hex32(0x0a);
const FAKE_PKG = hex32(0x0f);
const SYSTEM = hex32(0x01);
const BLOB = hex32(0x0b);
const OTHER_BLOB = hex32(0x0c);
const pure = (bytes: number[]) => ({ Pure: { bytes: Buffer.from(bcs.byteVector().serialize(Uint8Array.from(bytes)).toBytes()).toString('base64') } });
const owned = (objectId: string) => ({ Object: { ImmOrOwnedObject: { objectId, version: '3', digest: '11111111111111111111111111111111' } } });
const certified = (pkg: string, objectId: string, epoch = 5) => ({
  eventType: `${pkg}::events::BlobCertified`,
  bcs: BlobCertifiedBcs.serialize({ epoch, blob_id: 7n, end_epoch: 9, deletable: false, object_id: objectId, is_extension: false }).toBytes(),
});
const call = (pkg: string, blobInput: number, first: number) => ({
  MoveCall: { package: pkg, module: 'system', function: 'certify_blob', typeArguments: [], arguments: [{ Input: 0 }, { Input: blobInput }, { Input: first }, { Input: first + 1 }, { Input: first + 2 }] },
});

/** A core client answering the three reads SuiCertificates makes, from canned data. */
function client(tx: { events: unknown[]; inputs: unknown[]; commands: unknown[] }, committeeEpoch = 5): ClientWithCoreApi {
  const systemContent = VersionedBcs.serialize({ id: SYSTEM, version: 1n, package_id: PKG, new_package_id: null }).toBytes();
  const inner = bcs
    .struct('Prefix', {
      members: bcs.vector(bcs.struct('M', { public_key: bcs.byteVector(), weight: bcs.u16(), node_id: bcs.Address })),
      n_shards: bcs.u16(),
      epoch: bcs.u32(),
    })
    .serialize({ members: [{ public_key: new Uint8Array(96).fill(1), weight: 10, node_id: hex32(0x21) }], n_shards: 10, epoch: committeeEpoch })
    .toBytes();
  const core = {
    getObjects: ({ objectIds }: { objectIds: string[] }) =>
      Promise.resolve({
        objects: objectIds.map((id) => (id === SYSTEM ? { objectId: id, type: `${PKG}::system::System`, content: systemContent } : { objectId: id, type: `${PKG}::blob::Blob`, previousTransaction: 'TxDigest' })),
      }),
    getTransaction: () => Promise.resolve({ $kind: 'Transaction', Transaction: { digest: 'TxDigest', events: tx.events, transaction: { inputs: tx.inputs, commands: tx.commands } } }),
    getDynamicField: () => Promise.resolve({ dynamicField: { value: { bcs: inner } } }),
  };
  return { core } as unknown as ClientWithCoreApi;
}

const blobBytes = Uint8Array.from(Buffer.from(BLOB.slice(2), 'hex'));

describe('SuiCertificates', () => {
  it('takes the certify_blob call whose Blob argument is the object, among several in the transaction', async () => {
    const source = new SuiCertificates({
      systemObjectId: SYSTEM,
      client: client({
        events: [certified(PKG, OTHER_BLOB), certified(PKG, BLOB)],
        inputs: [{ Object: { SharedObject: { objectId: SYSTEM, initialSharedVersion: 1, mutable: true } } }, owned(OTHER_BLOB), pure([1]), pure([2]), pure([3]), owned(BLOB), pure([4]), pure([5]), pure([6])],
        commands: [call(PKG, 1, 2), call(PKG, 5, 6)],
      }),
    });
    expect(await source.certification(blobBytes)).toEqual({ txDigest: 'TxDigest', epoch: 5, signature: Uint8Array.of(4), signersBitmap: Uint8Array.of(5), message: Uint8Array.of(6) });
  });

  it('ignores a BlobCertified event of another package, and refuses to guess between two calls', async () => {
    const foreign = new SuiCertificates({
      systemObjectId: SYSTEM,
      client: client({ events: [certified(FAKE_PKG, BLOB)], inputs: [owned(SYSTEM), owned(BLOB), pure([1]), pure([2]), pure([3])], commands: [call(PKG, 1, 2)] }),
    });
    expect(await foreign.certification(blobBytes)).toEqual({ missing: expect.stringMatching(/emitted no BlobCertified event for it/) as unknown });
    const ambiguous = new SuiCertificates({
      systemObjectId: SYSTEM,
      client: client({ events: [certified(PKG, BLOB)], inputs: [owned(SYSTEM), owned(BLOB), pure([1]), pure([2]), pure([3])], commands: [call(FAKE_PKG, 1, 2), call(PKG, 1, 2)] }),
    });
    expect(await ambiguous.certification(blobBytes)).toEqual({ missing: 'transaction TxDigest has 2 certify_blob calls that may certify ' + BLOB });
  });

  it('reads the current BlsCommittee, and says so for any other epoch', async () => {
    const source = new SuiCertificates({ systemObjectId: SYSTEM, client: client({ events: [], inputs: [], commands: [] }, 5) });
    expect(await source.committee(5)).toEqual({ epoch: 5, nShards: 10, members: [{ nodeId: hex32(0x21), publicKey: new Uint8Array(96).fill(1), weight: 10 }] });
    expect(await source.committee(4)).toEqual({ missing: "Sui holds only the committee of the current epoch 5, whose keys and shards may differ from epoch 4's" });
  });
});
