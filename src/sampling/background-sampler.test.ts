// serve's background sampler at the unit boundary: a fake committee (SliverSource) and fake
// recent quilts. What it counts, what it warns, which quilts it picks, and that stop() leaves
// nothing running.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xorshift32Bytes } from '../../test/support/xorshift.ts';
import { createMetrics } from '../observability/metrics.ts';
import { EncoderPool, blobIdToText, encodeBlobMetadataWithId, type EncodedBlob, type SliverAxis } from '../walrus/codec/index.ts';
import { BackgroundSampler, type RecentQuilt } from './background-sampler.ts';
import { AvailabilitySampler } from './sampler.ts';
import type { SamplingCommittee, SamplingNode, SliverSource } from './sliver-source.ts';

const N = 4; // 4 shards, one per node
const pool = new EncoderPool({ threads: 1 });
afterAll(() => pool.close());
let blobs: EncodedBlob[];
beforeAll(async () => {
  blobs = [await pool.encode(xorshift32Bytes(21, 2_000), N), await pool.encode(xorshift32Bytes(22, 3_000), N)];
});

class OneShardPerNode implements SliverSource {
  readonly nodes: SamplingNode[] = [0, 1, 2, 3].map((i) => ({ name: `n${i}` }));
  down = new Set<string>();
  epoch = 5;
  /** Resolves the first sliver request only when released (to catch a round in flight). */
  hold: Promise<void> | undefined;
  requests = 0;

  committee(): Promise<SamplingCommittee> {
    return Promise.resolve({ epoch: this.epoch, nShards: N, nodes: this.nodes, nodeOfShard: (shard: number) => this.nodes[shard] });
  }
  #blob(blobId: Uint8Array): EncodedBlob {
    const blob = blobs.find((b) => blobIdToText(b.blobId) === blobIdToText(blobId));
    if (!blob) throw new Error('unknown blob');
    return blob;
  }
  metadata(node: SamplingNode, blobId: Uint8Array): Promise<Uint8Array> {
    if (this.down.has(node.name)) return Promise.reject(new Error('ECONNREFUSED'));
    const blob = this.#blob(blobId);
    return Promise.resolve(encodeBlobMetadataWithId(blobId, blob.metadata));
  }
  async sliver(node: SamplingNode, blobId: Uint8Array, pair: number, axis: SliverAxis, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    this.requests += 1;
    if (this.hold) {
      const signal = options.signal;
      await Promise.race([this.hold, new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error)))]);
    }
    if (this.down.has(node.name)) throw new Error('ECONNREFUSED');
    const blob = this.#blob(blobId);
    return (axis === 'primary' ? blob.primarySlivers : blob.secondarySlivers)[pair] ?? new Uint8Array();
  }
}

function setup(recent: () => RecentQuilt[], intervalMs = 60_000) {
  const source = new OneShardPerNode();
  const metrics = createMetrics({ defaultMetrics: false });
  const logs: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    }),
  );
  const background = new BackgroundSampler({
    sampler: new AvailabilitySampler({ source, encoder: pool, samplesPerQuilt: 2 * N }),
    quilts: { recentQuilts: () => Promise.resolve(recent()) },
    intervalMs,
    quiltsPerRound: 5,
    logger,
    metrics,
  });
  return { source, metrics, logs, background };
}

const quilt = (i: number, endEpoch = 9): RecentQuilt => ({ quiltId: blobs[i]?.blobId ?? new Uint8Array(), height: i + 1, endEpoch });

describe('BackgroundSampler', () => {
  it('samples only quilts still stored, counts every answer per node and warns naming quilt and node', async () => {
    const { source, metrics, logs, background } = setup(() => [quilt(0), quilt(1, 5)]); // quilt 1 ended at epoch 5
    source.down.add('n2');
    const report = await background.runRound();
    expect(report?.quilts.map((q) => q.height)).toEqual([1]);
    const values = (await metrics.samples.get()).values.map((v) => [v.labels.node, v.labels.outcome, v.value]);
    // k = 2n: each node holds one pair, two slivers; n2 answers nothing (maybe also a metadata request).
    expect(values.filter(([node]) => node !== 'n2').every(([, outcome]) => outcome === 'ok')).toBe(true);
    expect(values.filter(([node]) => node === 'n2').every(([, outcome]) => outcome === 'missing')).toBe(true);
    expect(values.find(([node]) => node === 'n2')?.[2]).toBeGreaterThanOrEqual(2);
    const warning = logs.find((l) => l.level === 40);
    expect(warning).toMatchObject({ quilt: blobIdToText(blobs[0]?.blobId ?? new Uint8Array()), height: 1, node: 'n2', corrupt: 0 });
    const summary = logs.find((l) => l.msg === 'availability sampling round found failures');
    expect(summary).toMatchObject({ missProbabilityPerRound: 0 }); // k = 2n sees every sliver
  });

  it('does nothing when no quilt is stored', async () => {
    const { source, background } = setup(() => [quilt(0, 5)]);
    expect(await background.runRound()).toBeUndefined();
    expect(source.requests).toBe(0);
  });

  it('runs rounds on its timer and stop() aborts the round in flight and waits for it', async () => {
    const { source, metrics, background } = setup(() => [quilt(0), quilt(1)], 5);
    let release: () => void = () => undefined;
    source.hold = new Promise<void>((resolve) => (release = resolve));
    background.start();
    while (source.requests === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await background.stop();
    const requestsAtStop = source.requests;
    release();
    await new Promise((resolve) => setTimeout(resolve, 30));
    // Aborted mid-round: nothing counted, no further round.
    expect((await metrics.samples.get()).values).toEqual([]);
    expect(source.requests).toBe(requestsAtStop);
    background.start(); // a stopped sampler stays stopped
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(source.requests).toBe(requestsAtStop);
  });

  it('refuses an interval below 1 ms', () => {
    expect(() => setup(() => [], 0)).toThrow(RangeError);
  });
});
