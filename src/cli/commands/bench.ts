// `walrus-da bench …`: benchmarks that print JSON figures, each with its baseline measured in the
// same run. `npm run bench:<name>` calls these.
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { MAX_SHARDS, MIN_SHARDS } from '../../walrus/codec/index.ts';
import { runCodecBench } from '../bench/codec-bench.ts';
import { runNodeReadBench } from '../bench/node-read-bench.ts';
import { runPipelineBench } from '../bench/pipeline-bench.ts';
import { runRedisMemoryBench } from '../bench/redis-memory-bench.ts';
import { runWalrusLocalBench } from '../bench/walrus-local-bench.ts';
import { CliError, integerOption, printJson } from '../io.ts';

export function registerBenchCommands(program: Command): void {
  const bench = program.command('bench').description('run a benchmark and print its figures as JSON');
  bench
    .command('codec')
    .description('blob-id throughput: one wasm thread (baseline) vs the worker pool')
    .option('--shards <n>', 'number of shards', integerOption('--shards', MIN_SHARDS, MAX_SHARDS), 1000)
    .option('--sizes <MiB,...>', 'blob sizes in MiB', '1,16,64')
    .option('--blobs <n>', 'blobs per size (default: 2 × threads, at least 4)', integerOption('--blobs', 1, 1000))
    .option('--threads <n>', 'pool threads', integerOption('--threads', 1, 256), availableParallelism())
    .action(async (options: { shards: number; sizes: string; blobs?: number; threads: number }) => {
      const sizesMiB = options.sizes.split(',').map((s) => Number(s.trim()));
      if (sizesMiB.some((s) => !Number.isFinite(s) || s <= 0)) {
        throw new CliError(`--sizes must be positive numbers of MiB, got ${JSON.stringify(options.sizes)}`);
      }
      const blobs = options.blobs ?? Math.max(4, 2 * options.threads);
      printJson(await runCodecBench({ shards: options.shards, sizesMiB, blobs, threads: options.threads }));
    });
  bench
    .command('walrus-local')
    .description('store and read latency through walrus-local (PUT/GET /v1/blobs) vs a bare encode of the same blob')
    .option('--shards <n>', 'number of shards', integerOption('--shards', MIN_SHARDS, MAX_SHARDS), 1000)
    .option('--nodes <n>', 'storage nodes', integerOption('--nodes', 1, MAX_SHARDS), 4)
    .option('--sizes <MiB,...>', 'blob sizes in MiB', '1,32')
    .option('--runs <n>', 'runs per size', integerOption('--runs', 1, 100), 3)
    .option('--threads <n>', 'encoder pool threads', integerOption('--threads', 1, 256), availableParallelism())
    .action(async (options: { shards: number; nodes: number; sizes: string; runs: number; threads: number }) => {
      const sizesMiB = options.sizes.split(',').map((s) => Number(s.trim()));
      if (sizesMiB.some((s) => !Number.isFinite(s) || s <= 0)) {
        throw new CliError(`--sizes must be positive numbers of MiB, got ${JSON.stringify(options.sizes)}`);
      }
      printJson(await runWalrusLocalBench({ shards: options.shards, nodes: options.nodes, sizesMiB, runs: options.runs, threads: options.threads }));
    });
  bench
    .command('node-read')
    .description('authenticated quilt-patch reads straight from the storage nodes (cold and warm per quilt) vs the aggregator and crafted-encode verification')
    .option('--shards <n>', 'number of shards', integerOption('--shards', MIN_SHARDS, MAX_SHARDS), 1000)
    .option('--nodes <n>', 'storage nodes', integerOption('--nodes', 1, MAX_SHARDS), 4)
    .option('--frame-bytes <n>', 'size of each of the two frames in the quilt', integerOption('--frame-bytes', 1, 64 * 1024 * 1024), 120 * 1024)
    .option('--runs <n>', 'quilts stored and read', integerOption('--runs', 1, 100), 3)
    .option('--threads <n>', 'encoder pool threads', integerOption('--threads', 1, 256), availableParallelism())
    .action(async (options: { shards: number; nodes: number; frameBytes: number; runs: number; threads: number }) => {
      printJson(await runNodeReadBench(options));
    });
  bench
    .command('pipeline')
    .description('drive a full server like real batchers (one request at a time per chain), every scenario in one run: lone frames, 1 MB frames, 8 and 32 chains, one frame per blob, concurrent clients')
    .option('--shards <n>', 'walrus-local shards', integerOption('--shards', MIN_SHARDS, MAX_SHARDS), 1000)
    .option('--concurrency <n>', 'clients of the "concurrent" scenario', integerOption('--concurrency', 1, 1024), 64)
    .option('--duration <s>', 'seconds of load per scenario', integerOption('--duration', 1, 3600), 30)
    .option('--batch-max-wait-ms <ms>', 'upper bound of a batch (group commit seals earlier)', integerOption('--batch-max-wait-ms', 0, 600_000), 1000)
    .option('--scenarios <ids>', 'comma-separated scenario ids (a, a-linger, b, c8, c32, d, concurrent); default all')
    .option('--get-samples <n>', 'frames read back per read mode', integerOption('--get-samples', 0, 100_000), 10)
    .option('--redis-url <url>', 'Redis to use (keys are removed afterwards)', 'redis://127.0.0.1:6379')
    .option('--request-timeout-ms <ms>', 'deadline of one bench request (the server gives up on a put after 600 s); later: counted as failed', integerOption('--request-timeout-ms', 1, 86_400_000), 900_000)
    .option('--out <file>', 'append each scenario\'s JSON as one line as soon as it finishes')
    .action(async (options: { shards: number; concurrency: number; duration: number; batchMaxWaitMs: number; scenarios?: string; getSamples: number; redisUrl: string; requestTimeoutMs: number; out?: string }) => {
      printJson(
        await runPipelineBench({
          shards: options.shards,
          concurrency: options.concurrency,
          durationS: options.duration,
          batchMaxWaitMs: options.batchMaxWaitMs,
          getSamples: options.getSamples,
          redisUrl: options.redisUrl,
          requestTimeoutMs: options.requestTimeoutMs,
          ...(options.out ? { outFile: options.out } : {}),
          ...(options.scenarios ? { only: options.scenarios.split(',').map((s) => s.trim()) } : {}),
        }),
      );
    });
  bench
    .command('redis-memory')
    .description('Redis memory per frame through the real pipeline: frame cache, retained records (commitments, batches, go-da heights), BullMQ records')
    .option('--shards <n>', 'walrus-local shards', integerOption('--shards', MIN_SHARDS, MAX_SHARDS), 100)
    .option('--frames <n>', 'frames put', integerOption('--frames', 1, 1_000_000), 1000)
    .option('--frame-bytes <n>', 'bytes per frame', integerOption('--frame-bytes', 1, 16 * 1024 * 1024), 120_000)
    .option('--clients <n>', 'concurrent clients (and frames per go-da Submit)', integerOption('--clients', 1, 1024), 64)
    .option('--redis-url <url>', 'Redis to use (keys are removed afterwards)', 'redis://127.0.0.1:6379')
    .action(async (options: { shards: number; frames: number; frameBytes: number; clients: number; redisUrl: string }) => {
      printJson(await runRedisMemoryBench(options));
    });
}
