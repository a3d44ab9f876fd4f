// What walrusda.v1 GetConfig answers (docs/wire/grpc.md "Services"): the deployment's limits and
// parameters. The composition root hands over plain configuration values; what GetConfig reports
// from them, and under which names, is decided here, next to the service that answers it.
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { GetConfigResponseSchema } from './gen/walrusda/v1/da_pb.ts';
import { GET_CHUNK_BYTES } from './walrusda/service.ts';

/** The network name GetConfig reports when Walrus is the embedded walrus-local. */
export const WALRUS_LOCAL_NETWORK = 'walrus-local';

/** What GetConfig reports about the deployment, beyond what the server knows itself. */
export interface GrpcDeploymentConfig {
  /** Number of Walrus shards. */
  readonly shards: number;
  /** Walrus/Sui network name, e.g. `testnet`, `mainnet` (the `--network` setting). */
  readonly network: string;
  /** Walrus is the embedded walrus-local: GetConfig then reports `walrus-local`, whatever `network` says. */
  readonly embeddedWalrusLocal?: boolean;
  /** Largest frame accepted. @default service.maxFrameBytes */
  readonly maxFrameBytes?: number;
  /** Put timeout and batch policy in effect: reported by GetConfig when given, left out otherwise. */
  readonly putTimeoutMs?: number;
  readonly batchMaxFrames?: number;
  readonly batchMaxBytes?: number;
  readonly batchMaxWaitMs?: number;
  /** walrus-da version. */
  readonly version?: string;
}

/** What the gRPC server itself decided: its limits and the DA byte. */
export interface GrpcServerLimits {
  readonly daByte: number;
  /** The service's own frame limit, reported unless the deployment config overrides it. */
  readonly serviceMaxFrameBytes: number;
  readonly maxReceiveMessageBytes: number;
  readonly maxSendMessageBytes: number;
  readonly goDaMaxBlobSize: number;
}

/** The GetConfig response of a deployment. */
export function getConfigResponse(config: GrpcDeploymentConfig, limits: GrpcServerLimits): MessageInitShape<typeof GetConfigResponseSchema> {
  return {
    maxFrameBytes: BigInt(config.maxFrameBytes ?? limits.serviceMaxFrameBytes),
    daByte: limits.daByte,
    shards: config.shards,
    network: config.embeddedWalrusLocal ? WALRUS_LOCAL_NETWORK : config.network,
    maxReceiveMessageBytes: BigInt(limits.maxReceiveMessageBytes),
    maxSendMessageBytes: BigInt(Math.max(0, limits.maxSendMessageBytes)),
    getChunkBytes: GET_CHUNK_BYTES.default,
    goDaMaxBlobSize: BigInt(limits.goDaMaxBlobSize),
    ...(config.putTimeoutMs === undefined ? {} : { putTimeoutMs: BigInt(config.putTimeoutMs) }),
    ...(config.batchMaxFrames === undefined ? {} : { batchMaxFrames: config.batchMaxFrames }),
    ...(config.batchMaxBytes === undefined ? {} : { batchMaxBytes: BigInt(config.batchMaxBytes) }),
    ...(config.batchMaxWaitMs === undefined ? {} : { batchMaxWaitMs: BigInt(config.batchMaxWaitMs) }),
    version: config.version ?? '',
  };
}
