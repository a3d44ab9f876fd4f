// The availability rules of docs/architecture.md "Verifying a commitment" step 3, as pure
// functions over what Sui reports, so every path (verifier, batch worker, read path) applies the
// same rules.
//
// A quilt is available while (walrus contracts/walrus/sources/system/blob.move, storage_resource.move):
//   type == <walrus package>::blob::Blob, blob_id == quilt id (u256 LE), certified_epoch is set,
//   deletable == false (a deletable blob can vanish early), and current_epoch < storage.end_epoch.
import { bytesToHex, equalBytes, leBytesToBigInt } from '../bytes/index.ts';
import type { BlobObject, VerificationStep, WalrusEpoch } from './types.ts';

export interface AvailabilityRequirements {
  /** Epochs that must remain before `end_epoch` (0: available now is enough). @default 0 */
  readonly minRemainingEpochs?: number;
}

/** Judges a Blob object against the quilt a commitment names; never throws. */
export function assessBlobObject(
  object: BlobObject | undefined,
  expected: { readonly objectId: Uint8Array; readonly quiltId: Uint8Array },
  blobType: string,
  epoch: WalrusEpoch,
  requirements: AvailabilityRequirements = {},
): VerificationStep {
  const objectId = bytesToHex(expected.objectId);
  if (!object) return fail(`Sui has no object ${objectId}`, { objectId });
  const facts = {
    objectId,
    type: object.type,
    blobIdU256: leU256(object.blobId),
    certifiedEpoch: object.certifiedEpoch,
    endEpoch: object.endEpoch,
    currentEpoch: epoch.epoch,
    deletable: object.deletable,
    remainingEpochs: Math.max(0, object.endEpoch - epoch.epoch),
    availableUntilMs: epochStartMs(epoch, object.endEpoch),
  };
  if (normalizeType(object.type) !== normalizeType(blobType)) {
    return fail(`object ${objectId} has type ${object.type}, not ${blobType}`, facts);
  }
  if (!equalBytes(object.blobId, expected.quiltId)) {
    return fail(`object ${objectId} holds blob ${leU256(object.blobId)}, not the quilt ${leU256(expected.quiltId)} (u256 LE)`, facts);
  }
  if (object.certifiedEpoch === null) return fail(`blob object ${objectId} is registered but not certified`, facts);
  if (object.deletable) return fail(`blob object ${objectId} is deletable, so its availability is not guaranteed`, facts);
  if (epoch.epoch >= object.endEpoch) {
    return fail(`blob expired: current epoch ${epoch.epoch} is not before end epoch ${object.endEpoch}`, facts);
  }
  const minRemaining = requirements.minRemainingEpochs ?? 0;
  if (object.endEpoch - epoch.epoch < minRemaining) {
    return fail(`only ${object.endEpoch - epoch.epoch} epochs remain before end epoch ${object.endEpoch}; at least ${minRemaining} are required`, facts);
  }
  return {
    step: 'availability',
    ok: true,
    reason: `certified in epoch ${object.certifiedEpoch}, permanent, available until epoch ${object.endEpoch} (current ${epoch.epoch})`,
    facts,
  };
}

/**
 * What the Sui object a commitment names says about its quilt, for the read path's verdict
 * (docs/verdicts.md). Only facts that never change once true are final:
 * - `invalid`: the object exists and is not a `<walrus>::blob::Blob` (an object's type never
 *   changes and ids are never reused), or it is a Blob of another quilt (`blob_id` is immutable);
 * - `certified`: it is this quilt's Blob and `certified_epoch` is set (never unset again);
 * - `pending`: no such object (not yet visible, or deleted), or registered but not certified.
 * Expiry and deletability are left to verify-on-read: they say how long the data stays, not
 * what the commitment names.
 */
export type ObjectVerdict =
  | { readonly kind: 'certified'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'pending'; readonly reason: string };

export function judgeBlobObject(
  object: BlobObject | undefined,
  expected: { readonly objectId: Uint8Array; readonly quiltId: Uint8Array },
  blobType: string,
): ObjectVerdict {
  const objectId = bytesToHex(expected.objectId);
  if (!object) return { kind: 'pending', reason: `Sui has no object ${objectId} (yet)` };
  if (normalizeType(object.type) !== normalizeType(blobType)) {
    return { kind: 'invalid', reason: `object ${objectId} has type ${object.type}, not ${blobType}` };
  }
  if (!equalBytes(object.blobId, expected.quiltId)) {
    return { kind: 'invalid', reason: `object ${objectId} is the Blob of ${leU256(object.blobId)}, not of the quilt ${leU256(expected.quiltId)} (u256 LE)` };
  }
  if (object.certifiedEpoch === null) return { kind: 'pending', reason: `blob object ${objectId} is registered but not certified yet` };
  return { kind: 'certified', reason: `blob object ${objectId} of the quilt was certified in epoch ${object.certifiedEpoch}` };
}

/**
 * Walrus's `max_epochs_ahead` on mainnet and testnet: storage can be bought at most this many epochs
 * ahead (`reserve_space` asserts it, MystenLabs/walrus@18b3d15e6b4f68f421c9d58cc462e932f30a3800
 * contracts/walrus/sources/system/system_state_inner.move; the value is a deployment parameter).
 */
export const MAX_EPOCHS_AHEAD = 53;

/**
 * How many epochs to ask Walrus for so the quilt outlives `windowMs` from now: `epochs = 1` means
 * "until the end of the current epoch", which may be almost over, hence the +1 (docs/wire/walrus.md
 * "Availability on Sui").
 */
export function epochsForWindow(windowMs: number, epochDurationMs: number, maxEpochsAhead: number): number {
  const epochs = Math.ceil(windowMs / epochDurationMs) + 1;
  if (!Number.isFinite(epochs) || epochs > maxEpochsAhead) {
    throw new RangeError(
      `an availability window of ${windowMs} ms needs ${epochs} epochs of ${epochDurationMs} ms, more than Walrus's maximum of ${maxEpochsAhead} epochs ahead`,
    );
  }
  return Math.max(1, epochs);
}

/** Wall-clock start of `epoch` (epoch 1 starts at firstEpochStartMs). */
export function epochStartMs(walrus: WalrusEpoch, epoch: number): number {
  return walrus.firstEpochStartMs + (epoch - 1) * walrus.epochDurationMs;
}

function fail(reason: string, facts: VerificationStep['facts']): VerificationStep {
  return { step: 'availability', ok: false, reason, ...(facts ? { facts } : {}) };
}

/** `0x2::foo::Bar` and `0x000…002::foo::Bar` name the same type. */
export function normalizeType(type: string): string {
  return type.replace(/^0x([0-9a-fA-F]{1,64})(?=::)/, (_, hex: string) => `0x${hex.toLowerCase().padStart(64, '0')}`);
}

function leU256(bytes: Uint8Array): string {
  return leBytesToBigInt(bytes).toString();
}

