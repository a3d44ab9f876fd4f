import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { xorshift32Bytes } from '../../../test/support/xorshift.ts';
import { blobIdToText } from './blob-id.ts';
import { EncoderPool } from './encoder-pool.ts';
import { WalrusCodecError } from './errors.ts';
import { blobIdFromPairHashes, merkleRoot } from './merkle.ts';
import {
  decodeBlobMetadata,
  decodeBlobMetadataWithId,
  decodeSliverData,
  decodeVerifiedMetadata,
  encodeBlobMetadata,
  encodeBlobMetadataWithId,
  encodeSliverData,
  verifyBlobMetadata,
} from './metadata.ts';
import type { BlobMetadataV1 } from './wasm.ts';

const pool = new EncoderPool({ threads: 1 });
afterAll(() => pool.close());

const digest = fc.uint8Array({ minLength: 32, maxLength: 32 });
const metadataArbitrary: fc.Arbitrary<BlobMetadataV1> = fc.record({
  unencodedLength: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
  hashes: fc.array(fc.record({ primary: digest, secondary: digest }), { maxLength: 12 }),
});

function expectCodecErrorOrValue(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WalrusCodecError);
  }
}

describe('BlobMetadata BCS', () => {
  it('has the spec size: 1 + 1 + 8 + uleb(n) + 66·n (66,012 B at n = 1000)', () => {
    const hashes = Array.from({ length: 1000 }, () => ({ primary: new Uint8Array(32), secondary: new Uint8Array(32) }));
    expect(encodeBlobMetadata({ unencodedLength: 12, hashes })).toHaveLength(66_012);
    expect(encodeBlobMetadataWithId(new Uint8Array(32), { unencodedLength: 12, hashes })).toHaveLength(66_044);
  });

  it('round-trips any metadata, with and without the blob id', () => {
    fc.assert(
      fc.property(metadataArbitrary, digest, (metadata, blobId) => {
        expect(decodeBlobMetadata(encodeBlobMetadata(metadata))).toEqual(metadata);
        expect(decodeBlobMetadataWithId(encodeBlobMetadataWithId(blobId, metadata))).toEqual({ blobId, metadata });
      }),
    );
  });

  it('reads an Empty Merkle node as 32 zero bytes', () => {
    const bytes = Uint8Array.from([0x00, 0x01, 12, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00, 0x01, ...new Array<number>(32).fill(7)]);
    const decoded = decodeBlobMetadata(bytes);
    expect(decoded.unencodedLength).toBe(12);
    expect(decoded.hashes[0]?.primary).toEqual(new Uint8Array(32));
    expect(decoded.hashes[0]?.secondary).toEqual(new Uint8Array(32).fill(7));
  });

  it('refuses other versions, RaptorQ, bad node tags and trailing bytes with precise errors', () => {
    const good = encodeBlobMetadata({ unencodedLength: 1, hashes: [{ primary: new Uint8Array(32), secondary: new Uint8Array(32) }] });
    const patched = (at: number, value: number) => Uint8Array.from(good, (b, i) => (i === at ? value : b));
    expect(() => decodeBlobMetadata(patched(0, 1))).toThrow(/unknown metadata version 1/);
    expect(() => decodeBlobMetadata(patched(1, 0))).toThrow(/unsupported encoding type 0/);
    expect(() => decodeBlobMetadata(patched(11, 2))).toThrow(/unknown Merkle node tag 2/);
    expect(() => decodeBlobMetadata(Uint8Array.from([...good, 0]))).toThrow(/1 trailing bytes/);
    expect(() => decodeBlobMetadata(good.subarray(0, 20))).toThrow(WalrusCodecError);
  });

  it('never fails on arbitrary bytes with anything but a WalrusCodecError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expectCodecErrorOrValue(() => decodeBlobMetadata(bytes));
        expectCodecErrorOrValue(() => decodeBlobMetadataWithId(bytes));
        expectCodecErrorOrValue(() => decodeSliverData(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('survives single-byte corruptions of valid metadata', () => {
    const good = encodeBlobMetadata({ unencodedLength: 99, hashes: [{ primary: new Uint8Array(32).fill(1), secondary: new Uint8Array(32).fill(2) }] });
    fc.assert(
      fc.property(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 }), (at, value) => {
        expectCodecErrorOrValue(() => decodeBlobMetadata(Uint8Array.from(good, (b, i) => (i === at ? value : b))));
      }),
    );
  });
});

describe('metadata verification against walrus-wasm', () => {
  it.each([10, 1000])('recomputes the wasm blob id and root from the metadata at n = %i', async (n) => {
    const data = xorshift32Bytes(7, 5_000);
    const encoded = await pool.encode(data, n);
    const recomputed = blobIdFromPairHashes(encoded.metadata.hashes, data.length);
    expect(blobIdToText(recomputed.blobId)).toBe(blobIdToText(encoded.blobId));
    expect(recomputed.rootHash).toEqual(encoded.rootHash);
    expect(() => verifyBlobMetadata(encoded.blobId, decodeBlobMetadata(encodeBlobMetadata(encoded.metadata)), n)).not.toThrow();
  });

  it('rejects a wrong blob id, a wrong pair count and an impossible length', async () => {
    const encoded = await pool.encode(new TextEncoder().encode('hello walrus'), 10);
    const other = encoded.blobId.slice();
    other[0] = (other[0] ?? 0) ^ 1;
    expect(() => verifyBlobMetadata(other, encoded.metadata, 10)).toThrow(/hashes to blob id 5g7EUy58ReQir0t11jz709ae5cdZT24btlovkXo28U8/);
    expect(() => verifyBlobMetadata(encoded.blobId, encoded.metadata, 7)).toThrow(/10 sliver-pair hashes, expected one per shard \(7\)/);
    expect(() => verifyBlobMetadata(encoded.blobId, { ...encoded.metadata, unencodedLength: 2_000_000 }, 10)).toThrow(/exceeds the maximum/);
    expect(() => verifyBlobMetadata(encoded.blobId, { ...encoded.metadata, unencodedLength: 13 }, 10)).toThrow(WalrusCodecError);
  });

  it('decodes a node answer only when it names the blob asked for and verifies', async () => {
    const encoded = await pool.encode(new TextEncoder().encode('hello walrus'), 10);
    const answer = encodeBlobMetadataWithId(encoded.blobId, encoded.metadata);
    expect(decodeVerifiedMetadata(answer, encoded.blobId, 10)).toEqual(encoded.metadata);
    const other = encoded.blobId.slice();
    other[0] = (other[0] ?? 0) ^ 1;
    expect(() => decodeVerifiedMetadata(answer, other, 10)).toThrow(/metadata names blob /);
    expect(() => decodeVerifiedMetadata(encodeBlobMetadataWithId(other, encoded.metadata), other, 10)).toThrow(/hashes to blob id/);
    expect(() => decodeVerifiedMetadata(answer.subarray(0, 40), encoded.blobId, 10)).toThrow(WalrusCodecError);
  });

  it('pads odd Merkle levels with the zero node, not a hashed leaf', () => {
    const leaves = [Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)];
    expect(merkleRoot(leaves)).not.toEqual(merkleRoot([...leaves, new Uint8Array(32)]));
    expect(merkleRoot([])).toEqual(new Uint8Array(32));
  });
});

describe('SliverData BCS', () => {
  it('decodes and re-encodes the wasm slivers byte for byte', async () => {
    const encoded = await pool.encode(xorshift32Bytes(3, 1_000), 10);
    for (const [i, bytes] of encoded.primarySlivers.entries()) {
      const sliver = decodeSliverData(bytes);
      expect(sliver.index).toBe(i);
      expect(encodeSliverData(sliver)).toEqual(bytes);
    }
    expect(encoded.secondarySlivers.map((bytes) => decodeSliverData(bytes).index)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('round-trips arbitrary slivers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), (data, symbolSize, index) => {
        expect(decodeSliverData(encodeSliverData({ data, symbolSize, index }))).toEqual({ data, symbolSize, index });
      }),
    );
  });
});
