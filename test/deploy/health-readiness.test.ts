// The probes the Kubernetes manifest uses, /health's capability report, /config and the request
// metrics, against `walrus-da serve` as startApp composes it (real Redis, walrus-local with 4
// nodes). Also checks that every walrus_da_* metric the Grafana dashboard and the Prometheus
// rules use is one /metrics exports.
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { deleteRedisPrefix } from '../../src/batching/batch-keys.ts';
import { startApp, type App } from '../../src/cli/app.ts';
import { keccak256 } from '../../src/commitment/index.ts';
import { bytesToBareHex } from '../../src/bytes/index.ts';
import { SERVE_OPTIONS } from '../../src/config/options.ts';
import { loadServeConfig } from '../../src/config/serve-config.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { startWalrusLocal, type WalrusLocal } from '../../src/walrus-local/index.ts';
import { TEST_REDIS_URL } from '../support/stack.ts';

const PUT_TIMEOUT_MS = 4000;
const MAX_FRAME_BYTES = 64 * 1024;

let dir: string;
let local: WalrusLocal;
let app: App;
let base: string;
/** Every log line the app writes at info and above, parsed. */
const logLines: { level: number; msg: string; component?: string }[] = [];
const prefix = `wda-ops-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wda-ops-'));
  local = await startWalrusLocal({ dataDir: join(dir, 'walrus-local'), shards: 10, nodes: 4, port: 0, logger: silentLogger() });
  const config = loadServeConfig({
    flags: {
      dataDir: dir,
      redisUrl: TEST_REDIS_URL,
      redisPrefix: prefix,
      httpPort: 0,
      grpc: false,
      orbit: false,
      putTimeoutMs: PUT_TIMEOUT_MS,
      maxFrameBytes: MAX_FRAME_BYTES,
      orbitMaxMessageSize: MAX_FRAME_BYTES,
      batchMaxWaitMs: 50,
      encoderThreads: 1,
    },
  });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logLines.push(JSON.parse(line) as (typeof logLines)[number]);
      done();
    },
  });
  app = await startApp(config, { logger: pino({ level: 'info' }, sink), metrics: createMetrics(), walrusLocal: local });
  base = app.listeners[0]?.url.split(' ')[0] ?? '';
}, 60_000);

afterAll(async () => {
  await app?.close();
  await local?.close();
  await deleteRedisPrefix(TEST_REDIS_URL, prefix);
  await rm(dir, { recursive: true, force: true });
});

interface HealthBody {
  status: string;
  writes: { ok: boolean; detail: string };
  reads: { ok: boolean; detail: string };
  shards?: { up: number; total: number; writeQuorum: number; validityQuorum: number };
  dependencies: { name: string; ok: boolean }[];
}

const health = async () => {
  const response = await fetch(`${base}/health`);
  return { status: response.status, body: (await response.json()) as HealthBody };
};
/** /health once it reports `status` (a report is reused for up to a second after it is made). */
const healthOnce = async (status: string) => {
  await expect.poll(async () => (await health()).body.status, { timeout: 10_000, interval: 300 }).toBe(status);
  return health();
};
const ready = async () => (await fetch(`${base}/ready`)).status;
const metricsText = async () => (await fetch(`${base}/metrics`)).text();
const put = (body: Uint8Array, path = '/put') => fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } });
const frame = (size: number, seed: number) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed) & 0xff);

/** The value of one sample line of the exposition text, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length).split('}')[0] ?? '';
    if (wanted.every((pair) => labelText.includes(pair))) return Number(line.split(' ').at(-1));
  }
  return undefined;
}

describe('probes and /health', () => {
  it('is ready, live and healthy with both capabilities while everything runs', async () => {
    expect(await ready()).toBe(200);
    expect((await fetch(`${base}/live`)).status).toBe(200);
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.writes.ok).toBe(true);
    expect(body.reads.ok).toBe(true);
    expect(body.shards).toEqual({ up: 10, total: 10, writeQuorum: 7, validityQuorum: 4 });
    expect(body.dependencies.map((d) => d.name).sort()).toEqual(['aggregator', 'publisher', 'redis', 'storage-nodes', 'sui']);
    const text = await metricsText();
    expect(sample(text, 'walrus_da_dependency_up', { dependency: 'publisher' })).toBe(1);
    expect(sample(text, 'walrus_da_capability_up', { capability: 'write' })).toBe(1);
  });

  it('serves /config without secrets or URLs', async () => {
    const response = await fetch(`${base}/config`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const config = JSON.parse(text) as { version: string; daByte: string; network: string; limits: { maxFrameBytes: number; putTimeoutMs: number }; doors: Record<string, unknown> };
    expect(config.daByte).toBe('0x57');
    expect(config.network).toBe('walrus-local');
    expect(config.limits.maxFrameBytes).toBe(MAX_FRAME_BYTES);
    expect(config.limits.putTimeoutMs).toBe(PUT_TIMEOUT_MS);
    expect(config.doors).toEqual({ opstack: { port: 0 }, orbit: false, grpc: false });
    expect(typeof config.version).toBe('string');
    expect(text).not.toMatch(/:\/\//);
    expect(text).not.toContain(TEST_REDIS_URL.split('//')[1] ?? TEST_REDIS_URL);
    const secretKeys = Object.entries(SERVE_OPTIONS).filter(([, option]) => 'secret' in option && option.secret).map(([key]) => key);
    for (const key of [...secretKeys, 'publisherUrl', 'aggregatorUrl', 'suiRpcUrl', 'password', 'secret']) expect(text).not.toContain(`"${key}"`);
  });

  it('counts a 400 and a 413 refused before the service, and gauges the expiry of committed quilts', async () => {
    const good = frame(2000, 1);
    expect((await put(good)).status).toBe(200);
    const wrongKeccak = `/put/0x00${bytesToBareHex(keccak256(frame(10, 2)))}`;
    expect((await put(frame(10, 3), wrongKeccak)).status).toBe(400);
    const tooLarge = await put(frame(MAX_FRAME_BYTES + 1, 4));
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.text()).toContain(String(MAX_FRAME_BYTES));
    expect((await fetch(`${base}/nope`)).status).toBe(400);

    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the reuse of the last report
    await health(); // refreshes the gauges now rather than at the next tick
    const text = await metricsText();
    expect(sample(text, 'walrus_da_requests_total', { protocol: 'opstack', method: 'put', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'walrus_da_requests_total', { protocol: 'opstack', method: 'put-keccak', outcome: 'INVALID_INPUT' })).toBe(1);
    expect(sample(text, 'walrus_da_requests_total', { protocol: 'opstack', method: 'put', outcome: 'TOO_LARGE' })).toBe(1);
    expect(sample(text, 'walrus_da_requests_total', { protocol: 'opstack', method: 'other', outcome: 'INVALID_INPUT' })).toBe(1);

    // A quilt just stored reaches at least one availability window ahead (docs/operations.md).
    const windowSeconds = sample(text, 'walrus_da_availability_window_seconds', {});
    const earliest = sample(text, 'walrus_da_expiry_horizon_seconds', { quilt: 'earliest' });
    const latest = sample(text, 'walrus_da_expiry_horizon_seconds', { quilt: 'latest' });
    const epochSeconds = app.composed.walrus.epochDurationMs / 1000;
    expect(windowSeconds).toBe(30 * 86_400);
    expect(earliest).toBeDefined();
    expect(earliest).toBe(latest);
    expect(earliest ?? 0).toBeGreaterThan((windowSeconds ?? 0) - 600);
    expect(earliest ?? Infinity).toBeLessThanOrEqual((windowSeconds ?? 0) + 2 * epochSeconds);
    expect(sample(text, 'walrus_da_quilts_expiring_within_window', {})).toBeDefined();
  });

  it('shows writes down with 2 of 4 storage nodes stopped, reads up, and stays ready', async () => {
    await local.stopNode(0);
    await local.stopNode(1);
    try {
      const { status, body } = await healthOnce('degraded');
      expect(status).toBe(503);
      expect(body.status).toBe('degraded');
      expect(body.writes.ok).toBe(false);
      expect(body.writes.detail).toContain('a write needs 7');
      expect(body.reads.ok).toBe(true);
      expect(body.shards?.up).toBeLessThan(7);
      expect(await ready()).toBe(200);
      const text = await metricsText();
      expect(sample(text, 'walrus_da_capability_up', { capability: 'write' })).toBe(0);
      expect(sample(text, 'walrus_da_capability_up', { capability: 'read' })).toBe(1);
      expect(sample(text, 'walrus_da_dependency_up', { dependency: 'storage-nodes' })).toBe(0);
    } finally {
      await local.startNode(0);
      await local.startNode(1);
    }
    expect((await healthOnce('ok')).body.writes.ok).toBe(true);
  });

  it('stays ready with walrus-local stopped: puts get 503 within --put-timeout-ms, disconnects are counted', async () => {
    await local.stopDaemon();
    await local.stopSuiRpc();
    for (let node = 0; node < 4; node++) await local.stopNode(node);
    try {
      expect(await ready()).toBe(200);
      const started = Date.now();
      const response = await put(frame(1500, 5));
      const elapsedMs = Date.now() - started;
      expect(response.status).toBe(503);
      // A figure, not an assertion: the service's own deadline bounds it.
      console.log(`put under a stopped walrus-local: ${response.status} after ${elapsedMs} ms (--put-timeout-ms ${PUT_TIMEOUT_MS})`);
      const { status, body } = await healthOnce('unavailable');
      expect(status).toBe(503);
      expect(body.writes.ok).toBe(false);
      expect(body.reads.ok).toBe(false);
      expect(await ready()).toBe(200);

      // A client that hangs up on a waiting put is counted, once.
      const before = sample(await metricsText(), 'walrus_da_client_disconnects_total', { protocol: 'opstack' }) ?? 0;
      const linesBefore = logLines.length;
      await fetch(`${base}/put`, { method: 'POST', body: frame(1500, 7), signal: AbortSignal.timeout(300) }).catch(() => undefined);
      await expect.poll(async () => sample(await metricsText(), 'walrus_da_client_disconnects_total', { protocol: 'opstack' }) ?? 0, { timeout: 5000 }).toBe(before + 1);
      // ... and not logged at warn or above by the door (a hang-up per line was a log-flooding lever).
      expect(logLines.slice(linesBefore).filter((l) => l.component === 'opstack' && l.level >= 40)).toEqual([]);
      const text = await metricsText();
      expect(sample(text, 'walrus_da_dependency_up', { dependency: 'publisher' })).toBe(0);
      expect(sample(text, 'walrus_da_dependency_up', { dependency: 'sui' })).toBe(0);
    } finally {
      await local.startSuiRpc();
      await local.startDaemon();
      for (let node = 0; node < 4; node++) await local.startNode(node);
    }
  }, 30_000);
});

describe('deploy/grafana and deploy/prometheus', () => {
  it('use only metrics that /metrics exports', async () => {
    const exported = new Map<string, string>();
    for (const match of (await metricsText()).matchAll(/^# TYPE (\S+) (\S+)$/gm)) exported.set(match[1] ?? '', match[2] ?? '');
    const used = new Set<string>();
    const collect = (text: string) => {
      for (const match of text.matchAll(/\bwalrus_da_[a-z0-9_]+/g)) used.add(match[0]);
    };
    const root = new URL('../../deploy/', import.meta.url);
    const dashboards = readdirSync(new URL('grafana/', root)).filter((f) => f.endsWith('.json'));
    const ruleFiles = readdirSync(new URL('prometheus/', root)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'));
    expect(dashboards.length).toBeGreaterThan(0);
    expect(ruleFiles.length).toBeGreaterThan(0);
    for (const file of dashboards) {
      const dashboard = JSON.parse(readFileSync(new URL(`grafana/${file}`, root), 'utf8')) as { panels: { targets?: { expr: string }[] }[] };
      for (const panel of dashboard.panels) for (const target of panel.targets ?? []) collect(target.expr);
    }
    for (const file of ruleFiles) {
      const rules = parse(readFileSync(new URL(`prometheus/${file}`, root), 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
      for (const group of rules.groups) for (const rule of group.rules) collect(String(rule.expr));
    }
    expect(used.size).toBeGreaterThan(5);
    const missing = [...used].filter((name) => {
      if (exported.has(name)) return false;
      const base = name.replace(/_(bucket|sum|count)$/, '');
      return exported.get(base) !== 'histogram';
    });
    expect(missing).toEqual([]);
  });
});
