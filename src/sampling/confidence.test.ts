import { describe, expect, it } from 'vitest';
import { detectionConfidence, missProbabilityWithReplacement, missProbabilityWithoutReplacement } from './confidence.ts';

// Exact reference: C(N−m, k) / C(N, k) with bigint binomials, an independent derivation of the
// product the code computes.
function binomial(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let result = 1n;
  for (let i = 0; i < k; i++) result = (result * BigInt(n - i)) / BigInt(i + 1);
  return result;
}
function reference(population: number, bad: number, draws: number): number {
  const num = binomial(population - bad, draws);
  const den = binomial(population, draws);
  // Scale to keep 15 significant digits through the bigint division.
  const scale = 10n ** 40n;
  return Number((num * scale) / den) / 1e40;
}

describe('detection confidence', () => {
  it('matches the hypergeometric table (a third of 2n slivers gone, k distinct samples)', () => {
    const table: [nShards: number, k: number, withheld: number][] = [
      [10, 1, 7],
      [10, 2, 7],
      [10, 8, 7],
      [10, 13, 7],
      [10, 14, 7],
      [1000, 1, 667],
      [1000, 8, 667],
      [1000, 16, 667],
      [1000, 32, 667],
      [1000, 64, 667],
    ];
    for (const [nShards, k, withheld] of table) {
      const c = detectionConfidence({ nShards, samplesPerRound: k });
      expect(c.slivers).toBe(2 * nShards);
      expect(c.withheld).toBe(withheld);
      const exact = reference(2 * nShards, withheld, k);
      expect(c.missProbabilityPerRound).toBeCloseTo(exact, 12);
      if (exact > 0) expect(Math.abs(c.missProbabilityPerRound / exact - 1)).toBeLessThan(1e-9);
      expect(c.missProbabilityPerRoundWithReplacement).toBeCloseTo((1 - withheld / (2 * nShards)) ** k, 15);
      // Sampling without replacement never misses more often than with replacement.
      expect(c.missProbabilityPerRound).toBeLessThanOrEqual(c.missProbabilityPerRoundWithReplacement);
    }
  });

  it('gives the hand-computed small cases', () => {
    // 20 slivers, 7 gone: one draw misses with 13/20, two with 13·12 / (20·19).
    expect(missProbabilityWithoutReplacement(20, 7, 1)).toBeCloseTo(0.65, 15);
    expect(missProbabilityWithoutReplacement(20, 7, 2)).toBeCloseTo(156 / 380, 15);
    expect(missProbabilityWithReplacement(20, 7, 2)).toBeCloseTo(0.4225, 15);
    // More draws than good slivers: a miss is impossible.
    expect(missProbabilityWithoutReplacement(20, 7, 14)).toBe(0);
    expect(missProbabilityWithoutReplacement(20, 0, 20)).toBe(1);
    expect(() => missProbabilityWithoutReplacement(20, 0, 21)).toThrow(RangeError);
    expect(() => missProbabilityWithoutReplacement(20, 21, 1)).toThrow(RangeError);
  });

  it('rounds a third up to whole slivers, exactly when it divides', () => {
    expect(detectionConfidence({ nShards: 15, samplesPerRound: 1 }).withheld).toBe(10); // 30 / 3
    expect(detectionConfidence({ nShards: 4, samplesPerRound: 1 }).withheld).toBe(3); // ⌈8 / 3⌉
  });

  it('compounds independent rounds: cumulative = per-round ^ rounds', () => {
    const one = detectionConfidence({ nShards: 1000, samplesPerRound: 16 });
    const ten = detectionConfidence({ nShards: 1000, samplesPerRound: 16, rounds: 10 });
    expect(ten.missProbabilityPerRound).toBe(one.missProbabilityPerRound);
    expect(ten.missProbabilityCumulative).toBeCloseTo(one.missProbabilityPerRound ** 10, 40);
    expect(ten.detectionProbability).toBe(1 - ten.missProbabilityCumulative);
    expect(one.missProbabilityPerRound).toBeGreaterThan(0.0014);
    expect(one.missProbabilityPerRound).toBeLessThan(0.0015);
  });

  it('caps k at the slivers a quilt has', () => {
    expect(detectionConfidence({ nShards: 10, samplesPerRound: 50 }).missProbabilityPerRound).toBe(0);
  });
});
