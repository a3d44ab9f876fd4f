// When committed data starts to leave Walrus, for the expiry gauges (docs/operations.md
// "Metrics"): the end epochs come from the batch state's expiry index, the clock of epochs from
// Sui. A quilt is readable while the current epoch is below its `end_epoch`, so it leaves Walrus
// when its end epoch starts (docs/architecture.md "Verifying a commitment", step 3).
import { epochStartMs, type AvailabilityChecker, type CallOptions } from '../core/index.ts';
import type { BatchState } from './batch-state.ts';

export interface ExpiryHorizonOptions {
  readonly state: Pick<BatchState, 'quiltExpiry'>;
  readonly availability: Pick<AvailabilityChecker, 'currentEpoch'>;
  /** `--availability-window-days` in ms: how long a commitment must stay readable. */
  readonly availabilityWindowMs: number;
  /** @default Date.now */
  readonly clock?: () => number;
}

/** The expiry figures at one moment; seconds are from now, undefined while no quilt is live. */
export interface ExpiryFigures {
  /** Until the earliest live quilt's end epoch starts. */
  readonly earliestSeconds: number | undefined;
  /** Until the latest live quilt's end epoch starts: a batch just stored should reach a window ahead. */
  readonly latestSeconds: number | undefined;
  /** Live quilts whose end epoch starts within the next availability window. */
  readonly expiringWithinWindow: number;
  readonly availabilityWindowSeconds: number;
}

export class ExpiryHorizon {
  readonly #o: ExpiryHorizonOptions;

  constructor(options: ExpiryHorizonOptions) {
    this.#o = options;
  }

  async read(options: CallOptions = {}): Promise<ExpiryFigures> {
    const walrus = await this.#o.availability.currentEpoch(options);
    const now = (this.#o.clock ?? Date.now)();
    // The last end epoch that starts no later than now + window.
    const byEpoch = Math.floor((now + this.#o.availabilityWindowMs - walrus.firstEpochStartMs) / walrus.epochDurationMs) + 1;
    const expiry = await this.#o.state.quiltExpiry(walrus.epoch, byEpoch);
    const secondsUntil = (epoch: number | undefined) => (epoch === undefined ? undefined : (epochStartMs(walrus, epoch) - now) / 1000);
    return {
      earliestSeconds: secondsUntil(expiry.earliestEndEpoch),
      latestSeconds: secondsUntil(expiry.latestEndEpoch),
      expiringWithinWindow: expiry.endingBy,
      availabilityWindowSeconds: this.#o.availabilityWindowMs / 1000,
    };
  }
}
