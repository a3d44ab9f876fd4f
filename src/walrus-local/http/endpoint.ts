// One loopback HTTP server that can be stopped and started again on the same port, so URLs handed
// to clients stay valid across a "node crash" (a fastify instance cannot listen twice, so each
// start builds a fresh one from the same route set). Stopping destroys open connections: clients
// see exactly what a crashed node gives them, connection resets and refusals.
import { fastify, type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from '../../observability/logger.ts';
import { ApiError } from './api-status.ts';

export interface EndpointOptions {
  /** Used in logs. */
  readonly name: string;
  readonly host: string;
  /** 0 picks a free port on the first start and keeps it afterwards. */
  readonly port: number;
  /** Largest request body accepted (bytes); larger bodies get 413. */
  readonly bodyLimit: number;
  /** Error domain of envelopes produced for framework-level failures (404 route, 413, bad body). */
  readonly errorDomain: string;
  readonly logger: Logger;
  /** Adds the routes; called on every start with a fresh instance. */
  readonly routes: (app: FastifyInstance) => void;
}

export class HttpEndpoint {
  readonly #options: EndpointOptions;
  #port: number;
  #app: FastifyInstance | undefined;
  #transition: Promise<void> = Promise.resolve();

  constructor(options: EndpointOptions) {
    this.#options = options;
    this.#port = options.port;
  }

  /** `http://host:port`, known once started. */
  get url(): string {
    if (this.#port === 0) throw new Error(`${this.#options.name} has not been started yet`);
    return `http://${this.#options.host.includes(':') ? `[${this.#options.host}]` : this.#options.host}:${this.#port}`;
  }

  get running(): boolean {
    return this.#app !== undefined;
  }

  start(): Promise<void> {
    return this.#serialized(async () => {
      if (this.#app) return;
      const app = buildApp(this.#options);
      await app.listen({ host: this.#options.host, port: this.#port });
      const address = app.server.address();
      if (address && typeof address === 'object') this.#port = address.port;
      this.#app = app;
      this.#options.logger.debug({ url: this.url }, `${this.#options.name} listening`);
    });
  }

  stop(): Promise<void> {
    return this.#serialized(async () => {
      const app = this.#app;
      if (!app) return;
      this.#app = undefined;
      await app.close();
      this.#options.logger.debug({ url: this.url }, `${this.#options.name} stopped`);
    });
  }

  #serialized(step: () => Promise<void>): Promise<void> {
    const next = this.#transition.catch(() => undefined).then(step);
    this.#transition = next;
    return next;
  }
}

function buildApp(options: EndpointOptions): FastifyInstance {
  const app = fastify({
    logger: false,
    bodyLimit: options.bodyLimit,
    forceCloseConnections: true,
    // Walrus ids are case-sensitive base64url; never rewrite paths.
    routerOptions: { ignoreTrailingSlash: false, caseSensitive: true, maxParamLength: 1000 },
  });
  // Bodies are raw bytes (slivers, BCS metadata, blobs) or JSON we parse ourselves, whatever
  // Content-Type the client sent (curl --data-binary says form-urlencoded, fetch says nothing).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const apiError = toApiError(error, options.errorDomain);
    if (apiError.status === 'INTERNAL') options.logger.error({ err: error }, `${options.name}: unexpected error`);
    void reply.code(apiError.httpCode).type('application/json').send(apiError.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new ApiError('NOT_FOUND', 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`, { domain: options.errorDomain });
    void reply.code(error.httpCode).send(error.toBody());
  });
  options.routes(app);
  return app;
}

function toApiError(error: FastifyError | ApiError, domain: string): ApiError {
  if (error instanceof ApiError) return error;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new ApiError('PAYLOAD_TOO_LARGE', 'BODY_TOO_LARGE', 'the request body is larger than this service accepts', { domain });
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new ApiError('INVALID_ARGUMENT', 'MALFORMED_REQUEST', `the request is malformed: ${error.message}`, { domain });
  }
  return new ApiError('INTERNAL', 'INTERNAL_ERROR', `internal error: ${error.message}`, { domain, cause: error });
}
