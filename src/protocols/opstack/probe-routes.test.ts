// /ready, /live, /health and /config on the OP Stack door, over fakes: readiness follows only its
// probe (Redis), /health follows the status report, /config is served as given.
import { describe, expect, it } from 'vitest';
import type { DaService, HealthProbe } from '../../core/index.ts';
import { silentLogger } from '../../observability/logger.ts';
import type { StatusReport } from '../../observability/status.ts';
import { buildOpStackApp } from './server.ts';

const service = { maxFrameBytes: 1024, health: () => Promise.resolve({ ok: false, dependencies: [{ name: 'publisher', ok: false, detail: 'refused', latencyMs: 1 }] }) } as unknown as DaService;
const probe = (answer: () => Promise<{ ok: boolean; detail: string }>): HealthProbe => ({ name: 'redis', check: async () => ({ name: 'redis', latencyMs: 0, ...(await answer()) }) });
const report = (status: StatusReport['status']): StatusReport => ({
  status,
  writes: { ok: status === 'ok', detail: status === 'ok' ? 'publisher and Sui answer' : 'publisher is down' },
  reads: { ok: true, detail: 'an aggregator answers' },
  dependencies: [],
});
const app = (options: { readiness?: HealthProbe; status?: StatusReport; publicConfig?: Record<string, unknown> } = {}) =>
  buildOpStackApp({
    service,
    host: '127.0.0.1',
    port: 0,
    daByte: 0x57,
    logger: silentLogger(),
    ...(options.readiness ? { readiness: options.readiness } : {}),
    ...(options.status ? { status: { report: () => Promise.resolve(options.status as StatusReport) } } : {}),
    ...(options.publicConfig ? { publicConfig: options.publicConfig } : {}),
  });

describe('OP Stack probe routes', () => {
  it('is ready while its probe passes, whatever the other dependencies say, and not ready when it fails or hangs', async () => {
    const up = app({ readiness: probe(() => Promise.resolve({ ok: true, detail: 'PONG' })), status: report('unavailable') });
    expect((await up.inject({ url: '/ready' })).statusCode).toBe(200);
    expect((await up.inject({ url: '/health' })).statusCode).toBe(503);
    const down = app({ readiness: probe(() => Promise.reject(new Error('connect ECONNREFUSED'))) });
    const refused = await down.inject({ url: '/ready' });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toEqual({ status: 'not ready', redis: 'connect ECONNREFUSED' });
    const hanging = app({ readiness: probe(() => new Promise(() => undefined)) });
    const hung = await hanging.inject({ url: '/ready' });
    expect(hung.statusCode).toBe(503);
    expect(hung.json()).toEqual({ status: 'not ready', redis: 'no answer within 2000 ms' });
  });

  it('is live while the process answers', async () => {
    expect((await app({ readiness: probe(() => Promise.reject(new Error('down'))) }).inject({ url: '/live' })).statusCode).toBe(200);
  });

  it('answers /health from the status report: 200 only when both capabilities are up', async () => {
    const ok = await app({ status: report('ok') }).inject({ url: '/health' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<StatusReport>().writes.ok).toBe(true);
    const degraded = await app({ status: report('degraded') }).inject({ url: '/health' });
    expect(degraded.statusCode).toBe(503);
    expect(degraded.json()).toMatchObject({ status: 'degraded', writes: { ok: false, detail: 'publisher is down' }, reads: { ok: true } });
    // Without a status reporter, the service's own probes decide.
    expect((await app().inject({ url: '/health' })).json()).toMatchObject({ status: 'unavailable' });
  });

  it('serves /config as given, and 404 without one', async () => {
    expect((await app({ publicConfig: { daByte: '0x57' } }).inject({ url: '/config' })).json()).toEqual({ daByte: '0x57' });
    expect((await app().inject({ url: '/config' })).statusCode).toBe(404);
  });
});
