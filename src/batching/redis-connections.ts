// Redis connections of a replica and how their failures surface. BullMQ's production guidance
// (taskforcesh/bullmq@7435d463d3b1996fbbdaa123d82a126af5acb714 docs/gitbook/guide/going-to-production.md)
// shapes the options: request-path connections fail fast (no offline queue), worker connections
// retry forever. The key layout lives in batch-state.ts.
import { Redis, type RedisOptions } from 'ioredis';
import { UnavailableError, type HealthProbe } from '../core/index.ts';
import { redactUrl, type Logger } from '../observability/logger.ts';

/** A connection for request handlers: commands fail at once while Redis is down. */
export function requestConnection(url: string): Redis {
  return new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  } satisfies RedisOptions);
}

/** A connection for BullMQ workers and QueueEvents: blocking commands, retried forever. */
export function workerConnection(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (attempt) => Math.min(attempt * 200, 2_000) });
  // Outages surface through the BullMQ objects using the connection (and /health); without a
  // listener, ioredis would print "Unhandled error event" on every reconnect attempt.
  redis.on('error', () => undefined);
  return redis;
}

/** Connects at startup with an error that names the URL and how to get a Redis. */
export async function connectOrExplain(redis: Redis, url: string): Promise<void> {
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new UnavailableError(
      `cannot reach Redis at ${redactUrl(url)} (${error instanceof Error ? error.message : String(error)}): start one with ` +
        `"redis-server --port 6379 --maxmemory-policy noeviction" or point --redis-url / WALRUS_DA_REDIS_URL at yours`,
      { cause: error },
    );
  }
}

/** Runs a Redis call, turning connection failures into UnavailableError (→ 503 / UNAVAILABLE). */
export async function redisCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new UnavailableError(`Redis ${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** PING, for /health and gRPC health. */
export function redisProbe(redis: Redis): HealthProbe {
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

/** BullMQ (and our held frames) need noeviction; say so at startup when Redis is set otherwise. */
export async function warnUnlessNoeviction(redis: Redis, logger: Logger): Promise<void> {
  try {
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    if (policy !== 'noeviction') {
      logger.warn({ policy }, 'Redis maxmemory-policy is not noeviction: queued frames and commitments could be evicted; set maxmemory-policy noeviction');
    }
  } catch {
    // CONFIG is disabled on some managed Redis services; BullMQ warns on its own there.
  }
}
