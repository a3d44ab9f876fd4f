// How many batches this replica has handed to the quilt queue and not yet seen finish: the
// "store slots" of group commit. The frame worker takes a slot when it hands a batch off and
// gives it back when the quilt job completes or fails for good, or when a failed attempt is
// `delayed` for its retry (it stores nothing while it waits). A lost event would leak a slot; the
// accumulator's
// maxWaitMs still seals batches then, so the worst case is today's fixed wait, never a stall.

export class StoreSlots {
  readonly #max: number;
  readonly #busy = new Set<string>();
  readonly #listeners = new Set<() => void>();

  constructor(max: number) {
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`store slots must be a positive integer, got ${max}`);
    this.#max = max;
  }

  get free(): boolean {
    return this.#busy.size < this.#max;
  }

  get busy(): number {
    return this.#busy.size;
  }

  /** Marks a batch as being stored; taking a slot twice for one batch counts once. */
  take(batchId: string): void {
    this.#busy.add(batchId);
  }

  /** The batch finished (or failed an attempt): its slot is free again. Unknown ids are ignored. */
  release(batchId: string): void {
    if (!this.#busy.delete(batchId)) return;
    for (const listener of this.#listeners) listener();
  }

  /** Called after every release; returns an unsubscribe function. */
  onRelease(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
