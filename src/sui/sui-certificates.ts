// CertificateSource over @mysten/sui's core API (docs/certificate.md): where the certificate of a
// quilt's Blob object and the committee that signed it are read on Sui.
//
//   Blob object ──previousTransaction──▶ the transaction that last wrote it; for a quilt this is the
//                                        `certify_blob` call (nothing mutates a permanent quilt after)
//     events:   <walrus>::events::BlobCertified { epoch, blob_id, end_epoch, deletable, object_id,
//               is_extension }, the one naming our object with is_extension = false
//     commands: MoveCall <walrus>::system::certify_blob(system, blob, signature: vector<u8>,
//               signers_bitmap: vector<u8>, message: vector<u8>); arguments 2..4 are Pure inputs
//               (MystenLabs/walrus @ 3c1cacc11c9292ed498f01f798cf790f02ea5062
//               contracts/walrus/sources/system.move `certify_blob`)
//   System object ──dynamic field `version`──▶ SystemStateInnerV1, whose first field is the
//               BlsCommittee of the CURRENT epoch (system/system_state_inner.move,
//               system/bls_aggregate.move). Sui keeps no older BlsCommittee, so a certificate of an
//               earlier epoch cannot be checked from Sui alone.
import { bcs } from '@mysten/sui/bcs';
import type { ClientWithCoreApi, SuiClientTypes } from '@mysten/sui/client';
import { fromBase64, normalizeStructTag, normalizeSuiAddress } from '@mysten/sui/utils';
import { bytesToHex } from '../bytes/index.ts';
import { type BlobCertification, type CallOptions, type CertificateSource, type SigningCommittee } from '../core/index.ts';
import { innerStateBcs, parseBcs, sui, suiObject, walrusPackage } from './sui-reads.ts';
import { BlobCertifiedBcs, SystemInnerCommitteeBcs } from './walrus-move-types.ts';

export interface SuiCertificatesOptions {
  readonly client: ClientWithCoreApi;
  /** Walrus `System` shared object: its inner state holds the current BlsCommittee. */
  readonly systemObjectId: string;
}

/** Argument positions of `system::certify_blob(self, blob, signature, signers_bitmap, message)`. */
const BLOB_ARG = 1;
const SIGNATURE_ARG = 2;
const BITMAP_ARG = 3;
const MESSAGE_ARG = 4;

type Missing = { readonly missing: string };

export class SuiCertificates implements CertificateSource {
  readonly #o: SuiCertificatesOptions;
  #package: Promise<string> | undefined;

  constructor(options: SuiCertificatesOptions) {
    this.#o = options;
  }

  async certification(objectId: Uint8Array, options: CallOptions = {}): Promise<BlobCertification | Missing> {
    const id = bytesToHex(objectId);
    const signal = options.signal ? { signal: options.signal } : {};
    const object = await suiObject(this.#o.client, id, { previousTransaction: true }, options);
    if (!object) return { missing: `Sui has no object ${id}` };
    const digest = object.previousTransaction;
    if (!digest) return { missing: `Sui does not name the transaction that last wrote object ${id}` };
    const result = await sui('transaction read', () => this.#o.client.core.getTransaction({ digest, include: { transaction: true, events: true }, ...signal }));
    if (result.$kind !== 'Transaction') return { missing: `the last transaction of object ${id}, ${digest}, failed` };
    const tx = result.Transaction;
    const wanted = normalizeSuiAddress(id);
    // Only Walrus's own event counts: its type names the package that defined System (and Blob).
    const certifiedType = normalizeStructTag(`${await this.#walrusPackage(options)}::events::BlobCertified`);
    let epoch: number | undefined;
    for (const event of tx.events ?? []) {
      if (normalizeStructTag(event.eventType) !== certifiedType) continue;
      const certified = parseBcs(() => BlobCertifiedBcs.parse(event.bcs), `BlobCertified event in ${digest}`);
      if (normalizeSuiAddress(certified.object_id) === wanted && !certified.is_extension) epoch = certified.epoch;
    }
    if (epoch === undefined) {
      return { missing: `the last transaction of object ${id}, ${digest}, emitted no BlobCertified event for it (the object was written after its certification, or never certified)` };
    }
    const data = tx.transaction;
    if (!data) return { missing: `Sui did not return the inputs of transaction ${digest}` };
    // Several blobs may be certified in one transaction: take the call whose Blob argument is ours.
    const calls = certifyCalls(data).filter((call) => call.blobObjectId === undefined || call.blobObjectId === wanted);
    const call = calls[0];
    if (!call) return { missing: `transaction ${digest} emitted BlobCertified for ${id} but has no certify_blob call with pure arguments for it` };
    // Any package may name a function system::certify_blob taking a Blob; do not guess which one ran.
    if (calls.length > 1) return { missing: `transaction ${digest} has ${calls.length} certify_blob calls that may certify ${id}` };
    return { txDigest: digest, epoch, ...call.certificate };
  }

  #walrusPackage(options: CallOptions): Promise<string> {
    this.#package ??= walrusPackage(this.#o.client, this.#o.systemObjectId, options);
    this.#package.catch(() => (this.#package = undefined));
    return this.#package;
  }

  async committee(epoch: number, options: CallOptions = {}): Promise<SigningCommittee | Missing> {
    const innerBcs = await innerStateBcs(this.#o.client, this.#o.systemObjectId, 'Walrus system', options);
    const { committee } = parseBcs(() => SystemInnerCommitteeBcs.parse(innerBcs), 'Walrus system inner state');
    if (committee.epoch !== epoch) {
      return { missing: `Sui holds only the committee of the current epoch ${committee.epoch}, whose keys and shards may differ from epoch ${epoch}'s` };
    }
    return {
      epoch: committee.epoch,
      nShards: committee.n_shards,
      members: committee.members.map((m) => ({ nodeId: normalizeSuiAddress(m.node_id), publicKey: m.public_key.bytes, weight: m.weight })),
    };
  }
}

type TransactionData = SuiClientTypes.TransactionData;

interface CertifyCall {
  /** The Blob object argument, when the input names it directly. */
  readonly blobObjectId: string | undefined;
  readonly certificate: Pick<BlobCertification, 'signature' | 'signersBitmap' | 'message'>;
}

/** Every `<pkg>::system::certify_blob` MoveCall whose three certificate arguments are Pure inputs. */
function certifyCalls(data: TransactionData): CertifyCall[] {
  type Argument = { readonly Input?: unknown };
  const inputOf = (argument: Argument | undefined) => (argument && typeof argument.Input === 'number' ? data.inputs[argument.Input] : undefined);
  const pure = (argument: Argument | undefined): Uint8Array | undefined => {
    const input = inputOf(argument);
    if (!input || !('Pure' in input) || !input.Pure) return undefined;
    try {
      return bcs.byteVector().parse(fromBase64(input.Pure.bytes));
    } catch {
      return undefined;
    }
  };
  const objectId = (argument: Argument | undefined): string | undefined => {
    const input = inputOf(argument);
    if (!input || !('Object' in input) || !input.Object) return undefined;
    const object = input.Object;
    const id = 'ImmOrOwnedObject' in object ? object.ImmOrOwnedObject?.objectId : 'SharedObject' in object ? object.SharedObject?.objectId : undefined;
    return id === undefined ? undefined : normalizeSuiAddress(id);
  };
  const out: CertifyCall[] = [];
  for (const command of data.commands) {
    if (!('MoveCall' in command) || !command.MoveCall) continue;
    const call = command.MoveCall;
    if (call.module !== 'system' || call.function !== 'certify_blob') continue;
    const args = call.arguments as readonly Argument[];
    const [signature, signersBitmap, message] = [pure(args[SIGNATURE_ARG]), pure(args[BITMAP_ARG]), pure(args[MESSAGE_ARG])];
    if (signature && signersBitmap && message) out.push({ blobObjectId: objectId(args[BLOB_ARG]), certificate: { signature, signersBitmap, message } });
  }
  return out;
}
