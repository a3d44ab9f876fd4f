import { afterAll, describe, expect, it } from 'vitest';
import { frameKey } from '../../commitment/index.ts';
import { xorshift32Bytes } from '../../../test/support/xorshift.ts';
import { blobIdToText } from './blob-id.ts';
import { EncoderPool } from './encoder-pool.ts';
import { encodingConfig } from './encoding-config.ts';
import { WalrusCodecError } from './errors.ts';
import { computeBlobMetadata, sliverBcsLength } from './wasm.ts';
import { buildFrameQuilt, type KeyedFrame } from './quilt-build.ts';

const pool = new EncoderPool({ threads: 2 });
afterAll(() => pool.close());
const HELLO = new TextEncoder().encode('hello walrus');
/** Frames as the batching hands them over: with the key computed once, where the frame arrived. */
const keyed = (frames: readonly Uint8Array[]): KeyedFrame[] => frames.map((bytes) => ({ key: frameKey(bytes), bytes }));

describe('EncoderPool', () => {
  it('computes the spec vectors for small shard counts off the main thread', async () => {
    const ids = await Promise.all([4, 7, 10].map(async (n) => blobIdToText((await pool.blobMetadata(HELLO, n)).blobId)));
    expect(ids).toEqual([
      'LH_55j5IRQS_rgD3ll96oEbsfbyNIXpdqDcFnez8SWM',
      'WqDL1tTEcA0D5Vi3i3zx2FPqlAJJe6PVXMnxjnRMDoo',
      '5g7EUy58ReQir0t11jz709ae5cdZT24btlovkXo28U8',
    ]);
    expect(Buffer.from((await pool.blobMetadata(HELLO, 10)).rootHash).toString('hex')).toBe(
      '8d73426967a532d3bc1aab4bc9df2fa6009eaa505cba626cd86449ea2fe0b82b',
    );
  });

  it('encodes into BCS SliverData exactly as storage nodes expect', async () => {
    const encoded = await pool.encode(HELLO, 10);
    expect(blobIdToText(encoded.blobId)).toBe('5g7EUy58ReQir0t11jz709ae5cdZT24btlovkXo28U8');
    // docs/wire/walrus.md "Test vectors":
    // uleb 14 ‖ "hello walrus" 00 00 ‖ symbol_size 0x0002 ‖ index 0x0000.
    expect(Buffer.from(encoded.primarySlivers[0] ?? []).toString('hex')).toBe('0e68656c6c6f2077616c727573000002000000');
    expect(encoded.primarySlivers).toHaveLength(10);
    expect(encoded.secondarySlivers.every((s) => s.length === sliverBcsLength(8))).toBe(true);
    // Secondary buffer i carries sliver index n−1−i (the trailing u16 LE).
    const lastIndex = (s: Uint8Array | undefined) => (s ? s[s.length - 2]! | (s[s.length - 1]! << 8) : -1);
    expect(encoded.secondarySlivers.map(lastIndex)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(encoded.metadata.hashes).toHaveLength(10);
  });

  it('decodes from any p primary slivers, systematic or not', async () => {
    const data = xorshift32Bytes(42, 100_000);
    const encoded = await pool.encode(data, 10);
    const { primarySymbols } = encodingConfig(10);
    const systematic = encoded.primarySlivers.slice(0, primarySymbols);
    const repair = encoded.primarySlivers.slice(10 - primarySymbols);
    for (const slivers of [systematic, repair]) {
      const decoded = await pool.decode({ blobId: encoded.blobId, length: data.length, nShards: 10, slivers });
      expect(decoded).toEqual(data);
    }
    await expect(pool.decode({ blobId: encoded.blobId, length: data.length, nShards: 10, slivers: systematic.slice(1) })).rejects.toThrow(
      'need at least 4 primary slivers',
    );
  });

  it('keeps the typed error across the thread boundary instead of a wasm trap', async () => {
    await expect(pool.blobMetadata(HELLO, 3)).rejects.toBeInstanceOf(WalrusCodecError);
    await expect(pool.blobMetadata(new Uint8Array(1_834_953), 10)).rejects.toMatchObject({ reason: 'blob-too-large' });
    expect(() => computeBlobMetadata(HELLO, 2)).toThrowError(/shard count/);
  });

  it('is sized to the machine unless told otherwise', async () => {
    const { availableParallelism } = await import('node:os');
    const sized = new EncoderPool();
    expect(sized.threads).toBe(availableParallelism());
    await sized.close();
    expect(pool.threads).toBe(2);
    expect(() => new EncoderPool({ threads: 0 })).toThrowError(RangeError);
  });
});

describe('EncoderPool.frameQuilt', () => {
  it('builds the quilt and its blob id off the main thread, as the codec does on it', async () => {
    const frames = [xorshift32Bytes(11, 120_000), xorshift32Bytes(12, 5000), xorshift32Bytes(11, 120_000)];
    const quilt = await pool.frameQuilt(keyed(frames), 10);
    const local = buildFrameQuilt(frames, 10);
    expect(quilt.quilt).toEqual(local.quilt);
    expect(quilt.patches).toEqual(local.patches);
    expect(quilt.framePatches).toEqual(local.framePatches);
    expect(quilt.blobId).toEqual(computeBlobMetadata(local.quilt, 10).blobId);
  });

  it('refuses batches over the patch limit before dispatching', async () => {
    const seven = Array.from({ length: 7 }, (_, i) => Uint8Array.of(i));
    await expect(pool.frameQuilt(keyed(seven), 10)).rejects.toMatchObject({ reason: 'quilt-too-many-patches' });
    await expect(pool.frameQuilt(keyed([]), 10)).rejects.toMatchObject({ reason: 'quilt-empty' });
    await expect(pool.frameQuilt(keyed([new Uint8Array(1_900_000)]), 10)).rejects.toMatchObject({ reason: 'quilt-oversize' });
  });
});
