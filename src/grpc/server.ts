// The gRPC front door: walrusda.v1.DataAvailabilityService, go-da's da.DAService,
// grpc.health.v1.Health and server reflection on one @grpc/grpc-js server and port. The two DA
// services authenticate each call for its chain (./chain-auth.ts); health and reflection are
// always open.
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { ChainDirectory, type DaService } from '../core/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { DAService, file_da_da } from './gen/da/da_pb.ts';
import { file_google_rpc_error_details } from './gen/google/rpc/error_details_pb.ts';
import { file_google_rpc_status } from './gen/google/rpc/status_pb.ts';
import { file_grpc_health_v1_health } from './gen/grpc/health/v1/health_pb.ts';
import { file_grpc_reflection_v1_reflection } from './gen/grpc/reflection/v1/reflection_pb.ts';
import { DataAvailabilityService, file_walrusda_v1_da } from './gen/walrusda/v1/da_pb.ts';
import { goDaStatus } from './go-da/wire-errors.ts';
import type { NamespaceHeights } from './go-da/heights.ts';
import { GO_CLIENT_MAX_RECEIVE_BYTES, goDaImplementation, goDaMaxBlobSize } from './go-da/service.ts';
import { getConfigResponse, type GrpcDeploymentConfig } from './get-config.ts';
import { HealthReporter } from './health.ts';
import { addReflection } from './reflection.ts';
import { addService } from './service-definition.ts';
import { walrusDaImplementation } from './walrusda/service.ts';
import { walrusDaStatus } from './walrusda/wire-errors.ts';

export interface GrpcServerOptions {
  readonly service: DaService;
  /** The deployment's chains (`--chains-file`). @default no chains file: every call is DEFAULT_CHAIN, unauthenticated */
  readonly chains?: ChainDirectory;
  /** go-da heights per namespace (the batch state in Redis: src/batching/batch-state.ts). */
  readonly goDaHeights: NamespaceHeights;
  /** Interface to listen on; the CLI passes its `--host` (127.0.0.1 unless configured). */
  readonly host: string;
  /** Port; 0 picks a free one. The CLI passes `--grpc-port` (3101 unless configured). */
  readonly port: number;
  /** Largest request message accepted (grpc-js defaults to 4 MiB). @default 64 MiB */
  readonly maxReceiveMessageBytes?: number;
  /** Largest response message sent; Get streams in chunks of at most 4 MiB. @default 64 MiB */
  readonly maxSendMessageBytes?: number;
  /** DA byte of OP Stack / Orbit framed commitments. */
  readonly daByte: number;
  /** What GetConfig reports about the deployment (./get-config.ts). */
  readonly config: GrpcDeploymentConfig;
  /** Time between dependency health probes. @default 5000 */
  readonly healthPollIntervalMs?: number;
  /** Largest go-da Get response; go-da's Go client accepts 4 MiB. @default 4 MiB */
  readonly goDaMaxResponseBytes?: number;
  /** Grace period of `close()` when none is given. @default 10000 */
  readonly shutdownGraceMs?: number;
  readonly logger: Logger;
  readonly metrics?: Metrics;
}

export interface GrpcServer {
  /** `host:port` actually bound. */
  readonly url: string;
  /**
   * Graceful stop: health turns NOT_SERVING, no new calls are accepted, in-flight calls may finish
   * within `graceMs`; then the rest are cancelled (their DaService work is aborted).
   */
  close(graceMs?: number): Promise<void>;
}

const MIB = 1024 * 1024;
const SERVICE_NAMES = [DataAvailabilityService.typeName, DAService.typeName];

export async function startGrpcServer(options: GrpcServerOptions): Promise<GrpcServer> {
  if (!Number.isInteger(options.daByte) || options.daByte < 0 || options.daByte > 0xff) {
    throw new RangeError(`daByte must be an integer in [0, 255], got ${options.daByte}`);
  }
  const logger = options.logger.child({ component: 'grpc' });
  const maxReceive = options.maxReceiveMessageBytes ?? 64 * MIB;
  const maxSend = options.maxSendMessageBytes ?? 64 * MIB;
  const goDaMaxResponseBytes = options.goDaMaxResponseBytes ?? GO_CLIENT_MAX_RECEIVE_BYTES;
  const server = new Server({ 'grpc.max_receive_message_length': maxReceive, 'grpc.max_send_message_length': maxSend });

  const { service, metrics } = options;
  const chains = options.chains ?? new ChainDirectory(undefined);
  addService(server, DataAvailabilityService, walrusDaImplementation({
    service,
    chains,
    daByte: options.daByte,
    config: getConfigResponse(options.config, {
      daByte: options.daByte,
      serviceMaxFrameBytes: service.maxFrameBytes,
      maxReceiveMessageBytes: maxReceive,
      maxSendMessageBytes: maxSend,
      goDaMaxBlobSize: goDaMaxBlobSize(service.maxFrameBytes, goDaMaxResponseBytes),
    }),
    door: { protocol: 'grpc', toStatus: walrusDaStatus, logger, metrics },
  }));
  addService(server, DAService, goDaImplementation({
    service,
    chains,
    heights: options.goDaHeights,
    maxResponseBytes: goDaMaxResponseBytes,
    door: { protocol: 'go-da', toStatus: goDaStatus, logger, metrics },
  }));
  const health = new HealthReporter({ service, services: SERVICE_NAMES, logger, ...(options.healthPollIntervalMs === undefined ? {} : { intervalMs: options.healthPollIntervalMs }) });
  health.addToServer(server);
  addReflection(server, [
    file_walrusda_v1_da,
    file_da_da,
    file_grpc_health_v1_health,
    file_grpc_reflection_v1_reflection,
    // Not used by any service, but lets reflection clients decode the error details.
    file_google_rpc_status,
    file_google_rpc_error_details,
  ]);

  let port: number;
  try {
    port = await bind(server, options.host, options.port);
  } catch (error) {
    server.forceShutdown();
    throw error;
  }
  await health.start();
  const url = `${hostForUrl(options.host)}:${port}`;
  logger.info({ url, services: SERVICE_NAMES, maxReceiveMessageBytes: maxReceive, health: health.status, chains: chains.names }, 'gRPC server listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    close: (graceMs = options.shutdownGraceMs ?? 10_000) => (closing ??= shutdown(server, health, graceMs, logger)),
  };
}

function bind(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${hostForUrl(host)}:${port}`, ServerCredentials.createInsecure(), (error, boundPort) => (error ? reject(error) : resolve(boundPort)));
  });
}

/** IPv6 literals need brackets in `host:port`. */
function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

async function shutdown(server: Server, health: HealthReporter, graceMs: number, logger: Logger): Promise<void> {
  health.close();
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      logger.warn({ graceMs }, 'gRPC calls still running after the grace period; cancelling them');
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  logger.info({}, 'gRPC server stopped');
}
