import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xorshift32Bytes } from '../../../test/support/xorshift.ts';
import { EncoderPool } from './encoder-pool.ts';
import { encodingConfig, symbolSize } from './encoding-config.ts';
import { WalrusCodecError } from './errors.ts';
import { merkleDepth, merkleProof, merkleRoot, merkleRootFromPrefix } from './merkle.ts';
import { decodeSliverData } from './metadata.ts';
import { decodeRecoverySymbols, encodeRecoverySymbols, verifyColumn, type RecoverySymbol } from './recovery-symbol.ts';
import type { EncodedBlob } from './wasm.ts';

const pool = new EncoderPool({ threads: 1 });
afterAll(() => pool.close());

describe('merkleRootFromPrefix', () => {
  it('equals the full root for every tree size and prefix, and commits to every prefix leaf', () => {
    for (let n = 2; n <= 40; n++) {
      const leaves = Array.from({ length: n }, (_, i) => xorshift32Bytes(n * 100 + i + 1, 3));
      const root = merkleRoot(leaves);
      for (let k = 0; k < n; k++) {
        const path = merkleProof(leaves, k);
        expect(path).toHaveLength(merkleDepth(n));
        expect(merkleRootFromPrefix(leaves.slice(0, k), leaves[k] as Uint8Array, path, n)).toEqual(root);
        if (k > 0) {
          const tampered = leaves.slice(0, k).map((leaf) => leaf.slice());
          const last = tampered[k - 1] as Uint8Array;
          last[0] = (last[0] ?? 0) ^ 1;
          expect(merkleRootFromPrefix(tampered, leaves[k] as Uint8Array, path, n)).not.toEqual(root);
        }
      }
    }
  });

  it('refuses a proof of the wrong length', () => {
    const leaves = [Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)];
    expect(() => merkleRootFromPrefix(leaves.slice(0, 1), Uint8Array.of(2), [new Uint8Array(32)], 3)).toThrow(RangeError);
  });
});

describe('column verification against a real encode', () => {
  for (const n of [10, 13]) {
    const { primarySymbols: p, secondarySymbols: s } = encodingConfig(n);
    const data = xorshift32Bytes(n, p * s * 6 - 5);
    const sym = symbolSize(data.length, n);
    let encoded: EncodedBlob;
    beforeAll(async () => {
      encoded = await pool.encode(data, n);
    });
    // Column c expanded: row r's symbol c, from the primary sliver of pair r (rows ≥ p are repair rows).
    const expandedColumn = (c: number) => Array.from({ length: n }, (_, r) => decodeSliverData(encoded.primarySlivers[r] as Uint8Array).data.subarray(c * sym, (c + 1) * sym));
    const columnData = (c: number) => decodeSliverData(encoded.secondarySlivers[n - 1 - c] as Uint8Array).data;
    const symbolFor = (c: number): RecoverySymbol => ({ axis: 'primary', index: c, targetIndex: p, data: expandedColumn(c)[p] as Uint8Array, path: merkleProof(expandedColumn(c), p) });

    it(`n = ${n}: the secondary hash is the Merkle root of the column's n expanded symbols, and one proven symbol verifies the sliver`, () => {
      for (let c = 0; c < s; c++) {
        const secondaryHash = encoded.metadata.hashes[n - 1 - c]?.secondary as Uint8Array;
        expect(merkleRoot(expandedColumn(c))).toEqual(secondaryHash);
        expect(verifyColumn({ columnData: columnData(c), column: c, symbolSize: sym, nShards: n, secondaryHash, symbol: symbolFor(c) })).toBe(true);
      }
    });

    it(`n = ${n}: refuses a flipped sliver byte, a flipped symbol, a foreign column's symbol and a wrong leaf`, () => {
      const c = 1;
      const secondaryHash = encoded.metadata.hashes[n - 1 - c]?.secondary as Uint8Array;
      const check = (columnBytes: Uint8Array, symbol: RecoverySymbol) => verifyColumn({ columnData: columnBytes, column: c, symbolSize: sym, nShards: n, secondaryHash, symbol });
      const flipped = columnData(c).slice();
      flipped[flipped.length - 1] = (flipped.at(-1) ?? 0) ^ 0x80;
      expect(check(flipped, symbolFor(c))).toBe(false);
      const symbol = symbolFor(c);
      expect(check(columnData(c), { ...symbol, data: symbol.data.map((b) => b ^ 1) })).toBe(false);
      expect(check(columnData(c), { ...symbolFor(2), index: c })).toBe(false);
      expect(check(columnData(c), { ...symbol, targetIndex: p + 1 })).toBe(false);
      expect(check(columnData(c), { ...symbol, axis: 'secondary' })).toBe(false);
      expect(check(columnData(c), { ...symbol, path: symbol.path.slice(1) })).toBe(false);
    });
  }
});

describe('recovery symbol BCS', () => {
  // Bytes written by hand from the layout in recovery-symbol.ts, not by the encoder under test.
  const fixture = Uint8Array.from([
    0x01, // one symbol
    0x00, // Primary
    0x05, 0x00, // index 5
    0x02, 0xaa, 0xbb, // data
    0x07, 0x00, // target index 7
    0x02, // two proof nodes
    0x00, // Empty
    0x01, ...new Array<number>(32).fill(0x11),
  ]);

  it('decodes a hand-written answer', () => {
    expect(decodeRecoverySymbols(fixture)).toEqual([
      { axis: 'primary', index: 5, data: Uint8Array.of(0xaa, 0xbb), targetIndex: 7, path: [new Uint8Array(32), new Uint8Array(32).fill(0x11)] },
    ]);
  });

  it('round-trips what it encodes', () => {
    const symbol = fc.record({
      axis: fc.constantFrom('primary' as const, 'secondary' as const),
      index: fc.integer({ min: 0, max: 0xffff }),
      data: fc.uint8Array({ maxLength: 40 }),
      targetIndex: fc.integer({ min: 0, max: 0xffff }),
      path: fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 16 }),
    });
    fc.assert(fc.property(fc.array(symbol, { maxLength: 4 }), (symbols) => {
        expect(decodeRecoverySymbols(encodeRecoverySymbols(symbols))).toEqual(symbols);
      }),
    );
  });

  it('answers any byte string with symbols or a WalrusCodecError, never anything else', () => {
    const mutations = fc.tuple(fc.integer({ min: 0, max: fixture.length - 1 }), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.array(mutations, { minLength: 1, maxLength: 3 }).map((ms) => {
        const bytes = fixture.slice();
        for (const [at, value] of ms) bytes[at] = value;
        return bytes;
      }), fc.integer({ min: 0, max: fixture.length - 1 }).map((cut) => fixture.slice(0, cut))), (bytes) => {
        try {
          decodeRecoverySymbols(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(WalrusCodecError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
