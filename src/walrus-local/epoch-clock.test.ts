import { describe, expect, it } from 'vitest';
import { EpochClock, GENESIS_EPOCH } from './epoch-clock.ts';

describe('EpochClock', () => {
  it('starts at the genesis epoch and ticks with the wall clock plus manual advances', () => {
    let now = 10_000;
    const clock = new EpochClock(1_000, undefined, () => now);
    expect(clock.current()).toBe(GENESIS_EPOCH);
    now += 999;
    expect(clock.current()).toBe(1);
    now += 1;
    expect(clock.current()).toBe(2);
    clock.advance(3);
    expect(clock.current()).toBe(5);
    expect(clock.currentEpochStartMs()).toBe(11_000);
    expect(clock.firstEpochStartMs() + (clock.current() - 1) * 1_000).toBe(clock.currentEpochStartMs());
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it('resumes a saved clock, and keeps the epoch when the duration changes', () => {
    let now = 0;
    const first = new EpochClock(1_000, undefined, () => now);
    now = 5_500;
    first.advance(2);
    expect(first.current()).toBe(8);
    const resumed = new EpochClock(1_000, first.state, () => now);
    expect(resumed.current()).toBe(8);
    const faster = new EpochClock(10, first.state, () => now);
    expect(faster.current()).toBe(8);
    now += 25;
    expect(faster.current()).toBe(10);
    expect(() => new EpochClock(0, undefined)).toThrow(RangeError);
  });
});
