// What one client may hold of an HTTP door, and how the door drains on shutdown. Node's HTTP
// server times out a request whose headers, or whole body, do not arrive in time (408 and a
// close: node lib/_http_server.js onRequestTimeout), but only as often as it checks
// (`connectionsCheckingInterval`, 30 s by default), and fastify turns its request timeout off
// unless told; so a stalled `/put` held a connection for minutes. A 16 MiB frame must still
// arrive on a slow link: the request timeout bounds the whole request, not each read.
import type { FastifyHttpOptions, FastifyInstance } from 'fastify';
import type { Server } from 'node:http';

export interface HttpLimits {
  /** Time for a request's headers to arrive complete; then 408 and a close. */
  readonly headersTimeoutMs: number;
  /** Time for a whole request, headers and body, to arrive; then 408 and a close. */
  readonly requestTimeoutMs: number;
  /** Connections the door holds open at once; more are closed as they connect. */
  readonly maxConnections: number;
}

export const HTTP_LIMIT_DEFAULTS: HttpLimits = {
  headersTimeoutMs: 10_000,
  // 16 MiB in 20 s is 0.8 MiB/s: a slow link still delivers a maximum-size frame.
  requestTimeoutMs: 20_000,
  maxConnections: 1024,
};

/** The limits with defaults filled in, checked (node refuses headers > request timeout). */
export function httpLimits(limits: Partial<HttpLimits> = {}): HttpLimits {
  const merged = { ...HTTP_LIMIT_DEFAULTS, ...limits };
  for (const [name, value] of Object.entries(merged)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return { ...merged, headersTimeoutMs: Math.min(merged.headersTimeoutMs, merged.requestTimeoutMs) };
}

/** Fastify options that put the limits' timeouts on the node server, checked often enough to hold. */
export function fastifyTimeouts(limits: HttpLimits): Pick<FastifyHttpOptions<Server>, 'requestTimeout' | 'http'> {
  // Timeouts fire up to one check interval late: check at a quarter of the shortest, at most every second.
  const connectionsCheckingInterval = Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4)));
  return {
    requestTimeout: limits.requestTimeoutMs,
    http: { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval },
  };
}

/**
 * On close, fastify stops accepting and closes idle keep-alive connections, but a request still
 * running would be answered keep-alive and its connection then held until the client's idle
 * timeout (op-node's: over a minute). Once closing, every answer says `Connection: close`.
 */
export function drainWithConnectionClose(app: FastifyInstance): void {
  let draining = false;
  app.addHook('preClose', (done) => {
    draining = true;
    done();
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (draining) reply.header('connection', 'close');
    return payload;
  });
}
