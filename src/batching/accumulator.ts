// Collects items into batches and flushes a batch when it reaches `maxFrames` items, when the
// next item would take it past `maxBytes`, or `maxWaitMs` after its first item arrived —
// whichever comes first. Each `add` resolves with the result of flushing its batch. Flushes run
// concurrently with the next batch filling up.
//
// With store slots it also *group-commits*, as databases commit their logs: a batch is sealed
// the moment a slot is free and at least one item waits (after `lingerMs`, default 0). A lone
// item is flushed at once instead of waiting `maxWaitMs` for companions that may never come;
// under load, items pile up while every slot is busy and the next batch is as full as the load
// makes it. A burst is not cut into pieces: the seal waits until no item has arrived for
// COALESCE_MS (BullMQ hands a burst of jobs over one Redis round trip at a time, and clients
// answered by one quilt send their next frames together) — a few milliseconds on a path whose
// store takes seconds.

export interface BatchPolicy {
  /** Flush at this many items. */
  readonly maxFrames: number;
  /** Flush before the payload would exceed this many bytes (a single larger item goes alone). */
  readonly maxBytes: number;
  /** Flush this long after the batch's first item, even if it is small (and no slot is free). */
  readonly maxWaitMs: number;
  /** With store slots: wait this long after the first item for companions, even when a slot is free. @default 0 */
  readonly lingerMs?: number;
}

/** Quiet time after the last arrival before a group-commit seal (see the header). */
export const COALESCE_MS = 25;

/** What group commit asks of the stores in flight (./store-slots.ts). */
export interface SlotGate {
  readonly free: boolean;
  onRelease(listener: () => void): () => void;
}

interface Entry<T, R> {
  readonly item: T;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

export class BatchAccumulator<T, R> {
  readonly #policy: BatchPolicy;
  readonly #flush: (items: T[]) => Promise<R>;
  #entries: Entry<T, R>[] = [];
  #bytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #lingerTimer: NodeJS.Timeout | undefined;
  #firstAtMs = 0;
  #coalesceTimer: NodeJS.Timeout | undefined;
  readonly #flushing = new Set<Promise<void>>();
  readonly #slots: SlotGate | undefined;
  readonly #unsubscribe: (() => void) | undefined;

  /** Without `slots`, batches are cut by size and `maxWaitMs` only. */
  constructor(policy: BatchPolicy, flush: (items: T[]) => Promise<R>, slots?: SlotGate) {
    if (!(policy.maxFrames >= 1 && policy.maxBytes >= 1 && policy.maxWaitMs >= 0 && (policy.lingerMs ?? 0) >= 0)) {
      throw new RangeError(`invalid batch policy ${JSON.stringify(policy)}`);
    }
    this.#policy = policy;
    this.#flush = flush;
    this.#slots = slots;
    this.#unsubscribe = slots?.onRelease(() => this.#sealIfReady());
  }

  /** Items waiting in the batch being filled. */
  get pending(): number {
    return this.#entries.length;
  }

  add(item: T, size: number): Promise<R> {
    if (this.#entries.length > 0 && this.#bytes + size > this.#policy.maxBytes) this.#cut();
    const result = new Promise<R>((resolve, reject) => this.#entries.push({ item, resolve, reject }));
    this.#bytes += size;
    if (this.#entries.length === 1) {
      this.#firstAtMs = Date.now();
      this.#timer = setTimeout(() => this.#cut(), this.#policy.maxWaitMs);
    }
    if (this.#entries.length >= this.#policy.maxFrames || this.#bytes >= this.#policy.maxBytes) this.#cut();
    else this.#sealIfReady();
    return result;
  }

  /** Group commit: seal what waits once a slot is free and the linger time has passed. */
  #sealIfReady(): void {
    if (!this.#slots || this.#entries.length === 0) return;
    if (!this.#slots.free) {
      // Closed for a moment (frames still on their way) or until a store finishes (onRelease
      // calls back): look again after a quiet period; maxWaitMs bounds the wait either way.
      this.#coalesceTimer ??= setTimeout(() => {
        this.#coalesceTimer = undefined;
        this.#sealIfReady();
      }, COALESCE_MS);
      return;
    }
    const lingerLeft = (this.#policy.lingerMs ?? 0) - (Date.now() - this.#firstAtMs);
    if (lingerLeft > 0) {
      this.#lingerTimer ??= setTimeout(() => {
        this.#lingerTimer = undefined;
        this.#sealIfReady();
      }, lingerLeft);
      return;
    }
    // Each arrival restarts the quiet period, so a burst joins one batch; maxWaitMs bounds it.
    clearTimeout(this.#coalesceTimer);
    this.#coalesceTimer = setTimeout(() => {
      this.#coalesceTimer = undefined;
      if (this.#slots?.free) this.#cut();
      else this.#sealIfReady();
    }, COALESCE_MS);
  }

  /** Flushes what is pending now and waits for every flush in progress (shutdown). */
  async drain(): Promise<void> {
    this.#unsubscribe?.();
    this.#cut();
    while (this.#flushing.size > 0) await Promise.allSettled([...this.#flushing]);
  }

  #cut(): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#lingerTimer);
    clearTimeout(this.#coalesceTimer);
    this.#timer = undefined;
    this.#lingerTimer = undefined;
    this.#coalesceTimer = undefined;
    const entries = this.#entries;
    if (entries.length === 0) return;
    this.#entries = [];
    this.#bytes = 0;
    const run = this.#flush(entries.map((e) => e.item)).then(
      (result) => entries.forEach((e) => e.resolve(result)),
      (error: unknown) => entries.forEach((e) => e.reject(error)),
    );
    this.#flushing.add(run);
    void run.finally(() => this.#flushing.delete(run));
  }
}
