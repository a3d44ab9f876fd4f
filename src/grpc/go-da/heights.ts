// go-da heights (docs/wire/grpc.md "go-da"). Rollkit reads a DA height with GetIds(h, namespace)
// and then one Get of all its ids, and never looks at a height again; so a height must
//   - hold one namespace's blobs only, in the order they were submitted,
//   - fit one Get response a go-da Go client accepts (4 MiB), and
//   - be complete from the moment GetIds can return it.
// walrus-da's batch heights (one per quilt) have none of these properties: a quilt mixes
// namespaces and chains, orders frames by key and may hold 32 MiB. So each namespace has its own
// go-da heights, assigned when a Submit's frames are all committed: the Submit's frames, in
// submission order, fill new heights of the namespace, a new one starting before the next frame
// would take the response past the limit. All heights of one Submit are written at once and never
// change afterwards; a Submit never adds to a height another Submit wrote, so a reader that saw a
// height has all of it. A frame already placed in the namespace keeps its height, so a retried
// Submit returns the same ids.
//
// This is the go-da door's own port: the state lives with the rest of the put path's Redis state
// (src/batching/batch-state.ts, which implements it) and the composition root hands it over.
import type { FrameKey } from '../../core/index.ts';

/** The go-da height log of every namespace. Methods throw DaErrors (UNAVAILABLE when Redis is down). */
export interface NamespaceHeights {
  /**
   * Places a Submit's committed frames at new heights of `namespace` (lowercase hex), in order,
   * no height over `maxHeightBytes`; returns each frame's height.
   */
  placeSubmission(namespace: string, frames: readonly { readonly key: FrameKey; readonly bytes: number }[], maxHeightBytes: number): Promise<number[]>;
  /** The frames at a height, in submission order, and when the height was written. */
  namespaceHeight(namespace: string, height: number): Promise<{ readonly keys: readonly FrameKey[]; readonly placedAtMs: number } | undefined>;
  /** The namespace's newest height (0 before its first Submit). */
  namespaceHead(namespace: string): Promise<number>;
}
