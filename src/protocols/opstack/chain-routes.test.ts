// Chains on the OP Stack door (docs/wire/opstack.md "Chains"), over a recording service: which
// chain each call is made for, and the answers when the path, the credentials or the limits say no.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { encodeOpStackKeccakCommitment, keccak256, type CommitmentBody } from '../../commitment/index.ts';
import { BackpressureError, ChainDirectory, type CallOptions, type DaService, type PutResult } from '../../core/index.ts';
import { createMetrics } from '../../observability/metrics.ts';
import { buildOpStackApp } from './server.ts';

const SECRETS = { alpha: 'alpha-s3cret', beta: 'b:sécret' } as const;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
const ALPHA = basic('alpha', SECRETS.alpha);
const BETA = basic('beta', SECRETS.beta);
const FRAME = Buffer.from('frame bytes');
const KECCAK_PATH = `0x${Buffer.from(encodeOpStackKeccakCommitment(keccak256(FRAME))).toString('hex')}`;

const body = (frame: Uint8Array): CommitmentBody => ({
  quiltId: new Uint8Array(32).fill(1),
  startColumn: 1,
  endColumn: 2,
  objectId: new Uint8Array(32).fill(2),
  frameKeccak: keccak256(frame),
});

interface Door {
  readonly app: ReturnType<typeof buildOpStackApp>;
  /** The chain of every service call, in order. */
  readonly calls: string[];
  readonly logs: string[];
  readonly metricsText: () => Promise<string>;
}

/** A door over a service that records its calls; `refuse` makes puts of that chain throw BackpressureError. */
function door(options: { chains?: boolean; authReads?: boolean; refuse?: string; bodyLimitBytes?: number } = {}): Door {
  const calls: string[] = [];
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const service = {
    maxFrameBytes: 1024,
    put(frame: Uint8Array, call: CallOptions = {}): Promise<PutResult> {
      calls.push(call.chain ?? '?');
      if (call.chain === options.refuse) return Promise.reject(new BackpressureError(`chain ${call.chain} is over its limit`, { retryAfterMs: 2500 }));
      return Promise.resolve({ commitment: { body: body(frame), height: 1, certifiedEpoch: 1, endEpoch: 9, committedAtMs: 0 }, deduplicated: false });
    },
    getByKey(_key: string, call: CallOptions = {}) {
      calls.push(call.chain ?? '?');
      return Promise.resolve({ data: new Uint8Array(FRAME), source: 'cache' });
    },
  } as unknown as DaService;
  const chains =
    options.chains === false
      ? undefined
      : new ChainDirectory(
          Object.entries(SECRETS).map(([name, secret]) => ({ name, secret, limits: {} })),
          { authReads: options.authReads ?? false },
        );
  const metrics = createMetrics({ defaultMetrics: false });
  const app = buildOpStackApp({
    service,
    host: '127.0.0.1',
    port: 0,
    daByte: 0x57,
    logger: pino({ level: 'trace' }, sink),
    metrics,
    ...(chains ? { chains } : {}),
    ...(options.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: options.bodyLimitBytes }),
  });
  return { app, calls, logs, metricsText: () => metrics.registry.metrics() };
}

const post = (d: Door, url: string, authorization?: string, payload: Buffer = FRAME) =>
  d.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/octet-stream', ...(authorization === undefined ? {} : { authorization }) } });
const get = (d: Door, url: string, authorization?: string) => d.app.inject({ method: 'GET', url, headers: authorization === undefined ? {} : { authorization } });

describe('OP Stack door without a chains file', () => {
  it('serves the root routes as before, without reading any credentials', async () => {
    const d = door({ chains: false });
    expect((await post(d, '/put')).statusCode).toBe(200);
    expect((await post(d, '/put', 'Bearer not-basic')).statusCode).toBe(200);
    expect((await get(d, `/get/${KECCAK_PATH}`, 'garbage')).statusCode).toBe(200);
    expect(d.calls).toEqual(['default', 'default', 'default']);
    expect(await d.metricsText()).toContain('walrus_da_requests_total{protocol="opstack",method="put",outcome="ok",chain="default"} 2');
  });

  it('answers 400 "serves no chains" (never 404) for every /chains/… route', async () => {
    const d = door({ chains: false });
    for (const response of [await post(d, '/chains/alpha/put', ALPHA), await post(d, `/chains/x/put/${KECCAK_PATH}`), await get(d, `/chains/x/get/${KECCAK_PATH}`), await get(d, '/chains/x/nope'), await get(d, '/chains/x/put')]) {
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: { code: 'INVALID_INPUT', message: 'this deployment serves no chains: use /put and /get/0x… at the root' } });
    }
    expect(d.calls).toEqual([]);
  });
});

describe('OP Stack door with chains', () => {
  it('serves every route under /chains/<name>/ for that chain, with Basic credentials', async () => {
    const d = door();
    expect((await post(d, '/chains/alpha/put', ALPHA)).statusCode).toBe(200);
    expect((await post(d, '/chains/alpha/put/', ALPHA)).statusCode).toBe(200);
    expect((await post(d, '/chains/alpha//put', ALPHA)).statusCode).toBe(200); // base URL given with a trailing slash
    const keccak = await d.app.inject({ method: 'PUT', url: `/chains/beta/put/${KECCAK_PATH}`, payload: FRAME, headers: { authorization: BETA } });
    expect(keccak.statusCode).toBe(200);
    const read = await get(d, `/chains/beta/get/${KECCAK_PATH}?l1_inclusion_block_number=7`);
    expect(read.statusCode).toBe(200);
    expect(read.rawPayload.equals(FRAME)).toBe(true);
    expect(d.calls).toEqual(['alpha', 'alpha', 'alpha', 'beta', 'beta']);
  });

  it('lets the Basic user select the chain on the root routes', async () => {
    const d = door();
    expect((await post(d, '/put', BETA)).statusCode).toBe(200);
    expect((await post(d, `/put/${KECCAK_PATH}`, ALPHA)).statusCode).toBe(200);
    expect(d.calls).toEqual(['beta', 'alpha']);
  });

  it.each([
    ['no credentials', '/chains/alpha/put', undefined],
    ['a wrong secret', '/chains/alpha/put', basic('alpha', 'guess')],
    ["another chain's credentials", '/chains/alpha/put', BETA],
    ["the user of the path with another chain's secret", '/chains/alpha/put', basic('alpha', SECRETS.beta)],
    ['an empty user', '/chains/alpha/put', basic('', SECRETS.alpha)],
    ['a bearer token', '/chains/alpha/put', `Bearer ${SECRETS.alpha}`],
    ['malformed Basic', '/chains/alpha/put', 'Basic %%%'],
    ['no credentials at the root', '/put', undefined],
    ['an empty user at the root', '/put', basic('', SECRETS.alpha)],
    ['a wrong secret at the root', '/put', basic('beta', SECRETS.alpha)],
  ])('answers %s with 401 and a Basic challenge, and calls nothing', async (_name, url, authorization) => {
    const d = door();
    const response = await post(d, url, authorization);
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="walrus-da"');
    expect(response.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect(d.calls).toEqual([]);
  });

  it('answers an unknown chain with 400 whatever the credentials, never 404', async () => {
    const d = door();
    for (const response of [
      await post(d, '/chains/gamma/put', ALPHA),
      await post(d, '/chains/gamma/put', 'Basic %%%'),
      await post(d, '/chains/gamma/put'),
      await get(d, `/chains/gamma/get/${KECCAK_PATH}`),
      await get(d, '/chains/gamma/put'),
      await post(d, '/put', basic('gamma', 'x')),
    ]) {
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    }
    expect(d.calls).toEqual([]);
  });

  it('authenticates before reading the body: a refused caller gets 401, not 413, for a body over the limit', async () => {
    const d = door({ bodyLimitBytes: 16 });
    expect((await post(d, '/chains/alpha/put', undefined, Buffer.alloc(64))).statusCode).toBe(401);
    expect((await post(d, '/chains/alpha/put', ALPHA, Buffer.alloc(64))).statusCode).toBe(413);
  });

  it('names the size and the limit in a 413 (never "NaN bytes")', async () => {
    const d = door({ chains: false, bodyLimitBytes: 16 });
    const declared = await post(d, '/put', undefined, Buffer.alloc(64));
    expect(declared.statusCode).toBe(413);
    expect(declared.json()).toEqual({ error: { code: 'TOO_LARGE', message: 'data of 64 bytes exceeds the limit of 16 bytes' } });
  });

  it('answers a chain over its limit with 429 and Retry-After in whole seconds', async () => {
    const d = door({ refuse: 'beta' });
    const response = await post(d, '/chains/beta/put', BETA);
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('3');
    expect(response.json()).toMatchObject({ error: { code: 'BACKPRESSURE' } });
    expect((await post(d, '/chains/alpha/put', ALPHA)).statusCode).toBe(200);
  });

  it('keeps reads open by default, attributed to the chain in the path, else a Basic user that names a chain', async () => {
    const d = door();
    expect((await get(d, `/chains/alpha/get/${KECCAK_PATH}`)).statusCode).toBe(200);
    expect((await get(d, `/chains/alpha/get/${KECCAK_PATH}`, basic('beta', 'wrong'))).statusCode).toBe(200);
    expect((await get(d, `/get/${KECCAK_PATH}`)).statusCode).toBe(200);
    expect((await get(d, `/get/${KECCAK_PATH}`, basic('beta', 'unchecked'))).statusCode).toBe(200);
    expect((await get(d, `/get/${KECCAK_PATH}`, basic('nobody', 'x'))).statusCode).toBe(200);
    expect((await get(d, `/get/${KECCAK_PATH}`, 'Basic %%%')).statusCode).toBe(200);
    expect(d.calls).toEqual(['alpha', 'alpha', 'default', 'beta', 'default', 'default']);
    expect((await get(d, '/chains/alpha/put')).statusCode).toBe(405);
  });

  it('with --chains-auth-reads, reads need the credentials of their chain too', async () => {
    const d = door({ authReads: true });
    for (const [url, authorization] of [
      [`/chains/alpha/get/${KECCAK_PATH}`, undefined],
      [`/chains/alpha/get/${KECCAK_PATH}`, BETA],
      [`/get/${KECCAK_PATH}`, undefined],
    ] as const) {
      const response = await get(d, url, authorization);
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Basic realm="walrus-da"');
    }
    expect((await get(d, `/chains/alpha/get/${KECCAK_PATH}`, ALPHA)).statusCode).toBe(200);
    expect((await get(d, `/get/${KECCAK_PATH}`, BETA)).statusCode).toBe(200);
    expect(d.calls).toEqual(['alpha', 'beta']);
  });

  it('labels request metrics with the authenticated chain, and refusals with "unknown", never a claimed name', async () => {
    const d = door({ refuse: 'beta' });
    await post(d, '/chains/alpha/put', ALPHA);
    await post(d, '/chains/beta/put', BETA);
    await post(d, '/chains/alpha/put', basic('alpha', 'wrong'));
    await post(d, '/chains/gamma/put', basic('gamma', 'x'));
    await get(d, `/chains/alpha/get/${KECCAK_PATH}`);
    const text = await d.metricsText();
    expect(text).toContain('walrus_da_requests_total{protocol="opstack",method="put",outcome="ok",chain="alpha"} 1');
    expect(text).toContain('walrus_da_requests_total{protocol="opstack",method="put",outcome="BACKPRESSURE",chain="beta"} 1');
    expect(text).toContain('walrus_da_requests_total{protocol="opstack",method="put",outcome="UNAUTHENTICATED",chain="unknown"} 1');
    expect(text).toContain('walrus_da_requests_total{protocol="opstack",method="put",outcome="INVALID_INPUT",chain="unknown"} 1');
    expect(text).toContain('walrus_da_requests_total{protocol="opstack",method="get",outcome="ok",chain="alpha"} 1');
    expect(text).toMatch(/walrus_da_request_duration_seconds_count\{protocol="opstack",method="put",chain="alpha"\} 1/);
    expect(text).not.toContain('gamma');
  });

  it('never logs a secret or an Authorization header, even for failures that are logged', async () => {
    const d = door();
    const thrower = buildOpStackApp({
      service: { maxFrameBytes: 1024, put: () => Promise.reject(new TypeError('boom')) } as unknown as DaService,
      host: '127.0.0.1',
      port: 0,
      daByte: 0x57,
      logger: pino({ level: 'trace' }, new Writable({ write: (chunk: Buffer, _e, done) => (d.logs.push(chunk.toString()), done()) })),
      chains: new ChainDirectory([{ name: 'alpha', secret: SECRETS.alpha, limits: {} }]),
    });
    expect((await thrower.inject({ method: 'POST', url: '/chains/alpha/put', payload: FRAME, headers: { authorization: ALPHA } })).statusCode).toBe(500);
    await post(d, '/chains/alpha/put', basic('alpha', 'wrong-guess'));
    await post(d, '/chains/alpha/put', BETA);
    await post(d, '/chains/alpha/put', ALPHA);
    await thrower.close();
    const logged = d.logs.join('');
    expect(logged).toContain('internal error'); // the 500 was logged, with its stack
    for (const secret of [SECRETS.alpha, SECRETS.beta, 'wrong-guess', ALPHA.slice(6), BETA.slice(6)]) expect(logged).not.toContain(secret);
    expect(logged.toLowerCase()).not.toContain('authorization');
  });
});
