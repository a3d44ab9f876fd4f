// What `walrus-da scan` finds on L1 and what it reports about it. A batch is found and classified
// from L1 data alone (pure), then checked against Walrus/Sui or a DA server (I/O), then reported
// as one JSON line.
import type { CommitmentBody } from '../commitment/index.ts';
import type { VerificationStep } from '../core/index.ts';

export type Chain = 'opstack' | 'orbit';

/**
 * valid: the data is on Walrus and matches (or, keccak mode, the DA server's bytes hash right);
 * invalid: a definite fault (malformed commitment with our DA byte, data that does not match, a Sui
 * object that is not the quilt); unavailable: the data or Sui could not be read, or the quilt
 * expired; skipped: not an alt-DA commitment we can check; foreign: another DA layer's commitment.
 */
export type Verdict = 'valid' | 'invalid' | 'unavailable' | 'skipped' | 'foreign';

export const VERDICTS: readonly Verdict[] = ['valid', 'invalid', 'unavailable', 'skipped', 'foreign'];

/** A verdict that makes the scan fail (exit code 1). */
export function isFailure(verdict: Verdict): boolean {
  return verdict === 'invalid' || verdict === 'unavailable';
}

export type BatchKind =
  /** `0x01 ‖ 0x01 ‖ da byte ‖ …`: an OP Stack generic commitment. */
  | 'opstack-generic'
  /** `0x01 ‖ 0x00 ‖ keccak`: an OP Stack keccak commitment. */
  | 'opstack-keccak'
  /** calldata that is not `0x01 ‖ commitment`: frames on L1 itself (0x00) or an unknown version. */
  | 'opstack-calldata'
  /** a type-3 transaction: its frames are in blobs, not behind a commitment. */
  | 'opstack-blobs'
  /** sent to the inbox by someone other than the batcher: op-node ignores it. */
  | 'opstack-unauthorized'
  /** batch data `0x01 ‖ provider byte ‖ …`: a Nitro DA certificate. */
  | 'orbit-certificate'
  /** batch data on L1 itself (brotli 0x00, zeroheavy 0x20), AnyTrust (0x80…), blob hashes, or none. */
  | 'orbit-other';

/** What must happen to decide a batch's verdict. */
export type BatchCheck =
  | { readonly type: 'walrus'; readonly body: CommitmentBody }
  | { readonly type: 'keccak'; readonly keccak: Uint8Array }
  | { readonly type: 'decided'; readonly verdict: Verdict; readonly reason: string; readonly steps?: readonly VerificationStep[] };

/** A batch as found on L1, classified but not yet checked. */
export interface FoundBatch {
  readonly chain: Chain;
  readonly l1Block: bigint;
  readonly txHash: `0x${string}`;
  /** Position of the transaction in its block. */
  readonly txIndex: number;
  /** Position of the SequencerBatchDelivered log in its block (Orbit), for ordering. */
  readonly logIndex?: number;
  /** Orbit batch sequence number. */
  readonly batchNumber?: bigint;
  /** Which SequencerInbox function posted the data (Orbit), or `event` / `blobs` / `none`. */
  readonly method?: string;
  readonly kind: BatchKind;
  /** The commitment as posted: OP calldata after the version byte, or the Orbit batch data. */
  readonly commitment: Uint8Array;
  readonly check: BatchCheck;
}

/** One line of `scan` output. Numbers are JSON numbers; bytes are 0x-hex. */
export interface BatchRecord {
  readonly chain: Chain;
  readonly l1Block: number;
  readonly txHash: string;
  readonly txIndex: number;
  readonly batchNumber?: number;
  readonly method?: string;
  readonly kind: BatchKind;
  /** 0x-hex; past 128 bytes (data that is not a commitment) the first 128 and `…(N bytes)`. */
  readonly commitment: string;
  readonly verdict: Verdict;
  readonly reason: string;
  readonly steps: readonly VerificationStep[];
  /** Length of the frame read back, when it was read. */
  readonly bytes?: number;
  /** keccak256 of the frame, when the commitment names one. */
  readonly frameKeccak?: string;
  /** Where `--out` wrote the frame. */
  readonly file?: string;
}

export interface ScanSummary {
  readonly summary: true;
  readonly fromBlock: number;
  /** Last block fully scanned (fromBlock − 1 when none was). */
  readonly toBlock: number;
  readonly batches: number;
  readonly valid: number;
  readonly invalid: number;
  readonly unavailable: number;
  readonly skipped: number;
  readonly foreign: number;
  /** No batch is invalid or unavailable. */
  readonly ok: boolean;
  /** Stopped by a signal before the range was done (only present then). */
  readonly interrupted?: true;
}
