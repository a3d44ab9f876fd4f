// The two BullMQ workers of a replica. The frame worker parks each frame job in the accumulator
// (BullMQ OSS has no batches: specs/grpc-node-stack.md §C3) and, on flush, hands the batch to the
// quilts queue; the quilt worker stores batches, several at a time.
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { frameKey } from '../commitment/index.ts';
import { DaError, type FrameKey } from '../core/index.ts';
import type { Logger } from '../observability/logger.ts';
import { BatchAccumulator, type BatchPolicy } from './accumulator.ts';
import type { RedisCommitmentStore } from './commitment-store.ts';
import { FRAMES_QUEUE, QUILTS_QUEUE, type FrameJobData, type QuiltJobData } from './frame-queue.ts';
import type { Queue } from 'bullmq';
import { BatchRejectedError, type CommittedQuilt, type QuiltCommitter } from './quilt-committer.ts';
import { workerConnection, type RedisKeys } from './redis.ts';

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

export interface FrameWorkerOptions extends WorkerTiming, QuiltJobOptions {
  readonly redisUrl: string;
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly commitments: RedisCommitmentStore;
  readonly quilts: Queue<QuiltJobData>;
  readonly policy: BatchPolicy;
  readonly logger: Logger;
}

export interface FrameWorker {
  readonly worker: Worker<FrameJobData>;
  close(): Promise<void>;
}

export function startFrameWorker(options: FrameWorkerOptions): FrameWorker {
  const { redis, keys, quilts } = options;
  const accumulator = new BatchAccumulator<FrameKey, string>(options.policy, (batch) => handOff(batch));

  // The batch id is a hash of its sorted keys: the same frames always make the same quilt job.
  async function handOff(batch: readonly FrameKey[]): Promise<string> {
    const sorted = [...new Set(batch)].sort();
    const batchId = `q${frameKey(new TextEncoder().encode(sorted.join(',')))}`;
    const pipeline = redis.pipeline();
    for (const key of sorted) pipeline.set(keys.flight(key), batchId);
    await pipeline.exec();
    const job = await quilts.add(
      'quilt',
      { keys: sorted },
      {
        jobId: batchId,
        attempts: options.attempts,
        backoff: { type: 'exponential', delay: options.backoffMs },
        removeOnComplete: { age: 86_400 },
        removeOnFail: { age: 7 * 86_400 },
      },
    );
    if (await job.isFailed()) await job.retry('failed');
    options.logger.debug({ batchId, frames: sorted.length }, 'batch handed to the quilt queue');
    return batchId;
  }

  const connection = workerConnection(options.redisUrl);
  const worker = new Worker<FrameJobData>(
    FRAMES_QUEUE,
    async (job: Job<FrameJobData>) => {
      const key = job.id ?? '';
      if (await options.commitments.has(key)) return { committed: true };
      const handedTo = await redis.get(keys.flight(key));
      if (handedTo !== null && (await quilts.getJob(handedTo))) return { batchId: handedTo };
      return { batchId: await accumulator.add(key, job.data.size) };
    },
    {
      connection,
      prefix: keys.prefix,
      // Enough active jobs for one batch filling while the previous one is handed off.
      concurrency: options.policy.maxFrames * 2,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: 10,
    },
  );
  worker.on('error', (err) => options.logger.warn({ err: err.message }, 'frame worker error'));
  return {
    worker,
    async close() {
      await accumulator.drain();
      await worker.close();
      // BullMQ leaves connections it was handed open.
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}

export interface QuiltWorkerOptions extends WorkerTiming {
  readonly redisUrl: string;
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly committer: QuiltCommitter;
  /** Batches stored at once by this replica. @default 2 */
  readonly concurrency: number;
  readonly logger: Logger;
  readonly onBatch?: (outcome: { ok: boolean; seconds: number; code?: string }) => void;
}

export interface QuiltWorker {
  readonly worker: Worker<QuiltJobData, CommittedQuilt>;
  close(): Promise<void>;
}

export function startQuiltWorker(options: QuiltWorkerOptions): QuiltWorker {
  const connection = workerConnection(options.redisUrl);
  const worker = new Worker<QuiltJobData, CommittedQuilt>(
    QUILTS_QUEUE,
    async (job: Job<QuiltJobData, CommittedQuilt>) => {
      const started = performance.now();
      try {
        const result = await options.committer.commit(job.data.keys, (progress) => job.updateProgress(progress));
        options.onBatch?.({ ok: true, seconds: (performance.now() - started) / 1000 });
        return result;
      } catch (error) {
        const code = error instanceof DaError ? error.code : error instanceof BatchRejectedError ? 'REJECTED' : 'INTERNAL';
        options.onBatch?.({ ok: false, seconds: (performance.now() - started) / 1000, code });
        options.logger.warn({ batchId: job.id, attempt: job.attemptsMade + 1, code, err: error instanceof Error ? error.message : String(error) }, 'quilt store failed');
        if (error instanceof BatchRejectedError || (error instanceof DaError && !error.retryable)) {
          // This composition can never be stored: free its frames so later puts batch them anew.
          const pipeline = options.redis.pipeline();
          for (const key of job.data.keys) pipeline.del(options.keys.flight(key));
          await pipeline.exec();
          throw new UnrecoverableError(error.message);
        }
        throw error instanceof Error ? error : new Error(String(error));
      }
    },
    {
      connection,
      prefix: options.keys.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: 10,
    },
  );
  worker.on('error', (err) => options.logger.warn({ err: err.message }, 'quilt worker error'));
  return {
    worker,
    async close() {
      await worker.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
