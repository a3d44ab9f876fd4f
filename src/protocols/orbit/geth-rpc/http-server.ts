// The HTTP side of a go-ethereum JSON-RPC server, on fastify (go-ethereum rpc/http.go ServeHTTP,
// validateRequest; node/jwt_handler.go in front when a JWT secret is set, as Nitro's provider
// server wires it with node.NewHTTPHandlerStack):
//
//   route             the caller's `route` hook picks the dispatcher from the path and headers,
//                     or refuses (geth's JWT check lives there: 401 with geth's reason), before
//                     anything else; geth itself serves every path alike
//   GET, no body/query 200 with an empty body (health checks)
//   PUT, DELETE       405 "method not allowed"
//   Content-Length > limit   413 "content length too large (<n>><limit>)"
//   Content-Type not application/json (or application/json-rpc, application/jsonrequest)
//                     415 "invalid content type, only application/json is supported"
//   after the body is read, the route's `admit` may still refuse by the methods it calls (an
//                     HTTP status, the whole request, nothing run)
//   otherwise         200, `content-type: application/json`, body from the dispatcher
//
// HTTP errors are plain text with a trailing newline (Go's http.Error). A chunked body longer
// than the limit is cut at the limit, as geth's io.LimitReader does, which normally ends in a
// JSON-RPC "parse error".
import type { IncomingMessage } from 'node:http';
import { fastify, type FastifyReply } from 'fastify';
import type { CoreLogger } from '../../../core/index.ts';
import { HTTP_LIMIT_DEFAULTS, drainWithConnectionClose, fastifyTimeouts } from '../../http/http-limits.ts';
import { parseRequest, type RpcDispatcher } from './dispatch.ts';

/** An HTTP-level refusal: Go's http.Error with this status and text. */
export interface HttpRefusal {
  readonly status: number;
  readonly text: string;
}

/** Where a request goes once its path and headers are accepted. */
export interface RpcRoute {
  readonly dispatcher: RpcDispatcher;
  /** Sees the methods a body calls before any runs; a refusal answers the whole request. */
  admit?(methods: readonly string[]): HttpRefusal | undefined;
}

/** What a request's path and headers resolve to. */
export type RouteResolver = (request: { readonly path: string; readonly authorization: string | undefined }) => Promise<RpcRoute | HttpRefusal>;

export interface GethRpcServerOptions {
  /** Picks the route of each request (and does its authentication), before anything else is looked at. */
  readonly route: RouteResolver;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Largest request body accepted, bytes. */
  readonly bodyLimitBytes: number;
  readonly logger: CoreLogger;
  /**
   * How long an idle keep-alive connection stays open. Longer than Go's client-side idle
   * timeout (90 s), so the Go client closes first and never reuses a connection we just closed.
   * @default 120_000
   */
  readonly keepAliveTimeoutMs?: number;
  /**
   * Time for a request's headers, and for the whole request with its body, to arrive; then 408
   * and a close (node's server timeouts, which fastify leaves off unless told; geth bounds reads
   * too: rpc/http.go ReadHeaderTimeout, ReadTimeout). @default 10_000 and 20_000
   */
  readonly headersTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** Connections held open at once; more are closed as they connect. @default 1024 */
  readonly maxConnections?: number;
  /** Told of each request refused before any method runs: an HTTP refusal's status, or `malformed` for a body that is not JSON. */
  readonly onRefused?: (reason: number | 'malformed') => void;
  /** Told when a client goes away while sending its body (counted by the caller, logged at debug only). */
  readonly onClientGone?: () => void;
}

export interface RunningServer {
  /** `http://host:port` actually bound. */
  readonly url: string;
  /**
   * Drains: no new connections, idle keep-alive connections closed at once, calls still running
   * answered with `Connection: close`; resolves when the last connection is gone.
   */
  close(): Promise<void>;
  /** Destroys every connection still open: the end of a drain that ran out of time. */
  closeConnections(): void;
}

/** go-ethereum rpc/http.go acceptedContentTypes. */
const ACCEPTED_CONTENT_TYPES = new Set(['application/json', 'application/json-rpc', 'application/jsonrequest']);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export async function startGethRpcServer(options: GethRpcServerOptions): Promise<RunningServer> {
  const { route, bodyLimitBytes: limit, logger } = options;
  const refused = (reply: FastifyReply, status: number, text: string) => {
    options.onRefused?.(status);
    return httpError(reply, status, text);
  };
  const routes = new WeakMap<IncomingMessage, RpcRoute>();
  const requestTimeoutMs = options.requestTimeoutMs ?? HTTP_LIMIT_DEFAULTS.requestTimeoutMs;
  const headersTimeoutMs = Math.min(options.headersTimeoutMs ?? HTTP_LIMIT_DEFAULTS.headersTimeoutMs, requestTimeoutMs);
  const maxConnections = options.maxConnections ?? HTTP_LIMIT_DEFAULTS.maxConnections;
  const app = fastify({
    logger: false,
    exposeHeadRoutes: false,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 120_000,
    ...fastifyTimeouts({ headersTimeoutMs, requestTimeoutMs, maxConnections }),
  });
  app.server.maxConnections = maxConnections;
  drainWithConnectionClose(app);

  // The body is read by the handler itself (size limit, raw text for the JSON scanner), never
  // by fastify, whatever the content type says.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

  app.addHook('onRequest', async (request, reply) => {
    const raw = request.raw;
    const resolved = await route({ path: pathOf(raw.url), authorization: raw.headers.authorization });
    if (!('dispatcher' in resolved)) return httpError(reply, resolved.status, resolved.text);
    routes.set(raw, resolved);
    const contentLength = declaredLength(raw);
    if (raw.method === 'GET' && contentLength === 0 && !hasQuery(raw.url)) return reply.code(200).send();
    if (raw.method === 'PUT' || raw.method === 'DELETE') return refused(reply, 405, 'method not allowed');
    if (contentLength !== undefined && contentLength > limit) return refused(reply, 413, `content length too large (${contentLength}>${limit})`);
    if (raw.method === 'OPTIONS') return undefined;
    if (!ACCEPTED_CONTENT_TYPES.has(mediaType(raw.headers['content-type']) ?? '')) {
      return refused(reply, 415, 'invalid content type, only application/json is supported');
    }
    return undefined;
  });

  app.all('*', async (request, reply) => {
    const controller = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) controller.abort(new Error('the HTTP client went away'));
    });
    const resolved = routes.get(request.raw);
    if (resolved === undefined) throw new Error('request reached the handler without a route');
    const body = await readBody(request.raw, limit);
    const parsed = parseRequest(body.text);
    if (parsed.parsed.shape.kind === 'unparsable') options.onRefused?.('malformed');
    const refusal = resolved.admit?.(parsed.methods);
    if (refusal !== undefined) return httpError(reply, refusal.status, refusal.text);
    const response = await resolved.dispatcher.serve(parsed, { signal: controller.signal });
    reply.code(200).header('content-type', 'application/json');
    if (body.truncated) reply.header('connection', 'close');
    return reply.send(Buffer.from(response ?? '', 'utf8'));
  });

  app.setErrorHandler((error: { readonly statusCode?: number; readonly message: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 415) return refused(reply, 415, 'invalid content type, only application/json is supported');
    if (error instanceof ClientGoneError) {
      // A client that hangs up is routine under load and a cheap way to flood logs: count it.
      options.onClientGone?.();
      logger.debug({ err: error.message }, 'JSON-RPC client went away');
      return httpError(reply, 400, error.message);
    }
    logger.warn({ err: error.message, status }, 'JSON-RPC HTTP request failed');
    return httpError(reply, status, error.message);
  });

  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () => app.close(),
    closeConnections: () => app.server.closeAllConnections(),
  };
}

/** The client closed the connection before its body was read. */
class ClientGoneError extends Error {}

/** Go's http.Error: plain text, newline-terminated, no sniffing. The body may be unread: close. */
function httpError(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/plain; charset=utf-8')
    .header('x-content-type-options', 'nosniff')
    .header('connection', 'close')
    .send(`${text}\n`);
}

/** Go's r.ContentLength: the header's value, 0 when absent without chunking, unknown when chunked. */
function declaredLength(raw: IncomingMessage): number | undefined {
  const header = raw.headers['content-length'];
  if (header !== undefined && /^\d+$/.test(header)) return Number(header);
  return raw.headers['transfer-encoding'] === undefined ? 0 : undefined;
}

/** The path of a request target, without its query. */
function pathOf(url: string | undefined): string {
  const target = url ?? '/';
  const query = target.indexOf('?');
  return query < 0 ? target : target.slice(0, query);
}

function hasQuery(url: string | undefined): boolean {
  const index = url?.indexOf('?') ?? -1;
  return index >= 0 && index < (url?.length ?? 0) - 1;
}

/**
 * The media type of a Content-Type header as Go's mime.ParseMediaType sees it (lowercased), or
 * undefined when Go would reject the header (then geth answers 415).
 */
export function mediaType(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const [type = '', ...params] = header.split(';');
  const mt = type.trim().toLowerCase();
  const [major, minor, extra] = mt.split('/');
  if (major === undefined || !TOKEN.test(major) || (minor !== undefined && !TOKEN.test(minor)) || extra !== undefined) return undefined;
  for (const [index, param] of params.entries()) {
    const trimmed = param.trim();
    if (trimmed === '' && index === params.length - 1) break; // a trailing ";" is ignored
    const eq = trimmed.indexOf('=');
    if (eq <= 0 || !TOKEN.test(trimmed.slice(0, eq).trim())) return undefined;
    const value = trimmed.slice(eq + 1).trim();
    if (!(TOKEN.test(value) || /^"(?:[^"\\]|\\.)*"$/.test(value))) return undefined;
  }
  return mt;
}

/** Reads the body up to `limit` bytes; a longer (chunked) body is cut there and left unread. */
function readBody(stream: IncomingMessage, limit: number): Promise<{ readonly text: string; readonly truncated: boolean }> {
  if (stream.readableEnded) return Promise.resolve({ text: '', truncated: false });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (truncated: boolean) => {
      cleanup();
      resolve({ text: Buffer.concat(chunks, size).toString('utf8'), truncated });
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limit) {
        chunks.push(chunk.subarray(0, limit - size));
        size = limit;
        stream.pause();
        finish(true);
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    };
    const onEnd = () => finish(false);
    const onError = (error: Error) => {
      cleanup();
      // Node reports a connection reset mid-body as an 'error' with ECONNRESET ("aborted").
      reject((error as { code?: unknown }).code === 'ECONNRESET' ? new ClientGoneError('the HTTP client aborted the request body', { cause: error }) : error);
    };
    const onAborted = () => onError(new ClientGoneError('the HTTP client aborted the request body'));
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('aborted', onAborted);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('aborted', onAborted);
  });
}
