// Clean restarts (docs/lifecycle.md): SIGTERM to `npm start` stops the server it launched, keep-alive
// clients in the middle of a put all get an answer, the process tree is gone within the 5 s bound,
// and nothing acknowledged is lost; with Redis gone, SIGTERM still exits promptly. Plus the
// entry points' Node version check, run with the machine's older Node when there is one.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteRedisPrefix } from '../../src/batching/batch-keys.ts';
import { batcherFrame } from '../support/opstack-client.ts';
import { freePort, startPrivateRedis } from '../support/redis-server.ts';
import { startServe } from '../support/serve-process.ts';
import { TEST_REDIS_URL } from '../support/stack.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The product's bound: the process tree is gone this long after SIGTERM. */
const EXIT_BOUND_MS = 5000;
const CLIENTS = 16;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wda-shutdown-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Answer {
  readonly status: number;
  readonly connection: string | undefined;
  readonly body: Buffer;
}

/** One POST /put on a keep-alive agent, as op-batcher sends it. */
function put(agent: Agent, port: number, frame: Uint8Array): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/put', method: 'POST', agent, headers: { 'content-type': 'application/octet-stream', 'content-length': frame.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(frame);
  });
}

/** Whether any process of the group led by `pgid` is still alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function untilGone(pgid: number, limitMs: number): Promise<number> {
  const started = Date.now();
  while (groupAlive(pgid) && Date.now() - started < limitMs) await new Promise((resolve) => setTimeout(resolve, 20));
  return Date.now() - started;
}

/** `npm start -- <args>` in its own process group, resolved once the OP Stack door listens. */
async function npmStart(args: readonly string[]): Promise<{ child: ChildProcess; stderr: () => string }> {
  // npm runs the script with whatever `node` is first on PATH: make it this one.
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
  const child = spawn('npm', ['start', '--silent', '--', ...args], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not listen within 60 s:\n${stderr.slice(-3000)}`)), 60_000);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('OP Stack')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code} before listening:\n${stderr.slice(-3000)}`));
    });
  });
  return { child, stderr: () => stderr };
}

describe('shutdown', () => {
  it('SIGTERM to npm start: 16 keep-alive clients mid-put all get an answer, the tree is gone within 5 s, nothing acknowledged is lost', async () => {
    const prefix = `wda-shutdown-${randomUUID().slice(0, 8)}`;
    const dataDir = join(dir, prefix);
    const httpPort = await freePort();
    const args = [
      '--data-dir', dataDir, '--redis-url', TEST_REDIS_URL, '--redis-prefix', prefix, '--http-port', String(httpPort), '--grpc', 'false', '--orbit', 'false',
      '--walrus-local-shards', '10', '--walrus-local-port', '0', '--log-level', 'warn',
    ];
    // A batch waits 3 s for companions (and may not be sealed sooner), so the second round of puts
    // is still waiting when SIGTERM arrives even on a loaded machine, where npm may take most of a
    // second to pass the signal on.
    const npm = await npmStart([...args, '--batch-linger-ms', '3000', '--batch-max-wait-ms', '3000']);
    const pgid = npm.child.pid ?? 0;
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const acknowledged = new Map<string, Uint8Array>();
    const refused: Uint8Array[] = [];
    try {
      // Round one opens 16 keep-alive connections and is acknowledged.
      const first = Array.from({ length: CLIENTS }, () => batcherFrame(1000));
      const firstAnswers = await Promise.all(first.map((frame) => put(agent, httpPort, frame)));
      first.forEach((frame, i) => {
        expect(firstAnswers[i]?.status).toBe(200);
        expect(firstAnswers[i]?.connection).toBe('keep-alive');
        acknowledged.set(`0x${firstAnswers[i]?.body.toString('hex') ?? ''}`, frame);
      });

      // Round two is in flight on the same connections when npm gets SIGTERM.
      const second = Array.from({ length: CLIENTS }, () => batcherFrame(1000));
      const inFlight = second.map((frame) => put(agent, httpPort, frame));
      await new Promise((resolve) => setTimeout(resolve, 200));
      npm.child.kill('SIGTERM');
      const goneAfterMs = await untilGone(pgid, 3 * EXIT_BOUND_MS);
      const answers = await Promise.all(inFlight);

      expect(goneAfterMs, `process tree still alive:\n${npm.stderr().slice(-2000)}`).toBeLessThan(EXIT_BOUND_MS);
      answers.forEach((answer, i) => {
        const frame = second[i] ?? new Uint8Array();
        // An answer, and one that does not keep the connection: 200 with the commitment, or 503
        // (the frame stays queued and the batcher retries).
        expect([200, 503]).toContain(answer.status);
        expect(answer.connection).toBe('close');
        if (answer.status === 200) acknowledged.set(`0x${answer.body.toString('hex')}`, frame);
        else refused.push(frame);
      });
    } finally {
      agent.destroy();
      if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
    }

    // Restarted on the same Redis and data directory: every acknowledged frame reads back, and a
    // put refused during shutdown returns its commitment when repeated.
    const serve = await startServe(args);
    try {
      for (const [commitment, frame] of acknowledged) {
        const response = await fetch(`http://127.0.0.1:${httpPort}/get/${commitment}`);
        expect(response.status).toBe(200);
        expect(new Uint8Array(await response.arrayBuffer())).toEqual(frame);
      }
      for (const frame of refused) {
        const response = await fetch(`http://127.0.0.1:${httpPort}/put`, { method: 'POST', body: frame });
        expect(response.status).toBe(200);
      }
    } finally {
      expect(await serve.stop()).toBe(0);
      await deleteRedisPrefix(TEST_REDIS_URL, prefix);
    }
  }, 120_000);

  it('SIGTERM with Redis gone: the server still exits within the bound', async () => {
    const redis = await startPrivateRedis();
    try {
      const httpPort = await freePort();
      const serve = await startServe([
        '--data-dir', join(dir, 'redis-gone'), '--redis-url', redis.url, '--http-port', String(httpPort), '--grpc', 'false', '--orbit', 'false',
        '--walrus-local-shards', '10', '--walrus-local-port', '0', '--log-level', 'warn',
      ]);
      expect((await fetch(`http://127.0.0.1:${httpPort}/put`, { method: 'POST', body: batcherFrame(100) })).status).toBe(200);
      await redis.stop();
      const started = Date.now();
      const code = await serve.stop();
      expect(Date.now() - started, serve.stderr().slice(-2000)).toBeLessThan(EXIT_BOUND_MS);
      expect(code).toBe(0);
    } finally {
      await redis.close();
    }
  }, 60_000);
});

describe('entry points on an older Node', () => {
  // Node 20 cannot load src/cli/main.ts at all; the entry points must say which Node they need.
  const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => existsSync(path) && Number(/^v(\d+)/.exec(spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout)?.[1]) < 22);

  it.skipIf(oldNode === undefined)('npm start and the walrus-da bin name the Node version they need', async () => {
    const expectRefusal = (result: { status: number | null; stderr: string }) => {
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('walrus-da needs Node.js >= 22.12.0');
      expect(result.stderr).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
    };
    for (const entry of ['bin/walrus-da-ts.mjs', 'bin/walrus-da.mjs']) expectRefusal(spawnSync(oldNode ?? '', [join(ROOT, entry), 'serve'], { encoding: 'utf8' }));
    // npm start runs the first `node` on PATH.
    const pathDir = await mkdtemp(join(tmpdir(), 'wda-old-node-'));
    try {
      await symlink(oldNode ?? '', join(pathDir, 'node'));
      expectRefusal(spawnSync('npm', ['start', '--silent'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PATH: `${pathDir}:${process.env.PATH ?? ''}` } }));
    } finally {
      await rm(pathDir, { recursive: true, force: true });
    }
  });

  it('the current Node passes the check and runs the CLI', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'bin/walrus-da-ts.mjs'), '--version'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
