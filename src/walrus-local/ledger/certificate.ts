// Certificate checks of `system::certify_blob`, in the order the Move code runs them
// (walrus contracts/walrus/sources/system/bls_aggregate.move `verify_certificate_and_weight`,
// messages.move, system_state_inner.move `certify_blob`, blob.move `certify_with_certified_msg`).
// Failures carry the Move abort constant's name so they read like a failed transaction.
import { verifyWithNonSigners } from '../bls.ts';
import { isQuorum, type Committee } from '../committee.ts';
import { ConfirmationMessageError, decodeConfirmation, type StorageConfirmation } from '../messages.ts';

export class LedgerAbort extends Error {
  override readonly name = 'LedgerAbort';
  /** Move module and abort constant, e.g. `bls_aggregate::ENotEnoughStake`. */
  readonly abort: string;

  constructor(abort: string, message: string) {
    super(`${abort}: ${message}`);
    this.abort = abort;
  }
}

export interface Certificate {
  /** Aggregate BLS signature (96 bytes). */
  readonly signature: Uint8Array;
  /** Bit b of byte i (LSB first) set = committee member 8i + b signed. */
  readonly signersBitmap: Uint8Array;
  /** The signed BCS confirmation. */
  readonly message: Uint8Array;
}

/**
 * Verifies a quorum certificate for `epoch` (the committee's epoch, which is always the current
 * one here) and returns the decoded message and the signers' weight.
 */
export function verifyCertificate(committee: Committee, certificate: Certificate, epoch: number): { confirmation: StorageConfirmation; weight: number } {
  const members = committee.members;
  const maxBitmapBytes = Math.ceil(members.length / 8);
  if (certificate.signersBitmap.length > maxBitmapBytes) {
    throw new LedgerAbort('bls_aggregate::EInvalidBitmap', `signers bitmap has ${certificate.signersBitmap.length} bytes, the committee of ${members.length} needs at most ${maxBitmapBytes}`);
  }
  const nonSigners = new Set<number>();
  for (let index = 0; index < maxBitmapBytes * 8; index++) {
    const signed = (((certificate.signersBitmap[index >> 3] ?? 0) >> (index & 7)) & 1) === 1;
    if (index >= members.length) {
      if (signed) throw new LedgerAbort('bls_aggregate::EInvalidBitmap', `bit ${index} is set but the committee has ${members.length} members`);
    } else if (!signed) {
      nonSigners.add(index);
    }
  }
  const weight = committee.nShards - committee.weightOfAll(nonSigners);
  if (!isQuorum(weight, committee.nShards)) {
    throw new LedgerAbort('bls_aggregate::ENotEnoughStake', `signers hold ${weight} of ${committee.nShards} shards; a quorum needs 3·w ≥ 2·${committee.nShards} + 1`);
  }
  const publicKeys = members.map((m) => m.publicKey);
  if (!verifyWithNonSigners(certificate.signature, publicKeys, nonSigners, certificate.message)) {
    throw new LedgerAbort('bls_aggregate::ESigVerification', 'the aggregate signature does not verify against the signers’ keys');
  }
  return { confirmation: confirmationForEpoch(certificate.message, epoch), weight };
}

/**
 * A certificate walrus-local can be told to certify with (`WalrusLocal.setCertificateFault`), so
 * verifiers can be tested against a certification that a real chain would have refused:
 *   too-few-signers  the signers hold less than a quorum of shards (their signature is valid)
 *   wrong-signature  a quorum of signers, but an aggregate signature that does not verify
 */
export type CertificateFault = 'too-few-signers' | 'wrong-signature';

/**
 * What the ledger does instead of `verifyCertificate` while a fault is set: decodes the message and
 * checks its epoch, but not the signers or the signature. Real Sui aborts such a `certify_blob`
 * (ENotEnoughStake, ESigVerification); only walrus-local in this test mode records it.
 */
export function acceptUncheckedCertificate(certificate: Certificate, epoch: number): { confirmation: StorageConfirmation } {
  return { confirmation: confirmationForEpoch(certificate.message, epoch) };
}

/** The signed message decoded, as `certify_blob` checks it after the signature: well-formed, for `epoch`. */
function confirmationForEpoch(message: Uint8Array, epoch: number): StorageConfirmation {
  let confirmation: StorageConfirmation;
  try {
    confirmation = decodeConfirmation(message);
  } catch (error) {
    if (error instanceof ConfirmationMessageError) throw new LedgerAbort(`messages::${error.abort}`, error.message);
    throw error;
  }
  if (confirmation.epoch !== epoch) {
    throw new LedgerAbort('messages::EIncorrectEpoch', `the certificate is for epoch ${confirmation.epoch}, the committee is in epoch ${epoch}`);
  }
  return confirmation;
}
