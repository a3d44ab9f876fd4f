// walrusda.v1 end to end: a grpc-js client built from the generated descriptors against the real
// server over a real DaService (Redis + walrus-local).
import { randomBytes } from 'node:crypto';
import { status, type Client as GrpcClient } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DA_BYTE, decodeBody, encodeFramed, keccak256 } from '../../src/commitment/index.ts';
import {
  CommitmentFraming,
  DataAvailabilityService,
  FrameState,
  VerificationStepKind,
  type GetResponse,
} from '../../src/grpc/gen/walrusda/v1/da_pb.ts';
import { clientStream, failure, hex, serverStream, unary } from './support/client.ts';
import { startGrpcHarness, type GrpcHarness } from './support/harness.ts';

const api = DataAvailabilityService.method;
const MIB = 1024 * 1024;

/** Reassembles a Get stream, checking its shape: one header first, then chunks adding up to it. */
function assemble(messages: readonly GetResponse[]): { data: Buffer; source: string; frameKeccak: Uint8Array } {
  const [first, ...rest] = messages;
  if (first?.part.case !== 'header') throw new Error('Get stream must start with a header');
  const chunks = rest.map((message) => {
    if (message.part.case !== 'chunk') throw new Error(`unexpected ${message.part.case ?? 'empty'} message after the header`);
    return message.part.value;
  });
  const data = Buffer.concat(chunks);
  expect(BigInt(data.length)).toBe(first.part.value.totalSize);
  return { data, source: first.part.value.source, frameKeccak: first.part.value.frameKeccak };
}

/** Polls GetStatus while a Put is in flight; states must move forward from unknown to certified. */
async function followStatus(client: GrpcClient): Promise<void> {
  const data = randomBytes(4096);
  const keccak = keccak256(data);
  const before = await unary(client, api.getStatus, { frame: { case: 'frameKeccak', value: keccak } });
  expect(before.state).toBe(FrameState.UNKNOWN);

  const put = unary(client, api.put, { data, framing: CommitmentFraming.ORBIT });
  const seen: FrameState[] = [];
  for (;;) {
    const now = await unary(client, api.getStatus, { frame: { case: 'frameKeccak', value: keccak }, framing: CommitmentFraming.ORBIT });
    if (seen.at(-1) !== now.state) seen.push(now.state);
    if (now.state === FrameState.CERTIFIED) {
      const final = await put;
      expect(hex(now.commitment?.body)).toBe(hex(final.commitment?.body));
      expect(hex(now.commitment?.framed)).toBe(hex(final.commitment?.framed));
      expect(hex(now.quiltId)).toBe(hex(final.commitment?.quiltId));
      expect(hex(now.objectId)).toBe(hex(final.commitment?.objectId));
      expect(now.endEpoch).toBe(final.commitment?.endEpoch);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  // States only move forward, and the frame was seen waiting before it was certified.
  expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  expect(seen).toContain(FrameState.QUEUED);
  expect(seen.at(-1)).toBe(FrameState.CERTIFIED);

  const byCommitment = await unary(client, api.getStatus, { frame: { case: 'commitment', value: { value: (await put).commitment?.body ?? new Uint8Array() } } });
  expect(byCommitment.state).toBe(FrameState.CERTIFIED);
  expect(hex(byCommitment.frameKeccak)).toBe(hex(keccak));
}

describe('walrusda.v1 DataAvailabilityService', () => {
  let h: GrpcHarness;

  beforeAll(async () => {
    h = await startGrpcHarness({ stack: { maxWaitMs: 50 } });
  });
  afterAll(() => h?.close());

  it.each([
    ['1 B', 1],
    ['120 KB', 120_000],
  ])('Put → Get round-trips %s', async (_label, size) => {
    const data = randomBytes(size);
    const put = await unary(h.client, api.put, { data });
    const commitment = put.commitment;
    if (!commitment) throw new Error('Put returned no commitment');
    expect(commitment.body).toHaveLength(102);
    expect(hex(commitment.frameKeccak)).toBe(hex(keccak256(data)));
    expect(hex(decodeBody(commitment.body).frameKeccak)).toBe(hex(keccak256(data)));
    expect(hex(commitment.framed)).toBe(hex(commitment.body));
    expect(commitment.height).toBeGreaterThan(0n);
    expect(commitment.committedAt?.seconds).toBeGreaterThan(0n);
    expect(put.deduplicated).toBe(false);

    const got = assemble(await serverStream(h.client, api.get, { frame: { case: 'commitment', value: { value: commitment.body } } }));
    expect(got.data.equals(data)).toBe(true);
    expect(hex(got.frameKeccak)).toBe(hex(keccak256(data)));

    const byKey = assemble(await serverStream(h.client, api.get, { frame: { case: 'frameKeccak', value: keccak256(data) } }));
    expect(byKey.data.equals(data)).toBe(true);

    const again = await unary(h.client, api.put, { data });
    expect(again.deduplicated).toBe(true);
    expect(hex(again.commitment?.body)).toBe(hex(commitment.body));
  });

  it('Put → Get round-trips 50 MB through PutStream and a chunked Get', async () => {
    const data = randomBytes(50_000_000);
    const chunks = function* () {
      yield { part: { case: 'header' as const, value: { totalSize: BigInt(data.length), framing: CommitmentFraming.OP_STACK } } };
      for (let offset = 0; offset < data.length; offset += MIB) yield { part: { case: 'chunk' as const, value: data.subarray(offset, offset + MIB) } };
    };
    const put = await clientStream(h.client, api.putStream, chunks(), { timeoutMs: 120_000 });
    const commitment = put.commitment;
    if (!commitment) throw new Error('PutStream returned no commitment');
    expect(hex(commitment.frameKeccak)).toBe(hex(keccak256(data)));
    expect(hex(commitment.framed)).toBe(hex(encodeFramed(decodeBody(commitment.body), { daByte: DEFAULT_DA_BYTE })));

    // The client keeps grpc's default 4 MiB receive limit: chunking is what makes this work.
    const messages = await serverStream(h.client, api.get, {
      frame: { case: 'commitment', value: { value: commitment.framed, framing: CommitmentFraming.OP_STACK } },
      chunkSize: 4 * MIB,
    });
    expect(messages).toHaveLength(1 + Math.ceil(data.length / (4 * MIB - 1024))); // clamped below 4 MiB
    expect(assemble(messages).data.equals(data)).toBe(true);
  }, 180_000);

  it('GetStatus follows a frame from unknown to certified', async () => {
    // A batch window long enough to see the frame waiting in the queue even on a busy machine.
    const slow = await startGrpcHarness({ stack: { maxWaitMs: 1500, settings: { batchLingerMs: 1500 } } });
    try {
      await followStatus(slow.client);
    } finally {
      await slow.close();
    }
  });

  it('Verify returns the verifier report step by step', async () => {
    const data = randomBytes(2048);
    const { commitment } = await unary(h.client, api.put, { data });
    if (!commitment) throw new Error('no commitment');
    const report = await unary(h.client, api.verify, { commitment: { value: commitment.body } });
    expect(report.ok).toBe(true);
    expect(report.full).toBe(false);
    expect(report.steps.map((s) => s.step)).toEqual([VerificationStepKind.DECODE, VerificationStepKind.DATA, VerificationStepKind.AVAILABILITY, VerificationStepKind.CERTIFICATE]);
    for (const step of report.steps) {
      expect(step.ok).toBe(true);
      expect(step.reason).not.toBe('');
    }

    // A frame just stored and certified passes full verification too: its quilt re-encodes to the
    // committed blob id and holds the frame at the committed columns.
    const full = await unary(h.client, api.verify, { commitment: { value: commitment.body }, full: true });
    expect(full.full).toBe(true);
    expect(full.steps.map((s) => s.step)).toEqual([VerificationStepKind.DECODE, VerificationStepKind.DATA, VerificationStepKind.AVAILABILITY, VerificationStepKind.CERTIFICATE, VerificationStepKind.FULL]);
    expect(full.steps.filter((s) => !s.ok).map((s) => `${s.step}: ${s.reason}`)).toEqual([]);
    expect(full.ok).toBe(true);
    expect(full.steps.at(-1)?.reason).toMatch(/^recomputed blob id .* and its data matches$/);

    // A commitment to data nobody stored: well-formed, but the data step fails.
    const forged = Uint8Array.from(commitment.body);
    forged.set(keccak256(randomBytes(8)), 70);
    const bad = await unary(h.client, api.verify, { commitment: { value: forged } });
    expect(bad.ok).toBe(false);
    expect(bad.steps.find((s) => s.step === VerificationStepKind.DATA)?.ok).toBe(false);

    // Garbage is an answer, not an error: the decode step fails with the codec's reason.
    const garbage = await unary(h.client, api.verify, { commitment: { value: new Uint8Array(50) } });
    expect(garbage.ok).toBe(false);
    expect(garbage.steps).toHaveLength(1);
    expect(garbage.steps[0]).toMatchObject({ step: VerificationStepKind.DECODE, ok: false, facts: { framing: 'body', error: 'length' } });
    expect(garbage.steps[0]?.reason).toBe('invalid commitment body length: expected 102 bytes, got 50');
  });

  it('GetConfig reports the limits and parameters', async () => {
    const config = await unary(h.client, api.getConfig, {});
    expect(config.maxFrameBytes).toBe(BigInt(h.stack.service.maxFrameBytes));
    expect(config.daByte).toBe(DEFAULT_DA_BYTE);
    expect(config.shards).toBe(h.stack.walrusLocal.nShards);
    expect(config.batchMaxWaitMs).toBe(50n);
    expect(config.putTimeoutMs).toBe(30_000n);
    expect(config.network).toBe('walrus-local');
    expect(config.maxReceiveMessageBytes).toBe(64n * 1024n * 1024n);
    expect(config.getChunkBytes).toBe(MIB);
    expect(config.goDaMaxBlobSize).toBe(4n * 1024n * 1024n - 1024n);
  });

  it('records every call in the request metrics', async () => {
    await unary(h.client, api.getConfig, {});
    await failure(unary(h.client, api.getStatus, {}));
    const text = await h.stack.metrics.registry.metrics();
    expect(text).toMatch(/walrus_da_requests_total\{protocol="grpc",method="GetConfig",outcome="ok",chain="default"\} \d+/);
    expect(text).toMatch(/walrus_da_requests_total\{protocol="grpc",method="GetStatus",outcome="INVALID_INPUT",chain="default"\} 1/);
    expect(text).toMatch(/walrus_da_requests_total\{protocol="grpc",method="Put",outcome="ok",chain="default"\} \d+/);
  });

  it('answers NOT_FOUND for a well-formed commitment nobody stored', async () => {
    const body = Uint8Array.from((await unary(h.client, api.put, { data: randomBytes(64) })).commitment?.body ?? []);
    body.set(randomBytes(32), 1); // a quilt that does not exist
    body.set(keccak256(randomBytes(8)), 70);
    const error = await failure(serverStream(h.client, api.get, { frame: { case: 'commitment', value: { value: body } } }));
    expect(error.code).toBe(status.NOT_FOUND);
    const unknownKey = await failure(serverStream(h.client, api.get, { frame: { case: 'frameKeccak', value: keccak256(randomBytes(8)) } }));
    expect(unknownKey.code).toBe(status.NOT_FOUND);
  });
});
