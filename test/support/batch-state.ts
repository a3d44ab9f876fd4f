// A BatchState on a fresh key prefix of the shared test Redis, for the tests of the batch state
// itself: the connection opens when the test file is collected, and the prefix's keys are deleted
// (and the connection closed) after the file's last test.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { deleteRedisPrefix } from '../../src/batching/batch-keys.ts';
import { BatchState } from '../../src/batching/batch-state.ts';
import { TEST_REDIS_URL } from './stack.ts';

export function useBatchState(name: string): { readonly prefix: string; readonly redis: Redis; readonly state: BatchState } {
  const prefix = `wda-${name}-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(TEST_REDIS_URL);
  const state = new BatchState(redis, { prefix, cacheTtlSeconds: 60 });
  afterAll(async () => {
    redis.disconnect();
    await deleteRedisPrefix(TEST_REDIS_URL, prefix);
  });
  return { prefix, redis, state };
}
