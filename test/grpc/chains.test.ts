// Chains on the gRPC door, end to end: a chains file, the real server and pipeline (Redis +
// walrus-local) and grpc-js clients sending the metadata a client would. Refused calls must leave
// nothing behind, which is checked through the batch state's own reads.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameKey } from '../../src/commitment/index.ts';
import { DAService } from '../../src/grpc/gen/da/da_pb.ts';
import { ErrorInfoSchema, RetryInfoSchema } from '../../src/grpc/gen/google/rpc/error_details_pb.ts';
import { StatusSchema } from '../../src/grpc/gen/google/rpc/status_pb.ts';
import { Health, HealthCheckResponse_ServingStatus as Serving } from '../../src/grpc/gen/grpc/health/v1/health_pb.ts';
import { DataAvailabilityService } from '../../src/grpc/gen/walrusda/v1/da_pb.ts';
import { clientStream, failure, hex, serverStream, unary } from './support/client.ts';
import { goDaClientError } from './support/go-da-client.ts';
import { startGrpcHarness, type GrpcHarness } from './support/harness.ts';

const api = DataAvailabilityService.method;
const da = DAService.method;
const ns = (text: string) => ({ value: Buffer.from(text, 'hex') });

const CHAINS = {
  chains: [
    { name: 'alpha', secret: 'alpha-secret', goDaNamespace: '0x0a0a' },
    { name: 'beta', secret: 'beta secret', goDaNamespace: '0b0b' },
    // One put, then about 100 s until the next: the second put is refused.
    { name: 'gamma', secret: 'gamma-secret', limits: { putsPerSecond: 0.01, putBurst: 1 } },
    // Room for one 600-byte blob, not two.
    { name: 'delta', secret: 'delta-secret', goDaNamespace: '0d0d', limits: { maxQueuedBytes: 1000 } },
  ],
};

function credentials(chain: string | undefined, secret: string | undefined): Metadata {
  const metadata = new Metadata();
  if (chain !== undefined) metadata.set('x-walrus-da-chain', chain);
  if (secret !== undefined) metadata.set('authorization', `Bearer ${secret}`);
  return metadata;
}

function details(error: ServiceError) {
  const trailer = error.metadata.get('grpc-status-details-bin')[0];
  if (!(trailer instanceof Buffer)) throw new Error(`no status details on ${error.code} ${error.details}`);
  return fromBinary(StatusSchema, trailer).details;
}

async function startWithChains(dir: string, authReads: boolean): Promise<GrpcHarness> {
  const chainsFile = join(dir, `chains-${authReads ? 'closed' : 'open'}.json`);
  await writeFile(chainsFile, JSON.stringify(CHAINS));
  return startGrpcHarness({ stack: { maxWaitMs: 100, settings: { chainsFile, chainsAuthReads: authReads } } });
}

describe('gRPC chains', () => {
  let dir: string;
  let h: GrpcHarness;

  /** Nothing of the frame reached Redis: not held, not handed to a batch, not committed. */
  async function expectNothingQueued(frame: Uint8Array): Promise<void> {
    const { state } = h.stack.composed.batching;
    const key = frameKey(frame);
    expect(await state.frame(key)).toBeUndefined();
    expect(await state.batchOf(key)).toBeUndefined();
    expect(await state.isCommitted(key)).toBe(false);
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wda-chains-'));
    h = await startWithChains(dir, false);
  });
  afterAll(async () => {
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores for each chain that presents its bearer secret, and labels the metrics by chain', async () => {
    for (const [chain, secret] of [['alpha', 'alpha-secret'], ['beta', 'beta secret']] as const) {
      const data = randomBytes(500);
      const put = await unary(h.client, api.put, { data }, { metadata: credentials(chain, secret) });
      expect(hex(put.commitment?.frameKeccak)).toBe(frameKey(data));
    }
    const text = await h.stack.metrics.registry.metrics();
    expect(text).toMatch(/walrus_da_requests_total\{protocol="grpc",method="Put",outcome="ok",chain="alpha"\} 1/);
    expect(text).toMatch(/walrus_da_requests_total\{protocol="grpc",method="Put",outcome="ok",chain="beta"\} 1/);
  });

  it.each([
    ['no credentials', undefined, undefined, status.UNAUTHENTICATED, 'UNAUTHENTICATED'],
    ['no chain', undefined, 'alpha-secret', status.UNAUTHENTICATED, 'UNAUTHENTICATED'],
    ['a wrong secret', 'alpha', 'not-the-secret', status.UNAUTHENTICATED, 'UNAUTHENTICATED'],
    ["another chain's secret", 'alpha', 'beta secret', status.UNAUTHENTICATED, 'UNAUTHENTICATED'],
    ['an unknown chain', 'omega', 'alpha-secret', status.INVALID_ARGUMENT, 'INVALID_INPUT'],
    ['a malformed chain name', 'Alpha!', 'alpha-secret', status.INVALID_ARGUMENT, 'INVALID_INPUT'],
  ])('refuses a Put with %s and queues nothing', async (_label, chain, secret, code, reason) => {
    const data = randomBytes(300);
    const error = await failure(unary(h.client, api.put, { data }, { metadata: credentials(chain, secret) }));
    expect(error.code).toBe(code);
    expect(fromBinary(ErrorInfoSchema, details(error)[0]?.value ?? new Uint8Array()).reason).toBe(reason);
    // The secret presented is never echoed.
    if (secret) expect(error.details).not.toContain(secret);
    await expectNothingQueued(data);
  });

  it('refuses a PutStream without credentials, and labels refused calls with chain "unknown"', async () => {
    const data = randomBytes(100);
    const stream = [{ part: { case: 'header' as const, value: { totalSize: BigInt(data.length) } } }, { part: { case: 'chunk' as const, value: data } }];
    expect((await failure(clientStream(h.client, api.putStream, stream))).code).toBe(status.UNAUTHENTICATED);
    await expectNothingQueued(data);
    const error = await failure(
      unary(h.client, api.getStatus, { frame: { case: 'frameKeccak', value: randomBytes(32) } }, { metadata: credentials('omega', undefined) }),
    );
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    const text = await h.stack.metrics.registry.metrics();
    expect(text).toMatch(/method="GetStatus",outcome="INVALID_INPUT",chain="unknown"\} 1/);
    expect(text).toMatch(/method="Put",outcome="UNAUTHENTICATED",chain="unknown"\} \d+/);
  });

  it('sheds a chain over its put rate with RESOURCE_EXHAUSTED and a RetryInfo, queueing nothing', async () => {
    const metadata = credentials('gamma', 'gamma-secret');
    await unary(h.client, api.put, { data: randomBytes(200) }, { metadata });
    const data = randomBytes(200);
    const error = await failure(unary(h.client, api.put, { data }, { metadata }));
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
    const [info, retry] = details(error);
    expect(fromBinary(ErrorInfoSchema, info?.value ?? new Uint8Array())).toMatchObject({ reason: 'BACKPRESSURE', metadata: { retryable: 'true' } });
    expect(retry?.typeUrl).toBe('type.googleapis.com/google.rpc.RetryInfo');
    const delay = fromBinary(RetryInfoSchema, retry?.value ?? new Uint8Array()).retryDelay;
    expect(Number(delay?.seconds)).toBeGreaterThan(50);
    expect(Number(delay?.seconds)).toBeLessThanOrEqual(100);
    await expectNothingQueued(data);
  });

  it('keeps reads, GetConfig and health open by default', async () => {
    const data = randomBytes(100);
    const put = await unary(h.client, api.put, { data }, { metadata: credentials('alpha', 'alpha-secret') });
    const got = await serverStream(h.client, api.get, { frame: { case: 'commitment', value: { value: put.commitment?.body ?? new Uint8Array() } } });
    expect(got.at(-1)?.part.case).toBe('chunk');
    await unary(h.client, api.getConfig, {});
    expect((await unary(h.client, Health.method.check, { service: '' })).status).toBe(Serving.SERVING);
    // A read naming its chain is attributed to it, credentials or not.
    await unary(h.client, api.getStatus, { frame: { case: 'frameKeccak', value: put.commitment?.frameKeccak ?? new Uint8Array() } }, { metadata: credentials('beta', undefined) });
    expect(await h.stack.metrics.registry.metrics()).toMatch(/method="GetStatus",outcome="ok",chain="beta"\} 1/);
  });

  describe('go-da', () => {
    it('selects the chain by namespace and checks the bearer secret', async () => {
      const blob = randomBytes(100);
      const { ids } = await unary(h.client, da.submit, { blobs: [{ value: blob }], namespace: ns('0a0a') }, { metadata: credentials(undefined, 'alpha-secret') });
      expect(ids).toHaveLength(1);
      expect(await h.stack.metrics.registry.metrics()).toMatch(/protocol="go-da",method="Submit",outcome="ok",chain="alpha"\} 1/);

      for (const [namespace, secret, code] of [
        ['0a0a', undefined, status.UNAUTHENTICATED],
        ['0a0a', 'beta secret', status.UNAUTHENTICATED],
        ['0c0c', 'alpha-secret', status.INVALID_ARGUMENT],
        ['', 'alpha-secret', status.INVALID_ARGUMENT],
      ] as const) {
        const refused = randomBytes(100);
        const error = await failure(unary(h.client, da.submit, { blobs: [{ value: refused }], namespace: ns(namespace) }, { metadata: credentials(undefined, secret) }));
        expect(goDaClientError(error)).toMatchObject({ type: 'status', grpcCode: code });
        await expectNothingQueued(refused);
      }
      expect(await h.stack.composed.batching.state.namespaceHead('0c0c')).toBe(0);
    });

    it('refuses a Submit over its chain’s limit with a plain RESOURCE_EXHAUSTED, queueing none of its blobs', async () => {
      const blobs = [randomBytes(600), randomBytes(600)];
      const error = await failure(unary(h.client, da.submit, { blobs: blobs.map((value) => ({ value })), namespace: ns('0d0d') }, { metadata: credentials(undefined, 'delta-secret') }));
      // Plain, so that Rollkit backs off instead of shrinking its blobs (go-da's "over size limit").
      expect(goDaClientError(error)).toMatchObject({ type: 'status', grpcCode: status.RESOURCE_EXHAUSTED });
      for (const blob of blobs) await expectNothingQueued(blob);
      expect(await h.stack.composed.batching.state.namespaceHead('0d0d')).toBe(0);
    });

    it('returns each namespace’s ids in submission order from GetIds', async () => {
      const alphaBlobs = Array.from({ length: 6 }, (_, i) => randomBytes(1000 + i));
      const betaBlobs = Array.from({ length: 5 }, (_, i) => randomBytes(2000 + i));
      const [alpha, beta] = await Promise.all([
        unary(h.client, da.submit, { blobs: alphaBlobs.map((value) => ({ value })), namespace: ns('0a0a') }, { metadata: credentials(undefined, 'alpha-secret') }),
        unary(h.client, da.submit, { blobs: betaBlobs.map((value) => ({ value })), namespace: ns('0b0b') }, { metadata: credentials(undefined, 'beta secret') }),
      ]);
      for (const [submitted, namespace, blobs] of [[alpha.ids, '0a0a', alphaBlobs], [beta.ids, '0b0b', betaBlobs]] as const) {
        const heights = new Set(submitted.map((id) => Buffer.from(id.value).readBigUInt64LE(0)));
        expect(heights.size).toBe(1); // small blobs of one Submit share one go-da height
        const [height] = heights;
        const listed = await unary(h.client, da.getIds, { height: height ?? 0n, namespace: ns(namespace) });
        expect(listed.ids.map((id) => hex(id.value))).toEqual(submitted.map((id) => hex(id.value)));
        expect(listed.ids.map((id) => hex(id.value.subarray(78)))).toEqual(blobs.map((b) => frameKey(b)));
        const got = await unary(h.client, da.get, { ids: listed.ids, namespace: ns(namespace) });
        expect(got.blobs.map((b) => hex(b.value))).toEqual(blobs.map((b) => hex(b)));
      }
      // The other namespace's blobs are not at this namespace's heights.
      const alphaHead = await h.stack.composed.batching.state.namespaceHead('0a0a');
      const all = await Promise.all(Array.from({ length: alphaHead }, (_, i) => unary(h.client, da.getIds, { height: BigInt(i + 1), namespace: ns('0a0a') })));
      const alphaIds = all.flatMap((r) => r.ids.map((id) => hex(id.value.subarray(78))));
      for (const blob of betaBlobs) expect(alphaIds).not.toContain(frameKey(blob));
    });
  });

  it('closes reads with --chains-auth-reads, but not GetConfig, MaxBlobSize or health', async () => {
    const closed = await startWithChains(dir, true);
    try {
      const data = randomBytes(100);
      const alpha = credentials('alpha', 'alpha-secret');
      const put = await unary(closed.client, api.put, { data }, { metadata: alpha });
      const read = { frame: { case: 'frameKeccak' as const, value: put.commitment?.frameKeccak ?? new Uint8Array() } };
      expect((await failure(unary(closed.client, api.getStatus, read))).code).toBe(status.UNAUTHENTICATED);
      expect((await failure(unary(closed.client, api.getStatus, read, { metadata: credentials('alpha', undefined) }))).code).toBe(status.UNAUTHENTICATED);
      expect((await unary(closed.client, api.getStatus, read, { metadata: alpha })).commitment?.height).toBeGreaterThan(0n);
      expect((await failure(unary(closed.client, da.getIds, { height: 0n, namespace: ns('0a0a') }))).code).toBe(status.UNAUTHENTICATED);
      expect((await unary(closed.client, da.getIds, { height: 0n, namespace: ns('0a0a') }, { metadata: credentials(undefined, 'alpha-secret') })).ids).toEqual([]);
      await unary(closed.client, api.getConfig, {});
      await unary(closed.client, da.maxBlobSize, {});
      expect((await unary(closed.client, Health.method.check, { service: 'da.DAService' })).status).toBe(Serving.SERVING);
    } finally {
      await closed.close();
    }
  });
});
