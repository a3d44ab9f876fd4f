// Reproduces every entry of the golden vector file (blob ids at 10 and 1000 shards, quilt blob
// ids and patch ids) with our codec: the wasm pool for ids, our quilt builder for quilts, and
// our independent parser to read the patches back.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { quiltPatchIdToText } from '../../commitment/index.ts';
import { quiltFrames, vectorBytes, vectors, VECTORS_FILE } from '../../../test/support/vectors.ts';
import { blobIdFromText, blobIdToText } from './blob-id.ts';
import { EncoderPool } from './encoder-pool.ts';
import { buildFrameQuilt } from './quilt-build.ts';
import { parseQuiltIndex, readQuiltPatch } from './quilt-parse.ts';

const pool = new EncoderPool();
afterAll(() => pool.close());

describe('golden vectors', () => {
  it('is the same file as ../shared/vectors when that checkout is present', () => {
    const shared = new URL('../../../../shared/vectors/walrus-vectors.json', import.meta.url);
    if (!existsSync(shared)) return; // a clean CI clone carries only its own copy
    expect(readFileSync(VECTORS_FILE, 'utf8')).toBe(readFileSync(shared, 'utf8'));
  });

  it.each(vectors.blobs.map((v) => [`${v.nShards} shards, ${JSON.stringify(v.input)}`, v] as const))(
    'blob id: %s',
    async (_, vector) => {
      const summary = await pool.blobMetadata(vectorBytes(vector.input), vector.nShards);
      expect(blobIdToText(summary.blobId)).toBe(vector.blobId);
      expect(Buffer.from(summary.rootHash).toString('hex')).toBe(vector.root);
    },
  );

  it.each(vectors.quilts.map((v) => [`${v.nShards} shards`, v] as const))('quilt: %s', async (_, vector) => {
    const frames = quiltFrames(vector);
    const built = buildFrameQuilt(frames, vector.nShards);
    expect(built.quilt.length).toBe(vector.quiltLength);

    const summary = await pool.blobMetadata(built.quilt, vector.nShards);
    expect(blobIdToText(summary.blobId)).toBe(vector.quiltBlobId);

    const expected = vector.patches.map((p) => ({ identifier: p.identifier, startColumn: p.startIndex, endColumn: p.endIndex }));
    expect(built.patches).toEqual(expected);
    const quiltId = blobIdFromText(vector.quiltBlobId);
    expect(built.patches.map((p) => quiltPatchIdToText({ quiltId, ...p }))).toEqual(vector.patches.map((p) => p.quiltPatchId));

    // Our parser, written against the layout, reads back what @mysten/walrus wrote.
    const index = parseQuiltIndex(built.quilt, vector.nShards);
    expect(index.entries.map(({ identifier, startColumn, endColumn }) => ({ identifier, startColumn, endColumn }))).toEqual(expected);
    frames.forEach((frame, i) => {
      const located = built.framePatches[i];
      expect(located).toBeDefined();
      expect(readQuiltPatch(built.quilt, vector.nShards, { identifier: located?.identifier ?? '' }).data).toEqual(frame);
    });
  });
});
