// Wiring of availability sampling (docs/sampling.md), shared by `walrus-da sample` and serve's
// background sampler: the committee from Sui through @mysten/walrus (src/walrus/nodes), one
// keep-alive client per storage node, and the sampler over them.
import type { BatchState } from '../batching/batch-state.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { AvailabilitySampler, BackgroundSampler, NodeSliverSource } from '../sampling/index.ts';
import type { EncoderPool } from '../walrus/codec/index.ts';
import type { CommitteeSource } from '../walrus/nodes/committee.ts';

export interface NodeSampler {
  readonly sampler: AvailabilitySampler;
  /** Closes the node connections. */
  close(): void;
}

export function openNodeSampler(options: {
  /** The committee whose nodes are sampled (compose's, or the sample command's own). */
  readonly committee: CommitteeSource;
  readonly encoder: Pick<EncoderPool, 'encode'>;
  readonly samplesPerQuilt: number;
}): NodeSampler {
  const source = new NodeSliverSource({ committee: options.committee });
  return {
    sampler: new AvailabilitySampler({ source, encoder: options.encoder, samplesPerQuilt: options.samplesPerQuilt }),
    close: () => source.close(),
  };
}

export interface BackgroundSampling {
  readonly background: BackgroundSampler;
  /** Stops the sampler (aborting and awaiting a round in flight), then closes the node connections. */
  close(): Promise<void>;
}

/** serve's background sampler over the quilts this deployment committed; started before it returns. */
export function startBackgroundSampling(options: {
  readonly node: NodeSampler;
  readonly state: Pick<BatchState, 'recentQuilts'>;
  readonly intervalMs: number;
  readonly quiltsPerRound: number;
  readonly logger: Logger;
  readonly metrics?: Metrics;
}): BackgroundSampling {
  const background = new BackgroundSampler({
    sampler: options.node.sampler,
    quilts: options.state,
    intervalMs: options.intervalMs,
    quiltsPerRound: options.quiltsPerRound,
    logger: options.logger,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  background.start();
  return {
    background,
    async close() {
      await background.stop();
      options.node.close();
    },
  };
}
