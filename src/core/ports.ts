// The ports of the core, named by role. Adapters implement them with a technology (BullMQ,
// Redis, the Walrus publisher/aggregator, @mysten/sui) and are wired in src/cli only. Every
// method may throw a DaError; adapters translate their library's failures (ECONNREFUSED →
// UnavailableError, HTTP 404 → NotFoundError, …) so the core never sees a wire error.
import type { CommitmentBody, QuiltPatchId } from '../commitment/index.ts';
import type {
  BlobObject,
  DependencyHealth,
  FrameCommitment,
  FrameKey,
  FrameStatus,
  StoreReceipt,
  VerificationReport,
  VerificationStep,
  WalrusEpoch,
} from './types.ts';

export interface CallOptions {
  readonly signal?: AbortSignal;
  /** The chain the call acts for, as the door authenticated it (ChainDirectory). @default DEFAULT_CHAIN */
  readonly chain?: string;
}

/** Frames waiting to be batched into quilts (Redis + BullMQ). Shared by every replica. */
export interface FrameQueue {
  /**
   * Durably queues a frame under its key. Idempotent: a frame that is already queued, in a batch
   * or committed is not queued again, so concurrent duplicate puts collapse into one.
   */
  enqueue(key: FrameKey, frame: Uint8Array, options?: CallOptions): Promise<void>;
  /** Resolves when the frame's batch is certified; rejects with a DaError if it fails for good. */
  waitForCommitment(key: FrameKey, options?: CallOptions): Promise<FrameCommitment>;
  /** Where a not-yet-committed frame is, or undefined if the queue does not know it. */
  status(key: FrameKey, options?: CallOptions): Promise<FrameStatus | undefined>;
}

/** A batch of committed frames, addressed by its height (go-da's GetIds). */
export interface CommittedBatch {
  readonly height: number;
  readonly quiltId: Uint8Array;
  readonly keys: readonly FrameKey[];
  readonly committedAtMs: number;
}

/** The durable record of issued commitments (frame key → commitment, height → batch). */
export interface CommitmentStore {
  get(key: FrameKey, options?: CallOptions): Promise<FrameCommitment | undefined>;
  /** The batch committed at `height`, or undefined if there is none (yet). */
  batch(height: number, options?: CallOptions): Promise<CommittedBatch | undefined>;
  /** The highest height committed so far (0 before the first batch). */
  latestHeight(options?: CallOptions): Promise<number>;
}

/** Fast local copies of frames, for reads right after a put (Orbit's correctness check). */
export interface FrameCache {
  get(key: FrameKey, options?: CallOptions): Promise<Uint8Array | undefined>;
  put(key: FrameKey, frame: Uint8Array, options?: CallOptions): Promise<void>;
}

/** A quilt patch as an aggregator serves it. */
export interface FetchedPatch {
  readonly identifier: string;
  readonly data: Uint8Array;
  /** Which source answered (an aggregator URL and route), for reports and logs. */
  readonly source: string;
}

export interface PatchReadOptions extends CallOptions {
  /** Sources are tried in order until one returns data this accepts (e.g. the right keccak). */
  readonly accept: (data: Uint8Array) => boolean;
}

/** Walrus: stores quilts, reads patches and blobs back (publisher + aggregators). */
export interface BlobStore {
  /**
   * Stores `quilt` permanently for `epochs` epochs; idempotent since blob ids are content-derived.
   * With `expectedBlobId`, an answer naming another blob is an IntegrityError; without it (the
   * batch worker computes its own id concurrently with the store) the caller compares.
   */
  store(quilt: Uint8Array, options: CallOptions & { readonly epochs: number; readonly expectedBlobId?: Uint8Array }): Promise<StoreReceipt>;
  /** Reads one patch, by QuiltPatchId from aggregators, falling back to the whole quilt. */
  readQuiltPatch(id: QuiltPatchId, options: PatchReadOptions): Promise<FetchedPatch>;
  /** Reads a whole blob (for full verification). */
  readBlob(blobId: Uint8Array, options?: CallOptions): Promise<Uint8Array>;
}

/**
 * What the storage nodes' authenticated content holds at a patch's columns. Both answers are
 * proofs: the blob's metadata verified against the quilt id and every symbol read verified
 * against that metadata (docs/architecture.md "Verdicts").
 */
export type NodePatchRead =
  | { readonly kind: 'patch'; readonly identifier: string; readonly data: Uint8Array; readonly source: string }
  /** The verified columns hold no patch: beyond the quilt's columns, or they do not decode as a patch start. */
  | { readonly kind: 'no-patch'; readonly reason: string; readonly source: string };

/**
 * Reads quilt patches straight from the committee's storage nodes, trusting no aggregator. Throws
 * a retryable DaError (UnavailableError) when too few nodes answer or the blob's metadata cannot be
 * found or verified: only the two answers of NodePatchRead are verdicts.
 */
export interface NodePatchSource {
  readPatch(id: QuiltPatchId, options?: CallOptions): Promise<NodePatchRead>;
}

/** Sui: the facts that decide whether a quilt is available. */
export interface AvailabilityChecker {
  /** `<walrus package>::blob::Blob`, the type a genuine Blob object has. */
  blobType(options?: CallOptions): Promise<string>;
  currentEpoch(options?: CallOptions): Promise<WalrusEpoch>;
  /** The Blob object, or undefined if no such object exists. */
  blobObject(objectId: Uint8Array, options?: CallOptions): Promise<BlobObject | undefined>;
  /** The object id named by a BlobCertified event of `blobId` (publisher's `alreadyCertified`). */
  certifiedObjectId(blobId: Uint8Array, event: { readonly txDigest: string; readonly eventSeq: string }, options?: CallOptions): Promise<Uint8Array | undefined>;
}

export interface VerifyOptions {
  readonly full: boolean;
  /** Run the `certificate` step if the verifier has a CertificateSource. @default true */
  readonly certificate?: boolean;
}

/** Runs the steps of docs/architecture.md "Verifying a commitment" on a commitment. */
export interface CommitmentVerifier {
  /** The report's first step is always `decode`, then data, availability and (full) the quilt check. */
  verify(body: CommitmentBody, options: CallOptions & VerifyOptions): Promise<VerificationReport>;
  /** Step 3 alone (Sui availability), for verify-on-read after the data step already passed. */
  availability(body: CommitmentBody, options?: CallOptions): Promise<VerificationStep>;
}

/** One dependency the server needs, probed by /health and gRPC health. */
export interface HealthProbe {
  readonly name: string;
  check(options?: CallOptions): Promise<DependencyHealth>;
}

/** Told of every successful put and get, whichever door made it (metrics hang off this). */
export interface DaServiceObserver {
  onPut(frameBytes: number, deduplicated: boolean, chain: string): void;
  /** `source` is `cache` or the aggregator route that served the frame. */
  onGet(frameBytes: number, source: string, chain: string): void;
}

/**
 * The `certify_blob` call that certified a Blob object, as Sui recorded it: the certificate's
 * three arguments and the epoch of its BlobCertified event (docs/certificate.md).
 */
export interface BlobCertification {
  /** Digest of the transaction that called `certify_blob`. */
  readonly txDigest: string;
  /** `epoch` of the BlobCertified event: the epoch whose committee signed. */
  readonly epoch: number;
  /** Aggregate BLS12-381 min-pk signature (96 bytes expected). */
  readonly signature: Uint8Array;
  /** Bit b of byte i (LSB first) set = member 8i + b of the committee signed. */
  readonly signersBitmap: Uint8Array;
  /** The signed BCS confirmation message. */
  readonly message: Uint8Array;
}

/** A storage committee as `bls_aggregate::BlsCommittee` holds it: members in bitmap order. */
export interface SigningCommittee {
  readonly epoch: number;
  readonly nShards: number;
  readonly members: readonly { readonly nodeId: string; readonly publicKey: Uint8Array; readonly weight: number }[];
}

/** Sui: where a quilt's certificate and the committee that signed it are read. */
export interface CertificateSource {
  /**
   * The certification of the Blob object, or a sentence saying why it cannot be found (no object,
   * not certified, the certifying transaction is no longer the object's last one, …).
   */
  certification(objectId: Uint8Array, options?: CallOptions): Promise<BlobCertification | { readonly missing: string }>;
  /** The committee of `epoch`, or undefined when Sui no longer (or not yet) exposes it. */
  committee(epoch: number, options?: CallOptions): Promise<SigningCommittee | { readonly missing: string }>;
}
