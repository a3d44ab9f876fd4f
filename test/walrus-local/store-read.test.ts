// The publisher and aggregator of walrus-local over real loopback HTTP: byte-exact round trips,
// blob ids equal to the codec's, `alreadyCertified`, Walrus's error envelopes and read headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncoderPool, blobIdToText, storageAccounting } from '../../src/walrus/codec/index.ts';
import { xorshift32Bytes } from '../support/xorshift.ts';
import { getBytes, putBlob, startTestWalrusLocal, storeNewBlob, type WalrusLocalHarness } from '../support/walrus-local.ts';

const encoder = new EncoderPool({ threads: 2 });
let harness: WalrusLocalHarness;
let url: string;

beforeAll(async () => {
  harness = await startTestWalrusLocal({ encoder, maxBlobBodyBytes: 4 * 1024 * 1024 });
  url = harness.local.publisherUrl;
});
afterAll(async () => {
  await harness.close();
  await encoder.close();
});

describe('PUT /v1/blobs then GET /v1/blobs/{id}', () => {
  it('returns the exact bytes under the codec blob id, and alreadyCertified the second time', async () => {
    const data = xorshift32Bytes(101, 300_000);
    const expectedId = blobIdToText((await encoder.blobMetadata(data, 10)).blobId);
    const first = await putBlob(url, data, 'epochs=3&permanent=true');
    expect(first.status).toBe(200);
    const created = first.body.newlyCreated;
    expect(created).toMatchObject({
      blobObject: { blobId: expectedId, size: 300_000, encodingType: 'RS2', certifiedEpoch: 1, deletable: false, registeredEpoch: 1, storage: { startEpoch: 1, endEpoch: 4 } },
      resourceOperation: { registerFromScratch: { epochsAhead: 3 } },
    });
    expect(created?.blobObject.id).toMatch(/^0x[0-9a-f]{64}$/);
    expect(created?.blobObject.storage.storageSize).toBe(created?.resourceOperation.registerFromScratch?.encodedLength);
    // Storage units of 1 MiB × (100,000 FROST per epoch × 3 epochs + 20,000 FROST write fee).
    const { storageUnits, encodedLength } = storageAccounting(data.length, 10);
    expect(created?.resourceOperation.registerFromScratch?.encodedLength).toBe(encodedLength);
    expect(created?.cost).toBe(storageUnits * (100_000 * 3 + 20_000));


    const read = await getBytes(`${harness.local.aggregatorUrl}/v1/blobs/${expectedId}`);
    expect(read.status).toBe(200);
    expect(read.bytes).toEqual(data);
    expect(read.headers.get('content-type')).toBe('application/octet-stream');
    expect(read.headers.get('etag')).toBe(expectedId);
    expect(read.headers.get('cache-control')).toBe('public, max-age=86400, stale-while-revalidate=3600');
    expect(read.headers.get('x-content-type-options')).toBe('nosniff');

    const second = await putBlob(url, data, 'epochs=2&permanent=true');
    expect(second.status).toBe(200);
    expect(second.body).toEqual({
      alreadyCertified: { blobId: expectedId, event: { txDigest: (expect.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{43,44}$/) as unknown), eventSeq: '0' }, endEpoch: 4 },
    });
    // Asking for longer than the certified lifetime stores again.
    expect((await putBlob(url, data, 'epochs=5&permanent=true')).body.newlyCreated?.blobObject.storage.endEpoch).toBe(6);
  });

  it('stores and reads the empty blob and mirrors Accept into Content-Type', async () => {
    const created = await storeNewBlob(url, new Uint8Array());
    expect(created.blobId).toBe('gLzpD29smKZiYJIWwKatudKr76kEprQeMPyAhuMbWd4'); // golden vector, 10 shards
    const read = await getBytes(`${url}/v1/blobs/${created.blobId}`, { headers: { accept: 'image/png' } });
    expect(read.status).toBe(200);
    expect(read.bytes).toHaveLength(0);
    expect(read.headers.get('content-type')).toBe('image/png');
  });

  it('creates deletable blobs unless permanent=true, as Walrus ≥ 1.33 does', async () => {
    const data = xorshift32Bytes(102, 5_000);
    const result = await putBlob(url, data, 'epochs=1');
    expect(result.body.newlyCreated?.blobObject).toMatchObject({ deletable: true, certifiedEpoch: 1 });
    expect((await getBytes(`${url}/v1/blobs/${result.body.newlyCreated?.blobObject.blobId}`)).bytes).toEqual(data);
    // A deletable blob never makes a later store `alreadyCertified`.
    expect((await putBlob(url, data, 'epochs=1')).body.newlyCreated?.blobObject.deletable).toBe(true);
  });

  it('serves a blob by its Sui object id', async () => {
    const data = xorshift32Bytes(103, 1234);
    const { objectId } = await storeNewBlob(url, data);
    expect((await getBytes(`${url}/v1/blobs/by-object-id/${objectId}`)).bytes).toEqual(data);
    const missing = await fetch(`${url}/v1/blobs/by-object-id/0x${'ab'.repeat(32)}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND', details: [{ reason: 'BLOB_NOT_FOUND' }] } });
    expect((await fetch(`${url}/v1/blobs/by-object-id/not-an-id`)).status).toBe(400);
  });

  it('supports strict_consistency_check and refuses it together with skip_consistency_check', async () => {
    const data = xorshift32Bytes(104, 777);
    const { blobId } = await storeNewBlob(url, data);
    expect((await getBytes(`${url}/v1/blobs/${blobId}?strict_consistency_check=true`)).bytes).toEqual(data);
    const both = await fetch(`${url}/v1/blobs/${blobId}?strict_consistency_check=true&skip_consistency_check=true`);
    expect(both.status).toBe(400);
    expect((await fetch(`${url}/v1/blobs/${blobId}?nonsense=1`)).status).toBe(400);
  });
});

describe('Walrus error envelopes', () => {
  const envelope = (code: number, status: string, reason: string) => ({
    error: { code, status, message: (expect.any(String) as unknown), details: [{ '@type': 'ErrorInfo', reason, domain: 'daemon.walrus.space', metadata: (expect.any(Object) as unknown) }] },
  });

  it.each([
    ['epochs=0&permanent=true', 'MALFORMED_REQUEST'],
    ['epochs=54&permanent=true', 'MALFORMED_REQUEST'],
    ['epochs=two', 'MALFORMED_REQUEST'],
    ['epochs=-1', 'MALFORMED_REQUEST'],
    ['epochs=1&permanent=yes', 'MALFORMED_REQUEST'],
    ['permanent=true&deletable=true', 'INVALID_BLOB_PERSISTENCE'],
    ['permanent=true&unknown=1', 'MALFORMED_REQUEST'],
    ['epochs=1&epochs=2', 'MALFORMED_REQUEST'],
    ['encoding_type=RedStuff', 'MALFORMED_REQUEST'],
    ['share=true&send_object_to=0x1', 'MALFORMED_REQUEST'],
  ])('PUT /v1/blobs?%s → 400 %s', async (query, reason) => {
    const result = await putBlob(url, Uint8Array.of(1, 2, 3), query);
    expect(result.status).toBe(400);
    expect(result.body).toEqual(envelope(400, 'INVALID_ARGUMENT', reason));
  });

  it('answers 413 for a body over the publisher limit and for a blob too large for the shard count', async () => {
    const overLimit = await putBlob(url, new Uint8Array(4 * 1024 * 1024 + 1));
    expect(overLimit.status).toBe(413);
    expect(overLimit.body).toEqual(envelope(413, 'PAYLOAD_TOO_LARGE', 'BODY_TOO_LARGE'));
    const tooLarge = await putBlob(url, new Uint8Array(1_834_953)); // max at 10 shards is 1,834,952 B
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toEqual(envelope(413, 'PAYLOAD_TOO_LARGE', 'BLOB_TOO_LARGE'));
  });

  it('answers 404 for unknown blobs and 400 for malformed ids', async () => {
    const unknown = await fetch(`${url}/v1/blobs/${'A'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual(envelope(404, 'NOT_FOUND', 'BLOB_NOT_FOUND'));
    for (const bad of ['short', `${'A'.repeat(42)}=`, 'A'.repeat(44), `${'A'.repeat(42)}B`]) {
      const response = await fetch(`${url}/v1/blobs/${bad}`);
      expect(response.status, bad).toBe(400);
      expect(await response.json()).toEqual(envelope(400, 'INVALID_ARGUMENT', 'INVALID_BLOB_ID'));
    }
    const noRoute = await fetch(`${url}/v2/nothing`);
    expect(noRoute.status).toBe(404);
    expect(await fetch(`${url}/status`).then((r) => r.text())).toBe('OK');
  });
});
