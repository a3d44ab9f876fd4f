import { describe, expect, it } from 'vitest';
import { HTTP_LIMIT_DEFAULTS, fastifyTimeouts, httpLimits } from './http-limits.ts';

describe('httpLimits', () => {
  it('fills in the defaults, which let a 16 MiB frame arrive at 1 MiB/s', () => {
    expect(httpLimits()).toEqual(HTTP_LIMIT_DEFAULTS);
    expect(HTTP_LIMIT_DEFAULTS.requestTimeoutMs).toBeGreaterThanOrEqual(16_000);
    expect(HTTP_LIMIT_DEFAULTS.requestTimeoutMs).toBeLessThan(30_000);
  });

  it('refuses limits that are not positive integers', () => {
    expect(() => httpLimits({ maxConnections: 0 })).toThrow(/maxConnections must be a positive integer/);
    expect(() => httpLimits({ headersTimeoutMs: 1.5 })).toThrow(/headersTimeoutMs/);
  });

  it('never lets the headers wait longer than the whole request (node refuses that)', () => {
    expect(httpLimits({ headersTimeoutMs: 5000, requestTimeoutMs: 1000 }).headersTimeoutMs).toBe(1000);
  });
});

describe('fastifyTimeouts', () => {
  it('sets both timeouts on the node server and checks them at a quarter of the headers timeout, at most every second', () => {
    expect(fastifyTimeouts(httpLimits({ headersTimeoutMs: 400, requestTimeoutMs: 800 }))).toEqual({
      requestTimeout: 800,
      http: { headersTimeout: 400, requestTimeout: 800, connectionsCheckingInterval: 100 },
    });
    expect(fastifyTimeouts(HTTP_LIMIT_DEFAULTS).http?.connectionsCheckingInterval).toBe(1000);
  });
});
