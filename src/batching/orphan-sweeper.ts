// Batches frames that a crash left held without a job. A put writes the frame (holdFrame), then adds
// its frame job; a replica that dies, or a Redis call that fails, between the two leaves the bytes
// in Redis with nothing that would ever batch them until the same frame is put again. The sweeper
// walks the held index (batch-keys.ts `<p>:held`), oldest first, and for every frame held longer
// than the grace period that is neither committed, nor handed to a quilt job that still exists, nor
// waiting in a frame job, adds its frame job. Every step is idempotent (the frame job's id is the
// frame key, so two replicas sweeping at once add one job), so each replica with workers sweeps on
// its own timer; no leader is needed.
import type { Queue } from 'bullmq';
import type { FrameKey } from '../core/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { BatchState } from './batch-state.ts';
import { addFrameJob, handedOffBatch, type FrameJobData, type QuiltJobData } from './jobs.ts';
import { redisCall } from './redis-connections.ts';

export interface OrphanSweeperOptions {
  readonly state: BatchState;
  readonly frames: Queue<FrameJobData>;
  readonly quilts: Queue<QuiltJobData>;
  readonly logger: Logger;
  /** How often to sweep, and how long a frame must have been held before it is looked at. @default 30000 */
  readonly intervalMs?: number;
  /** Frames checked per round trip. @default 200 */
  readonly pageSize?: number;
}

export interface SweepResult {
  /** Held frames older than the grace period that were looked at. */
  readonly checked: number;
  /** Frames found committed (taken out of the held index). */
  readonly committed: number;
  /** Frames given back a frame job. */
  readonly requeued: number;
}

export class OrphanSweeper {
  readonly #o: OrphanSweeperOptions;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(options: OrphanSweeperOptions) {
    this.#o = options;
    this.#intervalMs = options.intervalMs ?? 30_000;
  }

  /** Sweeps every interval until stopped; a failed sweep (Redis down) is logged and tried again. */
  start(): void {
    this.#timer = setInterval(() => {
      if (this.#running) return;
      this.#running = this.sweep()
        .then((result) => {
          if (result.requeued > 0) this.#o.logger.warn(result, 'batched frames a crash had left without a job');
        })
        .catch((error: unknown) => this.#o.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'orphan sweep failed'))
        .finally(() => (this.#running = undefined));
    }, this.#intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass over the held index. */
  async sweep(): Promise<SweepResult> {
    const { state } = this.#o;
    const pageSize = this.#o.pageSize ?? 200;
    const cutoff = Date.now() - this.#intervalMs;
    let offset = 0;
    let checked = 0;
    let committed = 0;
    let requeued = 0;
    for (;;) {
      const page = await state.heldBefore(cutoff, offset, pageSize);
      if (page.length === 0) break;
      checked += page.length;
      const done = [...(await state.commitmentsOf(page)).keys()];
      await state.settleCommitted(done);
      committed += done.length;
      const open = page.filter((key) => !done.includes(key));
      const orphans = (await Promise.all(open.map(async (key) => ((await this.#hasJob(key)) ? undefined : key)))).filter((k): k is FrameKey => k !== undefined);
      for (const key of orphans) await this.#requeue(key);
      requeued += orphans.length;
      offset += open.length; // committed ones left the index; the rest stay in it
      if (page.length < pageSize) break;
    }
    return { checked, committed, requeued };
  }

  async #hasJob(key: FrameKey): Promise<boolean> {
    if (await handedOffBatch(this.#o.state, this.#o.quilts, key)) return true;
    return (await redisCall('frame job read', () => this.#o.frames.getJob(key))) !== undefined;
  }

  async #requeue(key: FrameKey): Promise<void> {
    const bytes = await this.#o.state.frame(key);
    // Gone meanwhile (committed without a cache): nothing to batch, the index entry goes too.
    if (bytes === undefined) return this.#o.state.settleCommitted([key]);
    await addFrameJob(this.#o.frames, key, bytes.length);
  }
}
