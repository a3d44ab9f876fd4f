import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Admission } from './admission.ts';

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('Admission', () => {
  it('admits everything when no limit is set', () => {
    const admission = new Admission();
    for (let i = 0; i < 100; i++) expect(admission.admit('default', 1_000_000)).toHaveProperty('release');
    expect(admission.queuedBytes()).toBe(100_000_000);
  });

  it('limits a chain to its put rate, with a burst, and says when to come back', () => {
    const time = clock();
    const admission = new Admission({ chains: new Map([['alpha', { putsPerSecond: 2, putBurst: 3 }]]), now: time.now });
    const results = Array.from({ length: 4 }, () => admission.admit('alpha', 10));
    expect(results.slice(0, 3).every((r) => 'release' in r)).toBe(true);
    expect(results[3]).toEqual({ refused: { reason: 'chain alpha is over its limit of 2 puts per second', retryAfterMs: 500 } });
    time.advance(499);
    expect(admission.admit('alpha', 10)).toHaveProperty('refused');
    time.advance(1);
    expect(admission.admit('alpha', 10)).toHaveProperty('release');
    // Other chains are not affected.
    expect(admission.admit('beta', 10)).toHaveProperty('release');
  });

  it('caps the bytes a chain has queued, counting nothing for a refused put', () => {
    const admission = new Admission({ chains: new Map([['alpha', { maxQueuedBytes: 250 }]]) });
    const first = admission.admit('alpha', 100);
    const second = admission.admit('alpha', 100);
    const third = admission.admit('alpha', 100);
    expect(third).toEqual({ refused: { reason: 'chain alpha has 200 bytes queued; its limit is 250', retryAfterMs: 1000 } });
    expect(admission.queuedBytes('alpha')).toBe(200);
    if (!('release' in first) || !('release' in second)) throw new Error('expected admissions');
    first.release();
    first.release(); // idempotent
    expect(admission.queuedBytes('alpha')).toBe(100);
    expect(admission.admit('alpha', 150)).toHaveProperty('release');
  });

  it('sheds load across all chains at the global limit', () => {
    const admission = new Admission({ globalMaxQueuedBytes: 300 });
    expect(admission.admit('a', 200)).toHaveProperty('release');
    expect(admission.admit('b', 101)).toEqual({ refused: { reason: 'the server has 200 bytes queued; its limit is 300', retryAfterMs: 1000 } });
    expect(admission.admit('b', 100)).toHaveProperty('release');
  });

  it('never lets queued bytes pass a limit, whatever the order of puts and answers', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 400 }), fc.constantFrom('a', 'b'))), (steps) => {
        const admission = new Admission({ globalMaxQueuedBytes: 1000, chains: new Map([['a', { maxQueuedBytes: 500 }]]) });
        const open: (() => void)[] = [];
        for (const [answer, bytes, chain] of steps) {
          if (answer && open.length > 0) open.shift()?.();
          const result = admission.admit(chain, bytes);
          if ('release' in result) open.push(result.release);
          expect(admission.queuedBytes()).toBeLessThanOrEqual(1000);
          expect(admission.queuedBytes('a')).toBeLessThanOrEqual(500);
          expect(admission.queuedBytes()).toBe(admission.queuedBytes('a') + admission.queuedBytes('b'));
        }
        open.forEach((release) => release());
        expect(admission.queuedBytes()).toBe(0);
      }),
    );
  });
});
