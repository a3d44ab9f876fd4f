// Collects items into batches and flushes a batch when it reaches `maxFrames` items, when the
// next item would take it past `maxBytes`, or `maxWaitMs` after its first item arrived —
// whichever comes first. Each `add` resolves with the result of flushing its batch. Flushes run
// concurrently with the next batch filling up.

export interface BatchPolicy {
  /** Flush at this many items. */
  readonly maxFrames: number;
  /** Flush before the payload would exceed this many bytes (a single larger item goes alone). */
  readonly maxBytes: number;
  /** Flush this long after the batch's first item, even if it is small. */
  readonly maxWaitMs: number;
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
  readonly #flushing = new Set<Promise<void>>();

  constructor(policy: BatchPolicy, flush: (items: T[]) => Promise<R>) {
    if (!(policy.maxFrames >= 1 && policy.maxBytes >= 1 && policy.maxWaitMs >= 0)) {
      throw new RangeError(`invalid batch policy ${JSON.stringify(policy)}`);
    }
    this.#policy = policy;
    this.#flush = flush;
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
      this.#timer = setTimeout(() => this.#cut(), this.#policy.maxWaitMs);
    }
    if (this.#entries.length >= this.#policy.maxFrames || this.#bytes >= this.#policy.maxBytes) this.#cut();
    return result;
  }

  /** Flushes what is pending now and waits for every flush in progress (shutdown). */
  async drain(): Promise<void> {
    this.#cut();
    while (this.#flushing.size > 0) await Promise.allSettled([...this.#flushing]);
  }

  #cut(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
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
