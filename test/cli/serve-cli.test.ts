// `walrus-da serve` as a process: clear startup errors, one line per listening address, clean
// shutdown on SIGTERM.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { freePort } from '../support/redis-server.ts';
import { startServe } from '../support/serve-process.ts';
import { deleteRedisPrefix } from '../../src/batching/batch-keys.ts';
import { TEST_REDIS_URL } from '../support/stack.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wda-serve-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('walrus-da serve', () => {
  it('rejects bad settings with exit code 2, naming the flag and its environment twin', async () => {
    const result = await runCli(['serve', '--batch-max-frames', '0'], { env: { ...process.env, WALRUS_DA_HTTP_PORT: 'http' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--batch-max-frames (WALRUS_DA_BATCH_MAX_FRAMES)');
    expect(result.stderr).toContain('--http-port (WALRUS_DA_HTTP_PORT)');
  });

  it('explains an unreachable Redis: which URL, and how to start one', async () => {
    const port = await freePort();
    const result = await runCli([
      'serve', '--data-dir', dir, '--redis-url', `redis://127.0.0.1:${port}`, '--http-port', '0', '--grpc', 'false', '--orbit', 'false', '--walrus-local-shards', '10', '--walrus-local-port', '0', '--log-level', 'silent',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot reach Redis at redis://127.0.0.1:${port}`);
    expect(result.stderr).toContain('redis-server --port 6379 --maxmemory-policy noeviction');
  });

  it('prints one line per listening address and exits 0 on SIGTERM', async () => {
    const prefix = `wda-serve-${randomUUID().slice(0, 8)}`;
    const httpPort = await freePort();
    const serve = await startServe([
      '--data-dir', dir, '--redis-url', TEST_REDIS_URL, '--redis-prefix', prefix, '--http-port', String(httpPort), '--grpc', 'false', '--orbit', 'false', '--walrus-local-shards', '10', '--walrus-local-port', '0', '--log-level', 'warn',
    ]);
    try {
      expect(serve.listeners[0]).toBe(`http://127.0.0.1:${httpPort} OP Stack Alt-DA (POST /put, GET /get/0x…), /health, /ready, /live, /config, /metrics`);
      expect(serve.listeners.some((l) => l.includes('walrus-local publisher and aggregator'))).toBe(true);
      expect((await fetch(`http://127.0.0.1:${httpPort}/health`)).status).toBe(200);
    } finally {
      expect(await serve.stop()).toBe(0);
      await deleteRedisPrefix(TEST_REDIS_URL, prefix);
    }
  });
});
