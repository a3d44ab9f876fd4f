// The Orbit door end to end, as a Nitro batch poster and node use it: real HTTP, real Redis,
// walrus-local and the production adapters (test/support/stack.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFramed, keccak256 } from '../../src/commitment/index.ts';
import type { RunningServer } from '../../src/protocols/orbit/index.ts';
import { startOrbitDoor, startStack, type Stack } from '../support/stack.ts';
import { brotliLikeBatch, call, fromHex, hex, nitroChunkSize, readParams, result, streamStore, u64 } from './support/nitro-client.ts';

const MAX_MESSAGE_SIZE = 12 * 1024 * 1024;
const TIMEOUT = 1_751_296_000n; // now + 15 days, as the batch poster computes it; informational only

let stack: Stack;
let server: RunningServer;
let url: string;

beforeAll(async () => {
  stack = await startStack({ maxWaitMs: 100, maxFrameBytes: 16 * 1024 * 1024 });
  server = await startOrbitDoor(stack, { maxMessageSize: MAX_MESSAGE_SIZE, metrics: stack.metrics });
  url = server.url;
});

afterAll(async () => {
  await server?.close();
  await stack?.close();
});

/** The sum of a metric over every series whose labels start with `labels` (e.g. all chains). */
async function metric(name: string, labels: string): Promise<number> {
  return (await stack.metrics.registry.metrics())
    .split('\n')
    .filter((l) => l.startsWith(`${name}{${labels}}`) || l.startsWith(`${name}{${labels},`))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

async function store(batch: Uint8Array): Promise<Uint8Array> {
  const stored = await result<{ 'serialized-da-cert': string }>(url, 'daprovider_store', [hex(batch), u64(TIMEOUT)]);
  return fromHex(stored['serialized-da-cert']);
}

/** The three read methods, checked against each other and against the stored bytes. */
async function expectReadable(certificate: Uint8Array, batch: Uint8Array): Promise<void> {
  const b64 = Buffer.from(batch).toString('base64');
  const preimages = `{"3":{"0x${Buffer.from(keccak256(certificate)).toString('hex')}":"${b64}"}}`;
  const recovered = await call(url, 'daprovider_recoverPayload', readParams(certificate));
  expect(recovered.endsWith(`,"result":{"Payload":"${b64}"}}`)).toBe(true);
  const collected = await call(url, 'daprovider_collectPreimages', readParams(certificate));
  expect(collected.endsWith(`,"result":{"Preimages":${preimages}}}`)).toBe(true);
  const both = await call(url, 'daprovider_recoverPayloadAndPreimages', readParams(certificate));
  expect(both.endsWith(`,"result":{"Payload":"${b64}","Preimages":${preimages}}}`)).toBe(true);
}

describe('Orbit DA provider, end to end', () => {
  for (const [label, size] of [
    ['1 B', 1],
    ['100 KB', 100_000],
    ['5 MB', 5_000_000],
  ] as const) {
    it(`store → recoverPayload (at once) → collectPreimages round-trips a ${label} batch`, async () => {
      const batch = brotliLikeBatch(size);
      const certificate = await store(batch);
      expect(certificate).toHaveLength(104);
      expect(certificate.subarray(0, 2)).toEqual(Uint8Array.of(0x01, 0x57));
      expect(decodeFramed(certificate, 'orbit', { daByte: 0x57 }).frameKeccak).toEqual(keccak256(batch));
      await expectReadable(certificate, batch);
    });
  }

  it('answers a repeated store with the same certificate and no second Walrus write', async () => {
    const batch = brotliLikeBatch(20_000);
    const first = await store(batch);
    const writes = await metric('walrus_da_quilt_stores_total', 'outcome="newlyCreated"');
    const dedupedBefore = await metric('walrus_da_deduplicated_puts_total', 'chain="default"');
    const again = await Promise.all([store(batch), store(batch)]);
    for (const certificate of again) expect(certificate).toEqual(first);
    expect(await metric('walrus_da_quilt_stores_total', 'outcome="newlyCreated"')).toBe(writes);
    const dedupedAfter = await metric('walrus_da_deduplicated_puts_total', 'chain="default"');
    expect(dedupedAfter - dedupedBefore).toBe(2);
  });

  it('stores a 10 MB batch through the chunked protocol as Nitro streams it, with the same certificate as a single-call store', async () => {
    const batch = brotliLikeBatch(10_000_000);
    expect(Math.ceil(batch.length / nitroChunkSize())).toBe(4);
    const committed = JSON.parse(await streamStore(url, batch, TIMEOUT)) as { result: { 'serialized-da-cert': string } };
    const certificate = fromHex(committed.result['serialized-da-cert']);
    expect(decodeFramed(certificate, 'orbit', { daByte: 0x57 }).frameKeccak).toEqual(keccak256(batch));
    await expectReadable(certificate, batch);
    expect(await store(batch)).toEqual(certificate);
  });

  it('serves many batch posters at once', async () => {
    const batches = Array.from({ length: 12 }, (_, i) => brotliLikeBatch(1000 + i * 777));
    const certificates = await Promise.all(batches.map((b) => store(b)));
    await Promise.all(certificates.map((c, i) => expectReadable(c, batches[i]!)));
    const quilts = new Set(certificates.map((c) => Buffer.from(decodeFramed(c, 'orbit').quiltId).toString('hex')));
    expect(quilts.size).toBeLessThan(batches.length);
  });

  it('counts calls per method in the metrics', async () => {
    await result(url, 'daprovider_getMaxMessageSize');
    expect(await metric('walrus_da_requests_total', 'protocol="orbit",method="daprovider_getMaxMessageSize",outcome="ok",chain="default"')).toBeGreaterThanOrEqual(1);
    expect(await metric('walrus_da_requests_total', 'protocol="orbit",method="daprovider_store",outcome="ok",chain="default"')).toBeGreaterThanOrEqual(1);
  });

  it('counts requests refused before any method runs: too large, not JSON, wrong content type', async () => {
    const refused = (outcome: string) => metric('walrus_da_requests_total', `protocol="orbit",method="http",outcome="${outcome}",chain="unknown"`);
    const [large, invalid] = [await refused('TOO_LARGE'), await refused('INVALID_INPUT')];
    const tooLarge = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(2 * MAX_MESSAGE_SIZE + 2 * 1024 * 1024) });
    expect(tooLarge.status).toBe(413);
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":' })).status).toBe(200); // a JSON-RPC parse error
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect(await refused('TOO_LARGE')).toBe(large + 1);
    expect(await refused('INVALID_INPUT')).toBe(invalid + 2);
  });
});
