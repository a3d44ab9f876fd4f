// BLS12-381 in the min-pk variant Walrus uses (fastcrypto `bls12381::min_pk`; docs/wire/walrus.md
// "Certificates"):
// public keys are 48-byte compressed G1 points, signatures 96-byte compressed G2 points, messages
// hashed to G2 with the ciphersuite BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_. That is
// @noble/curves' `longSignatures` with its default DST; a test cross-checks it against the
// walrus-core code in @mysten/walrus-wasm.
import { bls12_381 } from '@noble/curves/bls12-381.js';

const scheme = bls12_381.longSignatures;
type G2Point = ReturnType<typeof scheme.hash>;

// Hashing to G2 is half the cost of a signature (~10 ms), and every node of the committee signs
// the same confirmation, which the publisher and the ledger then verify: hash each message once.
const HASH_CACHE_SIZE = 256;
const hashCache = new Map<string, G2Point>();

function hashToG2(message: Uint8Array): G2Point {
  const key = Buffer.from(message.buffer, message.byteOffset, message.byteLength).toString('base64');
  let point = hashCache.get(key);
  if (point) {
    hashCache.delete(key); // refresh its place in the LRU order
  } else {
    point = scheme.hash(message);
    if (hashCache.size >= HASH_CACHE_SIZE) hashCache.delete(hashCache.keys().next().value ?? '');
  }
  hashCache.set(key, point);
  return point;
}

type G1Point = ReturnType<typeof bls12_381.G1.Point.fromBytes>;
// Committee keys never change; decompressing a G1 point costs a square root, so do it once.
const publicKeyCache = new Map<string, G1Point>();

function publicKeyPoint(publicKey: Uint8Array): G1Point {
  const key = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString('hex');
  let point = publicKeyCache.get(key);
  if (!point) {
    point = bls12_381.G1.Point.fromBytes(publicKey);
    if (publicKeyCache.size >= HASH_CACHE_SIZE) publicKeyCache.clear();
    publicKeyCache.set(key, point);
  }
  return point;
}

export const BLS_SECRET_KEY_LENGTH = 32;
export const BLS_PUBLIC_KEY_LENGTH = 48;
export const BLS_SIGNATURE_LENGTH = 96;

export function generateSecretKey(): Uint8Array {
  return bls12_381.utils.randomSecretKey();
}

export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  return scheme.getPublicKey(secretKey).toBytes();
}

export function sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  return scheme.Signature.toBytes(scheme.sign(hashToG2(message), secretKey));
}

/** The standard aggregate of signatures over one message (`BLS12381AggregateSignature::aggregate`). */
export function aggregateSignatures(signatures: readonly Uint8Array[]): Uint8Array {
  return scheme.Signature.toBytes(scheme.aggregateSignatures(signatures.map((s) => scheme.Signature.fromBytes(s))));
}

/** Verifies one signature; malformed keys or signatures verify as false instead of throwing. */
export function verify(signature: Uint8Array, publicKey: Uint8Array, message: Uint8Array): boolean {
  try {
    return scheme.verify(scheme.Signature.fromBytes(signature), hashToG2(message), publicKeyPoint(publicKey));
  } catch {
    return false;
  }
}

/**
 * Verifies an aggregate signature the way bls_aggregate.move does: the signers' key is the
 * committee's total key minus the non-signers' keys, then one min-pk verification.
 */
export function verifyWithNonSigners(signature: Uint8Array, allPublicKeys: readonly Uint8Array[], nonSigners: ReadonlySet<number>, message: Uint8Array): boolean {
  try {
    const points = allPublicKeys.map(publicKeyPoint);
    const total = points.reduce((sum, point) => sum.add(point));
    const missing = points.filter((_, i) => nonSigners.has(i));
    const key = missing.length === 0 ? total : total.subtract(missing.reduce((sum, point) => sum.add(point)));
    return scheme.verify(scheme.Signature.fromBytes(signature), hashToG2(message), key);
  } catch {
    return false;
  }
}

/** The 96-byte uncompressed form of a public key (`Element<UncompressedG1>` on chain). */
export function uncompressedPublicKey(publicKey: Uint8Array): Uint8Array {
  return bls12_381.G1.Point.fromBytes(publicKey).toBytes(false);
}

/** The sum of public keys, compressed (`total_aggregated_key` of a BlsCommittee). */
export function aggregatePublicKeys(publicKeys: readonly Uint8Array[]): Uint8Array {
  return scheme.aggregatePublicKeys(publicKeys.map((key) => bls12_381.G1.Point.fromBytes(key))).toBytes(true);
}
