// The two wire framings of body v0. They happen to be the same bytes:
//
//   OP Stack generic commitment  [ 0x01 generic type | da_layer_byte | body v0 (102) ]   104 B
//     (op-alt-da/commitment.go: GenericCommitmentType = 1, payload = da_layer_byte ‖ data)
//   Orbit DA certificate         [ 0x01 DACertificate header | provider byte | body v0 ]  104 B
//     (nitro daprovider/util.go: DACertificateMessageHeaderFlag = 0x01, matched by equality)
//
// and OP Stack's keccak mode, which this server also answers:
//
//   OP Stack keccak commitment   [ 0x00 keccak type | keccak256(preimage) (32) ]          33 B
//
// The DA byte is configurable (default 0x57, 'W'); it is checked on decode so that a commitment
// from another DA layer is rejected as foreign rather than misread.
import { BODY_V0_LENGTH, decodeBody, encodeBody, type CommitmentBody } from './body.ts';
import { CommitmentError, byteText } from './errors.ts';

export type Framing = 'opstack' | 'orbit';

/** First byte of an OP Stack generic commitment (`GenericCommitmentType`). */
export const OP_GENERIC_COMMITMENT_TYPE = 0x01;
/** First byte of an OP Stack keccak commitment (`Keccak256CommitmentType`). */
export const OP_KECCAK_COMMITMENT_TYPE = 0x00;
/** Nitro's `DACertificateMessageHeaderFlag`. */
export const ORBIT_DA_CERTIFICATE_HEADER = 0x01;
/** walrus-da's default DA-layer / provider-type byte ('W'); unclaimed in the OP specs table. */
export const DEFAULT_DA_BYTE = 0x57;
export const FRAMED_LENGTH = 2 + BODY_V0_LENGTH;
export const OP_KECCAK_COMMITMENT_LENGTH = 33;

export interface FramingOptions {
  /** DA-layer byte (OP Stack) / provider-type byte (Orbit). @default 0x57 */
  readonly daByte?: number;
}

/** Frames a body as an OP Stack generic commitment or an Orbit certificate (identical bytes). */
export function encodeFramed(body: CommitmentBody, options: FramingOptions = {}): Uint8Array {
  const daByte = checkedDaByte(options.daByte);
  const out = new Uint8Array(FRAMED_LENGTH);
  out[0] = OP_GENERIC_COMMITMENT_TYPE;
  out[1] = daByte;
  out.set(encodeBody(body), 2);
  return out;
}

/** Decodes an OP Stack generic commitment or an Orbit certificate; throws `CommitmentError`. */
export function decodeFramed(bytes: Uint8Array, framing: Framing, options: FramingOptions = {}): CommitmentBody {
  const daByte = checkedDaByte(options.daByte);
  if (bytes.length < 2) {
    throw new CommitmentError('length', `invalid ${label(framing)} length: expected ${FRAMED_LENGTH} bytes, got ${bytes.length}`);
  }
  const first = bytes[0] ?? 0;
  if (first !== OP_GENERIC_COMMITMENT_TYPE) {
    const what = framing === 'opstack' ? 'commitment type' : 'certificate header byte';
    throw new CommitmentError('commitment-type', `unsupported ${what} ${byteText(first)} (expected 0x01)`);
  }
  const second = bytes[1] ?? 0;
  if (second !== daByte) {
    throw new CommitmentError(
      'da-byte',
      `foreign ${label(framing)}: DA byte ${byteText(second)} is not this server's ${byteText(daByte)}`,
    );
  }
  if (bytes.length > 2 && bytes[2] !== 0x00) {
    return decodeBody(bytes.subarray(2)); // reports the unknown body version
  }
  if (bytes.length !== FRAMED_LENGTH) {
    throw new CommitmentError('length', `invalid ${label(framing)} length: expected ${FRAMED_LENGTH} bytes, got ${bytes.length}`);
  }
  return decodeBody(bytes.subarray(2));
}

/** An OP Stack commitment as op-node sends it in `GET /get/0x…`. */
export type OpStackCommitment =
  | { readonly kind: 'keccak'; readonly keccak: Uint8Array }
  | { readonly kind: 'generic'; readonly body: CommitmentBody };

/** Decodes either OP Stack commitment type (op-alt-da/commitment.go `DecodeCommitmentData`). */
export function decodeOpStackCommitment(bytes: Uint8Array, options: FramingOptions = {}): OpStackCommitment {
  if (bytes.length === 0) {
    throw new CommitmentError('length', 'empty commitment');
  }
  if (bytes[0] === OP_KECCAK_COMMITMENT_TYPE) {
    if (bytes.length !== OP_KECCAK_COMMITMENT_LENGTH) {
      throw new CommitmentError(
        'length',
        `invalid keccak commitment length: expected ${OP_KECCAK_COMMITMENT_LENGTH} bytes, got ${bytes.length}`,
      );
    }
    return { kind: 'keccak', keccak: bytes.slice(1) };
  }
  return { kind: 'generic', body: decodeFramed(bytes, 'opstack', options) };
}

/** `0x00 ‖ keccak256(preimage)`: the commitment op-batcher computes itself in keccak mode. */
export function encodeOpStackKeccakCommitment(keccak: Uint8Array): Uint8Array {
  if (keccak.length !== 32) {
    throw new CommitmentError('length', `invalid keccak length: expected 32 bytes, got ${keccak.length}`);
  }
  const out = new Uint8Array(OP_KECCAK_COMMITMENT_LENGTH);
  out[0] = OP_KECCAK_COMMITMENT_TYPE;
  out.set(keccak, 1);
  return out;
}

function checkedDaByte(value: number | undefined): number {
  const daByte = value ?? DEFAULT_DA_BYTE;
  if (!Number.isInteger(daByte) || daByte < 0 || daByte > 0xff) {
    throw new RangeError(`DA byte must be an integer in [0, 255], got ${daByte}`);
  }
  return daByte;
}

function label(framing: Framing): string {
  return framing === 'opstack' ? 'OP Stack generic commitment' : 'Orbit DA certificate';
}
