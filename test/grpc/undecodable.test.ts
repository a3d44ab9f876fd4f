// Bytes that are not a protobuf message of the method's request type are the client's fault:
// INVALID_ARGUMENT on every method of every service the server carries, health and reflection
// included (grpc-js answers a failing deserializer with INTERNAL unless the server intervenes:
// src/grpc/service-definition.ts). Then a seeded run of random requests: none is INTERNAL or
// UNKNOWN, and the server keeps answering.
import type { DescService } from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAService } from '../../src/grpc/gen/da/da_pb.ts';
import { Health, HealthCheckResponse_ServingStatus as Serving } from '../../src/grpc/gen/grpc/health/v1/health_pb.ts';
import { ServerReflection } from '../../src/grpc/gen/grpc/reflection/v1/reflection_pb.ts';
import { DataAvailabilityService } from '../../src/grpc/gen/walrusda/v1/da_pb.ts';
import { xorshift32Bytes } from '../support/xorshift.ts';
import { unary } from './support/client.ts';
import { startGrpcHarness, type GrpcHarness } from './support/harness.ts';

interface RawMethod {
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
}

function methodsOf(service: DescService): RawMethod[] {
  return service.methods.map((m) => ({
    path: `/${service.typeName}/${m.name}`,
    requestStream: m.methodKind === 'client_streaming' || m.methodKind === 'bidi_streaming',
    responseStream: m.methodKind === 'server_streaming' || m.methodKind === 'bidi_streaming',
  }));
}

const METHODS: RawMethod[] = [
  ...methodsOf(DataAvailabilityService),
  ...methodsOf(DAService),
  ...methodsOf(Health),
  ...methodsOf(ServerReflection),
  // The same reflection service under its older name, which @grpc/reflection also serves.
  { path: '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo', requestStream: true, responseStream: true },
];

/**
 * Bytes no protobuf decoder reads as any message: a tag varint cut short (0x80: more bytes
 * follow, none do), a tag of wire type 7 (there is none), a varint field cut short. (A field
 * whose length runs past the end is not enough: decoders may read it as a packed field.)
 */
const UNDECODABLE = [Uint8Array.of(0x80), Uint8Array.of(0x0f), Uint8Array.of(0x08, 0xff)];

/** Calls `method` with `bytes` as its one request message; resolves with the final status. */
function rawCall(client: grpc.Client, method: RawMethod, bytes: Uint8Array, timeoutMs = 10_000): Promise<grpc.status> {
  const serialize = (raw: Uint8Array) => Buffer.from(raw);
  const deserialize = (raw: Buffer) => raw;
  const options = { deadline: Date.now() + timeoutMs };
  const metadata = new grpc.Metadata();
  return new Promise((resolve) => {
    const done = (error: grpc.ServiceError | null) => resolve(error ? error.code : grpc.status.OK);
    if (!method.requestStream && !method.responseStream) {
      client.makeUnaryRequest(method.path, serialize, deserialize, bytes, metadata, options, done);
    } else if (!method.requestStream) {
      const call = client.makeServerStreamRequest(method.path, serialize, deserialize, bytes, metadata, options);
      call.on('data', () => undefined);
      call.on('status', (s: grpc.StatusObject) => resolve(s.code));
      call.on('error', () => undefined);
    } else if (!method.responseStream) {
      const call = client.makeClientStreamRequest(method.path, serialize, deserialize, metadata, options, done);
      call.write(bytes);
      call.end();
    } else {
      const call = client.makeBidiStreamRequest(method.path, serialize, deserialize, metadata, options);
      call.on('data', () => undefined);
      call.on('status', (s: grpc.StatusObject) => resolve(s.code));
      call.on('error', () => undefined);
      call.write(bytes);
      call.end();
    }
  });
}

describe('undecodable gRPC requests', () => {
  let h: GrpcHarness;
  beforeAll(async () => {
    h = await startGrpcHarness();
  });
  afterAll(() => h.close());

  it.each(METHODS.map((m) => [m.path, m] as const))('%s answers INVALID_ARGUMENT', async (_path, method) => {
    for (const bytes of UNDECODABLE) expect(grpc.status[await rawCall(h.client, method, bytes)]).toBe('INVALID_ARGUMENT');
  });

  it('a seeded run of random unary requests: never INTERNAL or UNKNOWN, and health still answers', async () => {
    const unaryMethods = METHODS.filter((m) => !m.requestStream && !m.responseStream);
    const codes = new Map<string, number>();
    let seed = 0x9e37;
    const calls = Array.from({ length: 600 }, (_, i) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const method = unaryMethods[i % unaryMethods.length] ?? unaryMethods[0];
      const bytes = xorshift32Bytes(seed || 1, seed % 40);
      return { method, bytes };
    });
    for (let i = 0; i < calls.length; i += 50) {
      const batch = calls.slice(i, i + 50);
      const results = await Promise.all(batch.map(({ method, bytes }) => (method ? rawCall(h.client, method, bytes, 5000) : Promise.resolve(grpc.status.OK))));
      results.forEach((code, j) => {
        const key = `${batch[j]?.method?.path ?? '?'} ${grpc.status[code]}`;
        codes.set(key, (codes.get(key) ?? 0) + 1);
      });
    }
    const bad = [...codes].filter(([key]) => / (INTERNAL|UNKNOWN)$/.test(key));
    expect(bad).toEqual([]);
    expect((await unary(h.client, Health.method.check, { service: '' })).status).toBe(Serving.SERVING);
  }, 120_000);
});
