import { describe, expect, it } from 'vitest';
import { createMetrics, observeRequest } from './metrics.ts';

describe('metrics', () => {
  it('counts calls by outcome and keeps registries apart', async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    await observeRequest(a, 'opstack', 'put', () => Promise.resolve(1));
    await expect(observeRequest(a, 'opstack', 'put', () => Promise.reject(Object.assign(new Error('x'), { code: 'NOT_FOUND' })))).rejects.toThrow('x');
    const text = await a.registry.metrics();
    expect(text).toContain('walrus_da_requests_total{protocol="opstack",method="put",outcome="ok",chain="default"} 1');
    expect(text).toContain('walrus_da_requests_total{protocol="opstack",method="put",outcome="NOT_FOUND",chain="default"} 1');
    expect(text).toContain('walrus_da_request_duration_seconds_count{protocol="opstack",method="put",chain="default"} 2');
    expect(await b.registry.metrics()).not.toContain('outcome="ok"');
  });
});
