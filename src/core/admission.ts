// Admission of puts per chain, before anything is queued: a put-rate limit (token bucket) and a
// cap on queued bytes per chain and across all chains. "Queued bytes" are the bytes of this
// replica's puts that are accepted but not yet answered: a put is answered only once its frame is
// committed, so these are exactly the frames this replica has queued and not yet seen committed.
// Each replica enforces the limits on its own traffic (a load balancer spreads a chain's puts), so
// the server sheds load before Redis fills, without a Redis round trip per decision.
//
//   token bucket   capacity = burst, refilled at `putsPerSecond`; a put takes one token.
//                  Empty → refuse, Retry-After = time until the next token.
//   queued bytes   admitted while queued + size ≤ limit (a single frame larger than the whole
//                  limit is refused outright: it could never be admitted).

export interface ChainLimits {
  /** Sustained puts per second. */
  readonly putsPerSecond?: number;
  /** Puts allowed at once above the sustained rate. @default max(1, ceil(putsPerSecond)) */
  readonly putBurst?: number;
  /** Bytes of this chain's accepted, not yet committed frames. */
  readonly maxQueuedBytes?: number;
}

/** Why a put was refused, and when trying again may succeed. */
export interface Refusal {
  readonly reason: string;
  /** Milliseconds until a retry may succeed (rounded up to whole seconds for Retry-After). */
  readonly retryAfterMs: number;
}

/** Gives back an admitted put's queued bytes; call exactly once, when the put is answered. */
export type Release = () => void;

/** How long a queued-bytes refusal tells clients to wait: about one quilt store. */
const QUEUE_RETRY_AFTER_MS = 1_000;

class TokenBucket {
  readonly #rate: number;
  readonly #capacity: number;
  #tokens: number;
  #updatedMs: number;

  constructor(rate: number, capacity: number, nowMs: number) {
    this.#rate = rate;
    this.#capacity = capacity;
    this.#tokens = capacity;
    this.#updatedMs = nowMs;
  }

  /** Takes a token, or says how long until one is there. */
  take(nowMs: number): number | undefined {
    this.#tokens = Math.min(this.#capacity, this.#tokens + ((nowMs - this.#updatedMs) / 1000) * this.#rate);
    this.#updatedMs = nowMs;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return undefined;
    }
    return Math.ceil(((1 - this.#tokens) / this.#rate) * 1000);
  }
}

export class Admission {
  readonly #globalMaxQueuedBytes: number | undefined;
  readonly #now: () => number;
  readonly #limits = new Map<string, ChainLimits>();
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #queued = new Map<string, number>();
  #queuedTotal = 0;

  constructor(options: { readonly globalMaxQueuedBytes?: number; readonly chains?: ReadonlyMap<string, ChainLimits>; readonly now?: () => number } = {}) {
    this.#globalMaxQueuedBytes = options.globalMaxQueuedBytes;
    this.#now = options.now ?? (() => performance.now());
    for (const [chain, limits] of options.chains ?? []) {
      this.#limits.set(chain, limits);
      if (limits.putsPerSecond !== undefined) {
        const burst = limits.putBurst ?? Math.max(1, Math.ceil(limits.putsPerSecond));
        this.#buckets.set(chain, new TokenBucket(limits.putsPerSecond, burst, this.#now()));
      }
    }
  }

  /** Bytes accepted and not yet answered, for one chain or all. */
  queuedBytes(chain?: string): number {
    return chain === undefined ? this.#queuedTotal : (this.#queued.get(chain) ?? 0);
  }

  /**
   * Admits a put of `bytes` for `chain`, or returns why not. Nothing is counted for a refused put,
   * and a refused put does not spend a rate token unless the byte limits let it through.
   */
  admit(chain: string, bytes: number): { readonly release: Release } | { readonly refused: Refusal } {
    const limits = this.#limits.get(chain) ?? {};
    const queued = this.#queued.get(chain) ?? 0;
    if (limits.maxQueuedBytes !== undefined && queued + bytes > limits.maxQueuedBytes) {
      return { refused: { reason: `chain ${chain} has ${queued} bytes queued; its limit is ${limits.maxQueuedBytes}`, retryAfterMs: QUEUE_RETRY_AFTER_MS } };
    }
    if (this.#globalMaxQueuedBytes !== undefined && this.#queuedTotal + bytes > this.#globalMaxQueuedBytes) {
      return { refused: { reason: `the server has ${this.#queuedTotal} bytes queued; its limit is ${this.#globalMaxQueuedBytes}`, retryAfterMs: QUEUE_RETRY_AFTER_MS } };
    }
    const wait = this.#buckets.get(chain)?.take(this.#now());
    if (wait !== undefined) {
      return { refused: { reason: `chain ${chain} is over its limit of ${limits.putsPerSecond} puts per second`, retryAfterMs: wait } };
    }
    this.#queued.set(chain, queued + bytes);
    this.#queuedTotal += bytes;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#queued.set(chain, (this.#queued.get(chain) ?? bytes) - bytes);
        this.#queuedTotal -= bytes;
      },
    };
  }
}
