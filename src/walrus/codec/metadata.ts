// BCS of the storage-node wire types and the metadata check a node runs on PUT
// (walrus crates/walrus-core/src/metadata.rs, encoding/slivers.rs; TS mirror
// ts-sdks packages/walrus/src/utils/bcs.ts; docs/wire/walrus.md "Encoding" and "Blob id"):
//
//   BlobMetadata        enum tag (uleb128)   0x00 = V1
//   BlobMetadataV1      encoding_type        u8 enum: 0x01 = RS2 (0x00 RaptorQ is refused on decode)
//                       unencoded_length     u64 LE
//                       hashes               uleb128 n ‖ n × SliverPairMetadata
//   SliverPairMetadata  primary_hash ‖ secondary_hash, each a MerkleNode:
//                       0x00 (Empty) | 0x01 ‖ 32-byte digest
//   BlobMetadataWithId  blob_id (32 B) ‖ BlobMetadata
//   SliverData          uleb128 len ‖ data (len B) ‖ symbol_size u16 LE ‖ index u16 LE
//
// Every decoder here reads untrusted bytes: it either returns a value or throws a
// WalrusCodecError, never reads past the input, and refuses trailing bytes.
import { equalBytes } from '../../bytes/index.ts';
import { BLOB_ID_LENGTH, blobIdToText } from './blob-id.ts';
import { ByteReader } from './byte-reader.ts';
import { encodingConfig, maxBlobSize } from './encoding-config.ts';
import { WalrusCodecError } from './errors.ts';
import { DIGEST_LENGTH, RS2_ENCODING_TYPE, blobIdFromPairHashes } from './merkle.ts';
import { encodeUleb128 } from './uleb128.ts';
import type { BlobMetadataV1, SliverPairHashes } from './wasm.ts';

const METADATA_V1_TAG = 0x00;
const MERKLE_EMPTY = 0x00;
const MERKLE_DIGEST = 0x01;
const PAIR_BCS_LENGTH = 2 * (1 + DIGEST_LENGTH);

/** A decoded BCS `SliverData`; `data` is a view into the input. */
export interface SliverData {
  readonly data: Uint8Array;
  readonly symbolSize: number;
  /** Sliver index: the pair index for a primary sliver, n−1−pair for a secondary one. */
  readonly index: number;
}

export function encodeBlobMetadata(metadata: BlobMetadataV1): Uint8Array {
  const count = metadata.hashes.length;
  const countBytes = encodeUleb128(count);
  const out = new Uint8Array(1 + 1 + 8 + countBytes.length + count * PAIR_BCS_LENGTH);
  const view = new DataView(out.buffer);
  out[0] = METADATA_V1_TAG;
  out[1] = RS2_ENCODING_TYPE;
  view.setBigUint64(2, BigInt(metadata.unencodedLength), true);
  out.set(countBytes, 10);
  let offset = 10 + countBytes.length;
  for (const pair of metadata.hashes) {
    for (const digest of [pair.primary, pair.secondary]) {
      if (digest.length !== DIGEST_LENGTH) throw new WalrusCodecError('metadata-malformed', `sliver hash must be ${DIGEST_LENGTH} bytes, got ${digest.length}`);
      out[offset] = MERKLE_DIGEST;
      out.set(digest, offset + 1);
      offset += 1 + DIGEST_LENGTH;
    }
  }
  return out;
}

/** Decodes BCS `BlobMetadata` (the body of a metadata PUT). `Empty` hashes become 32 zero bytes. */
export function decodeBlobMetadata(bytes: Uint8Array): BlobMetadataV1 {
  const reader = new ByteReader(bytes, 'blob metadata', 'metadata-malformed');
  const metadata = readBlobMetadata(reader);
  if (reader.remaining !== 0) reader.fail(`${reader.remaining} trailing bytes`);
  return metadata;
}

export function encodeBlobMetadataWithId(blobId: Uint8Array, metadata: BlobMetadataV1): Uint8Array {
  blobIdToText(blobId); // validates the length
  const body = encodeBlobMetadata(metadata);
  const out = new Uint8Array(BLOB_ID_LENGTH + body.length);
  out.set(blobId, 0);
  out.set(body, BLOB_ID_LENGTH);
  return out;
}

/** Decodes BCS `BlobMetadataWithId` (what `GET /v1/blobs/{id}/metadata` returns). */
export function decodeBlobMetadataWithId(bytes: Uint8Array): { blobId: Uint8Array; metadata: BlobMetadataV1 } {
  const reader = new ByteReader(bytes, 'blob metadata with id', 'metadata-malformed');
  const blobId = reader.bytes(BLOB_ID_LENGTH, 'blob id').slice();
  const metadata = readBlobMetadata(reader);
  if (reader.remaining !== 0) reader.fail(`${reader.remaining} trailing bytes`);
  return { blobId, metadata };
}

/**
 * The checks of `UnverifiedBlobMetadataWithId::verify`: one hash pair per shard, a length the
 * encoding can hold, and a blob id recomputed from the hashes equal to the claimed one.
 */
export function verifyBlobMetadata(blobId: Uint8Array, metadata: BlobMetadataV1, nShards: number): void {
  encodingConfig(nShards);
  if (metadata.hashes.length !== nShards) {
    throw new WalrusCodecError('metadata-invalid', `metadata has ${metadata.hashes.length} sliver-pair hashes, expected one per shard (${nShards})`);
  }
  if (metadata.unencodedLength > maxBlobSize(nShards)) {
    throw new WalrusCodecError('metadata-invalid', `unencoded length ${metadata.unencodedLength} exceeds the maximum blob size ${maxBlobSize(nShards)} for ${nShards} shards`);
  }
  const recomputed = blobIdFromPairHashes(metadata.hashes, metadata.unencodedLength).blobId;
  if (!equalBytes(recomputed, blobId)) {
    throw new WalrusCodecError('metadata-invalid', `metadata hashes to blob id ${blobIdToText(recomputed)}, not ${blobIdToText(blobId)}`);
  }
}

/**
 * A storage node's `BlobMetadataWithId` answer for `blobId`, decoded and verified: it names that
 * blob and passes `verifyBlobMetadata`. Throws `WalrusCodecError`.
 */
export function decodeVerifiedMetadata(bytes: Uint8Array, blobId: Uint8Array, nShards: number): BlobMetadataV1 {
  const decoded = decodeBlobMetadataWithId(bytes);
  if (!equalBytes(decoded.blobId, blobId)) throw new WalrusCodecError('metadata-invalid', `metadata names blob ${blobIdToText(decoded.blobId)}`);
  verifyBlobMetadata(blobId, decoded.metadata, nShards);
  return decoded.metadata;
}

export function encodeSliverData(sliver: SliverData): Uint8Array {
  const lengthBytes = encodeUleb128(sliver.data.length);
  const out = new Uint8Array(lengthBytes.length + sliver.data.length + 4);
  const view = new DataView(out.buffer);
  out.set(lengthBytes, 0);
  out.set(sliver.data, lengthBytes.length);
  view.setUint16(out.length - 4, sliver.symbolSize, true);
  view.setUint16(out.length - 2, sliver.index, true);
  return out;
}

/** Decodes BCS `SliverData`; the returned `data` is a view into `bytes`. */
export function decodeSliverData(bytes: Uint8Array): SliverData {
  const reader = new ByteReader(bytes, 'sliver', 'sliver-malformed');
  const length = reader.uleb128('symbol data length');
  const data = reader.bytes(length, 'symbol data');
  const symbolSize = reader.u16('symbol size');
  const index = reader.u16('sliver index');
  if (reader.remaining !== 0) reader.fail(`${reader.remaining} trailing bytes`);
  return { data, symbolSize, index };
}

function readBlobMetadata(reader: ByteReader): BlobMetadataV1 {
  const tag = reader.uleb128('metadata version');
  if (tag !== METADATA_V1_TAG) reader.fail(`unknown metadata version ${tag} (supported: V1)`);
  const encodingType = reader.uleb128('encoding type');
  if (encodingType !== RS2_ENCODING_TYPE) reader.fail(`unsupported encoding type ${encodingType} (supported: RS2 = 1)`);
  const lengthBytes = reader.bytes(8, 'unencoded length');
  const length = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(Number.MAX_SAFE_INTEGER)) reader.fail(`unencoded length ${length} is beyond any blob Walrus can encode`);
  const count = reader.uleb128('hash count');
  if (count > reader.remaining / 2) reader.fail(`${count} hash pairs cannot fit in ${reader.remaining} bytes`);
  const hashes: SliverPairHashes[] = [];
  for (let i = 0; i < count; i++) {
    hashes.push({ primary: readMerkleNode(reader, `pair ${i} primary hash`), secondary: readMerkleNode(reader, `pair ${i} secondary hash`) });
  }
  return { unencodedLength: Number(length), hashes };
}

function readMerkleNode(reader: ByteReader, field: string): Uint8Array {
  const tag = reader.uleb128(`${field} tag`);
  if (tag === MERKLE_EMPTY) return new Uint8Array(DIGEST_LENGTH);
  if (tag !== MERKLE_DIGEST) reader.fail(`${field}: unknown Merkle node tag ${tag}`);
  return reader.bytes(DIGEST_LENGTH, field).slice();
}
