// Frame bytes in Redis, binary, under their keccak (never in BullMQ job JSON, which would
// base64-inflate them and is plaintext). A frame is held without TTL from enqueue until its batch
// commits; afterwards the same key serves as the read cache and expires after the cache TTL.
import type { Redis } from 'ioredis';
import type { FrameCache, FrameKey } from '../core/index.ts';
import { redisCall, type RedisKeys } from './redis.ts';

// Cache fills must never put a TTL on a frame that is still queued (TTL -1): it could expire
// before its batch is built. Everything else (absent, or already a cache entry) is (re)written.
const CACHE_PUT = `
if redis.call('TTL', KEYS[1]) == -1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`;

export interface FrameStoreOptions {
  /** How long a committed frame stays readable from Redis. @default 3600 */
  readonly cacheTtlSeconds: number;
}

export class RedisFrameStore implements FrameCache {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #ttl: number;

  constructor(redis: Redis, keys: RedisKeys, options: FrameStoreOptions) {
    this.#redis = redis;
    this.#keys = keys;
    this.#ttl = options.cacheTtlSeconds;
  }

  async get(key: FrameKey): Promise<Uint8Array | undefined> {
    const value = await redisCall('frame read', () => this.#redis.getBuffer(this.#keys.frame(key)));
    return value === null ? undefined : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }

  async put(key: FrameKey, frame: Uint8Array): Promise<void> {
    if (this.#ttl <= 0) return;
    await redisCall('frame cache write', () => this.#redis.eval(CACHE_PUT, 1, this.#keys.frame(key), Buffer.from(frame), this.#ttl));
  }

  /** Holds a queued frame without TTL until its batch commits. */
  async hold(key: FrameKey, frame: Uint8Array): Promise<void> {
    await redisCall('frame write', () => this.#redis.set(this.#keys.frame(key), Buffer.from(frame)));
  }

  /** Frames of a batch, in order; undefined where a frame is missing. */
  async getMany(keys: readonly FrameKey[]): Promise<(Uint8Array | undefined)[]> {
    if (keys.length === 0) return [];
    const values = await redisCall('frame batch read', () => this.#redis.mgetBuffer(...keys.map((k) => this.#keys.frame(k))));
    return values.map((v) => (v === null ? undefined : new Uint8Array(v.buffer, v.byteOffset, v.byteLength)));
  }
}
