// Quilt reads of the walrus-local aggregator: every frame of a quilt built by our codec, and of one
// built by @mysten/walrus's encodeQuilt directly, comes back at /v1/blobs/by-quilt-patch-id with its
// identifier; the patch list and by-identifier reads agree with the golden vectors.
import { encodeQuilt } from '@mysten/walrus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncoderPool, blobIdFromText, buildFrameQuilt } from '../../src/walrus/codec/index.ts';
import { frameKey, quiltPatchIdToText } from '../../src/commitment/index.ts';
import { quiltFrames, vectors } from '../support/vectors.ts';
import { xorshift32Bytes } from '../support/xorshift.ts';
import { getBytes, startTestWalrusLocal, storeNewBlob, type WalrusLocalHarness } from '../support/walrus-local.ts';

const encoder = new EncoderPool({ threads: 2 });
let harness: WalrusLocalHarness;
let url: string;

beforeAll(async () => {
  harness = await startTestWalrusLocal({ encoder });
  url = harness.local.aggregatorUrl;
});
afterAll(async () => {
  await harness.close();
  await encoder.close();
});

describe('quilts on walrus-local', () => {
  it('serves every frame of a codec-built quilt by its quilt patch id', async () => {
    const frames = [100, 5_000, 1, 20_000, 3].map((length, i) => xorshift32Bytes(200 + i, length));
    const built = buildFrameQuilt(frames, 10);
    const { blobId } = await storeNewBlob(harness.local.publisherUrl, built.quilt);
    const quiltId = blobIdFromText(blobId);
    for (const [i, frame] of frames.entries()) {
      const patch = built.framePatches[i];
      if (!patch) throw new Error('missing patch');
      const read = await getBytes(`${url}/v1/blobs/by-quilt-patch-id/${quiltPatchIdToText({ quiltId, ...patch })}`);
      expect(read.status).toBe(200);
      expect(read.bytes).toEqual(frame);
      expect(read.headers.get('x-quilt-patch-identifier')).toBe(frameKey(frame));
      expect(read.headers.get('etag')).toBe(blobId);
    }
  });

  it('serves a quilt built by @mysten/walrus encodeQuilt, with tags, by patch id and by identifier', async () => {
    const blobs = [
      { identifier: 'alpha.bin', contents: xorshift32Bytes(300, 4_000), tags: { kind: 'frame', n: '1' } },
      { identifier: 'beta.bin', contents: xorshift32Bytes(301, 17), tags: {} },
      { identifier: 'gamma.bin', contents: xorshift32Bytes(302, 9_999), tags: { kind: 'frame' } },
    ];
    const { quilt, index } = encodeQuilt({ blobs, numShards: 10, encodingType: 'RS2' });
    const { blobId } = await storeNewBlob(harness.local.publisherUrl, quilt);
    const quiltId = blobIdFromText(blobId);

    const listed = (await (await fetch(`${url}/v1/quilts/${blobId}/patches`)).json()) as { identifier: string; patch_id: string; tags: Record<string, string> }[];
    expect(listed).toEqual(
      index.patches.map((p) => ({
        identifier: p.identifier,
        patch_id: quiltPatchIdToText({ quiltId, startColumn: p.startIndex, endColumn: p.endIndex }),
        tags: blobs.find((b) => b.identifier === p.identifier)?.tags ?? {},
      })),
    );
    for (const blob of blobs) {
      const patchId = listed.find((p) => p.identifier === blob.identifier)?.patch_id ?? '';
      const byId = await getBytes(`${url}/v1/blobs/by-quilt-patch-id/${patchId}`);
      expect(byId.bytes).toEqual(blob.contents);
      expect(byId.headers.get('x-quilt-patch-identifier')).toBe(blob.identifier);
      const byIdentifier = await getBytes(`${url}/v1/blobs/by-quilt-id/${blobId}/${encodeURIComponent(blob.identifier)}`);
      expect(byIdentifier.bytes).toEqual(blob.contents);
      expect(byIdentifier.headers.get('x-quilt-patch-identifier')).toBe(blob.identifier);
    }
  });

  it('reproduces the golden 10-shard quilt vector end to end', async () => {
    const vector = vectors.quilts.find((q) => q.nShards === 10);
    if (!vector) throw new Error('no 10-shard quilt vector');
    const frames = quiltFrames(vector);
    const { blobId } = await storeNewBlob(harness.local.publisherUrl, buildFrameQuilt(frames, 10).quilt);
    expect(blobId).toBe(vector.quiltBlobId);
    const listed = (await (await fetch(`${url}/v1/quilts/${blobId}/patches`)).json()) as { identifier: string; patch_id: string }[];
    expect(listed.map((p) => [p.identifier, p.patch_id])).toEqual(vector.patches.map((p) => [p.identifier, p.quiltPatchId]));
    for (const patch of vector.patches) {
      const read = await getBytes(`${url}/v1/blobs/by-quilt-patch-id/${patch.quiltPatchId}`);
      expect(frameKey(read.bytes)).toBe(patch.identifier);
    }
  });

  it('answers 404 for patches that do not exist and 400 for malformed patch ids', async () => {
    const built = buildFrameQuilt([xorshift32Bytes(400, 50)], 10);
    const { blobId } = await storeNewBlob(harness.local.publisherUrl, built.quilt);
    const quiltId = blobIdFromText(blobId);
    const reason = async (path: string) => {
      const response = await fetch(`${url}${path}`);
      return [response.status, ((await response.json()) as { error: { details: { reason: string }[] } }).error.details[0]?.reason];
    };
    expect(await reason(`/v1/blobs/by-quilt-id/${blobId}/nope`)).toEqual([404, 'QUILT_PATCH_NOT_FOUND']);
    expect(await reason(`/v1/blobs/by-quilt-patch-id/${quiltPatchIdToText({ quiltId, startColumn: 3, endColumn: 100 })}`)).toEqual([404, 'QUILT_PATCH_NOT_FOUND']);
    expect(await reason(`/v1/blobs/by-quilt-patch-id/${quiltPatchIdToText({ quiltId, startColumn: 5, endColumn: 6 })}`)).toEqual([404, 'QUILT_PATCH_NOT_FOUND']);
    const plain = await storeNewBlob(harness.local.publisherUrl, xorshift32Bytes(401, 1000));
    expect(await reason(`/v1/quilts/${plain.blobId}/patches`)).toEqual([404, 'QUILT_PATCH_NOT_FOUND']);
    expect(await reason(`/v1/blobs/by-quilt-patch-id/${quiltPatchIdToText({ quiltId: blobIdFromText(plain.blobId), startColumn: 1, endColumn: 2 })}`)).toEqual([404, 'QUILT_PATCH_NOT_FOUND']);
    expect(await reason(`/v1/blobs/by-quilt-patch-id/${quiltPatchIdToText({ quiltId: new Uint8Array(32), startColumn: 1, endColumn: 2 })}`)).toEqual([404, 'BLOB_NOT_FOUND']);
    expect(await reason('/v1/blobs/by-quilt-patch-id/tooShort')).toEqual([400, 'INVALID_QUILT_PATCH_ID']);
    expect(await reason(`/v1/quilts/${'x'.repeat(43)}/patches`)).toEqual([400, 'INVALID_BLOB_ID']);
  });
});
