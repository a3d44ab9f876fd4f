// Credentials in URLs stay secret: serve talks to a publisher, aggregator and Sui node behind a
// gateway that demands `user:pass@` (HTTP Basic) and `?apikey=`, stores a frame through them, and
// neither its logs, nor /health, nor a fatal error quote either. And `--host 0.0.0.0` without write
// authentication is refused at startup.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteRedisPrefix } from '../../src/batching/batch-keys.ts';
import { runCli } from '../support/cli.ts';
import { freePort } from '../support/redis-server.ts';
import { startServe } from '../support/serve-process.ts';
import { TEST_REDIS_URL } from '../support/stack.ts';
import { startTestWalrusLocal, type WalrusLocalHarness } from '../support/walrus-local.ts';

const USER = 'gateway-user';
const PASSWORD = 'pw-5ecret-d0nt-print';
const API_KEY = 'key-5ecret-d0nt-print';
const SECRETS = [PASSWORD, API_KEY, USER];

let dir: string;
let harness: WalrusLocalHarness;
const gateways: Server[] = [];
/** What the gateways saw without the credentials they demand (must stay 0). */
let refused = 0;

/** A reverse proxy in front of `target` that demands the API key (and Basic auth when asked), then strips them. */
async function gateway(target: string, options: { basic: boolean }): Promise<string> {
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://gateway');
      const basicOk = req.headers.authorization === `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
      if (url.searchParams.get('apikey') !== API_KEY || (options.basic && !basicOk)) {
        refused++;
        res.writeHead(401).end('gateway: credentials required');
        return;
      }
      url.searchParams.delete('apikey');
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await collect(req);
      const upstream = await fetch(`${target}${url.pathname}${url.search}`, {
        method: req.method ?? 'GET',
        headers: { 'content-type': req.headers['content-type'] ?? 'application/octet-stream' },
        ...(body ? { body } : {}),
      });
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'x-quilt-patch-identifier']) {
        const value = upstream.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      res.writeHead(upstream.status, headers).end(Buffer.from(await upstream.arrayBuffer()));
    })().catch(() => res.writeHead(502).end());
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  gateways.push(server);
  return `127.0.0.1:${port}`;
}

async function collect(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wda-secrets-cli-'));
  harness = await startTestWalrusLocal();
});

afterAll(async () => {
  for (const server of gateways) await new Promise((resolve) => server.close(resolve));
  await harness?.close();
  await rm(dir, { recursive: true, force: true });
});

function expectNoSecrets(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('secrets in Walrus and Sui URLs', () => {
  it('reach the gateway but never the logs or /health', async () => {
    const walrus = await gateway(harness.local.publisherUrl, { basic: true });
    const sui = await gateway(harness.local.suiRpcUrl, { basic: false });
    const prefix = `wda-secrets-${randomUUID().slice(0, 8)}`;
    const httpPort = await freePort();
    const serve = await startServe([
      '--data-dir', dir, '--redis-url', TEST_REDIS_URL, '--redis-prefix', prefix, '--http-port', String(httpPort), '--grpc', 'false', '--orbit', 'false',
      '--publisher-url', `http://${USER}:${PASSWORD}@${walrus}/?apikey=${API_KEY}`,
      '--aggregator-url', `http://${USER}:${PASSWORD}@${walrus}/?apikey=${API_KEY}`,
      '--sui-rpc-url', `http://${sui}/?apikey=${API_KEY}`,
      '--network', 'custom', '--walrus-system-object', harness.local.systemObjectId, '--walrus-staking-object', harness.local.stakingObjectId,
      '--log-level', 'debug',
    ]);
    try {
      const frame = new TextEncoder().encode(`frame ${randomUUID()}`);
      const put = await fetch(`http://127.0.0.1:${httpPort}/put`, { method: 'POST', body: frame });
      expect(put.status).toBe(200);
      const commitment = Buffer.from(await put.arrayBuffer()).toString('hex');
      const get = await fetch(`http://127.0.0.1:${httpPort}/get/0x${commitment}`);
      expect(Buffer.from(await get.arrayBuffer())).toEqual(Buffer.from(frame));
      const health = await (await fetch(`http://127.0.0.1:${httpPort}/health`)).text();
      // The probes do name the endpoints, just without what authenticates to them.
      expect(health).toContain('apikey=redacted');
      expectNoSecrets(health);
      expect(refused).toBe(0);
    } finally {
      expect(await serve.stop()).toBe(0);
      await deleteRedisPrefix(TEST_REDIS_URL, prefix);
    }
    const logs = serve.stderr();
    expect(logs).toContain('starting walrus-da');
    expect(logs).toContain('apikey=redacted');
    expectNoSecrets(logs);
  });

  it('never reach a fatal error message', async () => {
    const closed = await freePort();
    const result = await runCli([
      'serve', '--data-dir', dir, '--redis-url', TEST_REDIS_URL, '--http-port', '0', '--grpc', 'false', '--orbit', 'false',
      '--publisher-url', `http://${USER}:${PASSWORD}@127.0.0.1:${closed}/?apikey=${API_KEY}`,
      '--aggregator-url', `http://127.0.0.1:${closed}/?apikey=${API_KEY}`,
      '--sui-rpc-url', `http://${USER}:${PASSWORD}@127.0.0.1:${closed}/?apikey=${API_KEY}`,
      '--network', 'testnet', '--log-level', 'info',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot read the Walrus epoch from Sui at http:\/\/redacted@127\.0\.0\.1:\d+\/\?apikey=redacted/);
    expectNoSecrets(result.stderr);
  });
});

describe('serve --publisher-jwt-secret-file without --publisher-url', () => {
  it('makes the embedded walrus-local an authenticated publisher and signs every store for it', async () => {
    const secretFile = join(dir, 'publisher-jwt.secret');
    await writeFile(secretFile, `0x${'ab'.repeat(32)}\n`);
    const prefix = `wda-jwt-${randomUUID().slice(0, 8)}`;
    const httpPort = await freePort();
    const serve = await startServe([
      '--data-dir', join(dir, 'jwt'), '--redis-url', TEST_REDIS_URL, '--redis-prefix', prefix, '--http-port', String(httpPort), '--grpc', 'false', '--orbit', 'false',
      '--walrus-local-shards', '10', '--walrus-local-port', '0', '--publisher-jwt-secret-file', secretFile, '--log-level', 'info',
    ]);
    try {
      const publisher = serve.listeners.find((line) => line.includes('walrus-local publisher'))?.split(' ')[0] ?? '';
      expect(publisher).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // Unsigned stores are refused by the embedded publisher …
      expect((await fetch(`${publisher}/v1/blobs?epochs=1&permanent=true`, { method: 'PUT', body: 'x' })).status).toBe(400);
      // … while serve's own, signed, go through.
      const put = await fetch(`http://127.0.0.1:${httpPort}/put`, { method: 'POST', body: new TextEncoder().encode(`frame ${randomUUID()}`) });
      expect(put.status).toBe(200);
    } finally {
      expect(await serve.stop()).toBe(0);
      await deleteRedisPrefix(TEST_REDIS_URL, prefix);
    }
    expect(serve.stderr()).toContain('"publisherAuth":"jwt-secret"');
    expect(serve.stderr()).not.toContain('abababab');
  });
});

describe('serve --host 0.0.0.0', () => {
  it('refuses to start without write authentication, naming every open door and the override', async () => {
    const result = await runCli(['serve', '--host', '0.0.0.0', '--data-dir', dir], { env: { ...process.env, WALRUS_DA_CHAINS_FILE: '' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--host (WALRUS_DA_HOST): the OP Stack door on 0.0.0.0:3100 would take puts without credentials');
    expect(result.stderr).toContain('the gRPC door on 0.0.0.0:3101');
    expect(result.stderr).toContain('the Orbit door on 0.0.0.0:3102');
    expect(result.stderr).toContain('--allow-unauthenticated-writes');
  });
});
