// kill -9 of a serving process while frames are queued: after a restart every frame that had been
// answered with a commitment is readable, and the frames still queued complete on their own.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { bytesToHex } from '../../src/bytes/index.ts';
import { encodeBody, frameKey } from '../../src/commitment/index.ts';
import { batcherFrame, getInput, putGeneric } from '../support/opstack-client.ts';
import { freePort } from '../support/redis-server.ts';
import { startOpStackServe, type ServeProcess } from '../support/serve-process.ts';
import { BatchState } from '../../src/batching/batch-state.ts';
import { deleteRedisPrefix } from '../../src/batching/batch-keys.ts';
import { TEST_REDIS_URL } from '../support/stack.ts';

const prefix = `wda-crash-${randomUUID().slice(0, 8)}`;
let dir: string;
let running: ServeProcess | undefined;

afterAll(async () => {
  await running?.stop();
  await deleteRedisPrefix(TEST_REDIS_URL, prefix);
  if (dir) await rm(dir, { recursive: true, force: true });
});

function serve(port: number, maxWaitMs: number): Promise<ServeProcess> {
  return startOpStackServe({ dataDir: dir, redisPrefix: prefix, httpPort: port, batchMaxWaitMs: maxWaitMs });
}

describe('crash recovery', () => {
  it('keeps answered frames readable and completes queued ones after kill -9', async () => {
    dir = await mkdtemp(join(tmpdir(), 'wda-crash-'));
    const port = await freePort();
    running = await serve(port, 100);
    const base = `http://127.0.0.1:${port}`;

    const answered = Array.from({ length: 8 }, () => batcherFrame(30_000));
    const commitments = await Promise.all(answered.map((f) => putGeneric(base, f)));
    expect(commitments.every((c) => c.status === 200)).toBe(true);

    // Restart with a long batch window so the next frames sit in Redis when the process dies.
    await running.stop();
    running = await serve(port, 60_000);
    const queued = Array.from({ length: 6 }, () => batcherFrame(30_000));
    const inFlight = queued.map((f) => putGeneric(base, f).catch(() => undefined));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await running.kill();
    await Promise.all(inFlight); // connections reset: the batcher never got these commitments

    running = await serve(port, 100);
    for (const [i, frame] of answered.entries()) {
      const got = await getInput(base, commitments[i]!.body);
      expect(got.status).toBe(200);
      expect(Buffer.from(got.body).equals(Buffer.from(frame))).toBe(true);
    }
    // The queued frames complete without being sent again (their stalled jobs return to the queue
    // once the dead process's locks expire): their commitments appear in Redis, and the generic
    // commitments built from them serve the exact bytes.
    const redis = new Redis(TEST_REDIS_URL);
    const state = new BatchState(redis, { prefix });
    try {
      const deadline = Date.now() + 90_000;
      const bodies = new Map<number, string>();
      while (bodies.size < queued.length && Date.now() < deadline) {
        for (const [i, frame] of queued.entries()) {
          const commitment = await state.commitment(frameKey(frame));
          if (commitment) bodies.set(i, bytesToHex(encodeBody(commitment.body)));
        }
        if (bodies.size < queued.length) await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      expect(bodies.size).toBe(queued.length);
      for (const [i, body] of bodies) {
        const got = await getInput(base, `0x0157${body.slice(2)}`);
        expect(got.status).toBe(200);
        expect(Buffer.from(got.body).equals(Buffer.from(queued[i]!))).toBe(true);
      }
    } finally {
      redis.disconnect();
    }
  }, 180_000);
});
