// Work the daemon leaves running after it answered (uploads to nodes that had not confirmed when
// the quorum was reached), tracked so `close()` can cancel it and wait, and the retry policy for
// requests to storage nodes.
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { NodeRequestError } from '../../walrus/nodes/node-client.ts';

export class BackgroundTasks {
  readonly #tasks = new Set<Promise<unknown>>();
  readonly #controller = new AbortController();

  constructor() {
    setMaxListeners(0, this.#controller.signal); // every store in flight listens for shutdown
  }

  /** Aborted when the daemon shuts down. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Tracks `task` until it settles and returns it unchanged. */
  track<T>(task: Promise<T>): Promise<T> {
    const settled = task.then(
      () => undefined,
      () => undefined,
    );
    this.#tasks.add(settled);
    void settled.finally(() => this.#tasks.delete(settled));
    return task;
  }

  async close(): Promise<void> {
    this.#controller.abort();
    await Promise.all(this.#tasks);
  }
}

export interface RetryOptions {
  /** @default 3 */
  readonly attempts?: number;
  /** Delay before the second attempt; doubles each time. @default 100 */
  readonly backoffMs?: number;
}

/** Retries requests that failed for transient reasons (unreachable node, 5xx); 4xx are final. */
export async function retry<T>(request: () => Promise<T>, signal: AbortSignal, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  let delay = options.backoffMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      const transient = error instanceof NodeRequestError && error.retryable;
      if (!transient || attempt >= attempts || signal.aborted) throw error;
      await sleep(delay, undefined, { signal });
      delay *= 2;
    }
  }
}
