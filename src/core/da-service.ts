// DaService: what every front door calls. It owns the rules of the product, in protocol-neutral
// terms: a put is answered only once the frame is certified on Walrus (or fails with a DaError a
// batcher can fall back on), the same frame is never stored twice, and a get returns exactly the
// bytes whose keccak the commitment names, from wherever they can be found.
import { bodyQuiltPatchId, encodeBody, frameKey, keccak256, type CommitmentBody } from '../commitment/index.ts';
import { bytesToBareHex, bytesToHex, equalBytes } from '../bytes/index.ts';
import type { Admission } from './admission.ts';
import { DEFAULT_CHAIN } from './chains.ts';
import {
  BackpressureError,
  CancelledError,
  IntegrityError,
  InternalError,
  InvalidInputError,
  NotFoundError,
  ProvenInvalidError,
  RetryableDaError,
  TimeoutError,
  TooLargeError,
  UnavailableError,
  toDaError,
  type DaError,
} from './errors.ts';
import { judgeNodeRead } from './node-verdict.ts';
import { ObjectVerdicts } from './object-verdicts.ts';
import type {
  AvailabilityChecker,
  BlobStore,
  CallOptions,
  CommitmentStore,
  CommitmentVerifier,
  CommittedBatch,
  DaServiceObserver,
  FrameCache,
  FrameQueue,
  HealthProbe,
  NodePatchSource,
  VerifyOptions,
} from './ports.ts';
import type { CoreLogger } from './logger.ts';
import type { DependencyHealth, FrameCommitment, FrameKey, FrameStatus, VerificationReport } from './types.ts';

export interface DaServiceOptions {
  readonly queue: FrameQueue;
  readonly commitments: CommitmentStore;
  readonly cache: FrameCache;
  readonly blobStore: BlobStore;
  readonly verifier: CommitmentVerifier;
  /** Sui, for the read path's object check (docs/verdicts.md), once per quilt and object. */
  readonly availability: AvailabilityChecker;
  /**
   * The committee's storage nodes: the authenticated read that turns "no aggregator served the
   * committed patch" into a verdict. Absent: no read can prove a commitment's content invalid.
   */
  readonly nodes?: NodePatchSource;
  /** Overall deadline of one get; past it the read fails with a retryable TimeoutError. Absent: none. */
  readonly readTimeoutMs?: number;
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
  readonly #objects: ObjectVerdicts;

  constructor(options: DaServiceOptions) {
    if (!(options.maxFrameBytes > 0) || !(options.putTimeoutMs > 0) || (options.readTimeoutMs !== undefined && !(options.readTimeoutMs > 0))) {
      throw new RangeError('maxFrameBytes, putTimeoutMs and readTimeoutMs must be positive');
    }
    this.#options = options;
    this.#objects = new ObjectVerdicts(options.availability, options.readTimeoutMs === undefined ? {} : { sharedReadTimeoutMs: options.readTimeoutMs });
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

  /**
   * Returns exactly the frame the commitment names, or throws: ProvenInvalidError when a fact
   * every node reads the same proves the commitment invalid, a RetryableDaError for anything short
   * of that (docs/verdicts.md, which fixes the order below).
   */
  get(body: CommitmentBody, options: CallOptions = {}): Promise<GetResult> {
    return this.#withReadDeadline(options, (withDeadline) => this.#get(body, withDeadline));
  }

  /** Looks a frame up by its key (OP Stack keccak mode, go-da ids): its commitment, then get. */
  getByKey(key: FrameKey, options: CallOptions = {}): Promise<GetResult> {
    return this.#withReadDeadline(options, async (withDeadline) => {
      const commitment = await this.#options.commitments.get(key, withDeadline);
      if (!commitment) throw new NotFoundError(`no frame with keccak 0x${key} is known to this deployment`);
      return this.#get(commitment.body, withDeadline, commitment);
    });
  }

  async #get(body: CommitmentBody, options: CallOptions, issued?: FrameCommitment): Promise<GetResult> {
    const key = bytesToBareHex(body.frameKeccak);
    // 1. The cache answers only the very commitment this deployment issued for the frame: a body
    //    naming another quilt or object with a cached keccak must get the verdict every node
    //    without the cache reaches.
    //    Both Redis reads at once: the common case (a read right after a put) is one round trip.
    const cachedRead = this.#cachedFrame(key, options);
    cachedRead.catch(() => undefined); // awaited below only when the body is ours
    const own = issued ?? (await this.#issuedCommitment(key, options));
    if (own && equalBytes(encodeBody(own.body), encodeBody(body))) {
      const cached = await cachedRead;
      if (cached) return this.#served(cached, 'cache', options);
      // We certified its object before issuing it (QuiltCommitter): no need to ask Sui.
      this.#objects.remember(body, { kind: 'certified', reason: `issued by this deployment at height ${own.height}` });
    }
    // 2. The object (Sui, once per pair) and the aggregators, concurrently; the object decides first.
    const stopReading = new AbortController();
    const readSignal = options.signal ? AbortSignal.any([options.signal, stopReading.signal]) : stopReading.signal;
    const fromAggregators = this.#fromAggregators(body, { ...options, signal: readSignal });
    try {
      await this.#objectCertified(body, options);
    } catch (error) {
      stopReading.abort(error);
      throw error;
    }
    // 3. Data: aggregators first (unauthenticated, so a miss proves nothing), then the nodes.
    const aggregated = await fromAggregators;
    const data = 'data' in aggregated ? aggregated : await this.#fromNodes(body, aggregated.failure, options);
    if (this.#options.verifyOnRead) await this.#verifyOnRead(body, options);
    await this.#cacheQuietly(key, data.data);
    return this.#served(data.data, data.source, options);
  }

  async #objectCertified(body: CommitmentBody, options: CallOptions): Promise<void> {
    const verdict = await this.#objects.judge(body, options);
    if (verdict.kind === 'invalid') throw new ProvenInvalidError('object', `the commitment names the wrong Sui object: ${verdict.reason}`);
    if (verdict.kind === 'pending') throw new UnavailableError(`the quilt is not certified on Sui (yet): ${verdict.reason}`);
  }

  /** The aggregators' answer if it is the committed patch; else why not (never a verdict). */
  async #fromAggregators(body: CommitmentBody, options: CallOptions): Promise<{ data: Uint8Array; source: string } | { failure: DaError }> {
    const key = bytesToBareHex(body.frameKeccak);
    const accept = (data: Uint8Array) => equalBytes(keccak256(data), body.frameKeccak);
    try {
      const patch = await this.#options.blobStore.readQuiltPatch(bodyQuiltPatchId(body), { ...options, accept });
      // The adapter promised to return only accepted data; never hand out unchecked bytes. A
      // source that names the patch (the aggregator's identifier header) must name it by the key.
      if (!accept(patch.data)) return { failure: new IntegrityError(`${patch.source} returned data that does not match keccak ${bytesToHex(body.frameKeccak)}`) };
      if (patch.identifier !== '' && patch.identifier !== key) {
        return { failure: new IntegrityError(`${patch.source} serves the committed bytes as patch ${patch.identifier}, not ${key}`) };
      }
      return { data: patch.data, source: patch.source };
    } catch (error) {
      return { failure: toDaError(error, this.#options.logger) };
    }
  }

  /** The storage nodes' authenticated answer: the frame, or the proof that there is none. */
  async #fromNodes(body: CommitmentBody, aggregators: DaError, options: CallOptions): Promise<{ data: Uint8Array; source: string }> {
    const nodes = this.#options.nodes;
    // Without the nodes nothing read is authenticated, so nothing read proves anything: every
    // failure is retryable, a 404 from every aggregator included (they may lag or be pruned).
    if (!nodes) throw aggregators.retryable ? aggregators : new UnavailableError('no aggregator served the committed patch, and no storage nodes are configured to prove why', { cause: aggregators });
    const verdict = judgeNodeRead(await nodes.readPatch(bodyQuiltPatchId(body), options), body);
    if (verdict.kind === 'invalid') throw new ProvenInvalidError(verdict.ground, `the certified ${verdict.reason}`);
    return verdict;
  }

  /**
   * Runs a read under the overall deadline (`readTimeoutMs`): past it the caller gets a
   * retryable TimeoutError even if a dependency ignores the signal.
   */
  async #withReadDeadline(options: CallOptions, read: (options: CallOptions) => Promise<GetResult>): Promise<GetResult> {
    const { readTimeoutMs } = this.#options;
    if (readTimeoutMs === undefined) return read(options);
    const deadline = AbortSignal.timeout(readTimeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    let stop: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      stop = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted', { cause: signal.reason }));
      signal.addEventListener('abort', stop, { once: true });
    });
    try {
      return await Promise.race([read({ ...options, signal }), aborted]);
    } catch (error) {
      if (error instanceof ProvenInvalidError) throw error;
      if (options.signal?.aborted) throw new CancelledError('the caller went away', { cause: error });
      if (deadline.aborted) throw new TimeoutError(`the read did not finish within ${readTimeoutMs} ms (--read-timeout-ms); retry`, { cause: error });
      throw error;
    } finally {
      if (stop) signal.removeEventListener('abort', stop);
    }
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

  /** The commitment issued for the key; an unreachable store only costs the cache shortcut. */
  async #issuedCommitment(key: FrameKey, options: CallOptions): Promise<FrameCommitment | undefined> {
    try {
      return await this.#options.commitments.get(key, options);
    } catch (error) {
      if (!(error instanceof RetryableDaError)) throw error;
      this.#options.logger?.warn({ key, err: error.details }, 'commitment store unavailable; reading from Walrus');
      return undefined;
    }
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
