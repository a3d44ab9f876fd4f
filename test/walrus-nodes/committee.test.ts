// Committee discovery through @mysten/walrus + Sui against walrus-local, and the node client's
// health check: the committee a reader finds is the one walrus-local runs.
import { SuiJsonRpcClient } from '@mysten/sui/jsonRpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobIdFromText } from '../../src/walrus/codec/index.ts';
import { CommitteeSource } from '../../src/walrus/nodes/committee.ts';
import { NodeClient, NodeRequestError } from '../../src/walrus/nodes/node-client.ts';
import { startTestWalrusLocal, walrusSdkClient, type WalrusLocalHarness } from '../support/walrus-local.ts';

let harness: WalrusLocalHarness;

beforeAll(async () => {
  harness = await startTestWalrusLocal({ shards: 10, nodes: 4 });
});
afterAll(async () => {
  await harness.close();
});

function source(): CommitteeSource {
  const local = harness.local;
  return new CommitteeSource({ walrus: walrusSdkClient(local), sui: new SuiJsonRpcClient({ url: local.suiRpcUrl, network: 'localnet' }), urlScheme: 'http' });
}

describe('CommitteeSource', () => {
  it('finds every node, its URL and its shards as walrus-local runs them', async () => {
    const committee = await source().current();
    const local = harness.local;
    expect(committee.nShards).toBe(local.nShards);
    expect(committee.epoch).toBe(local.currentEpoch());
    expect(committee.nodes.map((n) => n.url)).toEqual(local.committee.map((m) => m.url));
    const expectedShards = local.committee.map((m) => m.shards.flatMap(([start, end]) => Array.from({ length: end - start }, (_, i) => start + i)));
    expect(committee.nodes.map((n) => [...n.shards].sort((a, b) => a - b))).toEqual(expectedShards);
    for (let shard = 0; shard < committee.nShards; shard++) {
      expect(committee.ownerOfShard(shard)?.shards).toContain(shard);
    }
    expect(committee.ownerOfShard(committee.nShards)).toBeUndefined();
    const blobId = blobIdFromText('M4hsZGQ1oCktdzegB6HnI6Mi28S2nqOPHxK-W7_4BUk');
    const pairs = committee.nodes.flatMap((node) => committee.pairsOf(blobId, node));
    expect(pairs.sort((a, b) => a - b)).toEqual(Array.from({ length: committee.nShards }, (_, i) => i));
    for (const node of committee.nodes) {
      for (const pair of committee.pairsOf(blobId, node)) expect(committee.ownerOfPair(blobId, pair)).toBe(node);
    }
  });

  it('reports a stopped node unhealthy and the others healthy', async () => {
    const committee = await source().current();
    await harness.local.stopNode(2);
    try {
      const clients = committee.nodes.map((node) => new NodeClient(node.index, node.url, { concurrency: 4, timeoutMs: 2000 }));
      const results = await Promise.allSettled(clients.map((client) => client.getHealth()));
      clients.forEach((client) => client.close());
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect(results[0]?.status === 'fulfilled' && results[0].value.epoch).toBe(harness.local.currentEpoch());
      const failure = results[2];
      expect(failure?.status === 'rejected' && failure.reason instanceof NodeRequestError && failure.reason.retryable).toBe(true);
    } finally {
      await harness.local.startNode(2);
    }
  });
});
