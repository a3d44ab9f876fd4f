// Bad input on walrusda.v1 gets the right status code and never takes the server down: garbage
// protobuf, garbage commitments, wrong framings, oversize data, malformed streams, deadlines.
import { randomBytes } from 'node:crypto';
import { fromBinary } from '@bufbuild/protobuf';
import { status, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DA_BYTE, encodeFramed, decodeBody } from '../../src/commitment/index.ts';
import { ErrorInfoSchema } from '../../src/grpc/gen/google/rpc/error_details_pb.ts';
import { StatusSchema } from '../../src/grpc/gen/google/rpc/status_pb.ts';
import { CommitmentFraming, DataAvailabilityService } from '../../src/grpc/gen/walrusda/v1/da_pb.ts';
import { clientStream, failure, serverStream, unary, unaryRaw } from './support/client.ts';
import { startGrpcHarness, type GrpcHarness } from './support/harness.ts';

const api = DataAvailabilityService.method;
const KIB = 1024;

/** The ErrorInfo every walrusda.v1 failure carries. */
function errorInfo(error: ServiceError): { reason: string; metadata: Record<string, string> } {
  const trailer = error.metadata.get('grpc-status-details-bin')[0];
  if (!(trailer instanceof Buffer)) throw new Error(`no status details on ${error.code} ${error.details}`);
  const detailed = fromBinary(StatusSchema, trailer);
  expect(detailed.code).toBe(error.code);
  expect(detailed.message).toBe(error.details);
  expect(detailed.details).toHaveLength(1);
  expect(detailed.details[0]?.typeUrl).toBe('type.googleapis.com/google.rpc.ErrorInfo');
  const info = fromBinary(ErrorInfoSchema, detailed.details[0]?.value ?? new Uint8Array());
  expect(info.domain).toBe('walrus-da');
  return { reason: info.reason, metadata: info.metadata };
}

describe('walrusda.v1 bad input', () => {
  let h: GrpcHarness;
  let body: Uint8Array;

  beforeAll(async () => {
    // Small limits keep the oversize cases cheap: 256 KiB frames, 64 KiB messages.
    h = await startGrpcHarness({ stack: { maxFrameBytes: 256 * KIB }, server: { maxReceiveMessageBytes: 64 * KIB } });
    const put = await unary(h.client, api.put, { data: randomBytes(100) });
    body = Uint8Array.from(put.commitment?.body ?? []);
  });
  afterAll(() => h?.close());

  it('answers garbage protobuf with INVALID_ARGUMENT', async () => {
    // 0xff… is not a valid field tag: protobuf-es refuses it.
    const error = await failure(unaryRaw(h.client, api.put, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toMatch(/not a valid walrusda\.v1\.PutRequest message/);
    expect(errorInfo(error).reason).toBe('INVALID_INPUT');
  });

  it('answers an empty frame with INVALID_ARGUMENT', async () => {
    const error = await failure(unary(h.client, api.put, { data: new Uint8Array() }));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(errorInfo(error).metadata['retryable']).toBe('false');
  });

  it.each([
    ['garbage bytes', () => randomBytes(40), CommitmentFraming.BODY, /commitment body/],
    ['an unknown body version', () => Uint8Array.from([7, ...body.subarray(1)]), CommitmentFraming.BODY, /version 0x07/],
    ['a framed commitment sent as a body', () => encodeFramed(decodeBody(body)), CommitmentFraming.UNSPECIFIED, /set framing to COMMITMENT_FRAMING_OP_STACK/],
    ['a body sent as an OP Stack commitment', () => body, CommitmentFraming.OP_STACK, /set framing to COMMITMENT_FRAMING_BODY/],
    ['another DA layer', () => encodeFramed(decodeBody(body), { daByte: 0x42 }), CommitmentFraming.ORBIT, /foreign Orbit DA certificate/],
  ])('answers %s with INVALID_ARGUMENT (INVALID_COMMITMENT)', async (_label, value, framing, message) => {
    const error = await failure(serverStream(h.client, api.get, { frame: { case: 'commitment', value: { value: value(), framing } } }));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toMatch(message);
    const info = errorInfo(error);
    expect(info.reason).toBe('INVALID_COMMITMENT');
    expect(info.metadata['commitment_error']).toBeTruthy();

    const statusError = await failure(unary(h.client, api.getStatus, { frame: { case: 'commitment', value: { value: value(), framing } } }));
    expect(statusError.code).toBe(status.INVALID_ARGUMENT);
  });

  it('accepts the same commitment in every framing', async () => {
    const framed = encodeFramed(decodeBody(body), { daByte: DEFAULT_DA_BYTE });
    for (const [value, framing] of [
      [body, CommitmentFraming.BODY],
      [framed, CommitmentFraming.OP_STACK],
      [framed, CommitmentFraming.ORBIT],
    ] as const) {
      const messages = await serverStream(h.client, api.get, { frame: { case: 'commitment', value: { value, framing } } });
      expect(messages[0]?.part.case).toBe('header');
    }
  });

  it('answers an unknown framing, a bad keccak and a missing target with INVALID_ARGUMENT', async () => {
    const framing = await failure(unary(h.client, api.put, { data: randomBytes(10), framing: 99 as CommitmentFraming }));
    expect(framing.code).toBe(status.INVALID_ARGUMENT);
    expect(framing.details).toMatch(/unknown commitment framing 99/);
    const keccak = await failure(unary(h.client, api.getStatus, { frame: { case: 'frameKeccak', value: randomBytes(31) } }));
    expect(keccak.code).toBe(status.INVALID_ARGUMENT);
    const none = await failure(serverStream(h.client, api.get, {}));
    expect(none.code).toBe(status.INVALID_ARGUMENT);
    const verify = await failure(unary(h.client, api.verify, {}));
    expect(verify.code).toBe(status.INVALID_ARGUMENT);
  });

  it('answers a message over the receive limit with RESOURCE_EXHAUSTED', async () => {
    const error = await failure(unary(h.client, api.put, { data: randomBytes(65 * KIB) }));
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
  });

  it('answers a PutStream over the frame limit with RESOURCE_EXHAUSTED (TOO_LARGE) before any data', async () => {
    const error = await failure(clientStream(h.client, api.putStream, [{ part: { case: 'header', value: { totalSize: 256n * 1024n + 1n } } }]));
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
    const info = errorInfo(error);
    expect(info.reason).toBe('TOO_LARGE');
    expect(info.metadata['limit']).toBe(String(256 * KIB));
  });

  it.each([
    ['no header', [{ part: { case: 'chunk' as const, value: randomBytes(10) } }], /data before the header/],
    ['two headers', [{ part: { case: 'header' as const, value: { totalSize: 4n } } }, { part: { case: 'header' as const, value: { totalSize: 4n } } }], /second header/],
    ['too much data', [{ part: { case: 'header' as const, value: { totalSize: 4n } } }, { part: { case: 'chunk' as const, value: randomBytes(5) } }], /more data than/],
    ['too little data', [{ part: { case: 'header' as const, value: { totalSize: 4n } } }, { part: { case: 'chunk' as const, value: randomBytes(3) } }], /after 3 of the 4 bytes/],
    ['an empty stream', [], /without a header/],
    ['an empty message', [{}], /neither header nor chunk/],
  ])('answers a PutStream with %s with INVALID_ARGUMENT', async (_label, requests, message) => {
    const error = await failure(clientStream(h.client, api.putStream, requests));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toMatch(message);
  });

  it('honours deadlines: the put stops waiting when the client gives up', async () => {
    const slow = await startGrpcHarness({ stack: { maxWaitMs: 3000 } });
    try {
      const error = await failure(unary(slow.client, api.put, { data: randomBytes(100) }, { timeoutMs: 300 }));
      expect(error.code).toBe(status.DEADLINE_EXCEEDED);
      // The server-side put was aborted (CANCELLED), not left waiting for certification.
      await expect.poll(async () => slow.stack.metrics.registry.metrics(), { timeout: 2000 }).toMatch(/method="Put",outcome="CANCELLED",chain="default"\} 1/);
    } finally {
      await slow.close();
    }
  });

  it('still serves after all of the above', async () => {
    const config = await unary(h.client, api.getConfig, {});
    expect(config.maxFrameBytes).toBe(256n * 1024n);
    expect(config.maxReceiveMessageBytes).toBe(64n * 1024n);
  });
});
