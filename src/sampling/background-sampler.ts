// serve's background sampler (--sample-interval-ms): every interval, a round over a few of the
// most recently committed quilts that are still within their storage period, chosen at random
// (docs/sampling.md "Background sampling"). A round never overlaps the next; stop() aborts the
// round in flight and waits for it, so shutdown leaves no request or encode behind.
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { detectionConfidence } from './confidence.ts';
import { countSamples, runSamplingRound, warnFailures, type RoundReport } from './round.ts';
import type { AvailabilitySampler } from './sampler.ts';
import { cryptoRandom, pickItems, type RandomSource } from './selection.ts';

/** A committed quilt, newest first from `RecentQuiltSource`. */
export interface RecentQuilt {
  readonly quiltId: Uint8Array;
  readonly height: number;
  /** First epoch the quilt is no longer stored in (exclusive). */
  readonly endEpoch: number;
}

/** The newest committed quilts (the batch state in Redis implements it). */
export interface RecentQuiltSource {
  recentQuilts(count: number): Promise<readonly RecentQuilt[]>;
}

export interface BackgroundSamplerOptions {
  readonly sampler: AvailabilitySampler;
  readonly quilts: RecentQuiltSource;
  /** Time between the end of one round and the start of the next. */
  readonly intervalMs: number;
  /** Quilts sampled per round. */
  readonly quiltsPerRound: number;
  /** Quilts to choose from: the newest this many. @default 100 */
  readonly recentWindow?: number;
  /** @default node:crypto */
  readonly random?: RandomSource;
  readonly logger: Logger;
  readonly metrics?: Metrics;
}

export class BackgroundSampler {
  readonly #options: BackgroundSamplerOptions;
  readonly #random: RandomSource;
  /** Rounds each recent quilt (by height) has been sampled in, for the cumulative confidence in the log. */
  readonly #rounds = new Map<number, number>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #abort = new AbortController();
  #stopped = false;

  constructor(options: BackgroundSamplerOptions) {
    if (!Number.isSafeInteger(options.intervalMs) || options.intervalMs < 1) throw new RangeError(`sample interval must be a positive integer, got ${options.intervalMs}`);
    this.#options = options;
    this.#random = options.random ?? cryptoRandom;
  }

  start(): void {
    if (this.#stopped || this.#timer || this.#running) return;
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#abort.abort();
    await this.#running?.catch(() => undefined);
  }

  /** One round now (serve calls it on its timer; tests call it directly). Undefined: nothing to sample. */
  async runRound(): Promise<RoundReport | undefined> {
    const { sampler, quilts, quiltsPerRound, logger, metrics } = this.#options;
    const signal = this.#abort.signal;
    const committee = await sampler.committee({ signal });
    const recent = (await quilts.recentQuilts(this.#options.recentWindow ?? 100)).filter((q) => q.endEpoch > committee.epoch);
    if (recent.length === 0) {
      logger.debug({ epoch: committee.epoch }, 'availability sampling: no stored quilt to sample');
      return undefined;
    }
    this.#forgetAllBut(recent);
    const targets = pickItems(recent, quiltsPerRound, this.#random);
    const round = await runSamplingRound(sampler, targets, { signal });
    countSamples(metrics, round.quilts);
    warnFailures(logger, round.quilts);
    const rounds = targets.map((t) => {
      const seen = (this.#rounds.get(t.height) ?? 0) + 1;
      this.#rounds.set(t.height, seen);
      return seen;
    });
    const leastSampled = Math.min(...rounds);
    logger.info(
      {
        quilts: round.quilts.map((q) => ({ quilt: q.quiltId, height: q.height })),
        nodes: round.nodes,
        missProbabilityPerRound: round.confidence.missProbabilityPerRound,
        // The quilt with the fewest rounds so far is the one we are least sure of.
        missProbabilityCumulative: detectionConfidence({ nShards: round.nShards, samplesPerRound: round.samplesPerQuilt, rounds: leastSampled }).missProbabilityCumulative,
      },
      round.ok ? 'availability sampling round ok' : 'availability sampling round found failures',
    );
    return round;
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.runRound()
        .catch((error: unknown) => {
          if (!this.#abort.signal.aborted) this.#options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'availability sampling round failed');
        })
        .finally(() => {
          this.#running = undefined;
          if (!this.#stopped) this.#schedule();
        });
    }, this.#options.intervalMs);
    this.#timer.unref();
  }

  #forgetAllBut(recent: readonly RecentQuilt[]): void {
    const keep = new Set(recent.map((q) => q.height));
    for (const key of this.#rounds.keys()) if (!keep.has(key)) this.#rounds.delete(key);
  }
}
