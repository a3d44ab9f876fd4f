// The OP Stack Alt-DA HTTP door (docs/wire/opstack.md "Routes"), as op-batcher and op-node speak
// it (optimism op-alt-da/daclient.go):
//   POST|PUT /put, /put/          body = frame → 200, body = raw commitment 01 ‖ da byte ‖ body v0
//   POST|PUT /put/0x00<keccak>    keccak mode: 400 unless keccak(body) matches → 200, empty body
//   GET      /get/[0x]<hex>       → 200 with exactly the stored bytes; 404 only for unknown data
// plus GET /health (probes Redis, publisher, aggregators, Sui) and GET /metrics (Prometheus) on
// the same port. Both slash forms are served directly (a redirect would turn the batcher's POST
// into a GET), query strings are ignored (forks add ?l1_inclusion_block_number=).
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { commitmentBytesFromHex, decodeOpStackCommitment, encodeFramed, keccak256 } from '../../commitment/index.ts';
import { bytesToBareHex, equalBytes } from '../../bytes/index.ts';
import type { DaService} from '../../core/index.ts';
import { InvalidCommitmentError, InvalidInputError, TooLargeError, toDaError } from '../../core/index.ts';
import type { Logger } from '../../observability/logger.ts';
import { observeRequest, type Metrics } from '../../observability/metrics.ts';
import { errorBody, httpStatusOf } from './wire-errors.ts';

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
}

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

const OCTETS = 'application/octet-stream';

export async function startOpStackServer(options: OpStackServerOptions): Promise<RunningServer> {
  const app = buildOpStackApp(options);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { url: `http://${options.host}:${port}`, close: () => app.close() };
}

export function buildOpStackApp(options: OpStackServerOptions): FastifyInstance {
  const { service, metrics, logger } = options;
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimitBytes ?? service.maxFrameBytes, routerOptions: { ignoreTrailingSlash: true }, return503OnClosing: true });

  // Any content type is raw bytes (op-batcher sends application/octet-stream; curl sends form types).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const put = async (request: FastifyRequest, reply: FastifyReply) => {
    const frame = bodyOf(request);
    const result = await observeRequest(metrics, 'opstack', 'put', () => service.put(frame, { signal: abortOnHangUp(reply) }));
    return reply.code(200).type(OCTETS).send(Buffer.from(encodeFramed(result.commitment.body, { daByte: options.daByte })));
  };

  const putKeccak = async (request: FastifyRequest<{ Params: { '*': string } }>, reply: FastifyReply) => {
    const commitment = decodeOpStackCommitment(commitmentBytesFromHex(request.params['*']), { daByte: options.daByte });
    if (commitment.kind !== 'keccak') {
      throw new InvalidCommitmentError('a generic commitment is computed by the server: POST the frame to /put instead');
    }
    const frame = bodyOf(request);
    if (!equalBytes(keccak256(frame), commitment.keccak)) {
      throw new InvalidInputError(`keccak256 of the body is 0x${bytesToBareHex(keccak256(frame))}, not the 0x${bytesToBareHex(commitment.keccak)} in the path`);
    }
    await observeRequest(metrics, 'opstack', 'put-keccak', () => service.put(frame, { signal: abortOnHangUp(reply) }));
    return reply.code(200).send();
  };

  const get = async (request: FastifyRequest<{ Params: { '*': string } }>, reply: FastifyReply) => {
    const commitment = decodeOpStackCommitment(commitmentBytesFromHex(request.params['*']), { daByte: options.daByte });
    const signal = abortOnHangUp(reply);
    const result = await observeRequest(metrics, 'opstack', 'get', () =>
      commitment.kind === 'keccak' ? service.getByKey(bytesToBareHex(commitment.keccak), { signal }) : service.get(commitment.body, { signal }),
    );
    return reply.code(200).type(OCTETS).send(Buffer.from(result.data.buffer, result.data.byteOffset, result.data.byteLength));
  };

  for (const method of ['POST', 'PUT'] as const) {
    app.route({ method, url: '/put', handler: put });
    app.route({ method, url: '/put/*', handler: putKeccak });
  }
  app.get('/get/*', get);
  app.get('/put', (_request, reply) => reply.code(405).header('allow', 'POST, PUT').send({ error: { code: 'INVALID_INPUT', message: 'use POST or PUT to store data' } }));

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
    const error = new InvalidInputError(`unknown route ${request.method} ${request.url.split('?')[0] ?? ''}: use POST /put, POST /put/0x00<keccak> or GET /get/0x<commitment>`);
    return reply.code(httpStatusOf(error)).send(errorBody(error));
  });
  // The door's one catch site: one road to a DaError (an INTERNAL one is logged with its stack),
  // then the one mapping to a status.
  app.setErrorHandler((error, request, reply) => {
    const route = request.routeOptions.url;
    const daError = toDaError(rejectedRequest(error), logger.child({ protocol: 'opstack', route }));
    const status = httpStatusOf(daError);
    if (status >= 500) logger.warn({ route, status, err: daError.details }, 'request failed');
    return reply.code(status).send(errorBody(daError));
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
function rejectedRequest(error: unknown): unknown {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new TooLargeError(Number.NaN, undefined, { cause: error });
    if (typeof code === 'string' && code.startsWith('FST_ERR_CTP')) return new InvalidInputError(error instanceof Error ? error.message : code, { cause: error });
  }
  return error;
}
