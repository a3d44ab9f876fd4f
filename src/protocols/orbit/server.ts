// The Arbitrum Orbit front door: Nitro v3.10's custom DA provider JSON-RPC on its own port,
// indistinguishable on the wire from a go-ethereum `rpc.Server` serving the `daprovider`
// namespace (nitro daprovider/server/provider_server.go).
import type { DaService } from '../../core/index.ts';
import type { Logger } from '../../observability/logger.ts';
import { observeRequest, type Metrics } from '../../observability/metrics.ts';
import { RpcDispatcher } from './geth-rpc/dispatch.ts';
import { startGethRpcServer, type RunningServer } from './geth-rpc/http-server.ts';
import { JWT_SECRET_LENGTH } from './geth-rpc/jwt.ts';
import { toOrbitRpcError } from './wire-errors.ts';
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
  /** HS256 secret (32 bytes, see readJwtSecretFile); when set, requests need Nitro's JWT. */
  readonly jwtSecret?: Uint8Array;
  /** Largest HTTP body; a single-call store sends the message as hex. @default 2 × maxMessageSize + 1 MiB */
  readonly bodyLimitBytes?: number;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  /** Chunked-store limits, Nitro's defaults unless set (tests shorten them and inject a clock). */
  readonly streaming?: ChunkedStoreLimits;
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

  const receiver = new ChunkedStoreReceiver({ ...options.streaming, maxMessageSize });
  const methods = orbitMethods({ service, maxMessageSize, daByte, receiver, logger });
  const dispatcher = new RpcDispatcher({
    methods,
    logger,
    observe: (method, run) => observeRequest(metrics, 'orbit', method, run),
    mapError: (error, method) => {
      const mapped = toOrbitRpcError(error, methods.get(method)?.operation ?? 'info', logger.child({ protocol: 'orbit', method }));
      logger.warn({ method, code: mapped.code, err: mapped.message }, 'Orbit call failed');
      return mapped;
    },
  });
  const server = await startGethRpcServer({
    dispatcher,
    host: options.host ?? ORBIT_DEFAULT_HOST,
    port: options.port ?? ORBIT_DEFAULT_PORT,
    bodyLimitBytes,
    logger,
    ...(options.jwtSecret ? { jwtSecret: options.jwtSecret } : {}),
  });
  logger.info({ url: server.url, maxMessageSize, daByte, bodyLimitBytes, jwt: options.jwtSecret !== undefined }, 'Orbit DA provider JSON-RPC listening');
  return {
    url: server.url,
    close: async () => {
      await server.close();
      receiver.close();
    },
  };
}
