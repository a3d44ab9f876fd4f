// How sure a round of samples makes us that a quilt is whole (docs/sampling.md "Detection
// confidence"). The adversary we size against withholds (or corrupts) a fraction f of a quilt's
// 2n slivers (n primary + n secondary, one pair per shard); we detect it as soon as one sample
// lands on a bad sliver.
//
// A round draws k distinct slivers uniformly from the N = 2n (selection.ts), i.e. WITHOUT
// replacement, so the chance that it misses all m = ⌈f·N⌉ bad slivers is hypergeometric:
//
//   P_round = C(N−m, k) / C(N, k) = ∏_{i=0}^{k−1} (N−m−i) / (N−i)      (0 once k > N−m)
//
// Rounds draw afresh and independently, so after r rounds P_cumulative = P_round^r. The
// with-replacement figure (1 − m/N)^k is the textbook bound, always ≥ the exact one, and is
// reported next to it so the two can be compared.

/** The fraction of slivers the issue sizes against: a third gone. */
export const DEFAULT_WITHHELD_FRACTION = 1 / 3;

export interface DetectionConfidence {
  /** Slivers of one quilt: 2 × shards. */
  readonly slivers: number;
  /** Slivers assumed gone: ⌈fraction × slivers⌉. */
  readonly withheld: number;
  readonly withheldFraction: number;
  /** Distinct slivers sampled per quilt per round. */
  readonly samplesPerRound: number;
  readonly rounds: number;
  /** Chance one round misses every withheld sliver (exact, sampling without replacement). */
  readonly missProbabilityPerRound: number;
  /** Chance all `rounds` rounds miss: missProbabilityPerRound ^ rounds. */
  readonly missProbabilityCumulative: number;
  /** (1 − withheld/slivers)^k: the same round sampled with replacement (an upper bound). */
  readonly missProbabilityPerRoundWithReplacement: number;
  /** 1 − missProbabilityCumulative. */
  readonly detectionProbability: number;
}

/** The exact hypergeometric miss probability of k distinct draws from N with m bad. */
export function missProbabilityWithoutReplacement(population: number, bad: number, draws: number): number {
  checkCounts(population, bad, draws);
  if (draws > population) throw new RangeError(`cannot draw ${draws} distinct items from ${population}`);
  if (draws > population - bad) return 0;
  let p = 1;
  for (let i = 0; i < draws; i++) p *= (population - bad - i) / (population - i);
  return p;
}

/** (1 − m/N)^k: k independent uniform draws from N with m bad, all good. */
export function missProbabilityWithReplacement(population: number, bad: number, draws: number): number {
  checkCounts(population, bad, draws);
  return (1 - bad / population) ** draws;
}

export function detectionConfidence(options: {
  readonly nShards: number;
  readonly samplesPerRound: number;
  /** @default 1 */
  readonly rounds?: number;
  /** @default 1/3 */
  readonly withheldFraction?: number;
}): DetectionConfidence {
  const { nShards, samplesPerRound } = options;
  const rounds = options.rounds ?? 1;
  const withheldFraction = options.withheldFraction ?? DEFAULT_WITHHELD_FRACTION;
  if (!Number.isSafeInteger(nShards) || nShards < 1) throw new RangeError(`shard count must be a positive integer, got ${nShards}`);
  if (!Number.isSafeInteger(rounds) || rounds < 0) throw new RangeError(`rounds must be a whole number, got ${rounds}`);
  if (!(withheldFraction >= 0 && withheldFraction <= 1)) throw new RangeError(`withheld fraction must be in [0, 1], got ${withheldFraction}`);
  const slivers = 2 * nShards;
  // The tiny epsilon keeps f·N = 20/3·3 = 20.000000000000004 from rounding up to 21.
  const withheld = Math.min(slivers, Math.ceil(withheldFraction * slivers - 1e-9));
  const perRound = missProbabilityWithoutReplacement(slivers, withheld, Math.min(samplesPerRound, slivers));
  const cumulative = perRound ** rounds;
  return {
    slivers,
    withheld,
    withheldFraction,
    samplesPerRound,
    rounds,
    missProbabilityPerRound: perRound,
    missProbabilityCumulative: cumulative,
    missProbabilityPerRoundWithReplacement: missProbabilityWithReplacement(slivers, withheld, samplesPerRound),
    detectionProbability: 1 - cumulative,
  };
}

function checkCounts(population: number, bad: number, draws: number): void {
  if (!Number.isSafeInteger(population) || population < 1) throw new RangeError(`population must be a positive integer, got ${population}`);
  if (!Number.isSafeInteger(bad) || bad < 0 || bad > population) throw new RangeError(`bad count must be in [0, ${population}], got ${bad}`);
  if (!Number.isSafeInteger(draws) || draws < 0) throw new RangeError(`draws must be a whole number, got ${draws}`);
}
