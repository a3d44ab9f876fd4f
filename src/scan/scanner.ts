// The scan loop: walks L1 in chunks of blocks, asks every source for the batches in the chunk,
// checks them a few at a time, reports them in L1 order (block, transaction, log), and only then
// declares the chunk scanned (checkpoint). With `follow` it then waits for new blocks.
import { setTimeout as sleep } from 'node:timers/promises';
import type { BatchRecord, FoundBatch, ScanSummary, Verdict } from './types.ts';
import { isFailure } from './types.ts';

/** Where batches come from: one per chain (OP Stack inbox, Orbit SequencerInbox). */
export interface BatchSource {
  /** Every batch posted in blocks [from, to], classified from L1 data. */
  batches(from: bigint, to: bigint, options: { readonly signal?: AbortSignal }): Promise<readonly FoundBatch[]>;
}

export interface ScanOptions {
  readonly sources: readonly BatchSource[];
  readonly check: (batch: FoundBatch, options: { readonly signal?: AbortSignal }) => Promise<BatchRecord>;
  /** The newest L1 block number. */
  readonly head: (options: { readonly signal?: AbortSignal }) => Promise<bigint>;
  readonly fromBlock: bigint;
  /** Last block to scan; default: the head (minus confirmations) when the scan starts. */
  readonly toBlock?: bigint;
  /** Keep scanning new blocks (until `toBlock`, if given, or until `signal` aborts). */
  readonly follow?: boolean;
  /** Blocks to stay behind the head, against reorgs. @default 0 */
  readonly confirmations?: bigint;
  /** @default 100 */
  readonly chunkBlocks?: number;
  /** Batches checked at once. @default 8 */
  readonly concurrency?: number;
  /** @default 4000 */
  readonly pollIntervalMs?: number;
  readonly signal?: AbortSignal;
  readonly onRecord: (record: BatchRecord) => void | Promise<void>;
  /** Every batch up to `block` was reported (checkpoint, progress). */
  readonly onScanned?: (block: bigint, target: bigint) => void | Promise<void>;
}

export class ScanRangeError extends Error {
  override readonly name = 'ScanRangeError';
}

export async function runScan(options: ScanOptions): Promise<ScanSummary> {
  const counts: Record<Verdict, number> = { valid: 0, invalid: 0, unavailable: 0, skipped: 0, foreign: 0 };
  const chunk = BigInt(options.chunkBlocks ?? 100);
  const confirmations = options.confirmations ?? 0n;
  const signal = options.signal;
  let next = options.fromBlock;
  // The block the range ends at, once known; a follow without --to-block has no end.
  let end: bigint | undefined = options.follow ? options.toBlock : undefined;

  for (;;) {
    const head = (await options.head(signal ? { signal } : {})) - confirmations;
    const target = options.toBlock === undefined ? head : min(options.toBlock, head);
    if (!options.follow) {
      if (options.toBlock !== undefined && options.toBlock > head) {
        throw new ScanRangeError(`block ${options.toBlock} is beyond the head ${head}${confirmations > 0n ? ` (${confirmations} confirmations)` : ''}; use --follow to wait for it`);
      }
      end = target;
    }
    while (next <= target && !signal?.aborted) {
      const last = min(next + chunk - 1n, target);
      const batches = (await Promise.all(options.sources.map((source) => source.batches(next, last, signal ? { signal } : {})))).flat().sort(byL1Position);
      const complete = await checkInOrder(batches, options, (record) => {
        counts[record.verdict]++;
      });
      if (!complete) break;
      await options.onScanned?.(last, target);
      next = last + 1n;
    }
    if (signal?.aborted || !options.follow || (end !== undefined && next > end)) break;
    try {
      await sleep(options.pollIntervalMs ?? 4000, undefined, signal ? { signal } : {});
    } catch {
      break; // aborted while waiting
    }
  }

  return {
    summary: true,
    fromBlock: Number(options.fromBlock),
    toBlock: Number(next - 1n),
    batches: Object.values(counts).reduce((a, b) => a + b, 0),
    ...counts,
    ok: !(Object.keys(counts) as Verdict[]).some((verdict) => isFailure(verdict) && counts[verdict] > 0),
    ...(end !== undefined && next <= end ? { interrupted: true as const } : {}),
  };
}

/**
 * Checks up to `concurrency` batches at once and reports them in order. Returns false when the
 * scan was aborted before every batch was reported (the chunk is then not scanned).
 */
async function checkInOrder(batches: readonly FoundBatch[], options: ScanOptions, count: (record: BatchRecord) => void): Promise<boolean> {
  const limit = Math.max(1, options.concurrency ?? 8);
  const signal = options.signal;
  const results: Promise<BatchRecord>[] = [];
  let started = 0;
  const startNext = () => {
    const batch = batches[started++];
    if (batch) results.push(options.check(batch, signal ? { signal } : {}));
  };
  for (let i = 0; i < Math.min(limit, batches.length); i++) startNext();
  try {
    for (let i = 0; i < batches.length; i++) {
      const record = await results[i];
      // Checks cut short by the abort would be misreported as unavailable: report none of them.
      if (signal?.aborted || !record) return false;
      count(record);
      await options.onRecord(record);
      startNext();
    }
    return true;
  } finally {
    await Promise.allSettled(results); // never leave a check running (or rejecting) unobserved
  }
}

export function byL1Position(a: FoundBatch, b: FoundBatch): number {
  return compare(a.l1Block, b.l1Block) || a.txIndex - b.txIndex || (a.logIndex ?? -1) - (b.logIndex ?? -1) || a.chain.localeCompare(b.chain);
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
