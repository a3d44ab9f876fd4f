// The two BullMQ workers of a replica. The frame worker parks each frame job in the accumulator
// (BullMQ OSS has no batches of jobs: docs/architecture.md, "Batching") and, on flush, hands the
// batch to the quilts queue; the quilt worker stores batches, several at a time.
import { QueueEvents, UnrecoverableError, Worker, type Job, type Queue, type WorkerOptions } from 'bullmq';
import { RetryableDaError, toDaError, type FrameKey } from '../core/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { BatchAccumulator, type BatchPolicy } from './accumulator.ts';
import type { BatchState } from './batch-state.ts';
import { FRAMES_QUEUE, QUILTS_QUEUE, addOrRevive, handedOffBatch, quiltJobFor, type CommittedQuilt, type FrameJobData, type QuiltJobData } from './jobs.ts';
import { BatchRejectedError, type QuiltCommitter } from './quilt-committer.ts';
import type { FramesInTransit } from './frames-in-transit.ts';
import { StoreSlots } from './store-slots.ts';
import { workerConnection } from './redis-connections.ts';

export interface WorkerTiming {
  /** BullMQ lock of an active job; a crashed replica's jobs return to the queue after this. @default 15000 */
  readonly lockDurationMs: number;
  /** How often stalled jobs are looked for. @default 10000 */
  readonly stalledIntervalMs: number;
}

export interface QuiltJobOptions {
  /** Store attempts per batch before it fails (a later put of one of its frames revives it). @default 8 */
  readonly attempts: number;
  /** First retry delay; doubles per attempt. @default 1000 */
  readonly backoffMs: number;
}

interface WorkerBase extends WorkerTiming {
  readonly redisUrl: string;
  readonly state: BatchState;
  readonly logger: Logger;
}

export interface FrameWorkerOptions extends WorkerBase, QuiltJobOptions {
  readonly quilts: Queue<QuiltJobData>;
  readonly policy: BatchPolicy;
  /** Group commit: batches this replica keeps in the quilt queue at once (the quilt worker's concurrency). */
  readonly maxInFlight: number;
  /** Frames this replica queued and the worker has not seen yet (group commit waits for them). */
  readonly inTransit: FramesInTransit;
}

export interface QuiltWorkerOptions extends WorkerBase {
  readonly committer: QuiltCommitter;
  /** Batches stored at once by this replica. @default 2 */
  readonly concurrency: number;
  readonly metrics?: Metrics;
}

/** What a frame job returns: already committed, or the quilt job it was handed to. */
export interface FrameJobResult {
  readonly committed?: boolean;
  readonly batchId?: string | undefined;
}

/** A running worker and the connection it owns. */
export interface RunningWorker<T, R> {
  readonly worker: Worker<T, R>;
  close(): Promise<void>;
  /**
   * Stops without waiting for anything (Redis gone, or a close that ran out of time): active jobs
   * keep their lock until it expires and then return to the queue for another replica.
   */
  forceClose(): void;
}

export function startFrameWorker(options: FrameWorkerOptions): RunningWorker<FrameJobData, FrameJobResult> {
  const { state, quilts } = options;
  // A slot is taken when a batch is handed off and given back when its quilt job completes or
  // fails an attempt, as the quilts queue's events report (from whichever replica stored it).
  const slots = new StoreSlots(options.maxInFlight);
  const eventsConnection = workerConnection(options.redisUrl);
  const events = new QueueEvents(QUILTS_QUEUE, { connection: eventsConnection, prefix: state.prefix });
  events.on('error', (err) => options.logger.warn({ err: err.message }, 'quilt events error'));
  events.on('completed', ({ jobId }) => slots.release(jobId));
  events.on('failed', ({ jobId }) => slots.release(jobId));
  // A retried attempt waits out its backoff as `delayed`: it stores nothing meanwhile.
  events.on('delayed', ({ jobId }) => slots.release(jobId));
  // Seal only when a slot is free and no frame queued here a moment ago is still on its way.
  const gate = {
    get free() {
      return slots.free && !options.inTransit.pending;
    },
    onRelease: (listener: () => void) => slots.onRelease(listener),
  };
  const accumulator = new BatchAccumulator<FrameKey, string>(options.policy, (batch) => handOff(batch), gate);

  async function handOff(batch: readonly FrameKey[]): Promise<string> {
    const { batchId, keys: sorted } = quiltJobFor(batch);
    slots.take(batchId); // synchronously, before the next seal can look at the slots
    try {
      await state.handOff(batchId, sorted);
      const job = await addOrRevive(quilts, 'quilt', { keys: sorted }, {
        jobId: batchId,
        attempts: options.attempts,
        backoff: { type: 'exponential', delay: options.backoffMs },
        removeOnComplete: { age: 86_400 },
        removeOnFail: { age: 7 * 86_400 },
      });
      // The same composition stored before: no completion event will come for it.
      if (await job.isCompleted()) slots.release(batchId);
    } catch (error) {
      slots.release(batchId);
      throw error;
    }
    options.logger.debug({ batchId, frames: sorted.length }, 'batch handed to the quilt queue');
    return batchId;
  }

  // Enough active jobs for one batch filling while the previous one is handed off.
  return startWorker(options, FRAMES_QUEUE, options.policy.maxFrames * 2, async (job: Job<FrameJobData, FrameJobResult>): Promise<FrameJobResult> => {
    const key = job.id ?? '';
    options.inTransit.arrived(key);
    if (await state.isCommitted(key)) return { committed: true };
    const handedTo = await handedOffBatch(state, quilts, key);
    if (handedTo) return { batchId: handedTo.id };
    return { batchId: await accumulator.add(key, job.data.size) };
  }, async () => {
    await accumulator.drain();
    await events.close();
    await eventsConnection.quit().catch(() => eventsConnection.disconnect());
  }, () => {
    events.disconnect().catch(() => undefined);
    eventsConnection.disconnect();
  });
}

export function startQuiltWorker(options: QuiltWorkerOptions): RunningWorker<QuiltJobData, CommittedQuilt> {
  const { metrics } = options;
  return startWorker(options, QUILTS_QUEUE, options.concurrency, async (job: Job<QuiltJobData, CommittedQuilt>) => {
    metrics?.batchesInFlight.inc();
    const endTimer = metrics?.storeSeconds.startTimer();
    try {
      const result = await options.committer.commit(job.data.keys, (progress) => job.updateProgress(progress));
      endTimer?.({ outcome: 'ok' });
      return result;
    } catch (error) {
      // A BatchRejectedError is about this composition, not a failure of a dependency; everything
      // else takes the one road to a DaError (an unknown failure is logged there with its stack).
      const failure = error instanceof BatchRejectedError ? undefined : toDaError(error, options.logger);
      const code = failure?.code ?? 'REJECTED';
      endTimer?.({ outcome: 'error' });
      metrics?.stores.inc({ outcome: code });
      options.logger.warn({ batchId: job.id, attempt: job.attemptsMade + 1, code, err: error instanceof Error ? error.message : String(error) }, 'quilt store failed');
      // Retried by BullMQ: retryable failures, and bugs (Internal) — a bug may be a dependency's
      // transient fault we do not know yet, and freeing the frames would not help either way.
      const final = failure === undefined || (!(failure instanceof RetryableDaError) && failure.code !== 'INTERNAL');
      if (final) {
        // This composition can never be stored: free its frames so later puts batch them anew.
        await options.state.releaseBatch(job.data.keys);
        throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
      }
      throw error instanceof Error ? error : new Error(String(error));
    } finally {
      metrics?.batchesInFlight.dec();
    }
  });
}

/** A worker on its own connection, which it closes: BullMQ leaves connections it was handed open. */
function startWorker<T, R>(
  options: WorkerBase,
  queue: string,
  concurrency: number,
  processor: (job: Job<T, R>) => Promise<R>,
  beforeClose?: () => Promise<void>,
  forceBeforeClose?: () => void,
): RunningWorker<T, R> {
  const connection = workerConnection(options.redisUrl);
  const settings: WorkerOptions = {
    connection,
    prefix: options.state.prefix,
    concurrency,
    lockDuration: options.lockDurationMs,
    stalledInterval: options.stalledIntervalMs,
    maxStalledCount: 10,
  };
  const worker = new Worker<T, R>(queue, processor, settings);
  worker.on('error', (err) => options.logger.warn({ err: err.message, queue }, 'worker error'));
  return {
    worker,
    async close() {
      await beforeClose?.();
      await worker.close();
      await connection.quit().catch(() => connection.disconnect());
    },
    forceClose() {
      forceBeforeClose?.();
      worker.close(true).catch(() => undefined);
      // BullMQ may have duplicated the connection it was given: disconnect its clients too.
      worker.disconnect().catch(() => undefined);
      connection.disconnect();
    },
  };
}
