// The put path's state in Redis, with one owner: every move of a frame through its life is one
// method here (docs/architecture.md, "Batch state in Redis"). The keys it moves frames between are
// laid out in ./batch-keys.ts, its atomic steps are the Lua scripts of ./batch-scripts.ts.
//
// A frame moves:  holdFrame ──► handOff(batchId) ──► commitBatch ──► cached (TTL) ──► expired/evicted
//                                   │  releaseBatch (the batch can never be stored)
//                                   └──► held again: a later put batches it anew
// A frame is never given a TTL while held: it could expire before its batch is stored.
// A committed frame may then be placed at go-da heights (placeSubmission), once per namespace.
import type { Redis } from 'ioredis';
import { decodeBody, encodeBody } from '../commitment/index.ts';
import { bytesToHex, hexToBytes } from '../bytes/index.ts';
import { InternalError, type CommittedBatch, type FrameCommitment, type FrameKey } from '../core/index.ts';
import type { BatchCommitLog, BatchFrameSource, BatchToCommit, CommittedBatchRecord } from './committer-ports.ts';
import { KeyLayout } from './batch-keys.ts';
import { CACHE_FRAME, EVICT_FRAMES, PLACE_SUBMISSION, SETTLE_COMMITTED } from './batch-scripts.ts';
import { redisCall } from './redis-connections.ts';

export interface BatchStateOptions {
  /** Namespaces every key (ours and BullMQ's), so deployments can share a Redis. */
  readonly prefix: string;
  /** How long a committed frame stays readable from Redis; 0: deleted once committed. @default 3600 */
  readonly cacheTtlSeconds?: number;
  /**
   * How long commitments, batch records and go-da heights stay in Redis after they are written:
   * the availability window plus a margin (`--availability-window-days` + `--retention-margin-days`).
   * @default 31 days
   */
  readonly retentionMs?: number;
}

/** The default retention: the default 30-day availability window plus a 1-day margin. */
export const DEFAULT_RETENTION_MS = 31 * 86_400_000;

/** The frames at one go-da height of a namespace. */
export interface NamespaceHeightRecord {
  /** In submission order. */
  readonly keys: readonly FrameKey[];
  /** When the height was written (Redis clock, ms since the Unix epoch). */
  readonly placedAtMs: number;
}

/** What `quiltExpiry` reads: end epochs of live committed quilts (undefined: none is live). */
export interface QuiltExpiry {
  readonly earliestEndEpoch: number | undefined;
  readonly latestEndEpoch: number | undefined;
  /** Live quilts whose end epoch is at most the epoch asked about. */
  readonly endingBy: number;
}

/** A frame of a go-da Submit, with the bytes it adds to a go-da Get response. */
export interface SubmittedFrame {
  readonly key: FrameKey;
  readonly bytes: number;
}

/** `<p>:commit:<key>` */
interface StoredCommitment {
  /** 0x-hex of the 102-byte body v0. */
  readonly body: string;
  readonly height: number;
  readonly certifiedEpoch: number;
  readonly endEpoch: number;
  readonly committedAtMs: number;
}

/** `<p>:batch:<height>` */
interface StoredBatch {
  readonly quiltId: string;
  readonly objectId: string;
  /** In quilt-job order. */
  readonly keys: readonly FrameKey[];
  readonly committedAtMs: number;
}

export class BatchState implements BatchFrameSource, BatchCommitLog {
  readonly #redis: Redis;
  readonly #keys: KeyLayout;
  readonly #cacheTtlSeconds: number;
  readonly #retentionMs: number;

  /** `redis` should be a request connection: commands fail at once while Redis is down. */
  constructor(redis: Redis, options: BatchStateOptions) {
    this.#redis = redis;
    this.#keys = new KeyLayout(options.prefix);
    this.#cacheTtlSeconds = options.cacheTtlSeconds ?? 3600;
    this.#retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    if (!Number.isSafeInteger(this.#retentionMs) || this.#retentionMs < 1) throw new RangeError(`retention must be a positive whole number of ms, got ${this.#retentionMs}`);
  }

  /** The deployment prefix, which BullMQ's queues share. */
  get prefix(): string {
    return this.#keys.prefix;
  }

  // ── frame bytes ──────────────────────────────────────────────────────────────────────────────

  /**
   * Holds a queued frame, without TTL, until its batch commits; in the same MULTI it enters the held
   * index, so a crash before its job is added leaves it where the sweeper looks (never a frame
   * held and unindexed). A re-put keeps the first time it was held.
   */
  async holdFrame(key: FrameKey, bytes: Uint8Array): Promise<void> {
    const multi = this.#redis.multi().set(this.#keys.frame(key), Buffer.from(bytes)).zadd(this.#keys.held, 'NX', Date.now(), key);
    await redisCall('frame write', () => multi.exec());
  }

  /** A frame's bytes, held or cached; undefined once it expired or was never here. */
  async frame(key: FrameKey): Promise<Uint8Array | undefined> {
    const value = await redisCall('frame read', () => this.#redis.getBuffer(this.#keys.frame(key)));
    return value === null ? undefined : bytesOf(value);
  }

  /** The frames of a batch, in order; undefined where a frame is missing. */
  async framesOf(keys: readonly FrameKey[]): Promise<(Uint8Array | undefined)[]> {
    if (keys.length === 0) return [];
    const values = await redisCall('frame batch read', () => this.#redis.mgetBuffer(...keys.map((k) => this.#keys.frame(k))));
    return values.map((v) => (v === null ? undefined : bytesOf(v)));
  }

  /** Keeps a copy of a committed frame for fast reads (no-op without a cache, or while held). */
  async cacheFrame(key: FrameKey, bytes: Uint8Array): Promise<void> {
    if (this.#cacheTtlSeconds <= 0) return;
    await redisCall('frame cache write', () => this.#redis.eval(CACHE_FRAME, 1, this.#keys.frame(key), Buffer.from(bytes), this.#cacheTtlSeconds));
  }

  /** Drops cached copies so reads go to Walrus (benches); frames still held are kept. */
  async evictFrames(keys: readonly FrameKey[]): Promise<number> {
    if (keys.length === 0) return 0;
    const evicted = await redisCall('frame eviction', () => this.#redis.eval(EVICT_FRAMES, keys.length, ...keys.map((k) => this.#keys.frame(k))));
    return Number(evicted);
  }

  // ── flight: which batch a held frame was handed to ───────────────────────────────────────────

  /** Records that these frames now belong to `batchId` (a later put finds the batch, not a new one). */
  async handOff(batchId: string, keys: readonly FrameKey[]): Promise<void> {
    if (keys.length === 0) return;
    const pipeline = this.#redis.pipeline();
    for (const key of keys) pipeline.set(this.#keys.flight(key), batchId);
    await redisCall('batch hand-off', () => pipeline.exec());
  }

  /** The batch a frame was handed to, if it was and has not committed yet. */
  async batchOf(key: FrameKey): Promise<string | undefined> {
    return (await redisCall('flight read', () => this.#redis.get(this.#keys.flight(key)))) ?? undefined;
  }

  /** Frees the frames of a batch that can never be stored, so later puts batch them anew. */
  async releaseBatch(keys: readonly FrameKey[]): Promise<void> {
    if (keys.length === 0) return;
    // Out of the held index too: the sweeper would only rebuild a batch that can never be stored.
    const multi = this.#redis.multi().del(...keys.map((k) => this.#keys.flight(k))).zrem(this.#keys.held, ...keys);
    await redisCall('batch release', () => multi.exec());
  }

  // ── held index: what the orphan sweeper reads (orphan-sweeper.ts) ──────────────────────────

  /**
   * Held frames first held before `cutoffMs` (the writer's clock), oldest first: one page of
   * `limit` from `offset`. The sweeper checks each for a job; most have one.
   */
  async heldBefore(cutoffMs: number, offset: number, limit: number): Promise<FrameKey[]> {
    return redisCall('held index read', () => this.#redis.zrangebyscore(this.#keys.held, '-inf', cutoffMs, 'LIMIT', offset, limit));
  }

  /** Frames held: the held index's size (for the sweeper's log and tests). */
  async heldCount(): Promise<number> {
    return redisCall('held index size', () => this.#redis.zcard(this.#keys.held));
  }

  /**
   * Takes committed frames out of the held index, and gives a frame still held without TTL the cache
   * TTL (or deletes it without a cache): a put that raced a commit can leave the bytes rewritten
   * without one, and nothing else would ever expire them.
   */
  async settleCommitted(keys: readonly FrameKey[]): Promise<void> {
    if (keys.length === 0) return;
    const frameKeys = keys.map((k) => this.#keys.frame(k));
    await redisCall('held index settle', () => this.#redis.eval(SETTLE_COMMITTED, frameKeys.length + 1, this.#keys.held, ...frameKeys, this.#cacheTtlSeconds, ...keys));
  }

  // ── commitments ──────────────────────────────────────────────────────────────────────────────

  /**
   * Hands out the next height and records every frame's commitment in one MULTI; the frames leave
   * their batch and become cache entries (or go). Idempotent per quilt: a batch stored again after
   * a crash (Walrus answers alreadyCertified) keeps its height. A frame's first commitment wins
   * (SET NX): a frame that raced into two quilts still has exactly one.
   */
  async commitBatch(batch: BatchToCommit): Promise<CommittedBatchRecord> {
    const keys = batch.frames.map((f) => f.key);
    const quiltKey = this.#keys.quiltHeight(batch.quiltId);
    const existing = await redisCall('read of a quilt height', () => this.#redis.get(quiltKey));
    if (existing !== null) return { height: Number(existing), commitments: await this.commitmentsOf(keys) };
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
      multi.set(this.#keys.commit(frame.key), JSON.stringify(stored), 'PX', this.#retentionMs, 'NX');
      multi.del(this.#keys.flight(frame.key));
      if (this.#cacheTtlSeconds > 0) multi.expire(this.#keys.frame(frame.key), this.#cacheTtlSeconds);
      else multi.del(this.#keys.frame(frame.key));
    }
    const record: StoredBatch = { quiltId: bytesToHex(batch.quiltId), objectId: bytesToHex(batch.objectId), keys, committedAtMs };
    if (keys.length > 0) multi.zrem(this.#keys.held, ...keys);
    multi.set(this.#keys.batch(height), JSON.stringify(record), 'PX', this.#retentionMs);
    multi.set(quiltKey, String(height), 'PX', this.#retentionMs);
    multi.zadd(this.#keys.expiry, batch.endEpoch, bytesToHex(batch.quiltId));
    await redisCall('commit of a batch', () => multi.exec());
    // Read back: a frame committed earlier by another batch keeps its first commitment.
    return { height, commitments: await this.commitmentsOf(keys) };
  }

  async commitment(key: FrameKey): Promise<FrameCommitment | undefined> {
    const raw = await redisCall('read of a commitment', () => this.#redis.get(this.#keys.commit(key)));
    return raw === null ? undefined : parseCommitment(raw, key);
  }

  /** Commitments of many frames in one round trip; frames without one are left out. */
  async commitmentsOf(keys: readonly FrameKey[]): Promise<Map<FrameKey, FrameCommitment>> {
    const found = new Map<FrameKey, FrameCommitment>();
    if (keys.length === 0) return found;
    const raws = await redisCall('read of commitments', () => this.#redis.mget(keys.map((k) => this.#keys.commit(k))));
    raws.forEach((raw, i) => {
      const key = keys[i];
      if (raw !== null && key !== undefined) found.set(key, parseCommitment(raw, key));
    });
    return found;
  }

  async isCommitted(key: FrameKey): Promise<boolean> {
    return (await redisCall('read of a commitment', () => this.#redis.exists(this.#keys.commit(key)))) === 1;
  }

  /** The batch committed at `height`, or undefined. */
  async batchAt(height: number): Promise<CommittedBatch | undefined> {
    if (!Number.isSafeInteger(height) || height < 1) return undefined;
    const raw = await redisCall('read of a batch', () => this.#redis.get(this.#keys.batch(height)));
    if (raw === null) return undefined;
    const stored = parseJson<StoredBatch>(raw, `batch ${height}`);
    return { height, quiltId: hexToBytes(stored.quiltId), keys: stored.keys, committedAtMs: stored.committedAtMs };
  }

  /** The highest height handed out (0 before the first batch). */
  async latestHeight(): Promise<number> {
    const raw = await redisCall('read of the height', () => this.#redis.get(this.#keys.height));
    return raw === null ? 0 : Number(raw);
  }

  /**
   * The newest committed quilts, newest first: at most `count` heights below the head, each with
   * the end epoch its frames' commitments record (read from one of its first frames whose
   * commitment names this height; a batch whose frames all kept an earlier commitment is left
   * out). For availability sampling; two MGETs, whatever `count`.
   */
  async recentQuilts(count: number): Promise<{ readonly height: number; readonly quiltId: Uint8Array; readonly endEpoch: number }[]> {
    const head = await this.latestHeight();
    const heights = Array.from({ length: Math.max(0, Math.min(count, head)) }, (_, i) => head - i);
    if (heights.length === 0) return [];
    const raws = await redisCall('read of recent batches', () => this.#redis.mget(heights.map((h) => this.#keys.batch(h))));
    const batches = raws.flatMap((raw, i) => (raw === null ? [] : [{ height: heights[i] ?? 0, stored: parseJson<StoredBatch>(raw, `batch ${heights[i]}`) }]));
    const probes = batches.flatMap((b) => b.stored.keys.slice(0, 4).map((key) => ({ height: b.height, key })));
    const commitments = probes.length === 0 ? [] : await redisCall('read of commitments', () => this.#redis.mget(probes.map((p) => this.#keys.commit(p.key))));
    const endEpochs = new Map<number, number>();
    commitments.forEach((raw, i) => {
      const probe = probes[i];
      if (raw === null || probe === undefined || endEpochs.has(probe.height)) return;
      const commitment = parseCommitment(raw, probe.key);
      if (commitment.height === probe.height) endEpochs.set(probe.height, commitment.endEpoch);
    });
    return batches.flatMap((b) => {
      const endEpoch = endEpochs.get(b.height);
      return endEpoch === undefined ? [] : [{ height: b.height, quiltId: hexToBytes(b.stored.quiltId), endEpoch }];
    });
  }

  /**
   * The end epochs of the committed quilts Walrus still holds at `currentEpoch` (`end_epoch` is
   * exclusive), for the expiry gauges: the earliest and latest, and how many end by `byEpoch`.
   * Quilts already expired are dropped from the index first, so it stays as large as what is live.
   */
  async quiltExpiry(currentEpoch: number, byEpoch: number): Promise<QuiltExpiry> {
    const key = this.#keys.expiry;
    const [, earliest, latest, within] = await redisCall('read of quilt expiry', async () => {
      const replies = await this.#redis
        .multi()
        .zremrangebyscore(key, '-inf', currentEpoch)
        .zrange(key, '0', '0', 'WITHSCORES')
        .zrange(key, '-1', '-1', 'WITHSCORES')
        .zcount(key, '-inf', byEpoch)
        .exec();
      if (!replies) throw new InternalError('quilt expiry transaction was discarded');
      return replies.map(([error, value]) => {
        if (error) throw error;
        return value;
      });
    });
    const scoreOf = (reply: unknown) => (Array.isArray(reply) && reply.length === 2 ? Number(reply[1]) : undefined);
    return { earliestEndEpoch: scoreOf(earliest), latestEndEpoch: scoreOf(latest), endingBy: Number(within) };
  }

  // ── go-da heights: per namespace, packed for one go-da Get ──────────────────────────────────

  /**
   * Places a Submit's committed frames, in submission order, at new heights of `namespace`, no
   * height holding more than `maxHeightBytes` (a single larger frame gets a height of its own).
   * Returns each frame's height; a frame placed in the namespace before keeps its height.
   */
  async placeSubmission(namespace: string, frames: readonly SubmittedFrame[], maxHeightBytes: number): Promise<number[]> {
    if (frames.length === 0) return [];
    const keys = [this.#keys.namespaceHead(namespace), ...frames.map((f) => this.#keys.namespaceBlob(namespace, f.key))];
    const args = [this.#keys.namespaceHeightPrefix(namespace), String(maxHeightBytes), String(this.#retentionMs), ...frames.flatMap((f) => [f.key, String(f.bytes)])];
    const heights = await redisCall('placement of a go-da submission', () => this.#redis.eval(PLACE_SUBMISSION, keys.length, ...keys, ...args));
    if (!Array.isArray(heights) || heights.length !== frames.length) throw new InternalError('go-da placement script returned no height per frame');
    return heights.map(Number);
  }

  /** The frames at go-da height `height` of `namespace`, or undefined. */
  async namespaceHeight(namespace: string, height: number): Promise<NamespaceHeightRecord | undefined> {
    if (!Number.isSafeInteger(height) || height < 1) return undefined;
    const raw = await redisCall('read of a go-da height', () => this.#redis.get(`${this.#keys.namespaceHeightPrefix(namespace)}${height}`));
    if (raw === null) return undefined;
    return parseJson<NamespaceHeightRecord>(raw, `go-da height ${height}`);
  }

  /** The newest go-da height of `namespace` (0 before its first Submit). */
  async namespaceHead(namespace: string): Promise<number> {
    const raw = await redisCall('read of a go-da head', () => this.#redis.get(this.#keys.namespaceHead(namespace)));
    return raw === null ? 0 : Number(raw);
  }
}

function bytesOf(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
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
