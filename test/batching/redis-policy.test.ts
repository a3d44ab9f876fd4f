// Startup against an evicting Redis: `serve` refuses, naming the fix, unless the operator allows it;
// the policy is read from INFO where CONFIG is disabled (managed Redis). Private redis-servers
// only: the shared Redis on 6379 is never reconfigured.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { requireNoeviction } from '../../src/batching/redis-connections.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.ts';
import { startServe } from '../support/serve-process.ts';

const started: PrivateRedis[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const r of started) await r.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function privateRedis(args: readonly string[]): Promise<PrivateRedis> {
  const redis = await startPrivateRedis(args);
  started.push(redis);
  return redis;
}

describe('Redis maxmemory-policy at startup', () => {
  it('serve refuses an allkeys-lru Redis with a message naming maxmemory-policy noeviction and --allow-evicting-redis', async () => {
    const redis = await privateRedis(['--maxmemory-policy', 'allkeys-lru']);
    const dir = await mkdtemp(join(tmpdir(), 'wda-policy-'));
    dirs.push(dir);
    const start = startServe(
      ['--data-dir', dir, '--redis-url', redis.url, '--http-port', '0', '--grpc', 'false', '--orbit', 'false', '--walrus-local-shards', '10', '--walrus-local-port', '0', '--log-level', 'silent'],
      { timeoutMs: 60_000 },
    );
    const failure = await start.then(
      async (p) => {
        await p.stop();
        return undefined;
      },
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    expect(failure).toBeDefined();
    expect(failure).toMatch(/exited with 1 before listening/);
    expect(failure).toMatch(/maxmemory-policy is allkeys-lru/);
    expect(failure).toMatch(/maxmemory-policy noeviction/);
    expect(failure).toMatch(/--allow-evicting-redis/);
  }, 90_000);

  it('allows an evicting Redis only when told to, and reads the policy from INFO where CONFIG is disabled', async () => {
    const redis = await privateRedis(['--maxmemory-policy', 'volatile-lru', '--rename-command', 'CONFIG', '']);
    const client = new Redis(redis.url);
    try {
      await expect(client.config('GET', 'maxmemory-policy')).rejects.toThrow(); // CONFIG is gone
      await expect(requireNoeviction(client, { allowEvicting: false, logger: silentLogger() })).rejects.toThrow(/maxmemory-policy is volatile-lru/);
      await expect(requireNoeviction(client, { allowEvicting: true, logger: silentLogger() })).resolves.toBeUndefined();
    } finally {
      client.disconnect();
    }
  });

  it('accepts noeviction', async () => {
    const redis = await privateRedis([]);
    const client = new Redis(redis.url);
    try {
      await expect(requireNoeviction(client, { allowEvicting: false, logger: silentLogger() })).resolves.toBeUndefined();
    } finally {
      client.disconnect();
    }
  });
});
