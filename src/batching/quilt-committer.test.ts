// QuiltCommitter rules, with in-memory fakes at its narrow ports (no Redis, no Walrus): the
// integration test under test/batching runs the same committer against Redis and walrus-local.
import { describe, expect, it, vi } from 'vitest';
import { bytesToHex, equalBytes, hexToBytes } from '../bytes/index.ts';
import { frameKey, keccak256 } from '../commitment/index.ts';
import {
  UnavailableError,
  IntegrityError,
  type AvailabilityChecker,
  type BlobObject,
  type BlobStore,
  type FrameCommitment,
  type FrameKey,
  type StoreReceipt,
  type WalrusEpoch,
} from '../core/index.ts';
import { silentLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import type { FrameQuilt, KeyedFrame } from '../walrus/codec/index.ts';
import type { BatchCommitLog, BatchFrameSource, BatchToCommit, CommittedBatchRecord, QuiltEncoder } from './committer-ports.ts';
import type { BatchProgress } from './jobs.ts';
import { BatchRejectedError, QuiltCommitter, type QuiltCommitterOptions } from './quilt-committer.ts';

const BLOB_TYPE = '0xabc::blob::Blob';
const EPOCH: WalrusEpoch = { epoch: 5, nShards: 10, epochDurationMs: 86_400_000, firstEpochStartMs: 0 };

class MemoryFrames implements BatchFrameSource {
  readonly frames = new Map<FrameKey, Uint8Array>();
  hold(...frames: Uint8Array[]): FrameKey[] {
    return frames.map((frame) => {
      const key = frameKey(frame);
      this.frames.set(key, frame);
      return key;
    });
  }
  framesOf(keys: readonly FrameKey[]) {
    return Promise.resolve(keys.map((k) => this.frames.get(k)));
  }
}

/** Patches in identifier order, one column each; blob id = keccak of the concatenated contents. */
class FakeEncoder implements QuiltEncoder {
  readonly calls: (readonly KeyedFrame[])[] = [];
  readonly events: string[] = [];
  /** Holds blob-id computations until released (to observe what runs meanwhile). */
  gate: Promise<void> = Promise.resolve();
  buildFrameQuilt(frames: readonly KeyedFrame[], nShards: number): Promise<FrameQuilt> {
    this.calls.push(frames);
    const unique = [...new Map(frames.map((f) => [f.key, f.bytes]))].sort(([a], [b]) => (a < b ? -1 : 1));
    const patches = unique.map(([identifier], i) => ({ identifier, startColumn: i + 1, endColumn: i + 2 }));
    const quilt = new Uint8Array(Buffer.concat(unique.map(([, bytes]) => bytes)));
    const byIdentifier = new Map(patches.map((p) => [p.identifier, p]));
    return Promise.resolve({ quilt, nShards, symbolSize: 1, patches, framePatches: frames.map((f) => byIdentifier.get(f.key) ?? patches[0]!) });
  }
  async blobMetadata(blob: Uint8Array): Promise<{ blobId: Uint8Array }> {
    this.events.push('blob id started');
    await this.gate;
    this.events.push('blob id done');
    return { blobId: keccak256(blob) };
  }
}

/** A publisher and Sui in one: Blob objects by id, certified at once unless told otherwise. */
class FakeWalrus implements BlobStore, AvailabilityChecker {
  readonly objects: BlobObject[] = [];
  readonly stores: { readonly blobId: Uint8Array; readonly epochs: number }[] = [];
  /** A publisher that stores (or claims) some other blob. */
  answerBlobId: Uint8Array | undefined;
  certifies = true;

  readonly events: string[] = [];

  store(quilt: Uint8Array, options: { readonly epochs: number }): Promise<StoreReceipt> {
    this.events.push('store');
    const blobId = this.answerBlobId ?? keccak256(quilt);
    this.stores.push({ blobId, epochs: options.epochs });
    const existing = this.objects.find((o) => equalBytes(o.blobId, blobId) && o.certifiedEpoch !== null);
    if (existing) {
      return Promise.resolve({ blobId, certifiedEvent: { txDigest: 'tx', eventSeq: '0' }, endEpoch: existing.endEpoch, alreadyCertified: true });
    }
    const objectId = new Uint8Array(32).fill(this.objects.length + 1);
    const endEpoch = EPOCH.epoch + options.epochs;
    this.objects.push({
      objectId,
      type: BLOB_TYPE,
      blobId,
      size: quilt.length,
      registeredEpoch: EPOCH.epoch,
      certifiedEpoch: this.certifies ? EPOCH.epoch : null,
      startEpoch: EPOCH.epoch,
      endEpoch,
      storageSize: quilt.length * 5,
      deletable: false,
    });
    return Promise.resolve({ blobId, objectId, endEpoch, alreadyCertified: false, encodedLength: quilt.length * 5 });
  }
  readQuiltPatch(): never {
    throw new Error('not used');
  }
  readBlob(): never {
    throw new Error('not used');
  }
  blobType() {
    return Promise.resolve(BLOB_TYPE);
  }
  currentEpoch() {
    return Promise.resolve(EPOCH);
  }
  blobObject(objectId: Uint8Array) {
    return Promise.resolve(this.objects.find((o) => equalBytes(o.objectId, objectId)));
  }
  certifiedObjectId(blobId: Uint8Array) {
    return Promise.resolve(this.objects.find((o) => equalBytes(o.blobId, blobId) && o.certifiedEpoch !== null)?.objectId);
  }
}

/** The batch state's commit rules in memory: one height per quilt, a frame's first commitment wins. */
class MemoryCommitLog implements BatchCommitLog {
  readonly heights = new Map<string, number>();
  readonly commitments = new Map<FrameKey, FrameCommitment>();
  down = false;

  commitBatch(batch: BatchToCommit): Promise<CommittedBatchRecord> {
    if (this.down) return Promise.reject(new UnavailableError('Redis commit of a batch failed: connection lost'));
    const quilt = bytesToHex(batch.quiltId);
    const height = this.heights.get(quilt) ?? this.heights.size + 1;
    if (!this.heights.has(quilt)) {
      this.heights.set(quilt, height);
      for (const f of batch.frames) {
        if (this.commitments.has(f.key)) continue;
        const body = { quiltId: batch.quiltId, startColumn: f.startColumn, endColumn: f.endColumn, objectId: batch.objectId, frameKeccak: hexToBytes(f.key) };
        this.commitments.set(f.key, { body, height, certifiedEpoch: batch.certifiedEpoch, endEpoch: batch.endEpoch, committedAtMs: 1 });
      }
    }
    const found = new Map(batch.frames.flatMap((f) => (this.commitments.has(f.key) ? [[f.key, this.commitments.get(f.key)!] as const] : [])));
    return Promise.resolve({ height, commitments: found });
  }
}

function setup(overrides: Partial<QuiltCommitterOptions> = {}) {
  const frames = new MemoryFrames();
  const encoder = new FakeEncoder();
  const walrus = new FakeWalrus();
  const commitLog = new MemoryCommitLog();
  const metrics = createMetrics({ defaultMetrics: false });
  const committer = new QuiltCommitter({
    frames,
    commitLog,
    encoder,
    blobStore: walrus,
    availability: walrus,
    availabilityWindowMs: 2 * 86_400_000,
    certifyTimeoutMs: 5_000,
    logger: silentLogger(),
    metrics,
    ...overrides,
  });
  const stages: BatchProgress[] = [];
  const record = (p: BatchProgress) => Promise.resolve(void stages.push(p));
  return { committer, frames, encoder, walrus, commitLog, metrics, stages, record };
}

const frame = (text: string) => new TextEncoder().encode(text);

describe('QuiltCommitter', () => {
  it('stores a batch for the window, waits for certification, and commits each frame at one height', async () => {
    const { committer, frames, encoder, walrus, commitLog, stages, record } = setup();
    const keys = frames.hold(frame('a'), frame('bb'), frame('ccc'));
    const committed = await committer.commit(keys, record);
    expect(stages.map((s) => s.stage)).toEqual(['encoding', 'storing', 'stored']);
    expect(committed).toMatchObject({ height: 1, quiltId: bytesToHex(walrus.objects[0]!.blobId), keys });
    expect(Object.keys(committed.stages ?? {})).toEqual(['readMs', 'buildMs', 'blobIdMs', 'storeMs', 'certifyMs', 'commitMs', 'totalMs']);
    // The keys travel with the frames: the encoder gets them as they were queued, never re-derived.
    expect(encoder.calls[0]?.map((f) => f.key)).toEqual(keys);
    expect(walrus.stores).toEqual([{ blobId: walrus.objects[0]!.blobId, epochs: 3 }]);
    expect([...commitLog.commitments.keys()]).toEqual(keys);
    expect([...commitLog.commitments.values()].every((c) => c.height === 1 && equalBytes(c.body.objectId, walrus.objects[0]!.objectId))).toBe(true);
  });

  it('sends the quilt to the publisher while its local blob id is still being computed', async () => {
    const { committer, frames, encoder, walrus, record } = setup();
    let release = () => undefined as void;
    encoder.gate = new Promise<void>((resolve) => (release = resolve));
    const keys = frames.hold(frame('lone frame'));
    const committing = committer.commit(keys, record);
    // The store starts although the blob id is held back; only then is the id allowed to finish.
    await vi.waitFor(() => expect(walrus.events).toEqual(['store']));
    expect(encoder.events).toEqual(['blob id started']);
    release();
    const committed = await committing;
    expect(committed.height).toBe(1);
    expect(encoder.events).toEqual(['blob id started', 'blob id done']);
  });

  it('repeats a batch after a crash as alreadyCertified, at the same height, with the same commitments', async () => {
    const { committer, frames, walrus, commitLog, metrics, record } = setup();
    const keys = frames.hold(frame('one'), frame('two'), frame('one again'));
    // Crash between the Walrus store and the commit: Walrus has the quilt, Redis has nothing.
    commitLog.down = true;
    await expect(committer.commit(keys, record)).rejects.toBeInstanceOf(UnavailableError);
    expect(commitLog.commitments.size).toBe(0);
    commitLog.down = false;

    const first = await committer.commit(keys, record);
    const commitments = new Map(commitLog.commitments);
    const again = await committer.commit(keys, record);
    expect({ ...again, stages: undefined }).toEqual({ ...first, stages: undefined });
    expect(first.height).toBe(1);
    expect(commitLog.commitments).toEqual(commitments);
    expect(commitLog.heights.size).toBe(1);
    expect(walrus.objects).toHaveLength(1); // the same blob every time
    const text = await metrics.registry.metrics();
    expect(text).toContain('walrus_da_quilt_stores_total{outcome="alreadyCertified"} 2');
  });

  it('rejects a publisher that answers with another blob id, and commits nothing', async () => {
    const { committer, frames, walrus, commitLog, record } = setup();
    walrus.answerBlobId = new Uint8Array(32).fill(0xee);
    const keys = frames.hold(frame('x'), frame('y'));
    const error = await committer.commit(keys, record).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as Error).message).toContain(bytesToHex(walrus.answerBlobId));
    expect(commitLog.commitments.size).toBe(0);
  });

  it('fails with UnavailableError when Sui does not show the quilt certified in time, and commits nothing', async () => {
    const { committer, frames, walrus, commitLog, stages, record } = setup({ certifyTimeoutMs: 150 });
    walrus.certifies = false;
    const keys = frames.hold(frame('slow'));
    const error = await committer.commit(keys, record).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toMatch(/not certified on Sui within 150 ms/);
    expect(stages.at(-1)?.stage).toBe('stored');
    expect(commitLog.commitments.size).toBe(0);
    expect(commitLog.heights.size).toBe(0);
  });

  it('rejects a batch whose frames partly expired, before encoding or storing anything', async () => {
    const { committer, frames, encoder, walrus, commitLog, stages, record } = setup();
    const keys = frames.hold(frame('kept'), frame('expired'), frame('kept too'));
    frames.frames.delete(keys[1]!);
    const error = await committer.commit(keys, record).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchRejectedError);
    expect((error as Error).message).toMatch(`frame bytes missing from Redis for 1 frames (first 0x${keys[1]})`);
    expect(stages).toEqual([]);
    expect(encoder.calls).toEqual([]);
    expect(walrus.stores).toEqual([]);
    expect(commitLog.commitments.size).toBe(0);
  });
});
