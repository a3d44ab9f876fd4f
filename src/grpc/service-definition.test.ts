// The protobuf-es → grpc-js adapter: definitions, (de)serialisation, and a real loopback call
// through a client built from the same definition (grpc.makeGenericClientConstructor).
import { create, toBinary } from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAService, GetIdsRequestSchema } from './gen/da/da_pb.ts';
import { Health, HealthCheckResponseSchema, HealthCheckResponse_ServingStatus, type HealthCheckResponse } from './gen/grpc/health/v1/health_pb.ts';
import { DataAvailabilityService } from './gen/walrusda/v1/da_pb.ts';
import { UndecodableMessage, addService, serviceDefinition } from './service-definition.ts';

describe('serviceDefinition', () => {
  it('keys methods by local name and keeps the proto paths', () => {
    const definition = serviceDefinition(DAService);
    expect(Object.keys(definition)).toEqual(['maxBlobSize', 'get', 'getIds', 'getProofs', 'commit', 'submit', 'validate']);
    expect(definition['getIds']).toMatchObject({ path: '/da.DAService/GetIds', originalName: 'GetIds', requestStream: false, responseStream: false });
  });

  it('marks streaming methods', () => {
    const definition = serviceDefinition(DataAvailabilityService);
    expect(definition['putStream']).toMatchObject({ path: '/walrusda.v1.DataAvailabilityService/PutStream', requestStream: true, responseStream: false });
    expect(definition['get']).toMatchObject({ requestStream: false, responseStream: true });
    expect(definition['put']).toMatchObject({ requestStream: false, responseStream: false });
  });

  it('round-trips messages and hands garbage to the handler as UndecodableMessage', () => {
    const method = serviceDefinition(DAService)['getIds'];
    if (!method) throw new Error('no getIds');
    const request = create(GetIdsRequestSchema, { height: 7n, namespace: { value: new Uint8Array([1]) } });
    const bytes = method.requestSerialize(request);
    expect(Buffer.from(bytes).equals(Buffer.from(toBinary(GetIdsRequestSchema, request)))).toBe(true);
    const decoded: unknown = method.requestDeserialize(bytes);
    expect(decoded).toMatchObject({ height: 7n });
    const garbage: unknown = method.requestDeserialize(Buffer.from([0xff, 0xff, 0xff]));
    expect(garbage).toBeInstanceOf(UndecodableMessage);
    expect(garbage).toMatchObject({ typeName: 'da.GetIdsRequest' });
  });
});

describe('addService over a loopback server', () => {
  const server = new grpc.Server();
  const seen: unknown[] = [];
  let client: InstanceType<ReturnType<typeof grpc.makeGenericClientConstructor>>;

  beforeAll(async () => {
    addService(server, Health, {
      check: (call, callback) => {
        seen.push(call.request);
        callback(null, create(HealthCheckResponseSchema, { status: HealthCheckResponse_ServingStatus.SERVING }));
      },
      watch: (call) => call.end(),
      list: (_call, callback) => callback({ code: grpc.status.UNIMPLEMENTED, details: 'not here' }),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    const Client = grpc.makeGenericClientConstructor(serviceDefinition(Health), 'Health');
    client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });
  afterAll(() => {
    client.close();
    server.forceShutdown();
  });

  it('serves typed handlers to a client built from the same definition', async () => {
    const check = client['check'] as (request: unknown, callback: (error: grpc.ServiceError | null, response?: HealthCheckResponse) => void) => void;
    const response = await new Promise<HealthCheckResponse | undefined>((resolve, reject) =>
      check.call(client, { service: 'x' }, (error, value) => (error ? reject(error) : resolve(value))),
    );
    expect(response?.status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    expect(seen.at(-1)).toMatchObject({ service: 'x' });
  });
});
