// `--out` needs the frames the verifier read. Rather than downloading each frame a second time, the
// verifier's BlobStore is wrapped: every patch an aggregator serves and the verifier accepts (its
// keccak matches the commitment) is kept until the scan takes it. Two batches of the same frame
// may be verified at once, so a frame is kept until it was taken as often as it was read.
import { bytesToBareHex } from '../bytes/index.ts';
import { frameKey } from '../commitment/index.ts';
import type { BlobStore } from '../core/index.ts';

export class FrameRecorder {
  readonly #frames = new Map<string, { readonly data: Uint8Array; reads: number }>();

  /** A BlobStore that behaves like `store` and remembers the patches it returns. */
  wrap(store: BlobStore): BlobStore {
    return {
      store: (quilt, options) => store.store(quilt, options),
      readBlob: (blobId, options) => store.readBlob(blobId, options),
      readQuiltPatch: async (id, options) => {
        const patch = await store.readQuiltPatch(id, options);
        const key = frameKey(patch.data);
        const kept = this.#frames.get(key);
        if (kept) kept.reads++;
        else this.#frames.set(key, { data: patch.data, reads: 1 });
        return patch;
      },
    };
  }

  /** The frame with this keccak; call once per successful read (the verifier's data step passed). */
  take(keccak: Uint8Array): Uint8Array | undefined {
    const key = bytesToBareHex(keccak);
    const kept = this.#frames.get(key);
    if (kept && --kept.reads === 0) this.#frames.delete(key);
    return kept?.data;
  }

  /** Frames read and not yet taken (a leak check for tests). */
  get size(): number {
    return this.#frames.size;
  }
}
