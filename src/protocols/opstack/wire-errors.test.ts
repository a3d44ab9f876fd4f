// The OP Stack DaError → HTTP mapping over every DaError code, and the door's one catch site:
// whatever a handler throws leaves as exactly that status and body.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  BackpressureError,
  DA_ERROR_CODES,
  UnavailableError,
  type DaErrorCode,
  type DaService,
} from '../../core/index.ts';
import { buildOpStackApp } from './server.ts';
import { HTTP_STATUS_BY_DA_CODE, errorBody, httpHeadersOf, httpStatusOf } from './wire-errors.ts';
import { oneErrorOfEachCode } from '../../../test/support/da-error-samples.ts';

const samples = oneErrorOfEachCode();

/** What op-batcher and op-node read per code; 503 is the failover status of the batcher forks. */
const expectedStatus: Record<DaErrorCode, number> = {
  INVALID_INPUT: 400,
  INVALID_COMMITMENT: 400,
  NOT_FOUND: 404,
  TOO_LARGE: 413,
  UNAVAILABLE: 503,
  TIMEOUT: 503,
  BACKPRESSURE: 429,
  UNAUTHENTICATED: 401,
  INTEGRITY: 503,
  CANCELLED: 503,
  INTERNAL: 500,
  PROVEN_INVALID: 404,
};

/** The headers each answer carries: a Basic challenge on 401, Retry-After (whole seconds, rounded up) on 429. */
const expectedHeaders: Partial<Record<DaErrorCode, Record<string, string>>> = {
  UNAUTHENTICATED: { 'www-authenticate': 'Basic realm="walrus-da"' },
  BACKPRESSURE: { 'retry-after': '2' },
};

/** A door over a service whose put throws `thrown`, logging into `lines`. */
function doorThrowing(thrown: unknown) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const put = async (): Promise<never> => {
    await Promise.resolve();
    throw thrown;
  };
  const service = { maxFrameBytes: 1024, put } as unknown as DaService;
  const app = buildOpStackApp({ service, host: '127.0.0.1', port: 0, daByte: 0x57, logger: pino({ level: 'debug' }, sink) });
  return { app, lines };
}

describe('OP Stack wire errors', () => {
  it.each(DA_ERROR_CODES)('maps %s to its status and a JSON body naming the code', (code) => {
    const error = samples[code];
    expect(HTTP_STATUS_BY_DA_CODE[code]).toBe(expectedStatus[code]);
    expect(httpStatusOf(error)).toBe(expectedStatus[code]);
    expect(errorBody(error)).toEqual({ error: { code, message: error.shortMessage } });
    expect(httpHeadersOf(error)).toEqual(expectedHeaders[code] ?? {});
  });

  it.each([
    [1, '1'],
    [999, '1'],
    [1000, '1'],
    [1001, '2'],
    [0, '0'],
    [59_500, '60'],
  ])('rounds a retry after %i ms up to Retry-After: %s', (ms, header) => {
    expect(httpHeadersOf(new BackpressureError('over the limit', { retryAfterMs: ms }))).toEqual({ 'retry-after': header });
  });

  it('sends no Retry-After when the refusal does not say when to retry', () => {
    expect(httpHeadersOf(new BackpressureError('busy'))).toEqual({});
  });

  it.each(DA_ERROR_CODES)('answers a %s thrown by the service with that status and body', async (code) => {
    const { app, lines } = doorThrowing(samples[code]);
    const response = await app.inject({ method: 'POST', url: '/put', payload: Buffer.from('frame') });
    expect(response.statusCode).toBe(expectedStatus[code]);
    expect(response.json()).toEqual(errorBody(samples[code]));
    for (const [name, value] of Object.entries(expectedHeaders[code] ?? {})) expect(response.headers[name]).toBe(value);
    if (code !== 'UNAUTHENTICATED') expect(response.headers['www-authenticate']).toBeUndefined();
    if (code !== 'BACKPRESSURE') expect(response.headers['retry-after']).toBeUndefined();
    // Only INTERNAL is logged at error level, with its stack.
    expect(lines.some((l) => l['level'] === 50)).toBe(code === 'INTERNAL');
    await app.close();
  });

  it('answers an unknown failure with a generic 500 and logs the original with its stack', async () => {
    const { app, lines } = doorThrowing(new TypeError('cannot read properties of undefined (secret path /srv/x)'));
    const response = await app.inject({ method: 'POST', url: '/put', payload: Buffer.from('frame') });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: { code: 'INTERNAL', message: 'internal error (details in the server log)' } });
    expect(response.body).not.toContain('secret');
    const logged = lines.find((l) => l['level'] === 50);
    expect(logged).toMatchObject({ code: 'INTERNAL', protocol: 'opstack', route: '/put' });
    expect((logged?.['err'] as { stack: string }).stack).toContain('secret path /srv/x');
    await app.close();
  });

  it('finds a DaError wrapped by a library, and answers a malformed commitment with 400', async () => {
    const wrapped = doorThrowing(new Error('wrapper', { cause: new UnavailableError('redis down') }));
    expect((await wrapped.app.inject({ method: 'POST', url: '/put', payload: Buffer.from('frame') })).statusCode).toBe(503);
    await wrapped.app.close();
    const bad = doorThrowing(new Error('unused'));
    const response = await bad.app.inject({ method: 'GET', url: '/get/0xzz' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'INVALID_COMMITMENT' } });
    await bad.app.close();
  });
});
