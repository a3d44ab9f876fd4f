// The OP Stack Alt-DA HTTP door (docs/wire/opstack.md "Routes"), as op-batcher and op-node speak
// it (optimism op-alt-da/daclient.go):
//   POST|PUT /put, /put/          body = frame → 200, body = raw commitment 01 ‖ da byte ‖ body v0
//   POST|PUT /put/0x00<keccak>    keccak mode: 400 unless keccak(body) matches → 200, empty body
//   GET      /get/[0x]<hex>       → 200 with exactly the stored bytes; 404 only for unknown data
// plus GET /health (probes Redis, publisher, aggregators, Sui) and GET /metrics (Prometheus) on
// the same port. Both slash forms are served directly (a redirect would turn the batcher's POST
// into a GET), query strings are ignored (forks add ?l1_inclusion_block_number=).
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
import { ChainDirectory, InternalError, InvalidCommitmentError, InvalidInputError, TooLargeError, toDaError } from '../../core/index.ts';
import type { Logger } from '../../observability/logger.ts';
import { countRefused, observeRequest, type Metrics } from '../../observability/metrics.ts';
import { drainWithConnectionClose, fastifyTimeouts, httpLimits, type HttpLimits } from './http-limits.ts';
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
  /** Bounds on what a client may hold open (./http-limits.ts). @default HTTP_LIMIT_DEFAULTS */
  readonly limits?: Partial<HttpLimits>;
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
  const chainOf = (request: FastifyRequest): string => {
    const chain = authenticated.get(request);
    if (chain === undefined) throw new InternalError(`route ${request.routeOptions.url ?? '?'} has no authentication hook`);
    return chain;
  };
  /** The onRequest hook of a route; `method` counts a refusal in the request metrics. */
  const authenticate = (access: ChainAccess, method?: RequestMethod) => async (request: FastifyRequest) => {
    try {
      authenticated.set(request, requestChain(chains, access, { pathChain: (request.params as RouteParams).chain, authorization: request.headers.authorization }));
    } catch (error) {
      // Counted under UNKNOWN_CHAIN: a refused caller's claim must not become a label.
      if (method !== undefined) await countRefused(metrics, 'opstack', method, error);
      throw error;
    }
  };

  const put = async (request: FastifyRequest, reply: FastifyReply) => {
    const chain = chainOf(request);
    const frame = bodyOf(request);
    const result = await observeRequest(metrics, 'opstack', 'put', () => service.put(frame, { signal: abortOnHangUp(reply), chain }), chain);
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
    await observeRequest(metrics, 'opstack', 'put-keccak', () => service.put(frame, { signal: abortOnHangUp(reply), chain }), chain);
    return reply.code(200).send();
  };

  const get = async (request: FastifyRequest<{ Params: RouteParams }>, reply: FastifyReply) => {
    const chain = chainOf(request);
    const commitment = decodeOpStackCommitment(commitmentBytesFromHex(request.params['*'] ?? ''), { daByte: options.daByte });
    const signal = abortOnHangUp(reply);
    const result = await observeRequest(
      metrics,
      'opstack',
      'get',
      () => (commitment.kind === 'keccak' ? service.getByKey(bytesToBareHex(commitment.keccak), { signal, chain }) : service.get(commitment.body, { signal, chain })),
      chain,
    );
    return reply.code(200).type(OCTETS).send(Buffer.from(result.data.buffer, result.data.byteOffset, result.data.byteLength));
  };

  const notAPut = (_request: FastifyRequest, reply: FastifyReply) =>
    reply.code(405).header('allow', 'POST, PUT').send({ error: { code: 'INVALID_INPUT', message: 'use POST or PUT to store data' } });

  // The same routes at the root and under /chains/<name>/ (the base URL of one chain's batcher).
  for (const prefix of ['', CHAIN_PREFIX]) {
    for (const method of ['POST', 'PUT'] as const) {
      app.route({ method, url: `${prefix}/put`, onRequest: authenticate('write', 'put'), handler: put });
      app.route({ method, url: `${prefix}/put/*`, onRequest: authenticate('write', 'put-keccak'), handler: putKeccak });
    }
    app.get<{ Params: RouteParams }>(`${prefix}/get/*`, { onRequest: authenticate('read', 'get') }, get);
    app.get(`${prefix}/put`, { onRequest: authenticate('read') }, notAPut);
  }

  app.get('/health', async (_request, reply) => {
    const health = await service.health();
    return reply.code(health.ok ? 200 : 503).send({ status: health.ok ? 'ok' : 'unavailable', dependencies: health.dependencies });
  });
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
    return reply.code(httpStatusOf(error)).send(errorBody(error));
  });
  // The door's one catch site: one road to a DaError (an INTERNAL one is logged with its stack),
  // then the one mapping to a status.
  app.setErrorHandler((error, request, reply) => {
    const route = request.routeOptions.url;
    const daError = toDaError(rejectedRequest(error, request.headers['content-length'], bodyLimit), logger.child({ protocol: 'opstack', route }));
    const status = httpStatusOf(daError);
    if (status >= 500) logger.warn({ route, status, err: daError.details }, 'request failed');
    return reply.code(status).headers(httpHeadersOf(daError)).send(errorBody(daError));
  });
  return app;
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
  }
  return error;
}
