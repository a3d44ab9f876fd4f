// keccak256 (Ethereum's, not SHA3-256): the hash that binds a frame to its commitment, names the
// frame's patch in the quilt (lowercase hex) and keys OP Stack keccak-mode commitments.
import { keccak_256 } from '@noble/hashes/sha3.js';

export function keccak256(bytes: Uint8Array): Uint8Array {
  return keccak_256(bytes);
}
