// Chains on the Orbit door end to end (docs/wire/orbit.md "Chains"): a chains file with two
// chains, each with its own Nitro JWT, served under /chains/<name> on one port, over real Redis
// and walrus-local. The client is the Nitro-like one of test/orbit/support, so each call carries
// a fresh HS256 `{"iat": now}` token exactly as go-ethereum's NewJWTAuth makes it.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchState } from '../../src/batching/batch-state.ts';
import { frameKey } from '../../src/commitment/index.ts';
import { loadChainsFile } from '../../src/config/chains-file.ts';
import { ChainDirectory } from '../../src/core/index.ts';
import type { RunningServer } from '../../src/protocols/orbit/index.ts';
import { startOrbitDoor, startStack, type Stack } from '../support/stack.ts';
import { RpcCallError, brotliLikeBatch, call, fromHex, hex, post, readParams, requestBody, result, streamStore, u64 } from './support/nitro-client.ts';

const FALLBACK = 'DA provider requests fallback to next writer';
const TIMEOUT = 1_751_296_000n;
const key = () => new Uint8Array(randomBytes(32));
const alphaJwt = key();
const betaJwt = key();
const ratedJwt = key();
const tightJwt = key();
const hexKey = (k: Uint8Array) => Buffer.from(k).toString('hex');

let dir: string;
let stack: Stack;
let server: RunningServer;
let closedReads: RunningServer;
let redis: Redis;
let state: BatchState;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wda-orbit-chains-'));
  const chainsFile = join(dir, 'chains.yaml');
  await writeFile(join(dir, 'beta.jwt'), `0x${hexKey(betaJwt)}\n`);
  await writeFile(
    chainsFile,
    [
      'chains:',
      `  - { name: alpha, secret: a, orbitJwtSecret: "${hexKey(alphaJwt)}" }`,
      '  - { name: beta, secret: b, orbitJwtSecretFile: beta.jwt }',
      // One put, then none for a long while.
      `  - { name: rated, secret: r, orbitJwtSecret: "${hexKey(ratedJwt)}", limits: { putsPerSecond: 0.001, putBurst: 1 } }`,
      `  - { name: tight, secret: t, orbitJwtSecret: "${hexKey(tightJwt)}", limits: { maxQueuedBytes: 1000 } }`,
      '  - { name: gamma, secret: g }',
    ].join('\n'),
  );
  stack = await startStack({ maxWaitMs: 100, settings: { chainsFile } });
  const common = { maxMessageSize: 1_000_000, metrics: stack.metrics };
  server = await startOrbitDoor(stack, { ...common, chains: stack.composed.chains });
  closedReads = await startOrbitDoor(stack, { ...common, chains: new ChainDirectory(loadChainsFile(chainsFile), { authReads: true }) });
  redis = new Redis(stack.redisUrl, { maxRetriesPerRequest: 1 });
  state = new BatchState(redis, { prefix: stack.redisPrefix });
});

afterAll(async () => {
  redis?.disconnect();
  await Promise.all([server?.close(), closedReads?.close()]);
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const at = (chain: string, base = server.url) => `${base}/chains/${chain}`;

async function store(url: string, batch: Uint8Array, jwtSecret?: Uint8Array): Promise<Uint8Array> {
  const stored = await result<{ 'serialized-da-cert': string }>(url, 'daprovider_store', [hex(batch), u64(TIMEOUT)], jwtSecret ? { jwtSecret } : {});
  return fromHex(stored['serialized-da-cert']);
}

async function recover(url: string, certificate: Uint8Array, jwtSecret?: Uint8Array): Promise<Uint8Array> {
  const answer = await result<{ Payload: string }>(url, 'daprovider_recoverPayload', readParams(certificate), jwtSecret ? { jwtSecret } : {});
  return new Uint8Array(Buffer.from(answer.Payload, 'base64'));
}

/** The raw HTTP answer to a store, with or without a token. */
function postStore(url: string, batch: Uint8Array, jwtSecret?: Uint8Array) {
  return post(url, requestBody('daprovider_store', [hex(batch), u64(TIMEOUT)]), jwtSecret ? { jwtSecret } : {});
}

/** Nothing of the frame reached Redis: not held, not handed to a batch, not committed. */
async function expectNothingQueued(batch: Uint8Array): Promise<void> {
  const k = frameKey(batch);
  expect(await state.frame(k)).toBeUndefined();
  expect(await state.batchOf(k)).toBeUndefined();
  expect(await state.isCommitted(k)).toBe(false);
}

async function metric(name: string, labels: string): Promise<number> {
  const line = (await stack.metrics.registry.metrics()).split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('/chains/<name> with each chain’s JWT', () => {
  it('stores and recovers per chain, each with its own JWT (inline secret and secret file)', async () => {
    for (const [chain, jwt] of [
      ['alpha', alphaJwt],
      ['beta', betaJwt],
    ] as const) {
      const batch = brotliLikeBatch(5_000);
      const certificate = await store(at(chain), batch, jwt);
      expect(certificate.subarray(0, 2)).toEqual(Uint8Array.of(0x01, 0x57));
      expect(await state.isCommitted(frameKey(batch))).toBe(true); // what expectNothingQueued looks at
      expect(await recover(at(chain), certificate, jwt)).toEqual(batch);
      // Reads are open by default: without a token on the chain's route, and on the root path.
      expect(await recover(at(chain), certificate)).toEqual(batch);
      expect(await recover(server.url, certificate)).toEqual(batch);
    }
  });

  it('stores through the chunked protocol on a chain route', async () => {
    const batch = brotliLikeBatch(50_000);
    const committed = JSON.parse(await streamStore(at('alpha'), batch, TIMEOUT, { jwtSecret: alphaJwt, chunkSize: 16_384 })) as { result: { 'serialized-da-cert': string } };
    expect(await recover(at('alpha'), fromHex(committed.result['serialized-da-cert']), alphaJwt)).toEqual(batch);
  });

  it('refuses the other chain’s JWT, a missing JWT and a stale JWT with 401, nothing queued', async () => {
    const batch = brotliLikeBatch(3_000);
    const cases: [string, Awaited<ReturnType<typeof post>>, string][] = [
      ['beta JWT on alpha', await postStore(at('alpha'), batch, betaJwt), 'signature is invalid'],
      ['no JWT', await postStore(at('alpha'), batch), 'missing token'],
      ['stale JWT', await post(at('beta'), requestBody('daprovider_store', [hex(batch), u64(TIMEOUT)]), { jwtSecret: betaJwt, iat: Math.floor(Date.now() / 1000) - 120 }), 'stale token'],
    ];
    for (const [label, answer, reason] of cases) {
      expect(answer.status, label).toBe(401);
      expect(answer.text, label).toBe(`${reason}\n`);
    }
    await expectNothingQueued(batch);
  });

  it('answers an unknown chain with 400 (never 404) and a chain without an Orbit JWT secret with 401', async () => {
    const batch = brotliLikeBatch(100);
    const unknown = await postStore(at('delta'), batch, alphaJwt);
    expect(unknown.status).toBe(400);
    expect(unknown.text).toBe('unknown chain "delta"\n');
    const secretless = await postStore(at('gamma'), batch, alphaJwt);
    expect(secretless.status).toBe(401);
    expect(secretless.text).toContain('chain gamma has no Orbit JWT secret');
    await expectNothingQueued(batch);
  });

  it('keeps the root path for reads only: a write there is refused with 401 naming /chains/<name>', async () => {
    const batch = brotliLikeBatch(2_000);
    const answer = await postStore(server.url, batch);
    expect(answer.status).toBe(401);
    expect(answer.text).toContain('/chains/<name>');
    const info = await result<{ headerBytes: string }>(server.url, 'daprovider_getSupportedHeaderBytes');
    expect(info.headerBytes).toBe('0x01');
    await expectNothingQueued(batch);
  });

  it('answers a chain over its put rate with the fallback error, nothing queued', async () => {
    await store(at('rated'), brotliLikeBatch(1_000), ratedJwt);
    const refused = brotliLikeBatch(1_000);
    const error = await store(at('rated'), refused, ratedJwt).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RpcCallError);
    expect((error as RpcCallError).message).toMatch(new RegExp(`^${FALLBACK}: chain rated is over its limit`));
    await expectNothingQueued(refused);
    // Another chain is not limited by it.
    expect(await store(at('alpha'), brotliLikeBatch(1_000), alphaJwt)).toHaveLength(104);
  });

  it('answers a chain over its queued bytes with the fallback error, nothing queued', async () => {
    const refused = brotliLikeBatch(2_000);
    const error = await store(at('tight'), refused, tightJwt).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as RpcCallError).message).toMatch(new RegExp(`^${FALLBACK}: chain tight has 0 bytes queued; its limit is 1000`));
    await expectNothingQueued(refused);
    expect(await store(at('tight'), brotliLikeBatch(500), tightJwt)).toHaveLength(104);
  });

  it('with --chains-auth-reads, reads need the chain’s JWT too', async () => {
    const batch = brotliLikeBatch(1_500);
    const certificate = await store(at('alpha'), batch, alphaJwt);
    expect(await recover(at('alpha', closedReads.url), certificate, alphaJwt)).toEqual(batch);
    for (const url of [at('alpha', closedReads.url), closedReads.url]) {
      const answer = await post(url, requestBody('daprovider_recoverPayload', readParams(certificate)));
      expect(answer.status, url).toBe(401);
    }
  });

  it('labels request metrics with the authenticated chain, and refusals with "unknown"', async () => {
    await call(at('beta'), 'daprovider_getMaxMessageSize', [], { jwtSecret: betaJwt });
    for (const chain of ['alpha', 'beta']) {
      expect(await metric('walrus_da_requests_total', `protocol="orbit",method="daprovider_store",outcome="ok",chain="${chain}"`), chain).toBeGreaterThanOrEqual(1);
      expect(await metric('walrus_da_frame_bytes_total', `direction="in",chain="${chain}"`), chain).toBeGreaterThan(0);
    }
    expect(await metric('walrus_da_requests_total', 'protocol="orbit",method="daprovider_getMaxMessageSize",outcome="ok",chain="beta"')).toBeGreaterThanOrEqual(1);
    expect(await metric('walrus_da_requests_total', 'protocol="orbit",method="daprovider_recoverPayload",outcome="ok",chain="default"')).toBeGreaterThanOrEqual(1);
    expect(await metric('walrus_da_requests_total', 'protocol="orbit",method="daprovider_store",outcome="BACKPRESSURE",chain="rated"')).toBe(1);
    expect(await metric('walrus_da_requests_total', 'protocol="orbit",method="http",outcome="UNAUTHENTICATED",chain="unknown"')).toBeGreaterThanOrEqual(2);
    expect(await metric('walrus_da_requests_total', 'protocol="orbit",method="http",outcome="INVALID_INPUT",chain="unknown"')).toBeGreaterThanOrEqual(1);
    expect(await metric('walrus_da_requests_total', 'protocol="orbit",method="daprovider_store",outcome="UNAUTHENTICATED",chain="unknown"')).toBeGreaterThanOrEqual(2);
    const exposition = await stack.metrics.registry.metrics();
    expect(exposition).not.toContain('chain="delta"');
  });
});
