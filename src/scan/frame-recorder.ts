// `--out` needs the frames the verifier read. Rather than downloading each frame a second time, the
// verifier's BlobStore is wrapped: every patch an aggregator serves and the verifier accepts (its
// keccak matches the commitment) is kept until the scan takes it.
import { bytesToBareHex } from '../bytes/index.ts';
import { frameKey } from '../commitment/index.ts';
import type { BlobStore } from '../core/index.ts';

export class FrameRecorder {
  readonly #frames = new Map<string, Uint8Array>();

  /** A BlobStore that behaves like `store` and remembers the patches it returns. */
  wrap(store: BlobStore): BlobStore {
    return {
      store: (quilt, options) => store.store(quilt, options),
      readBlob: (blobId, options) => store.readBlob(blobId, options),
      readQuiltPatch: async (id, options) => {
        const patch = await store.readQuiltPatch(id, options);
        this.#frames.set(frameKey(patch.data), patch.data);
        return patch;
      },
    };
  }

  /** The frame with this keccak, if the verifier read it; forgets it. */
  take(keccak: Uint8Array): Uint8Array | undefined {
    const key = bytesToBareHex(keccak);
    const frame = this.#frames.get(key);
    this.#frames.delete(key);
    return frame;
  }
}
