// What GET /config shows an operator or a client: version, DA byte, network, limits and which
// doors are open. Built from an explicit list of fields, never by copying the configuration, so a
// secret, a secret's file path or a URL (which may carry credentials) cannot appear in it.
import type { ServeConfig } from '../config/serve-config.ts';

export interface PublicConfigFacts {
  readonly version: string;
  /** Shards of the Walrus committee in use. */
  readonly shards: number;
  /** Epochs each quilt is stored for. */
  readonly epochsPerQuilt: number;
  readonly embeddedWalrusLocal: boolean;
  /** The frame limit and batch policy in effect (after the shard-count caps). */
  readonly maxFrameBytes: number;
  readonly batch: { readonly maxFrames: number; readonly maxBytes: number; readonly maxWaitMs: number };
  /** Names of the chains served; empty without a chains file. */
  readonly chains: readonly string[];
}

export function publicConfig(config: ServeConfig, facts: PublicConfigFacts): Readonly<Record<string, unknown>> {
  return {
    version: facts.version,
    daByte: `0x${config.daByte.toString(16).padStart(2, '0')}`,
    network: facts.embeddedWalrusLocal ? 'walrus-local' : config.network,
    shards: facts.shards,
    availabilityWindowDays: config.availabilityWindowDays,
    epochsPerQuilt: facts.epochsPerQuilt,
    limits: {
      maxFrameBytes: facts.maxFrameBytes,
      putTimeoutMs: config.putTimeoutMs,
      maxQueuedBytes: config.maxQueuedBytes,
      orbitMaxMessageSize: Math.min(config.orbitMaxMessageSize, facts.maxFrameBytes),
      grpcMaxMessageBytes: config.grpcMaxMessageBytes,
      batchMaxFrames: facts.batch.maxFrames,
      batchMaxBytes: facts.batch.maxBytes,
      batchMaxWaitMs: facts.batch.maxWaitMs,
      batchMaxInFlight: config.batchMaxInFlight,
    },
    doors: {
      opstack: { port: config.httpPort },
      orbit: config.orbit ? { port: config.orbitPort, jwt: config.orbitJwtSecretFile !== undefined } : false,
      grpc: config.grpc ? { port: config.grpcPort } : false,
    },
    chains: { enabled: facts.chains.length > 0, names: facts.chains, authReads: config.chainsAuthReads },
    workers: config.workers,
    verifyOnRead: config.verifyOnRead,
  };
}
