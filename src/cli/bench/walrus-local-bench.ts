// `walrus-da bench walrus-local`: store and read latency through walrus-local's HTTP APIs
// (PUT /v1/blobs until the answer; GET /v1/blobs/{id} until the last byte), with a baseline
// measured in the same run on the same blob: one bare `EncoderPool.encode`. A store costs one
// encode plus ~2n sliver PUTs, n confirmations and a certificate; a verified read costs one
// crafted encode plus p sliver GETs. The difference to the baseline is what HTTP and disk add.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EncoderPool, encodingConfig, sliverBcsLength, sliverLengths } from '../../walrus/codec/index.ts';
import { startWalrusLocal } from '../../walrus-local/index.ts';
import { distinctBlob, machineInfo, median, round } from './bench-support.ts';

export interface WalrusLocalBenchOptions {
  readonly shards: number;
  readonly nodes: number;
  readonly sizesMiB: readonly number[];
  readonly runs: number;
  readonly threads: number;
}

interface Run {
  readonly encodeMs: number;
  readonly storeMs: number;
  readonly readMs: number;
}

const MiB = 1024 * 1024;

export async function runWalrusLocalBench(options: WalrusLocalBenchOptions): Promise<unknown> {
  const dataDir = await mkdtemp(join(tmpdir(), 'walrus-local-bench-'));
  const encoder = new EncoderPool({ threads: options.threads });
  const largest = Math.max(...options.sizesMiB) * MiB;
  const local = await startWalrusLocal({ dataDir, shards: options.shards, nodes: options.nodes, port: 0, encoder, maxBlobBodyBytes: largest + MiB });
  try {
    await store(local.publisherUrl, distinctBlob(1024, 0)); // warm up workers, sockets and the JIT
    const results = [];
    let seed = 1;
    for (const sizeMiB of options.sizesMiB) {
      const size = Math.round(sizeMiB * MiB);
      const runs: Run[] = [];
      for (let i = 0; i < options.runs; i++) {
        const blob = distinctBlob(size, seed++);
        let started = performance.now();
        await encoder.encode(blob, options.shards);
        const encodeMs = performance.now() - started;
        started = performance.now();
        const blobId = await store(local.publisherUrl, blob);
        const storeMs = performance.now() - started;
        started = performance.now();
        const read = new Uint8Array(await (await fetch(`${local.aggregatorUrl}/v1/blobs/${blobId}`)).arrayBuffer());
        const readMs = performance.now() - started;
        if (!Buffer.from(read).equals(Buffer.from(blob))) throw new Error(`read of ${blobId} returned different bytes`);
        runs.push({ encodeMs: round(encodeMs), storeMs: round(storeMs), readMs: round(readMs) });
      }
      const { primary, secondary } = sliverLengths(size, options.shards);
      results.push({
        sizeMiB,
        sliverUploadBytes: options.shards * (sliverBcsLength(primary) + sliverBcsLength(secondary)),
        requestsPerStore: 2 * options.shards + 2 * options.nodes,
        primarySliversPerRead: encodingConfig(options.shards).primarySymbols,
        median: { encodeMs: round(median(runs.map((r) => r.encodeMs))), storeMs: round(median(runs.map((r) => r.storeMs))), readMs: round(median(runs.map((r) => r.readMs))) },
        runs,
      });
    }
    return {
      bench: 'walrus-local',
      shards: options.shards,
      nodes: options.nodes,
      encoderThreads: options.threads,
      ...machineInfo(),
      baseline: 'encodeMs: EncoderPool.encode of the same blob in the same run (one full RS2 encode, the CPU floor of a store and about the cost of a verified read)',
      results,
    };
  } finally {
    await local.close();
    await encoder.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function store(publisherUrl: string, blob: Uint8Array): Promise<string> {
  const response = await fetch(`${publisherUrl}/v1/blobs?epochs=1&permanent=true`, { method: 'PUT', body: blob });
  const body = (await response.json()) as { newlyCreated?: { blobObject: { blobId: string } } };
  if (response.status !== 200 || !body.newlyCreated) throw new Error(`store answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return body.newlyCreated.blobObject.blobId;
}
