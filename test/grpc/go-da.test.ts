// go-da's da.DAService against the real pipeline, checked the way go-da's own Go client and
// conformance suite (rollkit/go-da test/test_suite.go) would check it: IDs as 8-byte LE height ‖
// commitment, typed errors decoded from `grpc-status-details-bin` as go-da's client does.
import { randomBytes } from 'node:crypto';
import { timestampMs } from '@bufbuild/protobuf/wkt';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keccak256 } from '../../src/commitment/index.ts';
import { DAService } from '../../src/grpc/gen/da/da_pb.ts';
import { failure, hex, unary, unaryRaw } from './support/client.ts';
import { goDaClientError } from './support/go-da-client.ts';
import { startGrpcHarness, type GrpcHarness } from './support/harness.ts';

const da = DAService.method;
const namespace = { value: new TextEncoder().encode('test') };

function heightOf(id: Uint8Array): bigint {
  return Buffer.from(id).readBigUInt64LE(0);
}

async function goDaError(call: Promise<unknown>) {
  return goDaClientError(await failure(call));
}

describe('go-da da.DAService', () => {
  let h: GrpcHarness;

  beforeAll(async () => {
    h = await startGrpcHarness({ stack: { maxWaitMs: 100 } });
  });
  afterAll(() => h?.close());

  it('MaxBlobSize keeps one blob within a Go client’s 4 MiB response', async () => {
    const { maxBlobSize } = await unary(h.client, da.maxBlobSize, {});
    expect(maxBlobSize).toBe(BigInt(Math.min(h.stack.service.maxFrameBytes, 4 * 1024 * 1024 - 1024)));
  });

  it('Submit → GetIds → Get → GetProofs → Validate round-trips with go-da ids', async () => {
    const blobs = [randomBytes(100), randomBytes(30_000), Buffer.from('message 1')];
    const { ids } = await unary(h.client, da.submit, { blobs: blobs.map((value) => ({ value })), gasPrice: -1, namespace, options: Buffer.from('{}') });
    expect(ids).toHaveLength(3);
    for (const [index, id] of ids.entries()) {
      expect(id.value).toHaveLength(110);
      expect(heightOf(id.value)).toBeGreaterThan(0n);
      // ID = u64 LE height ‖ body, and the body's last 32 bytes are keccak256(blob).
      expect(hex(id.value.subarray(78))).toBe(hex(keccak256(blobs[index] ?? new Uint8Array())));
    }

    const got = await unary(h.client, da.get, { ids, namespace });
    expect(got.blobs.map((b) => hex(b.value))).toEqual(blobs.map((b) => hex(b)));

    const height = heightOf(ids[0]?.value ?? new Uint8Array());
    const atHeight = await unary(h.client, da.getIds, { height, namespace });
    expect(atHeight.ids.map((id) => hex(id.value))).toContain(hex(ids[0]?.value));
    if (!atHeight.timestamp) throw new Error('GetIds returned no timestamp');
    const committedAt = timestampMs(atHeight.timestamp);
    expect(Math.abs(committedAt - Date.now())).toBeLessThan(60_000);

    const { proofs } = await unary(h.client, da.getProofs, { ids, namespace });
    expect(proofs.map((p) => hex(p.value))).toEqual(ids.map((id) => hex(id.value.subarray(8))));
    const { results } = await unary(h.client, da.validate, { ids, proofs, namespace });
    expect(results).toEqual([true, true, true]);

    // A proof that belongs to another id does not validate; neither does a garbage id.
    const swapped = await unary(h.client, da.validate, { ids, proofs: [proofs[1], proofs[0], proofs[2]].map((p) => ({ value: p?.value ?? new Uint8Array() })) });
    expect(swapped.results).toEqual([false, false, true]);
    const garbage = await unary(h.client, da.validate, { ids: [{ value: randomBytes(110) }], proofs: [{ value: randomBytes(102) }] });
    expect(garbage.results).toEqual([false]);
  });

  it('Submit is idempotent: the same bytes get the same id', async () => {
    const blob = { value: randomBytes(64) };
    const first = await unary(h.client, da.submit, { blobs: [blob] });
    const second = await unary(h.client, da.submit, { blobs: [blob] });
    expect(hex(second.ids[0]?.value)).toBe(hex(first.ids[0]?.value));
  });

  it('Commit returns keccak256 of each blob, the tail of its future id', async () => {
    const blobs = [randomBytes(10), randomBytes(20)];
    const { commitments } = await unary(h.client, da.commit, { blobs: blobs.map((value) => ({ value })), namespace });
    expect(commitments.map((c) => hex(c.value))).toEqual(blobs.map((b) => hex(keccak256(b))));
    const { ids } = await unary(h.client, da.submit, { blobs: blobs.map((value) => ({ value })) });
    expect(ids.map((id) => hex(id.value.subarray(78)))).toEqual(commitments.map((c) => hex(c.value)));
  });

  it('GetIds is never null: empty heights get a real timestamp, future heights ErrFutureHeight', async () => {
    const genesis = await unary(h.client, da.getIds, { height: 0n });
    expect(genesis.ids).toEqual([]);
    expect(genesis.timestamp?.seconds).toBeGreaterThan(0n);

    // Heights are per namespace (docs/wire/grpc.md "go-da"): the future starts after this one's head.
    const head = BigInt(await h.stack.composed.batching.state.namespaceHead(hex(namespace.value)));
    for (const height of [head + 1n, 999_999_999n, (1n << 64n) - 1n]) {
      const error = await goDaError(unary(h.client, da.getIds, { height, namespace }));
      expect(error).toEqual({ type: 'ErrFutureHeight', message: 'given height is from the future', grpcCode: status.OUT_OF_RANGE });
    }
  });

  it('Get of an unknown or malformed id is ErrBlobNotFound, as go-da’s conformance suite expects', async () => {
    const [known] = (await unary(h.client, da.submit, { blobs: [{ value: randomBytes(32) }] })).ids;
    const unknown = Uint8Array.from(known?.value ?? []);
    unknown.set(randomBytes(32), 9); // a quilt that does not exist
    unknown.set(keccak256(randomBytes(4)), 78);
    for (const id of [Buffer.from('invalid blob id'), unknown, new Uint8Array()]) {
      const error = await goDaError(unary(h.client, da.get, { ids: [{ value: id }], namespace }));
      expect(error).toEqual({ type: 'ErrBlobNotFound', message: 'blob: not found', grpcCode: status.NOT_FOUND });
    }
    const proofs = await goDaError(unary(h.client, da.getProofs, { ids: [{ value: unknown }] }));
    expect(proofs.type).toBe('ErrBlobNotFound');
  });

  it('Submit over MaxBlobSize is ErrBlobSizeOverLimit', async () => {
    const small = await startGrpcHarness({ stack: { maxFrameBytes: 64 * 1024 } });
    try {
      const { maxBlobSize } = await unary(small.client, da.maxBlobSize, {});
      expect(maxBlobSize).toBe(64n * 1024n);
      const error = await goDaError(unary(small.client, da.submit, { blobs: [{ value: randomBytes(64 * 1024 + 1) }] }));
      expect(error).toEqual({ type: 'ErrBlobSizeOverLimit', message: 'blob: over size limit', grpcCode: status.RESOURCE_EXHAUSTED });
    } finally {
      await small.close();
    }
  });

  it('Get refuses a response larger than a Go client accepts with ErrBlobSizeOverLimit', async () => {
    // A 64 KiB response limit stands in for the 4 MiB one, to keep the test small.
    const small = await startGrpcHarness({ server: { goDaMaxResponseBytes: 64 * 1024 } });
    try {
      const { maxBlobSize } = await unary(small.client, da.maxBlobSize, {});
      expect(maxBlobSize).toBe(63n * 1024n);
      const { ids } = await unary(small.client, da.submit, { blobs: [{ value: randomBytes(40_000) }, { value: randomBytes(40_000) }] });
      expect((await unary(small.client, da.get, { ids: ids.slice(0, 1) })).blobs).toHaveLength(1);
      const error = await goDaError(unary(small.client, da.get, { ids }));
      expect(error.type).toBe('ErrBlobSizeOverLimit');
    } finally {
      await small.close();
    }
  });

  it('returns a namespace’s ids in submission order, not quilt order', async () => {
    const blobs = Array.from({ length: 8 }, (_, i) => randomBytes(500 + i));
    const { ids } = await unary(h.client, da.submit, { blobs: blobs.map((value) => ({ value })), namespace: { value: Buffer.from('order') } });
    const height = heightOf(ids[0]?.value ?? new Uint8Array());
    const listed = await unary(h.client, da.getIds, { height, namespace: { value: Buffer.from('order') } });
    expect(listed.ids.map((id) => hex(id.value.subarray(78)))).toEqual(blobs.map((b) => hex(keccak256(b))));
    // The quilt orders its frames by key (8 random keys: in submission order once in 40320 runs),
    // which is what GetIds used to return.
    const { state } = h.stack.composed.batching;
    const keys = blobs.map((b) => hex(keccak256(b)));
    const batchHeight = (await state.commitment(keys[0] ?? ''))?.height ?? 0;
    const quiltOrder = ((await state.batchAt(batchHeight))?.keys ?? []).filter((key) => keys.includes(key));
    expect(quiltOrder).toEqual([...quiltOrder].sort());
    expect(quiltOrder).not.toEqual(keys);
  });

  it('splits a namespace’s frames over heights so that each height is one Get within 4 MiB', async () => {
    // Four 1.5 MiB blobs in one quilt (6 MiB): two per go-da height, each height one Get that a
    // Go client with its default 4 MiB limit can receive (this test client has the same limit).
    const big = await startGrpcHarness({ stack: { maxWaitMs: 1000 } });
    try {
      const namespace = { value: Buffer.from('big') };
      const blobs = Array.from({ length: 4 }, () => randomBytes(1.5 * 1024 * 1024));
      const { ids } = await unary(big.client, da.submit, { blobs: blobs.map((value) => ({ value })), namespace }, { timeoutMs: 120_000 });
      const { state } = big.stack.composed.batching;
      const batchHeights = await Promise.all(blobs.map(async (b) => (await state.commitment(hex(keccak256(b))))?.height));
      expect(new Set(batchHeights).size).toBe(1); // one quilt holds all 6 MiB
      expect(ids.map((id) => heightOf(id.value))).toEqual([1n, 1n, 2n, 2n]);
      for (const height of [1n, 2n]) {
        const listed = await unary(big.client, da.getIds, { height, namespace });
        expect(listed.ids).toHaveLength(2);
        const { blobs: got } = await unary(big.client, da.get, { ids: listed.ids, namespace });
        const first = Number(height - 1n) * 2;
        expect(got.map((b) => hex(b.value))).toEqual(blobs.slice(first, first + 2).map((b) => hex(b)));
      }
      const error = await goDaError(unary(big.client, da.getIds, { height: 3n, namespace }));
      expect(error.type).toBe('ErrFutureHeight');
    } finally {
      await big.close();
    }
  }, 180_000);

  it('answers bad requests with plain statuses go-da passes through', async () => {
    const empty = await goDaError(unary(h.client, da.submit, { blobs: [{ value: new Uint8Array() }] }));
    expect(empty.type).toBe('status');
    expect(empty.grpcCode).toBe(status.INVALID_ARGUMENT);

    const mismatch = await goDaError(unary(h.client, da.validate, { ids: [{ value: randomBytes(110) }], proofs: [] }));
    expect(mismatch.grpcCode).toBe(status.INVALID_ARGUMENT);

    const garbage = await failure(unaryRaw(h.client, da.submit, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])));
    expect(garbage.code).toBe(status.INVALID_ARGUMENT);

    const nothing = await unary(h.client, da.submit, { blobs: [] });
    expect(nothing.ids).toEqual([]);
  });

  it('records go-da calls under their own protocol label', async () => {
    const text = await h.stack.metrics.registry.metrics();
    expect(text).toMatch(/walrus_da_requests_total\{protocol="go-da",method="Submit",outcome="ok",chain="default"\} \d+/);
    expect(text).toMatch(/walrus_da_requests_total\{protocol="go-da",method="GetIds",outcome="NOT_FOUND",chain="default"\} \d+/);
  });
});
