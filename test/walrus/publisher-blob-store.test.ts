// PublisherBlobStore against a real walrus-local over loopback HTTP: answers parsed as Walrus
// sends them, a publisher answer about another blob refused, HTTP failures mapped to the right
// DaErrors, and reads falling back across aggregators and to the whole quilt.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameKey, keccak256 } from '../../src/commitment/index.ts';
import { equalBytes } from '../../src/bytes/index.ts';
import { IntegrityError, InvalidInputError, NotFoundError, TooLargeError, UnavailableError } from '../../src/core/index.ts';
import { EncoderPool, buildFrameQuilt, computeBlobMetadata } from '../../src/walrus/codec/index.ts';
import { PublisherBlobStore } from '../../src/walrus/publisher-blob-store.ts';
import type { WalrusLocal } from '../../src/walrus-local/index.ts';
import { freePort } from '../support/redis-server.ts';
import { TEST_SHARDS as SHARDS, startTestWalrusLocal, type WalrusLocalHarness } from '../support/walrus-local.ts';

let harness: WalrusLocalHarness;
let local: WalrusLocal;
let encoder: EncoderPool;
let liar: Server;
let liarUrl: string;

beforeAll(async () => {
  encoder = new EncoderPool({ threads: 1 });
  harness = await startTestWalrusLocal({ encoder, maxBlobBodyBytes: 200_000 });
  local = harness.local;
  // An "aggregator" that answers every read with the same wrong bytes.
  liar = createServer((_req, res) => res.end(Buffer.from('not what you asked for')));
  const port = await freePort();
  await new Promise<void>((resolve) => liar.listen(port, '127.0.0.1', resolve));
  liarUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await new Promise((resolve) => liar?.close(resolve));
  await harness?.close();
  await encoder?.close();
});

function store(options: { aggregators?: string[]; publisher?: string } = {}) {
  return new PublisherBlobStore({
    publisherUrl: options.publisher ?? local.publisherUrl,
    aggregatorUrls: options.aggregators ?? [local.aggregatorUrl],
    nShards: SHARDS,
    storeTimeoutMs: 30_000,
    readTimeoutMs: 10_000,
  });
}

describe('PublisherBlobStore', () => {
  it('stores permanently, then a repeat is alreadyCertified with the same blob id', async () => {
    const frames = [Uint8Array.of(0, 1, 2, 3), new Uint8Array(4000).fill(7)];
    const { quilt } = buildFrameQuilt(frames, SHARDS);
    const { blobId } = computeBlobMetadata(quilt, SHARDS);
    const first = await store().store(quilt, { epochs: 3, expectedBlobId: blobId });
    expect(first).toMatchObject({ alreadyCertified: false, endEpoch: local.currentEpoch() + 3 });
    expect(first.objectId).toHaveLength(32);
    expect(first.encodedLength).toBeGreaterThan(quilt.length);
    const again = await store().store(quilt, { epochs: 3, expectedBlobId: blobId });
    expect(again.alreadyCertified).toBe(true);
    expect(again.blobId).toEqual(blobId);
    expect(again.certifiedEvent?.txDigest).toMatch(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/);
  });

  it('refuses a publisher answer about another blob than the one it computed', async () => {
    const { quilt } = buildFrameQuilt([Uint8Array.of(9, 9)], SHARDS);
    const wrong = new Uint8Array(32).fill(1);
    await expect(store().store(quilt, { epochs: 1, expectedBlobId: wrong })).rejects.toBeInstanceOf(IntegrityError);
  });

  it('maps publisher failures: 400 → invalid input, 413 → too large, unreachable → unavailable', async () => {
    const { quilt } = buildFrameQuilt([Uint8Array.of(1)], SHARDS);
    const { blobId } = computeBlobMetadata(quilt, SHARDS);
    await expect(store().store(quilt, { epochs: 500, expectedBlobId: blobId })).rejects.toBeInstanceOf(InvalidInputError);
    const big = buildFrameQuilt([new Uint8Array(300_000)], SHARDS).quilt;
    await expect(store().store(big, { epochs: 1, expectedBlobId: blobId })).rejects.toBeInstanceOf(TooLargeError);
    const dead = `http://127.0.0.1:${await freePort()}`;
    await expect(store({ publisher: dead }).store(quilt, { epochs: 1, expectedBlobId: blobId })).rejects.toBeInstanceOf(UnavailableError);
  });

  it('reads a patch past dead and lying aggregators, and tells not-found from unavailable', async () => {
    const frames = [new Uint8Array(1500).fill(3), new Uint8Array(700).fill(4)];
    const built = buildFrameQuilt(frames, SHARDS);
    const { blobId } = computeBlobMetadata(built.quilt, SHARDS);
    await store().store(built.quilt, { epochs: 2, expectedBlobId: blobId });
    const dead = `http://127.0.0.1:${await freePort()}`;
    const patch = built.framePatches[1]!;
    const accept = (data: Uint8Array) => equalBytes(keccak256(data), keccak256(frames[1]!));
    const read = await store({ aggregators: [dead, liarUrl, local.aggregatorUrl] }).readQuiltPatch({ quiltId: blobId, ...patch }, { accept });
    expect(read.data).toEqual(frames[1]);
    expect(read.identifier).toBe(frameKey(frames[1]!));
    expect(read.source).toContain(local.aggregatorUrl);

    // Only liars: IntegrityError. Unknown quilt: NotFound. Unknown quilt and a dead aggregator: Unavailable.
    await expect(store({ aggregators: [liarUrl] }).readQuiltPatch({ quiltId: blobId, ...patch }, { accept })).rejects.toBeInstanceOf(IntegrityError);
    const unknown = { quiltId: new Uint8Array(32).fill(0xab), startColumn: 1, endColumn: 2 };
    await expect(store().readQuiltPatch(unknown, { accept })).rejects.toBeInstanceOf(NotFoundError);
    await expect(store({ aggregators: [local.aggregatorUrl, dead] }).readQuiltPatch(unknown, { accept })).rejects.toBeInstanceOf(UnavailableError);
  });

  it('falls back to the whole quilt when no aggregator serves the patch route', async () => {
    const frames = [new Uint8Array(900).fill(5), new Uint8Array(100).fill(6)];
    const built = buildFrameQuilt(frames, SHARDS);
    const { blobId } = computeBlobMetadata(built.quilt, SHARDS);
    await store().store(built.quilt, { epochs: 2, expectedBlobId: blobId });
    // A proxy that only knows GET /v1/blobs/{id}, like an aggregator from before quilts.
    const proxy = createServer((req, res) => {
      if (req.url?.includes('by-quilt-patch-id')) return void res.writeHead(404).end();
      void fetch(`${local.aggregatorUrl}${req.url ?? ''}`).then(async (r) => res.writeHead(r.status).end(Buffer.from(await r.arrayBuffer())));
    });
    const port = await freePort();
    await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
    try {
      const patch = built.framePatches[0]!;
      const read = await store({ aggregators: [`http://127.0.0.1:${port}`] }).readQuiltPatch(
        { quiltId: blobId, ...patch },
        { accept: (data) => equalBytes(keccak256(data), keccak256(frames[0]!)) },
      );
      expect(read.data).toEqual(frames[0]);
      expect(read.source).toContain('whole quilt');
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
