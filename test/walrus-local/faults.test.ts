// Fault tolerance of walrus-local, as Walrus's: 10 shards on 4 nodes hold 3, 3, 2, 2 shards, so a
// quorum (3·w ≥ 21) survives any one node but no two, and any p = 4 primary slivers rebuild a blob.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { blobIdFromText, buildFrameQuilt, shardForPair } from '../../src/walrus/codec/index.ts';
import { quiltPatchIdToText } from '../../src/commitment/index.ts';
import { xorshift32Bytes } from '../support/xorshift.ts';
import { getBytes, putBlob, startTestWalrusLocal, storeNewBlob, type WalrusLocalHarness } from '../support/walrus-local.ts';

let harness: WalrusLocalHarness;
let earlier: { blobId: string; data: Uint8Array };

beforeAll(async () => {
  // No aggregator cache: every read must go to the nodes, whose faults are what is tested here.
  harness = await startTestWalrusLocal({ aggregatorCacheBytes: 0 });
  const data = xorshift32Bytes(700, 60_000);
  earlier = { data, blobId: (await storeNewBlob(harness.local.publisherUrl, data)).blobId };
});
afterAll(() => harness.close());
afterEach(async () => {
  for (const member of harness.local.committee) {
    harness.local.setNodeFault(member.index, {});
    await harness.local.startNode(member.index);
  }
});

const read = (blobId: string) => getBytes(`${harness.local.aggregatorUrl}/v1/blobs/${blobId}`);

describe('stopped nodes', () => {
  it('certifies writes with one of four nodes down (7 of 10 shards confirm)', async () => {
    await harness.local.stopNode(0);
    expect(await fetch(`${harness.local.committee[0]?.url}/v1/health`).then(() => 'up', () => 'refused')).toBe('refused');
    const data = xorshift32Bytes(701, 20_000);
    const result = await putBlob(harness.local.publisherUrl, data);
    expect(result.status).toBe(200);
    expect(result.body.newlyCreated?.blobObject.certifiedEpoch).toBe(1);
    expect((await read(result.body.newlyCreated?.blobObject.blobId ?? '')).bytes).toEqual(data);
  });

  it('answers 504 with two nodes down, while earlier blobs stay readable', async () => {
    await harness.local.stopNode(0);
    await harness.local.stopNode(1);
    const started = Date.now();
    const result = await putBlob(harness.local.publisherUrl, xorshift32Bytes(702, 5_000));
    expect(result.status).toBe(504);
    expect(result.body).toEqual({
      error: {
        code: 504,
        status: 'DEADLINE_EXCEEDED',
        message: 'the service timed-out while waiting for confirmations, please try again',
        details: [{ '@type': 'ErrorInfo', reason: 'INSUFFICIENT_CONFIRMATIONS', domain: 'daemon.walrus.space', metadata: (expect.any(Object) as unknown) }],
      },
    });
    expect(Date.now() - started).toBeLessThan(5_000); // every node answered: no need to wait for the timeout
    const again = await read(earlier.blobId);
    expect(again.status).toBe(200);
    expect(again.bytes).toEqual(earlier.data);
  });

  it('answers 503 when fewer than p primary slivers can be had', async () => {
    await harness.local.stopNode(0);
    await harness.local.stopNode(1);
    await harness.local.stopNode(2);
    const response = await fetch(`${harness.local.aggregatorUrl}/v1/blobs/${earlier.blobId}`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { status: 'UNAVAILABLE', details: [{ reason: 'BLOB_UNAVAILABLE' }] } });
  });
});

describe('corrupt and slow nodes', () => {
  it('returns the right bytes when a node serves corrupted slivers', async () => {
    harness.local.setNodeFault(0, { corruptSlivers: true });
    expect((await read(earlier.blobId)).bytes).toEqual(earlier.data);
    // A corrupt node and a stopped one: the remaining two nodes hold exactly p = 4 shards.
    await harness.local.stopNode(1);
    expect((await read(earlier.blobId)).bytes).toEqual(earlier.data);
    harness.local.setNodeFault(2, { corruptSlivers: true });
    expect((await read(earlier.blobId)).status).toBe(503);
  });

  it('serves quilt patches whose columns sit on a corrupt node, through the full-read fallback', async () => {
    const frames = Array.from({ length: 5 }, (_, i) => xorshift32Bytes(710 + i, 3_000 + i));
    const built = buildFrameQuilt(frames, 10);
    const { blobId } = await storeNewBlob(harness.local.publisherUrl, built.quilt);
    const quiltId = blobIdFromText(blobId);
    const corrupt = 1;
    const range = harness.local.committee[corrupt]?.shards[0] ?? [0, 0];
    const onCorruptNode = (column: number) => {
      const shard = shardForPair(10 - 1 - column, quiltId, 10);
      return shard >= range[0] && shard < range[1];
    };
    expect(built.patches.some((p) => Array.from({ length: p.endColumn - p.startColumn }, (_, i) => p.startColumn + i).some(onCorruptNode))).toBe(true);
    harness.local.setNodeFault(corrupt, { corruptSlivers: true });
    for (const [i, frame] of frames.entries()) {
      const patch = built.framePatches[i];
      if (!patch) throw new Error('missing patch');
      const response = await getBytes(`${harness.local.aggregatorUrl}/v1/blobs/by-quilt-patch-id/${quiltPatchIdToText({ quiltId, ...patch })}`);
      expect(response.bytes).toEqual(frame);
    }
  });

  it('still certifies and reads with a slow node', async () => {
    harness.local.setNodeFault(3, { latencyMs: 300 });
    const data = xorshift32Bytes(720, 8_000);
    const { blobId } = await storeNewBlob(harness.local.publisherUrl, data);
    expect((await read(blobId)).bytes).toEqual(data);
    expect(() => harness.local.setNodeFault(9, {})).toThrow(RangeError);
  });
});

describe('daemon and Sui RPC restarts', () => {
  it('come back on the same URLs', async () => {
    const { publisherUrl, suiRpcUrl } = harness.local;
    await harness.local.stopDaemon();
    await harness.local.stopSuiRpc();
    expect(await fetch(`${publisherUrl}/status`).then(() => 'up', () => 'refused')).toBe('refused');
    expect(await fetch(suiRpcUrl, { method: 'POST', body: '{}' }).then(() => 'up', () => 'refused')).toBe('refused');
    await harness.local.startDaemon();
    await harness.local.startSuiRpc();
    expect((await read(earlier.blobId)).bytes).toEqual(earlier.data);
    const rpc = await fetch(suiRpcUrl, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'sui_getChainIdentifier', params: [] }) });
    expect(((await rpc.json()) as { result: string }).result).toMatch(/^[0-9a-f]{8}$/);
  });
});
