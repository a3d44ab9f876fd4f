// walrus-local at mainnet's 1000 shards: ~2000 sliver uploads per blob, 334 primary slivers per
// read, the real quorum (667 shards). Slow (each encode is ≈1.5 s of CPU), so one blob and one quilt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncoderPool, blobIdFromText, blobIdToText, buildFrameQuilt } from '../../src/walrus/codec/index.ts';
import { quiltPatchIdToText } from '../../src/commitment/index.ts';
import { xorshift32Bytes } from '../support/xorshift.ts';
import { getBytes, startTestWalrusLocal, storeNewBlob, type WalrusLocalHarness } from '../support/walrus-local.ts';

const encoder = new EncoderPool({ threads: 2 });
let harness: WalrusLocalHarness;

beforeAll(async () => {
  harness = await startTestWalrusLocal({ shards: 1000, encoder, confirmationTimeoutMs: 60_000 });
});
afterAll(async () => {
  await harness.close();
  await encoder.close();
});

describe('walrus-local with 1000 shards', () => {
  it('stores a quilt under the codec id and serves a patch and the whole blob', async () => {
    expect(harness.local.committee.map((m) => m.shards)).toEqual([[[0, 250]], [[250, 500]], [[500, 750]], [[750, 1000]]]);
    const frames = [xorshift32Bytes(1100, 150_000), xorshift32Bytes(1101, 40_000)];
    const built = buildFrameQuilt(frames, 1000);
    const expectedId = blobIdToText((await encoder.blobMetadata(built.quilt, 1000)).blobId);
    const { blobId } = await storeNewBlob(harness.local.publisherUrl, built.quilt);
    expect(blobId).toBe(expectedId);
    const patch = built.framePatches[1];
    if (!patch) throw new Error('missing patch');
    const read = await getBytes(`${harness.local.aggregatorUrl}/v1/blobs/by-quilt-patch-id/${quiltPatchIdToText({ quiltId: blobIdFromText(blobId), ...patch })}`);
    expect(read.bytes).toEqual(frames[1]);
    // With one node down the read decodes from non-systematic slivers.
    await harness.local.stopNode(0);
    expect((await getBytes(`${harness.local.aggregatorUrl}/v1/blobs/${blobId}`)).bytes).toEqual(built.quilt);
    await harness.local.startNode(0);
  });
});
