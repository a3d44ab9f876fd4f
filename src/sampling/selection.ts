// What a round samples, chosen at random so a node cannot predict (and serve only) the slivers
// that will be asked for: which recent quilts, and which of each quilt's 2n slivers. Draws are
// without replacement (distinct quilts, distinct slivers), which is what confidence.ts assumes.
// The random source is injected: crypto-strong in production, seeded in tests.
import { randomInt } from 'node:crypto';
import type { SliverAxis } from '../walrus/codec/index.ts';

/** A uniform integer in [0, below). */
export type RandomSource = (below: number) => number;

/** `node:crypto`'s uniform `randomInt`: unpredictable to the storage nodes. */
export const cryptoRandom: RandomSource = (below) => randomInt(below);

/** One sliver of a quilt: a pair index (one per shard, rotated by the blob id) and an axis. */
export interface SliverPick {
  readonly pair: number;
  readonly axis: SliverAxis;
}

/**
 * `count` distinct indices of [0, population), uniformly among all such subsets (Floyd's
 * algorithm: `count` draws, no array of the population), in the order drawn.
 */
export function pickDistinct(population: number, count: number, random: RandomSource = cryptoRandom): number[] {
  if (!Number.isSafeInteger(population) || population < 0) throw new RangeError(`population must be a whole number, got ${population}`);
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be a whole number, got ${count}`);
  const take = Math.min(count, population);
  const chosen = new Set<number>();
  const order: number[] = [];
  for (let j = population - take; j < population; j++) {
    const t = random(j + 1);
    const pick = chosen.has(t) ? j : t;
    chosen.add(pick);
    order.push(pick);
  }
  return order;
}

/**
 * `count` distinct slivers of a blob on `nShards` shards, uniform over the 2n (pair, axis)
 * slivers: sliver i is pair ⌊i/2⌋, primary when i is even.
 */
export function pickSlivers(nShards: number, count: number, random: RandomSource = cryptoRandom): SliverPick[] {
  return pickDistinct(2 * nShards, count, random).map((i) => ({ pair: Math.floor(i / 2), axis: i % 2 === 0 ? 'primary' : 'secondary' }));
}

/** Up to `count` distinct items of `candidates`, uniformly at random. */
export function pickItems<T>(candidates: readonly T[], count: number, random: RandomSource = cryptoRandom): T[] {
  return pickDistinct(candidates.length, count, random).map((i) => candidates[i] as T);
}

/** Fisher–Yates: the items in a uniformly random order (a copy). */
export function shuffled<T>(items: readonly T[], random: RandomSource = cryptoRandom): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
