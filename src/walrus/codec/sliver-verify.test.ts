import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xorshift32Bytes } from '../../../test/support/xorshift.ts';
import { EncoderPool } from './encoder-pool.ts';
import { encodingConfig } from './encoding-config.ts';
import { WalrusCodecError } from './errors.ts';
import { decodeSliverData, encodeSliverData } from './metadata.ts';
import { checkSliverShape, verifyPrimarySlivers, verifySecondarySlivers } from './sliver-verify.ts';
import type { EncodedBlob } from './wasm.ts';

const pool = new EncoderPool({ threads: 1 });
afterAll(() => pool.close());
const N = 10;
const { primarySymbols: P, secondarySymbols: S } = encodingConfig(N);

describe('crafted-encode sliver verification', () => {
  const data = xorshift32Bytes(11, 20_000);
  let encoded: EncodedBlob;
  beforeAll(async () => {
    encoded = await pool.encode(data, N);
  });
  const primary = (pair: number) => decodeSliverData(encoded.primarySlivers[pair] ?? new Uint8Array()).data;
  // Secondary buffer i holds sliver index (column) n−1−i.
  const secondary = (column: number) => decodeSliverData(encoded.secondarySlivers[N - 1 - column] ?? new Uint8Array()).data;

  it('accepts every real primary sliver, systematic or repair, p at a time', async () => {
    for (let start = 0; start < N; start += P) {
      const pairs = Array.from({ length: Math.min(P, N - start) }, (_, i) => start + i);
      expect(await verifyPrimarySlivers(pool, encoded.metadata, N, pairs.map((pair) => ({ pair, data: primary(pair) })))).toEqual(pairs.map(() => true));
    }
  });

  it('accepts every real secondary sliver, data or repair columns, s at a time', async () => {
    for (let start = 0; start < N; start += S) {
      const columns = Array.from({ length: Math.min(S, N - start) }, (_, i) => start + i);
      const verdicts = await verifySecondarySlivers(pool, encoded.metadata, N, columns.map((column) => ({ column, data: secondary(column) })));
      expect(verdicts).toEqual(columns.map(() => true));
    }
  });

  it('flags exactly the corrupted or misplaced slivers', async () => {
    const flipped = primary(2).slice();
    flipped[0] = (flipped[0] ?? 0) ^ 0xff;
    expect(
      await verifyPrimarySlivers(pool, encoded.metadata, N, [
        { pair: 0, data: primary(0) },
        { pair: 2, data: flipped },
        { pair: 3, data: primary(1) },
        { pair: 7, data: primary(7) },
      ]),
    ).toEqual([true, false, false, true]);
    const column = secondary(5).slice();
    column[column.length - 1] = (column.at(-1) ?? 0) ^ 1;
    expect(
      await verifySecondarySlivers(pool, encoded.metadata, N, [
        { column: 5, data: column },
        { column: 6, data: secondary(6) },
        { column: 1, data: secondary(2) },
      ]),
    ).toEqual([false, true, false]);
  });

  it('checks the shape of a BCS sliver against the metadata', () => {
    const length = data.length;
    expect(checkSliverShape(encoded.primarySlivers[3] ?? new Uint8Array(), { axis: 'primary', pair: 3, nShards: N, unencodedLength: length }).index).toBe(3);
    expect(checkSliverShape(encoded.secondarySlivers[3] ?? new Uint8Array(), { axis: 'secondary', pair: 3, nShards: N, unencodedLength: length }).index).toBe(6);
    expect(() => checkSliverShape(encoded.primarySlivers[3] ?? new Uint8Array(), { axis: 'primary', pair: 4, nShards: N, unencodedLength: length })).toThrow(/must have index 4, got 3/);
    expect(() => checkSliverShape(encoded.primarySlivers[3] ?? new Uint8Array(), { axis: 'secondary', pair: 6, nShards: N, unencodedLength: length })).toThrow(/holds \d+ bytes of symbols/);
    expect(() => checkSliverShape(encoded.primarySlivers[3] ?? new Uint8Array(), { axis: 'primary', pair: 3, nShards: N, unencodedLength: 100 })).toThrow(/symbol size/);
    expect(() => checkSliverShape(encoded.primarySlivers[3] ?? new Uint8Array(), { axis: 'primary', pair: 10, nShards: N, unencodedLength: length })).toThrow(/outside \[0, 10\)/);
  });

  it('never throws anything but WalrusCodecError for arbitrary sliver bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: -2, max: 12 }), fc.boolean(), (bytes, pair, isPrimary) => {
        try {
          checkSliverShape(bytes, { axis: isPrimary ? 'primary' : 'secondary', pair, nShards: N, unencodedLength: 1000 });
        } catch (error) {
          expect(error).toBeInstanceOf(WalrusCodecError);
        }
      }),
      { numRuns: 1000 },
    );
    const valid = encodeSliverData({ data: new Uint8Array(7 * 36), symbolSize: 36, index: 1 });
    expect(checkSliverShape(valid, { axis: 'primary', pair: 1, nShards: N, unencodedLength: 1000 }).symbolSize).toBe(36);
  });
});
