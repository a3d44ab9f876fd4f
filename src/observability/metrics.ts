// Prometheus metrics (prom-client), one registry per server instance so tests and replicas in
// one process never share counters. Names follow Prometheus conventions: `_total` counters,
// `_seconds` and `_bytes` histograms, labels of low cardinality only.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Protocol = 'opstack' | 'orbit' | 'grpc' | 'go-da';

export interface Metrics {
  readonly registry: Registry;
  /** Front-door calls by protocol, method, outcome (`ok` or a DaError code) and chain. */
  readonly requests: Counter<'protocol' | 'method' | 'outcome' | 'chain'>;
  readonly requestSeconds: Histogram<'protocol' | 'method' | 'chain'>;
  /** Frame bytes accepted by puts and served by gets, per chain. */
  readonly frameBytes: Counter<'direction' | 'chain'>;
  /** Where reads were served from: cache or an aggregator. */
  readonly reads: Counter<'source' | 'chain'>;
  /** Puts answered without a Walrus write because the frame was already committed. */
  readonly deduplicatedPuts: Counter<'chain'>;
  /** Frames per stored quilt. */
  readonly batchFrames: Histogram;
  /** Payload bytes per stored quilt. */
  readonly batchBytes: Histogram;
  /** Quilt size on the wire and what Walrus reserves for it (encoded). */
  readonly quiltBytes: Counter<'kind'>;
  /** Where a batch's time goes: read, build, blobId, store, certify, commit (blobId and store overlap). */
  readonly batchStageSeconds: Histogram<'stage'>;
  /** Time from flush to certified commitments. */
  readonly storeSeconds: Histogram<'outcome'>;
  /** Quilt store attempts by outcome (newlyCreated, alreadyCertified, error code). */
  readonly stores: Counter<'outcome'>;
  /** Frames waiting to be batched (BullMQ waiting + delayed). */
  readonly queueDepth: Gauge;
  /** Batches being stored right now. */
  readonly batchesInFlight: Gauge;
  /** Availability samples (slivers and metadata) by storage node and outcome: ok, missing, corrupt. */
  readonly samples: Counter<'node' | 'outcome'>;
  /** Requests whose client went away before the answer (counted, not logged one by one). */
  readonly clientDisconnects: Counter<'protocol'>;
  /** 1 while a dependency's probe succeeds (redis, publisher, aggregator…, sui, storage-nodes). */
  readonly dependencyUp: Gauge<'dependency'>;
  /** 1 while this deployment can write / read (src/observability/capability.ts). */
  readonly capabilityUp: Gauge<'capability'>;
  /** Shards held by storage nodes that answer their health check. */
  readonly storageShardsUp: Gauge;
  /** Seconds until the earliest / latest live committed quilt's end epoch starts. */
  readonly expiryHorizonSeconds: Gauge<'quilt'>;
  /** Live committed quilts whose end epoch starts within the next availability window. */
  readonly quiltsExpiringWithinWindow: Gauge;
  /** `--availability-window-days` in seconds, for comparisons in dashboards and alerts. */
  readonly availabilityWindowSeconds: Gauge;
}

export function createMetrics(options: { readonly defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'walrus_da_' });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({ name: 'walrus_da_requests_total', help: 'Front-door calls by protocol, method and outcome.', labelNames: ['protocol', 'method', 'outcome', 'chain'], registers }),
    requestSeconds: new Histogram({
      name: 'walrus_da_request_duration_seconds',
      help: 'Front-door call latency.',
      labelNames: ['protocol', 'method', 'chain'],
      buckets: [0.001, 0.005, 0.02, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    frameBytes: new Counter({ name: 'walrus_da_frame_bytes_total', help: 'Frame bytes put (in) and served (out).', labelNames: ['direction', 'chain'], registers }),
    reads: new Counter({ name: 'walrus_da_reads_total', help: 'Frame reads by source (cache or aggregator).', labelNames: ['source', 'chain'], registers }),
    deduplicatedPuts: new Counter({ name: 'walrus_da_deduplicated_puts_total', help: 'Puts of frames that were already committed.', labelNames: ['chain'], registers }),
    batchFrames: new Histogram({
      name: 'walrus_da_batch_frames',
      help: 'Frames per stored quilt.',
      buckets: [1, 2, 5, 10, 25, 50, 100, 200, 400, 666],
      registers,
    }),
    batchBytes: new Histogram({
      name: 'walrus_da_batch_payload_bytes',
      help: 'Frame payload bytes per stored quilt.',
      buckets: [1e4, 1e5, 1e6, 4e6, 8e6, 16e6, 32e6, 64e6],
      registers,
    }),
    quiltBytes: new Counter({ name: 'walrus_da_quilt_bytes_total', help: 'Quilt bytes sent (unencoded) and reserved on Walrus (encoded).', labelNames: ['kind'], registers }),
    storeSeconds: new Histogram({
      name: 'walrus_da_store_duration_seconds',
      help: 'Time from batch flush to certified commitments.',
      labelNames: ['outcome'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128],
      registers,
    }),
    batchStageSeconds: new Histogram({
      name: 'walrus_da_batch_stage_seconds',
      help: 'Time per stage of storing a batch (blobId and store run concurrently).',
      labelNames: ['stage'],
      buckets: [0.005, 0.02, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
      registers,
    }),
    stores: new Counter({ name: 'walrus_da_quilt_stores_total', help: 'Quilt store attempts by outcome.', labelNames: ['outcome'], registers }),
    queueDepth: new Gauge({ name: 'walrus_da_queue_depth', help: 'Frames waiting to be batched.', registers }),
    batchesInFlight: new Gauge({ name: 'walrus_da_batches_in_flight', help: 'Batches being stored now.', registers }),
    samples: new Counter({ name: 'walrus_da_samples_total', help: 'Availability samples by storage node and outcome (ok, missing, corrupt).', labelNames: ['node', 'outcome'], registers }),
    clientDisconnects: new Counter({ name: 'walrus_da_client_disconnects_total', help: 'Requests whose client went away before the answer.', labelNames: ['protocol'], registers }),
    dependencyUp: new Gauge({ name: 'walrus_da_dependency_up', help: 'Whether a dependency answers its probe (1) or not (0).', labelNames: ['dependency'], registers }),
    capabilityUp: new Gauge({ name: 'walrus_da_capability_up', help: 'Whether this deployment can write or read (1) or not (0).', labelNames: ['capability'], registers }),
    storageShardsUp: new Gauge({ name: 'walrus_da_storage_shards_up', help: 'Shards held by storage nodes that answer their health check.', registers }),
    expiryHorizonSeconds: new Gauge({ name: 'walrus_da_expiry_horizon_seconds', help: "Seconds until the earliest or latest live committed quilt's end epoch.", labelNames: ['quilt'], registers }),
    quiltsExpiringWithinWindow: new Gauge({ name: 'walrus_da_quilts_expiring_within_window', help: 'Live committed quilts whose end epoch starts within the availability window.', registers }),
    availabilityWindowSeconds: new Gauge({ name: 'walrus_da_availability_window_seconds', help: 'The configured availability window.', registers }),
  };
}

/**
 * Counts every put and get of the service, whichever door made it; structurally the core's
 * `DaServiceObserver` (this module may not import the core).
 */
export function serviceObserver(metrics: Metrics): { onPut(frameBytes: number, deduplicated: boolean, chain: string): void; onGet(frameBytes: number, source: string, chain: string): void } {
  return {
    onPut(frameBytes, deduplicated, chain) {
      metrics.frameBytes.inc({ direction: 'in', chain }, frameBytes);
      if (deduplicated) metrics.deduplicatedPuts.inc({ chain });
    },
    onGet(frameBytes, source, chain) {
      metrics.frameBytes.inc({ direction: 'out', chain }, frameBytes);
      metrics.reads.inc({ source: source === 'cache' ? 'cache' : 'aggregator', chain });
    },
  };
}

/** The chain label of a call refused before its chain was proved (see `observeRequest`). */
export const UNKNOWN_CHAIN = 'unknown';

/**
 * Counts a call that was refused before it ran (wrong credentials, unknown chain) under
 * UNKNOWN_CHAIN, labelled by the `code` of `error`. Never throws.
 */
export async function countRefused(metrics: Metrics | undefined, protocol: Protocol, method: string, error: unknown): Promise<void> {
  await observeRequest(metrics, protocol, method, () => Promise.reject(error instanceof Error ? error : new Error(String(error))), UNKNOWN_CHAIN).catch(() => undefined);
}

/**
 * Times an async call into `requests` and `requestSeconds`, labelling failures by DaError code.
 * `chain` is the authenticated chain (only names from the chains file, or 'default'), or
 * 'unknown' when authentication failed: never a name a client made up, which would let anyone
 * grow the label set.
 */
export async function observeRequest<T>(metrics: Metrics | undefined, protocol: Protocol, method: string, call: () => Promise<T>, chain = 'default'): Promise<T> {
  if (!metrics) return call();
  const end = metrics.requestSeconds.startTimer({ protocol, method, chain });
  try {
    const result = await call();
    metrics.requests.inc({ protocol, method, outcome: 'ok', chain });
    return result;
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'INTERNAL';
    metrics.requests.inc({ protocol, method, outcome: code, chain });
    throw error;
  } finally {
    end();
  }
}
