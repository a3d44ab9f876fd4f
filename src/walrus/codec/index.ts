// Walrus's own encodings, byte-exact with the Rust nodes: blob ids, RS2 parameters and storage
// accounting, quilts, and the wasm encoder behind a worker pool. Pure (no network); shared by
// the Walrus adapters and by walrus-local.
export {
  BLOB_ID_LENGTH,
  blobIdFromText,
  blobIdFromU256,
  blobIdToText,
  blobIdToU256,
  pairForShard,
  rotationOffset,
  shardForPair,
} from './blob-id.ts';
export { ByteReader } from './byte-reader.ts';
export {
  BYTES_PER_STORAGE_UNIT,
  MAX_SHARDS,
  MAX_SYMBOL_SIZE,
  MIN_SHARDS,
  encodedBlobLength,
  encodingConfig,
  maxBlobSize,
  sliverLengths,
  storageAccounting,
  symbolSize,
  type EncodingConfig,
  type StorageAccounting,
} from './encoding-config.ts';
export { EncoderPool, type EncoderCallOptions, type EncoderPoolOptions } from './encoder-pool.ts';
export type { IdentifiedFrameQuilt } from './encoder.worker.ts';
export { DIGEST_LENGTH, RS2_ENCODING_TYPE, blobIdFromPairHashes, blobIdFromRootHash, merkleDepth, merkleProof, merkleRoot, merkleRootFromPrefix } from './merkle.ts';
export { decodeRecoverySymbols, encodeRecoverySymbols, verifyColumn, type RecoverySymbol } from './recovery-symbol.ts';
export {
  decodeBlobMetadata,
  decodeBlobMetadataWithId,
  decodeVerifiedMetadata,
  decodeSliverData,
  encodeBlobMetadata,
  encodeBlobMetadataWithId,
  encodeSliverData,
  verifyBlobMetadata,
  type SliverData,
} from './metadata.ts';
export {
  blobWithColumns,
  checkSliverShape,
  verifyPrimarySlivers,
  verifySecondarySlivers,
  type PrimarySliverCandidate,
  type SecondarySliverCandidate,
  type SliverAxis,
} from './sliver-verify.ts';
export { WalrusCodecError, type WalrusCodecErrorReason } from './errors.ts';
export {
  buildFrameQuilt,
  buildKeyedFrameQuilt,
  buildQuilt,
  maxQuiltPatches,
  type BuiltQuilt,
  type FrameQuilt,
  type KeyedFrame,
  type QuiltEntry,
  type QuiltPatchLocation,
} from './quilt-build.ts';
export {
  MAX_INDEX_COLUMNS,
  decodeQuiltIndex,
  decodeQuiltPatch,
  indexColumnCount,
  parseQuiltIndex,
  quiltColumns,
  quiltGeometry,
  readQuiltPatch,
  type PatchSelector,
  type QuiltGeometry,
  type QuiltIndex,
  type QuiltIndexEntry,
  type QuiltPatch,
} from './quilt-parse.ts';
export {
  computeBlobMetadata,
  decodePrimarySlivers,
  encodeBlob,
  sliverBcsLength,
  walrusBls,
  type BlobMetadataSummary,
  type BlobMetadataV1,
  type EncodedBlob,
  type SliverPairHashes,
} from './wasm.ts';
