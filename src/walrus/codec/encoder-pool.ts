// A pool of worker threads running Walrus's wasm encoder, so the event loop never blocks on
// encoding (≈1.1–1.5 s of pure CPU per blob at n = 1000). Sized to the machine's cores by default:
// the encoder is single-threaded wasm, so throughput scales with threads until cores run out.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { BlobMetadataTask, DecodeTask, FrameQuiltTask, IdentifiedFrameQuilt } from './encoder.worker.ts';
import type { BlobMetadataSummary, EncodedBlob } from './wasm.ts';
import { encodingConfig, symbolSize } from './encoding-config.ts';
import { maxQuiltPatches, type FrameQuilt, type KeyedFrame } from './quilt-build.ts';
import { WalrusCodecError } from './errors.ts';

export interface EncoderPoolOptions {
  /** Worker threads. @default os.availableParallelism() */
  readonly threads?: number;
  /** Close idle workers after this many ms (they keep ~10 MB of wasm memory). @default 60000 */
  readonly idleTimeoutMs?: number;
}

export interface EncoderCallOptions {
  readonly signal?: AbortSignal;
}

// Under the type-stripping runtime (tests, `node src/...`) this module is a .ts file and so is its
// worker; in the built package both are .js. Resolve the sibling with our own extension.
const WORKER_FILE = new URL(`./encoder.worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

export class EncoderPool {
  readonly #pool: Piscina;

  constructor(options: EncoderPoolOptions = {}) {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1) {
      throw new RangeError(`encoder threads must be a positive integer, got ${threads}`);
    }
    this.#pool = new Piscina({
      filename: WORKER_FILE.href,
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: options.idleTimeoutMs ?? 60_000,
      // One task per thread at a time: a task is seconds of CPU, so queuing beats time-slicing.
      concurrentTasksPerWorker: 1,
    });
  }

  get threads(): number {
    return this.#pool.options.maxThreads;
  }

  /** Blob id and Merkle root of `data` for `nShards` (throws `WalrusCodecError` for bad sizes). */
  async blobMetadata(data: Uint8Array, nShards: number, options: EncoderCallOptions = {}): Promise<BlobMetadataSummary> {
    symbolSize(data.length, nShards); // typed errors are raised here: they do not survive the thread boundary
    return this.#run<BlobMetadataSummary>('blobMetadata', { data, nShards } satisfies BlobMetadataTask, options);
  }

  /** All 2n BCS slivers plus metadata, as storage nodes receive them. */
  async encode(data: Uint8Array, nShards: number, options: EncoderCallOptions = {}): Promise<EncodedBlob> {
    symbolSize(data.length, nShards);
    return this.#run<EncodedBlob>('encode', { data, nShards } satisfies BlobMetadataTask, options);
  }

  /**
   * Packs frames into a quilt (patch identifier = each frame's key, duplicates stored once) and
   * computes its blob id, all off the event loop: the keys come with the frames, so nothing here
   * touches the frame bytes. Limits are checked here, with typed errors.
   */
  async frameQuilt(frames: readonly KeyedFrame[], nShards: number, options: EncoderCallOptions = {}): Promise<IdentifiedFrameQuilt> {
    return this.#quiltTask<IdentifiedFrameQuilt>('frameQuilt', frames, nShards, options);
  }

  /**
   * Packs frames into a quilt like `frameQuilt`, without the blob id: the batch worker computes
   * the id (`blobMetadata`) while the quilt is already on its way to the publisher.
   */
  async buildFrameQuilt(frames: readonly KeyedFrame[], nShards: number, options: EncoderCallOptions = {}): Promise<FrameQuilt> {
    return this.#quiltTask<FrameQuilt>('buildFrameQuilt', frames, nShards, options);
  }

  async #quiltTask<T>(name: 'frameQuilt' | 'buildFrameQuilt', frames: readonly KeyedFrame[], nShards: number, options: EncoderCallOptions): Promise<T> {
    const limit = maxQuiltPatches(nShards);
    if (frames.length === 0) throw new WalrusCodecError('quilt-empty', 'a quilt needs at least one patch');
    if (new Set(frames.map((f) => f.key)).size > limit) {
      throw new WalrusCodecError('quilt-too-many-patches', `${frames.length} patches exceed the quilt limit of ${limit} for ${nShards} shards`);
    }
    try {
      return await this.#run<T>(name, { frames, nShards } satisfies FrameQuiltTask, options);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new WalrusCodecError('quilt-oversize', `cannot build a quilt of ${frames.length} frames for ${nShards} shards: ${String(error)}`, { cause: error });
    }
  }

  /** Reconstructs a blob from ≥ p primary slivers; the caller verifies the result's blob id. */
  async decode(task: DecodeTask, options: EncoderCallOptions = {}): Promise<Uint8Array> {
    const { primarySymbols } = encodingConfig(task.nShards);
    symbolSize(task.length, task.nShards);
    if (task.slivers.length < primarySymbols) {
      throw new WalrusCodecError('sliver-malformed', `need at least ${primarySymbols} primary slivers to decode, got ${task.slivers.length}`);
    }
    try {
      return await this.#run<Uint8Array>('decode', task, options);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new WalrusCodecError('sliver-malformed', `walrus-wasm could not decode the slivers: ${String(error)}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }

  async #run<T>(name: string, task: object, options: EncoderCallOptions): Promise<T> {
    return (await this.#pool.run(task, { name, ...(options.signal ? { signal: options.signal } : {}) })) as T;
  }
}
