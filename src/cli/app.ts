// `walrus-da serve` as a value: the composed service plus its front doors, started in order and
// stopped in reverse (doors first, so no new work arrives while batches drain). Shutdown is
// bounded (docs/lifecycle.md): the doors drain for `shutdownGraceMs` while the workers still
// commit, then puts still waiting are answered UNAVAILABLE (their frames stay queued), then
// whatever connection is left is closed and the workers stop within their own bound.
import type { ServeConfig } from '../config/serve-config.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { startGrpcServer } from '../grpc/server.ts';
import { readJwtSecretFile, startOrbitServer } from '../protocols/orbit/index.ts';
import { startOpStackServer } from '../protocols/opstack/server.ts';
import { ExpiryHorizon } from '../batching/expiry-horizon.ts';
import { settlesWithin } from '../batching/start-batching.ts';
import { MAX_EPOCHS_AHEAD, epochsForWindow } from '../core/index.ts';
import { StatusReporter } from '../observability/status.ts';
import { publicConfig } from './public-config.ts';
import { CommitteeHealthCheck } from '../walrus/nodes/committee-health.ts';
import { VERSION } from './version.ts';
import { composeService, type ComposeDeps, type ComposedService } from './compose.ts';

export interface Listener {
  readonly url: string;
  readonly description: string;
}

export interface App {
  readonly composed: ComposedService;
  readonly listeners: readonly Listener[];
  close(): Promise<void>;
}

/** A front door as shutdown sees it: a drain, and the force that ends one out of time. */
interface Door {
  close(): Promise<void>;
  closeConnections(): void;
}

/** After the grace period, how long puts answered UNAVAILABLE get to reach their clients. */
const ANSWER_MS = 500;
/** How often the status gauges are refreshed without a /health call (a Prometheus scrape is 15–60 s). */
const STATUS_INTERVAL_MS = 10_000;

export async function startApp(config: ServeConfig, deps: ComposeDeps & { readonly logger: Logger; readonly metrics: Metrics }): Promise<App> {
  const composed = await composeService(config, deps);
  const stops: (() => Promise<void>)[] = [];
  const doors: Door[] = [];
  const listeners: Listener[] = [];
  const limits = { headersTimeoutMs: config.httpHeadersTimeoutMs, requestTimeoutMs: config.httpRequestTimeoutMs, maxConnections: config.httpMaxConnections };
  const availabilityWindowMs = config.availabilityWindowDays * 86_400_000;
  // /health and the dependency, capability and expiry gauges (docs/operations.md).
  const storageNodes = new CommitteeHealthCheck({ committee: composed.committee });
  const status = new StatusReporter({
    dependencies: (options) => composed.service.health(options),
    storageNodes,
    expiry: new ExpiryHorizon({ state: composed.batching.state, availability: composed.availability, availabilityWindowMs }),
    metrics: deps.metrics,
    logger: deps.logger.child({ component: 'status' }),
  });
  try {
    const http = await startOpStackServer({
      service: composed.service,
      host: config.host,
      port: config.httpPort,
      daByte: config.daByte,
      logger: deps.logger.child({ component: 'opstack' }),
      metrics: deps.metrics,
      chains: composed.chains,
      limits,
      readiness: composed.batching.probe,
      status,
      publicConfig: publicConfig(config, {
        version: VERSION,
        shards: composed.walrus.nShards,
        epochsPerQuilt: epochsForWindow(availabilityWindowMs, composed.walrus.epochDurationMs, MAX_EPOCHS_AHEAD),
        embeddedWalrusLocal: composed.walrusLocal !== undefined,
        maxFrameBytes: composed.service.maxFrameBytes,
        batch: composed.batching.policy,
        chains: composed.chains.enabled ? composed.chains.names : [],
      }),
    });
    stops.push(() => http.close());
    doors.push(http);
    const chainRoutes = composed.chains.enabled ? ', /chains/<name>/… (HTTP Basic)' : '';
    listeners.push({ url: http.url, description: `OP Stack Alt-DA (POST /put, GET /get/0x…)${chainRoutes}, /health, /ready, /live, /config, /metrics` });
    if (config.orbit) {
      const orbit = await startOrbitServer({
        service: composed.service,
        host: config.host,
        port: config.orbitPort,
        maxMessageSize: Math.min(config.orbitMaxMessageSize, composed.service.maxFrameBytes),
        daByte: config.daByte,
        ...(config.orbitJwtSecretFile ? { jwtSecret: await readJwtSecretFile(config.orbitJwtSecretFile) } : {}),
        chains: composed.chains,
        logger: deps.logger.child({ component: 'orbit' }),
        metrics: deps.metrics,
        ...limits,
      });
      stops.push(() => orbit.close());
      doors.push(orbit);
      const orbitChains = composed.chains.enabled ? ', /chains/<name> (chain JWT)' : '';
      listeners.push({ url: orbit.url, description: `Arbitrum Orbit custom DA JSON-RPC (daprovider_*)${config.orbitJwtSecretFile ? ', JWT' : ''}${orbitChains}` });
    }
    if (config.grpc) {
      const grpc = await startGrpcServer({
        service: composed.service,
        chains: composed.chains,
        goDaHeights: composed.batching.state,
        host: config.host,
        port: config.grpcPort,
        maxReceiveMessageBytes: config.grpcMaxMessageBytes,
        maxSendMessageBytes: config.grpcMaxMessageBytes,
        daByte: config.daByte,
        config: {
          shards: composed.walrus.nShards,
          network: config.network,
          embeddedWalrusLocal: composed.walrusLocal !== undefined,
          putTimeoutMs: config.putTimeoutMs,
          batchMaxFrames: composed.batching.policy.maxFrames,
          batchMaxBytes: composed.batching.policy.maxBytes,
          batchMaxWaitMs: composed.batching.policy.maxWaitMs,
          version: VERSION,
        },
        logger: deps.logger,
        metrics: deps.metrics,
      });
      stops.push(() => grpc.close());
      // gRPC cancels what is left itself, once the puts have had their UNAVAILABLE answer.
      doors.push({ close: () => grpc.close(config.shutdownGraceMs + ANSWER_MS), closeConnections: () => undefined });
      listeners.push({ url: `grpc://${grpc.url}`, description: 'gRPC: walrusda.v1.DataAvailabilityService, da.DAService (go-da), grpc.health.v1, reflection' });
    }
    if (composed.walrusLocal) {
      listeners.push({ url: composed.walrusLocal.publisherUrl, description: 'walrus-local publisher and aggregator (embedded)' });
      listeners.push({ url: composed.walrusLocal.suiRpcUrl, description: 'walrus-local Sui JSON-RPC (embedded)' });
    }
    status.start(STATUS_INTERVAL_MS);
    stops.push(() => {
      status.close();
      storageNodes.close();
      return Promise.resolve();
    });
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await composed.close();
    throw error;
  }
  return {
    composed,
    listeners,
    async close() {
      // Every door stops accepting at once and drains; the workers still commit meanwhile.
      const drained = Promise.all(doors.map((door) => door.close().catch((err: unknown) => deps.logger.warn({ err: String(err) }, 'door shutdown failed'))));
      if (!(await settlesWithin(drained, config.shutdownGraceMs))) {
        deps.logger.warn({ graceMs: config.shutdownGraceMs }, 'calls still running after the shutdown grace period: puts are answered UNAVAILABLE, their frames stay queued');
        composed.batching.queue.stopWaiting();
        if (!(await settlesWithin(drained, ANSWER_MS))) {
          deps.logger.warn({}, 'closing the connections still open');
          for (const door of doors) door.closeConnections();
        }
        await drained;
      }
      await composed.close();
    },
  };
}
