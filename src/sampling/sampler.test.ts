// The sampler's classification against a fake committee at the unit boundary (SliverSource):
// real slivers and metadata from Walrus's encoder, served by four fake nodes that can be healthy,
// gone, corrupt or lying about metadata.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xorshift32Bytes } from '../../test/support/xorshift.ts';
import {
  EncoderPool,
  blobIdToText,
  decodeSliverData,
  encodeBlobMetadataWithId,
  encodeSliverData,
  shardForPair,
  type EncodedBlob,
  type SliverAxis,
} from '../walrus/codec/index.ts';
import { AvailabilitySampler } from './sampler.ts';
import { summarize } from './round.ts';
import type { SamplingCommittee, SamplingNode, SliverSource } from './sliver-source.ts';

const N = 10;
// walrus-local's split of 10 shards over 4 nodes: 3, 3, 2, 2.
const RANGES = [[0, 3], [3, 6], [6, 8], [8, 10]] as const;
type Fault = 'missing' | 'corrupt' | 'bad-metadata' | 'wrong-index';

const pool = new EncoderPool({ threads: 1 });
afterAll(() => pool.close());
let blob: EncodedBlob;
beforeAll(async () => {
  blob = await pool.encode(xorshift32Bytes(5, 30_000), N);
});

class FakeNodes implements SliverSource {
  readonly faults = new Map<string, Fault>();
  readonly calls: string[] = [];
  readonly nodes: SamplingNode[] = RANGES.map((_, i) => ({ name: `node-${i}` }));

  committee(): Promise<SamplingCommittee> {
    const nodes = this.nodes;
    return Promise.resolve({
      epoch: 3,
      nShards: N,
      nodes,
      nodeOfShard: (shard: number) => nodes[RANGES.findIndex(([start, end]) => shard >= start && shard < end)],
    });
  }

  metadata(node: SamplingNode, blobId: Uint8Array): Promise<Uint8Array> {
    this.calls.push(`metadata ${node.name}`);
    const fault = this.faults.get(node.name);
    if (fault === 'missing') return Promise.reject(new Error('connect ECONNREFUSED'));
    const hashes = blob.metadata.hashes.map((h, i) => (fault === 'bad-metadata' && i === 0 ? { ...h, primary: h.primary.map((b) => b ^ 1) } : h));
    return Promise.resolve(encodeBlobMetadataWithId(blobId, { ...blob.metadata, hashes }));
  }

  sliver(node: SamplingNode, _blobId: Uint8Array, pair: number, axis: SliverAxis): Promise<Uint8Array> {
    this.calls.push(`sliver ${node.name} ${pair} ${axis}`);
    const fault = this.faults.get(node.name);
    if (fault === 'missing') return Promise.reject(new Error('HTTP 404 SLIVER_NOT_FOUND'));
    const bytes = (axis === 'primary' ? blob.primarySlivers : blob.secondarySlivers)[pair] ?? new Uint8Array();
    const sliver = decodeSliverData(bytes);
    if (fault === 'corrupt') return Promise.resolve(encodeSliverData({ ...sliver, data: sliver.data.map((b) => b ^ 0xff) }));
    if (fault === 'wrong-index') return Promise.resolve(encodeSliverData({ ...sliver, index: (sliver.index + 1) % N }));
    return Promise.resolve(bytes);
  }
}

// Every sliver once (k = 2n), so each node is sure to be asked.
const sampler = (source: SliverSource) => new AvailabilitySampler({ source, encoder: pool, samplesPerQuilt: 2 * N });
const nodeOf = (shard: number) => `node-${RANGES.findIndex(([start, end]) => shard >= start && shard < end)}`;

async function sampleOnce(source: FakeNodes) {
  const s = sampler(source);
  const committee = await s.committee();
  const quilt = await s.sampleQuilt(committee, { quiltId: blob.blobId, height: 4 });
  return { quilt, round: summarize(committee.epoch, N, s.samplesPerQuilt, [quilt]) };
}

describe('AvailabilitySampler', () => {
  it('finds every sliver of a healthy committee ok, each from the node holding its shard', async () => {
    const { quilt, round } = await sampleOnce(new FakeNodes());
    expect(quilt.quiltId).toBe(blobIdToText(blob.blobId));
    expect(quilt.height).toBe(4);
    expect(quilt.slivers).toHaveLength(2 * N);
    for (const s of quilt.slivers) {
      expect(s.outcome).toBe('ok');
      expect(s.shard).toBe(shardForPair(s.pair, blob.blobId, N));
      expect(s.node).toBe(nodeOf(s.shard));
    }
    expect(quilt.metadata).toEqual([{ node: expect.stringMatching(/^node-\d$/) as unknown, outcome: 'ok' }]);
    expect(round.ok).toBe(true);
    expect(round.nodes.map((n) => n.missing + n.corrupt)).toEqual([0, 0, 0, 0]);
    // node 0 holds 3 of 10 shards: 6 of the 20 slivers.
    expect(round.nodes.find((n) => n.node === 'node-0')?.ok).toBeGreaterThanOrEqual(6);
  });

  it('names the corrupt node, and only it', async () => {
    const source = new FakeNodes();
    source.faults.set('node-2', 'corrupt');
    const { quilt, round } = await sampleOnce(source);
    for (const s of quilt.slivers) {
      expect(s.outcome).toBe(s.node === 'node-2' ? 'corrupt' : 'ok');
      if (s.outcome === 'corrupt') expect(s.reason).toMatch(/does not hash/);
    }
    expect(round.ok).toBe(false);
    expect(round.nodes.filter((n) => n.corrupt > 0).map((n) => n.node)).toEqual(['node-2']);
    expect(round.nodes.find((n) => n.node === 'node-2')?.corrupt).toBe(4);
  });

  it('counts a node that does not answer as missing', async () => {
    const source = new FakeNodes();
    source.faults.set('node-1', 'missing');
    const { quilt, round } = await sampleOnce(source);
    for (const s of quilt.slivers) expect(s.outcome).toBe(s.node === 'node-1' ? 'missing' : 'ok');
    expect(round.nodes.filter((n) => n.missing > 0).map((n) => n.node)).toEqual(['node-1']);
    expect(round.nodes.find((n) => n.node === 'node-1')?.corrupt).toBe(0);
    // The quilt was still judged: metadata came from a node that answered.
    expect(quilt.metadata.at(-1)?.outcome).toBe('ok');
  });

  it('calls a sliver of the wrong shape corrupt before hashing it', async () => {
    const source = new FakeNodes();
    source.faults.set('node-3', 'wrong-index');
    const { quilt } = await sampleOnce(source);
    const bad = quilt.slivers.filter((s) => s.node === 'node-3');
    expect(bad.length).toBe(4);
    for (const s of bad) {
      expect(s.outcome).toBe('corrupt');
      expect(s.reason).toMatch(/must have index/);
    }
  });

  it('counts metadata that does not hash to the blob id against its node, and gets it elsewhere', async () => {
    const source = new FakeNodes();
    for (const node of ['node-0', 'node-1', 'node-2']) source.faults.set(node, 'bad-metadata');
    // The order nodes are asked in is random: sample until a liar was asked first (p = 3/4 each).
    let attempt = await sampleOnce(source);
    for (let i = 0; i < 20 && attempt.quilt.metadata.length < 2; i++) attempt = await sampleOnce(source);
    const { quilt, round } = attempt;
    // node-3 is the only honest one: every metadata request before it is corrupt.
    expect(quilt.metadata.length).toBeGreaterThanOrEqual(2);
    expect(quilt.metadata.at(-1)).toEqual({ node: 'node-3', outcome: 'ok' });
    for (const m of quilt.metadata.slice(0, -1)) {
      expect(m.node).not.toBe('node-3');
      expect(m.outcome).toBe('corrupt');
      expect(m.reason).toMatch(/hashes to blob id/);
    }
    expect(quilt.slivers.every((s) => s.outcome === 'ok')).toBe(true); // their slivers are fine
    expect(round.ok).toBe(false);
    expect(round.nodes.find((n) => n.node === 'node-3')?.corrupt).toBe(0);
  });

  it('judges no sliver when no node serves metadata that verifies', async () => {
    const source = new FakeNodes();
    for (const node of source.nodes) source.faults.set(node.name, 'bad-metadata');
    const { quilt, round } = await sampleOnce(source);
    expect(quilt.metadata).toHaveLength(4);
    expect(quilt.slivers.every((s) => s.outcome === 'unverified')).toBe(true);
    expect(round.ok).toBe(false);
    // Unverified slivers are not counted; the four bad metadata answers are.
    expect(round.nodes.map((n) => [n.ok, n.corrupt])).toEqual([[0, 1], [0, 1], [0, 1], [0, 1]]);
  });

  it('asks only the nodes that hold the k sampled shards for slivers', async () => {
    const source = new FakeNodes();
    const s = new AvailabilitySampler({ source, encoder: pool, samplesPerQuilt: 3 });
    const quilt = await s.sampleQuilt(await s.committee(), { quiltId: blob.blobId });
    expect(quilt.slivers).toHaveLength(3);
    expect(source.calls.filter((c) => c.startsWith('sliver'))).toHaveLength(3);
    expect(new Set(quilt.slivers.map((x) => `${x.pair}/${x.axis}`)).size).toBe(3);
    expect(quilt).not.toHaveProperty('height');
  });

  it('refuses a sample size below one', () => {
    expect(() => new AvailabilitySampler({ source: new FakeNodes(), encoder: pool, samplesPerQuilt: 0 })).toThrow(RangeError);
  });
});
