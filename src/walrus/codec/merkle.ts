// Walrus's Merkle tree and the blob-id derivation over sliver-pair hashes, with BLAKE2b-256 from
// hash-wasm (walrus crates/walrus-core/src/merkle.rs, metadata.rs `compute_root_hash`,
// lib.rs `BlobId::from_metadata`; docs/wire/walrus.md "Blob id"):
//
//   leaf(x)        = H(0x00 ‖ x)
//   inner(l, r)    = H(0x01 ‖ l ‖ r)
//   a level with an odd number of nodes is padded with the Empty node: 32 zero bytes (not hashed)
//   one leaf: root = leaf(x); no leaves: root = 32 zero bytes
//
//   pair leaf i    = primary_hash_i (32) ‖ secondary_hash_i (32)
//   blob id        = H(0x01 (RS2) ‖ u64 LE unencoded length ‖ root)
//
// Storage nodes run exactly this on a metadata PUT, so no Reed–Solomon is needed to check it.
import { createBLAKE2b } from 'hash-wasm';
import type { SliverPairHashes } from './wasm.ts';

export const DIGEST_LENGTH = 32;
/** `EncodingType::RS2` as a byte (walrus-core lib.rs). */
export const RS2_ENCODING_TYPE = 0x01;
const LEAF_PREFIX = Uint8Array.of(0x00);
const INNER_PREFIX = Uint8Array.of(0x01);
const EMPTY_NODE = new Uint8Array(DIGEST_LENGTH);

// One wasm hasher, reset per hash. Why not @noble/hashes: an authenticated node read hashes about
// one leaf per byte of frame at 1000 shards (2-byte symbols), ~120 k hashes for a 120 KB frame, and
// noble's BLAKE2b costs ~4.4 µs per short input against ~1 µs here (`npm run bench:node-read`).
// Every use below is synchronous, so sharing the instance cannot interleave two hashes.
const hasher = await createBLAKE2b(DIGEST_LENGTH * 8);

function hash(...parts: Uint8Array[]): Uint8Array {
  hasher.init();
  for (const part of parts) hasher.update(part);
  return hasher.digest('binary');
}

/** Root of Walrus's Merkle tree over `leaves` (each hashed with the 0x00 leaf prefix). */
export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return new Uint8Array(DIGEST_LENGTH);
  let level = leaves.map((leaf) => hash(LEAF_PREFIX, leaf));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(hash(INNER_PREFIX, level[i] as Uint8Array, level[i + 1] ?? EMPTY_NODE));
    }
    level = next;
  }
  return level[0] as Uint8Array;
}

/** Number of levels above the leaves: the length of every proof path in a tree of `leafCount` leaves. */
export function merkleDepth(leafCount: number): number {
  let depth = 0;
  for (let width = leafCount; width > 1; width = Math.ceil(width / 2)) depth++;
  return depth;
}

/**
 * The sibling path of leaf `index`, bottom-up, as walrus-core `MerkleTree::get_proof` gives it: one
 * node per level, the Empty node (32 zero bytes) where a level was padded.
 */
export function merkleProof(leaves: readonly Uint8Array[], index: number): Uint8Array[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) throw new RangeError(`leaf ${index} is outside [0, ${leaves.length})`);
  const path: Uint8Array[] = [];
  let level = leaves.map((leaf) => hash(LEAF_PREFIX, leaf));
  let position = index;
  while (level.length > 1) {
    path.push(level[position ^ 1] ?? EMPTY_NODE);
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(hash(INNER_PREFIX, level[i] as Uint8Array, level[i + 1] ?? EMPTY_NODE));
    level = next;
    position >>= 1;
  }
  return path;
}

/**
 * The root of a tree of `leafCount` leaves whose first `prefix.length` leaves are `prefix`, whose
 * next leaf is `next`, and whose nodes right of that leaf's path are taken from `path` (the proof of
 * leaf `prefix.length`, as a storage node sends it with a recovery symbol). Every left sibling on
 * the path covers only prefix leaves, so it is recomputed here and the proof's value is ignored:
 * the root then commits to every prefix leaf. O(prefix) hashes, no Reed–Solomon.
 *
 *   leaves   0 … k−1 (prefix, ours) | k (next, proven) | k+1 … (only through path's right siblings)
 */
export function merkleRootFromPrefix(prefix: readonly Uint8Array[], next: Uint8Array, path: readonly Uint8Array[], leafCount: number): Uint8Array {
  const k = prefix.length;
  if (k >= leafCount) throw new RangeError(`a prefix of ${k} leaves leaves no next leaf in a tree of ${leafCount}`);
  if (path.length !== merkleDepth(leafCount)) throw new RangeError(`a proof in a tree of ${leafCount} leaves has ${merkleDepth(leafCount)} nodes, got ${path.length}`);
  // Full subtrees over the prefix, level by level: level ℓ has ⌊k / 2^ℓ⌋ nodes.
  let level = prefix.map((leaf) => hash(LEAF_PREFIX, leaf));
  let current = hash(LEAF_PREFIX, next);
  let position = k;
  for (const sibling of path) {
    if (sibling.length !== DIGEST_LENGTH) throw new RangeError(`proof node of ${sibling.length} bytes, expected ${DIGEST_LENGTH}`);
    if (position % 2 === 1) current = hash(INNER_PREFIX, level[position - 1] as Uint8Array, current);
    else current = hash(INNER_PREFIX, current, sibling);
    const up: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) up.push(hash(INNER_PREFIX, level[i] as Uint8Array, level[i + 1] as Uint8Array));
    level = up;
    position >>= 1;
  }
  return current;
}

/** `blob::derive_blob_id`: the blob id of a blob of `unencodedLength` bytes with this Merkle root. */
export function blobIdFromRootHash(rootHash: Uint8Array, unencodedLength: number): Uint8Array {
  const length = new Uint8Array(8);
  new DataView(length.buffer).setBigUint64(0, BigInt(unencodedLength), true);
  return hash(Uint8Array.of(RS2_ENCODING_TYPE), length, rootHash);
}

/** The Merkle root over the sliver-pair hashes and the blob id it yields for `unencodedLength`. */
export function blobIdFromPairHashes(hashes: readonly SliverPairHashes[], unencodedLength: number): { blobId: Uint8Array; rootHash: Uint8Array } {
  const rootHash = merkleRoot(
    hashes.map((pair) => {
      const leaf = new Uint8Array(2 * DIGEST_LENGTH);
      leaf.set(pair.primary, 0);
      leaf.set(pair.secondary, DIGEST_LENGTH);
      return leaf;
    }),
  );
  return { blobId: blobIdFromRootHash(rootHash, unencodedLength), rootHash };
}
