// Availability sampling end to end: quilts stored through the real pipeline (Redis, walrus-local
// with 4 nodes), then sampled from the storage nodes through the production wiring. A corrupt
// node and a stopped node must each be named, in the metric and in a warning, and nobody else.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeFramed } from '../../src/commitment/index.ts';
import { openNodeSampler, startBackgroundSampling, type BackgroundSampling } from '../../src/cli/sampling.ts';
import { createMetrics, type Metrics } from '../../src/observability/metrics.ts';
import type { RoundReport } from '../../src/sampling/index.ts';
import { blobIdToText } from '../../src/walrus/codec/index.ts';
import { batcherFrame } from '../support/opstack-client.ts';
import { runCli } from '../support/cli.ts';
import { startStack, type Stack } from '../support/stack.ts';

const SHARDS = 10;
let stack: Stack;
let sampling: BackgroundSampling;
let metrics: Metrics;
const warnings: Record<string, unknown>[] = [];
const quiltIds = new Set<string>();
let commitmentHex: string;

beforeAll(async () => {
  // serve's own sampler runs on its timer (first test); the other tests run rounds of their own
  // sampler, with their own metrics and logger, so serve's rounds cannot disturb what they count.
  stack = await startStack({ shards: SHARDS, maxWaitMs: 10, settings: { sampleIntervalMs: 300, samplesPerQuilt: 2 * SHARDS, sampleQuiltsPerRound: 3 } });
  for (let i = 0; i < 3; i++) {
    // One at a time, so each frame is a quilt of its own.
    const { commitment } = await stack.service.put(batcherFrame(5_000 + i * 1_000));
    quiltIds.add(blobIdToText(commitment.body.quiltId));
    if (i === 0) commitmentHex = `0x${Buffer.from(encodeFramed(commitment.body)).toString('hex')}`;
  }
  metrics = createMetrics({ defaultMetrics: false });
  const logger = pino(
    { level: 'warn' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        warnings.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    }),
  );
  sampling = startBackgroundSampling({
    // k = 2n: every sliver of every quilt, so every node is asked in every round.
    node: openNodeSampler({ committee: stack.composed.committee, encoder: stack.composed.encoder, samplesPerQuilt: 2 * SHARDS }),
    state: stack.composed.batching.state,
    intervalMs: 3_600_000,
    quiltsPerRound: 3,
    logger,
    metrics,
  });
});

afterAll(async () => {
  await sampling?.close();
  await stack?.close();
});

afterEach(async () => {
  warnings.length = 0;
  metrics.samples.reset();
  for (const member of stack.walrusLocal.committee) {
    stack.walrusLocal.setNodeFault(member.index, {});
    await stack.walrusLocal.startNode(member.index);
  }
});

const nodeName = (index: number) => new URL(stack.walrusLocal.committee[index]?.url ?? '').host;
const allNodes = () => stack.walrusLocal.committee.map((m) => nodeName(m.index));

async function sampleCounts(): Promise<Map<string, Record<string, number>>> {
  const counts = new Map<string, Record<string, number>>();
  for (const value of (await metrics.samples.get()).values) {
    const node = String(value.labels.node);
    counts.set(node, { ...counts.get(node), [String(value.labels.outcome)]: value.value });
  }
  return counts;
}

async function round(): Promise<RoundReport> {
  const report = await sampling.background.runRound();
  if (!report) throw new Error('no quilt was sampled');
  expect(report.quilts.map((q) => q.quiltId).sort()).toEqual([...quiltIds].sort());
  return report;
}

describe('availability sampling against walrus-local', () => {
  it("serve's background sampler samples on its timer, from every node", async () => {
    expect(stack.composed.sampling?.background).toBeDefined();
    const nodesSampled = async () => {
      const values = (await stack.metrics.samples.get()).values;
      return { nodes: new Set(values.map((v) => String(v.labels.node))), outcomes: new Set(values.map((v) => String(v.labels.outcome))) };
    };
    const deadline = Date.now() + 30_000;
    while ((await nodesSampled()).nodes.size < allNodes().length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const seen = await nodesSampled();
    expect([...seen.nodes].sort()).toEqual(allNodes().sort());
    expect([...seen.outcomes]).toEqual(['ok']);
  });

  it('finds every sample ok on a healthy committee', async () => {
    const report = await round();
    expect(report.ok).toBe(true);
    expect(report.nodes.map((n) => n.node).sort()).toEqual(allNodes().sort());
    for (const n of report.nodes) expect([n.missing, n.corrupt]).toEqual([0, 0]);
    const counts = await sampleCounts();
    expect([...counts.keys()].sort()).toEqual(allNodes().sort());
    for (const outcomes of counts.values()) expect(Object.keys(outcomes)).toEqual(['ok']);
    expect(warnings).toEqual([]);
  });

  it('names the node serving corrupt slivers, and only it', async () => {
    stack.walrusLocal.setNodeFault(1, { corruptSlivers: true });
    const report = await round();
    expect(report.ok).toBe(false);
    expect(report.nodes.filter((n) => n.corrupt > 0).map((n) => n.node)).toEqual([nodeName(1)]);
    expect(report.nodes.filter((n) => n.missing > 0)).toEqual([]);
    const counts = await sampleCounts();
    // Node 1 holds 3 of the 10 shards: 6 of each quilt's 20 slivers, all corrupt.
    expect(counts.get(nodeName(1))?.corrupt).toBe(3 * 6);
    for (const node of allNodes().filter((n) => n !== nodeName(1))) expect(counts.get(node)?.corrupt).toBeUndefined();
    const named = warnings.filter((w) => w.node === nodeName(1));
    expect(new Set(named.map((w) => w.quilt))).toEqual(quiltIds);
    for (const w of named) {
      expect(w.corrupt).toBe(6);
      expect(w.msg).toContain(`failed on node ${nodeName(1)}`);
      expect(w.msg).toContain(String(w.quilt));
    }
    expect(warnings.every((w) => w.node === nodeName(1))).toBe(true);
  });

  it('counts a stopped node as missing, and only it', async () => {
    await stack.walrusLocal.stopNode(2);
    const report = await round();
    expect(report.ok).toBe(false);
    expect(report.nodes.filter((n) => n.missing > 0).map((n) => n.node)).toEqual([nodeName(2)]);
    expect(report.nodes.filter((n) => n.corrupt > 0)).toEqual([]);
    const counts = await sampleCounts();
    // Node 2 holds 2 shards: at least 4 missing slivers per quilt (plus any metadata asked of it).
    expect(counts.get(nodeName(2))?.missing).toBeGreaterThanOrEqual(3 * 4);
    expect(counts.get(nodeName(2))?.ok).toBeUndefined();
    for (const node of allNodes().filter((n) => n !== nodeName(2))) expect(counts.get(node)?.missing).toBeUndefined();
    expect(new Set(warnings.map((w) => w.node))).toEqual(new Set([nodeName(2)]));
    expect(new Set(warnings.map((w) => w.quilt))).toEqual(quiltIds);
  });
});

describe('walrus-da sample', () => {
  const endpointArgs = () => {
    const w = stack.walrusLocal;
    return ['--sui-rpc-url', w.suiRpcUrl, '--network', 'custom', '--walrus-system-object', w.systemObjectId, '--walrus-staking-object', w.stakingObjectId, '--node-url-scheme', 'http'];
  };

  it('samples recent quilts from Redis and prints node outcomes and the confidence as JSON', async () => {
    const result = await runCli(['sample', ...endpointArgs(), '--redis-url', stack.redisUrl, '--redis-prefix', stack.redisPrefix, '--samples-per-quilt', '8', '--sample-quilts-per-round', '2', '--rounds', '3']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as RoundReport & { rounds: number };
    expect(report.ok).toBe(true);
    expect(report.rounds).toBe(3);
    expect(report.nShards).toBe(SHARDS);
    expect(report.quilts).toHaveLength(2 * 3);
    for (const quilt of report.quilts) {
      expect(quiltIds).toContain(quilt.quiltId);
      expect(quilt.slivers).toHaveLength(8);
    }
    expect(report.nodes.every((n) => n.missing === 0 && n.corrupt === 0)).toBe(true);
    // 20 slivers, 7 withheld, 8 distinct samples: C(13,8)/C(20,8) = 1287/125970.
    expect(report.confidence).toMatchObject({ slivers: 20, withheld: 7, samplesPerRound: 8, rounds: 3 });
    expect(report.confidence.missProbabilityPerRound).toBeCloseTo(1287 / 125_970, 12);
    expect(report.confidence.missProbabilityCumulative).toBeCloseTo((1287 / 125_970) ** 3, 15);
    expect(report.confidence.missProbabilityPerRoundWithReplacement).toBeCloseTo(0.65 ** 8, 12);
  });

  it('samples a commitment given on the command line, names a corrupt node and exits 1', async () => {
    stack.walrusLocal.setNodeFault(3, { corruptSlivers: true });
    const result = await runCli(['sample', commitmentHex, ...endpointArgs(), '--samples-per-quilt', '20']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as RoundReport;
    expect(report.ok).toBe(false);
    expect(report.quilts).toHaveLength(1);
    expect(report.nodes.filter((n) => n.corrupt > 0).map((n) => n.node)).toEqual([nodeName(3)]);
    expect(result.stderr).toContain(`failed on node ${nodeName(3)}`);
    expect(result.stderr).toContain(report.quilts[0]?.quiltId ?? 'no quilt');
  });

  it('refuses a target that is neither a quilt id nor a commitment', async () => {
    const result = await runCli(['sample', 'not-a-quilt', ...endpointArgs()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/walrus-da: /);
  });
});
