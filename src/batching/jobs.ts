// The BullMQ jobs of the batching: queue names, job data, and the two moves every path shares,
// adding a job by id so that one which already gave up is revived, and following a frame's
// flight pointer to the quilt job it was handed to.
import type { Job, JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FrameKey } from '../core/index.ts';
import type { RedisKeys } from './redis.ts';

export const FRAMES_QUEUE = 'frames';
export const QUILTS_QUEUE = 'quilts';

/** A frame job: id = frame key; the bytes live in Redis under the key, not in the job. */
export interface FrameJobData {
  readonly size: number;
}

/** A quilt job: id = hash of the sorted keys; the data is the batch's exact composition. */
export interface QuiltJobData {
  readonly keys: readonly FrameKey[];
}

/**
 * Adds a job under `options.jobId`. BullMQ keeps an existing job of that id as it is, so one that
 * failed for good would never run again: a repeated add retries it instead.
 */
export async function addOrRevive(queue: Queue, name: string, data: FrameJobData | QuiltJobData, options: JobsOptions): Promise<void> {
  const job = await queue.add(name, data, options);
  if (await job.isFailed()) await job.retry('failed');
}

/** The quilt job a frame was handed to, if the frame was handed off and that job still exists. */
export async function handedOffBatch(redis: Redis, keys: RedisKeys, quilts: Queue<QuiltJobData>, key: FrameKey): Promise<Job<QuiltJobData> | undefined> {
  const batchId = await redis.get(keys.flight(key));
  return batchId === null ? undefined : quilts.getJob(batchId);
}
