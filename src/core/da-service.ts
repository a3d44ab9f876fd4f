// DaService: what every front door calls. It owns the rules of the product, in protocol-neutral
// terms: a put is answered only once the frame is certified on Walrus (or fails with a DaError a
// batcher can fall back on), the same frame is never stored twice, and a get returns exactly the
// bytes whose keccak the commitment names, from wherever they can be found.
import { bodyQuiltPatchId, frameKey, keccak256, type CommitmentBody } from '../commitment/index.ts';
import { bytesToBareHex, bytesToHex, equalBytes } from '../bytes/index.ts';
import type { Admission } from './admission.ts';
import { DEFAULT_CHAIN } from './chains.ts';
import {
  BackpressureError,
  CancelledError,
  InternalError,
  InvalidInputError,
  NotFoundError,
  RetryableDaError,
  TimeoutError,
  TooLargeError,
  UnavailableError,
} from './errors.ts';
import type { BlobStore, CallOptions, CommitmentStore, CommitmentVerifier, CommittedBatch, DaServiceObserver, FrameCache, FrameQueue, HealthProbe, VerifyOptions } from './ports.ts';
import type { CoreLogger } from './logger.ts';
import type { DependencyHealth, FrameCommitment, FrameKey, FrameStatus, VerificationReport } from './types.ts';

export interface DaServiceOptions {
  readonly queue: FrameQueue;
  readonly commitments: CommitmentStore;
  readonly cache: FrameCache;
  readonly blobStore: BlobStore;
  readonly verifier: CommitmentVerifier;
  /** Dependencies reported by `health()`. */
  readonly probes?: readonly HealthProbe[];
  /** Largest frame accepted by `put`. */
  readonly maxFrameBytes: number;
  /** How long a put waits for certification before failing with TimeoutError (the frame stays queued). */
  readonly putTimeoutMs: number;
  /** Also check Sui availability on every read that is not served from the cache. @default false */
  readonly verifyOnRead?: boolean;
  readonly logger?: CoreLogger;
  readonly observer?: DaServiceObserver;
  /** Per-chain and global put limits; absent: every put is admitted. */
  readonly admission?: Admission;
}

export interface PutResult {
  readonly commitment: FrameCommitment;
  /** True when the frame was already committed and nothing new was written. */
  readonly deduplicated: boolean;
}

export interface GetResult {
  readonly data: Uint8Array;
  /** `cache`, or the aggregator source that served it. */
  readonly source: string;
}

export interface HealthReport {
  readonly ok: boolean;
  readonly dependencies: readonly DependencyHealth[];
}

export class DaService {
  readonly #options: DaServiceOptions;

  constructor(options: DaServiceOptions) {
    if (!(options.maxFrameBytes > 0) || !(options.putTimeoutMs > 0)) {
      throw new RangeError('maxFrameBytes and putTimeoutMs must be positive');
    }
    this.#options = options;
  }

  get maxFrameBytes(): number {
    return this.#options.maxFrameBytes;
  }

  /** Stores a frame; resolves with its commitment once the quilt holding it is certified. */
  async put(frame: Uint8Array, options: CallOptions = {}): Promise<PutResult> {
    const [result] = await this.putAll([frame], options);
    if (!result) throw new InternalError('putAll returned no result for one frame');
    return result;
  }

  /**
   * Stores frames that belong together (a go-da Submit), in parallel so they can share a quilt:
   * all are checked and admitted before any is queued, so a refusal leaves no trace in Redis.
   * The first failure fails the whole call and stops waiting for the rest (their frames stay
   * queued; a repeated call returns their commitments).
   */
  async putAll(frames: readonly Uint8Array[], options: CallOptions = {}): Promise<PutResult[]> {
    for (const frame of frames) {
      if (frame.length === 0) throw new InvalidInputError('empty frame: there is nothing to store');
      if (frame.length > this.#options.maxFrameBytes) throw new TooLargeError(frame.length, this.#options.maxFrameBytes);
    }
    const chain = options.chain ?? DEFAULT_CHAIN;
    const releases: (() => void)[] = [];
    const releaseAll = () => releases.forEach((release) => release());
    for (const frame of frames) {
      const admitted = this.#options.admission?.admit(chain, frame.length);
      if (admitted && 'refused' in admitted) {
        releaseAll();
        throw new BackpressureError(admitted.refused.reason, { retryAfterMs: admitted.refused.retryAfterMs });
      }
      if (admitted) releases.push(admitted.release);
    }
    // Several frames: the first failure stops the others waiting. A single put (every door but
    // go-da's Submit) needs no controller of its own.
    const failed = frames.length > 1 ? new AbortController() : undefined;
    const signal = failed ? (options.signal ? AbortSignal.any([options.signal, failed.signal]) : failed.signal) : options.signal;
    try {
      return await Promise.all(
        frames.map((frame) =>
          this.#put(frame, chain, { ...options, ...(signal ? { signal } : {}) }).catch((error: unknown) => {
            failed?.abort(error);
            throw error;
          }),
        ),
      );
    } finally {
      releaseAll();
    }
  }

  async #put(frame: Uint8Array, chain: string, options: CallOptions): Promise<PutResult> {
    const key = frameKey(frame);
    const existing = await this.#options.commitments.get(key, options);
    if (existing) {
      await this.#cacheQuietly(key, frame);
      this.#options.observer?.onPut(frame.length, true, chain);
      return { commitment: existing, deduplicated: true };
    }
    await this.#options.queue.enqueue(key, frame, options);
    const commitment = await this.#withPutTimeout(key, options);
    this.#options.observer?.onPut(frame.length, false, chain);
    return { commitment, deduplicated: false };
  }

  /** Returns exactly the frame the commitment names, or throws NotFoundError. */
  async get(body: CommitmentBody, options: CallOptions = {}): Promise<GetResult> {
    const key = bytesToBareHex(body.frameKeccak);
    const cached = await this.#cachedFrame(key, options);
    if (cached) return this.#served(cached, 'cache', options);
    const accept = (data: Uint8Array) => equalBytes(keccak256(data), body.frameKeccak);
    const patch = await this.#options.blobStore.readQuiltPatch(bodyQuiltPatchId(body), { ...options, accept });
    if (!accept(patch.data)) {
      // The adapter promised to return only accepted data; never hand out unchecked bytes.
      throw new UnavailableError(`${patch.source} returned data that does not match keccak ${bytesToHex(body.frameKeccak)}`);
    }
    if (this.#options.verifyOnRead) await this.#verifyOnRead(body, options);
    await this.#cacheQuietly(key, patch.data);
    return this.#served(patch.data, patch.source, options);
  }

  /** Looks a frame up by its key (OP Stack keccak mode, go-da ids): cache, then its commitment. */
  async getByKey(key: FrameKey, options: CallOptions = {}): Promise<GetResult> {
    const cached = await this.#cachedFrame(key, options);
    if (cached) return this.#served(cached, 'cache', options);
    const commitment = await this.#options.commitments.get(key, options);
    if (!commitment) throw new NotFoundError(`no frame with keccak 0x${key} is known to this deployment`);
    return this.get(commitment.body, options);
  }

  /** The commitment issued for a frame key, if any. */
  commitment(key: FrameKey, options: CallOptions = {}): Promise<FrameCommitment | undefined> {
    return this.#options.commitments.get(key, options);
  }

  /** Where a frame is: unknown, queued, batched, stored or certified. */
  async status(key: FrameKey, options: CallOptions = {}): Promise<FrameStatus> {
    const commitment = await this.#options.commitments.get(key, options);
    if (commitment) {
      return {
        key,
        state: 'certified',
        quiltId: commitment.body.quiltId,
        objectId: commitment.body.objectId,
        endEpoch: commitment.endEpoch,
        commitment,
      };
    }
    return (await this.#options.queue.status(key, options)) ?? { key, state: 'unknown' };
  }

  verify(body: CommitmentBody, options: CallOptions & VerifyOptions): Promise<VerificationReport> {
    return this.#options.verifier.verify(body, options);
  }

  /** The batch committed at a height (go-da GetIds), or undefined. */
  batch(height: number, options: CallOptions = {}): Promise<CommittedBatch | undefined> {
    return this.#options.commitments.batch(height, options);
  }

  latestHeight(options: CallOptions = {}): Promise<number> {
    return this.#options.commitments.latestHeight(options);
  }

  /** Probes every dependency; ok only if all are. */
  async health(options: CallOptions = {}): Promise<HealthReport> {
    const dependencies = await Promise.all(
      (this.#options.probes ?? []).map(async (probe): Promise<DependencyHealth> => {
        const started = performance.now();
        try {
          return await probe.check(options);
        } catch (error) {
          return { name: probe.name, ok: false, detail: error instanceof Error ? error.message : String(error), latencyMs: performance.now() - started };
        }
      }),
    );
    return { ok: dependencies.every((d) => d.ok), dependencies };
  }

  #served(data: Uint8Array, source: string, options: CallOptions): GetResult {
    this.#options.observer?.onGet(data.length, source, options.chain ?? DEFAULT_CHAIN);
    return { data, source };
  }

  async #withPutTimeout(key: FrameKey, options: CallOptions): Promise<FrameCommitment> {
    const { putTimeoutMs } = this.#options;
    const deadline = AbortSignal.timeout(putTimeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    try {
      return await this.#options.queue.waitForCommitment(key, { signal });
    } catch (error) {
      if (options.signal?.aborted) throw new CancelledError('the caller went away; the frame stays queued', { cause: error });
      if (deadline.aborted) {
        throw new TimeoutError(`frame 0x${key} was not certified on Walrus within ${putTimeoutMs} ms; it stays queued and a repeated put returns its commitment once certified`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  async #cachedFrame(key: FrameKey, options: CallOptions): Promise<Uint8Array | undefined> {
    try {
      const cached = await this.#options.cache.get(key, options);
      // A cache entry is only as good as its hash: never serve bytes that do not match the key.
      if (cached && frameKey(cached) === key) return cached;
      if (cached) this.#options.logger?.warn({ key }, 'frame cache entry does not match its key; ignoring it');
    } catch (error) {
      if (!(error instanceof RetryableDaError)) throw error;
      this.#options.logger?.warn({ key, err: error.details }, 'frame cache unavailable; reading from Walrus');
    }
    return undefined;
  }

  async #cacheQuietly(key: FrameKey, frame: Uint8Array): Promise<void> {
    try {
      await this.#options.cache.put(key, frame);
    } catch (error) {
      this.#options.logger?.warn({ key, err: error instanceof Error ? error.message : String(error) }, 'could not cache frame');
    }
  }

  async #verifyOnRead(body: CommitmentBody, options: CallOptions): Promise<void> {
    const step = await this.#options.verifier.availability(body, options);
    if (!step.ok) throw new UnavailableError(`verify-on-read: the quilt is not available on Walrus: ${step.reason}`);
  }
}
