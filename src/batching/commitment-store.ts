// The core's CommitmentStore port over the batch state: the durable record of issued commitments,
// written once per batch by the quilt worker (BatchState.commitBatch) and read by every replica.
import type { CommitmentStore, CommittedBatch, FrameCommitment, FrameKey } from '../core/index.ts';
import type { BatchState } from './batch-state.ts';

export class RedisCommitmentStore implements CommitmentStore {
  readonly #state: BatchState;

  constructor(state: BatchState) {
    this.#state = state;
  }

  get(key: FrameKey): Promise<FrameCommitment | undefined> {
    return this.#state.commitment(key);
  }

  batch(height: number): Promise<CommittedBatch | undefined> {
    return this.#state.batchAt(height);
  }

  latestHeight(): Promise<number> {
    return this.#state.latestHeight();
  }
}
