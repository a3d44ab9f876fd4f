// Recognises every form in which an operator may hold a walrus-da commitment and pulls out the
// body: as stored by us, as op-batcher / Nitro receive it, as posted to L1, or as Nitro hands it
// back in `sequencerMsg`. Used by `walrus-da commitment decode` and `walrus-da verify`.
//
//   body v0                    [ body (102) ]                                            102 B
//   framed                     [ 0x01 | da byte | body ]  (OP generic commitment = Orbit cert) 104 B
//   OP Stack L1 calldata       [ 0x01 TxDataVersion1 | framed ]                           105 B
//   Orbit sequencer message    [ 40-byte header: 5 × u64 BE | framed ]                    144 B
//   OP Stack keccak            [ 0x00 | keccak (32) ]  (and 0x01 ‖ that as L1 calldata)   33/34 B
import { BODY_V0_LENGTH, decodeBody, type CommitmentBody } from './body.ts';
import { CommitmentError } from './errors.ts';
import { FRAMED_LENGTH, OP_KECCAK_COMMITMENT_LENGTH, decodeFramed, type FramingOptions } from './framing.ts';

export const ORBIT_SEQUENCER_HEADER_LENGTH = 40;
/** op-alt-da `TxDataVersion1`: the byte op-batcher puts before the commitment in L1 calldata. */
export const OP_TX_DATA_VERSION_1 = 0x01;

export type CommitmentForm =
  | 'body-v0'
  | 'framed'
  | 'opstack-l1-calldata'
  | 'orbit-sequencer-message'
  | 'opstack-keccak'
  | 'opstack-keccak-l1-calldata';

/** Nitro's 40-byte sequencer message header (arbstate/inbox.go `ParseSequencerMessage`). */
export interface OrbitSequencerHeader {
  readonly minTimestamp: bigint;
  readonly maxTimestamp: bigint;
  readonly minL1Block: bigint;
  readonly maxL1Block: bigint;
  readonly afterDelayedMessages: bigint;
}

export type InspectedCommitment =
  | { readonly form: Exclude<CommitmentForm, 'opstack-keccak' | 'opstack-keccak-l1-calldata' | 'orbit-sequencer-message'>; readonly body: CommitmentBody }
  | { readonly form: 'orbit-sequencer-message'; readonly body: CommitmentBody; readonly header: OrbitSequencerHeader }
  | { readonly form: 'opstack-keccak' | 'opstack-keccak-l1-calldata'; readonly keccak: Uint8Array };

const ACCEPTED = `${BODY_V0_LENGTH} (body), ${FRAMED_LENGTH} (commitment/certificate), ${FRAMED_LENGTH + 1} (OP L1 calldata), ${
  ORBIT_SEQUENCER_HEADER_LENGTH + FRAMED_LENGTH
} (Orbit sequencer message) or ${OP_KECCAK_COMMITMENT_LENGTH} (keccak)`;

/** Identifies the form of `bytes` by its length and leading bytes, then decodes it strictly. */
export function inspectCommitment(bytes: Uint8Array, options: FramingOptions = {}): InspectedCommitment {
  switch (bytes.length) {
    case BODY_V0_LENGTH:
      return { form: 'body-v0', body: decodeBody(bytes) };
    case FRAMED_LENGTH:
      return { form: 'framed', body: decodeFramed(bytes, 'opstack', options) };
    case FRAMED_LENGTH + 1:
      expectTxDataVersion(bytes);
      return { form: 'opstack-l1-calldata', body: decodeFramed(bytes.subarray(1), 'opstack', options) };
    case ORBIT_SEQUENCER_HEADER_LENGTH + FRAMED_LENGTH:
      return {
        form: 'orbit-sequencer-message',
        header: decodeSequencerHeader(bytes),
        body: decodeFramed(bytes.subarray(ORBIT_SEQUENCER_HEADER_LENGTH), 'orbit', options),
      };
    case OP_KECCAK_COMMITMENT_LENGTH:
      expectKeccakType(bytes);
      return { form: 'opstack-keccak', keccak: bytes.slice(1) };
    case OP_KECCAK_COMMITMENT_LENGTH + 1:
      expectTxDataVersion(bytes);
      expectKeccakType(bytes.subarray(1));
      return { form: 'opstack-keccak-l1-calldata', keccak: bytes.slice(2) };
    default:
      throw new CommitmentError('length', `unrecognised commitment length ${bytes.length}: expected ${ACCEPTED} bytes`);
  }
}

/** Reads the five big-endian u64 fields of a Nitro sequencer message header. */
export function decodeSequencerHeader(message: Uint8Array): OrbitSequencerHeader {
  if (message.length < ORBIT_SEQUENCER_HEADER_LENGTH) {
    throw new CommitmentError(
      'length',
      `sequencer message too short: ${message.length} bytes, the header alone is ${ORBIT_SEQUENCER_HEADER_LENGTH}`,
    );
  }
  const view = new DataView(message.buffer, message.byteOffset, ORBIT_SEQUENCER_HEADER_LENGTH);
  return {
    minTimestamp: view.getBigUint64(0),
    maxTimestamp: view.getBigUint64(8),
    minL1Block: view.getBigUint64(16),
    maxL1Block: view.getBigUint64(24),
    afterDelayedMessages: view.getBigUint64(32),
  };
}

function expectTxDataVersion(bytes: Uint8Array): void {
  if (bytes[0] !== OP_TX_DATA_VERSION_1) {
    throw new CommitmentError('commitment-type', `unsupported L1 calldata version 0x${(bytes[0] ?? 0).toString(16).padStart(2, '0')} (expected 0x01)`);
  }
}

function expectKeccakType(bytes: Uint8Array): void {
  if (bytes[0] !== 0x00) {
    throw new CommitmentError('commitment-type', `unsupported commitment type 0x${(bytes[0] ?? 0).toString(16).padStart(2, '0')} for a ${OP_KECCAK_COMMITMENT_LENGTH}-byte commitment (expected 0x00, keccak)`);
  }
}
