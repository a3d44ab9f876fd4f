// StorageNodePatchSource against a real walrus-local: patches read straight from the storage nodes
// (no aggregator: the daemon is stopped during reads), with a node stopped, with a node serving
// corrupt slivers, and the verdicts it may give only on verified bytes.
import { SuiJsonRpcClient } from '@mysten/sui/jsonRpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuiltPatchId } from '../../src/commitment/index.ts';
import { UnavailableError } from '../../src/core/errors.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { EncoderPool, blobIdFromText, buildFrameQuilt, encodingConfig, type FrameQuilt } from '../../src/walrus/codec/index.ts';
import { CommitteeSource, type StorageNodeInfo } from '../../src/walrus/nodes/committee.ts';
import { NODES_REBUILT_SOURCE, NODES_SOURCE, StorageNodePatchSource } from '../../src/walrus/nodes/node-patch-source.ts';
import { xorshift32Bytes } from '../support/xorshift.ts';
import { startTestWalrusLocal, storeNewBlob, walrusSdkClient, type WalrusLocalHarness } from '../support/walrus-local.ts';

const SHARDS = 10;
const encoder = new EncoderPool({ threads: 1 });
let harness: WalrusLocalHarness;
let built: FrameQuilt;
let quiltId: Uint8Array;
const frames = [xorshift32Bytes(1, 3_000), xorshift32Bytes(2, 40), xorshift32Bytes(3, 12_000), xorshift32Bytes(4, 700)];

beforeAll(async () => {
  harness = await startTestWalrusLocal({ shards: SHARDS, nodes: 4, encoder });
  built = buildFrameQuilt(frames, SHARDS);
  quiltId = blobIdFromText((await storeNewBlob(harness.local.publisherUrl, built.quilt)).blobId);
});
afterAll(async () => {
  await harness.close();
  await encoder.close();
});

function patchSource(failures: { node: StorageNodeInfo; reason: string }[] = []): StorageNodePatchSource {
  const local = harness.local;
  const committee = new CommitteeSource({ walrus: walrusSdkClient(local), sui: new SuiJsonRpcClient({ url: local.suiRpcUrl, network: 'localnet' }), urlScheme: 'http' });
  return new StorageNodePatchSource({ committee, encoder, logger: silentLogger(), requestTimeoutMs: 5_000, onNodeFailure: (node, reason) => failures.push({ node, reason }) });
}

function patchId(i: number): QuiltPatchId {
  const location = built.framePatches[i];
  if (!location) throw new Error(`no patch ${i}`);
  return { quiltId, startColumn: location.startColumn, endColumn: location.endColumn };
}

async function withoutAggregator<T>(run: () => Promise<T>): Promise<T> {
  await harness.local.stopDaemon();
  try {
    return await run();
  } finally {
    await harness.local.startDaemon();
  }
}

describe('StorageNodePatchSource', () => {
  it('returns every frame exactly, from the nodes alone, with each column verified on its own', async () => {
    const source = patchSource();
    await withoutAggregator(async () => {
      for (const [i, frame] of frames.entries()) {
        const read = await source.readPatch(patchId(i));
        expect(read).toMatchObject({ kind: 'patch', identifier: built.framePatches[i]?.identifier, source: NODES_SOURCE });
        expect(read.kind === 'patch' && read.data).toEqual(frame);
      }
      // Warm: the same reads again come from the verified columns.
      const again = await source.readPatch(patchId(2));
      expect(again.kind === 'patch' && again.data).toEqual(frames[2]);
    });
    source.close();
  });

  it('returns every frame exactly with one of four nodes stopped', async () => {
    const failures: { node: StorageNodeInfo; reason: string }[] = [];
    const source = patchSource(failures);
    await harness.local.stopNode(1);
    try {
      await withoutAggregator(async () => {
        for (const [i, frame] of frames.entries()) {
          const read = await source.readPatch(patchId(i));
          expect(read.kind === 'patch' && read.data).toEqual(frame);
        }
      });
    } finally {
      await harness.local.startNode(1);
      source.close();
    }
    expect(failures.length).toBeGreaterThan(0);
    expect(new Set(failures.map((f) => `${f.node.index}:${f.reason}`))).toEqual(new Set(['1:unreachable']));
  });

  it('returns every frame exactly while a node serves corrupt slivers and symbols, and names that node', async () => {
    const failures: { node: StorageNodeInfo; reason: string }[] = [];
    const source = patchSource(failures);
    harness.local.setNodeFault(3, { corruptSlivers: true });
    const sources = new Set<string>();
    try {
      await withoutAggregator(async () => {
        for (const [i, frame] of frames.entries()) {
          const read = await source.readPatch(patchId(i));
          expect(read.kind === 'patch' && read.data).toEqual(frame);
          sources.add(read.source);
        }
      });
    } finally {
      harness.local.setNodeFault(3, {});
      source.close();
    }
    expect(new Set(failures.map((f) => `${f.node.index}:${f.reason}`))).toEqual(new Set(['3:invalid']));
    expect(sources.has(NODES_REBUILT_SOURCE)).toBe(true);
  });

  it('gives no-patch for columns beyond the quilt and for columns that do not start a patch', async () => {
    const source = patchSource();
    const { secondarySymbols: columns } = encodingConfig(SHARDS);
    const beyond = await source.readPatch({ quiltId, startColumn: columns - 1, endColumn: columns + 1 });
    expect(beyond).toMatchObject({ kind: 'no-patch', source: NODES_SOURCE });
    expect(beyond.kind === 'no-patch' && beyond.reason).toContain('beyond');
    // The middle of the largest frame: its first byte is frame data, not a patch header.
    const large = patchId(2);
    expect(large.endColumn - large.startColumn).toBeGreaterThan(2);
    const middle = await source.readPatch({ quiltId, startColumn: large.startColumn + 1, endColumn: large.endColumn });
    expect(middle).toMatchObject({ kind: 'no-patch' });
    expect(middle.kind === 'no-patch' && middle.reason).toContain('no quilt patch starts');
    source.close();
  });

  it('gives no-patch for a blob that is not a quilt', async () => {
    const source = patchSource();
    const plain = blobIdFromText((await storeNewBlob(harness.local.publisherUrl, xorshift32Bytes(9, 1_001))).blobId);
    const read = await source.readPatch({ quiltId: plain, startColumn: 1, endColumn: 2 });
    expect(read).toMatchObject({ kind: 'no-patch' });
    expect(read.kind === 'no-patch' && read.reason).toContain('not a quilt');
    source.close();
  });

  it('throws UnavailableError, never a verdict, for a blob no node has metadata for', async () => {
    const source = patchSource();
    const unknown = { quiltId: new Uint8Array(32).fill(7), startColumn: 1, endColumn: 2 };
    await expect(source.readPatch(unknown)).rejects.toBeInstanceOf(UnavailableError);
    source.close();
  });
});
