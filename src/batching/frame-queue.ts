// FrameQueue on BullMQ. Two queues:
//   frames  one job per frame, job id = frame key, so concurrent duplicates collapse (and a frame
//           is batched once, by whichever replica takes its job);
//   quilts  one job per batch, job id derived from its sorted keys, holding the composition, so a
//           batch retried after a failure or a crash rebuilds the identical quilt.
// Callers wait for commitments, not jobs: a waiter resolves when the frame's commitment appears
// (quilt 'completed' event, or a 1 s poll that covers missed events and other replicas).
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { hexToBytes } from '../bytes/index.ts';
import {
  CancelledError,
  UnavailableError,
  type CallOptions,
  type FrameCommitment,
  type FrameKey,
  type FrameQueue,
  type FrameStatus,
} from '../core/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { BatchState } from './batch-state.ts';
import { FRAMES_QUEUE, QUILTS_QUEUE, addFrameJob, reviveIfFailed, handedOffBatch, progressOf, type FrameJobData, type QuiltJobData } from './jobs.ts';
import type { FramesInTransit } from './frames-in-transit.ts';
import { redisCall, workerConnection } from './redis-connections.ts';

interface Waiter {
  readonly resolve: (commitment: FrameCommitment) => void;
  readonly reject: (error: Error) => void;
}

export interface BullMqFrameQueueOptions {
  readonly redisUrl: string;
  /** Request-path connection (fails fast while Redis is down). */
  readonly redis: Redis;
  readonly state: BatchState;
  readonly logger: Logger;
  /** Told of every frame job this replica adds (group commit waits for them). */
  readonly inTransit?: FramesInTransit;
  /** @default 1000 */
  readonly pollIntervalMs?: number;
  /** Fault injection (tests): runs between a frame's write and its job's add. */
  readonly afterFrameWrite?: () => void;
}

export class BullMqFrameQueue implements FrameQueue {
  readonly #o: BullMqFrameQueueOptions;
  readonly framesQueue: Queue<FrameJobData>;
  readonly quiltsQueue: Queue<QuiltJobData>;
  readonly #events: QueueEvents;
  readonly #eventsConnection: Redis;
  readonly #waiters = new Map<FrameKey, Set<Waiter>>();
  readonly #poll: NodeJS.Timeout;
  /** Set by stopWaiting(): the replica is shutting down and answers no more commitments. */
  #stopped = false;

  constructor(options: BullMqFrameQueueOptions) {
    this.#o = options;
    const queueOptions = { connection: options.redis, prefix: options.state.prefix };
    this.framesQueue = new Queue<FrameJobData>(FRAMES_QUEUE, queueOptions);
    this.quiltsQueue = new Queue<QuiltJobData>(QUILTS_QUEUE, queueOptions);
    for (const queue of [this.framesQueue, this.quiltsQueue]) {
      queue.setMaxListeners(0);
      queue.on('error', (err) => options.logger.warn({ err: err.message, queue: queue.name }, 'queue error'));
    }
    this.#eventsConnection = workerConnection(options.redisUrl);
    this.#events = new QueueEvents(QUILTS_QUEUE, { connection: this.#eventsConnection, prefix: options.state.prefix });
    this.#events.on('error', (err) => options.logger.warn({ err: err.message }, 'queue events error'));
    this.#events.on('completed', ({ returnvalue }) => void this.#onCommitted(returnvalue));
    this.#events.on('failed', ({ jobId, failedReason }) => void this.#onBatchFailed(jobId, failedReason));
    this.#poll = setInterval(() => void this.#pollCommitments(), options.pollIntervalMs ?? 1000);
    this.#poll.unref();
  }

  async enqueue(key: FrameKey, frame: Uint8Array): Promise<void> {
    await this.#o.state.holdFrame(key, frame);
    this.#o.afterFrameWrite?.();
    const batch = await this.#handedOffBatch(key);
    if (batch) {
      // Handed to a batch already: a repeated put revives the batch if it had given up.
      await redisCall('quilt job retry', () => reviveIfFailed(batch));
      return;
    }
    this.#o.inTransit?.queued(key);
    await addFrameJob(this.framesQueue, key, frame.length);
  }

  /** Resolves when the commitment appears; the read right after registering covers a commitment already there. */
  waitForCommitment(key: FrameKey, options: CallOptions = {}): Promise<FrameCommitment> {
    return new Promise<FrameCommitment>((resolve, reject) => {
      if (this.#stopped) return reject(shuttingDown(key));
      const { signal } = options;
      const onAbort = () => {
        this.#removeWaiter(key, waiter);
        reject(new CancelledError('stopped waiting for the commitment', { cause: signal?.reason as unknown }));
      };
      const waiter: Waiter = {
        resolve: (c) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(c);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const set = this.#waiters.get(key) ?? new Set<Waiter>();
      set.add(waiter);
      this.#waiters.set(key, set);
      // The commitment may already be there, or land while we register: read once after registering.
      void this.#settle([key]);
    });
  }

  async status(key: FrameKey): Promise<FrameStatus | undefined> {
    const batch = await this.#handedOffBatch(key);
    if (batch) {
      const progress = progressOf(batch.progress);
      const quiltId = progress?.quiltId === undefined ? undefined : hexToBytes(progress.quiltId);
      const objectId = progress?.objectId === undefined ? undefined : hexToBytes(progress.objectId);
      return {
        key,
        state: progress?.stage === 'stored' ? 'stored' : 'batched',
        ...(quiltId ? { quiltId } : {}),
        ...(objectId ? { objectId } : {}),
        ...(batch.failedReason ? { lastError: batch.failedReason } : {}),
      };
    }
    const job = await redisCall('frame job read', () => this.framesQueue.getJob(key));
    return job ? { key, state: 'queued', ...(job.failedReason ? { lastError: job.failedReason } : {}) } : undefined;
  }

  /** Frames waiting to be batched (for the queue-depth gauge). */
  async depth(): Promise<number> {
    const counts = await this.framesQueue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  #handedOffBatch(key: FrameKey) {
    return handedOffBatch(this.#o.state, this.quiltsQueue, key);
  }

  /**
   * Shutdown: every put still waiting for its commitment fails now with UnavailableError, and so
   * does any that starts waiting later. Their frames stay queued for the next replica to store;
   * the caller's retry finds the commitment.
   */
  stopWaiting(): void {
    this.#stopped = true;
    for (const [key, set] of this.#waiters) for (const w of set) w.reject(shuttingDown(key));
    this.#waiters.clear();
  }

  /** Drops the queue's own Redis connection at once (a close that ran out of time). */
  disconnect(): void {
    clearInterval(this.#poll);
    this.stopWaiting();
    // BullMQ may have duplicated the connection it was given: disconnect its clients too.
    for (const owner of [this.#events, this.framesQueue, this.quiltsQueue]) owner.disconnect().catch(() => undefined);
    this.#eventsConnection.disconnect();
  }

  async close(): Promise<void> {
    clearInterval(this.#poll);
    this.stopWaiting();
    await Promise.allSettled([this.#events.close(), this.framesQueue.close(), this.quiltsQueue.close()]);
    await this.#eventsConnection.quit().catch(() => this.#eventsConnection.disconnect());
  }

  async #onCommitted(returnvalue: unknown): Promise<void> {
    const parsed = typeof returnvalue === 'string' ? safeJson(returnvalue) : returnvalue;
    const keys = typeof parsed === 'object' && parsed !== null && 'keys' in parsed && Array.isArray(parsed.keys) ? (parsed.keys as FrameKey[]) : [];
    await this.#settle(keys.filter((k) => this.#waiters.has(k)));
  }

  async #onBatchFailed(batchId: string, reason: string): Promise<void> {
    try {
      const job = await this.quiltsQueue.getJob(batchId);
      const error = new UnavailableError(`the batch holding this frame failed after all retries: ${reason}`);
      for (const key of job?.data.keys ?? []) this.#rejectAll(key, error);
    } catch (error) {
      this.#o.logger.warn({ batchId, err: String(error) }, 'could not read a failed batch');
    }
  }

  async #pollCommitments(): Promise<void> {
    await this.#settle([...this.#waiters.keys()]);
  }

  async #settle(keys: readonly FrameKey[]): Promise<void> {
    if (keys.length === 0) return;
    let found: Map<FrameKey, FrameCommitment>;
    try {
      found = await this.#o.state.commitmentsOf(keys);
    } catch {
      return; // Redis is down: the next poll tries again; waiters time out on their own deadline.
    }
    for (const [key, commitment] of found) {
      const set = this.#waiters.get(key);
      this.#waiters.delete(key);
      for (const w of set ?? []) w.resolve(commitment);
    }
  }

  #rejectAll(key: FrameKey, error: Error): void {
    const set = this.#waiters.get(key);
    this.#waiters.delete(key);
    for (const w of set ?? []) w.reject(error);
  }

  #removeWaiter(key: FrameKey, waiter: Waiter): void {
    const set = this.#waiters.get(key);
    set?.delete(waiter);
    if (set?.size === 0) this.#waiters.delete(key);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function shuttingDown(key: FrameKey): UnavailableError {
  return new UnavailableError(`server shutting down before frame 0x${key} was committed; it stays queued and a repeated put returns its commitment once certified`);
}
