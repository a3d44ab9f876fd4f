// What a storage node needs to answer GET /v1/blobs/{id}/recoverySymbols with symbols taken from
// its secondary slivers: each column's full Reed–Solomon expansion (p → n symbols), whose Merkle
// root is the column's secondary hash, and proofs into it (docs/wire/walrus.md "Blob id";
// src/walrus/codec/recovery-symbol.ts). Real nodes expand natively; here Walrus's wasm encoder
// does it with a crafted blob (`blobWithColumns`, src/walrus/codec/sliver-verify.ts): this node's columns are
// placed in the first columns of a p×s matrix of the blob's symbol size, and row r of the crafted
// encode's primary sliver r then holds, at column i, row r of the i-th placed column's expansion
// (the code is a product code, so a column's expansion depends on that column alone).
// One encode per blob and node (≈1.45 s at n = 1000, walrus-local's cost, not the reader's),
// cached per blob under a byte budget, with proofs cached per symbol.
import { blobIdToText, blobWithColumns, decodeSliverData, encodingConfig, merkleProof, symbolSize, type EncoderPool } from '../../walrus/codec/index.ts';

/** One column's expansion: symbol r of the n expanded rows, and proofs computed so far. */
export interface ExpandedColumn {
  readonly symbols: readonly Uint8Array[];
  readonly proofs: Map<number, Uint8Array[]>;
}

export interface ColumnSource {
  /** The column indices (secondary sliver indices) whose secondary sliver this node stores. */
  storedColumns(blobId: Uint8Array): Promise<number[]>;
  /** The stored secondary sliver (BCS) of `column`. */
  secondarySliver(blobId: Uint8Array, column: number): Promise<Uint8Array | undefined>;
  unencodedLength(blobId: Uint8Array): Promise<number | undefined>;
}

export class ColumnExpander {
  readonly #nShards: number;
  readonly #encoder: Pick<EncoderPool, 'encode'>;
  readonly #source: ColumnSource;
  readonly #maxBytes: number;
  /** Map order is recency. */
  readonly #blobs = new Map<string, { readonly columns: Promise<Map<number, ExpandedColumn>>; size: number }>();
  #bytes = 0;

  constructor(nShards: number, encoder: Pick<EncoderPool, 'encode'>, source: ColumnSource, maxBytes = 64 * 1024 * 1024) {
    this.#nShards = nShards;
    this.#encoder = encoder;
    this.#source = source;
    this.#maxBytes = maxBytes;
  }

  /** The expansions of every column this node stores for `blobId` (empty when it stores none). */
  expanded(blobId: Uint8Array): Promise<Map<number, ExpandedColumn>> {
    const key = blobIdToText(blobId);
    const hit = this.#blobs.get(key);
    if (hit) {
      this.#blobs.delete(key);
      this.#blobs.set(key, hit);
      return hit.columns;
    }
    const entry = { columns: this.#expand(blobId), size: 0 };
    this.#blobs.set(key, entry);
    entry.columns.then(
      (columns) => {
        if (this.#blobs.get(key) !== entry) return;
        for (const column of columns.values()) entry.size += column.symbols.reduce((sum, s) => sum + s.length, 0);
        this.#bytes += entry.size;
        for (const [other, value] of this.#blobs) {
          if (this.#bytes <= this.#maxBytes) break;
          if (other === key || value.size === 0) continue;
          this.#blobs.delete(other);
          this.#bytes -= value.size;
        }
      },
      () => {
        if (this.#blobs.get(key) === entry) this.#blobs.delete(key);
      },
    );
    return entry.columns;
  }

  /** Proof of row `row` in `column`'s tree (cached). */
  static proof(column: ExpandedColumn, row: number): Uint8Array[] {
    let path = column.proofs.get(row);
    if (!path) {
      path = merkleProof(column.symbols, row);
      column.proofs.set(row, path);
    }
    return path;
  }

  async #expand(blobId: Uint8Array): Promise<Map<number, ExpandedColumn>> {
    const n = this.#nShards;
    const length = await this.#source.unencodedLength(blobId);
    const out = new Map<number, ExpandedColumn>();
    if (length === undefined) return out;
    const { secondarySymbols: s } = encodingConfig(n);
    const sym = symbolSize(length, n);
    const stored: { column: number; data: Uint8Array }[] = [];
    for (const column of await this.#source.storedColumns(blobId)) {
      const bcs = await this.#source.secondarySliver(blobId, column);
      if (bcs) stored.push({ column, data: decodeSliverData(bcs).data });
    }
    // One crafted blob holds at most s columns (a node with more pairs than s needs two encodes).
    for (let start = 0; start < stored.length; start += s) {
      const batch = stored.slice(start, start + s);
      const encoded = await this.#encoder.encode(blobWithColumns(batch.map((b) => b.data), n, sym), n);
      const rows = encoded.primarySlivers.map((bcs) => decodeSliverData(bcs).data);
      batch.forEach(({ column }, slot) => {
        out.set(column, { symbols: rows.map((row) => row.slice(slot * sym, (slot + 1) * sym)), proofs: new Map() });
      });
    }
    return out;
  }
}
