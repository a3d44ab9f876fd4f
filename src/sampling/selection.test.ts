import { describe, expect, it } from 'vitest';
import { pickDistinct, pickItems, pickSlivers, shuffled, type RandomSource } from './selection.ts';

/** A seeded xorshift32 source, so a failure reproduces. */
function seeded(seed: number): RandomSource {
  let x = seed >>> 0 || 1;
  return (below) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % below;
  };
}

describe('selection', () => {
  it('draws distinct indices inside the population, never more than it has', () => {
    const random = seeded(7);
    for (const [population, count] of [[20, 5], [20, 20], [20, 30], [1, 1], [0, 3], [2000, 16]] as const) {
      const picked = pickDistinct(population, count, random);
      expect(picked).toHaveLength(Math.min(population, count));
      expect(new Set(picked).size).toBe(picked.length);
      for (const i of picked) {
        expect(Number.isInteger(i)).toBe(true);
        expect(i).toBeGreaterThanOrEqual(0);
        expect(i).toBeLessThan(population);
      }
    }
    expect(() => pickDistinct(-1, 1)).toThrow(RangeError);
    expect(() => pickDistinct(5, 1.5)).toThrow(RangeError);
  });

  it('covers the population uniformly (every sliver about equally often)', () => {
    const random = seeded(99);
    const counts = new Array<number>(20).fill(0);
    const trials = 20_000;
    for (let t = 0; t < trials; t++) for (const i of pickDistinct(20, 4, random)) counts[i] = (counts[i] ?? 0) + 1;
    const expected = (trials * 4) / 20; // 4000
    // Chi-square with 19 degrees of freedom: 43.8 is its 99.9th percentile.
    const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(43.8);
    expect(Math.min(...counts)).toBeGreaterThan(0);
  });

  it('maps slivers to pairs and both axes, pair < n', () => {
    const random = seeded(3);
    const seen = new Set<string>();
    for (let t = 0; t < 200; t++) {
      const picks = pickSlivers(10, 6, random);
      expect(new Set(picks.map((p) => `${p.pair}/${p.axis}`)).size).toBe(6);
      for (const p of picks) {
        expect(p.pair).toBeGreaterThanOrEqual(0);
        expect(p.pair).toBeLessThan(10);
        seen.add(`${p.pair}/${p.axis}`);
      }
    }
    expect(seen.size).toBe(20); // every sliver of both axes comes up
    expect(pickSlivers(10, 100, random)).toHaveLength(20);
  });

  it('picks distinct items and shuffles without losing any', () => {
    const random = seeded(11);
    const items = ['a', 'b', 'c', 'd', 'e'];
    const picked = pickItems(items, 3, random);
    expect(new Set(picked).size).toBe(3);
    for (const item of picked) expect(items).toContain(item);
    expect(pickItems(items, 9, random).sort()).toEqual(items);
    expect(shuffled(items, random).sort()).toEqual(items);
    expect(items).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('uses node:crypto by default', () => {
    const picked = pickDistinct(1000, 10);
    expect(new Set(picked).size).toBe(10);
  });
});
