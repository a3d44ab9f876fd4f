import { describe, expect, it } from 'vitest';
import { encodedBlobLength, encodingConfig, maxBlobSize, sliverLengths, storageAccounting, symbolSize } from './encoding-config.ts';
import { WalrusCodecError } from './errors.ts';

describe('RS2 encoding parameters', () => {
  it('matches the source-symbol counts pinned by walrus-core tests', () => {
    const pairs = [7, 10, 31, 100, 301, 1000].map((n) => {
      const c = encodingConfig(n);
      return [n, c.primarySymbols, c.secondarySymbols];
    });
    expect(pairs).toEqual([
      [7, 3, 5],
      [10, 4, 7],
      [31, 11, 21],
      [100, 34, 67],
      [301, 101, 201],
      [1000, 334, 667],
    ]);
  });

  it('caps blob sizes at p·s·65534', () => {
    expect(maxBlobSize(1000)).toBe(14_599_533_452);
    expect(maxBlobSize(10)).toBe(1_834_952);
    expect(symbolSize(1_834_952, 10)).toBe(65_534);
    expect(() => symbolSize(1_834_953, 10)).toThrowError(
      new WalrusCodecError('blob-too-large', 'blob of 1834953 bytes exceeds the maximum of 1834952 bytes for 10 shards'),
    );
  });

  it('rounds symbol sizes up to even and treats the empty blob as one byte', () => {
    expect(symbolSize(0, 1000)).toBe(2);
    expect(symbolSize(1, 1000)).toBe(2);
    expect(symbolSize(1 << 20, 1000)).toBe(6);
    expect(symbolSize(10 << 20, 1000)).toBe(48);
    expect(sliverLengths(12, 10)).toEqual({ primary: 14, secondary: 8 });
  });

  it('rejects shard counts the encoder cannot handle', () => {
    for (const n of [0, 1, 3, 2.5, 65_536]) {
      expect(() => encodingConfig(n)).toThrowError(WalrusCodecError);
    }
    expect(encodingConfig(4)).toEqual({ nShards: 4, maxFaulty: 1, primarySymbols: 2, secondarySymbols: 3 });
  });
});

describe('storage accounting', () => {
  it('reproduces encoded_blob_length as walrus-core and redstuff.move compute it', () => {
    expect(encodedBlobLength(1, 10)).toBe(10 * (2 * (4 + 7) + 10 * 2 * 32 + 32));
    // docs/wire/walrus.md "Test vectors", encoded_blob_length at n = 1000.
    expect(encodedBlobLength(1, 1000)).toBe(66_034_000);
    expect(encodedBlobLength(10 * 1024, 1000)).toBe(66_034_000);
    expect(encodedBlobLength(1 << 20, 1000)).toBe(70_038_000);
    expect(encodedBlobLength(10 << 20, 1000)).toBe(112_080_000);
    expect(encodedBlobLength(100 << 20, 1000)).toBe(536_504_000);
    expect(encodedBlobLength(1 << 30, 1000)).toBe(4_888_852_000);
    expect(encodedBlobLength(14_599_533_452, 1000)).toBe(65_663_566_000);
  });

  it('bills whole MiB units and reports the fixed metadata share', () => {
    const small = storageAccounting(17, 1000);
    expect(small).toMatchObject({ symbolSize: 2, metadataBytes: 64_032_000, encodedLength: 66_034_000, storageUnits: 63 });
    expect(storageAccounting(0, 1000).expansion).toBe(Number.POSITIVE_INFINITY);
    expect(storageAccounting(1 << 20, 1000).expansion).toBeCloseTo(66.79, 2);
  });
});
