import { describe, expect, it } from 'vitest';
import { assessCapability, shardQuorums, type DependencyState } from './capability.ts';

const up = (name: string): DependencyState => ({ name, ok: true, detail: '' });
const down = (name: string): DependencyState => ({ name, ok: false, detail: 'refused' });
const all = ['redis', 'publisher', 'aggregator', 'sui'].map(up);
const nodes = (ups: readonly boolean[], shards: readonly number[]) => ({ nShards: shards.reduce((a, b) => a + b, 0), nodes: ups.map((u, i) => ({ node: `n${i}`, shards: shards[i] ?? 0, up: u })) });

describe('shardQuorums', () => {
  it("follows Walrus's f = ⌊(n − 1) / 3⌋: writes need n − f shards, reads f + 1", () => {
    expect(shardQuorums(1000)).toEqual({ writeQuorum: 667, validityQuorum: 334 });
    expect(shardQuorums(10)).toEqual({ writeQuorum: 7, validityQuorum: 4 });
    expect(shardQuorums(4)).toEqual({ writeQuorum: 3, validityQuorum: 2 });
    expect(shardQuorums(1)).toEqual({ writeQuorum: 1, validityQuorum: 1 });
  });
});

describe('assessCapability', () => {
  it('writes and reads with every dependency up and every node answering', () => {
    const report = assessCapability(all, nodes([true, true, true, true], [3, 3, 2, 2]));
    expect(report.writes.ok).toBe(true);
    expect(report.reads.ok).toBe(true);
    expect(report.shards).toEqual({ up: 10, total: 10, writeQuorum: 7, validityQuorum: 4 });
  });

  it('loses writes, not reads, when the nodes that answer hold less than a write quorum', () => {
    const report = assessCapability(all, nodes([false, false, true, true], [3, 3, 2, 2]));
    expect(report.writes).toEqual({ ok: false, detail: 'storage nodes holding 4 of 10 shards answer; a write needs 7' });
    expect(report.reads.ok).toBe(true);
    // Exactly a write quorum is enough.
    expect(assessCapability(all, nodes([false, true, true, true], [3, 3, 2, 2])).writes.ok).toBe(true);
  });

  it('loses writes with the publisher, Sui or Redis down, and reads with Redis down', () => {
    expect(assessCapability([up('redis'), down('publisher'), up('aggregator'), up('sui')], undefined).writes).toEqual({ ok: false, detail: 'publisher is down' });
    const sui = assessCapability([up('redis'), up('publisher'), up('aggregator'), down('sui')], undefined);
    expect(sui.writes.ok).toBe(false);
    expect(sui.reads.ok).toBe(true);
    const redis = assessCapability([down('redis'), up('publisher'), up('aggregator'), up('sui')], undefined);
    expect(redis.writes.ok).toBe(false);
    expect(redis.reads).toEqual({ ok: false, detail: 'redis is down' });
  });

  it('reads through any aggregator, else through a validity quorum of shards', () => {
    const aggregatorsDown = [up('redis'), up('publisher'), down('aggregator'), up('aggregator-2'), up('sui')];
    expect(assessCapability(aggregatorsDown, undefined).reads.ok).toBe(true);
    const noAggregator = [up('redis'), up('publisher'), down('aggregator'), up('sui')];
    expect(assessCapability(noAggregator, undefined).reads.ok).toBe(false);
    expect(assessCapability(noAggregator, nodes([true, true, false, false], [3, 3, 2, 2])).reads.ok).toBe(true);
    expect(assessCapability(noAggregator, nodes([false, false, false, true], [3, 3, 2, 2])).reads).toEqual({
      ok: false,
      detail: 'no aggregator answers and storage nodes hold 2 of 10 shards; a read needs 4',
    });
  });
});
