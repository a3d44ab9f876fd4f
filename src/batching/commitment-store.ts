// The durable record of issued commitments in Redis. Written once per batch, atomically, by the
// quilt worker; read by every replica. A frame's first commitment wins (SET NX): a frame that
// raced into two quilts still has exactly one commitment, and a repeated batch changes nothing.
import type { Redis } from 'ioredis';
import { decodeBody, encodeBody } from '../commitment/index.ts';
import { bytesToHex, hexToBytes } from '../bytes/index.ts';
import { InternalError, type CommitmentStore, type CommittedBatch, type FrameCommitment, type FrameKey } from '../core/index.ts';
import { redisCall, type RedisKeys } from './redis.ts';

export interface BatchToCommit {
  readonly quiltId: Uint8Array;
  readonly objectId: Uint8Array;
  readonly certifiedEpoch: number;
  readonly endEpoch: number;
  readonly frames: readonly { readonly key: FrameKey; readonly startColumn: number; readonly endColumn: number }[];
  /** Keep committed frames in the cache this long; 0 deletes them at once (no cache). */
  readonly cacheTtlSeconds: number;
}

interface StoredCommitment {
  readonly body: string;
  readonly height: number;
  readonly certifiedEpoch: number;
  readonly endEpoch: number;
  readonly committedAtMs: number;
}

interface StoredBatch {
  readonly quiltId: string;
  readonly objectId: string;
  readonly keys: readonly FrameKey[];
  readonly committedAtMs: number;
}

export class RedisCommitmentStore implements CommitmentStore {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;

  constructor(redis: Redis, keys: RedisKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  async get(key: FrameKey): Promise<FrameCommitment | undefined> {
    const raw = await redisCall('read of a commitment', () => this.#redis.get(this.#keys.commit(key)));
    return raw === null ? undefined : parseCommitment(raw, key);
  }

  /** Commitments of many keys in one round trip; absent keys are left out. */
  async getMany(keys: readonly FrameKey[]): Promise<Map<FrameKey, FrameCommitment>> {
    const found = new Map<FrameKey, FrameCommitment>();
    if (keys.length === 0) return found;
    const raws = await redisCall('read of commitments', () => this.#redis.mget(keys.map((k) => this.#keys.commit(k))));
    raws.forEach((raw, i) => {
      const key = keys[i];
      if (raw !== null && key !== undefined) found.set(key, parseCommitment(raw, key));
    });
    return found;
  }

  async has(key: FrameKey): Promise<boolean> {
    return (await redisCall('read of a commitment', () => this.#redis.exists(this.#keys.commit(key)))) === 1;
  }

  async batch(height: number): Promise<CommittedBatch | undefined> {
    if (!Number.isSafeInteger(height) || height < 1) return undefined;
    const raw = await redisCall('read of a batch', () => this.#redis.get(this.#keys.batch(height)));
    if (raw === null) return undefined;
    const stored = parseJson<StoredBatch>(raw, `batch ${height}`);
    return { height, quiltId: hexToBytes(stored.quiltId), keys: stored.keys, committedAtMs: stored.committedAtMs };
  }

  async latestHeight(): Promise<number> {
    const raw = await redisCall('read of the height', () => this.#redis.get(this.#keys.height));
    return raw === null ? 0 : Number(raw);
  }

  /**
   * Hands out the next height and records every frame's commitment in one MULTI. Idempotent per
   * quilt: a batch stored again after a crash (Walrus answers alreadyCertified) keeps its height.
   */
  async commitBatch(batch: BatchToCommit): Promise<{ readonly height: number; readonly commitments: ReadonlyMap<FrameKey, FrameCommitment> }> {
    const keys = batch.frames.map((f) => f.key);
    const quiltKey = this.#keys.quiltHeight(bytesToHex(batch.quiltId));
    const existing = await redisCall('read of a quilt height', () => this.#redis.get(quiltKey));
    if (existing !== null) return { height: Number(existing), commitments: await this.getMany(keys) };
    const committedAtMs = Date.now();
    const height = await redisCall('height increment', () => this.#redis.incr(this.#keys.height));
    const multi = this.#redis.multi();
    for (const frame of batch.frames) {
      const body = encodeBody({
        quiltId: batch.quiltId,
        startColumn: frame.startColumn,
        endColumn: frame.endColumn,
        objectId: batch.objectId,
        frameKeccak: hexToBytes(frame.key),
      });
      const stored: StoredCommitment = { body: bytesToHex(body), height, certifiedEpoch: batch.certifiedEpoch, endEpoch: batch.endEpoch, committedAtMs };
      multi.set(this.#keys.commit(frame.key), JSON.stringify(stored), 'NX');
      multi.del(this.#keys.flight(frame.key));
      // Queued frames are held without TTL; once committed they become cache entries, or go.
      if (batch.cacheTtlSeconds > 0) multi.expire(this.#keys.frame(frame.key), batch.cacheTtlSeconds);
      else multi.del(this.#keys.frame(frame.key));
    }
    const record: StoredBatch = {
      quiltId: bytesToHex(batch.quiltId),
      objectId: bytesToHex(batch.objectId),
      keys: batch.frames.map((f) => f.key),
      committedAtMs,
    };
    multi.set(this.#keys.batch(height), JSON.stringify(record));
    multi.set(quiltKey, String(height));
    await redisCall('commit of a batch', () => multi.exec());
    // Read back: a frame committed earlier by another batch keeps its first commitment.
    return { height, commitments: await this.getMany(keys) };
  }
}

function parseCommitment(raw: string, key: FrameKey): FrameCommitment {
  const stored = parseJson<StoredCommitment>(raw, `commitment of ${key}`);
  try {
    return {
      body: decodeBody(hexToBytes(stored.body)),
      height: stored.height,
      certifiedEpoch: stored.certifiedEpoch,
      endEpoch: stored.endEpoch,
      committedAtMs: stored.committedAtMs,
    };
  } catch (error) {
    throw new InternalError(`corrupt commitment record for ${key} in Redis`, { cause: error });
  }
}

function parseJson<T>(raw: string, what: string): T {
  try {
    return JSON.parse(raw) as T;
  } catch (error) {
    throw new InternalError(`corrupt ${what} record in Redis`, { cause: error });
  }
}
