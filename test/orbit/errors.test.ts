// Error semantics end to end (docs/wire/orbit.md "Errors"): each case produces exactly the substring
// Nitro acts on, and transient failures never look like an invalid certificate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBody, encodeFramed, keccak256 } from '../../src/commitment/index.ts';
import type { RunningServer } from '../../src/protocols/orbit/index.ts';
import { startOrbitDoor, startStack, type Stack } from '../support/stack.ts';
import { RpcCallError, ZERO_HASH, brotliLikeBatch, fromHex, hex, readParams, result, u64 } from './support/nitro-client.ts';
import { nitroChunkSignature, nitroCommitSignature, nitroStartSignature } from './support/nitro-signing.ts';

const VALIDATION = 'certificate validation failed';
const FALLBACK = 'DA provider requests fallback to next writer';
const TOO_LARGE = 'message too large for current DA backend';
const READS = ['daprovider_recoverPayload', 'daprovider_collectPreimages', 'daprovider_recoverPayloadAndPreimages'];
const MAX = 1_000_000;

let stack: Stack;
let server: RunningServer;
let url: string;

beforeAll(async () => {
  stack = await startStack({ maxWaitMs: 50, putTimeoutMs: 3000 });
  server = await startOrbitDoor(stack, { maxMessageSize: MAX });
  url = server.url;
});

afterAll(async () => {
  await server?.close();
  await stack?.close();
});

async function failure(method: string, params: string[], target = url): Promise<RpcCallError> {
  try {
    await result(target, method, params);
  } catch (error) {
    if (error instanceof RpcCallError) return error;
    throw error;
  }
  throw new Error(`${method} succeeded`);
}

async function store(batch: Uint8Array, target = url): Promise<Uint8Array> {
  const answer = await result<{ 'serialized-da-cert': string }>(target, 'daprovider_store', [hex(batch), u64(1_751_296_000)]);
  return fromHex(answer['serialized-da-cert']);
}

/** A well-formed certificate naming a quilt nobody stored. */
function unknownCertificate(): Uint8Array {
  const body = { quiltId: new Uint8Array(32).fill(9), startColumn: 1, endColumn: 2, objectId: new Uint8Array(32).fill(8), frameKeccak: keccak256(Uint8Array.of(0, 1, 2)) };
  return encodeFramed(body, { daByte: 0x57 });
}

describe('reader errors', () => {
  it('reports structurally invalid certificates as "certificate validation failed: <reason>" from all three read methods', async () => {
    const good = unknownCertificate();
    const body = encodeBody({ quiltId: new Uint8Array(32), startColumn: 1, endColumn: 2, objectId: new Uint8Array(32), frameKeccak: new Uint8Array(32) });
    const cases: [string, Uint8Array, string][] = [
      ['wrong header byte', Uint8Array.of(0x02, ...good.subarray(1)), 'unsupported certificate header byte 0x02 (expected 0x01)'],
      ['foreign DA byte', Uint8Array.of(0x01, 0x63, ...good.subarray(2)), "foreign Orbit DA certificate: DA byte 0x63 is not this server's 0x57"],
      ['unknown body version', Uint8Array.of(0x01, 0x57, 0x01, ...body.subarray(1)), 'unknown commitment body version 0x01 (supported: 0x00)'],
      ['too short', good.subarray(0, 103), 'invalid Orbit DA certificate length: expected 104 bytes, got 103'],
      ['too long', Uint8Array.of(...good, 0), 'invalid Orbit DA certificate length: expected 104 bytes, got 105'],
      ['empty', new Uint8Array(), 'invalid Orbit DA certificate length: expected 104 bytes, got 0'],
    ];
    for (const [label, certificate, reason] of cases) {
      for (const method of READS) {
        const error = await failure(method, readParams(certificate));
        expect(error.message, `${label} / ${method}`).toBe(`${VALIDATION}: ${reason}`);
        expect(error.code).toBe(-32000);
      }
    }
    const short = await failure('daprovider_recoverPayload', [u64(1), ZERO_HASH, hex(new Uint8Array(39))]);
    expect(short.message).toBe(`${VALIDATION}: sequencer message too short: 39 bytes, the header alone is 40`);
  });

  it('never calls a well-formed certificate with missing data invalid: the node must retry', async () => {
    for (const method of READS) {
      const error = await failure(method, readParams(unknownCertificate()));
      expect(error.message).toMatch(/^walrus-da could not read the batch \([A-Z_]+\); the node should retry: /);
      for (const sentinel of [VALIDATION, FALLBACK, TOO_LARGE]) expect(error.message).not.toContain(sentinel);
    }
  });

  it('answers "temporarily unreadable" with a plain error while Walrus is down, then the exact bytes', async () => {
    const batch = brotliLikeBatch(3000);
    const certificate = await store(batch);
    // A second deployment on the same Walrus: no cached copy, so reads go to the aggregator.
    const reader = await startStack({ walrusLocal: stack.walrusLocal, maxWaitMs: 50 });
    const readerServer = await startOrbitDoor(reader, { maxMessageSize: MAX });
    try {
      // Down means the aggregator and every storage node: the read path falls through to the nodes.
      const nodes = [0, 1, 2, 3];
      await stack.walrusLocal.stopDaemon();
      for (const node of nodes) await stack.walrusLocal.stopNode(node);
      try {
        const error = await failure('daprovider_recoverPayload', readParams(certificate), readerServer.url);
        expect(error.message).toMatch(/^walrus-da could not read the batch \([A-Z_]+\); the node should retry: /);
        expect(error.message).not.toContain(VALIDATION);
      } finally {
        for (const node of nodes) await stack.walrusLocal.startNode(node);
        await stack.walrusLocal.startDaemon();
      }
      const payload = await result<{ Payload: string }>(readerServer.url, 'daprovider_recoverPayload', readParams(certificate));
      expect(Buffer.from(payload.Payload, 'base64').equals(Buffer.from(batch))).toBe(true);
    } finally {
      await readerServer.close();
      await reader.close();
    }
  });
});

describe('writer errors', () => {
  it('asks for fallback when Walrus cannot certify in time, and stores once Walrus is back', async () => {
    const batch = brotliLikeBatch(4000);
    await stack.walrusLocal.stopDaemon();
    try {
      const error = await failure('daprovider_store', [hex(batch), u64(1_751_296_000)]);
      expect(error.message.startsWith(`${FALLBACK}: `)).toBe(true);
    } finally {
      await stack.walrusLocal.startDaemon();
    }
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const certificate = await store(batch);
        expect(certificate).toHaveLength(104);
        break;
      } catch (error) {
        if (!(error instanceof RpcCallError) || !error.message.includes(FALLBACK) || Date.now() > deadline) throw error;
      }
    }
  });

  it('asks the poster to rebuild smaller for a message over getMaxMessageSize, single-call or chunked', async () => {
    const single = await failure('daprovider_store', [hex(brotliLikeBatch(MAX + 1)), u64(1)]);
    expect(single.message).toBe(`${TOO_LARGE}: data of ${MAX + 1} bytes exceeds the limit of ${MAX} bytes`);
    const ts = BigInt(Math.floor(Date.now() / 1000));
    const total = BigInt(MAX + 1);
    const sig = nitroStartSignature({ timestamp: ts, nChunks: 1n, chunkSize: total, totalSize: total, timeout: 1n });
    const chunked = await failure('daprovider_startChunkedStore', [u64(ts), u64(1), u64(total), u64(total), u64(1), hex(sig)]);
    expect(chunked.message.startsWith(`${TOO_LARGE}: `)).toBe(true);
  });

  it('rejects an empty message without fallback', async () => {
    const error = await failure('daprovider_store', ['"0x"', u64(1)]);
    expect(error.message).toBe('empty message: there is no batch to store');
  });

  it('applies the configured chunked-store limits on the injected clock', async () => {
    const clock = { now: Date.now() };
    const limited = await startOrbitDoor(stack, {
      maxMessageSize: MAX,
      streaming: { maxPendingStreams: 1, inactivityExpiryMs: 1000, clock: () => clock.now },
    });
    try {
      const ts = BigInt(Math.floor(clock.now / 1000));
      const start = (timeout: bigint) =>
        result<{ BatchId: string }>(limited.url, 'daprovider_startChunkedStore', [u64(ts), u64(1), u64(4), u64(4), u64(timeout), hex(nitroStartSignature({ timestamp: ts, nChunks: 1n, chunkSize: 4n, totalSize: 4n, timeout }))]);
      const first = BigInt((await start(1n)).BatchId);
      const busy = await failure('daprovider_startChunkedStore', [u64(ts), u64(1), u64(4), u64(4), u64(2), hex(nitroStartSignature({ timestamp: ts, nChunks: 1n, chunkSize: 4n, totalSize: 4n, timeout: 2n }))], limited.url);
      expect(busy.message).toBe("can't start collecting new message: already 1 pending");
      clock.now += 1001; // the first stream saw no chunk for longer than the expiry
      await start(3n);
      const chunk = Uint8Array.of(0, 1, 2, 3);
      const late = await failure('daprovider_sendChunk', [u64(first), u64(0), hex(chunk), hex(nitroChunkSignature(first, 0n, chunk))], limited.url);
      expect(late.message).toBe(`unknown message(${first})`);
    } finally {
      await limited.close();
    }
  });

  it('reports chunked-store protocol violations in Nitro’s words, without fallback', async () => {
    const ts = BigInt(Math.floor(Date.now() / 1000));
    const bad = await failure('daprovider_startChunkedStore', [u64(ts), u64(1), u64(10), u64(10), u64(1), hex(new Uint8Array(32))]);
    expect(bad.message).toBe('signature does not match');
    const sig = nitroStartSignature({ timestamp: ts, nChunks: 2n, chunkSize: 10n, totalSize: 15n, timeout: 1n });
    const started = await result<{ BatchId: string }>(url, 'daprovider_startChunkedStore', [u64(ts), u64(2), u64(10), u64(15), u64(1), hex(sig)]);
    const replay = await failure('daprovider_startChunkedStore', [u64(ts), u64(2), u64(10), u64(15), u64(1), hex(sig)]);
    expect(replay.message).toBe('we have already seen this request; aborting replayed protocol');
    const id = BigInt(started.BatchId);
    const commit = await failure('daprovider_commitChunkedStore', [u64(id), hex(nitroCommitSignature(id))]);
    expect(commit.message).toBe(`incomplete message(${id}): got 0/2 chunks`);
  });
});
