// The real pipeline in one call, for end-to-end tests: Redis (shared, or a private redis-server),
// an embedded walrus-local on random loopback ports, and the production adapters and DaService
// composed exactly as `walrus-da serve` composes them. Each stack gets its own Redis key prefix and
// temp directory and removes both on close. Set WALRUS_DA_TEST_LOG=debug to see the logs.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteRedisPrefix } from '../../src/batching/batch-keys.ts';
import { composeService, type ComposedService } from '../../src/cli/compose.ts';
import { loadServeConfig, type ServeConfig } from '../../src/config/serve-config.ts';
import type { DaService } from '../../src/core/index.ts';
import { createLogger, silentLogger, type LogLevel, type Logger } from '../../src/observability/logger.ts';
import { createMetrics, type Metrics } from '../../src/observability/metrics.ts';
import { startOpStackServer, type OpStackServerOptions, type RunningServer } from '../../src/protocols/opstack/server.ts';
import { startOrbitServer, type OrbitServerOptions } from '../../src/protocols/orbit/index.ts';
import { startWalrusLocal, type WalrusLocal } from '../../src/walrus-local/index.ts';
import { startPrivateRedis, type PrivateRedis } from './redis-server.ts';

export const TEST_REDIS_URL = process.env.WALRUS_DA_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface StackOptions {
  /** walrus-local shards; 100 allows 149 MB blobs and 66-frame quilts at ~30 ms per encode. @default 100 */
  readonly shards?: number;
  /** @default 50 */
  readonly maxWaitMs?: number;
  readonly maxFrames?: number;
  readonly maxBytes?: number;
  /** @default 30000 */
  readonly putTimeoutMs?: number;
  /** @default 64 MiB */
  readonly maxFrameBytes?: number;
  /** Spawn a private redis-server, so the test may stop and restart it. */
  readonly ownRedis?: boolean;
  /** Extra serve settings (schema keys). */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Reuse this walrus-local instead of starting one (replicas, restarts). */
  readonly walrusLocal?: WalrusLocal;
  /** Reuse this Redis prefix (replicas of one deployment, restarts). */
  readonly redisPrefix?: string;
}

export interface Stack {
  readonly service: DaService;
  readonly walrusLocal: WalrusLocal;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly config: ServeConfig;
  readonly composed: ComposedService;
  readonly metrics: Metrics;
  readonly logger: Logger;
  stopRedis?(): Promise<void>;
  startRedis?(): Promise<void>;
  close(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'wda-stack-'));
  const level = process.env.WALRUS_DA_TEST_LOG as LogLevel | undefined;
  const logger = level ? createLogger({ level, name: 'walrus-da-test' }) : silentLogger();
  const redis: PrivateRedis | undefined = options.ownRedis ? await startPrivateRedis() : undefined;
  const redisUrl = redis?.url ?? TEST_REDIS_URL;
  const redisPrefix = options.redisPrefix ?? `wda-test-${randomUUID().slice(0, 8)}`;
  const ownsWalrusLocal = options.walrusLocal === undefined;
  const walrusLocal =
    options.walrusLocal ??
    (await startWalrusLocal({ dataDir: join(dir, 'walrus-local'), shards: options.shards ?? 100, nodes: 4, port: 0, logger: logger.child({ component: 'walrus-local' }) }));
  const config = loadServeConfig({
    flags: {
      dataDir: dir,
      redisUrl,
      redisPrefix,
      batchMaxWaitMs: options.maxWaitMs ?? 50,
      putTimeoutMs: options.putTimeoutMs ?? 30_000,
      maxFrameBytes: options.maxFrameBytes ?? 64 * 1024 * 1024,
      orbitMaxMessageSize: Math.min(options.maxFrameBytes ?? 64 * 1024 * 1024, 10 * 1024 * 1024),
      encoderThreads: 2,
      ...(options.maxFrames === undefined ? {} : { batchMaxFrames: options.maxFrames }),
      ...(options.maxBytes === undefined ? {} : { batchMaxBytes: options.maxBytes }),
      ...options.settings,
    },
  });
  const metrics = createMetrics({ defaultMetrics: false });
  let composed: ComposedService;
  try {
    composed = await composeService(config, { logger, metrics, walrusLocal });
  } catch (error) {
    if (ownsWalrusLocal) await walrusLocal.close();
    await redis?.close();
    throw error;
  }
  return {
    service: composed.service,
    walrusLocal,
    redisUrl,
    redisPrefix,
    config,
    composed,
    metrics,
    logger,
    ...(redis ? { stopRedis: () => redis.stop(), startRedis: () => redis.start() } : {}),
    async close() {
      await composed.close();
      if (ownsWalrusLocal) await walrusLocal.close();
      if (redis) await redis.close();
      else if (!options.redisPrefix) await deleteRedisPrefix(redisUrl, redisPrefix);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The OP Stack door in front of a stack's service as the tests run it: loopback, a free port, DA
 * byte 0x57, the stack's logger. `options` adds or overrides server settings (metrics, chains, limits).
 */
export function startOpStackDoor(stack: Pick<Stack, 'service' | 'logger'>, options: Partial<OpStackServerOptions> = {}): Promise<RunningServer> {
  return startOpStackServer({ service: stack.service, host: '127.0.0.1', port: 0, daByte: 0x57, logger: stack.logger, ...options });
}

/** The Orbit (Nitro) door in front of a stack's service, likewise; the message size bound is the test's. */
export function startOrbitDoor(
  stack: Pick<Stack, 'service' | 'logger'>,
  options: Partial<OrbitServerOptions> & Pick<OrbitServerOptions, 'maxMessageSize'>,
): Promise<RunningServer> {
  return startOrbitServer({ service: stack.service, host: '127.0.0.1', port: 0, daByte: 0x57, logger: stack.logger, ...options });
}
