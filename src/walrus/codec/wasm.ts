// The only file that touches @mysten/walrus-wasm: Walrus's own RS2 encoder (walrus-core compiled
// to wasm), so blob ids, metadata and slivers are byte-identical to the Rust nodes'. Never
// reimplement Reed–Solomon: repair symbols depend on reed-solomon-simd's exact FFT basis.
//
// Every call here is synchronous and CPU-bound (≈1.1–1.5 s fixed at n = 1000); the service calls
// them through `EncoderPool`, which runs this module in worker threads.
import {
  BlobEncoder,
  bls12381_min_pk_aggregate,
  bls12381_min_pk_verify,
  bls12381_min_pk_verify_aggregate,
} from '@mysten/walrus-wasm';
import { encodingConfig, sliverLengths, symbolSize } from './encoding-config.ts';
import { WalrusCodecError } from './errors.ts';

export interface BlobMetadataSummary {
  readonly blobId: Uint8Array;
  /** Merkle root over the n sliver-pair hashes. */
  readonly rootHash: Uint8Array;
  readonly unencodedLength: number;
}

/** Hashes of sliver pair i: primary sliver i and secondary sliver n−1−i. */
export interface SliverPairHashes {
  readonly primary: Uint8Array;
  readonly secondary: Uint8Array;
}

/** `BlobMetadataV1` (walrus-core metadata.rs): what storage nodes verify slivers against. */
export interface BlobMetadataV1 {
  readonly unencodedLength: number;
  readonly hashes: readonly SliverPairHashes[];
}

/** A blob expanded into its 2n slivers, each as BCS `SliverData` ready for a storage node. */
export interface EncodedBlob extends BlobMetadataSummary {
  readonly metadata: BlobMetadataV1;
  /** Index i holds primary sliver i (pair i). */
  readonly primarySlivers: readonly Uint8Array[];
  /** Index i holds secondary sliver n−1−i (also pair i). */
  readonly secondarySlivers: readonly Uint8Array[];
}

type WasmDigest = { Digest: number[] } | 'Empty';
type WasmMetadataWithId = {
  blob_id: number[];
  metadata: { V1: { unencoded_length: number | bigint; hashes: { primary_hash: WasmDigest; secondary_hash: WasmDigest }[] } };
};

/** Blob id and root of `data` without producing slivers (`BlobEncoder::compute_metadata`). */
export function computeBlobMetadata(data: Uint8Array, nShards: number): BlobMetadataSummary {
  symbolSize(data.length, nShards); // validates n and the size before wasm would trap
  const encoder = new BlobEncoder(nShards);
  try {
    const [blobId, rootHash, unencodedLength] = encoder.compute_metadata(data) as [number[], WasmDigest, number | bigint];
    return { blobId: Uint8Array.from(blobId), rootHash: digest(rootHash), unencodedLength: Number(unencodedLength) };
  } finally {
    encoder.free();
  }
}

/** BCS `SliverData` length for `dataLength` bytes of symbols: uleb128(len) ‖ data ‖ u16 ‖ u16. */
export function sliverBcsLength(dataLength: number): number {
  let uleb = 1;
  for (let v = dataLength >>> 7; v > 0; v >>>= 7) uleb++;
  return uleb + dataLength + 4;
}

/**
 * Encodes `data` into all 2n slivers. Buffers are views into `arena` when one is given (the
 * worker passes a single ArrayBuffer so the whole result can be transferred in one move).
 */
export function encodeBlob(data: Uint8Array, nShards: number, arena?: ArrayBuffer): EncodedBlob {
  const { primary, secondary } = sliverLengths(data.length, nShards);
  const primaryLength = sliverBcsLength(primary);
  const secondaryLength = sliverBcsLength(secondary);
  const buffer = arena ?? new ArrayBuffer(encodedArenaSize(data.length, nShards));
  const primarySlivers: Uint8Array[] = [];
  const secondarySlivers: Uint8Array[] = [];
  for (let i = 0; i < nShards; i++) {
    primarySlivers.push(new Uint8Array(buffer, i * primaryLength, primaryLength));
    secondarySlivers.push(new Uint8Array(buffer, nShards * primaryLength + i * secondaryLength, secondaryLength));
  }
  const encoder = new BlobEncoder(nShards);
  try {
    const [withId, rootHash] = encoder.encode(data, primarySlivers, secondarySlivers) as [WasmMetadataWithId, WasmDigest];
    const v1 = withId.metadata.V1;
    return {
      blobId: Uint8Array.from(withId.blob_id),
      rootHash: digest(rootHash),
      unencodedLength: Number(v1.unencoded_length),
      metadata: {
        unencodedLength: Number(v1.unencoded_length),
        hashes: v1.hashes.map((h) => ({ primary: digest(h.primary_hash), secondary: digest(h.secondary_hash) })),
      },
      primarySlivers,
      secondarySlivers,
    };
  } finally {
    encoder.free();
  }
}

/** Bytes `encodeBlob` needs for all 2n BCS slivers of a blob of `length` bytes. */
export function encodedArenaSize(length: number, nShards: number): number {
  const { primary, secondary } = sliverLengths(length, nShards);
  return nShards * (sliverBcsLength(primary) + sliverBcsLength(secondary));
}

/**
 * Reconstructs a blob from at least p primary slivers (BCS `SliverData`). walrus-wasm does no
 * consistency check here; callers verify the result against the blob id.
 */
export function decodePrimarySlivers(blobId: Uint8Array, length: number, nShards: number, slivers: readonly Uint8Array[]): Uint8Array {
  const { primarySymbols } = encodingConfig(nShards);
  if (slivers.length < primarySymbols) {
    throw new WalrusCodecError('sliver-malformed', `need at least ${primarySymbols} primary slivers to decode, got ${slivers.length}`);
  }
  const out = new Uint8Array(length);
  const encoder = new BlobEncoder(nShards);
  try {
    encoder.decode(Array.from(blobId), BigInt(length), [...slivers], out);
    return out;
  } catch (error) {
    throw new WalrusCodecError('sliver-malformed', `walrus-wasm could not decode the slivers: ${String(error)}`, { cause: error });
  } finally {
    encoder.free();
  }
}

/** BLS12-381 min-pk helpers of walrus-core (fastcrypto), used to cross-check @noble/curves. */
export const walrusBls = {
  aggregate: (signatures: readonly Uint8Array[]): Uint8Array => bls12381_min_pk_aggregate(signatures.map((s) => Array.from(s))),
  verify: (signature: Uint8Array, publicKey: Uint8Array, message: Uint8Array): boolean =>
    bls12381_min_pk_verify(signature, publicKey, message),
  verifyAggregate: (publicKeys: readonly Uint8Array[], message: Uint8Array, signature: Uint8Array): boolean =>
    bls12381_min_pk_verify_aggregate(publicKeys.map((k) => Array.from(k)), message, signature),
};

function digest(node: WasmDigest): Uint8Array {
  return node === 'Empty' ? new Uint8Array(32) : Uint8Array.from(node.Digest);
}
