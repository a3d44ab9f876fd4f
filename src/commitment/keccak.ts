// keccak256 (Ethereum's, not SHA3-256): the hash that binds a frame to its commitment, names the
// frame's patch in the quilt and keys the frame everywhere in walrus-da (lowercase hex, no 0x).
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToBareHex } from '../bytes/index.ts';

export function keccak256(bytes: Uint8Array): Uint8Array {
  return keccak_256(bytes);
}

/** A frame's key and quilt patch identifier: lowercase hex keccak256 of its bytes, 64 characters. */
export function frameKey(frame: Uint8Array): string {
  return bytesToBareHex(keccak_256(frame));
}
