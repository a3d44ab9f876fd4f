// One round as both `walrus-da sample` and serve's background sampler run it: read the committee,
// sample the quilts, and report per quilt, per node and the detection confidence (the JSON the
// command prints). Also the two side effects of a round, counting and warning, so the CLI and the
// background sampler cannot disagree on what a failure is.
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { detectionConfidence, type DetectionConfidence } from './confidence.ts';
import { tallyByNode, type AvailabilitySampler, type NodeTally, type QuiltSampleReport, type SampleTarget } from './sampler.ts';

export interface RoundReport {
  /** Every sample of every quilt was `ok`. */
  readonly ok: boolean;
  readonly epoch: number;
  readonly nShards: number;
  readonly samplesPerQuilt: number;
  readonly quilts: readonly QuiltSampleReport[];
  readonly nodes: readonly NodeTally[];
  /** For one quilt: this round alone, and `rounds` rounds when the caller ran several. */
  readonly confidence: DetectionConfidence;
}

export async function runSamplingRound(
  sampler: AvailabilitySampler,
  targets: readonly SampleTarget[],
  options: { readonly signal?: AbortSignal; readonly rounds?: number } = {},
): Promise<RoundReport> {
  const call = options.signal ? { signal: options.signal } : {};
  const committee = await sampler.committee(call);
  const quilts = await sampler.sampleQuilts(committee, targets, call);
  return summarize(committee.epoch, committee.nShards, sampler.samplesPerQuilt, quilts, options.rounds ?? 1);
}

/** Folds reports (from one or several rounds) into one summary; `rounds` rounds per quilt. */
export function summarize(epoch: number, nShards: number, samplesPerQuilt: number, quilts: readonly QuiltSampleReport[], rounds = 1): RoundReport {
  const nodes = tallyByNode(quilts);
  return {
    ok: quilts.every((q) => q.metadata.length > 0 && q.metadata.every((m) => m.outcome === 'ok') && q.slivers.every((s) => s.outcome === 'ok')),
    epoch,
    nShards,
    samplesPerQuilt,
    quilts,
    nodes,
    confidence: detectionConfidence({ nShards, samplesPerRound: samplesPerQuilt, rounds }),
  };
}

/** `walrus_da_samples_total{node,outcome}`, one per judged metadata or sliver answer. */
export function countSamples(metrics: Metrics | undefined, quilts: readonly QuiltSampleReport[]): void {
  if (!metrics) return;
  for (const quilt of quilts) {
    for (const m of quilt.metadata) metrics.samples.inc({ node: m.node, outcome: m.outcome });
    for (const s of quilt.slivers) if (s.outcome !== 'unverified') metrics.samples.inc({ node: s.node, outcome: s.outcome });
  }
}

/** One warning per quilt and node that failed a sample, naming both and saying why. */
export function warnFailures(logger: Logger, quilts: readonly QuiltSampleReport[]): void {
  for (const quilt of quilts) {
    const failures = new Map<string, { missing: number; corrupt: number; reasons: Set<string> }>();
    const note = (node: string, outcome: string, reason: string | undefined) => {
      if (outcome !== 'missing' && outcome !== 'corrupt') return;
      let entry = failures.get(node);
      if (!entry) failures.set(node, (entry = { missing: 0, corrupt: 0, reasons: new Set() }));
      entry[outcome] += 1;
      if (reason !== undefined && entry.reasons.size < 3) entry.reasons.add(reason);
    };
    for (const m of quilt.metadata) note(m.node, m.outcome, m.reason === undefined ? undefined : `metadata: ${m.reason}`);
    for (const s of quilt.slivers) note(s.node, s.outcome, s.reason);
    for (const [node, entry] of failures) {
      logger.warn(
        { quilt: quilt.quiltId, ...(quilt.height === undefined ? {} : { height: quilt.height }), node, missing: entry.missing, corrupt: entry.corrupt, reasons: [...entry.reasons] },
        `availability samples of quilt ${quilt.quiltId} failed on node ${node}`,
      );
    }
    if (quilt.metadata.at(-1)?.outcome !== 'ok') {
      logger.warn({ quilt: quilt.quiltId, asked: quilt.metadata.length }, `no storage node served metadata of quilt ${quilt.quiltId} that verifies`);
    }
  }
}
