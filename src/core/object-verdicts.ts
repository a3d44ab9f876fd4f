// The read path's Sui check, once per (quilt, object) pair: what the object a commitment names says
// about its quilt (`judgeBlobObject`). Final verdicts (certified, invalid) never change, so they
// are remembered, in a bounded map (oldest first out); a pending answer or a failed Sui read is
// not, so the next read asks again. Concurrent reads of one pair share one Sui round trip.
import { bytesToBareHex } from '../bytes/index.ts';
import type { CommitmentBody } from '../commitment/index.ts';
import { judgeBlobObject, type ObjectVerdict } from './availability.ts';
import { UnavailableError } from './errors.ts';
import type { AvailabilityChecker, CallOptions } from './ports.ts';

/** Pairs remembered: 32 + 32 bytes of key and a short reason each, a few MiB at most. */
export const DEFAULT_OBJECT_VERDICTS = 16_384;
/** How long one shared Sui read may take before the pair is asked afresh. */
export const DEFAULT_SHARED_READ_TIMEOUT_MS = 30_000;

export class ObjectVerdicts {
  readonly #availability: AvailabilityChecker;
  readonly #capacity: number;
  readonly #final = new Map<string, ObjectVerdict>();
  readonly #inFlight = new Map<string, Promise<ObjectVerdict>>();

  readonly #sharedReadTimeoutMs: number;

  constructor(availability: AvailabilityChecker, options: { readonly capacity?: number; readonly sharedReadTimeoutMs?: number } = {}) {
    this.#availability = availability;
    this.#capacity = options.capacity ?? DEFAULT_OBJECT_VERDICTS;
    this.#sharedReadTimeoutMs = options.sharedReadTimeoutMs ?? DEFAULT_SHARED_READ_TIMEOUT_MS;
  }

  /** The verdict on the body's object; rejects with the Sui adapter's (retryable) DaError. */
  judge(body: CommitmentBody, options: CallOptions = {}): Promise<ObjectVerdict> {
    const key = pairKey(body);
    const known = this.#final.get(key);
    if (known) return Promise.resolve(known);
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    // The shared read must not die with the first caller's signal (each caller still stops
    // waiting on its own deadline: DaService races its reads against it), but it has a deadline
    // of its own, so a Sui call that never returns cannot hold the pair for good.
    const deadline = AbortSignal.timeout(this.#sharedReadTimeoutMs);
    const timedOut = new Promise<never>((_, reject) => {
      deadline.addEventListener('abort', () => reject(new UnavailableError(`Sui did not answer within ${this.#sharedReadTimeoutMs} ms`)), { once: true });
    });
    timedOut.catch(() => undefined);
    const read = Promise.race([this.#read(body, { signal: deadline, ...(options.chain ? { chain: options.chain } : {}) }), timedOut]).finally(() =>
      this.#inFlight.delete(key),
    );
    this.#inFlight.set(key, read);
    return read;
  }

  /** Records what this deployment already knows: it certified its own commitments' objects. */
  remember(body: CommitmentBody, verdict: ObjectVerdict): void {
    this.#keep(pairKey(body), verdict);
  }

  async #read(body: CommitmentBody, options: CallOptions): Promise<ObjectVerdict> {
    const [object, blobType] = await Promise.all([this.#availability.blobObject(body.objectId, options), this.#availability.blobType(options)]);
    const verdict = judgeBlobObject(object, body, blobType);
    if (verdict.kind !== 'pending') this.#keep(pairKey(body), verdict);
    return verdict;
  }

  #keep(key: string, verdict: ObjectVerdict): void {
    this.#final.delete(key);
    this.#final.set(key, verdict);
    while (this.#final.size > this.#capacity) {
      const oldest = this.#final.keys().next();
      if (oldest.done) break;
      this.#final.delete(oldest.value);
    }
  }
}

function pairKey(body: CommitmentBody): string {
  return `${bytesToBareHex(body.quiltId)}:${bytesToBareHex(body.objectId)}`;
}
