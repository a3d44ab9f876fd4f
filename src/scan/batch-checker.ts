// Decides the verdict of one batch found on L1 and turns it into its output line: walrus-da
// commitments go through the verifier `walrus-da verify` runs, keccak commitments through the DA
// server (when one is given), everything else was already decided from L1 data.
import { bytesToHex } from '../bytes/index.ts';
import type { CommitmentBody } from '../commitment/index.ts';
import type { CommitmentVerifier, VerificationStep } from '../core/index.ts';
import { writeFrameFile } from './frame-files.ts';
import type { FrameRecorder } from './frame-recorder.ts';
import { lookupKeccak } from './keccak-lookup.ts';
import type { BatchRecord, FoundBatch, Verdict } from './types.ts';
import { judgeReport } from './verdict.ts';

export interface BatchCheckerOptions {
  readonly verifier: CommitmentVerifier;
  /** Run the verifier's `full` step (fetch whole quilts, recompute blob ids). */
  readonly full: boolean;
  /** OP Stack DA server for keccak commitments; without it they are skipped. */
  readonly daServerUrl?: string;
  /** `--out`: where verified frames go, and the recorder wrapped around the verifier's BlobStore. */
  readonly out?: { readonly dir: string; readonly recorder: FrameRecorder };
}

interface Outcome {
  readonly verdict: Verdict;
  readonly reason: string;
  readonly steps: readonly VerificationStep[];
  readonly bytes?: number;
  readonly frameKeccak?: Uint8Array;
  readonly frame?: Uint8Array;
}

export class BatchChecker {
  readonly #o: BatchCheckerOptions;

  constructor(options: BatchCheckerOptions) {
    this.#o = options;
  }

  async check(batch: FoundBatch, options: { readonly signal?: AbortSignal } = {}): Promise<BatchRecord> {
    const outcome = await this.#outcome(batch, options.signal);
    const file = outcome.verdict === 'valid' && outcome.frame && this.#o.out ? await writeFrameFile(this.#o.out.dir, outcome.frame) : undefined;
    return {
      chain: batch.chain,
      l1Block: safeNumber(batch.l1Block),
      txHash: batch.txHash,
      txIndex: batch.txIndex,
      ...(batch.batchNumber === undefined ? {} : { batchNumber: safeNumber(batch.batchNumber) }),
      ...(batch.method === undefined ? {} : { method: batch.method }),
      kind: batch.kind,
      commitment: shortHex(batch.commitment),
      verdict: outcome.verdict,
      reason: outcome.reason,
      steps: outcome.steps,
      ...(outcome.bytes === undefined ? {} : { bytes: outcome.bytes }),
      ...(outcome.frameKeccak ? { frameKeccak: bytesToHex(outcome.frameKeccak) } : {}),
      ...(file ? { file } : {}),
    };
  }

  async #outcome(batch: FoundBatch, signal: AbortSignal | undefined): Promise<Outcome> {
    const check = batch.check;
    switch (check.type) {
      case 'decided':
        return { verdict: check.verdict, reason: check.reason, steps: check.steps ?? [] };
      case 'walrus':
        return this.#walrus(check.body, signal);
      case 'keccak': {
        if (!this.#o.daServerUrl) {
          return { verdict: 'skipped', reason: 'keccak commitment: give --da-server to fetch and check its data', steps: [], frameKeccak: check.keccak };
        }
        const found = await lookupKeccak(this.#o.daServerUrl, check.keccak, signal ? { signal } : {});
        return {
          verdict: found.verdict,
          reason: found.reason,
          steps: found.steps,
          frameKeccak: check.keccak,
          ...(found.data ? { bytes: found.data.length, frame: found.data } : {}),
        };
      }
    }
  }

  async #walrus(body: CommitmentBody, signal: AbortSignal | undefined): Promise<Outcome> {
    const report = await this.#o.verifier.verify(body, { full: this.#o.full, ...(signal ? { signal } : {}) });
    const data = report.steps.find((step) => step.step === 'data');
    // The recorder holds the frame exactly when the data step read it.
    const frame = data?.ok ? this.#o.out?.recorder.take(body.frameKeccak) : undefined;
    const { verdict, reason } = judgeReport(report, body);
    const length = data?.facts?.length;
    return {
      verdict,
      reason,
      steps: report.steps,
      frameKeccak: body.frameKeccak,
      ...(typeof length === 'number' ? { bytes: length } : {}),
      ...(frame ? { frame } : {}),
    };
  }
}

/**
 * Batches that are not commitments (frames or brotli batches posted on L1) can be 100+ KB: their
 * line shows the first bytes only, enough to see the header.
 */
const SHOWN_BYTES = 128;

function shortHex(bytes: Uint8Array): string {
  return bytes.length <= SHOWN_BYTES ? bytesToHex(bytes) : `${bytesToHex(bytes.subarray(0, SHOWN_BYTES))}…(${bytes.length} bytes)`;
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${value} does not fit a JSON number`);
  return Number(value);
}
