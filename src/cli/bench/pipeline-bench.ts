// `walrus-da bench pipeline` (`npm run bench`): drives a full server like op-batcher does — N
// concurrent clients POSTing 0x00-prefixed frames to /put for a while, then GETting them back —
// against an embedded walrus-local, once with batching and once with one frame per Walrus blob
// (the baseline, measured in the same run). Prints JSON.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteRedisPrefix } from '../../batching/batch-state.ts';
import { decodeFramed, frameKey } from '../../commitment/index.ts';
import { bytesToHex } from '../../bytes/index.ts';
import { loadServeConfig } from '../../config/serve-config.ts';
import { silentLogger } from '../../observability/logger.ts';
import { createMetrics } from '../../observability/metrics.ts';
import { startApp } from '../app.ts';
import { distinctBlob, machineInfo, percentiles, round } from './bench-support.ts';

export interface PipelineBenchOptions {
  readonly shards: number;
  readonly concurrency: number;
  readonly frameBytes: number;
  readonly durationS: number;
  readonly batchMaxWaitMs: number;
  readonly redisUrl: string;
  /** Frames read back per read mode. */
  readonly getSamples: number;
}

interface Scenario {
  readonly label: string;
  readonly batchMaxFrames: number;
}

export async function runPipelineBench(options: PipelineBenchOptions): Promise<unknown> {
  const batched = await runScenario(options, { label: 'batched', batchMaxFrames: 600 });
  const baseline = await runScenario(options, { label: 'one frame per blob (baseline)', batchMaxFrames: 1 });
  const ratio = (a: number, b: number) => (b === 0 ? null : round(a / b, 2));
  return {
    bench: 'pipeline',
    shards: options.shards,
    concurrency: options.concurrency,
    frameBytes: options.frameBytes,
    durationS: options.durationS,
    batchMaxWaitMs: options.batchMaxWaitMs,
    ...machineInfo(),
    batched,
    baseline,
    ratio: {
      throughput: ratio(batched.throughput.megabytesPerSecond, baseline.throughput.megabytesPerSecond),
      encodedBytesPerPayloadByte: ratio(baseline.encodedBytesPerPayloadByte, batched.encodedBytesPerPayloadByte),
      suiTransactionsPerMegabyte: ratio(baseline.suiTransactionsPerMegabyte, batched.suiTransactionsPerMegabyte),
      note: 'throughput: batched ÷ baseline; storage and Sui transactions: baseline ÷ batched (how many times cheaper batching is)',
    },
  };
}

async function runScenario(options: PipelineBenchOptions, scenario: Scenario) {
  const dir = await mkdtemp(join(tmpdir(), 'wda-bench-'));
  const prefix = `wda-bench-${randomUUID().slice(0, 8)}`;
  const metrics = createMetrics({ defaultMetrics: false });
  const config = loadServeConfig({
    flags: {
      dataDir: dir,
      redisUrl: options.redisUrl,
      redisPrefix: prefix,
      httpPort: 0,
      grpc: false,
      orbit: false,
      walrusLocalShards: options.shards,
      walrusLocalPort: 0,
      batchMaxFrames: scenario.batchMaxFrames,
      batchMaxWaitMs: options.batchMaxWaitMs,
      putTimeoutMs: 600_000,
    },
  });
  const app = await startApp(config, { logger: silentLogger(), metrics });
  const base = app.listeners[0]?.url ?? '';
  try {
    const puts: { latencyMs: number; commitment: Uint8Array; key: string }[] = [];
    let failures = 0;
    const started = performance.now();
    const deadline = started + options.durationS * 1000;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < deadline) {
          const frame = distinctBlob(options.frameBytes, 0);
          frame[0] = 0x00; // DerivationVersion0, as op-batcher sends
          const t0 = performance.now();
          const response = await fetch(`${base}/put`, { method: 'POST', body: frame, headers: { 'content-type': 'application/octet-stream' } });
          const body = new Uint8Array(await response.arrayBuffer());
          if (response.status === 200) puts.push({ latencyMs: performance.now() - t0, commitment: body, key: frameKey(frame) });
          else failures++;
        }
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    const payload = puts.length * options.frameBytes;
    const quilts = new Set(puts.map((p) => bytesToHex(decodeFramed(p.commitment, 'opstack', { daByte: config.daByte }).quiltId)));

    const sample = puts.slice(0, options.getSamples);
    const cacheGets = await timeGets(base, sample.map((p) => p.commitment));
    // Reads that miss the cache go to the aggregator.
    await app.composed.batching.state.evictFrames(sample.map((p) => p.key));
    const aggregatorGets = await timeGets(base, sample.map((p) => p.commitment));

    const text = await metrics.registry.metrics();
    const encoded = metricValue(text, 'walrus_da_quilt_bytes_total{kind="encoded"}');
    return {
      scenario: scenario.label,
      frames: puts.length,
      failedPuts: failures,
      quilts: quilts.size,
      framesPerQuilt: round(puts.length / Math.max(1, quilts.size), 1),
      throughput: { megabytesPerSecond: round(payload / 1e6 / elapsedS, 3), framesPerSecond: round(puts.length / elapsedS, 2), elapsedS: round(elapsedS, 1) },
      putLatencyMs: percentiles(puts.map((p) => p.latencyMs)),
      getLatencyMs: { cache: cacheGets, aggregator: aggregatorGets },
      encodedBytesPerPayloadByte: round(encoded / Math.max(1, payload), 2),
      // Each Walrus blob costs two Sui transactions: register (with its storage) and certify.
      suiTransactionsPerMegabyte: round((2 * quilts.size) / Math.max(1e-9, payload / 1e6), 3),
    };
  } finally {
    await app.close();
    await deleteRedisPrefix(options.redisUrl, prefix);
    await rm(dir, { recursive: true, force: true });
  }
}

async function timeGets(base: string, commitments: readonly Uint8Array[]) {
  const latencies: number[] = [];
  for (const commitment of commitments) {
    const t0 = performance.now();
    const response = await fetch(`${base}/get/${bytesToHex(commitment)}`);
    await response.arrayBuffer();
    if (response.status === 200) latencies.push(performance.now() - t0);
  }
  return { samples: latencies.length, ...percentiles(latencies) };
}

function metricValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
