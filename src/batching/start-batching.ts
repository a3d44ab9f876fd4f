// Starts the Redis side of a replica: the batch state and the core ports over it, the frame queue,
// and (unless this replica only serves reads) the two workers. Any number of replicas may share
// one Redis and prefix.
import type { AvailabilityChecker, BlobStore, CommitmentStore, FrameCache, HealthProbe } from '../core/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { BatchPolicy } from './accumulator.ts';
import { BatchState } from './batch-state.ts';
import { RedisCommitmentStore } from './commitment-store.ts';
import type { QuiltEncoder } from './committer-ports.ts';
import { RedisFrameCache } from './frame-cache.ts';
import { FramesInTransit } from './frames-in-transit.ts';
import { BullMqFrameQueue } from './frame-queue.ts';
import { QuiltCommitter } from './quilt-committer.ts';
import { OrphanSweeper } from './orphan-sweeper.ts';
import { connectOrExplain, redisProbe, requestConnection, requireNoeviction } from './redis-connections.ts';
import { startFrameWorker, startQuiltWorker, type QuiltJobOptions, type WorkerTiming } from './workers.ts';

/** How a replica's quilt committer reaches Walrus and Sui. */
export interface CommitterWiring {
  readonly encoder: QuiltEncoder;
  readonly blobStore: BlobStore;
  readonly availability: AvailabilityChecker;
  readonly availabilityWindowMs: number;
  /** @default 60000 */
  readonly certifyTimeoutMs?: number;
  readonly logger: Logger;
  readonly metrics?: Metrics;
}

export interface BatchingOptions extends CommitterWiring, Partial<WorkerTiming>, Partial<QuiltJobOptions> {
  readonly redisUrl: string;
  /** @default 'walrus-da' */
  readonly prefix?: string;
  /** The effective policy, already capped at the quilt's limits (`batchLimits`). */
  readonly policy: BatchPolicy;
  /** Batches stored concurrently by this replica. @default 2 */
  readonly maxInFlight?: number;
  /** @default 3600 */
  readonly cacheTtlSeconds?: number;
  /** Run the workers on this replica. @default true */
  readonly workers?: boolean;
  /** Commitments, batch records and go-da heights expire this long after they are written. @default 31 days */
  readonly retentionMs?: number;
  /** Start even when Redis may evict keys (maxmemory-policy other than noeviction). @default false */
  readonly allowEvictingRedis?: boolean;
  /** Orphan sweep interval and grace period (replicas with workers). @default 30000 */
  readonly orphanSweepMs?: number;
  /** Fault injection (crash tests): runs between a frame's write and its job's add. */
  readonly afterFrameWrite?: () => void;
  /**
   * How long close() waits for the workers to flush and stop before it disconnects from Redis
   * (a Redis that has gone away would hold it forever). @default 1500
   */
  readonly closeTimeoutMs?: number;
}

export interface Batching {
  readonly queue: BullMqFrameQueue;
  readonly cache: FrameCache;
  readonly commitments: CommitmentStore;
  /** The put path's Redis state (benches and tests drive it directly). */
  readonly state: BatchState;
  readonly probe: HealthProbe;
  readonly policy: BatchPolicy;
  /** Flushes the open batch and stops the workers, within `closeTimeoutMs`; then disconnects. */
  close(): Promise<void>;
}

export async function startBatching(options: BatchingOptions): Promise<Batching> {
  const redis = requestConnection(options.redisUrl);
  redis.on('error', () => undefined); // surfaced per call as UnavailableError; avoid unhandled 'error' events
  await connectOrExplain(redis, options.redisUrl);
  try {
    await requireNoeviction(redis, { allowEvicting: options.allowEvictingRedis ?? false, logger: options.logger });
  } catch (error) {
    redis.disconnect();
    throw error;
  }

  const state = new BatchState(redis, {
    prefix: options.prefix ?? 'walrus-da',
    cacheTtlSeconds: options.cacheTtlSeconds ?? 3600,
    ...(options.retentionMs === undefined ? {} : { retentionMs: options.retentionMs }),
  });
  const inTransit = new FramesInTransit();
  const { afterFrameWrite } = options;
  const queue = new BullMqFrameQueue({ redisUrl: options.redisUrl, redis, state, logger: options.logger, inTransit, ...(afterFrameWrite ? { afterFrameWrite } : {}) });
  const { policy } = options;
  const timing: WorkerTiming = { lockDurationMs: options.lockDurationMs ?? 15_000, stalledIntervalMs: options.stalledIntervalMs ?? 10_000 };

  const workers: { close(): Promise<void>; forceClose(): void }[] = [];
  if (options.workers ?? true) {
    const sweeper = new OrphanSweeper({
      state,
      frames: queue.framesQueue,
      quilts: queue.quiltsQueue,
      logger: options.logger,
      ...(options.orphanSweepMs === undefined ? {} : { intervalMs: options.orphanSweepMs }),
    });
    sweeper.start();
    workers.push({ close: () => sweeper.stop(), forceClose: () => void sweeper.stop() });
    workers.push(
      startFrameWorker({
        ...timing,
        redisUrl: options.redisUrl,
        state,
        quilts: queue.quiltsQueue,
        policy,
        maxInFlight: options.maxInFlight ?? 2,
        inTransit,
        attempts: options.attempts ?? 8,
        backoffMs: options.backoffMs ?? 1000,
        logger: options.logger,
      }),
      startQuiltWorker({
        ...timing,
        redisUrl: options.redisUrl,
        state,
        committer: quiltCommitter(state, options),
        concurrency: options.maxInFlight ?? 2,
        logger: options.logger,
        ...(options.metrics ? { metrics: options.metrics } : {}),
      }),
    );
  }

  const depthTimer = options.metrics
    ? setInterval(() => {
        queue.depth().then((d) => options.metrics?.queueDepth.set(d), () => undefined);
      }, 2000)
    : undefined;
  depthTimer?.unref();

  return {
    queue,
    cache: new RedisFrameCache(state),
    commitments: new RedisCommitmentStore(state),
    state,
    policy,
    probe: redisProbe(redis),
    async close() {
      clearInterval(depthTimer);
      const orderly = (async () => {
        // The frame worker first: it flushes its open batch into the quilt queue.
        for (const worker of workers) await worker.close();
        await queue.close();
        await redis.quit().catch(() => redis.disconnect());
      })();
      const boundMs = options.closeTimeoutMs ?? 1500;
      if (await settlesWithin(orderly, boundMs)) return;
      options.logger.warn({ boundMs }, 'batch workers did not stop in time (is Redis reachable?); disconnecting: jobs still active return to the queue when their locks expire');
      for (const worker of workers) worker.forceClose();
      queue.disconnect();
      redis.disconnect();
    },
  };
}

/** True when `promise` settles (either way) within `ms`. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true, () => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** The quilt committer of a replica: frames from and commits into the batch state. */
export function quiltCommitter(state: BatchState, wiring: CommitterWiring): QuiltCommitter {
  return new QuiltCommitter({
    frames: state,
    commitLog: state,
    encoder: wiring.encoder,
    blobStore: wiring.blobStore,
    availability: wiring.availability,
    availabilityWindowMs: wiring.availabilityWindowMs,
    certifyTimeoutMs: wiring.certifyTimeoutMs ?? 60_000,
    logger: wiring.logger,
    ...(wiring.metrics ? { metrics: wiring.metrics } : {}),
  });
}
