// Fault injection: the serving process dies (SIGKILL, from a test-only hook) right after a frame's
// bytes are written to Redis and before its frame job is added. Nothing would ever batch that
// frame but a re-put; after a restart the orphan sweeper finds it in the held index, and the frame
// is committed and readable without being sent again.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { bytesToHex } from '../../src/bytes/index.ts';
import { encodeBody, frameKey } from '../../src/commitment/index.ts';
import { BatchState } from '../../src/batching/batch-state.ts';
import { deleteRedisPrefix } from '../../src/batching/batch-keys.ts';
import { FRAMES_QUEUE } from '../../src/batching/jobs.ts';
import { batcherFrame, getInput, putGeneric } from '../support/opstack-client.ts';
import { freePort } from '../support/redis-server.ts';
import { startOpStackServe, type ServeProcess } from '../support/serve-process.ts';
import { TEST_REDIS_URL } from '../support/stack.ts';

const prefix = `wda-orphan-${randomUUID().slice(0, 8)}`;
let dir: string;
let running: ServeProcess | undefined;

afterAll(async () => {
  await running?.stop();
  await deleteRedisPrefix(TEST_REDIS_URL, prefix);
  if (dir) await rm(dir, { recursive: true, force: true });
});

function serve(port: number, env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  return startOpStackServe({ dataDir: dir, redisPrefix: prefix, httpPort: port, batchMaxWaitMs: 100, extraArgs: ['--orphan-sweep-ms', '1000'], env });
}

describe('orphan sweep', () => {
  it('commits a frame whose process died between its write and its job, with no re-put', async () => {
    dir = await mkdtemp(join(tmpdir(), 'wda-orphan-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const frame = batcherFrame(20_000);
    const key = frameKey(frame);

    running = await serve(port, { WALRUS_DA_FAULT_KILL_AFTER_FRAME_WRITE: '1' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => running!.child.once('exit', (_code, signal) => resolve(signal)));
    await putGeneric(base, frame).catch(() => undefined); // the connection dies with the process
    expect(await exited).toBe('SIGKILL');
    running = undefined;

    const redis = new Redis(TEST_REDIS_URL);
    const state = new BatchState(redis, { prefix });
    const frames = new Queue(FRAMES_QUEUE, { connection: redis, prefix });
    try {
      // The crash left exactly the orphan: bytes held, no job, no batch, no commitment.
      expect(await state.frame(key)).toEqual(frame);
      expect(await frames.getJob(key)).toBeUndefined();
      expect(await state.batchOf(key)).toBeUndefined();
      expect(await state.commitment(key)).toBeUndefined();

      running = await serve(port);
      const deadline = Date.now() + 90_000;
      let commitment = await state.commitment(key);
      while (!commitment && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        commitment = await state.commitment(key);
      }
      expect(commitment).toBeDefined();
      const got = await getInput(base, `0x0157${bytesToHex(encodeBody(commitment!.body)).slice(2)}`);
      expect(got.status).toBe(200);
      expect(Buffer.from(got.body).equals(Buffer.from(frame))).toBe(true);
      expect(await state.heldCount()).toBe(0);
    } finally {
      await frames.close();
      redis.disconnect();
    }
  }, 180_000);
});
