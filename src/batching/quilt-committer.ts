// Turns one batch of frame keys into certified commitments: build the quilt and its blob id (off
// the event loop), store it on Walrus for enough epochs, make sure Sui shows the Blob object
// certified and permanent, then record every frame's commitment at a new height.
//
// Steps are checkpointed in the quilt job's progress (encoding → storing → stored), as
// @mysten/walrus flows/write-blob.ts does with `onStep`. The batch's composition is fixed by the
// job, so a repeat after a crash rebuilds the identical quilt: same blob id, `alreadyCertified`.
import { bytesToHex, equalBytes } from '../bytes/index.ts';
import {
  IntegrityError,
  MAX_EPOCHS_AHEAD,
  UnavailableError,
  assessBlobObject,
  epochsForWindow,
  type AvailabilityChecker,
  type BlobStore,
  type FrameKey,
  type StoreReceipt,
} from '../core/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { KeyedFrame } from '../walrus/codec/index.ts';
import type { BatchCommitLog, BatchFrameSource, QuiltEncoder } from './committer-ports.ts';
import type { BatchProgress, BatchStages, CommittedQuilt } from './jobs.ts';

/** Thrown for batches that can never be stored as they are (the job must not be retried). */
export class BatchRejectedError extends Error {
  override readonly name = 'BatchRejectedError';
}

export interface QuiltCommitterOptions {
  readonly frames: BatchFrameSource;
  readonly commitLog: BatchCommitLog;
  readonly encoder: QuiltEncoder;
  readonly blobStore: BlobStore;
  readonly availability: AvailabilityChecker;
  /** Quilts must stay available at least this long from now. */
  readonly availabilityWindowMs: number;
  /** Walrus's `max_epochs_ahead`. @default MAX_EPOCHS_AHEAD */
  readonly maxEpochsAhead?: number;
  /** How long to wait for Sui to show the Blob object certified after the publisher answered. */
  readonly certifyTimeoutMs: number;
  readonly logger: Logger;
  readonly metrics?: Metrics;
}

export class QuiltCommitter {
  readonly #options: QuiltCommitterOptions;

  constructor(options: QuiltCommitterOptions) {
    this.#options = options;
  }

  async commit(keys: readonly FrameKey[], progress: (p: BatchProgress) => Promise<void>): Promise<CommittedQuilt> {
    const o = this.#options;
    const started = performance.now();
    const since = (mark: number) => Math.round(performance.now() - mark);
    const frames = await keyedFrames(o.frames, keys);
    const walrus = await o.availability.currentEpoch();
    const readMs = since(started);

    await progress({ stage: 'encoding' });
    let quilt;
    try {
      quilt = await o.encoder.buildFrameQuilt(frames, walrus.nShards);
    } catch (error) {
      throw new BatchRejectedError(`cannot build the quilt: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const built = performance.now();

    // The local blob id is needed only to check the publisher's answer, so it is computed while the
    // quilt is already on its way: a lone frame waits for max(blob id, store), not their sum.
    const epochs = epochsForWindow(o.availabilityWindowMs, walrus.epochDurationMs, o.maxEpochsAhead ?? MAX_EPOCHS_AHEAD);
    const timed = <T>(work: Promise<T>) => work.then((value) => ({ value, ms: since(built) }));
    const [local, stored] = await settleBoth(
      timed(o.encoder.blobMetadata(quilt.quilt, walrus.nShards)).then(async (result) => {
        await progress({ stage: 'storing', quiltId: bytesToHex(result.value.blobId) });
        return result;
      }),
      timed(o.blobStore.store(quilt.quilt, { epochs })),
    );
    const blobId = local.value.blobId;
    const receipt = stored.value;
    const quiltId = bytesToHex(blobId);
    if (!equalBytes(receipt.blobId, blobId)) {
      throw new IntegrityError(`the publisher stored blob ${bytesToHex(receipt.blobId)}, but the quilt's blob id is ${quiltId}`);
    }
    const objectId = await this.#objectId(receipt);
    await progress({ stage: 'stored', quiltId, objectId: bytesToHex(objectId) });

    const certifying = performance.now();
    const object = await this.#certifiedObject(blobId, objectId);
    const certifyMs = since(certifying);
    const committing = performance.now();
    const { height } = await o.commitLog.commitBatch({
      quiltId: blobId,
      objectId,
      certifiedEpoch: object.certifiedEpoch,
      endEpoch: object.endEpoch,
      frames: keys.map((key, i) => {
        const patch = quilt.framePatches[i];
        if (!patch) throw new BatchRejectedError(`no patch for frame ${key}`);
        return { key, startColumn: patch.startColumn, endColumn: patch.endColumn };
      }),
    });
    const stages: BatchStages = {
      readMs,
      buildMs: Math.round(built - started) - readMs,
      blobIdMs: local.ms,
      storeMs: stored.ms,
      certifyMs,
      commitMs: since(committing),
      totalMs: since(started),
    };
    for (const [stage, ms] of Object.entries(stages)) if (stage !== 'totalMs') o.metrics?.batchStageSeconds.observe({ stage: stage.replace(/Ms$/, '') }, ms / 1000);

    const payload = frames.reduce((sum, f) => sum + f.bytes.length, 0);
    o.metrics?.batchFrames.observe(keys.length);
    o.metrics?.batchBytes.observe(payload);
    o.metrics?.quiltBytes.inc({ kind: 'unencoded' }, quilt.quilt.length);
    if (receipt.encodedLength !== undefined) o.metrics?.quiltBytes.inc({ kind: 'encoded' }, receipt.encodedLength);
    o.metrics?.stores.inc({ outcome: receipt.alreadyCertified ? 'alreadyCertified' : 'newlyCreated' });
    o.logger.info(
      { height, quiltId, objectId: bytesToHex(objectId), frames: keys.length, payload, quiltBytes: quilt.quilt.length, epochs, endEpoch: object.endEpoch, alreadyCertified: receipt.alreadyCertified, stages },
      'quilt certified',
    );
    return { height, quiltId, keys, stages };
  }

  async #objectId(receipt: StoreReceipt): Promise<Uint8Array> {
    if (receipt.objectId) return receipt.objectId;
    if (!receipt.certifiedEvent) {
      throw new IntegrityError(`the publisher named neither the Blob object nor its certification event for ${bytesToHex(receipt.blobId)}`);
    }
    const objectId = await this.#options.availability.certifiedObjectId(receipt.blobId, receipt.certifiedEvent);
    if (!objectId) {
      throw new UnavailableError(`Sui does not (yet) show the BlobCertified event ${receipt.certifiedEvent.txDigest}#${receipt.certifiedEvent.eventSeq}`);
    }
    return objectId;
  }

  /** Polls Sui until the object is certified, permanent and unexpired (full nodes may lag the publisher). */
  async #certifiedObject(quiltId: Uint8Array, objectId: Uint8Array): Promise<{ certifiedEpoch: number; endEpoch: number }> {
    const o = this.#options;
    const deadline = Date.now() + o.certifyTimeoutMs;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
      const [object, epoch, type] = await Promise.all([o.availability.blobObject(objectId), o.availability.currentEpoch(), o.availability.blobType()]);
      const step = assessBlobObject(object, { objectId, quiltId }, type, epoch, { minRemainingEpochs: 1 });
      if (step.ok && object && object.certifiedEpoch !== null) return { certifiedEpoch: object.certifiedEpoch, endEpoch: object.endEpoch };
      if (Date.now() + delay > deadline) {
        throw new UnavailableError(`quilt ${bytesToHex(quiltId)} is not certified on Sui within ${o.certifyTimeoutMs} ms: ${step.reason}`);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** The batch's frames with their keys; a batch missing any frame is rejected, never stored in part. */
async function keyedFrames(source: BatchFrameSource, keys: readonly FrameKey[]): Promise<KeyedFrame[]> {
  const found = await source.framesOf(keys);
  const frames: KeyedFrame[] = [];
  const missing: FrameKey[] = [];
  keys.forEach((key, i) => {
    const bytes = found[i];
    if (bytes === undefined) missing.push(key);
    else frames.push({ key, bytes });
  });
  if (missing.length > 0) throw new BatchRejectedError(`frame bytes missing from Redis for ${missing.length} frames (first 0x${missing[0]})`);
  return frames;
}

/**
 * Waits for both, so neither is left running unobserved, and throws the first failure: a
 * publisher error is reported even when the local id is still being computed, and vice versa.
 */
async function settleBoth<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}
