// The Redis key layout of a deployment, in one place: every key template of the put path's state
// (docs/architecture.md, "Batch state in Redis"), and the operations over a whole prefix (memory
// accounting for the bench, deletion for tests). BatchState (./batch-state.ts) is the only user of the
// templates. Our keys sit next to BullMQ's `<p>:frames:*` and `<p>:quilts:*`, which BullMQ builds:
//
//   <p>:frame:<key>     frame bytes, binary  held: no TTL · committed: cache TTL, or deleted
//   <p>:held            sorted set: held frames' keys, scored by when first held (ms); the sweeper's index
//   <p>:flight:<key>    batch id (quilt job id) the frame was handed to; gone once committed
//   <p>:commit:<key>    the frame's commitment (JSON StoredCommitment), first wins      retention TTL
//   <p>:batch:<height>  the batch committed at a height (JSON StoredBatch)               retention TTL
//   <p>:quilt:<id>      the height a quilt was committed at (a repeated batch reuses it) retention TTL
//   <p>:height          the last height handed out (INCR)                               one key, kept
//   <p>:expiry          committed quilts (0x-hex id) scored by end epoch; expired ones are trimmed on read
//
//   <p>:goda:<ns>:head        the namespace's newest go-da height (0 or absent: none yet)  one per ns, kept
//   <p>:goda:<ns>:height:<h>  the frames at go-da height <h>, in submission order (JSON NamespaceHeightRecord)  retention TTL
//   <p>:goda:<ns>:blob:<key>  the go-da height a frame was placed at in the namespace, first wins              retention TTL
//
// Retention (see "Retention" below): every record that grows per frame or per batch carries a TTL
// set when it is written, the availability window plus a margin, so Redis holds a bounded window of
// history and nothing has to trim it. Per-frame keys expire one by one rather than through an
// index and a periodic trim: no sweep over millions of entries, no index that must itself be kept
// consistent, and a replica that is down trims nothing late. A quilt's end epoch lies at least the
// window after its commit (epochsForWindow), so a record outlives its blob by at most the margin;
// within it a re-put of the same bytes is still answered from the record. A record expiring while
// its blob lives costs a re-store on a re-put, never a wrong answer.
//
// <key> is the frame's keccak256 as 64 lowercase hex digits, <id> the quilt blob id as 0x-hex,
// <ns> a go-da namespace as lowercase hex (empty for the empty namespace). go-da heights are not
// batch heights: they are per namespace and packed for one go-da Get (docs/wire/grpc.md "go-da").
//
import { Redis } from 'ioredis';
import { bytesToHex } from '../bytes/index.ts';
import type { FrameKey } from '../core/index.ts';

/** The key templates; nothing outside this file spells a key. */
export class KeyLayout {
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
  get held(): string {
    return `${this.prefix}:held`;
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

// ── memory accounting (bench redis-memory): what each key family of a prefix holds ─────────────

/** Bytes Redis reports (MEMORY USAGE) for one key family of a deployment prefix. */
export interface KeyFamilyMemory {
  readonly keys: number;
  readonly bytes: number;
  /** Keys of the family with a TTL (they expire on their own). */
  readonly expiring: number;
}

/**
 * Every key of a prefix, grouped by family: ours by the layout above (`frame`, `commit`, `goda:height`,
 * …), BullMQ's by queue (`bullmq:frames`, `bullmq:quilts`). For benches: it SCANs the whole prefix.
 */
export async function memoryByFamily(redis: Redis, prefix: string): Promise<Record<string, KeyFamilyMemory>> {
  const pattern = new KeyLayout(prefix).all;
  const families: Record<string, { keys: number; bytes: number; expiring: number }> = {};
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length === 0) continue;
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', '0').pttl(key);
    const replies = (await pipeline.exec()) ?? [];
    keys.forEach((key, i) => {
      const family = familyOf(key.slice(prefix.length + 1));
      const entry = (families[family] ??= { keys: 0, bytes: 0, expiring: 0 });
      entry.keys += 1;
      entry.bytes += Number(replies[2 * i]?.[1] ?? 0);
      if (Number(replies[2 * i + 1]?.[1] ?? -1) >= 0) entry.expiring += 1;
    });
  } while (cursor !== '0');
  return families;
}

function familyOf(rest: string): string {
  const [head = ''] = rest.split(':');
  if (head === 'frames' || head === 'quilts') return `bullmq:${head}`;
  if (head === 'goda') return `goda:${rest.split(':')[2] ?? ''}`;
  return head;
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
