// Checks slivers fetched from storage nodes against verified blob metadata, without
// reimplementing Reed–Solomon: Walrus's own encoder computes the hashes for us.
//
// Why this works: the expanded n×n symbol matrix is a product code, so
//   primary hash of pair i     = Merkle root of the RS expansion of row i alone (s → n symbols)
//   secondary hash of column j = Merkle root of the RS expansion of column j alone (p → n symbols)
// whatever else the matrix holds (docs/wire/walrus.md "Blob id"). A *crafted* blob of exactly
// p·s·symbol_size bytes has the same symbol size; placing the slivers under test in its rows
// (or columns) and encoding it yields their hashes in one wasm call:
//
//   primary:   crafted row r      = data of candidate r            → crafted.hashes[r].primary
//                                                                  vs real.hashes[pair].primary
//   secondary: crafted column c   = data of candidate c, symbol k   → crafted.hashes[n−1−c].secondary
//              at offset k·s·sym + c·sym                           vs real.hashes[n−1−j].secondary
//
// One encode verifies up to p primary or s secondary slivers (≈1.1 s fixed at n = 1000).
import type { EncoderCallOptions, EncoderPool } from './encoder-pool.ts';
import { encodingConfig, symbolSize } from './encoding-config.ts';
import { WalrusCodecError } from './errors.ts';
import { equalBytes } from '../../bytes/index.ts';
import { decodeSliverData, type SliverData } from './metadata.ts';
import type { BlobMetadataV1 } from './wasm.ts';

export type SliverAxis = 'primary' | 'secondary';

/** A primary sliver's symbol data (s·symbol_size bytes) claimed to belong to `pair`. */
export interface PrimarySliverCandidate {
  readonly pair: number;
  readonly data: Uint8Array;
}

/** A secondary sliver's symbol data (p·symbol_size bytes) claimed to be matrix column `column`. */
export interface SecondarySliverCandidate {
  readonly column: number;
  readonly data: Uint8Array;
}

type Encoder = Pick<EncoderPool, 'encode'>;

/**
 * Parses a BCS sliver and checks its shape against the metadata: the index a node must store
 * for this pair and axis (primary: pair, secondary: n−1−pair), the blob's symbol size, and the
 * data length (s·sym for primary, p·sym for secondary). Throws `WalrusCodecError`.
 */
export function checkSliverShape(bytes: Uint8Array, expected: { axis: SliverAxis; pair: number; nShards: number; unencodedLength: number }): SliverData {
  const { nShards, pair, axis } = expected;
  const { primarySymbols, secondarySymbols } = encodingConfig(nShards);
  if (!Number.isInteger(pair) || pair < 0 || pair >= nShards) {
    throw new WalrusCodecError('sliver-malformed', `sliver pair index ${pair} is outside [0, ${nShards})`);
  }
  const sliver = decodeSliverData(bytes);
  const symbol = symbolSize(expected.unencodedLength, nShards);
  const index = axis === 'primary' ? pair : nShards - 1 - pair;
  if (sliver.index !== index) {
    throw new WalrusCodecError('sliver-malformed', `${axis} sliver of pair ${pair} must have index ${index}, got ${sliver.index}`);
  }
  if (sliver.symbolSize !== symbol) {
    throw new WalrusCodecError('sliver-malformed', `sliver symbol size is ${sliver.symbolSize}, the blob's is ${symbol}`);
  }
  const length = (axis === 'primary' ? secondarySymbols : primarySymbols) * symbol;
  if (sliver.data.length !== length) {
    throw new WalrusCodecError('sliver-malformed', `${axis} sliver holds ${sliver.data.length} bytes of symbols, expected ${length}`);
  }
  return sliver;
}

/** For each candidate, whether its data hashes to the metadata's primary hash of its pair. */
export async function verifyPrimarySlivers(
  encoder: Encoder,
  metadata: BlobMetadataV1,
  nShards: number,
  candidates: readonly PrimarySliverCandidate[],
  options: EncoderCallOptions = {},
): Promise<boolean[]> {
  if (candidates.length === 0) return [];
  const { primarySymbols: p, secondarySymbols: s } = encodingConfig(nShards);
  const symbol = symbolSize(metadata.unencodedLength, nShards);
  const rowSize = s * symbol;
  if (candidates.length > p) throw new WalrusCodecError('sliver-malformed', `one check covers at most ${p} primary slivers, got ${candidates.length}`);
  const crafted = new Uint8Array(p * rowSize);
  candidates.forEach((candidate, row) => {
    expectLength(candidate.data, rowSize, 'primary');
    crafted.set(candidate.data, row * rowSize);
  });
  const encoded = await encoder.encode(crafted, nShards, options);
  return candidates.map((candidate, row) => {
    const expected = metadata.hashes[candidate.pair]?.primary;
    const actual = encoded.metadata.hashes[row]?.primary;
    return expected !== undefined && actual !== undefined && equalBytes(expected, actual);
  });
}

/** For each candidate, whether its data hashes to the metadata's secondary hash of its column. */
export async function verifySecondarySlivers(
  encoder: Encoder,
  metadata: BlobMetadataV1,
  nShards: number,
  candidates: readonly SecondarySliverCandidate[],
  options: EncoderCallOptions = {},
): Promise<boolean[]> {
  if (candidates.length === 0) return [];
  const { primarySymbols: p, secondarySymbols: s } = encodingConfig(nShards);
  const symbol = symbolSize(metadata.unencodedLength, nShards);
  if (candidates.length > s) throw new WalrusCodecError('sliver-malformed', `one check covers at most ${s} secondary slivers, got ${candidates.length}`);
  for (const candidate of candidates) expectLength(candidate.data, p * symbol, 'secondary');
  const encoded = await encoder.encode(blobWithColumns(candidates.map((c) => c.data), nShards, symbol), nShards, options);
  return candidates.map((candidate, column) => {
    const expected = metadata.hashes[nShards - 1 - candidate.column]?.secondary;
    const actual = encoded.metadata.hashes[nShards - 1 - column]?.secondary;
    return expected !== undefined && actual !== undefined && equalBytes(expected, actual);
  });
}

/**
 * The crafted p·s·symbol_size blob whose first columns are `columns` (each p symbols of `symbol`
 * bytes, column-major as a secondary sliver holds them) and whose other symbols are zero: encoding
 * it expands each placed column on its own (layout above). Callers keep columns.length ≤ s.
 */
export function blobWithColumns(columns: readonly Uint8Array[], nShards: number, symbol: number): Uint8Array {
  const { primarySymbols: p, secondarySymbols: s } = encodingConfig(nShards);
  const rowSize = s * symbol;
  const crafted = new Uint8Array(p * rowSize);
  columns.forEach((data, slot) => {
    for (let k = 0; k < p; k++) crafted.set(data.subarray(k * symbol, (k + 1) * symbol), k * rowSize + slot * symbol);
  });
  return crafted;
}

function expectLength(data: Uint8Array, length: number, axis: SliverAxis): void {
  if (data.length !== length) {
    throw new WalrusCodecError('sliver-malformed', `${axis} sliver data must be ${length} bytes, got ${data.length}`);
  }
}
