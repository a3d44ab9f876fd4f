// One sampling round over a few quilts: for each, k random slivers from the nodes that hold their
// shards, checked against metadata that hashes to the quilt's blob id (docs/sampling.md). Every
// answer becomes one outcome for the node that gave it:
//
//   ok       the sliver has the right shape and hashes to the metadata's hash of its pair/axis
//   missing  no answer: refused, 404, timeout, 5xx (the source threw)
//   corrupt  an answer that is wrong: bad BCS, wrong index or size, wrong hash; or metadata that
//            does not decode or does not hash to the blob id
//
// Metadata comes from the first node, of those sampled and then the rest of the committee, whose
// metadata verifies; each node asked on the way is a sample of its own. Slivers are hashed in as few
// wasm encodes as the codec allows: one per quilt and axis for up to p primary / s secondary
// slivers (src/walrus/codec/sliver-verify.ts), since one encode costs ≈1.4 s at 1000 shards.
import {
  blobIdToText,
  checkSliverShape,
  decodeVerifiedMetadata,
  encodingConfig,
  shardForPair,
  verifyPrimarySlivers,
  verifySecondarySlivers,
  type BlobMetadataV1,
  type EncoderPool,
  type SliverAxis,
} from '../walrus/codec/index.ts';
import { cryptoRandom, pickSlivers, shuffled, type RandomSource } from './selection.ts';
import type { SamplingCommittee, SamplingNode, SliverSource } from './sliver-source.ts';

export type SampleOutcome = 'ok' | 'missing' | 'corrupt';

/** The name used for a shard no committee member holds (a committee in flux). */
export const NO_NODE = 'none';

export interface SliverSample {
  readonly node: string;
  readonly shard: number;
  readonly pair: number;
  readonly axis: SliverAxis;
  /** `unverified`: the sliver arrived but no node served metadata that verifies, so it was not judged (not counted). */
  readonly outcome: SampleOutcome | 'unverified';
  readonly reason?: string;
}

export interface MetadataSample {
  readonly node: string;
  readonly outcome: SampleOutcome;
  readonly reason?: string;
}

export interface QuiltSampleReport {
  /** Blob id text (URL-safe base64), as Walrus prints it. */
  readonly quiltId: string;
  /** Extra facts the caller passed along (e.g. the batch height). */
  readonly height?: number;
  /** Every metadata request made, in order; the last is `ok` unless none verified. */
  readonly metadata: readonly MetadataSample[];
  readonly slivers: readonly SliverSample[];
}

export interface NodeTally {
  readonly node: string;
  ok: number;
  missing: number;
  corrupt: number;
}

export interface SampleTarget {
  readonly quiltId: Uint8Array;
  readonly height?: number;
}

export interface AvailabilitySamplerOptions {
  readonly source: SliverSource;
  readonly encoder: Pick<EncoderPool, 'encode'>;
  /** Distinct slivers per quilt per round (capped at 2n). */
  readonly samplesPerQuilt: number;
  /** @default node:crypto */
  readonly random?: RandomSource;
  /** Per storage-node request; a slower answer is `missing`. @default 10000 */
  readonly requestTimeoutMs?: number;
}

export class AvailabilitySampler {
  readonly #options: AvailabilitySamplerOptions;
  readonly #random: RandomSource;

  constructor(options: AvailabilitySamplerOptions) {
    if (!Number.isSafeInteger(options.samplesPerQuilt) || options.samplesPerQuilt < 1) {
      throw new RangeError(`samples per quilt must be a positive integer, got ${options.samplesPerQuilt}`);
    }
    this.#options = options;
    this.#random = options.random ?? cryptoRandom;
  }

  get samplesPerQuilt(): number {
    return this.#options.samplesPerQuilt;
  }

  committee(options: { readonly signal?: AbortSignal } = {}): Promise<SamplingCommittee> {
    return this.#options.source.committee(options);
  }

  /** Samples each quilt in turn (nodes see k concurrent requests per quilt, not k·q). */
  async sampleQuilts(committee: SamplingCommittee, targets: readonly SampleTarget[], options: { readonly signal?: AbortSignal } = {}): Promise<QuiltSampleReport[]> {
    const reports: QuiltSampleReport[] = [];
    for (const target of targets) {
      options.signal?.throwIfAborted();
      reports.push(await this.sampleQuilt(committee, target, options));
    }
    return reports;
  }

  async sampleQuilt(committee: SamplingCommittee, target: SampleTarget, options: { readonly signal?: AbortSignal } = {}): Promise<QuiltSampleReport> {
    const { nShards } = committee;
    const blobId = target.quiltId;
    const picks = pickSlivers(nShards, this.#options.samplesPerQuilt, this.#random).map((pick) => {
      const shard = shardForPair(pick.pair, blobId, nShards);
      return { ...pick, shard, node: committee.nodeOfShard(shard) };
    });
    const sampledNodes = unique(picks.flatMap((p) => (p.node ? [p.node] : [])));
    const otherNodes = committee.nodes.filter((node) => !sampledNodes.includes(node));
    const metadataOrder = [...shuffled(sampledNodes, this.#random), ...shuffled(otherNodes, this.#random)];

    const [metadata, answers] = await Promise.all([
      this.#verifiedMetadata(metadataOrder, blobId, nShards, options.signal),
      Promise.all(
        picks.map(async (pick) => {
          if (!pick.node) return { ...pick, answer: undefined, reason: `no committee member holds shard ${pick.shard}` };
          try {
            return { ...pick, answer: await this.#fetch((signal) => this.#options.source.sliver(pick.node as SamplingNode, blobId, pick.pair, pick.axis, { signal }), options.signal) };
          } catch (error) {
            options.signal?.throwIfAborted();
            return { ...pick, answer: undefined, reason: failureReason(error) };
          }
        }),
      ),
    ]);

    const slivers: SliverSample[] = answers.map((a) => {
      const base = { node: a.node?.name ?? NO_NODE, shard: a.shard, pair: a.pair, axis: a.axis };
      if (a.answer === undefined) return { ...base, outcome: 'missing', reason: a.reason ?? 'no answer' };
      if (!metadata.verified) return { ...base, outcome: 'unverified', reason: 'no node served metadata that verifies' };
      return { ...base, outcome: 'ok' };
    });
    if (metadata.verified) await this.#judgeSlivers(metadata.verified, nShards, answers, slivers);
    return {
      quiltId: blobIdToText(blobId),
      ...(target.height === undefined ? {} : { height: target.height }),
      metadata: metadata.attempts,
      slivers,
    };
  }

  /** Shape first (cheap, per sliver), then the hashes in batched encodes; rewrites `slivers` in place. */
  async #judgeSlivers(
    metadata: BlobMetadataV1,
    nShards: number,
    answers: readonly { readonly pair: number; readonly axis: SliverAxis; readonly answer: Uint8Array | undefined }[],
    slivers: SliverSample[],
  ): Promise<void> {
    const { primarySymbols: p, secondarySymbols: s } = encodingConfig(nShards);
    const primary: { index: number; pair: number; data: Uint8Array }[] = [];
    const secondary: { index: number; column: number; data: Uint8Array }[] = [];
    answers.forEach((a, index) => {
      if (a.answer === undefined) return;
      try {
        const sliver = checkSliverShape(a.answer, { axis: a.axis, pair: a.pair, nShards, unencodedLength: metadata.unencodedLength });
        if (a.axis === 'primary') primary.push({ index, pair: a.pair, data: sliver.data });
        else secondary.push({ index, column: nShards - 1 - a.pair, data: sliver.data });
      } catch (error) {
        slivers[index] = { ...(slivers[index] as SliverSample), outcome: 'corrupt', reason: failureReason(error) };
      }
    });
    const mark = (index: number, ok: boolean) => {
      if (!ok) slivers[index] = { ...(slivers[index] as SliverSample), outcome: 'corrupt', reason: 'the sliver does not hash to the metadata of its pair' };
    };
    for (const chunk of chunks(primary, p)) {
      const verdicts = await verifyPrimarySlivers(this.#options.encoder, metadata, nShards, chunk);
      chunk.forEach((c, i) => mark(c.index, verdicts[i] === true));
    }
    for (const chunk of chunks(secondary, s)) {
      const verdicts = await verifySecondarySlivers(this.#options.encoder, metadata, nShards, chunk);
      chunk.forEach((c, i) => mark(c.index, verdicts[i] === true));
    }
  }

  async #verifiedMetadata(
    nodes: readonly SamplingNode[],
    blobId: Uint8Array,
    nShards: number,
    signal: AbortSignal | undefined,
  ): Promise<{ verified: BlobMetadataV1 | undefined; attempts: MetadataSample[] }> {
    const attempts: MetadataSample[] = [];
    for (const node of nodes) {
      let bytes: Uint8Array;
      try {
        bytes = await this.#fetch((s) => this.#options.source.metadata(node, blobId, { signal: s }), signal);
      } catch (error) {
        signal?.throwIfAborted();
        attempts.push({ node: node.name, outcome: 'missing', reason: failureReason(error) });
        continue;
      }
      try {
        const verified = decodeVerifiedMetadata(bytes, blobId, nShards);
        attempts.push({ node: node.name, outcome: 'ok' });
        return { verified, attempts };
      } catch (error) {
        attempts.push({ node: node.name, outcome: 'corrupt', reason: failureReason(error) });
      }
    }
    return { verified: undefined, attempts };
  }

  /** One node request, bounded by the request timeout and the caller's signal. */
  #fetch<T>(call: (signal: AbortSignal) => Promise<T>, outer: AbortSignal | undefined): Promise<T> {
    const timeout = AbortSignal.timeout(this.#options.requestTimeoutMs ?? 10_000);
    return call(outer ? AbortSignal.any([outer, timeout]) : timeout);
  }
}

/** Outcome counts per node over reports, in node-name order; metadata requests count too. */
export function tallyByNode(reports: readonly QuiltSampleReport[]): NodeTally[] {
  const tallies = new Map<string, NodeTally>();
  const count = (node: string, outcome: SampleOutcome | 'unverified') => {
    if (outcome === 'unverified') return;
    let tally = tallies.get(node);
    if (!tally) tallies.set(node, (tally = { node, ok: 0, missing: 0, corrupt: 0 }));
    tally[outcome] += 1;
  };
  for (const report of reports) {
    for (const m of report.metadata) count(m.node, m.outcome);
    for (const s of report.slivers) count(s.node, s.outcome);
  }
  return [...tallies.values()].sort((a, b) => a.node.localeCompare(b.node));
}

function failureReason(error: unknown): string {
  if (error instanceof Error) return error.name === 'TimeoutError' ? 'timed out' : error.message;
  return String(error);
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
