// The aggregator's read path (walrus crates/walrus-service/src/client/daemon.rs and
// crates/walrus-sdk/src/node_client/quilt_client.rs): only certified, unexpired blobs are served
// (404 otherwise, as after expiry on Walrus); data is rebuilt from slivers fetched from the nodes
// and checked against the metadata; quilt patches by id read only the patch's columns.
import { blobIdFromText, blobIdToText, decodeQuiltPatch, parseQuiltIndex, quiltColumns, quiltGeometry, readQuiltPatch, type EncoderPool, type QuiltGeometry, type QuiltPatch } from '../../walrus/codec/index.ts';
import { quiltPatchIdToText, type QuiltPatchId } from '../../commitment/index.ts';
import { ApiError } from '../http/api-status.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { SliverReader } from '../../walrus/nodes/sliver-reader.ts';
import { VerifiedBlobCache } from '../../walrus/nodes/verified-blobs.ts';

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
  /** Memory for verified blobs (src/walrus/nodes/verified-blobs.ts). @default 256 MiB */
  readonly verifiedCacheBytes?: number;
}

export interface ReadOptions {
  /** Re-encode the result and compare blob ids (`strict_consistency_check`). */
  readonly strict?: boolean;
  readonly signal?: AbortSignal;
}

export class Aggregator {
  readonly #deps: AggregatorDeps;
  readonly #verified: VerifiedBlobCache;

  constructor(deps: AggregatorDeps) {
    this.#deps = deps;
    this.#verified = new VerifiedBlobCache(deps.verifiedCacheBytes ?? 256 * 1024 * 1024);
  }

  /**
   * Keeps `data` as the verified content of `blobId`. Only for bytes whose blob id was computed
   * from them in this process (the colocated publisher's encode), never for bytes read from nodes.
   */
  rememberVerified(blobId: Uint8Array, data: Uint8Array): void {
    void this.#verified.get(blobIdToText(blobId), () => Promise.resolve(data));
  }

  /** The blob id of a Blob object, for `/v1/blobs/by-object-id/{id}`. */
  blobIdOfObject(objectId: string): Uint8Array {
    const blob = this.#deps.ledger.blobObject(objectId);
    if (!blob) throw new ApiError('NOT_FOUND', 'BLOB_NOT_FOUND', `object ${objectId} is not a Walrus Blob object on this network`);
    return blobIdFromText(blob.blobId);
  }

  /**
   * A blob, verified strictly (its data re-encodes to its blob id) whatever `strict` says: the
   * strict check costs the same one encode as checking the slivers, and the result is cached.
   */
  async readBlob(blobId: Uint8Array, options: ReadOptions = {}): Promise<Uint8Array> {
    this.#requireAvailable(blobId);
    return this.#verifiedBlob(blobId, options.signal);
  }

  /**
   * One patch, cut from the verified quilt. The first read of a quilt pays one encode (and p
   * primary sliver fetches); every later patch of the same quilt is a slice of the cached blob.
   */
  async readPatch(id: QuiltPatchId, signal?: AbortSignal): Promise<QuiltPatch> {
    this.#requireAvailable(id.quiltId);
    const quilt = await this.#verifiedBlob(id.quiltId, signal);
    const geometry = this.#geometry(id.quiltId, quilt.length);
    if (id.endColumn > geometry.columns) throw patchNotFound(`columns [${id.startColumn}, ${id.endColumn}) lie beyond the quilt's ${geometry.columns} columns`);
    const bytes = quiltColumns(quilt, geometry, id.startColumn, id.endColumn);
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

  /**
   * Shared by concurrent readers, so one caller's abort must not fail the others: the load runs
   * unbound (each node request has its own timeout) and each caller stops waiting on its own signal.
   */
  #verifiedBlob(blobId: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    const load = this.#verified.get(blobIdToText(blobId), () => this.#loadVerified(blobId));
    if (!signal) return load;
    signal.throwIfAborted();
    return new Promise<Uint8Array>((resolve, reject) => {
      const onAbort = () => reject(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      load.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  async #loadVerified(blobId: Uint8Array): Promise<Uint8Array> {
    const { reader } = this.#deps;
    return reader.verifiedBlob(blobId, await reader.metadata(blobId));
  }

  #geometry(quiltId: Uint8Array, length: number): QuiltGeometry {
    try {
      return quiltGeometry(length, this.#deps.ledger.committee.nShards);
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
