// The daemon's verified-blob cache: a blob is verified against its blob id once — by the
// colocated publisher's own encode when stored here, or by the first read otherwise — and later
// reads are served from memory, while expiry is still checked on every read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quiltPatchIdToText } from '../../src/commitment/index.ts';
import { blobIdFromText, buildFrameQuilt } from '../../src/walrus/codec/index.ts';
import { getBytes, startTestWalrusLocal, storeNewBlob, type WalrusLocalHarness } from '../support/walrus-local.ts';
import { xorshift32Bytes } from '../support/xorshift.ts';

let harness: WalrusLocalHarness;
beforeAll(async () => {
  harness = await startTestWalrusLocal();
});
afterAll(() => harness.close());

const stopAllNodes = async () => {
  for (const member of harness.local.committee) await harness.local.stopNode(member.index);
};
const startAllNodes = async () => {
  for (const member of harness.local.committee) await harness.local.startNode(member.index);
};

describe('aggregator verified-blob cache', () => {
  it('serves the patches of a quilt stored through this daemon without reading the nodes again', async () => {
    const frames = Array.from({ length: 4 }, (_, i) => xorshift32Bytes(900 + i, 5_000 + i));
    const built = buildFrameQuilt(frames, harness.local.nShards);
    const { blobId } = await storeNewBlob(harness.local.publisherUrl, built.quilt);
    await stopAllNodes();
    try {
      for (const [i, frame] of frames.entries()) {
        const patch = built.framePatches[i];
        if (!patch) throw new Error('missing patch');
        const id = quiltPatchIdToText({ quiltId: blobIdFromText(blobId), startColumn: patch.startColumn, endColumn: patch.endColumn });
        const read = await getBytes(`${harness.local.aggregatorUrl}/v1/blobs/by-quilt-patch-id/${id}`);
        expect(read.status).toBe(200);
        expect(read.bytes).toEqual(frame);
      }
      expect((await getBytes(`${harness.local.aggregatorUrl}/v1/blobs/${blobId}`)).bytes).toEqual(built.quilt);
    } finally {
      await startAllNodes();
    }
  });

  it('serves nothing it has not verified: an unknown blob id is 404 even with every node stopped', async () => {
    await stopAllNodes();
    try {
      const unknown = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
      expect((await getBytes(`${harness.local.aggregatorUrl}/v1/blobs/${unknown}`)).status).toBe(404);
    } finally {
      await startAllNodes();
    }
  });
});
