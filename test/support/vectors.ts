// Typed access to the golden vectors produced by the official Walrus encoder
// (@mysten/walrus-wasm 0.3.0 + @mysten/walrus 1.2.13 encodeQuilt), kept in test/vectors so a
// clean clone can run the tests (docs/wire/walrus.md "Test vectors").
import { readFileSync } from 'node:fs';
import { xorshift32Bytes } from './xorshift.ts';

export type VectorInput = { readonly empty: true } | { readonly xorshift32Seed: number; readonly length: number };

export interface BlobVector {
  readonly nShards: number;
  readonly input: VectorInput;
  readonly blobId: string;
  readonly root: string;
}

export interface QuiltVector {
  readonly nShards: number;
  readonly frames: readonly { readonly xorshift32Seed: number; readonly length: number }[];
  readonly quiltLength: number;
  readonly quiltBlobId: string;
  readonly patches: readonly { identifier: string; startIndex: number; endIndex: number; quiltPatchId: string }[];
}

export const VECTORS_FILE = new URL('../vectors/walrus-vectors.json', import.meta.url);

export const vectors = JSON.parse(readFileSync(VECTORS_FILE, 'utf8')) as {
  readonly blobs: readonly BlobVector[];
  readonly quilts: readonly QuiltVector[];
};

export function vectorBytes(input: VectorInput): Uint8Array {
  return 'empty' in input ? new Uint8Array() : xorshift32Bytes(input.xorshift32Seed, input.length);
}

export function quiltFrames(vector: QuiltVector): Uint8Array[] {
  return vector.frames.map((f) => xorshift32Bytes(f.xorshift32Seed, f.length));
}
