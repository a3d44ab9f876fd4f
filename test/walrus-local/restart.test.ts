// State survives a restart: blobs (plain and quilt patches), Blob objects, events, the epoch clock
// and the node keys all come back when walrus-local starts again on the same data directory.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SuiJsonRpcClient } from '@mysten/sui/jsonRpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobIdFromText, buildFrameQuilt } from '../../src/walrus/codec/index.ts';
import { quiltPatchIdToText } from '../../src/commitment/index.ts';
import { startWalrusLocal } from '../../src/walrus-local/index.ts';
import { xorshift32Bytes } from '../support/xorshift.ts';
import { getBytes, putBlob, startTestWalrusLocal, storeNewBlob, type WalrusLocalHarness } from '../support/walrus-local.ts';

let harness: WalrusLocalHarness;
beforeAll(async () => {
  harness = await startTestWalrusLocal();
});
afterAll(() => harness.close());

describe('restarting walrus-local', () => {
  it('keeps every blob readable, the keys, the ids and the epoch', async () => {
    const before = harness.local;
    const plain = xorshift32Bytes(1000, 70_000);
    const stored = await storeNewBlob(before.publisherUrl, plain, 'epochs=5&permanent=true');
    const frames = [xorshift32Bytes(1001, 300), xorshift32Bytes(1002, 4000)];
    const quilt = buildFrameQuilt(frames, 10);
    const quiltStored = await storeNewBlob(before.publisherUrl, quilt.quilt, 'epochs=5&permanent=true');
    // A blob stored while node 3 was down: node 3 never gets its slivers, yet reads still work.
    await before.stopNode(3);
    const partial = xorshift32Bytes(1003, 9_000);
    const partialStored = await storeNewBlob(before.publisherUrl, partial, 'epochs=5&permanent=true');
    await before.advanceEpochs(2);
    const info = before.info();

    const after = await harness.restart();
    expect(after.info()).toMatchObject({ committee: info.committee.map((m) => ({ publicKey: m.publicKey, shards: m.shards })), walrusPackageId: info.walrusPackageId, systemObjectId: info.systemObjectId });
    expect(after.currentEpoch()).toBe(3);
    expect((await getBytes(`${after.aggregatorUrl}/v1/blobs/${stored.blobId}`)).bytes).toEqual(plain);
    expect((await getBytes(`${after.aggregatorUrl}/v1/blobs/${partialStored.blobId}`)).bytes).toEqual(partial);
    const quiltId = blobIdFromText(quiltStored.blobId);
    for (const [i, frame] of frames.entries()) {
      const patch = quilt.framePatches[i];
      if (!patch) throw new Error('missing patch');
      expect((await getBytes(`${after.aggregatorUrl}/v1/blobs/by-quilt-patch-id/${quiltPatchIdToText({ quiltId, ...patch })}`)).bytes).toEqual(frame);
    }
    // The chain remembers the object and the certificate: the same store is alreadyCertified.
    const again = await putBlob(after.publisherUrl, plain, 'epochs=1&permanent=true');
    expect(again.body.alreadyCertified?.endEpoch).toBe(6);
    const client = new SuiJsonRpcClient({ url: after.suiRpcUrl, network: 'localnet' });
    const { object } = await client.core.getObject({ objectId: stored.objectId, include: { json: true } });
    expect(object.json).toMatchObject({ certified_epoch: 1, storage: { fields: { end_epoch: 6 } } });
  });

  it('keeps node keys in 0600 files and refuses a second instance on the same directory', async () => {
    const key = await stat(join(harness.dataDir, 'nodes', '0', 'protocol.key'));
    expect(key.mode & 0o777).toBe(0o600);
    await expect(startWalrusLocal({ dataDir: harness.dataDir, shards: 10, nodes: 4, port: 0 })).rejects.toThrow(/already used by a walrus-local in this process/);
    await expect(startWalrusLocal({ dataDir: harness.dataDir, shards: 1000, nodes: 4, port: 0 })).rejects.toThrow(/already used/);
  });
});
