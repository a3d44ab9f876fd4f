// Public surface of the commitment codec: pure functions over bytes, no I/O.
export { BODY_V0_LENGTH, BODY_VERSION_V0, bodyQuiltPatchId, decodeBody, encodeBody, type CommitmentBody } from './body.ts';
export {
  QUILT_PATCH_ID_LENGTH,
  QUILT_PATCH_ID_VERSION_V1,
  decodeQuiltPatchId,
  encodeQuiltPatchId,
  quiltPatchIdFromText,
  quiltPatchIdToText,
  type QuiltPatchId,
} from './quilt-patch-id.ts';
export { CommitmentError, type CommitmentErrorReason } from './errors.ts';
export {
  DEFAULT_DA_BYTE,
  FRAMED_LENGTH,
  OP_GENERIC_COMMITMENT_TYPE,
  OP_KECCAK_COMMITMENT_LENGTH,
  OP_KECCAK_COMMITMENT_TYPE,
  ORBIT_DA_CERTIFICATE_HEADER,
  decodeFramed,
  decodeOpStackCommitment,
  encodeFramed,
  encodeOpStackKeccakCommitment,
  type Framing,
  type FramingOptions,
  type OpStackCommitment,
} from './framing.ts';
export {
  ORBIT_SEQUENCER_HEADER_LENGTH,
  OP_TX_DATA_VERSION_1,
  decodeSequencerHeader,
  inspectCommitment,
  type CommitmentForm,
  type InspectedCommitment,
  type OrbitSequencerHeader,
} from './inspect.ts';
export { commitmentBytesFromHex } from './hex-text.ts';
export { frameKey, keccak256 } from './keccak.ts';
