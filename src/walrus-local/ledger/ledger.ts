// The local "chain": Walrus Blob objects, their BlobRegistered/BlobCertified events, the
// transactions that wrote them and the Walrus epoch, persisted under the data directory
// (ledger.json, rewritten atomically after every change). `registerBlob` and `certifyBlob` apply
// the checks of walrus contracts/walrus/sources/system/system.move `register_blob` and
// `certify_blob`; a failed check throws `LedgerAbort` and changes nothing.
import { join } from 'node:path';
import { bcs } from '@mysten/bcs';
import { blobIdFromRootHash, blobIdFromText, blobIdToText, blobIdToU256, encodedBlobLength, storageAccounting } from '../../walrus/codec/index.ts';
import { equalBytes } from '../../bytes/index.ts';
import type { Committee } from '../committee.ts';
import { EpochClock, type EpochClockState, type Now } from '../epoch-clock.ts';
import type { LocalNetwork } from '../genesis.ts';
import { deriveAddress, deriveDigest } from '../ids.ts';
import { readJsonFile, StateWriter } from '../state-file.ts';
import { blobStatus } from './blob-status.ts';
import { LedgerAbort, acceptUncheckedCertificate, verifyCertificate, type Certificate, type CertificateFault } from './certificate.ts';
import type { BlobObject, BlobStatus, EventFields, EventId, LedgerEvent, LedgerTransaction, PureInput, WalrusEventType } from './types.ts';

const LEDGER_FILE = 'ledger.json';
const LEDGER_VERSION = 1;
/** Illustrative prices in FROST per 1 MiB storage unit (per epoch for storage), like a testnet. */
export const STORAGE_PRICE_PER_UNIT = 100_000;
export const WRITE_PRICE_PER_UNIT = 20_000;

interface LedgerFile {
  readonly version: number;
  readonly clock: EpochClockState;
  readonly nextObject: number;
  readonly blobs: readonly BlobObject[];
  readonly events: readonly LedgerEvent[];
  readonly transactions: readonly LedgerTransaction[];
}

export interface LedgerOptions {
  readonly epochDurationMs: number;
  /** `max_epochs_ahead` of the system object. */
  readonly maxEpochsAhead: number;
  readonly now?: Now;
}

export interface RegisterBlobInput {
  readonly blobId: Uint8Array;
  readonly rootHash: Uint8Array;
  readonly size: number;
  readonly epochsAhead: number;
  readonly deletable: boolean;
  readonly owner: string;
}

export class Ledger {
  readonly network: LocalNetwork;
  readonly maxEpochsAhead: number;
  readonly #clock: EpochClock;
  readonly #writer: StateWriter;
  readonly #blobs = new Map<string, BlobObject>();
  readonly #byBlobId = new Map<string, string[]>();
  readonly #events: LedgerEvent[];
  readonly #transactions = new Map<string, LedgerTransaction>();
  #nextObject: number;
  /**
   * Test mode: while set, the publisher certifies with this kind of bad certificate and
   * `certifyBlob` records it unchecked (real Sui would abort). Not persisted.
   */
  certificateFault: CertificateFault | undefined;

  private constructor(network: LocalNetwork, dataDir: string, file: LedgerFile | undefined, options: LedgerOptions) {
    this.network = network;
    this.maxEpochsAhead = options.maxEpochsAhead;
    this.#clock = new EpochClock(options.epochDurationMs, file?.clock, options.now);
    this.#nextObject = file?.nextObject ?? 0;
    this.#events = [...(file?.events ?? [])];
    for (const blob of file?.blobs ?? []) this.#index(blob);
    for (const tx of file?.transactions ?? []) this.#transactions.set(tx.digest, tx);
    this.#writer = new StateWriter(join(dataDir, LEDGER_FILE), () => this.#serialize());
  }

  static async open(network: LocalNetwork, dataDir: string, options: LedgerOptions): Promise<Ledger> {
    const file = await readJsonFile<LedgerFile>(join(dataDir, LEDGER_FILE));
    if (file && file.version !== LEDGER_VERSION) throw new Error(`${LEDGER_FILE} has version ${file.version}; expected ${LEDGER_VERSION}`);
    const ledger = new Ledger(network, dataDir, file, options);
    await ledger.#writer.save(); // records a re-anchored clock at once
    return ledger;
  }

  get committee(): Committee {
    return this.network.committee;
  }

  get clock(): EpochClock {
    return this.#clock;
  }

  currentEpoch(): number {
    return this.#clock.current();
  }

  async advanceEpochs(count: number): Promise<void> {
    this.#clock.advance(count);
    await this.#writer.save();
  }

  /** `system::reserve_space` + `system::register_blob`: a new, uncertified Blob object. */
  async registerBlob(input: RegisterBlobInput): Promise<BlobObject> {
    const epoch = this.currentEpoch();
    if (!Number.isInteger(input.epochsAhead) || input.epochsAhead < 1 || input.epochsAhead > this.maxEpochsAhead) {
      throw new LedgerAbort('system_state_inner::EInvalidEpochsAhead', `epochs ahead must be in [1, ${this.maxEpochsAhead}], got ${input.epochsAhead}`);
    }
    if (!equalBytes(blobIdFromRootHash(input.rootHash, input.size), input.blobId)) {
      throw new LedgerAbort('blob::EInvalidBlobId', `blob id ${blobIdToText(input.blobId)} does not derive from the given root hash and size`);
    }
    const tx = this.#newTransaction('register_blob', epoch);
    const objectId = deriveAddress(this.network.seed, 'object', this.#nextObject++);
    const storageId = deriveAddress(this.network.seed, 'object', this.#nextObject++);
    const blobIdText = blobIdToText(input.blobId);
    const endEpoch = epoch + input.epochsAhead;
    const registeredEvent = this.#emit(tx, 0, 'BlobRegistered', {
      epoch,
      blob_id: blobIdToU256(input.blobId).toString(),
      size: String(input.size),
      encoding_type: 1,
      end_epoch: endEpoch,
      deletable: input.deletable,
      object_id: objectId,
    });
    const blob: BlobObject = {
      objectId,
      blobId: blobIdText,
      registeredEpoch: epoch,
      size: input.size,
      rootHash: Buffer.from(input.rootHash).toString('hex'),
      certifiedEpoch: null,
      storage: { id: storageId, startEpoch: epoch, endEpoch, storageSize: encodedBlobLength(input.size, this.committee.nShards) },
      deletable: input.deletable,
      owner: input.owner,
      version: tx.sequence + 1,
      previousTransaction: tx.digest,
      registeredEvent,
      certifiedEvent: null,
    };
    this.#index(blob);
    this.#transactions.set(tx.digest, {
      ...tx,
      objects: [this.network.genesis.systemObjectId],
      inputs: [
        pure('u256', bcs.u256().serialize(blobIdToU256(input.blobId)).toBytes()),
        pure('u256', bcs.u256().serialize(blobIdToU256(input.rootHash)).toBytes()),
        pure('u64', bcs.u64().serialize(input.size).toBytes()),
        pure('u8', Uint8Array.of(1)),
        pure('bool', bcs.bool().serialize(input.deletable).toBytes()),
      ],
      created: [objectId],
    });
    await this.#writer.save();
    return blob;
  }

  /** `system::certify_blob`: checks the certificate, then sets `certified_epoch`. */
  async certifyBlob(objectId: string, certificate: Certificate): Promise<BlobObject> {
    const epoch = this.currentEpoch();
    const { confirmation } = this.certificateFault ? acceptUncheckedCertificate(certificate, epoch) : verifyCertificate(this.committee, certificate, epoch);
    const blob = this.#blobs.get(objectId);
    if (!blob) throw new LedgerAbort('ObjectNotFound', `no Blob object ${objectId}`);
    if (blobIdToText(confirmation.blobId) !== blob.blobId) {
      throw new LedgerAbort('blob::EInvalidBlobId', `the certificate is for blob ${blobIdToText(confirmation.blobId)}, the object holds ${blob.blobId}`);
    }
    if (blob.certifiedEpoch !== null) throw new LedgerAbort('blob::EAlreadyCertified', `object ${objectId} was certified in epoch ${blob.certifiedEpoch}`);
    if (epoch >= blob.storage.endEpoch) throw new LedgerAbort('blob::EResourceBounds', `storage ended at epoch ${blob.storage.endEpoch}; the current epoch is ${epoch}`);
    if ((confirmation.persistence.type === 'deletable') !== blob.deletable) {
      throw new LedgerAbort('blob::EInvalidBlobPersistenceType', `a ${confirmation.persistence.type} certificate cannot certify a ${blob.deletable ? 'deletable' : 'permanent'} blob`);
    }
    if (confirmation.persistence.type === 'deletable' && confirmation.persistence.objectId !== objectId) {
      throw new LedgerAbort('blob::EInvalidBlobObject', `the certificate names object ${confirmation.persistence.objectId}`);
    }
    const tx = this.#newTransaction('certify_blob', epoch);
    const certifiedEvent = this.#emit(tx, 0, 'BlobCertified', {
      epoch,
      blob_id: blobIdToU256(blobIdFromText(blob.blobId)).toString(),
      end_epoch: blob.storage.endEpoch,
      deletable: blob.deletable,
      object_id: objectId,
      is_extension: false,
    });
    const certified: BlobObject = { ...blob, certifiedEpoch: epoch, certifiedEvent, version: tx.sequence + 1, previousTransaction: tx.digest };
    this.#blobs.set(objectId, certified);
    this.#transactions.set(tx.digest, {
      ...tx,
      objects: [this.network.genesis.systemObjectId, objectId],
      inputs: [
        pure('vector<u8>', bcs.byteVector().serialize(certificate.signature).toBytes()),
        pure('vector<u8>', bcs.byteVector().serialize(certificate.signersBitmap).toBytes()),
        pure('vector<u8>', bcs.byteVector().serialize(certificate.message).toBytes()),
      ],
      mutated: [objectId],
    });
    await this.#writer.save();
    return certified;
  }

  /** The cost in FROST of storing `size` bytes for `epochs` epochs (excluding gas). */
  storageCost(size: number, epochs: number): number {
    const units = storageAccounting(size, this.committee.nShards).storageUnits;
    return units * STORAGE_PRICE_PER_UNIT * epochs + units * WRITE_PRICE_PER_UNIT;
  }

  blobObject(objectId: string): BlobObject | undefined {
    return this.#blobs.get(objectId);
  }

  /** Every Blob object ever registered. */
  allBlobObjects(): readonly BlobObject[] {
    return [...this.#blobs.values()];
  }

  blobObjects(blobIdText: string): BlobObject[] {
    return (this.#byBlobId.get(blobIdText) ?? []).flatMap((id) => this.#blobs.get(id) ?? []);
  }

  blobStatus(blobIdText: string): BlobStatus {
    return blobStatus(this.blobObjects(blobIdText), this.currentEpoch());
  }

  /** A certified Blob object for the id that has not expired, if any: what makes a blob readable. */
  availableBlob(blobIdText: string): BlobObject | undefined {
    const epoch = this.currentEpoch();
    return this.blobObjects(blobIdText).find((b) => b.certifiedEpoch !== null && epoch < b.storage.endEpoch);
  }

  transaction(digest: string): LedgerTransaction | undefined {
    return this.#transactions.get(digest);
  }

  /** Every event in emission order. */
  events(): readonly LedgerEvent[] {
    return this.#events;
  }

  transactionCount(): number {
    return this.#transactions.size;
  }

  async close(): Promise<void> {
    await this.#writer.flush();
  }

  #newTransaction(fn: LedgerTransaction['function'], epoch: number): LedgerTransaction {
    const sequence = this.#transactions.size;
    return {
      digest: deriveDigest(this.network.seed, 'tx', sequence),
      sequence,
      timestampMs: Date.now(),
      epoch,
      function: fn,
      objects: [],
      inputs: [],
      created: [],
      mutated: [],
    };
  }

  #emit(tx: LedgerTransaction, eventSeq: number, type: WalrusEventType, fields: EventFields): EventId {
    const id = { txDigest: tx.digest, eventSeq: String(eventSeq) };
    this.#events.push({ id, type, timestampMs: tx.timestampMs, fields });
    return id;
  }

  #index(blob: BlobObject): void {
    this.#blobs.set(blob.objectId, blob);
    const ids = this.#byBlobId.get(blob.blobId) ?? [];
    if (!ids.includes(blob.objectId)) ids.push(blob.objectId);
    this.#byBlobId.set(blob.blobId, ids);
  }

  #serialize(): string {
    const file: LedgerFile = {
      version: LEDGER_VERSION,
      clock: this.#clock.state,
      nextObject: this.#nextObject,
      blobs: [...this.#blobs.values()],
      events: this.#events,
      transactions: [...this.#transactions.values()],
    };
    return JSON.stringify(file);
  }
}

function pure(valueType: string, bytes: Uint8Array): PureInput {
  return { valueType, bcs: Buffer.from(bytes).toString('base64') };
}
