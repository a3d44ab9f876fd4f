// The core's FrameCache port over the batch state: reads serve a frame's bytes while it is held or
// cached in Redis; fills become cache entries (never a TTL on a frame that is still held).
import type { FrameCache, FrameKey } from '../core/index.ts';
import type { BatchState } from './batch-state.ts';

export class RedisFrameCache implements FrameCache {
  readonly #state: BatchState;

  constructor(state: BatchState) {
    this.#state = state;
  }

  get(key: FrameKey): Promise<Uint8Array | undefined> {
    return this.#state.frame(key);
  }

  put(key: FrameKey, frame: Uint8Array): Promise<void> {
    return this.#state.cacheFrame(key, frame);
  }
}
