// Starts the Redis side of a replica: stores, the frame queue, and (unless this replica only
// serves reads) the two workers. Any number of replicas may share one Redis and prefix.
import type { Redis } from 'ioredis';
import type { AvailabilityChecker, BlobStore, HealthProbe } from '../core/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { maxQuiltPatches, type EncoderPool } from '../walrus/codec/index.ts';
import type { BatchPolicy } from './accumulator.ts';
import { RedisCommitmentStore } from './commitment-store.ts';
import { BullMqFrameQueue } from './frame-queue.ts';
import { RedisFrameStore } from './frame-store.ts';
import { QuiltCommitter } from './quilt-committer.ts';
import { RedisKeys, connectOrExplain, requestConnection } from './redis.ts';
import { startFrameWorker, startQuiltWorker, type QuiltJobOptions, type WorkerTiming } from './workers.ts';

export interface BatchingOptions extends Partial<WorkerTiming>, Partial<QuiltJobOptions> {
  readonly redisUrl: string;
  /** @default 'walrus-da' */
  readonly prefix?: string;
  /** maxFrames is capped at the quilt patch limit for `nShards`. */
  readonly policy: BatchPolicy;
  /** Shards of the Walrus committee, for the quilt patch limit. */
  readonly nShards: number;
  /** Batches stored concurrently by this replica. @default 2 */
  readonly maxInFlight?: number;
  /** @default 3600 */
  readonly cacheTtlSeconds?: number;
  readonly availabilityWindowMs: number;
  /** @default 60000 */
  readonly certifyTimeoutMs?: number;
  /** Run the workers on this replica. @default true */
  readonly workers?: boolean;
  readonly encoder: EncoderPool;
  readonly blobStore: BlobStore;
  readonly availability: AvailabilityChecker;
  readonly logger: Logger;
  readonly metrics?: Metrics;
}

export interface Batching {
  readonly queue: BullMqFrameQueue;
  readonly cache: RedisFrameStore;
  readonly commitments: RedisCommitmentStore;
  readonly probe: HealthProbe;
  /** The effective batch policy (maxFrames capped by the quilt limit). */
  readonly policy: BatchPolicy;
  close(): Promise<void>;
}

export async function startBatching(options: BatchingOptions): Promise<Batching> {
  const keys = new RedisKeys(options.prefix ?? 'walrus-da');
  const redis = requestConnection(options.redisUrl);
  redis.on('error', () => undefined); // surfaced per call as UnavailableError; avoid unhandled 'error' events
  await connectOrExplain(redis, options.redisUrl);
  await warnUnlessNoeviction(redis, options.logger);

  const cacheTtlSeconds = options.cacheTtlSeconds ?? 3600;
  const cache = new RedisFrameStore(redis, keys, { cacheTtlSeconds });
  const commitments = new RedisCommitmentStore(redis, keys);
  const queue = new BullMqFrameQueue({ redisUrl: options.redisUrl, redis, keys, frames: cache, commitments, logger: options.logger });
  const policy: BatchPolicy = { ...options.policy, maxFrames: Math.min(options.policy.maxFrames, maxQuiltPatches(options.nShards)) };
  const timing: WorkerTiming = { lockDurationMs: options.lockDurationMs ?? 15_000, stalledIntervalMs: options.stalledIntervalMs ?? 10_000 };

  const workers: { close(): Promise<void> }[] = [];
  if (options.workers ?? true) {
    const committer = new QuiltCommitter({
      frames: cache,
      commitments,
      encoder: options.encoder,
      blobStore: options.blobStore,
      availability: options.availability,
      availabilityWindowMs: options.availabilityWindowMs,
      cacheTtlSeconds,
      certifyTimeoutMs: options.certifyTimeoutMs ?? 60_000,
      logger: options.logger,
      ...(options.metrics ? { metrics: options.metrics } : {}),
    });
    workers.push(
      startFrameWorker({
        ...timing,
        redisUrl: options.redisUrl,
        redis,
        keys,
        commitments,
        quilts: queue.quiltsQueue,
        policy,
        attempts: options.attempts ?? 8,
        backoffMs: options.backoffMs ?? 1000,
        logger: options.logger,
      }),
      startQuiltWorker({
        ...timing,
        redisUrl: options.redisUrl,
        redis,
        keys,
        committer,
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
    cache,
    commitments,
    policy,
    probe: redisProbe(redis),
    async close() {
      clearInterval(depthTimer);
      // The frame worker first: it flushes its open batch into the quilt queue.
      for (const worker of workers) await worker.close();
      await queue.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

function redisProbe(redis: Redis): HealthProbe {
  return {
    name: 'redis',
    async check() {
      const started = performance.now();
      try {
        const reply = await redis.ping();
        return { name: 'redis', ok: reply === 'PONG', detail: reply, latencyMs: performance.now() - started };
      } catch (error) {
        return { name: 'redis', ok: false, detail: error instanceof Error ? error.message : String(error), latencyMs: performance.now() - started };
      }
    },
  };
}

async function warnUnlessNoeviction(redis: Redis, logger: Logger): Promise<void> {
  try {
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    if (policy !== 'noeviction') {
      logger.warn({ policy }, 'Redis maxmemory-policy is not noeviction: queued frames and commitments could be evicted; set maxmemory-policy noeviction');
    }
  } catch {
    // CONFIG is disabled on some managed Redis services; BullMQ warns on its own there.
  }
}
