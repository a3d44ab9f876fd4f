// Walrus epochs for the local ledger: wall-clock epochs of a configurable duration (testnet's 1 day
// by default) plus any epochs a test advanced by hand. Epochs are computed on read, so nothing has
// to tick, and they never go backwards, even across restarts with a different duration:
//
//   epoch(now) = anchorEpoch + ⌊(now − anchorMs) / durationMs⌋ + manualAdvance
//
// The genesis epoch is 1, like Walrus's first real epoch.
export const GENESIS_EPOCH = 1;
const MAX_EPOCH = 0xffff_ffff;

export interface EpochClockState {
  readonly anchorEpoch: number;
  readonly anchorMs: number;
  readonly durationMs: number;
  readonly manualAdvance: number;
}

export type Now = () => number;

export class EpochClock {
  #state: EpochClockState;
  readonly #now: Now;

  /** Starts a fresh clock at the genesis epoch, or resumes `saved` (re-anchored on a new duration). */
  constructor(durationMs: number, saved: EpochClockState | undefined, now: Now = Date.now) {
    if (!Number.isSafeInteger(durationMs) || durationMs < 1) throw new RangeError(`epoch duration must be a positive integer of ms, got ${durationMs}`);
    this.#now = now;
    if (!saved) {
      this.#state = { anchorEpoch: GENESIS_EPOCH, anchorMs: now(), durationMs, manualAdvance: 0 };
    } else if (saved.durationMs === durationMs) {
      this.#state = saved;
    } else {
      // Keep the epoch we are in; from now on epochs last `durationMs`.
      this.#state = { anchorEpoch: epochAt(saved, now()), anchorMs: now(), durationMs, manualAdvance: 0 };
    }
  }

  get state(): EpochClockState {
    return this.#state;
  }

  get durationMs(): number {
    return this.#state.durationMs;
  }

  current(): number {
    return epochAt(this.#state, this.#now());
  }

  advance(count: number): void {
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`can only advance by a non-negative whole number of epochs, got ${count}`);
    if (this.current() + count > MAX_EPOCH) throw new RangeError(`advancing ${count} epochs would overflow u32`);
    this.#state = { ...this.#state, manualAdvance: this.#state.manualAdvance + count };
  }

  /** `first_epoch_start` of StakingInnerV1: when epoch 1 would have started at this duration. */
  firstEpochStartMs(): number {
    const { anchorMs, anchorEpoch, durationMs, manualAdvance } = this.#state;
    return Math.max(0, anchorMs - (anchorEpoch + manualAdvance - GENESIS_EPOCH) * durationMs);
  }

  /** Wall-clock start of the current epoch (the timestamp in `EpochState::EpochChangeDone`). */
  currentEpochStartMs(): number {
    return this.firstEpochStartMs() + (this.current() - GENESIS_EPOCH) * this.#state.durationMs;
  }
}

function epochAt(state: EpochClockState, nowMs: number): number {
  const elapsed = Math.max(0, Math.floor((nowMs - state.anchorMs) / state.durationMs));
  return Math.min(MAX_EPOCH, state.anchorEpoch + elapsed + state.manualAdvance);
}
