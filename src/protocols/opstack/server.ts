// The OP Stack Alt-DA HTTP door (docs/wire/opstack.md "Routes"), as op-batcher and op-node speak
// it (optimism op-alt-da/daclient.go):
//   POST|PUT /put, /put/          body = frame → 200, body = raw commitment 01 ‖ da byte ‖ body v0
//   POST|PUT /put/0x00<keccak>    keccak mode: 400 unless keccak(body) matches → 200, empty body
//   GET      /get/[0x]<hex>       → 200 with exactly the stored bytes; 404 only for unknown data
// plus, on the same port, GET /ready (this replica can answer: the process and Redis), GET /live,
// GET /health (write and read capability, every dependency), GET /config (the public settings)
// and GET /metrics (Prometheus); docs/operations.md "Health and readiness". Both slash forms are
// served directly (a redirect would turn the batcher's POST into a GET), query strings are
// ignored (forks add ?l1_inclusion_block_number=).
//
// Chains (docs/wire/opstack.md "Chains"): the same routes under /chains/<name>/, because the
// client appends /put and /get/… to whatever base URL it is given (ethereum-optimism/optimism
// d317e96c2add4a4e7fae72d6637ad241457f16c7 op-alt-da/daclient.go: "%s/put", "%s/put/0x%x",
// "%s/get/0x%x"), and HTTP Basic credentials, which Go derives from that URL's userinfo. Every
// request is authenticated in its route's onRequest hook (request-chain.ts), so a refused
// caller's body is never read, let alone queued.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { commitmentBytesFromHex, decodeOpStackCommitment, encodeFramed, keccak256 } from '../../commitment/index.ts';
import { bytesToBareHex, equalBytes } from '../../bytes/index.ts';
import type { ChainAccess, DaService } from '../../core/index.ts';
import { CancelledError, ChainDirectory, InternalError, InvalidCommitmentError, InvalidInputError, TooLargeError, toDaError, type DaError, type HealthProbe } from '../../core/index.ts';
import type { Logger } from '../../observability/logger.ts';
import { UNKNOWN_CHAIN, observeRequest, type Metrics } from '../../observability/metrics.ts';
import type { StatusReport } from '../../observability/status.ts';
import { drainWithConnectionClose, fastifyTimeouts, httpLimits, type HttpLimits } from '../http/http-limits.ts';
import { NO_CHAINS_MESSAGE, requestChain } from './request-chain.ts';
import { errorBody, httpHeadersOf, httpStatusOf } from './wire-errors.ts';

export interface OpStackServerOptions {
  readonly service: DaService;
  /** @default '127.0.0.1' */
  readonly host: string;
  /** 0 picks a free port. @default 3100 */
  readonly port: number;
  /** DA-layer byte of generic commitments. @default 0x57 */
  readonly daByte: number;
  /** Largest request body; larger gets 413. @default the service's maxFrameBytes */
  readonly bodyLimitBytes?: number;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  /** The chains served and their credentials. @default no chains file: one implicit chain, no auth */
  readonly chains?: ChainDirectory;
  /** Bounds on what a client may hold open (../http/http-limits.ts). @default HTTP_LIMIT_DEFAULTS */
  readonly limits?: Partial<HttpLimits>;
  /**
   * What /ready checks besides the process answering: Redis, without which this replica can
   * answer nothing. Walrus and Sui are left out on purpose, so that their outage turns into 503s
   * and fallbacks rather than an empty Service. @default none: ready while the process answers
   */
  readonly readiness?: HealthProbe;
  /** What /health reports (capability and dependencies). @default DaService.health() */
  readonly status?: { report(): Promise<StatusReport> };
  /** What /config serves: public settings only, never a secret or a URL. @default 404 */
  readonly publicConfig?: Readonly<Record<string, unknown>>;
}

export interface RunningServer {
  readonly url: string;
  /**
   * Drains: no new connections, idle keep-alive connections closed at once, requests still
   * running answered with `Connection: close`; resolves when the last connection is gone.
   */
  close(): Promise<void>;
  /** Destroys every connection still open: the end of a drain that ran out of time. */
  closeConnections(): void;
}

const OCTETS = 'application/octet-stream';
/** How long /ready waits for Redis; below the manifest's probe timeout (3 s). */
const READY_TIMEOUT_MS = 2000;
/** The prefix of a chain's routes; `chain` is the one route parameter. */
const CHAIN_PREFIX = '/chains/:chain';

type RequestMethod = 'put' | 'put-keccak' | 'get';
interface RouteParams {
  readonly chain?: string;
  readonly '*'?: string;
}

export async function startOpStackServer(options: OpStackServerOptions): Promise<RunningServer> {
  const app = buildOpStackApp(options);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { url: `http://${options.host}:${port}`, close: () => app.close(), closeConnections: () => app.server.closeAllConnections() };
}

export function buildOpStackApp(options: OpStackServerOptions): FastifyInstance {
  const { service, metrics, logger } = options;
  const chains = options.chains ?? new ChainDirectory(undefined);
  const bodyLimit = options.bodyLimitBytes ?? service.maxFrameBytes;
  // ignoreDuplicateSlashes: a base URL given with a trailing slash makes the client ask for //put.
  const limits = httpLimits(options.limits);
  const app = Fastify({
    logger: false,
    bodyLimit,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    return503OnClosing: true,
    ...fastifyTimeouts(limits),
  });
  app.server.maxConnections = limits.maxConnections;
  drainWithConnectionClose(app);

  // Any content type is raw bytes (op-batcher sends application/octet-stream; curl sends form types).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  // The chain each request was authenticated for, set by its route's onRequest hook.
  const authenticated = new WeakMap<FastifyRequest, string>();
  // Requests already counted in the request metrics (by observeRequest or as a refusal), so the
  // error handler counts exactly the rest: malformed, too large, bad keccak, unknown routes.
  const counted = new WeakSet<FastifyRequest>();
  const countRejected = (request: FastifyRequest, method: string, error: DaError) => {
    if (!metrics || counted.has(request)) return;
    counted.add(request);
    metrics.requests.inc({ protocol: 'opstack', method, outcome: error.code, chain: authenticated.get(request) ?? UNKNOWN_CHAIN });
  };
  const observed = <T>(request: FastifyRequest, method: RequestMethod, chain: string, call: () => Promise<T>): Promise<T> => {
    counted.add(request);
    return observeRequest(metrics, 'opstack', method, call, chain);
  };
  const chainOf = (request: FastifyRequest): string => {
    const chain = authenticated.get(request);
    if (chain === undefined) throw new InternalError(`route ${request.routeOptions.url ?? '?'} has no authentication hook`);
    return chain;
  };
  // The onRequest hook of a route. A refusal reaches the error handler, which counts it under
  // UNKNOWN_CHAIN: a refused caller's claim must not become a label.
  const authenticate = (access: ChainAccess) => (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
    try {
      authenticated.set(request, requestChain(chains, access, { pathChain: (request.params as RouteParams).chain, authorization: request.headers.authorization }));
    } catch (error) {
      done(error instanceof Error ? error : new InternalError(String(error)));
      return;
    }
    done();
  };

  const put = async (request: FastifyRequest, reply: FastifyReply) => {
    const chain = chainOf(request);
    const frame = bodyOf(request);
    const result = await observed(request, 'put', chain, () => service.put(frame, { signal: abortOnHangUp(reply), chain }));
    return reply.code(200).type(OCTETS).send(Buffer.from(encodeFramed(result.commitment.body, { daByte: options.daByte })));
  };

  const putKeccak = async (request: FastifyRequest<{ Params: RouteParams }>, reply: FastifyReply) => {
    const chain = chainOf(request);
    const commitment = decodeOpStackCommitment(commitmentBytesFromHex(request.params['*'] ?? ''), { daByte: options.daByte });
    if (commitment.kind !== 'keccak') {
      throw new InvalidCommitmentError('a generic commitment is computed by the server: POST the frame to /put instead');
    }
    const frame = bodyOf(request);
    if (!equalBytes(keccak256(frame), commitment.keccak)) {
      throw new InvalidInputError(`keccak256 of the body is 0x${bytesToBareHex(keccak256(frame))}, not the 0x${bytesToBareHex(commitment.keccak)} in the path`);
    }
    await observed(request, 'put-keccak', chain, () => service.put(frame, { signal: abortOnHangUp(reply), chain }));
    return reply.code(200).send();
  };

  const get = async (request: FastifyRequest<{ Params: RouteParams }>, reply: FastifyReply) => {
    const chain = chainOf(request);
    const commitment = decodeOpStackCommitment(commitmentBytesFromHex(request.params['*'] ?? ''), { daByte: options.daByte });
    const signal = abortOnHangUp(reply);
    const result = await observed(request, 'get', chain, () =>
      commitment.kind === 'keccak' ? service.getByKey(bytesToBareHex(commitment.keccak), { signal, chain }) : service.get(commitment.body, { signal, chain }),
    );
    return reply.code(200).type(OCTETS).send(Buffer.from(result.data.buffer, result.data.byteOffset, result.data.byteLength));
  };

  const notAPut = (request: FastifyRequest, reply: FastifyReply) => {
    countRejected(request, 'other', new InvalidInputError('use POST or PUT to store data'));
    return reply.code(405).header('allow', 'POST, PUT').send({ error: { code: 'INVALID_INPUT', message: 'use POST or PUT to store data' } });
  };

  // The same routes at the root and under /chains/<name>/ (the base URL of one chain's batcher).
  for (const prefix of ['', CHAIN_PREFIX]) {
    for (const method of ['POST', 'PUT'] as const) {
      app.route({ method, url: `${prefix}/put`, onRequest: authenticate('write'), handler: put });
      app.route({ method, url: `${prefix}/put/*`, onRequest: authenticate('write'), handler: putKeccak });
    }
    app.get<{ Params: RouteParams }>(`${prefix}/get/*`, { onRequest: authenticate('read') }, get);
    app.get(`${prefix}/put`, { onRequest: authenticate('read') }, notAPut);
  }

  // Readiness: can this replica answer at all? Only the process and Redis.
  app.get('/ready', async (_request, reply) => {
    if (!options.readiness) return reply.code(200).send({ status: 'ready' });
    // A Redis that hangs rather than refuses must still turn into a prompt 503.
    let timer: NodeJS.Timeout | undefined;
    const check = await Promise.race([
      options.readiness.check({ signal: AbortSignal.timeout(READY_TIMEOUT_MS) }),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      }),
    ])
      .catch((error: unknown) => ({ ok: false, detail: error instanceof Error ? error.message : String(error) }))
      .finally(() => clearTimeout(timer));
    return reply.code(check.ok ? 200 : 503).send(check.ok ? { status: 'ready' } : { status: 'not ready', [options.readiness.name]: check.detail });
  });
  // Liveness: the process answers. Nothing else, so a dependency outage never restarts a pod.
  app.get('/live', (_request, reply) => reply.code(200).send({ status: 'live' }));
  app.get('/health', async (_request, reply) => {
    if (options.status) {
      const report = await options.status.report();
      return reply.code(report.status === 'ok' ? 200 : 503).send(report);
    }
    const health = await service.health();
    return reply.code(health.ok ? 200 : 503).send({ status: health.ok ? 'ok' : 'unavailable', dependencies: health.dependencies });
  });
  app.get('/config', (_request, reply) => (options.publicConfig ? reply.code(200).send(options.publicConfig) : reply.code(404).send()));
  app.get('/metrics', async (_request, reply) => {
    if (!metrics) return reply.code(404).send();
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  // 404 is reserved for unknown data; an unknown route is a malformed request.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const error =
      !chains.enabled && path.startsWith('/chains/')
        ? new InvalidInputError(NO_CHAINS_MESSAGE)
        : new InvalidInputError(`unknown route ${request.method} ${path}: use POST /put, POST /put/0x00<keccak> or GET /get/0x<commitment>`);
    countRejected(request, 'other', error);
    return reply.code(httpStatusOf(error)).send(errorBody(error));
  });
  // The door's one catch site: one road to a DaError (an INTERNAL one is logged with its stack),
  // then the one mapping to a status.
  app.setErrorHandler((error, request, reply) => {
    const route = request.routeOptions.url;
    const daError = toDaError(rejectedRequest(error, request.headers['content-length'], bodyLimit), logger.child({ protocol: 'opstack', route }));
    const status = httpStatusOf(daError);
    countRejected(request, methodOfRoute(route, request.method), daError);
    if (daError.code === 'CANCELLED') {
      // A client that hangs up is routine under load and a cheap way to flood logs: counted, logged at debug.
      metrics?.clientDisconnects.inc({ protocol: 'opstack' });
      logger.debug({ route, err: daError.details }, 'client went away');
    } else if (status >= 500) logger.warn({ route, status, err: daError.details }, 'request failed');
    return reply.code(status).headers(httpHeadersOf(daError)).send(errorBody(daError));
  });
  return app;
}

/** The request-metrics method of a route (a bounded set, whatever path the client sent). */
function methodOfRoute(route: string | undefined, httpMethod: string): RequestMethod | 'other' {
  const path = route?.startsWith(CHAIN_PREFIX) ? route.slice(CHAIN_PREFIX.length) : route;
  if (path === '/put' && httpMethod !== 'GET') return 'put';
  if (path === '/put/*') return 'put-keccak';
  if (path === '/get/*') return 'get';
  return 'other';
}

function bodyOf(request: FastifyRequest): Uint8Array {
  const body = request.body;
  if (!Buffer.isBuffer(body) || body.length === 0) throw new InvalidInputError('empty body: there is nothing to store');
  return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
}

/** Aborts the service call when the client goes away before the answer (the frame stays queued). */
function abortOnHangUp(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client closed the connection'));
  });
  return controller.signal;
}

/**
 * Fastify refuses some requests before a handler runs: a body over the limit, a body it cannot
 * read. Like a handler's own input checks, those say what was wrong with the request, so they
 * become the DaErrors that say so; anything else is left for toDaError.
 */
function rejectedRequest(error: unknown, contentLength: string | undefined, bodyLimit: number): unknown {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      // A chunked body has no Content-Length: all we know is that it passed the limit.
      const declared = Number(contentLength);
      const size = Number.isSafeInteger(declared) && declared > bodyLimit ? declared : bodyLimit + 1;
      return new TooLargeError(size, bodyLimit, { cause: error });
    }
    if (typeof code === 'string' && code.startsWith('FST_ERR_CTP')) return new InvalidInputError(error instanceof Error ? error.message : code, { cause: error });
    // Node reports a connection reset while the body streams in as ECONNRESET ("aborted").
    if (code === 'ECONNRESET') return new CancelledError('the client went away while sending the body', { cause: error });
  }
  return error;
}
