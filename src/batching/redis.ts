// Redis connections and the key layout of one deployment. BullMQ's production guidance
// (docs/gitbook/guide/going-to-production.md) shapes the connection options: request-path
// connections fail fast (no offline queue), worker connections retry forever.
import { Redis, type RedisOptions } from 'ioredis';
import { UnavailableError } from '../core/index.ts';
import { redactUrl } from '../observability/logger.ts';

export interface RedisTarget {
  /** e.g. redis://127.0.0.1:6379/0 */
  readonly url: string;
  /** Namespaces every key (BullMQ's `prefix` and ours), so deployments can share a Redis. @default 'walrus-da' */
  readonly prefix: string;
}

/**
 * Our own keys, next to BullMQ's `<prefix>:frames:*` and `<prefix>:quilts:*`:
 *   <p>:frame:<key>    frame bytes (no TTL while queued; the cache TTL once committed)
 *   <p>:flight:<key>   id of the quilt job the frame was handed to
 *   <p>:commit:<key>   the frame's commitment (JSON), kept for good
 *   <p>:batch:<height> the committed batch at a height (JSON)
 *   <p>:quilt:<id>     the height at which a quilt was committed (a repeated batch reuses it)
 *   <p>:height         the last height handed out
 */
export class RedisKeys {
  readonly prefix: string;

  constructor(prefix: string) {
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(prefix)) {
      throw new RangeError(`redis prefix must be 1-64 characters of [A-Za-z0-9_.:-], got ${JSON.stringify(prefix)}`);
    }
    this.prefix = prefix;
  }

  frame(key: string): string {
    return `${this.prefix}:frame:${key}`;
  }
  flight(key: string): string {
    return `${this.prefix}:flight:${key}`;
  }
  commit(key: string): string {
    return `${this.prefix}:commit:${key}`;
  }
  batch(height: number): string {
    return `${this.prefix}:batch:${height}`;
  }
  quiltHeight(quiltId: string): string {
    return `${this.prefix}:quilt:${quiltId}`;
  }
  get height(): string {
    return `${this.prefix}:height`;
  }
}

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

/** Deletes every key of a deployment prefix (ours and BullMQ's): for benches and tests, never serve. */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  new RedisKeys(prefix); // validates: a bad prefix must not turn into a broad MATCH pattern
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
