// `walrus-da bench node-read`: authenticated reads of a quilt patch straight from the storage nodes
// (StorageNodePatchSource: one secondary sliver plus one proven recovery symbol per column, ~2p
// hashes each) on an embedded walrus-local, against baselines measured in the same run on the
// same quilt:
//   aggregatorMs        GET by quilt patch id from walrus-local's aggregator, run without its
//                       verified-blob cache (p primary slivers + one encode to check the blob id)
//   craftedVerifyMs     the patch's secondary slivers checked with crafted encodes
//                       (codec/sliver-verify.ts), the per-read cost without recovery symbols
//   nodeExpansionMs     walrus-local's own cost: its nodes expanding their columns for the
//                       recoverySymbols route (one wasm encode per node and quilt; real nodes do
//                       this natively) and building the Merkle trees of the columns read, paid by
//                       the first reads of a quilt (here: both patches, by a throwaway reader)
// and the figures under test:
//   nodesColdMs         a new reader (no committee, metadata or columns cached), nodes warm
//   nodesWarmMs         another 120 KB patch of the same quilt, same reader (committee and
//                       verified metadata cached, columns not)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SuiJsonRpcClient } from '@mysten/sui/jsonRpc';
import { quiltPatchIdToText, type QuiltPatchId } from '../../commitment/index.ts';
import { silentLogger } from '../../observability/logger.ts';
import { EncoderPool, blobIdFromText, buildFrameQuilt, checkSliverShape, encodingConfig, merkleRoot, verifySecondarySlivers, type FrameQuilt } from '../../walrus/codec/index.ts';
import { CommitteeSource } from '../../walrus/nodes/committee.ts';
import { NodeClient } from '../../walrus/nodes/node-client.ts';
import { StorageNodePatchSource } from '../../walrus/nodes/node-patch-source.ts';
import { startWalrusLocal, type WalrusLocal } from '../../walrus-local/index.ts';
import { distinctBlob, machineInfo, median, round } from './bench-support.ts';

export interface NodeReadBenchOptions {
  readonly shards: number;
  readonly nodes: number;
  readonly frameBytes: number;
  readonly runs: number;
  readonly threads: number;
}

interface Run {
  readonly columns: number;
  readonly aggregatorMs: number;
  readonly craftedVerifyMs: number;
  readonly nodeExpansionMs: number;
  readonly nodesColdMs: number;
  readonly nodesWarmMs: number;
}

export async function runNodeReadBench(options: NodeReadBenchOptions): Promise<unknown> {
  const dataDir = await mkdtemp(join(tmpdir(), 'node-read-bench-'));
  const encoder = new EncoderPool({ threads: options.threads });
  // No aggregator cache: every aggregator read is a verified read from the nodes, as on a cold aggregator.
  const local = await startWalrusLocal({ dataDir, shards: options.shards, nodes: options.nodes, port: 0, encoder, aggregatorCacheBytes: 0 });
  const sui = new SuiJsonRpcClient({ url: local.suiRpcUrl, network: 'localnet' });
  const newSource = () =>
    new StorageNodePatchSource({
      committee: CommitteeSource.fromSui({ sui, systemObjectId: local.systemObjectId, stakingObjectId: local.stakingObjectId, urlScheme: 'http' }),
      encoder,
      logger: silentLogger(),
      requestTimeoutMs: 120_000, // the first read of a quilt waits for walrus-local's node-side expansion
    });
  try {
    const runs: Run[] = [];
    for (let run = 0; run < options.runs; run++) {
      const frames = [distinctBlob(options.frameBytes, 2 * run + 1), distinctBlob(options.frameBytes, 2 * run + 2)];
      const built = buildFrameQuilt(frames, options.shards);
      const quiltId = await store(local.publisherUrl, built.quilt);
      const [first, second] = [0, 1].map((i) => patchId(built, quiltId, i)) as [QuiltPatchId, QuiltPatchId];

      // Baseline 1: the aggregator (no cache).
      let started = performance.now();
      expectFrame(await aggregatorRead(local, first), frames[0]);
      const aggregatorMs = performance.now() - started;

      // Baseline 2: the same columns checked with crafted encodes.
      const columns = await fetchSecondarySlivers(local, quiltId, first, built.quilt.length, options.shards);
      const metadata = (await encoder.encode(built.quilt, options.shards)).metadata; // not timed: readers get it verified from nodes
      started = performance.now();
      const { secondarySymbols: s } = encodingConfig(options.shards);
      for (let i = 0; i < columns.length; i += s) {
        const verdicts = await verifySecondarySlivers(encoder, metadata, options.shards, columns.slice(i, i + s));
        if (verdicts.some((ok) => !ok)) throw new Error('crafted-encode verification refused a genuine sliver');
      }
      const craftedVerifyMs = performance.now() - started;

      // walrus-local's node-side cost: the first read of the quilt makes every node expand its columns.
      started = performance.now();
      const warmer = newSource();
      for (const [i, id] of [first, second].entries()) {
        const warm = await warmer.readPatch(id); // also fills the nodes' proof caches for both patches
        expectFrame(warm.kind === 'patch' ? warm.data : new Uint8Array(), frames[i]);
      }
      const nodeExpansionMs = performance.now() - started;
      warmer.close();

      // Under test: a fresh reader (cold), then another patch of the same quilt (warm per quilt).
      const source = newSource();
      started = performance.now();
      expectPatch(await source.readPatch(first), frames[0]);
      const nodesColdMs = performance.now() - started;
      started = performance.now();
      expectPatch(await source.readPatch(second), frames[1]);
      const nodesWarmMs = performance.now() - started;
      source.close();

      runs.push({
        columns: first.endColumn - first.startColumn,
        aggregatorMs: round(aggregatorMs),
        craftedVerifyMs: round(craftedVerifyMs),
        nodeExpansionMs: round(nodeExpansionMs),
        nodesColdMs: round(nodesColdMs, 1),
        nodesWarmMs: round(nodesWarmMs, 1),
      });
    }
    const med = (key: keyof Run) => round(median(runs.map((r) => r[key])), 1);
    const { primarySymbols: p } = encodingConfig(options.shards);
    const columns = runs[0]?.columns ?? 0;
    return {
      bench: 'node-read',
      shards: options.shards,
      nodes: options.nodes,
      frameBytes: options.frameBytes,
      encoderThreads: options.threads,
      ...machineInfo(),
      baseline:
        'aggregatorMs: the same patch from walrus-local\'s aggregator without its verified-blob cache; craftedVerifyMs: the patch\'s secondary slivers checked by crafted encodes; nodeExpansionMs: walrus-local nodes expanding their columns for recoverySymbols (first reads of the quilt, including two node reads)',
      // The reader's CPU is dominated by ~2p BLAKE2b calls per column; this run's cost of one call
      // (measured right after the reads) shows how loaded the machine was.
      hashesPerRead: columns * (2 * p - 1),
      blake2bMicrosPerCall: hashMicros(),
      median: {
        aggregatorMs: med('aggregatorMs'),
        craftedVerifyMs: med('craftedVerifyMs'),
        nodeExpansionMs: med('nodeExpansionMs'),
        nodesColdMs: med('nodesColdMs'),
        nodesWarmMs: med('nodesWarmMs'),
      },
      runs,
    };
  } finally {
    await local.close();
    await encoder.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** µs per BLAKE2b call of the Merkle code the reader runs: 1024 two-byte leaves → 2047 hashes. */
function hashMicros(): number {
  const leaves = Array.from({ length: 1024 }, (_, i) => Uint8Array.of(i & 0xff, i >> 8));
  const rounds = 20;
  const started = performance.now();
  for (let i = 0; i < rounds; i++) merkleRoot(leaves);
  return round(((performance.now() - started) * 1000) / (rounds * 2047), 2);
}

function patchId(built: FrameQuilt, quiltId: Uint8Array, i: number): QuiltPatchId {
  const location = built.framePatches[i];
  if (!location) throw new Error(`no patch for frame ${i}`);
  return { quiltId, startColumn: location.startColumn, endColumn: location.endColumn };
}

async function store(publisherUrl: string, blob: Uint8Array): Promise<Uint8Array> {
  const response = await fetch(`${publisherUrl}/v1/blobs?epochs=1&permanent=true`, { method: 'PUT', body: blob });
  const body = (await response.json()) as { newlyCreated?: { blobObject: { blobId: string } } };
  if (response.status !== 200 || !body.newlyCreated) throw new Error(`store answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return blobIdFromText(body.newlyCreated.blobObject.blobId);
}

async function aggregatorRead(local: WalrusLocal, id: QuiltPatchId): Promise<Uint8Array> {
  const response = await fetch(`${local.aggregatorUrl}/v1/blobs/by-quilt-patch-id/${quiltPatchIdToText(id)}`);
  if (response.status !== 200) throw new Error(`aggregator answered ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function fetchSecondarySlivers(local: WalrusLocal, quiltId: Uint8Array, id: QuiltPatchId, length: number, n: number): Promise<{ column: number; data: Uint8Array }[]> {
  const committee = await CommitteeSource.fromSui({
    sui: new SuiJsonRpcClient({ url: local.suiRpcUrl, network: 'localnet' }),
    systemObjectId: local.systemObjectId,
    stakingObjectId: local.stakingObjectId,
    urlScheme: 'http',
  }).current();
  const clients = committee.nodes.map((node) => new NodeClient(node.index, node.url, { concurrency: 32, timeoutMs: 10_000 }));
  try {
    const out = [];
    for (let column = id.startColumn; column < id.endColumn; column++) {
      const pair = n - 1 - column;
      const owner = committee.ownerOfPair(quiltId, pair);
      const client = owner ? clients[owner.index] : undefined;
      if (!client) throw new Error(`no owner for pair ${pair}`);
      const bcs = await client.getSliver(quiltId, pair, 'secondary');
      out.push({ column, data: checkSliverShape(bcs, { axis: 'secondary', pair, nShards: n, unencodedLength: length }).data });
    }
    return out;
  } finally {
    for (const client of clients) client.close();
  }
}

function expectFrame(bytes: Uint8Array, frame: Uint8Array | undefined): void {
  if (!frame || !Buffer.from(bytes).equals(Buffer.from(frame))) throw new Error('read returned different bytes');
}

function expectPatch(read: Awaited<ReturnType<StorageNodePatchSource['readPatch']>>, frame: Uint8Array | undefined): void {
  if (read.kind !== 'patch') throw new Error(`node read gave no patch: ${read.reason}`);
  if (read.source !== 'nodes') throw new Error(`node read needed the fallback (${read.source})`);
  expectFrame(read.data, frame);
}
