// The Arbitrum Orbit front door: Nitro v3.10's custom DA provider JSON-RPC on its own port,
// indistinguishable on the wire from a go-ethereum `rpc.Server` serving the `daprovider`
// namespace (nitro daprovider/server/provider_server.go). With a chains file, each chain is served
// under /chains/<name> with its own JWT (chain-routes.ts, docs/wire/orbit.md "Chains").
import { ChainDirectory, DEFAULT_CHAIN, toDaError, type DaService } from '../../core/index.ts';
import type { Logger } from '../../observability/logger.ts';
import { countRefused, observeRequest, type Metrics } from '../../observability/metrics.ts';
import { RpcDispatcher } from './geth-rpc/dispatch.ts';
import { startGethRpcServer, type RpcRoute, type RunningServer } from './geth-rpc/http-server.ts';
import { JWT_SECRET_LENGTH } from './geth-rpc/jwt.ts';
import { toOrbitRpcError } from './wire-errors.ts';
import { accessOf, admitCalls, isRefusal, routeRequest, type RouteRefusal } from './chain-routes.ts';
import { orbitMethods } from './methods.ts';
import { ChunkedStoreReceiver, type ChunkedStoreLimits } from './streaming.ts';

/** `--orbit-port` default. */
export const ORBIT_DEFAULT_PORT = 3102;
export const ORBIT_DEFAULT_HOST = '127.0.0.1';
/** Room for the JSON envelope and the timeout next to a hex-encoded message. */
const BODY_HEADROOM_BYTES = 1024 * 1024;

export interface OrbitServerOptions {
  readonly service: DaService;
  /** Interface to bind; loopback unless the node runs elsewhere. @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. @default 3102 */
  readonly port?: number;
  /** What getMaxMessageSize answers and the largest message store accepts; > 0 and ≤ service.maxFrameBytes. */
  readonly maxMessageSize: number;
  /** Provider-type byte after 0x01 in certificates; part of the chain's consensus, never change it. @default 0x57 */
  readonly daByte?: number;
  /** HS256 secret (32 bytes, see readJwtSecretFile); when set, requests outside /chains/… need Nitro's JWT. */
  readonly jwtSecret?: Uint8Array;
  /** The chains file's chains (each served under /chains/<name> with its Orbit JWT). @default no chains file */
  readonly chains?: ChainDirectory;
  /** Largest HTTP body; a single-call store sends the message as hex. @default 2 × maxMessageSize + 1 MiB */
  readonly bodyLimitBytes?: number;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  /** Chunked-store limits, Nitro's defaults unless set (tests shorten them and inject a clock). */
  readonly streaming?: ChunkedStoreLimits;
  /** Clock for JWT `iat` checks (ms since the Unix epoch). @default Date.now */
  readonly clock?: () => number;
  /** HTTP timeouts and connection cap (geth-rpc/http-server.ts). @default 10 s headers, 20 s request, 1024 connections */
  readonly headersTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  readonly maxConnections?: number;
}

export async function startOrbitServer(options: OrbitServerOptions): Promise<RunningServer> {
  const { service, maxMessageSize, logger, metrics } = options;
  const daByte = options.daByte ?? 0x57;
  if (!Number.isSafeInteger(maxMessageSize) || maxMessageSize <= 0 || maxMessageSize > service.maxFrameBytes) {
    throw new RangeError(`maxMessageSize must be an integer in [1, ${service.maxFrameBytes}] (the service's maxFrameBytes), got ${maxMessageSize}`);
  }
  if (!Number.isInteger(daByte) || daByte < 0 || daByte > 0xff) throw new RangeError(`daByte must be an integer in [0, 255], got ${daByte}`);
  if (options.jwtSecret !== undefined && options.jwtSecret.length !== JWT_SECRET_LENGTH) {
    throw new RangeError(`jwtSecret must be ${JWT_SECRET_LENGTH} bytes, got ${options.jwtSecret.length}`);
  }
  const minimumBody = 2 * maxMessageSize + BODY_HEADROOM_BYTES;
  const bodyLimitBytes = options.bodyLimitBytes ?? minimumBody;
  if (!Number.isSafeInteger(bodyLimitBytes) || bodyLimitBytes <= 0) throw new RangeError(`bodyLimitBytes must be a positive integer, got ${bodyLimitBytes}`);
  if (bodyLimitBytes < minimumBody) {
    logger.warn({ bodyLimitBytes, maxMessageSize }, 'the Orbit body limit cannot carry a maximum-size single-call store; the node must use --node.da.external-provider.use-data-streaming');
  }
  const chains = options.chains ?? new ChainDirectory(undefined);
  const clock = options.clock ?? Date.now;

  // One method set per chain: calls carry their chain into DaService and metrics by construction,
  // and each chain's chunked streams (and its cap of pending streams) are its own.
  const receivers: ChunkedStoreReceiver[] = [];
  const serveChain = (chain: string) => {
    const receiver = new ChunkedStoreReceiver({ ...options.streaming, maxMessageSize });
    receivers.push(receiver);
    const methods = orbitMethods({ service, maxMessageSize, daByte, receiver, logger, chain });
    const dispatcher = new RpcDispatcher({
      methods,
      logger,
      observe: (method, run) => observeRequest(metrics, 'orbit', method, run, chain),
      mapError: (error, method) => {
        const mapped = toOrbitRpcError(error, methods.get(method)?.operation ?? 'info', logger.child({ protocol: 'orbit', method, chain }));
        if (toDaError(error).code === 'CANCELLED') {
          // The poster hung up: counted, not logged one line each (a log-flooding lever).
          metrics?.clientDisconnects.inc({ protocol: 'orbit' });
          logger.debug({ method, chain, err: mapped.message }, 'Orbit caller went away');
        } else {
          logger.warn({ method, chain, code: mapped.code, err: mapped.message }, 'Orbit call failed');
        }
        return mapped;
      },
    });
    return { methods, dispatcher };
  };
  const root = serveChain(DEFAULT_CHAIN);
  const orbitChains = chains.enabled ? chains.names.filter((name) => chains.orbitJwtSecret(name) !== undefined) : [];
  const byChain = new Map(orbitChains.map((name) => [name, serveChain(name)]));
  const isWrite = (method: string) => root.methods.get(method)?.operation === 'store';

  /** Refusals are counted like calls that failed authentication: chain "unknown". */
  const refuse = (refusal: RouteRefusal, methods: readonly string[], path: string): RouteRefusal => {
    for (const method of methods.length === 0 ? ['http'] : methods) void countRefused(metrics, 'orbit', method, Object.assign(new Error(refusal.code), { code: refusal.code }));
    logger.debug({ path: path.slice(0, 100), status: refusal.status, reason: refusal.text }, 'Orbit request refused');
    return refusal;
  };

  const server = await startGethRpcServer({
    host: options.host ?? ORBIT_DEFAULT_HOST,
    port: options.port ?? ORBIT_DEFAULT_PORT,
    bodyLimitBytes,
    logger,
    ...(options.headersTimeoutMs === undefined ? {} : { headersTimeoutMs: options.headersTimeoutMs }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    // Refused before any method runs: counted like a failed call, method "http", chain "unknown".
    onRefused: (reason) => void countRefused(metrics, 'orbit', 'http', Object.assign(new Error(String(reason)), { code: reason === 413 ? 'TOO_LARGE' : 'INVALID_INPUT' })),
    onClientGone: () => metrics?.clientDisconnects.inc({ protocol: 'orbit' }),
    route: async ({ path, authorization }) => {
      const target = await routeRequest(path, authorization, { chains, rootJwtSecret: options.jwtSecret, nowMs: clock() });
      if (isRefusal(target)) return refuse(target, [], path);
      const served = target.kind === 'chain' ? byChain.get(target.chain) : root;
      if (served === undefined) throw new Error('a chain passed its JWT check but has no Orbit method set');
      const route: RpcRoute = {
        dispatcher: served.dispatcher,
        admit: (methods) => {
          const admitted = admitCalls(target, accessOf(methods, isWrite), chains);
          return isRefusal(admitted) ? refuse(admitted, methods.filter((m) => served.methods.has(m)), path) : undefined;
        },
      };
      return route;
    },
  });
  logger.info(
    { url: server.url, maxMessageSize, daByte, bodyLimitBytes, jwt: options.jwtSecret !== undefined, chains: orbitChains.map((name) => `/chains/${name}`) },
    'Orbit DA provider JSON-RPC listening',
  );
  return {
    url: server.url,
    close: async () => {
      await server.close();
      for (const receiver of receivers) receiver.close();
    },
    closeConnections: () => server.closeConnections(),
  };
}

