// `walrus-da bench redis-memory`: what Redis holds per frame, measured through the real pipeline.
// A full `serve` (embedded walrus-local) takes `frames` puts from `clients` concurrent clients; the
// committed frames are then placed at go-da heights as go-da Submits of `clients` frames would
// place them; every key of the deployment prefix is then sized with MEMORY USAGE, by family
// (batch-keys.ts `memoryByFamily`). Prints JSON: bytes per frame kept for the cache TTL, kept for
// the retention, and BullMQ's records (event streams capped by BullMQ, completed quilt jobs kept a
// day: bounded, not a per-frame cost that grows).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { deleteRedisPrefix, memoryByFamily, type KeyFamilyMemory } from '../../batching/batch-keys.ts';
import { frameKey } from '../../commitment/index.ts';
import { loadServeConfig } from '../../config/serve-config.ts';
import { silentLogger } from '../../observability/logger.ts';
import { createMetrics } from '../../observability/metrics.ts';
import { GO_CLIENT_MAX_RECEIVE_BYTES } from '../../grpc/go-da/service.ts';
import { startApp } from '../app.ts';
import { closeHttp, distinctBlob, httpRequest, machineInfo, round } from './bench-support.ts';

export interface RedisMemoryBenchOptions {
  readonly shards: number;
  readonly frames: number;
  readonly frameBytes: number;
  readonly clients: number;
  readonly redisUrl: string;
}


export async function runRedisMemoryBench(options: RedisMemoryBenchOptions): Promise<unknown> {
  const dir = await mkdtemp(join(tmpdir(), 'wda-memory-'));
  const prefix = `wda-memory-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(options.redisUrl);
  try {
    const config = loadServeConfig({
      flags: { dataDir: dir, redisUrl: options.redisUrl, redisPrefix: prefix, httpPort: 0, grpc: false, orbit: false, walrusLocalShards: options.shards, walrusLocalPort: 0 },
    });
    const app = await startApp(config, { logger: silentLogger(), metrics: createMetrics({ defaultMetrics: false }) });
    let failed = 0;
    const keys: string[] = [];
    try {
      const base = app.listeners[0]?.url ?? '';
      let next = 0;
      await Promise.all(
        Array.from({ length: options.clients }, async () => {
          for (let n = next++; n < options.frames; n = next++) {
            const frame = distinctBlob(options.frameBytes, n);
            frame[0] = 0x00;
            const answer = await httpRequest(`${base}/put`, { method: 'POST', body: frame, headers: { 'content-type': 'application/octet-stream' }, timeoutMs: 900_000 }).catch(() => undefined);
            if (answer?.status === 200) keys.push(frameKey(frame));
            else failed++;
          }
        }),
      );
      const { state } = app.composed.batching;
      for (let i = 0; i < keys.length; i += options.clients) {
        await state.placeSubmission('0a', keys.slice(i, i + options.clients).map((key) => ({ key, bytes: options.frameBytes })), GO_CLIENT_MAX_RECEIVE_BYTES);
      }
    } finally {
      await app.close();
    }
    const families = await memoryByFamily(redis, prefix);
    const n = Math.max(1, keys.length);
    const sum = (names: readonly string[]) => names.reduce((total, name) => total + (families[name]?.bytes ?? 0), 0);
    const cached = ['frame'];
    const retained = ['commit', 'batch', 'quilt', 'goda:height', 'goda:blob'];
    const bullmq = Object.keys(families).filter((f) => f.startsWith('bullmq:'));
    return {
      bench: 'redis-memory',
      shards: options.shards,
      frames: keys.length,
      failedPuts: failed,
      frameBytes: options.frameBytes,
      clients: options.clients,
      ...machineInfo(),
      families: Object.fromEntries(Object.entries(families).map(([name, f]: [string, KeyFamilyMemory]) => [name, { ...f, bytesPerFrame: round(f.bytes / n, 1) }])),
      perFrame: {
        cachedForCacheTtlBytes: round(sum(cached) / n, 1),
        retainedForRetentionBytes: round(sum(retained) / n, 1),
        retainedCommitmentOnlyBytes: round(sum(['commit', 'batch', 'quilt']) / n, 1),
        bullmqBytesTotal: sum(bullmq),
        keptForeverBytes: round(sum(Object.keys(families).filter((f) => !cached.includes(f) && !retained.includes(f) && !bullmq.includes(f))) / n, 3),
      },
      note:
        'MEMORY USAGE per key (SAMPLES 0), summed by family. retained: commit, batch and quilt records (every frame) plus go-da placements (go-da frames only). ' +
        'kept forever: the height counter and go-da heads, constant in the number of frames. BullMQ: event streams (capped) and completed quilt jobs (one day)',
    };
  } finally {
    closeHttp();
    redis.disconnect();
    await deleteRedisPrefix(options.redisUrl, prefix);
    await rm(dir, { recursive: true, force: true });
  }
}
