// The local chain's records: Walrus Blob objects, their events and the transactions that made
// them, kept as plain JSON so the ledger file stays readable (u64/u256 values are decimal strings
// exactly where Sui JSON has them).

/** `sui_types::event::EventID`, serialized as Sui prints it. */
export interface EventId {
  readonly txDigest: string;
  readonly eventSeq: string;
}

/** One `walrus::blob::Blob` object (contracts/walrus/sources/system/blob.move). */
export interface BlobObject {
  readonly objectId: string;
  /** Text form (base64url) of the blob id. */
  readonly blobId: string;
  readonly registeredEpoch: number;
  /** Unencoded size in bytes. */
  readonly size: number;
  readonly rootHash: string;
  readonly certifiedEpoch: number | null;
  readonly storage: {
    readonly id: string;
    readonly startEpoch: number;
    /** Exclusive: the blob is available while current epoch < endEpoch. */
    readonly endEpoch: number;
    readonly storageSize: number;
  };
  readonly deletable: boolean;
  readonly owner: string;
  /** Sui object version, bumped by every transaction that writes the object. */
  readonly version: number;
  readonly previousTransaction: string;
  readonly registeredEvent: EventId;
  readonly certifiedEvent: EventId | null;
}

export type WalrusEventType = 'BlobRegistered' | 'BlobCertified';

/** Fields of `walrus::events::BlobRegistered` / `BlobCertified` in Sui JSON. */
export type EventFields = Readonly<Record<string, string | number | boolean>>;

export interface LedgerEvent {
  readonly id: EventId;
  readonly type: WalrusEventType;
  readonly timestampMs: number;
  readonly fields: EventFields;
}

/** A pure argument of a transaction, as Sui JSON-RPC lists inputs. */
export interface PureInput {
  readonly valueType: string;
  /** Base64 of the BCS bytes. */
  readonly bcs: string;
}

export interface LedgerTransaction {
  readonly digest: string;
  /** Sequence number, used as the checkpoint too (one transaction per checkpoint). */
  readonly sequence: number;
  readonly timestampMs: number;
  readonly epoch: number;
  readonly function: 'register_blob' | 'certify_blob';
  readonly objects: readonly string[];
  readonly inputs: readonly PureInput[];
  readonly created: readonly string[];
  readonly mutated: readonly string[];
}

/** Storage-node `BlobStatus` JSON (walrus crates/walrus-storage-node-client/src/api.rs). */
export type BlobStatus =
  | 'nonexistent'
  | {
      readonly permanent: {
        readonly endEpoch: number;
        readonly isCertified: boolean;
        readonly statusEvent: EventId;
        readonly deletableCounts: { readonly count_deletable_total: number; readonly count_deletable_certified: number };
        readonly initialCertifiedEpoch: number | null;
      };
    }
  | {
      readonly deletable: {
        readonly initialCertifiedEpoch: number | null;
        readonly deletableCounts: { readonly count_deletable_total: number; readonly count_deletable_certified: number };
      };
    };
