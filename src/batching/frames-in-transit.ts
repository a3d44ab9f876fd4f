// Frames this replica has queued that its frame worker has not picked up yet. Group commit asks
// it before sealing: a batch is not cut while frames put here a moment ago are still on their way
// from the request through Redis to the accumulator, so that frames answered together (the
// clients of one quilt send their next frames at once) are not split into a row of tiny quilts.
// A frame another replica picks up is never seen here; it stops counting after TRANSIT_MS.

/** How long a queued frame is expected to take to reach the frame worker, at most. */
export const TRANSIT_MS = 100;

export class FramesInTransit {
  readonly #since = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** A frame job was just added by this replica. */
  queued(key: string): void {
    this.#since.set(key, this.#now());
  }

  /** The frame worker has the frame. */
  arrived(key: string): void {
    this.#since.delete(key);
  }

  /** Whether any frame queued within TRANSIT_MS is still on its way. */
  get pending(): boolean {
    const cutoff = this.#now() - TRANSIT_MS;
    for (const [key, since] of this.#since) {
      if (since >= cutoff) return true;
      this.#since.delete(key);
    }
    return false;
  }
}
