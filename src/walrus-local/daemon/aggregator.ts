// The aggregator's read path (walrus crates/walrus-service/src/client/daemon.rs and
// crates/walrus-sdk/src/node_client/quilt_client.rs): only certified, unexpired blobs are served
// (404 otherwise, as after expiry on Walrus); data is rebuilt from slivers fetched from the nodes
// and checked against the metadata; quilt patches by id read only the patch's columns.
import {
  blobIdFromText,
  blobIdToText,
  decodeQuiltPatch,
  parseQuiltIndex,
  quiltColumns,
  quiltGeometry,
  quiltPatchIdToText,
  readQuiltPatch,
  type BlobMetadataV1,
  type EncoderPool,
  type QuiltGeometry,
  type QuiltPatch,
  type QuiltPatchId,
} from '../../walrus/codec/index.ts';
import { equalBytes } from '../../bytes/index.ts';
import { ApiError } from '../http/api-status.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { SliverReader } from './sliver-reader.ts';

/** `QuiltPatchItem` of the daemon's routes.rs: note the snake_case `patch_id`. */
export interface QuiltPatchItem {
  readonly identifier: string;
  readonly patch_id: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface AggregatorDeps {
  readonly ledger: Ledger;
  readonly reader: SliverReader;
  readonly encoder: EncoderPool;
}

export interface ReadOptions {
  /** Re-encode the result and compare blob ids (`strict_consistency_check`). */
  readonly strict?: boolean;
  readonly signal?: AbortSignal;
}

export class Aggregator {
  readonly #deps: AggregatorDeps;

  constructor(deps: AggregatorDeps) {
    this.#deps = deps;
  }

  /** The blob id of a Blob object, for `/v1/blobs/by-object-id/{id}`. */
  blobIdOfObject(objectId: string): Uint8Array {
    const blob = this.#deps.ledger.blobObject(objectId);
    if (!blob) throw new ApiError('NOT_FOUND', 'BLOB_NOT_FOUND', `object ${objectId} is not a Walrus Blob object on this network`);
    return blobIdFromText(blob.blobId);
  }

  async readBlob(blobId: Uint8Array, options: ReadOptions = {}): Promise<Uint8Array> {
    this.#requireAvailable(blobId);
    const metadata = await this.#deps.reader.metadata(blobId, options.signal);
    return this.#readVerified(blobId, metadata, options);
  }

  async readPatch(id: QuiltPatchId, signal?: AbortSignal): Promise<QuiltPatch> {
    this.#requireAvailable(id.quiltId);
    const metadata = await this.#deps.reader.metadata(id.quiltId, signal);
    const geometry = this.#geometry(id.quiltId, metadata);
    if (id.endColumn > geometry.columns) throw patchNotFound(`columns [${id.startColumn}, ${id.endColumn}) lie beyond the quilt's ${geometry.columns} columns`);
    const columnList = Array.from({ length: id.endColumn - id.startColumn }, (_, i) => id.startColumn + i);
    const columns = await this.#deps.reader.secondaryColumns(id.quiltId, metadata, columnList, signal);
    // Missing or corrupt columns: read the whole quilt (strictly, as Walrus's quilt client does,
    // so both paths can only ever return the same bytes) and cut the columns out of it.
    const bytes = columns ? concat(columns) : quiltColumns(await this.#readVerified(id.quiltId, metadata, { strict: true, ...(signal ? { signal } : {}) }), geometry, id.startColumn, id.endColumn);
    try {
      return decodeQuiltPatch(bytes);
    } catch (error) {
      throw patchNotFound(`no quilt patch starts at column ${id.startColumn}: ${(error as Error).message}`);
    }
  }

  async listPatches(quiltId: Uint8Array, signal?: AbortSignal): Promise<QuiltPatchItem[]> {
    const quilt = await this.readBlob(quiltId, signal ? { signal } : {});
    let index;
    try {
      index = parseQuiltIndex(quilt, this.#deps.ledger.committee.nShards);
    } catch (error) {
      throw patchNotFound(`blob ${blobIdToText(quiltId)} is not a quilt: ${(error as Error).message}`);
    }
    return index.entries.map((entry) => ({
      identifier: entry.identifier,
      patch_id: quiltPatchIdToText({ quiltId, startColumn: entry.startColumn, endColumn: entry.endColumn }),
      tags: entry.tags,
    }));
  }

  async readPatchByIdentifier(quiltId: Uint8Array, identifier: string, signal?: AbortSignal): Promise<QuiltPatch> {
    const quilt = await this.readBlob(quiltId, signal ? { signal } : {});
    try {
      return readQuiltPatch(quilt, this.#deps.ledger.committee.nShards, { identifier });
    } catch (error) {
      throw patchNotFound(`${(error as Error).message}`);
    }
  }

  async #readVerified(blobId: Uint8Array, metadata: BlobMetadataV1, options: ReadOptions): Promise<Uint8Array> {
    const { reader, encoder, ledger } = this.#deps;
    const n = ledger.committee.nShards;
    const slivers = await reader.primarySlivers(blobId, metadata, options.signal);
    let blob: Uint8Array;
    if (slivers.every((s, i) => s.pair === i)) {
      // All systematic: the blob is the first p rows of the matrix, row-major, cut to its length.
      blob = new Uint8Array(metadata.unencodedLength);
      let offset = 0;
      for (const { data } of slivers) {
        if (offset >= blob.length) break;
        blob.set(data.subarray(0, blob.length - offset), offset);
        offset += data.length;
      }
    } else {
      blob = await encoder.decode({ blobId, length: metadata.unencodedLength, nShards: n, slivers: slivers.map((s) => s.bcs) }, options.signal ? { signal: options.signal } : {});
    }
    if (options.strict) {
      const recomputed = await encoder.blobMetadata(blob, n, options.signal ? { signal: options.signal } : {});
      if (!equalBytes(recomputed.blobId, blobId)) {
        throw new ApiError('INTERNAL', 'INCONSISTENT_BLOB', `blob ${blobIdToText(blobId)} was encoded inconsistently: its data re-encodes to ${blobIdToText(recomputed.blobId)}`);
      }
    }
    return blob;
  }

  #geometry(quiltId: Uint8Array, metadata: BlobMetadataV1): QuiltGeometry {
    try {
      return quiltGeometry(metadata.unencodedLength, this.#deps.ledger.committee.nShards);
    } catch (error) {
      throw patchNotFound(`blob ${blobIdToText(quiltId)} is not a quilt: ${(error as Error).message}`);
    }
  }

  #requireAvailable(blobId: Uint8Array): void {
    if (!this.#deps.ledger.availableBlob(blobIdToText(blobId))) {
      throw new ApiError('NOT_FOUND', 'BLOB_NOT_FOUND', 'the requested blob ID does not exist on Walrus, ensure that it was entered correctly', {
        metadata: { blobId: blobIdToText(blobId) },
      });
    }
  }
}

function patchNotFound(detail: string): ApiError {
  return new ApiError('NOT_FOUND', 'QUILT_PATCH_NOT_FOUND', `the requested quilt patch does not exist on Walrus: ${detail}`);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
