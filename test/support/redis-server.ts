// A private redis-server for tests that must stop and restart Redis (health, outages) without
// disturbing the shared one. Uses the machine's redis-server binary (.ci/run installs it).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** `extraArgs` follow the defaults, so they win (e.g. `--maxmemory-policy allkeys-lru`). */
export async function startPrivateRedis(extraArgs: readonly string[] = []): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'wda-redis-'));
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--dir', dir, ...extraArgs], {
      stdio: 'ignore',
    });
    const spawned = child;
    await new Promise<void>((resolve, reject) => {
      spawned.once('error', (error) => reject(new Error(`cannot start redis-server (is it installed?): ${error.message}`)));
      const deadline = Date.now() + 5000;
      const poll = () => {
        const probe = createServer();
        probe.once('error', () => resolve()); // port taken: the server is listening
        probe.listen(port, '127.0.0.1', () => probe.close(() => (Date.now() > deadline ? reject(new Error('redis-server did not listen')) : setTimeout(poll, 50))));
      };
      poll();
    });
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
