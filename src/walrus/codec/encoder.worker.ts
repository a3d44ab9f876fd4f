// Runs the wasm encoder off the event loop. Loaded by `EncoderPool` (piscina) by file name, with
// the task name picking one of the exports below. Results travel back by transfer, not copy:
// `encode` writes all 2n slivers into one ArrayBuffer and moves it.
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { computeBlobMetadata, decodePrimarySlivers, encodeBlob, encodedArenaSize, type BlobMetadataSummary } from './wasm.ts';

export interface BlobMetadataTask {
  readonly data: Uint8Array;
  readonly nShards: number;
}

export interface DecodeTask {
  readonly blobId: Uint8Array;
  readonly length: number;
  readonly nShards: number;
  readonly slivers: readonly Uint8Array[];
}

export function blobMetadata(task: BlobMetadataTask): BlobMetadataSummary {
  return computeBlobMetadata(task.data, task.nShards);
}

export function encode(task: BlobMetadataTask): unknown {
  const arena = new ArrayBuffer(encodedArenaSize(task.data.length, task.nShards));
  const encoded = encodeBlob(task.data, task.nShards, arena);
  return move({
    get [transferableSymbol]() {
      return [arena];
    },
    get [valueSymbol]() {
      return encoded;
    },
  });
}

export function decode(task: DecodeTask): unknown {
  return move(decodePrimarySlivers(task.blobId, task.length, task.nShards, task.slivers));
}
