// Availability sampling (docs/sampling.md): random slivers of recent quilts fetched from the
// storage nodes that hold them and verified against the quilt's blob id, per node.
export { BackgroundSampler, type BackgroundSamplerOptions, type RecentQuilt, type RecentQuiltSource } from './background-sampler.ts';
export {
  DEFAULT_WITHHELD_FRACTION,
  detectionConfidence,
  missProbabilityWithReplacement,
  missProbabilityWithoutReplacement,
  type DetectionConfidence,
} from './confidence.ts';
export { countSamples, runSamplingRound, summarize, warnFailures, type RoundReport } from './round.ts';
export {
  AvailabilitySampler,
  NO_NODE,
  tallyByNode,
  type AvailabilitySamplerOptions,
  type MetadataSample,
  type NodeTally,
  type QuiltSampleReport,
  type SampleOutcome,
  type SampleTarget,
  type SliverSample,
} from './sampler.ts';
export { cryptoRandom, pickDistinct, pickItems, pickSlivers, shuffled, type RandomSource, type SliverPick } from './selection.ts';
export type { FetchOptions, SamplingCommittee, SamplingNode, SliverSource } from './sliver-source.ts';
export { NodeSliverSource, nodeName, type NodeSliverSourceOptions } from './node-sliver-source.ts';
