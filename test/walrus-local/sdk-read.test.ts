// @mysten/walrus's own WalrusClient, unchanged, as the reader of walrus-local: it finds the committee
// through the Sui JSON-RPC (staking inner state → one StakingPool per node id → node_info) and reads
// metadata, slivers and blob statuses from the storage nodes. Requests to the nodes go through the
// SDK's `storageNodeClientOptions.fetch`, so the tests also see which slivers a read fetched.
import { bcs } from '@mysten/sui/bcs';
import { SuiJsonRpcClient } from '@mysten/sui/jsonRpc';
import { normalizeStructTag } from '@mysten/sui/utils';
import { encodeQuilt, type WalrusClient } from '@mysten/walrus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncoderPool, blobIdFromText, buildFrameQuilt, decodeSliverData, encodeSliverData, encodingConfig, type BuiltQuilt } from '../../src/walrus/codec/index.ts';
import { frameKey, quiltPatchIdToText } from '../../src/commitment/index.ts';
import type { WalrusLocal } from '../../src/walrus-local/index.ts';
import { xorshift32Bytes } from '../support/xorshift.ts';
import { startTestWalrusLocal, storeNewBlob, walrusSdkClient, type WalrusLocalHarness } from '../support/walrus-local.ts';

const SHARDS = 100;
const encoder = new EncoderPool({ threads: 2 });
let harness: WalrusLocalHarness;

beforeAll(async () => {
  harness = await startTestWalrusLocal({ shards: SHARDS, encoder });
});
afterAll(async () => {
  await harness.close();
  await encoder.close();
});

/** Storage-node requests an SDK client made, as `kind` strings: `metadata`, `status`, `<pair>/primary`. */
function recordingClient(local: WalrusLocal): { client: WalrusClient; requests: string[] } {
  const requests: string[] = [];
  const client = walrusSdkClient(local, (url: string | Request, init?: RequestInit) => {
    const path = new URL(typeof url === 'string' ? url : url.url).pathname;
    const sliver = /\/slivers\/(\d+)\/(primary|secondary)$/.exec(path);
    requests.push(sliver ? `${sliver[1]}/${sliver[2]}` : (path.split('/').pop() ?? path));
    return fetch(url, init);
  });
  return { client, requests };
}

/** The secondary slivers (by pair index) holding columns [start, end). */
function columnSlivers(start: number, end: number, nShards: number): string[] {
  return Array.from({ length: end - start }, (_, i) => `${nShards - 1 - (start + i)}/secondary`);
}

/**
 * A frame patch's content starts after the 6-byte patch header, the identifier's u16 length and the
 * identifier as BCS (uleb 64 + 64 hex digits): 73 bytes into its first column.
 */
const FRAME_CONTENT_OFFSET = 6 + 2 + 1 + 64;

/**
 * Whether @mysten/walrus 1.2.13 reads a patch right from its slivers. It fetches ⌈length / column
 * size⌉ columns from the one holding the content's first byte (ts-sdks @ f940dda9 packages/walrus/
 * src/files/readers/quilt.ts `#readBytesFromSlivers`): one column short when the content's offset
 * in that column pushes its end into one more column, and the missing tail reads as zeros.
 */
function sdkSliverReadIsWhole(built: BuiltQuilt, length: number): boolean {
  const columnSize = built.symbolSize * encodingConfig(built.nShards).primarySymbols;
  return (FRAME_CONTENT_OFFSET % columnSize) + length <= Math.ceil(length / columnSize) * columnSize;
}

const StakingPoolBcs = (() => {
  const element = bcs.struct('Element', { bytes: bcs.byteVector() });
  const pending = bcs.vector(bcs.struct('Entry', { key: bcs.u32(), value: bcs.u64() }));
  const authorized = bcs.enum('Authorized', { Address: bcs.Address, ObjectID: bcs.Address });
  return bcs.struct('StakingPool', {
    id: bcs.Address,
    state: bcs.enum('PoolState', { Active: null, Withdrawing: bcs.u32(), Withdrawn: null }),
    voting_params: bcs.struct('VotingParams', { storage_price: bcs.u64(), write_price: bcs.u64(), node_capacity: bcs.u64() }),
    node_info: bcs.struct('StorageNodeInfo', {
      name: bcs.string(),
      node_id: bcs.Address,
      network_address: bcs.string(),
      public_key: element,
      next_epoch_public_key: bcs.option(element),
      network_public_key: bcs.byteVector(),
      metadata: bcs.Address,
    }),
    activation_epoch: bcs.u32(),
    latest_epoch: bcs.u32(),
    wal_balance: bcs.u64(),
    num_shares: bcs.u64(),
    pending_shares_withdraw: pending,
    pre_active_withdrawals: pending,
    pending_commission_rate: pending,
    commission_rate: bcs.u16(),
    exchange_rates: bcs.struct('Table', { id: bcs.Address, size: bcs.u64() }),
    pending_stake: pending,
    rewards_pool: bcs.u64(),
    commission: bcs.u64(),
    commission_receiver: authorized,
    governance_authorized: authorized,
    extra_fields: bcs.struct('Bag', { id: bcs.Address, size: bcs.u64() }),
  });
})();

describe('the committee as @mysten/walrus finds it', () => {
  it('serves one StakingPool per committee node id, BCS-exact, owned through the pools ObjectTable', async () => {
    const { local } = harness;
    const sui = new SuiJsonRpcClient({ url: local.suiRpcUrl, network: 'localnet' });
    const walrus = walrusSdkClient(local);
    const staking = await walrus.stakingState();
    const blsMembers = (await walrus.systemState()).committee.members;
    const nodeIds = staking.committee[0].contents.map((entry) => entry.key);
    expect(nodeIds).toHaveLength(local.committee.length);
    for (const [index, nodeId] of nodeIds.entries()) {
      const member = local.committee[index];
      if (!member) throw new Error(`no member ${index}`);
      const { object } = await sui.core.getObject({ objectId: nodeId, include: { content: true, json: true } });
      expect(object.type).toBe(`${local.walrusPackageId}::staking_pool::StakingPool`);
      const pool = StakingPoolBcs.parse(object.content);
      expect(StakingPoolBcs.serialize(pool).toBytes()).toEqual(object.content); // every byte accounted for
      expect(pool.id).toBe(nodeId);
      expect(pool.state.$kind).toBe('Active');
      expect(pool.node_info.node_id).toBe(nodeId);
      expect(pool.node_info.network_address).toBe(new URL(member.url).host);
      // The same uncompressed G1 key as the BLS committee member that signs for this node.
      expect(pool.node_info.public_key.bytes).toHaveLength(96);
      expect(Array.from(pool.node_info.public_key.bytes)).toEqual(blsMembers[index]?.public_key.bytes);
      expect(pool.node_info.network_public_key).toHaveLength(33);
      expect((object.json as { node_info: { fields: { network_address: string } } }).node_info.fields.network_address).toBe(new URL(member.url).host);
      // The pool is a dynamic object field of StakingInnerV1.pools: pool ← Field<Wrapper<ID>, ID> ← table.
      expect(object.owner.$kind).toBe('ObjectOwner');
      const fieldId = object.owner.$kind === 'ObjectOwner' ? object.owner.ObjectOwner : '';
      const { object: field } = await sui.core.getObject({ objectId: fieldId, include: { json: true } });
      expect(field.type).toBe(normalizeStructTag('0x2::dynamic_field::Field<0x2::dynamic_object_field::Wrapper<0x2::object::ID>, 0x2::object::ID>'));
      expect(field.owner).toMatchObject({ $kind: 'ObjectOwner', ObjectOwner: staking.pools.id });
      expect(field.json).toMatchObject({ value: nodeId });
      const byName = (await (
        await fetch(local.suiRpcUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'suix_getDynamicFieldObject', params: [staking.pools.id, { type: '0x2::object::ID', value: nodeId }] }),
        })
      ).json()) as { result: { data: { objectId: string; type: string } } };
      expect(byName.result.data).toMatchObject({ objectId: nodeId, type: object.type });
    }
  });
});

describe('WalrusClient.readBlob', () => {
  it('round-trips blobs stored through the publisher, byte for byte', async () => {
    const { client, requests } = recordingClient(harness.local);
    for (const [seed, length] of [[1, 1], [2, 4_321], [3, 300_000]] as const) {
      const data = xorshift32Bytes(seed, length);
      const { blobId } = await storeNewBlob(harness.local.publisherUrl, data);
      expect(await client.readBlob({ blobId })).toEqual(data);
    }
    const deletable = xorshift32Bytes(4, 9_000);
    const { blobId } = await storeNewBlob(harness.local.publisherUrl, deletable, 'epochs=2&deletable=true');
    expect(await client.readBlob({ blobId })).toEqual(deletable);
    expect(requests.some((r) => r.endsWith('/primary'))).toBe(true);
    expect(requests.some((r) => r.endsWith('/secondary'))).toBe(false);
  });

  it('refuses, rather than returns, bytes decoded from corrupt slivers', async () => {
    const data = xorshift32Bytes(5, 50_000);
    const { blobId } = await storeNewBlob(harness.local.publisherUrl, data);
    // Three of four nodes corrupt: whichever slivers the SDK samples, the decode uses corrupt ones.
    // readBlob re-encodes what it decoded and compares blob ids (InconsistentBlobError).
    for (const node of [1, 2, 3]) harness.local.setNodeFault(node, { corruptSlivers: true });
    try {
      await expect(walrusSdkClient(harness.local).readBlob({ blobId })).rejects.toThrow(/encoded incorrectly/);
    } finally {
      for (const node of [1, 2, 3]) harness.local.setNodeFault(node, {});
    }
  });

  it('fails over from a stopped node, given the 11+ nodes the SDK’s metadata fallback needs', async () => {
    // When its first (random) node fails, getBlobMetadata splits the other nodes into chunks of
    // ⌊(nodes − 1) / 10⌋ (ts-sdks @ f940dda9 packages/walrus/src/client.ts): with 4 nodes that is
    // 0 and the read dies with "RangeError: Invalid array length" one time in four.
    const wide = await startTestWalrusLocal({ shards: SHARDS, nodes: 11, encoder });
    try {
      const data = xorshift32Bytes(6, 50_000);
      const { blobId } = await storeNewBlob(wide.local.publisherUrl, data);
      await wide.local.stopNode(1);
      for (let i = 0; i < 3; i++) expect(await walrusSdkClient(wide.local).readBlob({ blobId })).toEqual(data);
    } finally {
      await wide.close();
    }
  });
});

describe('WalrusClient.getVerifiedBlobStatus', () => {
  it('reports certified permanent and deletable blobs, and unknown blob ids as nonexistent', async () => {
    const client = walrusSdkClient(harness.local);
    const permanent = await storeNewBlob(harness.local.publisherUrl, xorshift32Bytes(10, 2_000), 'epochs=3&permanent=true');
    expect(await client.getVerifiedBlobStatus({ blobId: permanent.blobId })).toMatchObject({
      type: 'permanent',
      isCertified: true,
      endEpoch: permanent.endEpoch,
      initialCertifiedEpoch: 1,
      deletableCounts: { count_deletable_total: 0, count_deletable_certified: 0 },
    });
    const deletable = await storeNewBlob(harness.local.publisherUrl, xorshift32Bytes(11, 2_000), 'epochs=1&deletable=true');
    expect(await client.getVerifiedBlobStatus({ blobId: deletable.blobId })).toEqual({
      type: 'deletable',
      initialCertifiedEpoch: 1,
      deletableCounts: { count_deletable_total: 1, count_deletable_certified: 1 },
    });
    expect(await client.getVerifiedBlobStatus({ blobId: 'A'.repeat(43) })).toEqual({ type: 'nonexistent' });
    expect(await (await client.getBlob({ blobId: permanent.blobId })).exists()).toBe(true);
  });
});

describe('quilt patches through the SDK', () => {
  it('lists and reads every patch of a codec-built quilt, with the codec’s patch ids', async () => {
    const frames = [100, 5_000, 1, 20_000, 3].map((length, i) => xorshift32Bytes(200 + i, length));
    const built = buildFrameQuilt(frames, SHARDS);
    const { blobId } = await storeNewBlob(harness.local.publisherUrl, built.quilt);
    const quiltId = blobIdFromText(blobId);
    expect(frames.every((frame) => sdkSliverReadIsWhole(built, frame.length))).toBe(true);
    const client = walrusSdkClient(harness.local);
    const files = await (await client.getBlob({ blobId })).files();
    expect(await Promise.all(files.map((f) => f.getIdentifier()))).toEqual(built.patches.map((p) => p.identifier));
    for (const file of files) {
      const bytes = await file.bytes();
      expect(frameKey(bytes)).toBe(await file.getIdentifier());
    }
    for (const [i, frame] of frames.entries()) {
      const patch = built.framePatches[i];
      if (!patch) throw new Error('missing patch');
      const patchId = quiltPatchIdToText({ quiltId, ...patch });
      const [byId] = await (await client.getBlob({ blobId })).files({ ids: [patchId] });
      expect(await byId?.bytes()).toEqual(frame);
      const [file] = await client.getFiles({ ids: [patchId] });
      expect(await file?.bytes()).toEqual(frame);
      expect(await file?.getIdentifier()).toBe(frameKey(frame));
    }
  });

  it('reads an encodeQuilt quilt with tags, by identifier and by patch id', async () => {
    const blobs = [
      { identifier: 'alpha.bin', contents: xorshift32Bytes(300, 4_000), tags: { kind: 'frame', n: '1' } },
      { identifier: 'beta.bin', contents: xorshift32Bytes(301, 17), tags: {} },
      { identifier: 'gamma.bin', contents: xorshift32Bytes(302, 9_999), tags: { kind: 'frame' } },
    ];
    const { quilt, index } = encodeQuilt({ blobs, numShards: SHARDS, encodingType: 'RS2' });
    const { blobId } = await storeNewBlob(harness.local.publisherUrl, quilt);
    const client = walrusSdkClient(harness.local);
    const blob = await client.getBlob({ blobId });
    const tagged = await blob.files({ tags: [{ kind: 'frame' }] });
    expect(await Promise.all(tagged.map((f) => f.getIdentifier()))).toEqual(['alpha.bin', 'gamma.bin']);
    for (const expected of blobs) {
      const [file] = await blob.files({ identifiers: [expected.identifier] });
      expect(await file?.bytes()).toEqual(expected.contents);
      expect(await file?.getTags()).toEqual(expected.tags);
      const patch = index.patches.find((p) => p.identifier === expected.identifier);
      if (!patch) throw new Error('missing patch');
      const patchId = quiltPatchIdToText({ quiltId: blobIdFromText(blobId), startColumn: patch.startIndex, endColumn: patch.endIndex });
      const [byId] = await client.getFiles({ ids: [patchId] });
      expect(await byId?.bytes()).toEqual(expected.contents);
    }
  });

  it('fetches only the secondary slivers of the patch’s columns, and does not verify them', async () => {
    const frames = Array.from({ length: 6 }, (_, i) => xorshift32Bytes(500 + i, 3_000 + 1_000 * i));
    const built = buildFrameQuilt(frames, SHARDS);
    const { blobId } = await storeNewBlob(harness.local.publisherUrl, built.quilt);
    const quiltId = blobIdFromText(blobId);
    const patch = built.framePatches[3];
    if (!patch) throw new Error('missing patch');
    expect(sdkSliverReadIsWhole(built, frames[3]?.length ?? 0)).toBe(true);
    const patchId = quiltPatchIdToText({ quiltId, ...patch });
    const { client, requests } = recordingClient(harness.local);
    const [file] = await client.getFiles({ ids: [patchId] });
    expect(await file?.bytes()).toEqual(frames[3]);
    expect(patch.endColumn - patch.startColumn).toBeGreaterThan(1);
    expect(requests.toSorted()).toEqual(columnSlivers(patch.startColumn, patch.endColumn, SHARDS).toSorted());

    // No metadata, no hashes: a node lying about the last column of the patch goes unnoticed.
    const lastPair = `/slivers/${SHARDS - 1 - (patch.endColumn - 1)}/secondary`;
    const liar = walrusSdkClient(harness.local, async (url: string | Request, init?: RequestInit) => {
      const response = await fetch(url, init);
      if (!(typeof url === 'string' ? url : url.url).endsWith(lastPair)) return response;
      const sliver = decodeSliverData(new Uint8Array(await response.arrayBuffer()));
      return new Response(encodeSliverData({ ...sliver, data: sliver.data.map((b) => b ^ 0xff) }), { headers: { 'content-type': 'application/octet-stream' } });
    });
    const [lied] = await liar.getFiles({ ids: [patchId] });
    const bytes = await lied?.bytes();
    expect(bytes).toHaveLength(frames[3]?.length ?? -1);
    expect(bytes).not.toEqual(frames[3]);
  });

  it('reads every patch right once the whole quilt is loaded; from slivers alone, one comes back short', async () => {
    const frames = Array.from({ length: 6 }, (_, i) => xorshift32Bytes(600 + i, 3_000 + 1_000 * i));
    const built = buildFrameQuilt(frames, SHARDS);
    const { blobId } = await storeNewBlob(harness.local.publisherUrl, built.quilt);
    const quiltId = blobIdFromText(blobId);
    const patchIds = built.framePatches.map((patch) => quiltPatchIdToText({ quiltId, ...patch }));
    // Frame 4 (7000 bytes) straddles one column more than ⌈7000 / 544⌉ at 100 shards.
    expect(frames.map((f) => sdkSliverReadIsWhole(built, f.length))).toEqual([true, true, true, true, false, true]);
    const [short] = await walrusSdkClient(harness.local).getFiles({ ids: [patchIds[4] ?? ''] });
    const bytes = await short?.bytes();
    expect(bytes?.subarray(0, 6_999)).toEqual(frames[4]?.subarray(0, 6_999));
    expect(bytes?.[6_999]).toBe(0);
    expect(frames[4]?.[6_999]).not.toBe(0);

    // Loading the blob first (readBlob: decoded, re-encoded, checked against the blob id) switches
    // the SDK's quilt reader to cutting patches out of those verified bytes.
    const blob = await walrusSdkClient(harness.local).getBlob({ blobId });
    expect(await blob.asFile().bytes()).toEqual(built.quilt);
    for (const [i, frame] of frames.entries()) {
      const [file] = await blob.files({ ids: [patchIds[i] ?? ''] });
      expect(await file?.bytes()).toEqual(frame);
    }
  });
});

describe('at 1000 shards', () => {
  it('reads a whole quilt and one patch through the SDK', async () => {
    const big = await startTestWalrusLocal({ shards: 1000, encoder, confirmationTimeoutMs: 60_000 });
    try {
      const frames = [30_000, 29_000, 31_000, 28_500].map((length, i) => xorshift32Bytes(900 + i, length));
      const built = buildFrameQuilt(frames, 1000);
      const { blobId } = await storeNewBlob(big.local.publisherUrl, built.quilt);
      const { client, requests } = recordingClient(big.local);
      expect(await client.readBlob({ blobId })).toEqual(built.quilt);
      // At least p = 334 primary slivers; the SDK requests more in parallel and aborts the rest.
      expect(requests.filter((r) => r.endsWith('/primary')).length).toBeGreaterThanOrEqual(334);

      const k = frames.findIndex((frame) => sdkSliverReadIsWhole(built, frame.length));
      const patch = built.framePatches[k];
      if (!patch) throw new Error('no patch the SDK reads whole from slivers');
      const reader = recordingClient(big.local);
      const [file] = await reader.client.getFiles({ ids: [quiltPatchIdToText({ quiltId: blobIdFromText(blobId), ...patch })] });
      expect(await file?.bytes()).toEqual(frames[k]);
      expect(reader.requests.toSorted()).toEqual(columnSlivers(patch.startColumn, patch.endColumn, 1000).toSorted());
    } finally {
      await big.close();
    }
  });
});
