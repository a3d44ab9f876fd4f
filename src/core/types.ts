// Domain types shared by the service, its ports and the front doors. No wire formats here: the
// doors turn these into bytes, JSON or protobuf.
import type { CommitmentBody } from '../commitment/index.ts';

/** A frame's key everywhere in the system: lowercase hex keccak256, 64 characters, no 0x. */
export type FrameKey = string;

/** What we know once a frame is durably on Walrus and certified on Sui. */
export interface FrameCommitment {
  readonly body: CommitmentBody;
  /** Per-deployment sequence number of the quilt that holds the frame (go-da "height"). */
  readonly height: number;
  /** Walrus epoch in which the quilt was first certified. */
  readonly certifiedEpoch: number;
  /** The quilt is stored until the start of this Walrus epoch (exclusive). */
  readonly endEpoch: number;
  /** When walrus-da issued the commitment (ms since the Unix epoch). */
  readonly committedAtMs: number;
}

/** Life of a frame: queued in Redis → batched into a quilt → stored on Walrus → certified on Sui. */
export type FrameState = 'unknown' | 'queued' | 'batched' | 'stored' | 'certified';

export interface FrameStatus {
  readonly key: FrameKey;
  readonly state: FrameState;
  /** Blob id of the quilt, once the batch is encoded. */
  readonly quiltId?: Uint8Array;
  /** Sui object id of the quilt, once stored. */
  readonly objectId?: Uint8Array;
  readonly endEpoch?: number;
  readonly commitment?: FrameCommitment;
  /** Why the last attempt to store the frame's batch failed, while it is retried. */
  readonly lastError?: string;
}

/** The Walrus epoch and committee size as Sui reports them (StakingInnerV1). */
export interface WalrusEpoch {
  readonly epoch: number;
  /** Shards of the current committee (1000 on mainnet and testnet): fixes quilt layout and blob ids. */
  readonly nShards: number;
  readonly epochDurationMs: number;
  /** Start of epoch 1 (ms since the Unix epoch); later epochs follow every epochDurationMs. */
  readonly firstEpochStartMs: number;
}

/** The fields of a `walrus::blob::Blob` object that availability depends on. */
export interface BlobObject {
  readonly objectId: Uint8Array;
  /** The Move type, e.g. `0xfdc8…ea77::blob::Blob`. */
  readonly type: string;
  readonly blobId: Uint8Array;
  readonly size: number;
  readonly registeredEpoch: number;
  readonly certifiedEpoch: number | null;
  readonly startEpoch: number;
  readonly endEpoch: number;
  readonly storageSize: number;
  readonly deletable: boolean;
}

/** What a successful Walrus store tells us about the quilt. */
export interface StoreReceipt {
  readonly blobId: Uint8Array;
  /** The Blob object, when the publisher created or named it. */
  readonly objectId?: Uint8Array;
  /** For `alreadyCertified`: the certifying event, from which Sui gives the object id. */
  readonly certifiedEvent?: { readonly txDigest: string; readonly eventSeq: string };
  readonly endEpoch: number;
  /** True when Walrus already had this blob certified (a repeated store after a crash). */
  readonly alreadyCertified: boolean;
  /** Storage (encoded) size Walrus reserved, bytes. */
  readonly encodedLength?: number;
  /** Cost reported by the publisher, in FROST (excludes gas). */
  readonly costFrost?: number;
}

export type VerificationStepName = 'decode' | 'data' | 'availability' | 'full' | 'certificate';

export interface VerificationStep {
  readonly step: VerificationStepName;
  readonly ok: boolean;
  /** Why it passed or failed, in words an operator can act on. */
  readonly reason: string;
  /** Facts the step established (blob id, epochs, source of the data…), JSON-safe. */
  readonly facts?: Readonly<Record<string, string | number | boolean | null>>;
}

/** A structured verdict on a commitment: every step with pass/fail and reason. */
export interface VerificationReport {
  readonly ok: boolean;
  readonly full: boolean;
  readonly steps: readonly VerificationStep[];
}

/** One dependency's health (Redis, publisher, aggregator, Sui). */
export interface DependencyHealth {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly latencyMs: number;
}
