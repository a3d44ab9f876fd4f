// Bounded parallelism for calls that fan out over many items (go-da Get, GetIds, Validate): a
// request naming thousands of ids must not start thousands of aggregator reads at once.

/**
 * Maps `items` through `work` with at most `limit` calls in flight, keeping the order. The first
 * failure rejects the whole map and stops new items from starting; an aborted `signal` does too.
 */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      signal.throwIfAborted();
      const index = next++;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
