// `walrus-da bench codec`: blob-id throughput of the wasm encoder on one thread (the baseline,
// measured in the same run) against the worker pool, for several blob sizes. Prints JSON.
import { EncoderPool, computeBlobMetadata } from '../../walrus/codec/index.ts';
import { distinctBlob, machineInfo, round } from './bench-support.ts';

export interface CodecBenchOptions {
  readonly shards: number;
  readonly sizesMiB: readonly number[];
  readonly blobs: number;
  readonly threads: number;
}

interface Run {
  readonly seconds: number;
  readonly blobsPerSecond: number;
  readonly megabytesPerSecond: number;
}

const MiB = 1024 * 1024;

export async function runCodecBench(options: CodecBenchOptions): Promise<unknown> {
  const pool = new EncoderPool({ threads: options.threads });
  try {
    await Promise.all(Array.from({ length: options.threads }, () => pool.blobMetadata(Uint8Array.of(1), 10))); // start and warm every worker
    computeBlobMetadata(Uint8Array.of(1), 10);
    const results = [];
    for (const sizeMiB of options.sizesMiB) {
      const blobs = Array.from({ length: options.blobs }, (_, i) => distinctBlob(sizeMiB * MiB, i));
      const single = await measure(blobs, (blob) => Promise.resolve(computeBlobMetadata(blob, options.shards)), 1);
      const pooled = await measure(blobs, (blob) => pool.blobMetadata(blob, options.shards), blobs.length);
      results.push({
        sizeMiB,
        blobs: blobs.length,
        singleThread: single,
        pool: { threads: options.threads, ...pooled },
        speedup: round(pooled.blobsPerSecond / single.blobsPerSecond, 2),
      });
    }
    return {
      bench: 'codec',
      shards: options.shards,
      ...machineInfo(),
      baseline: 'singleThread: computeBlobMetadata on the main thread, one blob after another',
      results,
    };
  } finally {
    await pool.close();
  }
}

async function measure(blobs: readonly Uint8Array[], task: (blob: Uint8Array) => Promise<unknown>, concurrency: number): Promise<Run> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < blobs.length) {
        const blob = blobs[next++];
        if (blob) await task(blob);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const bytes = blobs.reduce((sum, b) => sum + b.length, 0);
  return { seconds: round(seconds, 3), blobsPerSecond: round(blobs.length / seconds, 3), megabytesPerSecond: round(bytes / 1e6 / seconds, 2) };
}
