// Blobs (and, for StorageNodePatchSource, single columns) a reader has read and verified against their blob id, kept in memory so that every
// later read of the same blob — above all the next patch of the same quilt — costs a slice, not an
// encode. Verification at n = 1000 costs one ~1 s wasm encode whatever part of the quilt is read
// (the sliver hashes cover whole matrix rows and columns), so paying it once per quilt is what
// keeps a 120 KB patch read cheap. Entries are whole verified blobs: content-addressed, so they
// never go stale; availability (expiry) is still checked by the caller on every read.

/** Least-recently-used verified blobs under a byte budget; concurrent loads of one blob are shared. */
export class VerifiedBlobCache {
  readonly #maxBytes: number;
  /** Map order is recency: the first entry is the least recently used. */
  readonly #entries = new Map<string, { readonly blob: Promise<Uint8Array>; size: number }>();
  #bytes = 0;

  constructor(maxBytes: number) {
    if (!(maxBytes >= 0)) throw new RangeError(`cache budget must be >= 0 bytes, got ${maxBytes}`);
    this.#maxBytes = maxBytes;
  }

  /** Bytes held by settled entries. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Whether `key` is held or loading. */
  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** The entry under `key` (marked recently used), or undefined; never loads. */
  peek(key: string): Promise<Uint8Array> | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, hit);
    return hit.blob;
  }

  /**
   * The verified blob under `key`, loading it with `load` when absent. A failed load is not kept,
   * so the next read tries again (a node may be back).
   */
  get(key: string, load: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.blob;
    }
    const entry = { blob: load(), size: 0 };
    this.#entries.set(key, entry);
    entry.blob.then(
      (blob) => {
        if (this.#entries.get(key) !== entry) return;
        entry.size = blob.length;
        this.#bytes += blob.length;
        this.#evict(key);
      },
      () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    );
    return entry.blob;
  }

  #evict(keep: string): void {
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) return;
      if (key === keep || entry.size === 0) continue; // the newest entry, and loads still in flight, stay
      this.#entries.delete(key);
      this.#bytes -= entry.size;
    }
    // A single blob larger than the budget is served once and not kept.
    const newest = this.#entries.get(keep);
    if (newest && this.#bytes > this.#maxBytes) {
      this.#entries.delete(keep);
      this.#bytes -= newest.size;
    }
  }
}
