import { describe, expect, it } from 'vitest';
import { FramesInTransit, TRANSIT_MS } from './frames-in-transit.ts';

describe('FramesInTransit', () => {
  it('is pending from a frame being queued until the worker has it', () => {
    let now = 1000;
    const transit = new FramesInTransit(() => now);
    expect(transit.pending).toBe(false);
    transit.queued('a');
    transit.queued('b');
    expect(transit.pending).toBe(true);
    transit.arrived('a');
    expect(transit.pending).toBe(true);
    transit.arrived('b');
    expect(transit.pending).toBe(false);
    now += 1;
    expect(transit.pending).toBe(false);
  });

  it('stops counting a frame after TRANSIT_MS (another replica picked it up)', () => {
    let now = 0;
    const transit = new FramesInTransit(() => now);
    transit.queued('elsewhere');
    now += TRANSIT_MS;
    expect(transit.pending).toBe(true);
    now += 1;
    expect(transit.pending).toBe(false);
  });
});
