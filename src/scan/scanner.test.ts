// The scan loop with fake sources and checks: L1 order across chains, chunking, bounded
// concurrency, checkpoints only after a whole chunk, follow mode and interruption.
import { describe, expect, it } from 'vitest';
import { runScan, type BatchSource, type ScanOptions } from './scanner.ts';
import type { BatchRecord, FoundBatch, Verdict } from './types.ts';

const found = (chain: FoundBatch['chain'], l1Block: bigint, txIndex: number, verdict: Verdict = 'valid', logIndex?: number): FoundBatch => ({
  chain,
  l1Block,
  txHash: `0x${l1Block.toString(16).padStart(2, '0')}${txIndex.toString(16).padStart(2, '0')}`,
  txIndex,
  ...(logIndex === undefined ? {} : { logIndex }),
  kind: chain === 'opstack' ? 'opstack-generic' : 'orbit-certificate',
  commitment: new Uint8Array(),
  check: { type: 'decided', verdict, reason: verdict },
});

/** A source whose batches live at fixed blocks; records every range asked for. */
function source(batches: FoundBatch[]): BatchSource & { ranges: [bigint, bigint][] } {
  const ranges: [bigint, bigint][] = [];
  return {
    ranges,
    batches(from, to) {
      ranges.push([from, to]);
      return Promise.resolve(batches.filter((b) => b.l1Block >= from && b.l1Block <= to));
    },
  };
}

const record = (batch: FoundBatch): BatchRecord => ({
  chain: batch.chain,
  l1Block: Number(batch.l1Block),
  txHash: batch.txHash,
  txIndex: batch.txIndex,
  kind: batch.kind,
  commitment: '0x',
  verdict: batch.check.type === 'decided' ? batch.check.verdict : 'valid',
  reason: '',
  steps: [],
});

function options(over: Partial<ScanOptions> & Pick<ScanOptions, 'sources'>): ScanOptions & { records: BatchRecord[]; scanned: bigint[] } {
  const records: BatchRecord[] = [];
  const scanned: bigint[] = [];
  return {
    records,
    scanned,
    check: (batch) => Promise.resolve(record(batch)),
    head: () => Promise.resolve(100n),
    fromBlock: 0n,
    onRecord: (r) => {
      records.push(r);
    },
    onScanned: (block) => {
      scanned.push(block);
    },
    ...over,
  };
}

describe('runScan', () => {
  it('reports batches of every source in L1 order, chunk by chunk, and summarises', async () => {
    const op = source([found('opstack', 3n, 5), found('opstack', 12n, 0, 'foreign'), found('opstack', 3n, 1)]);
    const orbit = source([found('orbit', 3n, 2, 'valid', 7), found('orbit', 25n, 0, 'invalid', 1)]);
    const run = options({ sources: [op, orbit], fromBlock: 1n, toBlock: 25n, chunkBlocks: 10 });
    const summary = await runScan(run);
    expect(run.records.map((r) => `${r.l1Block}:${r.txIndex}:${r.chain}`)).toEqual(['3:1:opstack', '3:2:orbit', '3:5:opstack', '12:0:opstack', '25:0:orbit']);
    expect(op.ranges).toEqual([[1n, 10n], [11n, 20n], [21n, 25n]]);
    expect(run.scanned).toEqual([10n, 20n, 25n]);
    expect(summary).toEqual({ summary: true, fromBlock: 1, toBlock: 25, batches: 5, valid: 3, invalid: 1, unavailable: 0, skipped: 0, foreign: 1, ok: false });
  });

  it('scans up to the head minus confirmations by default, and refuses a --to-block beyond it', async () => {
    const op = source([]);
    const run = options({ sources: [op], fromBlock: 90n, confirmations: 5n });
    expect((await runScan(run)).toBlock).toBe(95);
    await expect(runScan(options({ sources: [op], fromBlock: 90n, toBlock: 101n }))).rejects.toThrow(/beyond the head 100/);
    const empty = await runScan(options({ sources: [op], fromBlock: 101n }));
    expect(empty).toMatchObject({ fromBlock: 101, toBlock: 100, batches: 0, ok: true });
  });

  it('checks at most `concurrency` batches at once and still reports in order', async () => {
    const batches = Array.from({ length: 20 }, (_, i) => found('opstack', 1n, i));
    let running = 0;
    let peak = 0;
    const run = options({
      sources: [source(batches)],
      toBlock: 1n,
      concurrency: 3,
      check: async (batch) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, (20 - batch.txIndex) % 4));
        running--;
        return record(batch);
      },
    });
    await runScan(run);
    expect(peak).toBe(3);
    expect(run.records.map((r) => r.txIndex)).toEqual(batches.map((b) => b.txIndex));
  });

  it('follows the head until --to-block', async () => {
    let head = 10n;
    const op = source([found('opstack', 12n, 0)]);
    const run = options({
      sources: [op],
      fromBlock: 5n,
      toBlock: 14n,
      follow: true,
      pollIntervalMs: 1,
      head: () => Promise.resolve((head += 2n)),
    });
    const summary = await runScan(run);
    expect(summary).toMatchObject({ toBlock: 14, batches: 1 });
    expect(summary.interrupted).toBeUndefined();
    expect(run.scanned.at(-1)).toBe(14n);
  });

  it('stops when aborted: reports no half-checked batch and does not mark the chunk scanned', async () => {
    const controller = new AbortController();
    const batches = Array.from({ length: 5 }, (_, i) => found('opstack', 2n, i));
    const run = options({
      sources: [source(batches)],
      toBlock: 2n,
      concurrency: 1,
      signal: controller.signal,
      check: (batch) => {
        if (batch.txIndex === 2) controller.abort();
        return Promise.resolve(record(batch));
      },
    });
    const summary = await runScan(run);
    expect(run.records.map((r) => r.txIndex)).toEqual([0, 1]);
    expect(run.scanned).toEqual([]);
    expect(summary).toMatchObject({ toBlock: -1, batches: 2, interrupted: true });
  });

  it('stops a follow when aborted while waiting for blocks', async () => {
    const controller = new AbortController();
    const run = options({ sources: [source([])], fromBlock: 0n, follow: true, pollIntervalMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const summary = await runScan(run);
    expect(summary).toMatchObject({ toBlock: 100, ok: true });
    expect(summary.interrupted).toBeUndefined(); // an endless follow ends only this way
  });

  it('fails when a check throws, after letting the other checks finish', async () => {
    let finished = 0;
    const run = options({
      sources: [source([found('opstack', 1n, 0), found('opstack', 1n, 1)])],
      toBlock: 1n,
      check: async (batch) => {
        if (batch.txIndex === 0) throw new Error('disk full');
        await new Promise((resolve) => setTimeout(resolve, 5));
        finished++;
        return record(batch);
      },
    });
    await expect(runScan(run)).rejects.toThrow('disk full');
    expect(finished).toBe(1);
  });
});
