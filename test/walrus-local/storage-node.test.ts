// The storage-node API of walrus-local over loopback HTTP: Walrus's paths, BCS bodies (checked
// against the TS SDK's BCS schemas, ts-sdks packages/walrus/src/utils/bcs.ts), status codes and
// reasons; nodes refuse slivers of shards they do not hold and metadata that does not hash to the id.
import { bcs } from '@mysten/sui/bcs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EncoderPool,
  blobIdToText,
  decodeSliverData,
  encodeBlobMetadata,
  encodeSliverData,
  shardForPair,
  type EncodedBlob,
} from '../../src/walrus/codec/index.ts';
import type { CommitteeMemberInfo } from '../../src/walrus-local/index.ts';
import { xorshift32Bytes } from '../support/xorshift.ts';
import { startTestWalrusLocal, storeNewBlob, type WalrusLocalHarness } from '../support/walrus-local.ts';

// The SDK's own schemas, copied from ts-sdks packages/walrus/src/utils/bcs.ts.
const MerkleNode = bcs.enum('MerkleNode', { Empty: null, Digest: bcs.bytes(32) });
const SdkBlobMetadataWithId = bcs.struct('BlobMetadataWithId', {
  blobId: bcs.u256(),
  metadata: bcs.enum('BlobMetadata', {
    V1: bcs.struct('BlobMetadataV1', {
      encoding_type: bcs.enum('EncodingType', { RedStuff: null, RS2: null }),
      unencoded_length: bcs.u64(),
      hashes: bcs.vector(bcs.struct('SliverPairMetadata', { primary_hash: MerkleNode, secondary_hash: MerkleNode })),
    }),
  }),
});

const N = 10;
const encoder = new EncoderPool({ threads: 1 });
let harness: WalrusLocalHarness;
let data: Uint8Array;
let encoded: EncodedBlob;
let blobId: string;

beforeAll(async () => {
  harness = await startTestWalrusLocal({ encoder });
  data = xorshift32Bytes(500, 40_000);
  encoded = await encoder.encode(data, N);
  blobId = (await storeNewBlob(harness.local.publisherUrl, data)).blobId;
});
afterAll(async () => {
  await harness.close();
  await encoder.close();
});

const member = (i: number): CommitteeMemberInfo => {
  const m = harness.local.committee[i];
  if (!m) throw new Error(`no node ${i}`);
  return m;
};
const owns = (m: CommitteeMemberInfo, shard: number) => m.shards.some(([start, end]) => shard >= start && shard < end);
const ownerOfPair = (pair: number) => harness.local.committee.find((m) => owns(m, shardForPair(pair, encoded.blobId, N))) ?? member(0);

async function call(url: string, init?: RequestInit): Promise<{ status: number; json: { success?: { code: number; data: unknown }; error?: { code: number; status: string; details: { reason: string; domain: string }[] } } }> {
  const response = await fetch(url, init);
  return { status: response.status, json: (await response.json()) as never };
}

describe('storage node routes', () => {
  it('serves BCS metadata the SDK parses and slivers byte-identical to the encoder', async () => {
    const node = member(0);
    const response = await fetch(`${node.url}/v1/blobs/${blobId}/metadata`);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    const parsed = SdkBlobMetadataWithId.parse(new Uint8Array(await response.arrayBuffer()));
    expect(BigInt(parsed.blobId)).toBe(BigInt(`0x${Buffer.from(encoded.blobId).reverse().toString('hex')}`));
    expect(parsed.metadata.V1?.unencoded_length).toBe(String(data.length));
    expect(parsed.metadata.V1?.hashes.map((h) => Uint8Array.from(h.primary_hash.Digest ?? []))).toEqual(encoded.metadata.hashes.map((h) => h.primary));
    for (let pair = 0; pair < N; pair++) {
      const owner = ownerOfPair(pair);
      const primary = new Uint8Array(await (await fetch(`${owner.url}/v1/blobs/${blobId}/slivers/${pair}/primary`)).arrayBuffer());
      const secondary = new Uint8Array(await (await fetch(`${owner.url}/v1/blobs/${blobId}/slivers/${pair}/secondary`)).arrayBuffer());
      expect(primary).toEqual(encoded.primarySlivers[pair]);
      expect(secondary).toEqual(encoded.secondarySlivers[pair]);
    }
  });

  it('refuses slivers, and reads, for shards the node does not hold', async () => {
    const pair = [...Array(N).keys()].find((p) => ownerOfPair(p).index !== 0) ?? 0;
    const result = await call(`${member(0).url}/v1/blobs/${blobId}/slivers/${pair}/primary`, { method: 'PUT', body: encoded.primarySlivers[pair] ?? new Uint8Array() });
    expect(result.status).toBe(400);
    expect(result.json.error).toMatchObject({ code: 400, status: 'FAILED_PRECONDITION', details: [{ reason: 'SHARD_NOT_ASSIGNED', domain: 'storage.walrus.space' }] });
    expect((await call(`${member(0).url}/v1/blobs/${blobId}/slivers/${pair}/primary`)).json.error?.details[0]?.reason).toBe('SHARD_NOT_ASSIGNED');
  });

  it('answers 200 for a sliver already stored and checks index, size and framing of new ones', async () => {
    const pair = 3;
    const owner = ownerOfPair(pair);
    const primary = encoded.primarySlivers[pair] ?? new Uint8Array();
    const again = await call(`${owner.url}/v1/blobs/${blobId}/slivers/${pair}/primary`, { method: 'PUT', body: primary });
    expect(again).toEqual({ status: 200, json: { success: { code: 200, data: 'sliver already stored' } } });
    const sliver = decodeSliverData(primary);
    const wrongIndex = encodeSliverData({ ...sliver, index: pair + 1 });
    expect((await call(`${owner.url}/v1/blobs/${blobId}/slivers/${pair}/primary`, { method: 'PUT', body: wrongIndex })).json.error?.details[0]?.reason).toBe('SLIVER_INDEX_MISMATCH');
    const wrongSize = encodeSliverData({ ...sliver, data: sliver.data.subarray(2) });
    expect((await call(`${owner.url}/v1/blobs/${blobId}/slivers/${pair}/primary`, { method: 'PUT', body: wrongSize })).json.error?.details[0]?.reason).toBe('INVALID_SLIVER');
    expect((await call(`${owner.url}/v1/blobs/${blobId}/slivers/${pair}/primary`, { method: 'PUT', body: Uint8Array.of(9, 9) })).json.error?.details[0]?.reason).toBe('INVALID_SLIVER');
    expect((await call(`${owner.url}/v1/blobs/${blobId}/slivers/${N}/primary`, { method: 'PUT', body: primary })).json.error?.details[0]?.reason).toBe('INDEX_OUT_OF_RANGE');
    expect((await call(`${owner.url}/v1/blobs/${blobId}/slivers/1/tertiary`)).status).toBe(400);
  });

  it('rejects metadata that does not hash to the blob id, and anything for unregistered blobs', async () => {
    const other = await encoder.encode(xorshift32Bytes(501, 100), N);
    const wrong = await call(`${member(1).url}/v1/blobs/${blobId}/metadata`, { method: 'PUT', body: encodeBlobMetadata(other.metadata) });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toMatchObject({ status: 'INVALID_ARGUMENT', details: [{ reason: 'INVALID_METADATA' }] });
    const same = await call(`${member(1).url}/v1/blobs/${blobId}/metadata`, { method: 'PUT', body: encodeBlobMetadata(encoded.metadata) });
    expect(same).toEqual({ status: 200, json: { success: { code: 200, data: 'metadata already stored' } } });

    const unregistered = blobIdToText(other.blobId);
    for (const request of [
      call(`${member(1).url}/v1/blobs/${unregistered}/metadata`, { method: 'PUT', body: encodeBlobMetadata(other.metadata) }),
      call(`${member(1).url}/v1/blobs/${unregistered}/confirmation/permanent`),
      call(`${member(1).url}/v1/blobs/${unregistered}/slivers/0/primary`, { method: 'PUT', body: other.primarySlivers[0] ?? new Uint8Array() }),
    ]) {
      const result = await request;
      expect(result.status).toBe(400);
      expect(result.json.error?.details[0]?.reason).toBe('NOT_REGISTERED');
    }
    expect(await call(`${member(1).url}/v1/blobs/${unregistered}/status`)).toEqual({ status: 200, json: { success: { code: 200, data: 'nonexistent' } } });
    expect((await call(`${member(1).url}/v1/blobs/${unregistered}/metadata`)).json.error?.details[0]?.reason).toBe('METADATA_NOT_FOUND');
  });

  it('reports blob status, metadata status and health like a Walrus node', async () => {
    const status = await call(`${member(2).url}/v1/blobs/${blobId}/status`);
    expect(status.json.success?.data).toEqual({
      permanent: {
        endEpoch: 2,
        isCertified: true,
        statusEvent: { txDigest: (expect.any(String) as unknown), eventSeq: '0' },
        deletableCounts: { count_deletable_total: 0, count_deletable_certified: 0 },
        initialCertifiedEpoch: 1,
      },
    });
    expect((await call(`${member(2).url}/v1/blobs/${blobId}/metadata/status`)).json.success?.data).toBe('stored');
    const health = await call(`${member(2).url}/v1/health?detailed=true`);
    expect(health.json.success?.data).toMatchObject({ epoch: 1, nodeStatus: 'Active', shardSummary: { owned: member(2).shards.reduce((s, [a, b]) => s + b - a, 0) } });
  });

  it('never answers 5xx to arbitrary paths, ids and bodies', async () => {
    const node = member(0);
    const segment = fc.oneof(fc.string({ maxLength: 60 }), fc.constant(blobId), fc.constantFrom('primary', 'secondary', '0', '9', '65535', '-1', '1e3'));
    await fc.assert(
      fc.asyncProperty(segment, segment, segment, fc.constantFrom('GET', 'PUT'), fc.uint8Array({ maxLength: 64 }), async (a, b, c, method, body) => {
        const path = `/v1/blobs/${encodeURIComponent(a)}/slivers/${encodeURIComponent(b)}/${encodeURIComponent(c)}`;
        const response = await fetch(`${node.url}${path}`, method === 'PUT' ? { method, body } : { method });
        expect(response.status, path).toBeLessThan(500);
        await response.arrayBuffer();
      }),
      { numRuns: 150 },
    );
  });
});
