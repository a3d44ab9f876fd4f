// RS2 ("RedStuff over Reed–Solomon") encoding parameters and storage accounting, as in
// walrus crates/walrus-core/src/encoding/config.rs, utils.rs and bft.rs, mirrored on chain by
// contracts/walrus/sources/system/redstuff.move (docs/wire/walrus.md "Encoding").
//
//   f = ⌊(n−1)/3⌋   p = n − 2f (primary source symbols = rows)   s = n − f (secondary = columns)
//   symbol_size = next_even(⌈max(len,1) / (p·s)⌉) ≤ 65534
//   encoded_length = n·(64n + 32) + n·(p + s)·symbol_size       storage units = ⌈encoded / 1 MiB⌉
import { WalrusCodecError } from './errors.ts';

/** n = 1..3 leaves no repair symbols; walrus-wasm traps on them (docs/wire/walrus.md "Encoding"). */
export const MIN_SHARDS = 4;
export const MAX_SHARDS = 0xffff;
/** `EncodingType::max_symbol_size()` for RS2: u16::MAX − 1 (the largest even u16). */
export const MAX_SYMBOL_SIZE = 65_534;
/** RS2 works on GF(2^16) elements, so symbols have an even number of bytes. */
export const SYMBOL_ALIGNMENT = 2;
/** `BYTES_PER_UNIT_SIZE` in contracts/walrus/sources/system/system_state_inner.move. */
export const BYTES_PER_STORAGE_UNIT = 1024 * 1024;
const DIGEST_LENGTH = 32;
const BLOB_ID_LENGTH = 32;

export interface EncodingConfig {
  readonly nShards: number;
  /** f: the number of shards that may be faulty. */
  readonly maxFaulty: number;
  /** p: rows of the message matrix; symbols in a secondary sliver. */
  readonly primarySymbols: number;
  /** s: columns of the message matrix; symbols in a primary sliver. */
  readonly secondarySymbols: number;
}

export function encodingConfig(nShards: number): EncodingConfig {
  if (!Number.isInteger(nShards) || nShards < MIN_SHARDS || nShards > MAX_SHARDS) {
    throw new WalrusCodecError('shard-count', `shard count must be an integer in [${MIN_SHARDS}, ${MAX_SHARDS}], got ${nShards}`);
  }
  const maxFaulty = Math.floor((nShards - 1) / 3);
  return { nShards, maxFaulty, primarySymbols: nShards - 2 * maxFaulty, secondarySymbols: nShards - maxFaulty };
}

/** Largest blob Walrus can encode with `nShards`: p·s·65534 (14,599,533,452 B at n = 1000). */
export function maxBlobSize(nShards: number): number {
  const { primarySymbols, secondarySymbols } = encodingConfig(nShards);
  return primarySymbols * secondarySymbols * MAX_SYMBOL_SIZE;
}

/** Symbol size for a blob of `length` bytes (`compute_symbol_size`); throws when too large. */
export function symbolSize(length: number, nShards: number): number {
  const { primarySymbols, secondarySymbols } = encodingConfig(nShards);
  const raw = Math.ceil(Math.max(length, 1) / (primarySymbols * secondarySymbols));
  const aligned = Math.ceil(raw / SYMBOL_ALIGNMENT) * SYMBOL_ALIGNMENT;
  if (aligned > MAX_SYMBOL_SIZE) {
    throw new WalrusCodecError(
      'blob-too-large',
      `blob of ${length} bytes exceeds the maximum of ${maxBlobSize(nShards)} bytes for ${nShards} shards`,
    );
  }
  return aligned;
}

/** Byte lengths of one primary and one secondary sliver's symbol data (before BCS framing). */
export function sliverLengths(length: number, nShards: number): { primary: number; secondary: number } {
  const { primarySymbols, secondarySymbols } = encodingConfig(nShards);
  const symbol = symbolSize(length, nShards);
  return { primary: secondarySymbols * symbol, secondary: primarySymbols * symbol };
}

/** What storing a blob reserves and costs on Walrus (docs/wire/walrus.md "Encoding"). */
export interface StorageAccounting {
  readonly unencodedLength: number;
  readonly nShards: number;
  readonly symbolSize: number;
  /** n·(64n + 32): two sliver hashes per shard plus the blob id, kept by every node. */
  readonly metadataBytes: number;
  /** n·(p + s)·symbol_size: one primary and one secondary sliver per shard. */
  readonly sliverBytes: number;
  /** The on-chain `storage_size` (`encoded_blob_length`). */
  readonly encodedLength: number;
  /** Billing units of 1 MiB: ⌈encodedLength / 1 MiB⌉. */
  readonly storageUnits: number;
  /** encodedLength / unencodedLength (∞ for the empty blob). */
  readonly expansion: number;
}

export function storageAccounting(length: number, nShards: number): StorageAccounting {
  const { primarySymbols, secondarySymbols } = encodingConfig(nShards);
  const symbol = symbolSize(length, nShards);
  const metadataBytes = nShards * (nShards * DIGEST_LENGTH * 2 + BLOB_ID_LENGTH);
  const sliverBytes = nShards * (primarySymbols + secondarySymbols) * symbol;
  const encodedLength = metadataBytes + sliverBytes;
  return {
    unencodedLength: length,
    nShards,
    symbolSize: symbol,
    metadataBytes,
    sliverBytes,
    encodedLength,
    storageUnits: Math.ceil(encodedLength / BYTES_PER_STORAGE_UNIT),
    expansion: length === 0 ? Number.POSITIVE_INFINITY : encodedLength / length,
  };
}

/** `encoded_blob_length(size, RS2, n)` as checked by `register_blob`. */
export function encodedBlobLength(length: number, nShards: number): number {
  return storageAccounting(length, nShards).encodedLength;
}
