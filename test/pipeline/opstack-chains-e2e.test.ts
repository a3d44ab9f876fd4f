// Chains on the OP Stack door end to end (docs/wire/opstack.md "Chains"): a chains file, real HTTP
// with Go's userinfo → Basic handling, real Redis, walrus-local, the production admission.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchState } from '../../src/batching/batch-state.ts';
import { decodeFramed, encodeOpStackKeccakCommitment, frameKey, keccak256 } from '../../src/commitment/index.ts';
import type { RunningServer } from '../../src/protocols/opstack/server.ts';
import { batcherFrame, getInput, putGeneric, withUserinfo, type PutAnswer } from '../support/opstack-client.ts';
import { startOpStackDoor, startStack, type Stack } from '../support/stack.ts';

// A secret with ':' and non-ASCII, percent-encoded into the URL as an operator must for Go.
const ALPHA_SECRET = 'alpha:s3cret-ü';
const BETA_SECRET = 'beta-secret';
const CHAINS_YAML = `
chains:
  - name: alpha
    secretFile: alpha.secret
  - name: beta
    secret: ${BETA_SECRET}
  - name: paced          # 2 puts at once, then one every 2 s
    secret: paced-secret
    limits: { putsPerSecond: 0.5, putBurst: 2 }
  - name: small          # at most 3 frames of 10 kB queued at once
    secret: small-secret
    limits: { maxQueuedBytes: 30000 }
`;

let dir: string;
let stack: Stack;
let server: RunningServer;
let redis: Redis;
let state: BatchState;
/** `http://<chain>:<secret>@host:port/chains/<chain>`: what the operator gives op-batcher. */
let chainUrl: (chain: string, secret: string, pathChain?: string) => string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wda-chains-'));
  await writeFile(join(dir, 'alpha.secret'), `${ALPHA_SECRET}\n`);
  await writeFile(join(dir, 'chains.yaml'), CHAINS_YAML);
  stack = await startStack({ maxWaitMs: 100, maxFrameBytes: 1024 * 1024, settings: { chainsFile: join(dir, 'chains.yaml') } });
  server = await startOpStackDoor(stack, { metrics: stack.metrics, chains: stack.composed.chains });
  chainUrl = (chain, secret, pathChain = chain) => withUserinfo(`${server.url}/chains/${pathChain}`, chain, secret);
  redis = new Redis(stack.redisUrl);
  state = new BatchState(redis, { prefix: stack.redisPrefix });
});

afterAll(async () => {
  redis?.disconnect();
  await server?.close();
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A refused put must leave no trace: no frame bytes, no hand-off, no commitment, no queued job. */
async function expectNothingStored(frame: Uint8Array): Promise<void> {
  const key = frameKey(frame);
  expect(await state.frame(key)).toBeUndefined();
  expect(await state.batchOf(key)).toBeUndefined();
  expect(await state.isCommitted(key)).toBe(false);
  expect((await stack.service.status(key)).state).toBe('unknown');
}

async function expectReadsBack(base: string, put: PutAnswer, frame: Uint8Array): Promise<void> {
  expect(decodeFramed(put.body, 'opstack', { daByte: 0x57 }).frameKeccak).toEqual(keccak256(frame));
  const got = await getInput(base, put.body);
  expect(got.status).toBe(200);
  expect(Buffer.from(got.body).equals(Buffer.from(frame))).toBe(true);
}

describe('OP Stack door with chains, end to end', () => {
  it('two chains put and get under /chains/<name> with the userinfo of their URL (generic and keccak mode)', async () => {
    const alpha = chainUrl('alpha', ALPHA_SECRET);
    const beta = chainUrl('beta', BETA_SECRET);
    const frames = { alpha: batcherFrame(4000), beta: batcherFrame(5000) };
    const [a, b] = await Promise.all([putGeneric(alpha, frames.alpha), putGeneric(beta, frames.beta)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await expectReadsBack(alpha, a, frames.alpha);
    await expectReadsBack(beta, b, frames.beta);

    const keccakFrame = batcherFrame(3000);
    const keccakPath = `0x${Buffer.from(encodeOpStackKeccakCommitment(keccak256(keccakFrame))).toString('hex')}`;
    const put = await putGeneric(beta, keccakFrame, `/put/${keccakPath}`);
    expect(put.status).toBe(200);
    const got = await getInput(beta, keccakPath);
    expect(got.status).toBe(200);
    expect(Buffer.from(got.body).equals(Buffer.from(keccakFrame))).toBe(true);
    // Reads are open: op-node needs no credentials.
    expect((await getInput(`${server.url}/chains/alpha`, a.body)).status).toBe(200);
  });

  it('answers 401 with a Basic challenge for missing, wrong, foreign and mismatched credentials, and 400 for an unknown chain', async () => {
    const refused = [
      ['missing', `${server.url}/chains/alpha`],
      ['wrong', chainUrl('alpha', 'guess')],
      ["beta's secret", chainUrl('alpha', BETA_SECRET)],
      ['user ≠ path', chainUrl('beta', BETA_SECRET, 'alpha')],
      ['root without credentials', server.url],
    ] as const;
    for (const [name, base] of refused) {
      const frame = batcherFrame(1000);
      const answer = await putGeneric(base, frame);
      expect(answer.status, name).toBe(401);
      expect(answer.headers.get('www-authenticate'), name).toBe('Basic realm="walrus-da"');
      await expectNothingStored(frame);
    }
    const frame = batcherFrame(1000);
    const unknown = await putGeneric(chainUrl('gamma', 'x'), frame);
    expect(unknown.status).toBe(400);
    expect((await getInput(`${server.url}/chains/gamma`, `0x00${'ab'.repeat(32)}`)).status).toBe(400);
    await expectNothingStored(frame);
  });

  it('a burst over a put rate: 2 admitted and read back, the rest 429 with Retry-After and nothing in Redis', async () => {
    const base = chainUrl('paced', 'paced-secret');
    const frames = Array.from({ length: 6 }, () => batcherFrame(2000));
    const answers = await Promise.all(frames.map((frame) => putGeneric(base, frame)));
    const admitted = answers.flatMap((a, i) => (a.status === 200 ? [i] : []));
    expect(admitted).toHaveLength(2);
    for (const [i, answer] of answers.entries()) {
      if (answer.status === 200) {
        await expectReadsBack(base, answer, frames[i]!);
      } else {
        expect(answer.status).toBe(429);
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
        await expectNothingStored(frames[i]!);
      }
    }
  });

  it('a burst over a chain’s queued bytes: every admitted put reads back, every refused one got 429 and left nothing', async () => {
    const base = chainUrl('small', 'small-secret');
    const frames = Array.from({ length: 8 }, () => batcherFrame(10_000));
    const answers = await Promise.all(frames.map((frame) => putGeneric(base, frame)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    for (const [i, answer] of answers.entries()) {
      if (answer.status === 200) await expectReadsBack(base, answer, frames[i]!);
      else {
        expect(answer.headers.get('retry-after')).toBe('1');
        await expectNothingStored(frames[i]!);
      }
    }
    // The queue drained: the chain takes puts again.
    const again = batcherFrame(10_000);
    const answer = await putGeneric(base, again);
    expect(answer.status).toBe(200);
    await expectReadsBack(base, answer, again);
  });

  it('labels the request metrics by chain on /metrics', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    for (const chain of ['alpha', 'beta', 'paced', 'small']) {
      expect(text).toContain(`walrus_da_requests_total{protocol="opstack",method="put",outcome="ok",chain="${chain}"}`);
    }
    expect(text).toContain('walrus_da_requests_total{protocol="opstack",method="put",outcome="BACKPRESSURE",chain="paced"}');
    expect(text).toContain('walrus_da_requests_total{protocol="opstack",method="put",outcome="UNAUTHENTICATED",chain="unknown"}');
    expect(text).toMatch(/walrus_da_request_duration_seconds_count\{protocol="opstack",method="get",chain="alpha"\} \d+/);
    expect(text).not.toContain('chain="gamma"');
  });
});
