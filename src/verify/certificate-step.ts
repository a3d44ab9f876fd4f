// The `certificate` step (docs/certificate.md): re-checks, off chain, the quorum certificate that
// `certify_blob` accepted for the quilt's Blob object, against the committee Sui holds for the
// certification epoch. The rules are those of MystenLabs/walrus @
// 3c1cacc11c9292ed498f01f798cf790f02ea5062 contracts/walrus/sources/system/bls_aggregate.move
// `verify_certificate_and_weight` and system/messages.move, stricter in one place: the message must
// be exactly the 40-byte permanent confirmation (Move ignores trailing bytes; nodes sign none).
//
// Confirmation message (BCS `ProtocolMessage<StorageConfirmation>`):
//
//   [0] 01 intent BLOB_CERT_MSG  [1] 00 intent version  [2] 03 app id STORAGE
//   [3..7)  epoch u32 LE         [7..39) blob id (32 bytes, the u256 little-endian)
//   [39] 00 BlobPersistenceType::Permanent                                        = 40 bytes
//
// Signers: a bitmap over the committee's members, bit b of byte i (LSB first) = member 8i + b;
// at most ⌈members / 8⌉ bytes, no bit set at or beyond the member count. Quorum: the signers'
// shard weight w satisfies 3·w ≥ 2·n_shards + 1. Signature: BLS12-381 min-pk (48/96-byte G1 keys,
// 96-byte G2 signatures, hash to G2 with BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_, which is
// @noble/curves' `longSignatures` default) of the message under the sum of the signers' keys.
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { bytesToBareHex, equalBytes } from '../bytes/index.ts';
import type { CommitmentBody } from '../commitment/index.ts';
import { DaError, type BlobCertification, type CallOptions, type CertificateSource, type SigningCommittee, type VerificationStep } from '../core/index.ts';
import { blobIdToText } from '../walrus/codec/index.ts';

export const CONFIRMATION_LENGTH = 40;

/** The permanent storage confirmation every node signs for `blobId` in `epoch`. */
export function permanentConfirmation(epoch: number, blobId: Uint8Array): Uint8Array {
  if (blobId.length !== 32) throw new RangeError(`a blob id has 32 bytes, got ${blobId.length}`);
  const out = new Uint8Array(CONFIRMATION_LENGTH);
  out.set([1, 0, 3], 0);
  new DataView(out.buffer).setUint32(3, epoch, true);
  out.set(blobId, 7);
  out[39] = 0;
  return out;
}

/** The signers named by a bitmap, or why `bls_aggregate` would refuse it (`EInvalidBitmap`). */
export function signersFromBitmap(bitmap: Uint8Array, members: number): { readonly signers: number[] } | { readonly invalid: string } {
  const maxBytes = Math.ceil(members / 8);
  if (bitmap.length > maxBytes) return { invalid: `the signers bitmap has ${bitmap.length} bytes; a committee of ${members} needs at most ${maxBytes}` };
  const signers: number[] = [];
  for (let index = 0; index < bitmap.length * 8; index++) {
    if ((((bitmap[index >> 3] ?? 0) >> (index & 7)) & 1) === 0) continue;
    if (index >= members) return { invalid: `the signers bitmap sets bit ${index}, but the committee has ${members} members` };
    signers.push(index);
  }
  return { signers };
}

export function isQuorum(weight: number, nShards: number): boolean {
  return 3 * weight >= 2 * nShards + 1;
}

/** The least shard weight that is a quorum of `nShards`. */
export function quorumWeight(nShards: number): number {
  return Math.ceil((2 * nShards + 1) / 3);
}

/**
 * One min-pk verification of an aggregate signature under the sum of the signers' public keys
 * (compressed 48-byte or uncompressed 96-byte G1). Malformed points verify as false.
 */
export function verifyAggregateSignature(signature: Uint8Array, publicKeys: readonly Uint8Array[], message: Uint8Array): boolean {
  if (publicKeys.length === 0) return false;
  const scheme = bls12_381.longSignatures;
  try {
    const key = scheme.aggregatePublicKeys(publicKeys.map((k) => bls12_381.G1.Point.fromBytes(k)));
    return scheme.verify(scheme.Signature.fromBytes(signature), scheme.hash(message), key);
  } catch {
    return false;
  }
}

/** Judges a certification against its committee; pure, so it is tested without Sui. */
export function judgeCertificate(body: CommitmentBody, certification: BlobCertification, committee: SigningCommittee): VerificationStep {
  const quiltId = blobIdToText(body.quiltId);
  const base = { quiltId, txDigest: certification.txDigest, epoch: certification.epoch, nShards: committee.nShards, members: committee.members.length };
  const fail = (reason: string, facts: Record<string, string | number> = {}): VerificationStep => ({ step: 'certificate', ok: false, reason, facts: { ...base, ...facts } });
  const expected = permanentConfirmation(certification.epoch, body.quiltId);
  if (!equalBytes(certification.message, expected)) {
    return fail(`transaction ${certification.txDigest} certified message 0x${bytesToBareHex(certification.message)}, not the permanent confirmation of quilt ${quiltId} in epoch ${certification.epoch} (0x${bytesToBareHex(expected)})`);
  }
  const decoded = signersFromBitmap(certification.signersBitmap, committee.members.length);
  if ('invalid' in decoded) return fail(decoded.invalid);
  const weight = decoded.signers.reduce((sum, i) => sum + (committee.members[i]?.weight ?? 0), 0);
  const signed = { signers: decoded.signers.length, weight, quorumWeight: quorumWeight(committee.nShards) };
  if (!isQuorum(weight, committee.nShards)) {
    return fail(
      `too few signers: ${decoded.signers.length} of ${committee.members.length} members hold ${weight} of ${committee.nShards} shards; a quorum needs 3·w ≥ 2·${committee.nShards} + 1, i.e. ${signed.quorumWeight} shards`,
      signed,
    );
  }
  const keys = decoded.signers.map((i) => committee.members[i]?.publicKey ?? new Uint8Array());
  if (!verifyAggregateSignature(certification.signature, keys, certification.message)) {
    return fail(`wrong signature: the ${certification.signature.length}-byte aggregate signature does not verify (BLS12-381 min-pk) against the ${keys.length} signers' keys of epoch ${committee.epoch}`, signed);
  }
  return {
    step: 'certificate',
    ok: true,
    reason: `${decoded.signers.length} of ${committee.members.length} members of epoch ${committee.epoch}, holding ${weight} of ${committee.nShards} shards (quorum ${signed.quorumWeight}), signed the permanent confirmation of quilt ${quiltId}; transaction ${certification.txDigest}`,
    facts: { ...base, ...signed },
  };
}

/** The step: reads the certification and the committee through the port, then judges. */
export async function certificateStep(body: CommitmentBody, source: CertificateSource, options: CallOptions = {}): Promise<VerificationStep> {
  const quiltId = blobIdToText(body.quiltId);
  try {
    const certification = await source.certification(body.objectId, options);
    if ('missing' in certification) return { step: 'certificate', ok: false, reason: `cannot check: ${certification.missing}`, facts: { quiltId, checked: false } };
    const committee = await source.committee(certification.epoch, options);
    if ('missing' in committee) {
      return {
        step: 'certificate',
        ok: false,
        reason: `cannot check: committee of epoch ${certification.epoch} not readable: ${committee.missing}`,
        facts: { quiltId, txDigest: certification.txDigest, epoch: certification.epoch, checked: false },
      };
    }
    return judgeCertificate(body, certification, committee);
  } catch (error) {
    return {
      step: 'certificate',
      ok: false,
      reason: `cannot read Sui: ${error instanceof DaError ? error.details : error instanceof Error ? error.message : String(error)}`,
      facts: { quiltId, checked: false, error: error instanceof DaError ? error.code : 'INTERNAL' },
    };
  }
}
