// Bounded requests on the HTTP doors (docs/lifecycle.md): a request whose headers or body stall is
// answered 408 or closed within the configured timeout, on the OP Stack door and the Orbit door
// alike; a fuzz run of raw requests over node:net leaves no connection unanswered past it, and
// the server keeps serving throughout.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keccak256 } from '../../src/commitment/index.ts';
import { xorshift32Bytes } from '../support/xorshift.ts';
import { startOpStackDoor, startOrbitDoor, startStack, type Stack } from '../support/stack.ts';

const HEADERS_TIMEOUT_MS = 400;
const REQUEST_TIMEOUT_MS = 800;
/** Node checks its timeouts every quarter of the headers timeout; the rest is a loaded CI machine. */
const SLACK_MS = 1500;
const BOUND_MS = REQUEST_TIMEOUT_MS + SLACK_MS;
const limits = { headersTimeoutMs: HEADERS_TIMEOUT_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS, maxConnections: 1024 };

let stack: Stack;
let opstack: { url: string; close(): Promise<void> } | undefined;
let orbit: { url: string; close(): Promise<void> } | undefined;
let opPort: number;
let orbitPort: number;

beforeAll(async () => {
  // Every batch waits 1.5 s for companions: a put is answered well after the request timeout.
  stack = await startStack({ shards: 10, maxWaitMs: 2000, settings: { batchLingerMs: 1500 } });
  opstack = await startOpStackDoor(stack, { limits });
  orbit = await startOrbitDoor(stack, { maxMessageSize: 256 * 1024, ...limits });
  opPort = Number(new URL(opstack.url).port);
  orbitPort = Number(new URL(orbit.url).port);
});
afterAll(async () => {
  await opstack?.close();
  await orbit?.close();
  await stack.close();
});

interface Outcome {
  /** The first bytes the server sent, or '' when it closed without a word. */
  readonly answer: string;
  /** From connecting to the first byte of the answer or the close. */
  readonly ms: number;
}

/** Writes `bytes` on a fresh connection and waits for the server's first word or its close. */
function exchange(port: number, bytes: Uint8Array, waitLimitMs = 3 * BOUND_MS): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket: Socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    const done = () => {
      clearTimeout(limit);
      socket.destroy();
      resolve({ answer, ms: performance.now() - started });
    };
    const limit = setTimeout(() => {
      answer = 'NO ANSWER';
      done();
    }, waitLimitMs);
    socket.once('connect', () => socket.write(bytes));
    socket.once('data', (chunk: Buffer) => {
      answer = chunk.toString('latin1', 0, Math.min(chunk.length, 200));
      done();
    });
    socket.once('close', done);
    socket.once('error', () => undefined);
  });
}

const text = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function stalledAnswer(outcome: Outcome): void {
  // 408 from node's timeout, or a plain close: either way, within the bound.
  expect(outcome.answer === '' || outcome.answer.startsWith('HTTP/1.1 408')).toBe(true);
  expect(outcome.ms).toBeLessThan(BOUND_MS);
}

describe('stalled requests', () => {
  const half = xorshift32Bytes(1, 60_000);

  it('OP Stack /put: Content-Length 120,000 with 60,000 sent', async () => {
    stalledAnswer(await exchange(opPort, concat(text('POST /put HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: 120000\r\n\r\n'), half)));
  });

  it('OP Stack /put: one chunk of a chunked body', async () => {
    stalledAnswer(await exchange(opPort, concat(text(`POST /put HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${half.length.toString(16)}\r\n`), half, text('\r\n'))));
  });

  it('OP Stack: headers that never end get 408', async () => {
    const outcome = await exchange(opPort, text('GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: '));
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(outcome.ms).toBeLessThan(BOUND_MS);
  });

  it('Orbit: a store call whose body stops halfway', async () => {
    const body = `{"jsonrpc":"2.0","id":1,"method":"daprovider_store","params":["0x${Buffer.from(half).toString('hex')}`;
    stalledAnswer(await exchange(orbitPort, text(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${2 * body.length}\r\n\r\n${body}`)));
  });

  it('Orbit: one chunk of a chunked body', async () => {
    const body = '{"jsonrpc":"2.0","id":1,"method":"daprovider_getMaxMessageSize"';
    stalledAnswer(await exchange(orbitPort, text(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n`)));
  });

  it('a complete request is still answered in full', async () => {
    const outcome = await exchange(opPort, text('GET /health HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 200/);
  });

  it('bounds only the receiving: a put whose body arrived waits past the request timeout for its commitment', async () => {
    const frame = xorshift32Bytes(3, 5000);
    const outcome = await exchange(opPort, concat(text(`POST /put HTTP/1.1\r\nHost: x\r\nContent-Length: ${frame.length}\r\n\r\n`), frame), 30_000);
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 200/);
    expect(outcome.ms).toBeGreaterThan(REQUEST_TIMEOUT_MS);
  });
});

describe('fuzzed raw requests', () => {
  /** Seeded xorshift32: the same 10,000 requests on every run. */
  function random(seed: number) {
    let x = seed >>> 0 || 1;
    const next = () => {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      return x;
    };
    return { below: (n: number) => next() % n, chance: (p: number) => next() / 2 ** 32 < p };
  }

  // Well-formed requests of both doors that answer at once (a keccak-mode put whose body does not
  // match its keccak is refused before anything is queued), mutated below.
  const frame = xorshift32Bytes(7, 3000);
  const wrongKeccak = Buffer.from(keccak256(text('not the body'))).toString('hex');
  const rpc = '{"jsonrpc":"2.0","id":7,"method":"daprovider_getMaxMessageSize"}';
  const seeds: { port: () => number; bytes: Uint8Array }[] = [
    { port: () => opPort, bytes: concat(text(`POST /put/0x00${wrongKeccak} HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: ${frame.length}\r\n\r\n`), frame) },
    { port: () => opPort, bytes: text('GET /get/0x010057000000 HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n') },
    { port: () => opPort, bytes: concat(text(`PUT /chains/a/put/0x00${wrongKeccak} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n`), frame.subarray(0, 16), text('\r\n0\r\n\r\n')) },
    { port: () => orbitPort, bytes: text(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${rpc.length}\r\n\r\n${rpc}`) },
    { port: () => orbitPort, bytes: text(`POST /chains/x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${rpc.length.toString(16)}\r\n${rpc}\r\n0\r\n\r\n`) },
  ];

  function mutate(bytes: Uint8Array, rng: ReturnType<typeof random>): Uint8Array {
    const out = Buffer.from(bytes);
    switch (rng.below(5)) {
      case 0: // cut anywhere: in the request line, the headers or the body
        return new Uint8Array(out.subarray(0, rng.below(out.length + 1)));
      case 1: // flip a few bytes
        for (let i = rng.below(4); i >= 0; i--) out[rng.below(out.length)] = rng.below(256);
        return new Uint8Array(out);
      case 2: {
        // a larger Content-Length than the body, or a chunk size that never arrives
        const declared = out.toString('latin1').replace(/Content-Length: \d+/, `Content-Length: ${100_000 + rng.below(1_000_000)}`).replace('\r\n0\r\n\r\n', '\r\n');
        return text(declared);
      }
      case 3: // random bytes
        return xorshift32Bytes(rng.below(2 ** 31) + 1, rng.below(300));
      default: // as it is, then a second request cut short on the same connection
        return concat(out, out.subarray(0, rng.below(out.length)));
    }
  }

  it('10,000 requests: each is answered or closed within the timeout, and the doors keep serving', async () => {
    const rng = random(0x5eed);
    const cases = Array.from({ length: 10_000 }, () => {
      const seed = seeds[rng.below(seeds.length)] ?? seeds[0];
      return { port: seed?.port ?? (() => opPort), bytes: mutate(seed?.bytes ?? new Uint8Array(), rng) };
    });
    const late: { index: number; outcome: Outcome }[] = [];
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < cases.length; index = next++) {
        const item = cases[index];
        if (!item) continue;
        const outcome = await exchange(item.port(), item.bytes);
        if (outcome.answer === 'NO ANSWER' || outcome.ms >= BOUND_MS) late.push({ index, outcome });
        // The doors keep serving throughout.
        if (index % 1000 === 0) expect((await exchange(opPort, text('GET /health HTTP/1.1\r\nHost: x\r\n\r\n'))).answer).toMatch(/^HTTP\/1\.1 200/);
      }
    };
    await Promise.all(Array.from({ length: 100 }, worker));
    expect(late.map(({ index, outcome }) => ({ index, ms: Math.round(outcome.ms), answer: outcome.answer.slice(0, 40), sent: Buffer.from(cases[index]?.bytes ?? []).toString('latin1').slice(0, 80) }))).toEqual([]);
    expect((await exchange(orbitPort, seeds[3]?.bytes ?? new Uint8Array())).answer).toMatch(/^HTTP\/1\.1 200/);
  }, 180_000);
});
