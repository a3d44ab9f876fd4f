// `walrus-da bench …`: benchmarks that print JSON figures, each with its baseline measured in the
// same run. `npm run bench:<name>` calls these.
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { MAX_SHARDS, MIN_SHARDS } from '../../walrus/codec/index.ts';
import { runCodecBench } from '../bench/codec-bench.ts';
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
}
