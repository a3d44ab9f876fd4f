// Redis connections of a replica and how their failures surface. BullMQ's production guidance
// (taskforcesh/bullmq@7435d463d3b1996fbbdaa123d82a126af5acb714 docs/gitbook/guide/going-to-production.md)
// shapes the options: request-path connections fail fast (no offline queue), worker connections
// retry forever. The key layout lives in batch-keys.ts.
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

/**
 * BullMQ, our held frames and our commitments need `maxmemory-policy noeviction`: an evicting Redis
 * drops jobs and held frames silently when full. Refuses to start on any other policy unless the
 * operator allows it (`--allow-evicting-redis`). Reads the policy with CONFIG GET, or from INFO memory
 * where a managed Redis disables CONFIG; when neither says, starts with a warning.
 */
export async function requireNoeviction(redis: Redis, options: { readonly allowEvicting: boolean; readonly logger: Logger }): Promise<void> {
  const policy = await maxmemoryPolicy(redis);
  if (policy === undefined) {
    options.logger.warn('cannot read Redis maxmemory-policy (CONFIG and INFO refused): make sure it is noeviction');
    return;
  }
  if (policy === 'noeviction') return;
  const message =
    `Redis maxmemory-policy is ${policy}: when Redis fills up it would evict queued frames, BullMQ jobs and commitments. ` +
    `Set "maxmemory-policy noeviction" on the Redis server (redis.conf, or CONFIG SET maxmemory-policy noeviction), ` +
    `or start with --allow-evicting-redis (WALRUS_DA_ALLOW_EVICTING_REDIS=true) to accept the loss`;
  if (!options.allowEvicting) throw new UnavailableError(message);
  options.logger.warn({ policy }, `${message} (allowed by --allow-evicting-redis)`);
}

async function maxmemoryPolicy(redis: Redis): Promise<string | undefined> {
  try {
    const reply = await redis.config('GET', 'maxmemory-policy');
    if (reply[1]) return reply[1];
  } catch {
    // CONFIG is disabled on some managed Redis services: INFO memory carries the policy too.
  }
  try {
    const info = await redis.info('memory');
    return /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  } catch {
    return undefined;
  }
}
