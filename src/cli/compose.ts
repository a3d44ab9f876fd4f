// Builds a DaService from configuration: the only place that picks implementations. With a
// publisher URL it talks to a real Walrus network; without one it starts an embedded
// walrus-local under the data directory and points the same production adapters at it.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAINNET_WALRUS_PACKAGE_CONFIG, TESTNET_WALRUS_PACKAGE_CONFIG } from '@mysten/walrus';
import { batchLimits } from '../batching/batch-limits.ts';
import { startBatching, type Batching } from '../batching/start-batching.ts';
import type { ServeConfig } from '../config/serve-config.ts';
import { loadChainsFile, redactChains } from '../config/chains-file.ts';
import { Admission, ChainDirectory, DaService, MAX_EPOCHS_AHEAD, UnavailableError, epochsForWindow, type NodePatchSource, type WalrusEpoch } from '../core/index.ts';
import { redactUrl, redactUrlsIn, type Logger } from '../observability/logger.ts';
import { serviceObserver, type Metrics } from '../observability/metrics.ts';
import { SuiAvailability } from '../sui/sui-availability.ts';
import { SuiCertificates } from '../sui/sui-certificates.ts';
import { WalrusCommitmentVerifier } from '../verify/commitment-verifier.ts';
import { EncoderPool } from '../walrus/codec/index.ts';
import { PublisherBlobStore } from '../walrus/publisher-blob-store.ts';
import { CommitteeSource } from '../walrus/nodes/committee.ts';
import { StorageNodePatchSource } from '../walrus/nodes/node-patch-source.ts';
import { startWalrusLocal, type WalrusLocal } from '../walrus-local/index.ts';
import { loadPublisherCredentials, loadPublisherJwtKey, redactedProbe } from './secrets.ts';
import { openNodeSampler, startBackgroundSampling, type BackgroundSampling } from './sampling.ts';
import { createSuiClient } from './sui-client.ts';
import type { ClientWithCoreApi } from '@mysten/sui/client';

const DAY_MS = 86_400_000;
/** Where serve records its embedded walrus-local's endpoints, for `walrus-da verify`. */
export const WALRUS_LOCAL_INFO_FILE = 'walrus-local.json';

export interface WalrusEndpoints {
  readonly publisherUrl: string;
  readonly aggregatorUrls: readonly string[];
  readonly suiRpcUrl: string;
  readonly systemObjectId: string;
  readonly stakingObjectId: string;
  readonly network: string;
}

export interface ComposedService {
  readonly service: DaService;
  /** The chains this deployment serves; every door authenticates calls through it. */
  readonly chains: ChainDirectory;
  readonly endpoints: WalrusEndpoints;
  readonly walrus: WalrusEpoch;
  readonly walrusLocal: WalrusLocal | undefined;
  readonly batching: Batching;
  readonly encoder: EncoderPool;
  readonly verifier: WalrusCommitmentVerifier;
  readonly blobStore: PublisherBlobStore;
  readonly availability: SuiAvailability;
  /** The background availability sampler, when --sample-interval-ms is set. */
  readonly sampling: BackgroundSampling | undefined;
  /** The storage-node committee, read from Sui (shared by node reads, sampling and /health). */
  readonly committee: CommitteeSource;
  /** Reads patches straight from the storage nodes (src/walrus/nodes). */
  readonly nodes: StorageNodePatchSource;
  close(): Promise<void>;
}

export interface ComposeDeps {
  readonly logger: Logger;
  readonly metrics?: Metrics;
  /** Reuse a running walrus-local instead of starting one (tests). */
  readonly walrusLocal?: WalrusLocal;
  /** The storage nodes' patch reads (docs/verdicts.md); tests may pass a double. */
  readonly nodes?: NodePatchSource;
}

export async function composeService(config: ServeConfig, deps: ComposeDeps): Promise<ComposedService> {
  const { logger } = deps;
  const encoder = new EncoderPool(config.encoderThreads === undefined ? {} : { threads: config.encoderThreads });
  const cleanups: (() => Promise<void>)[] = [() => encoder.close()];
  const closeAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: unknown) => logger.warn({ err: String(err) }, 'shutdown step failed'));
  };
  try {
    let walrusLocal = deps.walrusLocal;
    if (!config.publisherUrl && !walrusLocal) {
      walrusLocal = await startWalrusLocal({
        dataDir: join(config.dataDir, 'walrus-local'),
        shards: config.walrusLocalShards,
        nodes: config.walrusLocalNodes,
        // Its own address: the doors' --host must not open walrus-local's publisher and nodes.
        host: config.walrusLocalHost,
        port: config.walrusLocalPort,
        ...(config.publisherJwtSecretFile === undefined ? {} : { publisherJwtSecret: loadPublisherJwtKey(config.publisherJwtSecretFile) }),
        epochDurationMs: config.walrusLocalEpochDurationMs,
        encoder,
        logger: logger.child({ component: 'walrus-local' }),
      });
      const started = walrusLocal;
      cleanups.push(() => started.close());
      await writeFile(join(config.dataDir, WALRUS_LOCAL_INFO_FILE), `${JSON.stringify(started.info(), null, 2)}\n`);
    }
    const endpoints = walrusLocal ? localEndpoints(walrusLocal) : remoteEndpoints(config);
    const suiClient = createSuiClient(config.suiTransport, endpoints.suiRpcUrl, endpoints.network);
    const availability = new SuiAvailability({
      client: suiClient,
      systemObjectId: endpoints.systemObjectId,
      stakingObjectId: endpoints.stakingObjectId,
    });
    // Authenticated reads straight from the storage nodes, after the cache and the aggregators.
    // One committee for everything that talks to storage nodes: reads, sampling, /health.
    const committee = committeeSource(endpoints, suiClient);
    const nodes = storageNodePatchSource(committee, encoder, logger);
    cleanups.push(() => Promise.resolve(nodes.close()));
    const walrus = await availability.currentEpoch().catch((error: unknown) => {
      throw new UnavailableError(`cannot read the Walrus epoch from Sui at ${redactUrl(endpoints.suiRpcUrl)}: ${redactUrlsIn(error instanceof Error ? error.message : String(error))}`);
    });
    const availabilityWindowMs = config.availabilityWindowDays * DAY_MS;
    const epochs = epochsForWindow(availabilityWindowMs, walrus.epochDurationMs, MAX_EPOCHS_AHEAD);
    const limits = batchLimits(
      { maxFrames: config.batchMaxFrames, maxBytes: config.batchMaxBytes, maxWaitMs: config.batchMaxWaitMs, lingerMs: config.batchLingerMs, maxFrameBytes: config.maxFrameBytes },
      walrus.nShards,
    );
    const credentials = loadPublisherCredentials(config);
    const blobStore = new PublisherBlobStore({ publisherUrl: endpoints.publisherUrl, aggregatorUrls: endpoints.aggregatorUrls, nShards: walrus.nShards, ...(credentials ? { credentials } : {}) });
    const batching = await startBatching({
      redisUrl: config.redisUrl,
      prefix: config.redisPrefix,
      policy: limits.policy,
      maxInFlight: config.batchMaxInFlight,
      cacheTtlSeconds: config.cacheTtlSeconds,
      availabilityWindowMs,
      retentionMs: availabilityWindowMs + Math.round(config.retentionMarginDays * DAY_MS),
      allowEvictingRedis: config.allowEvictingRedis,
      orphanSweepMs: config.orphanSweepMs,
      ...crashAfterFrameWrite(),
      workers: config.workers,
      encoder,
      blobStore,
      availability,
      logger: logger.child({ component: 'batching' }),
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
    });
    cleanups.push(() => batching.close());
    let sampling: BackgroundSampling | undefined;
    if (config.sampleIntervalMs > 0) {
      const node = openNodeSampler({ committee, encoder, samplesPerQuilt: config.samplesPerQuilt });
      const started = startBackgroundSampling({
        node,
        state: batching.state,
        intervalMs: config.sampleIntervalMs,
        quiltsPerRound: config.sampleQuiltsPerRound,
        logger: logger.child({ component: 'sampling' }),
        ...(deps.metrics ? { metrics: deps.metrics } : {}),
      });
      sampling = started;
      cleanups.push(() => started.close()); // before batching and the encoder close: cleanups run in reverse
    }
    const certificates = new SuiCertificates({ client: suiClient, systemObjectId: endpoints.systemObjectId });
    const verifier = new WalrusCommitmentVerifier({ blobStore, availability, encoder, minRemainingEpochs: 1, certificates, nodes: deps.nodes ?? nodes });
    // Read first of all the wiring below would fail on, but after Redis and Walrus are known
    // good, so a bad chains file is reported on its own.
    const chainSpecs = config.chainsFile === undefined ? undefined : loadChainsFile(config.chainsFile);
    const chains = new ChainDirectory(chainSpecs, { authReads: config.chainsAuthReads });
    if (chainSpecs) logger.info({ chains: redactChains(chainSpecs), authReads: config.chainsAuthReads }, 'serving chains');
    const admission = new Admission({ globalMaxQueuedBytes: config.maxQueuedBytes, chains: chains.limits() });
    const service = new DaService({
      queue: batching.queue,
      commitments: batching.commitments,
      cache: batching.cache,
      blobStore,
      verifier,
      availability,
      readTimeoutMs: config.readTimeoutMs,
      nodes: deps.nodes ?? nodes,
      probes: [batching.probe, ...blobStore.probes(), availability.probe()].map(redactedProbe),
      maxFrameBytes: limits.maxFrameBytes,
      putTimeoutMs: config.putTimeoutMs,
      verifyOnRead: config.verifyOnRead,
      logger: logger.child({ component: 'service' }),
      ...(deps.metrics ? { observer: serviceObserver(deps.metrics) } : {}),
      admission,
    });
    logger.info(
      { walrus: redactUrl(endpoints.publisherUrl), sui: redactUrl(endpoints.suiRpcUrl), publisherAuth: credentials?.kind ?? 'none', epoch: walrus.epoch, shards: walrus.nShards, epochsPerQuilt: epochs, batch: batching.policy, embedded: Boolean(walrusLocal && !deps.walrusLocal) },
      'DA pipeline ready',
    );
    return { service, chains, endpoints, walrus, walrusLocal, batching, encoder, verifier, blobStore, availability, sampling, committee, nodes, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/**
 * The storage-node committee of a network, from Sui through @mysten/walrus. walrus-local's nodes
 * (network `localnet`, which `custom` maps to) speak plain HTTP, real ones HTTPS; `scheme` overrides.
 */
export function committeeSource(endpoints: ReadEndpoints, sui: ClientWithCoreApi, scheme?: 'http' | 'https'): CommitteeSource {
  return CommitteeSource.fromSui({
    sui,
    systemObjectId: endpoints.systemObjectId,
    stakingObjectId: endpoints.stakingObjectId,
    urlScheme: scheme ?? (endpoints.network === 'localnet' ? 'http' : 'https'),
  });
}

/** Authenticated patch reads from the committee's storage nodes (docs/node-reads.md). */
export function storageNodePatchSource(committee: CommitteeSource, encoder: EncoderPool, logger: Logger): StorageNodePatchSource {
  return new StorageNodePatchSource({ committee, encoder, logger: logger.child({ component: 'storage-nodes' }) });
}

function localEndpoints(local: WalrusLocal): WalrusEndpoints {
  return {
    publisherUrl: local.publisherUrl,
    aggregatorUrls: [local.aggregatorUrl],
    suiRpcUrl: local.suiRpcUrl,
    systemObjectId: local.systemObjectId,
    stakingObjectId: local.stakingObjectId,
    network: 'localnet',
  };
}

function remoteEndpoints(config: ServeConfig): WalrusEndpoints {
  return { publisherUrl: config.publisherUrl ?? '', ...readEndpoints(config) };
}

/** Where frames are read and checked: a Walrus network without its publisher. */
export type ReadEndpoints = Omit<WalrusEndpoints, 'publisherUrl'>;

/** The settings that name a Walrus network to read from: serve's and verify's alike. */
export type ReadSettings = Pick<ServeConfig, 'aggregatorUrl' | 'suiRpcUrl' | 'network' | 'walrusSystemObject' | 'walrusStakingObject'>;

/**
 * Aggregators, Sui node and the Walrus System/Staking objects (explicit ids over the network's
 * preset), for serve with --publisher-url and for `walrus-da verify` alike. The schemas make
 * `--network custom` name both objects before this is reached.
 */
export function readEndpoints(config: ReadSettings): ReadEndpoints {
  const preset = config.network === 'mainnet' ? MAINNET_WALRUS_PACKAGE_CONFIG : TESTNET_WALRUS_PACKAGE_CONFIG;
  return {
    aggregatorUrls: config.aggregatorUrl ?? [],
    suiRpcUrl: config.suiRpcUrl ?? '',
    systemObjectId: config.walrusSystemObject ?? preset.systemObjectId,
    stakingObjectId: config.walrusStakingObject ?? preset.stakingPoolId,
    network: config.network === 'custom' ? 'localnet' : config.network,
  };
}

/**
 * Fault injection for the crash test (test/pipeline/orphan-sweep.test.ts): with
 * WALRUS_DA_FAULT_KILL_AFTER_FRAME_WRITE=1 the process SIGKILLs itself right after a frame's bytes
 * are written and before its job is added, the window the orphan sweeper closes. Not a setting:
 * it only ever makes the process crash.
 */
function crashAfterFrameWrite(): { afterFrameWrite?: () => void } {
  if (process.env.WALRUS_DA_FAULT_KILL_AFTER_FRAME_WRITE !== '1') return {};
  return { afterFrameWrite: () => process.kill(process.pid, 'SIGKILL') };
}
