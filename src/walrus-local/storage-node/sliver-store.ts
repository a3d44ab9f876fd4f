// A storage node's slivers on disk. At n = 1000 a node receives ~500 slivers per blob, so one file
// (and one fsync) per sliver would dominate the write path. Instead every blob gets one file with a
// fixed slot per shard the node holds, filled by positional writes in any order:
//
//   blobs/<blob id hex>/metadata.bcs    BCS BlobMetadataWithId, written once (atomic)
//   blobs/<blob id hex>/slivers.bin     slot k = shard (start + k):
//                                         [k·P, (k+1)·P)              primary sliver   (BCS, P bytes)
//                                         [slots·P + k·S, … + S)      secondary sliver (BCS, S bytes)
//   blobs/<blob id hex>/present.bin     one byte per slot: bit 0 primary stored, bit 1 secondary
//
// Every sliver of a blob has the same BCS length (fixed by the blob's length), so offsets need no
// index. Data is fsynced and `present.bin` rewritten once, when the last slot fills (that is when
// the node will sign a confirmation) and again on close for partially stored blobs.
import { constants } from 'node:fs';
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  blobIdToText,
  decodeBlobMetadataWithId,
  rotationOffset,
  sliverBcsLength,
  sliverLengths,
  type SliverAxis,
} from '../../walrus/codec/index.ts';
import type { ShardRange } from '../committee.ts';
import { writeFileAtomic } from '../state-file.ts';

const PRIMARY_BIT = 1;
const SECONDARY_BIT = 2;

interface StoredBlob {
  readonly dir: string;
  readonly unencodedLength: number;
  readonly primaryLength: number;
  readonly secondaryLength: number;
  readonly present: Uint8Array;
  missing: number;
  dirty: boolean;
  writer: Promise<FileHandle> | undefined;
}

export type StoreResult = 'stored' | 'already-stored';

export class SliverStore {
  readonly #root: string;
  readonly #nShards: number;
  readonly #shards: ShardRange;
  readonly #blobs = new Map<string, StoredBlob>();
  readonly #loading = new Map<string, Promise<StoredBlob | undefined>>();

  constructor(root: string, nShards: number, shards: ShardRange) {
    this.#root = root;
    this.#nShards = nShards;
    this.#shards = shards;
  }

  get slots(): number {
    return this.#shards.end - this.#shards.start;
  }

  /** The slot of `pair` for this blob, or undefined when its shard belongs to another node. */
  slotOf(blobId: Uint8Array, pair: number): number | undefined {
    const shard = (pair + rotationOffset(blobId, this.#nShards)) % this.#nShards;
    return shard >= this.#shards.start && shard < this.#shards.end ? shard - this.#shards.start : undefined;
  }

  shardOf(blobId: Uint8Array, pair: number): number {
    return (pair + rotationOffset(blobId, this.#nShards)) % this.#nShards;
  }

  /** Stores verified metadata (BCS BlobMetadataWithId); false when it was already stored. */
  async putMetadata(blobId: Uint8Array, metadataWithId: Uint8Array, unencodedLength: number): Promise<StoreResult> {
    if (await this.#get(blobId)) return 'already-stored';
    const dir = this.#dir(blobId);
    await writeFileAtomic(join(dir, 'metadata.bcs'), metadataWithId);
    if (!this.#blobs.has(blobIdToText(blobId))) this.#blobs.set(blobIdToText(blobId), this.#entry(dir, unencodedLength, new Uint8Array(this.slots)));
    return 'stored';
  }

  async getMetadata(blobId: Uint8Array): Promise<Uint8Array | undefined> {
    const blob = await this.#get(blobId);
    return blob ? new Uint8Array(await readFile(join(blob.dir, 'metadata.bcs'))) : undefined;
  }

  /** The unencoded length recorded with the metadata, or undefined when no metadata is stored. */
  async unencodedLength(blobId: Uint8Array): Promise<number | undefined> {
    return (await this.#get(blobId))?.unencodedLength;
  }

  async putSliver(blobId: Uint8Array, slot: number, axis: SliverAxis, bcs: Uint8Array): Promise<StoreResult> {
    const blob = await this.#require(blobId);
    const bit = axis === 'primary' ? PRIMARY_BIT : SECONDARY_BIT;
    if (((blob.present[slot] ?? 0) & bit) !== 0) return 'already-stored';
    blob.writer ??= this.#openForWrite(blob);
    try {
      const handle = await blob.writer;
      await handle.write(bcs, 0, bcs.length, this.#offset(blob, slot, axis));
    } catch (error) {
      // A concurrent twin of this request completed the blob and closed the file first.
      if (((blob.present[slot] ?? 0) & bit) !== 0) return 'already-stored';
      throw error;
    }
    if (((blob.present[slot] ?? 0) & bit) !== 0) return 'already-stored'; // a concurrent twin won
    blob.present[slot] = (blob.present[slot] ?? 0) | bit;
    blob.missing--;
    blob.dirty = true;
    if (blob.missing === 0) await this.#persist(blob);
    return 'stored';
  }

  async getSliver(blobId: Uint8Array, slot: number, axis: SliverAxis): Promise<Uint8Array | undefined> {
    const blob = await this.#get(blobId);
    const bit = axis === 'primary' ? PRIMARY_BIT : SECONDARY_BIT;
    if (!blob || ((blob.present[slot] ?? 0) & bit) === 0) return undefined;
    const length = axis === 'primary' ? blob.primaryLength : blob.secondaryLength;
    const out = new Uint8Array(length);
    const handle = await open(join(blob.dir, 'slivers.bin'), 'r');
    try {
      const { bytesRead } = await handle.read(out, 0, length, this.#offset(blob, slot, axis));
      if (bytesRead !== length) throw new Error(`slivers.bin of ${blobIdToText(blobId)} is truncated at slot ${slot}`);
    } finally {
      await handle.close();
    }
    return out;
  }

  /** Whether both slivers of every pair on this node's shards are stored (a confirmation may be signed). */
  async isComplete(blobId: Uint8Array): Promise<boolean> {
    return (await this.#get(blobId))?.missing === 0;
  }

  async hasSliver(blobId: Uint8Array, slot: number, axis: SliverAxis): Promise<boolean> {
    const blob = await this.#get(blobId);
    return blob !== undefined && ((blob.present[slot] ?? 0) & (axis === 'primary' ? PRIMARY_BIT : SECONDARY_BIT)) !== 0;
  }

  /** Persists every partially stored blob and closes open files. */
  async close(): Promise<void> {
    await Promise.all([...this.#loading.values()]);
    for (const blob of this.#blobs.values()) {
      if (blob.dirty) await this.#persist(blob);
    }
  }

  async #persist(blob: StoredBlob): Promise<void> {
    const writer = blob.writer;
    blob.writer = undefined;
    blob.dirty = false;
    if (writer) {
      const handle = await writer;
      await handle.sync();
      await handle.close();
    }
    await writeFileAtomic(join(blob.dir, 'present.bin'), blob.present.slice());
  }

  #offset(blob: StoredBlob, slot: number, axis: SliverAxis): number {
    return axis === 'primary' ? slot * blob.primaryLength : this.slots * blob.primaryLength + slot * blob.secondaryLength;
  }

  async #openForWrite(blob: StoredBlob): Promise<FileHandle> {
    await mkdir(blob.dir, { recursive: true });
    // Read-write, created if missing, never truncated, not in append mode (writes are positional).
    return open(join(blob.dir, 'slivers.bin'), constants.O_RDWR | constants.O_CREAT, 0o644);
  }

  async #require(blobId: Uint8Array): Promise<StoredBlob> {
    const blob = await this.#get(blobId);
    if (!blob) throw new Error(`no metadata stored for ${blobIdToText(blobId)}`);
    return blob;
  }

  #get(blobId: Uint8Array): Promise<StoredBlob | undefined> {
    const text = blobIdToText(blobId);
    const cached = this.#blobs.get(text);
    if (cached) return Promise.resolve(cached);
    let loading = this.#loading.get(text);
    if (!loading) {
      loading = this.#load(blobId).finally(() => this.#loading.delete(text));
      this.#loading.set(text, loading);
    }
    return loading;
  }

  async #load(blobId: Uint8Array): Promise<StoredBlob | undefined> {
    const dir = this.#dir(blobId);
    let metadataBytes: Uint8Array;
    try {
      metadataBytes = new Uint8Array(await readFile(join(dir, 'metadata.bcs')));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let present = new Uint8Array(this.slots);
    try {
      const saved = new Uint8Array(await readFile(join(dir, 'present.bin')));
      if (saved.length === this.slots) present = saved;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const { metadata } = decodeBlobMetadataWithId(metadataBytes);
    const blob = this.#entry(dir, metadata.unencodedLength, present);
    this.#blobs.set(blobIdToText(blobId), blob);
    return blob;
  }

  #entry(dir: string, unencodedLength: number, present: Uint8Array): StoredBlob {
    const lengths = sliverLengths(unencodedLength, this.#nShards);
    let missing = 0;
    for (const flags of present) missing += (flags & PRIMARY_BIT ? 0 : 1) + (flags & SECONDARY_BIT ? 0 : 1);
    return {
      dir,
      unencodedLength,
      primaryLength: sliverBcsLength(lengths.primary),
      secondaryLength: sliverBcsLength(lengths.secondary),
      present,
      missing,
      dirty: false,
      writer: undefined,
    };
  }

  #dir(blobId: Uint8Array): string {
    return join(this.#root, 'blobs', Buffer.from(blobId).toString('hex'));
  }
}
