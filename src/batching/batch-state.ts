// The put path's state in Redis, with one owner: every key of a deployment is built here, and every
// move of a frame through its life is one method here (docs/architecture.md, "Batch state in
// Redis"). Our keys sit next to BullMQ's `<p>:frames:*` and `<p>:quilts:*`, which BullMQ builds:
//
//   <p>:frame:<key>     frame bytes, binary  held: no TTL · committed: cache TTL, or deleted
//   <p>:flight:<key>    batch id (quilt job id) the frame was handed to; gone once committed
//   <p>:commit:<key>    the frame's commitment (JSON StoredCommitment), kept for good, first wins
//   <p>:batch:<height>  the batch committed at a height (JSON StoredBatch)
//   <p>:quilt:<id>      the height a quilt was committed at (a repeated batch reuses it)
//   <p>:height          the last height handed out (INCR)
//   <p>:expiry          committed quilts (0x-hex id) scored by end epoch; expired ones are trimmed on read
//
//   <p>:goda:<ns>:head        the namespace's newest go-da height (0 or absent: none yet)
//   <p>:goda:<ns>:height:<h>  the frames at go-da height <h>, in submission order (JSON NamespaceHeightRecord)
//   <p>:goda:<ns>:blob:<key>  the go-da height a frame was placed at in the namespace, first wins
//
// <key> is the frame's keccak256 as 64 lowercase hex digits, <id> the quilt blob id as 0x-hex,
// <ns> a go-da namespace as lowercase hex (empty for the empty namespace). go-da heights are not
// batch heights: they are per namespace and packed for one go-da Get (docs/wire/grpc.md "go-da").
//
// A frame moves:  holdFrame ──► handOff(batchId) ──► commitBatch ──► cached (TTL) ──► expired/evicted
//                                   │  releaseBatch (the batch can never be stored)
//                                   └──► held again: a later put batches it anew
// A frame is never given a TTL while held: it could expire before its batch is stored.
// A committed frame may then be placed at go-da heights (placeSubmission), once per namespace.
import { Redis } from 'ioredis';
import { decodeBody, encodeBody } from '../commitment/index.ts';
import { bytesToHex, hexToBytes } from '../bytes/index.ts';
import { InternalError, type CommittedBatch, type FrameCommitment, type FrameKey } from '../core/index.ts';
import type { BatchCommitLog, BatchFrameSource, BatchToCommit, CommittedBatchRecord } from './committer-ports.ts';
import { redisCall } from './redis-connections.ts';

export interface BatchStateOptions {
  /** Namespaces every key (ours and BullMQ's), so deployments can share a Redis. */
  readonly prefix: string;
  /** How long a committed frame stays readable from Redis; 0: deleted once committed. @default 3600 */
  readonly cacheTtlSeconds?: number;
}

/** The key templates; nothing outside this file spells a key. */
class KeyLayout {
  readonly prefix: string;

  constructor(prefix: string) {
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(prefix)) {
      throw new RangeError(`redis prefix must be 1-64 characters of [A-Za-z0-9_.:-], got ${JSON.stringify(prefix)}`);
    }
    this.prefix = prefix;
  }

  frame(key: FrameKey): string {
    return `${this.prefix}:frame:${key}`;
  }
  flight(key: FrameKey): string {
    return `${this.prefix}:flight:${key}`;
  }
  commit(key: FrameKey): string {
    return `${this.prefix}:commit:${key}`;
  }
  batch(height: number): string {
    return `${this.prefix}:batch:${height}`;
  }
  quiltHeight(quiltId: Uint8Array): string {
    return `${this.prefix}:quilt:${bytesToHex(quiltId)}`;
  }
  get height(): string {
    return `${this.prefix}:height`;
  }
  get expiry(): string {
    return `${this.prefix}:expiry`;
  }
  namespaceHead(namespace: string): string {
    return `${this.prefix}:goda:${namespace}:head`;
  }
  /** `namespaceHeightPrefix(ns) + h` is the key of height h (the placement script appends h). */
  namespaceHeightPrefix(namespace: string): string {
    return `${this.prefix}:goda:${namespace}:height:`;
  }
  namespaceBlob(namespace: string, key: FrameKey): string {
    return `${this.prefix}:goda:${namespace}:blob:${key}`;
  }
  /** Every key of the deployment, BullMQ's included (SCAN MATCH pattern). */
  get all(): string {
    return `${this.prefix}:*`;
  }
}

// A cache fill must never put a TTL on a held frame (TTL -1): it could expire before its batch is
// stored. Anything else (absent, or already a cache entry) is (re)written with the cache TTL.
const CACHE_FRAME = `
if redis.call('TTL', KEYS[1]) == -1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`;

// Eviction drops cache entries only (a TTL ≥ 0); held frames (-1) and absent ones (-2) stay as they are.
const EVICT_FRAMES = `
local evicted = 0
for _, key in ipairs(KEYS) do
  if redis.call('TTL', key) >= 0 then evicted = evicted + redis.call('DEL', key) end
end
return evicted`;

// Places a go-da Submit's frames at new heights of one namespace, atomically, so a height is never
// seen half written and never changes once the head reaches it (a reader that got height h has
// all of h). Frames go in submission order; a new height starts before the next frame would take
// the open one past the budget. A frame placed in the namespace before keeps its height (the same
// bytes get the same id), and so does a frame repeated within the Submit.
// KEYS[1] = head, KEYS[1 + i] = frame i's placement; ARGV[1] = height key prefix, ARGV[2] =
// budget, ARGV[1 + 2i] = frame i's key, ARGV[2 + 2i] = its size. Returns each frame's height.
// The clock is Redis's (TIME), one clock for every replica.
const PLACE_SUBMISSION = `
local head = tonumber(redis.call('GET', KEYS[1]) or '0')
local budget = tonumber(ARGV[2])
local time = redis.call('TIME')
local placedAtMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local placed, heights = {}, {}
local open, used, members = nil, 0, {}
local function seal()
  if open then redis.call('SET', ARGV[1] .. open, cjson.encode({keys = members, placedAtMs = placedAtMs})) end
end
for i = 1, #KEYS - 1 do
  local key, size = ARGV[1 + 2 * i], tonumber(ARGV[2 + 2 * i])
  local height = placed[key] or tonumber(redis.call('GET', KEYS[1 + i]) or '')
  if not height then
    if open == nil or used + size > budget then
      seal()
      head = head + 1
      open, used, members = head, 0, {}
    end
    members[#members + 1] = key
    used = used + size
    height = open
    redis.call('SET', KEYS[1 + i], height)
  end
  placed[key] = height
  heights[i] = height
end
seal()
redis.call('SET', KEYS[1], head)
return heights`;

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

  /** `redis` should be a request connection: commands fail at once while Redis is down. */
  constructor(redis: Redis, options: BatchStateOptions) {
    this.#redis = redis;
    this.#keys = new KeyLayout(options.prefix);
    this.#cacheTtlSeconds = options.cacheTtlSeconds ?? 3600;
  }

  /** The deployment prefix, which BullMQ's queues share. */
  get prefix(): string {
    return this.#keys.prefix;
  }

  // ── frame bytes ──────────────────────────────────────────────────────────────────────────────

  /** Holds a queued frame, without TTL, until its batch commits. */
  async holdFrame(key: FrameKey, bytes: Uint8Array): Promise<void> {
    await redisCall('frame write', () => this.#redis.set(this.#keys.frame(key), Buffer.from(bytes)));
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
    await redisCall('batch release', () => this.#redis.del(...keys.map((k) => this.#keys.flight(k))));
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
      multi.set(this.#keys.commit(frame.key), JSON.stringify(stored), 'NX');
      multi.del(this.#keys.flight(frame.key));
      if (this.#cacheTtlSeconds > 0) multi.expire(this.#keys.frame(frame.key), this.#cacheTtlSeconds);
      else multi.del(this.#keys.frame(frame.key));
    }
    const record: StoredBatch = { quiltId: bytesToHex(batch.quiltId), objectId: bytesToHex(batch.objectId), keys, committedAtMs };
    multi.set(this.#keys.batch(height), JSON.stringify(record));
    multi.set(quiltKey, String(height));
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
    const args = [this.#keys.namespaceHeightPrefix(namespace), String(maxHeightBytes), ...frames.flatMap((f) => [f.key, String(f.bytes)])];
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

/** Deletes every key of a deployment prefix (ours and BullMQ's): for benches and tests, never serve. */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const pattern = new KeyLayout(prefix).all; // validates: a bad prefix must not turn into a broad MATCH
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
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
