// `walrus-da bench pipeline` (`npm run bench`): drives a full server the way batchers do — per
// chain, clients POSTing 0x00-prefixed frames to /put one request at a time — against an embedded
// walrus-local, for every scenario of ./pipeline-scenarios.ts in one invocation, then reads frames
// back. Prints JSON; each scenario's result also goes to stderr (and, with --out, is appended to a
// JSON-lines file) as soon as it is measured, so a run that dies later keeps what it finished. A
// failed request is counted in its scenario, and a scenario that fails as a whole is reported with
// its error: neither throws away the rest of the run.
import { randomUUID } from 'node:crypto';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteRedisPrefix } from '../../batching/batch-keys.ts';
import type { BatchStages, CommittedQuilt } from '../../batching/jobs.ts';
import { decodeFramed, frameKey } from '../../commitment/index.ts';
import { bytesToHex } from '../../bytes/index.ts';
import { loadServeConfig } from '../../config/serve-config.ts';
import { silentLogger } from '../../observability/logger.ts';
import { createMetrics } from '../../observability/metrics.ts';
import { startApp, type App } from '../app.ts';
import { closeHttp, distinctBlob, httpRequest, machineInfo, median, percentiles, round } from './bench-support.ts';
import { comparisons, scenarios, type Breakdown, type Scenario, type ScenarioSummary } from './pipeline-scenarios.ts';

export interface PipelineBenchOptions {
  readonly shards: number;
  /** Clients of the `concurrent` scenario. */
  readonly concurrency: number;
  readonly durationS: number;
  readonly batchMaxWaitMs: number;
  readonly redisUrl: string;
  /** Frames read back per read mode. */
  readonly getSamples: number;
  /** Scenario ids to run (default: all). */
  readonly only?: readonly string[];
  /** Deadline of one bench request; a request past it counts as failed. */
  readonly requestTimeoutMs: number;
  /** Appends each scenario's JSON, one line, as soon as it finishes. */
  readonly outFile?: string;
}

/** A scenario that could not be measured at all (the server did not start, …). */
interface FailedScenario {
  readonly id: string;
  readonly scenario: string;
  readonly error: string;
}

interface Put {
  readonly chain: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly commitment: Uint8Array;
  readonly key: string;
}

export async function runPipelineBench(options: PipelineBenchOptions): Promise<unknown> {
  const results = new Map<string, ScenarioSummary>();
  const failed: FailedScenario[] = [];
  try {
    for (const scenario of scenarios(options)) {
      if (options.only && !options.only.includes(scenario.id)) continue;
      let line: ScenarioSummary | FailedScenario;
      try {
        const summary = await runScenario(options, scenario);
        results.set(scenario.id, summary);
        line = summary;
      } catch (error) {
        line = { id: scenario.id, scenario: scenario.label, error: error instanceof Error ? error.message : String(error) };
        failed.push(line);
      }
      process.stderr.write(`${JSON.stringify(line)}\n`);
      if (options.outFile) await appendFile(options.outFile, `${JSON.stringify(line)}\n`);
    }
  } finally {
    closeHttp();
  }
  return {
    bench: 'pipeline',
    shards: options.shards,
    durationSPerScenario: options.durationS,
    batchMaxWaitMs: options.batchMaxWaitMs,
    requestTimeoutMs: options.requestTimeoutMs,
    ...machineInfo(),
    scenarios: [...results.values()],
    ...(failed.length > 0 ? { failedScenarios: failed } : {}),
    comparisons: comparisons(results),
  };
}

async function runScenario(options: PipelineBenchOptions, scenario: Scenario): Promise<ScenarioSummary> {
  const dir = await mkdtemp(join(tmpdir(), 'wda-bench-'));
  const prefix = `wda-bench-${randomUUID().slice(0, 8)}`;
  const chainNames = Array.from({ length: scenario.chains }, (_, i) => `chain-${i}`);
  const secret = (i: number) => `bench-secret-${i}`;
  let chainsFile: string | undefined;
  if (scenario.withChainsFile) {
    chainsFile = join(dir, 'chains.json');
    await writeFile(chainsFile, JSON.stringify({ chains: chainNames.map((name, i) => ({ name, secret: secret(i) })) }));
  }
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
      batchLingerMs: scenario.lingerMs,
      putTimeoutMs: 600_000, // the server's own deadline; --request-timeout-ms should exceed it
      maxFrameBytes: Math.max(16 * 1024 * 1024, scenario.frameBytes),
      ...(chainsFile ? { chainsFile } : {}),
    },
  });
  const app = await startApp(config, { logger: silentLogger(), metrics });
  const base = app.listeners[0]?.url ?? '';
  try {
    const puts: Put[] = [];
    const failures = new Map<string, number>();
    const fail = (reason: string) => failures.set(reason, (failures.get(reason) ?? 0) + 1);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const deadline = started + options.durationS * 1000;
    const clients = chainNames.flatMap((_, chain) => Array.from({ length: scenario.clientsPerChain }, () => chain));
    await Promise.all(
      clients.map(async (chain, client) => {
        // op-batcher-like clients: put, wait for the commitment, put the next frame.
        for (let n = 0; performance.now() < deadline; n++) {
          const frame = distinctBlob(scenario.frameBytes, client * 1_000_000 + n);
          frame[0] = 0x00; // DerivationVersion0, as op-batcher sends
          const url = scenario.withChainsFile ? `${base}/chains/${chainNames[chain]}/put` : `${base}/put`;
          const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
          if (scenario.withChainsFile) headers.authorization = `Basic ${Buffer.from(`${chainNames[chain]}:${secret(chain)}`).toString('base64')}`;
          const startMs = Date.now();
          try {
            const response = await httpRequest(url, { method: 'POST', body: frame, headers, timeoutMs: options.requestTimeoutMs });
            if (response.status === 200) puts.push({ chain, startMs, endMs: Date.now(), commitment: response.body, key: frameKey(frame) });
            else fail(`HTTP ${response.status}`);
          } catch (error) {
            // Counted, not fatal: one failed request must not discard the scenario.
            fail(error instanceof Error ? error.message : String(error));
          }
        }
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const payload = puts.length * scenario.frameBytes;
    // Each commitment decoded once: its quilt is what the counts and the breakdown group by.
    const quilts = new Map(puts.map((p) => [p, bytesToHex(decodeFramed(p.commitment, 'opstack', { daByte: config.daByte }).quiltId)]));
    const quiltOf = (p: Put) => quilts.get(p) ?? '';
    const framesPerQuilt = new Map<string, number>();
    for (const quilt of quilts.values()) framesPerQuilt.set(quilt, (framesPerQuilt.get(quilt) ?? 0) + 1);
    const sizes = [...framesPerQuilt.values()];

    const sample = puts.slice(0, options.getSamples);
    const cacheGets = await timeGets(base, sample.map((p) => p.commitment), options.requestTimeoutMs);
    // Reads that miss the Redis cache go to the aggregator.
    await app.composed.batching.state.evictFrames(sample.map((p) => p.key));
    const aggregatorGets = await timeGets(base, sample.map((p) => p.commitment), options.requestTimeoutMs);

    const text = await metrics.registry.metrics();
    const encoded = metricValue(text, 'walrus_da_quilt_bytes_total{kind="encoded"}');
    const breakdown = await loneFrameBreakdown(app, puts, quiltOf, framesPerQuilt);
    return {
      id: scenario.id,
      scenario: scenario.label,
      chains: scenario.chains,
      clients: clients.length,
      frameBytes: scenario.frameBytes,
      lingerMs: scenario.lingerMs,
      frames: puts.length,
      failedPuts: [...failures.values()].reduce((sum, n) => sum + n, 0),
      failedPutReasons: Object.fromEntries(failures),
      quilts: framesPerQuilt.size,
      framesPerQuilt: round(puts.length / Math.max(1, framesPerQuilt.size), 1),
      quiltSizes: { '1': sizes.filter((n) => n === 1).length, '2': sizes.filter((n) => n === 2).length, '3': sizes.filter((n) => n === 3).length, '4+': sizes.filter((n) => n >= 4).length },
      throughput: { megabytesPerSecond: round(payload / 1e6 / elapsedS, 3), framesPerSecond: round(puts.length / elapsedS, 2), elapsedS: round(elapsedS, 1) },
      coresUsed: round((cpu.user + cpu.system) / 1e6 / elapsedS, 2),
      putLatencyMs: percentiles(puts.map((p) => p.endMs - p.startMs)),
      getLatencyMs: { cache: cacheGets, aggregator: aggregatorGets },
      encodedBytesPerPayloadByte: round(encoded / Math.max(1, payload), 2),
      // Each Walrus blob costs two Sui transactions: register (with its storage) and certify.
      suiTransactionsPerMegabyte: round((2 * framesPerQuilt.size) / Math.max(1e-9, payload / 1e6), 3),
      ...(breakdown ? { breakdown } : {}),
    };
  } finally {
    await app.close();
    await deleteRedisPrefix(options.redisUrl, prefix);
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Where a lone frame's put latency goes, from the quilt jobs' own timestamps and stage timings
 * (`BatchStages`): medians over the frames that were alone in their quilt.
 */
async function loneFrameBreakdown(app: App, puts: readonly Put[], quiltOf: (p: Put) => string, framesPerQuilt: ReadonlyMap<string, number>): Promise<Breakdown | undefined> {
  const jobs = await app.composed.batching.queue.quiltsQueue.getJobs(['completed'], 0, -1);
  const byQuilt = new Map<string, { readonly createdMs: number; readonly startedMs: number; readonly stages: BatchStages }>();
  for (const job of jobs) {
    const result = job.returnvalue as CommittedQuilt | null;
    if (result?.stages && job.processedOn !== undefined) byQuilt.set(result.quiltId, { createdMs: job.timestamp, startedMs: job.processedOn, stages: result.stages });
  }
  const lone = puts.flatMap((p) => {
    const quilt = quiltOf(p);
    const job = byQuilt.get(quilt);
    return framesPerQuilt.get(quilt) === 1 && job ? [{ put: p, job }] : [];
  });
  if (lone.length === 0) return undefined;
  const med = (values: number[]) => round(median(values), 0);
  const s = (pick: (stages: BatchStages) => number) => med(lone.map(({ job }) => pick(job.stages)));
  const putP50 = med(lone.map(({ put }) => put.endMs - put.startMs));
  const encodes = med(lone.map(({ job }) => Math.max(job.stages.blobIdMs, job.stages.storeMs)));
  return {
    frames: lone.length,
    sealMs: med(lone.map(({ put, job }) => job.createdMs - put.startMs)),
    pickupMs: med(lone.map(({ job }) => job.startedMs - job.createdMs)),
    readMs: s((x) => x.readMs),
    buildMs: s((x) => x.buildMs),
    blobIdMs: s((x) => x.blobIdMs),
    storeMs: s((x) => x.storeMs),
    certifyMs: s((x) => x.certifyMs),
    commitMs: s((x) => x.commitMs),
    answerMs: med(lone.map(({ put, job }) => put.endMs - (job.startedMs + job.stages.totalMs))),
    putP50Ms: putP50,
    overheadOverMaxOfBlobIdAndStoreP50Ms: putP50 - encodes,
  };
}

async function timeGets(base: string, commitments: readonly Uint8Array[], timeoutMs: number) {
  const latencies: number[] = [];
  let failed = 0;
  for (const commitment of commitments) {
    const t0 = performance.now();
    const response = await httpRequest(`${base}/get/${bytesToHex(commitment)}`, { timeoutMs }).catch(() => undefined);
    if (response?.status === 200) latencies.push(performance.now() - t0);
    else failed++;
  }
  return { samples: latencies.length, failed, ...percentiles(latencies) };
}

function metricValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
