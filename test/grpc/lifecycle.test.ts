// Graceful shutdown of the gRPC server: health turns NOT_SERVING first, in-flight calls finish,
// new calls are refused, and calls still running after the grace period are cancelled (their
// DaService work aborted) rather than holding the process.
import { randomBytes } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { Health, HealthCheckResponse_ServingStatus as Serving, type HealthCheckResponse } from '../../src/grpc/gen/grpc/health/v1/health_pb.ts';
import { DataAvailabilityService } from '../../src/grpc/gen/walrusda/v1/da_pb.ts';
import { failure, openServerStream, unary } from './support/client.ts';
import { startGrpcServer } from '../../src/grpc/server.ts';
import { startGrpcHarness } from './support/harness.ts';

const api = DataAvailabilityService.method;

describe('gRPC server shutdown', () => {
  it('reports NOT_SERVING, lets in-flight calls finish and refuses new ones', async () => {
    const h = await startGrpcHarness({ stack: { maxWaitMs: 500 } });
    try {
      const watched: number[] = [];
      const watch = openServerStream(h.client, Health.method.watch, { service: '' });
      watch.on('data', (response: HealthCheckResponse) => watched.push(response.status));
      const watchEnded = new Promise<void>((resolve) => {
        watch.on('end', resolve);
        watch.on('error', () => resolve());
      });
      await expect.poll(() => watched.at(-1)).toBe(Serving.SERVING);

      // A second server cannot take the same port; it fails instead of half-starting (grpc-js
      // logs the failed bind on stderr).
      const port = Number(h.server.url.split(':').at(-1));
      await expect(startGrpcServer({ service: h.stack.service, goDaHeights: h.stack.composed.batching.state, host: '127.0.0.1', port, daByte: 0x57, config: { shards: 10, network: 'x' }, logger: h.stack.logger })).rejects.toThrow();

      const inFlight = unary(h.client, api.put, { data: randomBytes(1000) });
      await new Promise((resolve) => setTimeout(resolve, 100)); // let the call reach the server
      const started = Date.now();
      await h.server.close(20_000);
      // The open Watch did not hold the shutdown for the whole grace period.
      expect(Date.now() - started).toBeLessThan(10_000);

      expect((await inFlight).commitment?.body).toHaveLength(102);
      await watchEnded;
      expect(watched.at(-1)).toBe(Serving.NOT_SERVING);
      const refused = await failure(unary(h.client, api.getConfig, {}, { timeoutMs: 2000 }));
      expect([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]).toContain(refused.code);
    } finally {
      await h.close();
    }
  });

  it('cancels calls still running after the grace period', async () => {
    const h = await startGrpcHarness({ stack: { maxWaitMs: 10_000, settings: { batchLingerMs: 10_000 } } });
    try {
      const inFlight = failure(unary(h.client, api.put, { data: randomBytes(1000) }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      await h.server.close(200);
      expect(Date.now() - started).toBeLessThan(5000);
      expect([status.CANCELLED, status.UNAVAILABLE]).toContain((await inFlight).code);
      // The put itself was aborted on the server, not left waiting for its batch.
      await expect.poll(() => h.stack.metrics.registry.metrics()).toMatch(/method="Put",outcome="CANCELLED",chain="default"\} 1/);
    } finally {
      await h.close();
    }
  });
});
