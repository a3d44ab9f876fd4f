// The three forms of a Walrus blob id (docs/wire/walrus.md "Blob id"):
//   bytes  32 raw bytes: BLAKE2b-256(0x01 ‖ u64 LE length ‖ merkle root)
//   text   base64url without padding, 43 characters (walrus-core `BlobId` Display/FromStr)
//   u256   the Move `blob_id: u256` field: the same bytes read little-endian (byte 0 least
//          significant), because register_blob receives the raw bytes as a BCS u256
// Shard placement uses yet another reading, big-endian mod n (`rotationOffset`).
import { bigIntToLeBytes, leBytesToBigInt } from '../../bytes/index.ts';
import { WalrusCodecError } from './errors.ts';

export const BLOB_ID_LENGTH = 32;
const BLOB_ID_TEXT = /^[A-Za-z0-9_-]{43}$/;
const U256_MAX = (1n << 256n) - 1n;

export function blobIdToText(bytes: Uint8Array): string {
  assertLength(bytes);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/**
 * Parses Walrus's text form strictly: 43 URL-safe characters, no padding, canonical trailing
 * bits (Rust's base64 decoder rejects non-zero trailing bits, so two texts never name one id).
 */
export function blobIdFromText(text: string): Uint8Array {
  if (!BLOB_ID_TEXT.test(text)) {
    throw new WalrusCodecError('blob-id', `invalid blob id ${JSON.stringify(text.slice(0, 64))}: expected 43 base64url characters without padding`);
  }
  const bytes = Uint8Array.from(Buffer.from(text, 'base64url'));
  if (Buffer.from(bytes).toString('base64url') !== text) {
    throw new WalrusCodecError('blob-id', `invalid blob id ${JSON.stringify(text)}: non-canonical base64url`);
  }
  return bytes;
}

/** The `blob_id: u256` value Sui stores for these bytes (little-endian). */
export function blobIdToU256(bytes: Uint8Array): bigint {
  assertLength(bytes);
  return leBytesToBigInt(bytes);
}

export function blobIdFromU256(value: bigint): Uint8Array {
  if (value < 0n || value > U256_MAX) {
    throw new WalrusCodecError('blob-id', `blob id u256 out of range: ${value}`);
  }
  return bigIntToLeBytes(value, BLOB_ID_LENGTH);
}

/**
 * Sliver pair i is stored on shard (i + offset) mod n, where offset is the blob id read
 * big-endian mod n (walrus-core encoding/mapping.rs `rotation_offset`).
 */
export function rotationOffset(blobId: Uint8Array, nShards: number): number {
  let acc = 0;
  for (const byte of blobId) acc = (acc * 256 + byte) % nShards;
  return acc;
}

export function shardForPair(pairIndex: number, blobId: Uint8Array, nShards: number): number {
  return (pairIndex + rotationOffset(blobId, nShards)) % nShards;
}

export function pairForShard(shardIndex: number, blobId: Uint8Array, nShards: number): number {
  return (nShards + shardIndex - rotationOffset(blobId, nShards)) % nShards;
}

function assertLength(bytes: Uint8Array): void {
  if (bytes.length !== BLOB_ID_LENGTH) {
    throw new WalrusCodecError('blob-id', `invalid blob id length: expected 32 bytes, got ${bytes.length}`);
  }
}
