// Two replicas of one deployment (one Redis prefix, one Walrus): a frame put to either is readable
// from both, and every frame is batched exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFramed, frameKey } from '../../src/commitment/index.ts';
import type { RunningServer } from '../../src/protocols/opstack/server.ts';
import { batcherFrame, getInput, putGeneric } from '../support/opstack-client.ts';
import { startOpStackDoor, startStack, type Stack } from '../support/stack.ts';

let a: Stack;
let b: Stack;
let doorA: RunningServer;
let doorB: RunningServer;

beforeAll(async () => {
  a = await startStack({ maxWaitMs: 150 });
  b = await startStack({ maxWaitMs: 150, walrusLocal: a.walrusLocal, redisPrefix: a.redisPrefix });
  doorA = await startOpStackDoor(a);
  doorB = await startOpStackDoor(b);
});

afterAll(async () => {
  await doorB?.close();
  await doorA?.close();
  await b?.close();
  await a?.close();
});

describe('replicas sharing one Redis', () => {
  it('read each other’s frames and batch every frame exactly once', async () => {
    const frames = Array.from({ length: 40 }, () => batcherFrame(20_000));
    // Half the frames go to each replica; a few are sent to both at once.
    const duplicates = frames.slice(0, 5);
    const puts = await Promise.all([
      ...frames.map((frame, i) => putGeneric(i % 2 === 0 ? doorA.url : doorB.url, frame)),
      ...duplicates.map((frame) => putGeneric(doorB.url, frame)),
    ]);
    expect(puts.every((p) => p.status === 200)).toBe(true);
    // Concurrent duplicates on different replicas collapse to one commitment.
    duplicates.forEach((_, i) => expect(Buffer.from(puts[frames.length + i]!.body).equals(Buffer.from(puts[i]!.body))).toBe(true));

    for (const [i, frame] of frames.entries()) {
      const other = i % 2 === 0 ? doorB.url : doorA.url;
      const got = await getInput(other, puts[i]!.body);
      expect(got.status).toBe(200);
      expect(Buffer.from(got.body).equals(Buffer.from(frame))).toBe(true);
    }

    const latest = await a.service.latestHeight();
    const batched: string[] = [];
    for (let height = 1; height <= latest; height++) batched.push(...((await a.service.batch(height))?.keys ?? []));
    expect(batched.sort()).toEqual(frames.map(frameKey).sort());
    const quilts = new Set(puts.map((p) => Buffer.from(decodeFramed(p.body, 'opstack').quiltId).toString('hex')));
    expect(quilts.size).toBe(latest);
  });
});
