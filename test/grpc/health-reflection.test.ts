// grpc.health.v1 follows the real dependencies (a private Redis, the walrus-local daemon, its Sui
// RPC), and server reflection describes every service, with clients built from the same protos.
import { fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Health, HealthCheckResponse_ServingStatus as Serving, type HealthCheckResponse } from '../../src/grpc/gen/grpc/health/v1/health_pb.ts';
import { ServerReflection } from '../../src/grpc/gen/grpc/reflection/v1/reflection_pb.ts';
import { bidi, failure, openServerStream, unary } from './support/client.ts';
import { startGrpcHarness, type GrpcHarness } from './support/harness.ts';

const SERVICES = ['', 'walrusda.v1.DataAvailabilityService', 'da.DAService'];
const POLL = { timeout: 30_000, interval: 100 };

describe('grpc.health.v1', () => {
  let h: GrpcHarness;

  beforeAll(async () => {
    h = await startGrpcHarness({ stack: { ownRedis: true }, server: { healthPollIntervalMs: 100 } });
  });
  afterAll(() => h?.close());

  const check = async (service: string) => (await unary(h.client, Health.method.check, { service }, { timeoutMs: 5000 })).status;
  const all = () => Promise.all(SERVICES.map(check));

  it('reports SERVING for the server and each service, and NOT_FOUND for others', async () => {
    await expect.poll(all, POLL).toEqual(SERVICES.map(() => Serving.SERVING));
    const unknown = await failure(check('no.such.Service'));
    expect(unknown.code).toBe(status.NOT_FOUND);
  });

  it('turns NOT_SERVING while Redis is stopped, and SERVING again after', async () => {
    const watch = openServerStream(h.client, Health.method.watch, { service: '' });
    const watched: number[] = [];
    watch.on('data', (response: HealthCheckResponse) => watched.push(response.status));
    watch.on('error', () => undefined); // cancelled below
    try {
      await expect.poll(() => watched.at(-1), POLL).toBe(Serving.SERVING);
      await redis(h, 'stop');
      await expect.poll(all, POLL).toEqual(SERVICES.map(() => Serving.NOT_SERVING));
      await redis(h, 'start');
      await expect.poll(all, POLL).toEqual(SERVICES.map(() => Serving.SERVING));
      // Watch saw the outage and the recovery, one message per change rather than per probe.
      await expect.poll(() => watched.at(-1), POLL).toBe(Serving.SERVING);
      expect(watched).toContain(Serving.NOT_SERVING);
      expect(watched.filter((s, i) => i > 0 && s === watched[i - 1])).toEqual([]);
    } finally {
      watch.cancel();
    }
  });

  it('turns NOT_SERVING while the walrus-local daemon is stopped, and SERVING again after', async () => {
    await h.stack.walrusLocal.stopDaemon();
    await expect.poll(() => check(''), POLL).toBe(Serving.NOT_SERVING);
    await h.stack.walrusLocal.startDaemon();
    await expect.poll(() => check(''), POLL).toBe(Serving.SERVING);
  });

  it('turns NOT_SERVING while Sui RPC is stopped, and SERVING again after', async () => {
    await h.stack.walrusLocal.stopSuiRpc();
    await expect.poll(() => check('da.DAService'), POLL).toBe(Serving.NOT_SERVING);
    await h.stack.walrusLocal.startSuiRpc();
    await expect.poll(() => check('da.DAService'), POLL).toBe(Serving.SERVING);
  });
});

describe('server reflection', () => {
  let h: GrpcHarness;

  beforeAll(async () => {
    h = await startGrpcHarness();
  });
  afterAll(() => h?.close());

  it('lists the services', async () => {
    const [response] = await bidi(h.client, ServerReflection.method.serverReflectionInfo, [{ messageRequest: { case: 'listServices', value: '*' } }]);
    if (response?.messageResponse.case !== 'listServicesResponse') throw new Error(`unexpected ${response?.messageResponse.case}`);
    expect(response.messageResponse.value.service.map((s) => s.name).sort()).toEqual([
      'da.DAService',
      'grpc.health.v1.Health',
      'grpc.reflection.v1.ServerReflection',
      'walrusda.v1.DataAvailabilityService',
    ]);
  });

  it('describes a service with its file and imports', async () => {
    const [response] = await bidi(h.client, ServerReflection.method.serverReflectionInfo, [
      { messageRequest: { case: 'fileContainingSymbol', value: 'walrusda.v1.DataAvailabilityService' } },
    ]);
    if (response?.messageResponse.case !== 'fileDescriptorResponse') throw new Error(`unexpected ${response?.messageResponse.case}`);
    const files = response.messageResponse.value.fileDescriptorProto.map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes));
    expect(files.map((f) => f.name).sort()).toEqual(['google/protobuf/struct.proto', 'google/protobuf/timestamp.proto', 'walrusda/v1/da.proto']);
    const file = files.find((f) => f.name === 'walrusda/v1/da.proto');
    expect(file?.service[0]?.method.map((m) => m.name)).toEqual(['Put', 'PutStream', 'Get', 'GetStatus', 'Verify', 'GetConfig']);
  });
});

/** Stops or restarts the stack's private redis-server. */
async function redis(h: GrpcHarness, action: 'stop' | 'start'): Promise<void> {
  const { stack } = h;
  if (!stack.stopRedis || !stack.startRedis) throw new Error('the stack was not started with ownRedis');
  await (action === 'stop' ? stack.stopRedis() : stack.startRedis());
}
