// The BullMQ jobs of the batching: queue names, what each job carries, records as progress and
// returns, and the moves every path shares: naming a batch's quilt job, adding a job by id so that
// one which already gave up is revived, and following a frame to the quilt job it was handed to.
import type { Job, JobsOptions, Queue } from 'bullmq';
import { frameKey } from '../commitment/index.ts';
import type { FrameKey } from '../core/index.ts';
import type { BatchState } from './batch-state.ts';
import { redisCall } from './redis-connections.ts';

export const FRAMES_QUEUE = 'frames';
export const QUILTS_QUEUE = 'quilts';

const FRAME_JOB_OPTIONS = { removeOnComplete: true, removeOnFail: { age: 7 * 86_400 }, attempts: 5, backoff: { type: 'exponential', delay: 1000 } } as const;

/** A frame job: id = frame key; the bytes live in the batch state under the key, not in the job. */
export interface FrameJobData {
  readonly size: number;
}

/** A quilt job: id = hash of the sorted keys; the data is the batch's exact composition. */
export interface QuiltJobData {
  readonly keys: readonly FrameKey[];
}

export type BatchStage = 'encoding' | 'storing' | 'stored';

/** A quilt job's checkpoint (its BullMQ progress), which GetStatus reports. */
export interface BatchProgress {
  readonly stage: BatchStage;
  readonly quiltId?: string;
  readonly objectId?: string;
}

/** What a quilt job returns; the frame queue wakes the waiters of `keys` on completion. */
export interface CommittedQuilt {
  readonly height: number;
  readonly quiltId: string;
  readonly keys: readonly FrameKey[];
  /** Where the batch's time went (ms): what a lone frame's latency is made of. */
  readonly stages?: BatchStages;
}

/**
 * One batch's timeline, in milliseconds from the quilt job's start. The local blob id and the
 * publisher store run at the same time, so `blobIdMs` and `storeMs` overlap.
 */
export interface BatchStages {
  /** Frames read from Redis and the Walrus epoch known. */
  readonly readMs: number;
  /** Quilt built (worker thread). */
  readonly buildMs: number;
  /** Local blob id computed (worker thread), measured from the end of the build. */
  readonly blobIdMs: number;
  /** Publisher answered, measured from the end of the build. */
  readonly storeMs: number;
  /** Sui shows the Blob object certified, measured from when both of the above were done. */
  readonly certifyMs: number;
  /** Commitments recorded in Redis. */
  readonly commitMs: number;
  readonly totalMs: number;
}

export function progressOf(value: unknown): BatchProgress | undefined {
  return typeof value === 'object' && value !== null && 'stage' in value ? (value as BatchProgress) : undefined;
}

/**
 * The quilt job of a batch: its keys, deduplicated and sorted, and an id hashed from them, so the
 * same frames always make the same job (a repeated hand-off revives it instead of adding another).
 */
export function quiltJobFor(batch: readonly FrameKey[]): { readonly batchId: string; readonly keys: readonly FrameKey[] } {
  const keys = [...new Set(batch)].sort();
  return { batchId: `q${frameKey(new TextEncoder().encode(keys.join(',')))}`, keys };
}

/**
 * Adds a job under `options.jobId`. BullMQ keeps an existing job of that id as it is, so one that
 * failed for good would never run again: a repeated add retries it instead.
 */
export async function addOrRevive(queue: Queue, name: string, data: FrameJobData | QuiltJobData, options: JobsOptions): Promise<Job> {
  const job = await queue.add(name, data, options);
  await reviveIfFailed(job);
  return job;
}

/** Adds (or revives) a held frame's job: a put and the orphan sweeper add the very same job. */
export async function addFrameJob(frames: Queue<FrameJobData>, key: FrameKey, size: number): Promise<void> {
  await redisCall('frame enqueue', () => addOrRevive(frames, 'frame', { size }, { jobId: key, ...FRAME_JOB_OPTIONS }));
}

/** Retries a job that failed for good (a repeated put of one of its frames asks for it again). */
export async function reviveIfFailed(job: Job): Promise<void> {
  if (await job.isFailed()) await job.retry('failed');
}

/** The quilt job a frame was handed to, if the frame was handed off and that job still exists. */
export async function handedOffBatch(state: BatchState, quilts: Queue<QuiltJobData>, key: FrameKey): Promise<Job<QuiltJobData> | undefined> {
  const batchId = await state.batchOf(key);
  return batchId === undefined ? undefined : redisCall('quilt job read', () => quilts.getJob(batchId));
}
