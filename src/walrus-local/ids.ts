// Deterministic Sui identifiers for the local ledger: object ids and addresses are 0x + 64 hex,
// digests are base58 of 32 bytes, as a full node prints them. All derive from one random seed
// generated at genesis (and persisted), so ids never collide across devnets but stay stable
// across restarts of one.
import { randomBytes } from 'node:crypto';
import { toBase58 } from '@mysten/bcs';
import { blake2b } from '@noble/hashes/blake2.js';

const ENCODER = new TextEncoder();

function digest(seed: Uint8Array, label: string, parts: readonly (number | string | Uint8Array)[]): Uint8Array {
  const hasher = blake2b.create({ dkLen: 32 });
  hasher.update(seed);
  hasher.update(ENCODER.encode(`walrus-local/${label}`));
  for (const part of parts) {
    hasher.update(part instanceof Uint8Array ? part : ENCODER.encode(`/${String(part)}`));
  }
  return hasher.digest();
}

export function randomSeed(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

/** A 32-byte Sui object id or address as `0x` + 64 lowercase hex digits. */
export function deriveAddress(seed: Uint8Array, label: string, ...parts: (number | string)[]): string {
  return `0x${Buffer.from(digest(seed, label, parts)).toString('hex')}`;
}

/** A base58 digest (transaction or object digest) of the given parts. */
export function deriveDigest(seed: Uint8Array, label: string, ...parts: (number | string | Uint8Array)[]): string {
  return toBase58(digest(seed, label, parts));
}

export function addressBytes(address: string): Uint8Array {
  return Uint8Array.from(Buffer.from(address.slice(2), 'hex'));
}

export function bytesToAddress(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes).toString('hex')}`;
}
