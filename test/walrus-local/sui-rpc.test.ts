// walrus-local's Sui JSON-RPC read through @mysten/sui's own client (and @mysten/walrus's), as
// production code reads a full node: Blob objects, BlobCertified events, the Walrus epoch in the
// staking object's inner state, and expiry once the epoch clock passes end_epoch.
import { bcs } from '@mysten/sui/bcs';
import { SuiJsonRpcClient } from '@mysten/sui/jsonRpc';
import { WalrusClient } from '@mysten/walrus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobIdFromText, blobIdToU256 } from '../../src/walrus/codec/index.ts';
import { xorshift32Bytes } from '../support/xorshift.ts';
import { getBytes, putBlob, startTestWalrusLocal, storeNewBlob, type WalrusLocalHarness } from '../support/walrus-local.ts';

const BlobBcs = bcs.struct('Blob', {
  id: bcs.Address,
  registered_epoch: bcs.u32(),
  blob_id: bcs.u256(),
  size: bcs.u64(),
  encoding_type: bcs.u8(),
  certified_epoch: bcs.option(bcs.u32()),
  storage: bcs.struct('Storage', { id: bcs.Address, start_epoch: bcs.u32(), end_epoch: bcs.u32(), storage_size: bcs.u64() }),
  deletable: bcs.bool(),
});
const StakingPrefix = bcs.struct('StakingInnerV1Prefix', {
  n_shards: bcs.u16(),
  epoch_duration: bcs.u64(),
  first_epoch_start: bcs.u64(),
  pools: bcs.struct('ObjectTable', { id: bcs.Address, size: bcs.u64() }),
  epoch: bcs.u32(),
});
const BlobCertifiedBcs = bcs.struct('BlobCertified', {
  epoch: bcs.u32(),
  blob_id: bcs.u256(),
  end_epoch: bcs.u32(),
  deletable: bcs.bool(),
  object_id: bcs.Address,
  is_extension: bcs.bool(),
});

let harness: WalrusLocalHarness;
let client: SuiJsonRpcClient;
let stored: { objectId: string; blobId: string; endEpoch: number };
const data = xorshift32Bytes(800, 12_345);

beforeAll(async () => {
  harness = await startTestWalrusLocal();
  client = new SuiJsonRpcClient({ url: harness.local.suiRpcUrl, network: 'localnet' });
  stored = await storeNewBlob(harness.local.publisherUrl, data, 'epochs=2&permanent=true');
});
afterAll(() => harness.close());

async function currentEpoch(): Promise<number> {
  const { object } = await client.core.getObject({ objectId: harness.local.stakingObjectId, include: { content: true } });
  const version = bcs.struct('Versioned', { id: bcs.Address, version: bcs.u64() }).parse(object.content.subarray(0, 40)).version;
  const { dynamicField } = await client.core.getDynamicField({ parentId: harness.local.stakingObjectId, name: { type: 'u64', bcs: bcs.u64().serialize(version).toBytes() } });
  return StakingPrefix.parse(dynamicField.value.bcs).epoch;
}

describe('Sui JSON-RPC through @mysten/sui', () => {
  it('reads the Blob object with its Move type, fields and BCS', async () => {
    const { object } = await client.core.getObject({ objectId: stored.objectId, include: { content: true, json: true } });
    expect(object.type).toBe(`${harness.local.walrusPackageId}::blob::Blob`);
    expect(object.owner.$kind).toBe('AddressOwner');
    const json = object.json as Record<string, unknown>;
    expect(json).toMatchObject({
      id: { id: stored.objectId },
      blob_id: blobIdToU256(blobIdFromText(stored.blobId)).toString(),
      certified_epoch: 1,
      registered_epoch: 1,
      size: String(data.length),
      encoding_type: 1,
      deletable: false,
      storage: { type: `${harness.local.walrusPackageId}::storage_resource::Storage`, fields: { start_epoch: 1, end_epoch: 3 } },
    });
    const parsed = BlobBcs.parse(object.content);
    expect(BigInt(parsed.blob_id)).toBe(blobIdToU256(blobIdFromText(stored.blobId)));
    expect(parsed.certified_epoch).toBe(1);
    expect(parsed.storage.end_epoch).toBe(3);
  });

  it('reads the current Walrus epoch from the staking object’s inner state', async () => {
    expect(await currentEpoch()).toBe(1);
  });

  it('finds the Blob object from an alreadyCertified answer’s BlobCertified event', async () => {
    const again = await putBlob(harness.local.publisherUrl, data, 'epochs=1&permanent=true');
    const event = again.body.alreadyCertified?.event;
    if (!event) throw new Error(`expected alreadyCertified, got ${JSON.stringify(again.body)}`);
    const tx = await client.core.getTransaction({ digest: event.txDigest, include: { events: true } });
    if (tx.$kind !== 'Transaction') throw new Error('transaction failed');
    const certified = tx.Transaction.events?.find((e) => e.eventType.endsWith('::events::BlobCertified'));
    expect(certified?.eventType).toBe(`${harness.local.walrusPackageId}::events::BlobCertified`);
    const parsed = BlobCertifiedBcs.parse(certified?.bcs ?? new Uint8Array());
    expect(parsed.object_id).toBe(stored.objectId);
    expect(BigInt(parsed.blob_id)).toBe(blobIdToU256(blobIdFromText(stored.blobId)));
    expect(certified?.json).toMatchObject({ object_id: stored.objectId, end_epoch: 3, deletable: false, is_extension: false });
    const listed = await client.core.listEvents({ filter: { eventType: `${harness.local.walrusPackageId}::events::BlobCertified` } });
    expect(listed.events.some((e) => e.transactionDigest === event.txDigest)).toBe(true);
    await expect(client.core.getTransaction({ digest: '11111111111111111111111111111111' })).rejects.toThrow();
  });

  it('lets @mysten/walrus read the system and staking state', async () => {
    const walrus = new WalrusClient({ suiClient: client, packageConfig: { systemObjectId: harness.local.systemObjectId, stakingPoolId: harness.local.stakingObjectId } });
    const system = await walrus.systemState();
    expect(system.committee.n_shards).toBe(10);
    expect(system.committee.members.map((m) => m.weight)).toEqual([3, 3, 2, 2]);
    const staking = await walrus.stakingState();
    expect(staking.epoch).toBe(1);
    expect(staking.epoch_state.$kind).toBe('EpochChangeDone');
    expect(await walrus.storageCost(data.length, 2)).toMatchObject({ storageCost: (expect.any(BigInt) as unknown) });
  });

  it('answers like a full node to unknown objects, unknown methods, batches and bad JSON', async () => {
    await expect(client.core.getObject({ objectId: `0x${'42'.repeat(32)}` })).rejects.toMatchObject({ message: (expect.stringContaining('does not exist') as unknown) });
    const post = async (body: string) => (await fetch(harness.local.suiRpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json();
    expect(await post(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'sui_nothing', params: [] }))).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: -32601 } });
    expect(await post('{nope')).toMatchObject({ error: { code: -32700 } });
    expect(await post(JSON.stringify({ id: 1, method: 'sui_getChainIdentifier' }))).toMatchObject({ error: { code: -32600 } });
    const batch = (await post(JSON.stringify([
      { jsonrpc: '2.0', id: 1, method: 'sui_getChainIdentifier', params: [] },
      { jsonrpc: '2.0', id: 2, method: 'sui_getObject', params: [stored.objectId, { showType: true }] },
    ]))) as { id: number; result: unknown }[];
    expect(batch.map((r) => r.id)).toEqual([1, 2]);
    expect(batch[1]?.result).toMatchObject({ data: { objectId: stored.objectId, type: `${harness.local.walrusPackageId}::blob::Blob` } });
  });
});

describe('epochs', () => {
  it('expire blobs once the clock passes end_epoch: aggregator 404, object past its end', async () => {
    const shortLived = await storeNewBlob(harness.local.publisherUrl, xorshift32Bytes(801, 999), 'epochs=1&permanent=true');
    expect((await getBytes(`${harness.local.aggregatorUrl}/v1/blobs/${stored.blobId}`)).status).toBe(200);
    await harness.local.advanceEpochs(1);
    expect(await currentEpoch()).toBe(2);
    expect((await getBytes(`${harness.local.aggregatorUrl}/v1/blobs/${shortLived.blobId}`)).status).toBe(404);
    expect((await getBytes(`${harness.local.aggregatorUrl}/v1/blobs/${stored.blobId}`)).status).toBe(200);
    await harness.local.advanceEpochs(1);
    const epoch = await currentEpoch();
    const response = await fetch(`${harness.local.aggregatorUrl}/v1/blobs/${stored.blobId}`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { details: [{ reason: 'BLOB_NOT_FOUND' }] } });
    const { object } = await client.core.getObject({ objectId: stored.objectId, include: { content: true } });
    const parsed = BlobBcs.parse(object.content);
    expect(parsed.certified_epoch).toBe(1);
    expect(epoch).toBeGreaterThanOrEqual(parsed.storage.end_epoch);
    // Storing it again after expiry creates a new Blob object.
    expect((await putBlob(harness.local.publisherUrl, data, 'epochs=1&permanent=true')).body.newlyCreated?.blobObject.storage.endEpoch).toBe(epoch + 1);
  });

  it('advance on a wall clock of configurable length', async () => {
    const fast = await startTestWalrusLocal({ epochDurationMs: 250 });
    try {
      const start = fast.local.currentEpoch();
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(fast.local.currentEpoch()).toBeGreaterThanOrEqual(start + 2);
      expect(fast.local.info().epoch).toBe(fast.local.currentEpoch());
    } finally {
      await fast.close();
    }
  });
});
