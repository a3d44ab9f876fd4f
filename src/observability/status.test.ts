import { describe, expect, it } from 'vitest';
import { silentLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { StatusReporter } from './status.ts';

const deps = (ok: Record<string, boolean>) => () => Promise.resolve({ dependencies: Object.entries(ok).map(([name, up]) => ({ name, ok: up, detail: '' })) });
const committee = (ups: readonly boolean[]) => ({ check: () => Promise.resolve({ nShards: 10, nodes: ups.map((up, i) => ({ node: `n${i}`, shards: [3, 3, 2, 2][i] ?? 0, up })) }) });

describe('StatusReporter', () => {
  it('reports degraded with writes down and mirrors it in the gauges', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const reporter = new StatusReporter({ dependencies: deps({ redis: true, publisher: true, aggregator: true, sui: true }), storageNodes: committee([false, false, true, true]), metrics, logger: silentLogger() });
    const report = await reporter.report();
    expect(report.status).toBe('degraded');
    expect(report.writes.ok).toBe(false);
    expect(report.reads.ok).toBe(true);
    const text = await metrics.registry.metrics();
    expect(text).toContain('walrus_da_capability_up{capability="write"} 0');
    expect(text).toContain('walrus_da_capability_up{capability="read"} 1');
    expect(text).toContain('walrus_da_dependency_up{dependency="storage-nodes"} 0');
    expect(text).toContain('walrus_da_dependency_up{dependency="publisher"} 1');
    expect(text).toContain('walrus_da_storage_shards_up 4');
  });

  it('counts a committee it cannot look up as writes down, and a probe that hangs as down', async () => {
    const failing = { check: () => Promise.reject(new Error('Sui unreachable')) };
    const reporter = new StatusReporter({ dependencies: deps({ redis: true, publisher: true, aggregator: true, sui: true }), storageNodes: failing, logger: silentLogger() });
    const report = await reporter.report();
    expect(report.writes).toEqual({ ok: false, detail: 'storage nodes unknown: Sui unreachable' });
    expect(report.status).toBe('degraded');

    const hanging = new StatusReporter({ dependencies: () => new Promise(() => undefined), logger: silentLogger(), timeoutMs: 50 });
    const hung = await hanging.report();
    expect(hung.status).toBe('unavailable');
    expect(hung.dependencies).toEqual([{ name: 'probe', ok: false, detail: 'no answer within 50 ms' }]);
  });

  it('sets the expiry gauges, and drops the horizon while no quilt is live', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    let figures: { earliestSeconds: number | undefined; latestSeconds: number | undefined } = { earliestSeconds: 100, latestSeconds: 5000 };
    const expiry = { read: () => Promise.resolve({ ...figures, expiringWithinWindow: 3, availabilityWindowSeconds: 4000 }) };
    const reporter = new StatusReporter({ dependencies: deps({ redis: true }), expiry, metrics, logger: silentLogger(), reuseMs: 0 });
    await reporter.report();
    let text = await metrics.registry.metrics();
    expect(text).toContain('walrus_da_expiry_horizon_seconds{quilt="earliest"} 100');
    expect(text).toContain('walrus_da_expiry_horizon_seconds{quilt="latest"} 5000');
    expect(text).toContain('walrus_da_quilts_expiring_within_window 3');
    expect(text).toContain('walrus_da_availability_window_seconds 4000');
    figures = { earliestSeconds: undefined, latestSeconds: undefined };
    await reporter.report();
    text = await metrics.registry.metrics();
    expect(text).not.toContain('walrus_da_expiry_horizon_seconds{');
  });
});

describe('StatusReporter reuse', () => {
  it('shares one run between concurrent and recent callers, then probes anew', async () => {
    let runs = 0;
    const dependencies = () => {
      runs += 1;
      return Promise.resolve({ dependencies: [{ name: 'redis', ok: true, detail: '' }] });
    };
    const reporter = new StatusReporter({ dependencies, logger: silentLogger(), reuseMs: 60_000 });
    await Promise.all([reporter.report(), reporter.report(), reporter.report()]);
    await reporter.report();
    expect(runs).toBe(1);
    const fresh = new StatusReporter({ dependencies, logger: silentLogger(), reuseMs: 0 });
    await fresh.report();
    await fresh.report();
    expect(runs).toBe(3);
  });
});
