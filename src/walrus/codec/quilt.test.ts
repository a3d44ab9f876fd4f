import { encodeQuilt } from '@mysten/walrus';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { xorshift32Bytes } from '../../../test/support/xorshift.ts';
import { WalrusCodecError } from './errors.ts';
import { frameKey } from '../../commitment/index.ts';
import { buildFrameQuilt, buildQuilt, maxQuiltPatches } from './quilt-build.ts';
import { decodeQuiltPatch, parseQuiltIndex, quiltColumns, quiltGeometry, readQuiltPatch } from './quilt-parse.ts';

const frameArb = fc.uint8Array({ minLength: 0, maxLength: 3000 });

function codecFailure(fn: () => unknown): WalrusCodecError {
  try {
    fn();
  } catch (error) {
    if (error instanceof WalrusCodecError) return error;
    throw error;
  }
  throw new Error('expected a WalrusCodecError');
}

describe('quilt build', () => {
  it('names patches by lowercase hex keccak256 and sorts them', () => {
    const frames = [Uint8Array.of(2), Uint8Array.of(1), new Uint8Array()];
    const built = buildFrameQuilt(frames, 10);
    expect(frameKey(new Uint8Array())).toBe('c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
    const identifiers = built.patches.map((p) => p.identifier);
    expect(identifiers).toEqual([...identifiers].sort());
    expect(built.framePatches.map((p) => p.identifier)).toEqual(frames.map(frameKey));
    expect(built.quilt.length).toBe(4 * 7 * built.symbolSize);
  });

  it('stores identical frames once', () => {
    const frame = xorshift32Bytes(1, 500);
    const built = buildFrameQuilt([frame, Uint8Array.of(9), frame.slice()], 10);
    expect(built.patches).toHaveLength(2);
    expect(built.framePatches[0]).toEqual(built.framePatches[2]);
  });

  it('refuses batches over the patch limit with a clear error', () => {
    expect(maxQuiltPatches(1000)).toBe(666);
    expect(maxQuiltPatches(10)).toBe(6);
    const seven = Array.from({ length: 7 }, (_, i) => Uint8Array.of(i));
    expect(codecFailure(() => buildFrameQuilt(seven, 10))).toMatchObject({
      reason: 'quilt-too-many-patches',
      message: '7 patches exceed the quilt limit of 6 for 10 shards',
    });
    expect(buildFrameQuilt(seven.slice(0, 6), 10).patches).toHaveLength(6);
    const many = Array.from({ length: 667 }, (_, i) => Uint8Array.of(i & 0xff, i >> 8));
    expect(codecFailure(() => buildFrameQuilt(many, 1000)).reason).toBe('quilt-too-many-patches');
    expect(buildFrameQuilt(many.slice(0, 666), 1000).patches).toHaveLength(666);
    expect(codecFailure(() => buildFrameQuilt([], 10)).reason).toBe('quilt-empty');
  });

  it('refuses quilts over the maximum blob size', () => {
    const huge = new Uint8Array(1_900_000); // > 1,834,952 B, the n = 10 maximum
    expect(codecFailure(() => buildFrameQuilt([huge], 10)).reason).toBe('quilt-oversize');
  });
});

describe('quilt parse', () => {
  it('parse(build(frames)) returns every frame at 10 shards', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 6 }), (frames) => {
        const built = buildFrameQuilt(frames, 10);
        const index = parseQuiltIndex(built.quilt, 10);
        expect(index.entries.map(({ identifier, startColumn, endColumn }) => ({ identifier, startColumn, endColumn }))).toEqual(built.patches);
        frames.forEach((frame, i) => {
          const where = built.framePatches[i]!;
          expect(readQuiltPatch(built.quilt, 10, { identifier: where.identifier }).data).toEqual(frame);
          expect(readQuiltPatch(built.quilt, 10, { startColumn: where.startColumn, endColumn: where.endColumn }).data).toEqual(frame);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('parse(build(frames)) at 1000 shards with hundreds of patches', () => {
    const frames = Array.from({ length: 300 }, (_, i) => xorshift32Bytes(i + 1, 100 + ((i * 7919) % 4000)));
    const built = buildFrameQuilt(frames, 1000);
    const index = parseQuiltIndex(built.quilt, 1000);
    expect(index.entries).toHaveLength(300);
    expect(index.indexColumns).toBe(built.patches[0]?.startColumn);
    for (const i of [0, 1, 150, 299]) {
      expect(readQuiltPatch(built.quilt, 1000, { identifier: frameKey(frames[i]!) }).data).toEqual(frames[i]);
    }
  });

  it('reads tags written by @mysten/walrus encodeQuilt directly', () => {
    const { quilt } = encodeQuilt({
      blobs: [
        { identifier: 'b-second', contents: Uint8Array.of(1, 2, 3), tags: { kind: 'frame', __proto__: 'x' } },
        { identifier: 'a-first', contents: new Uint8Array(5000).fill(7) },
      ],
      numShards: 10,
      encodingType: 'RS2',
    });
    const index = parseQuiltIndex(quilt, 10);
    expect(index.entries.map((e) => e.identifier)).toEqual(['a-first', 'b-second']);
    const tagged = readQuiltPatch(quilt, 10, { identifier: 'b-second' });
    expect(tagged.data).toEqual(Uint8Array.of(1, 2, 3));
    expect(tagged.tags.kind).toBe('frame');
    expect(Object.getPrototypeOf(tagged.tags)).toBe(Object.prototype);
  });

  it('reports missing patches and non-quilt lengths precisely', () => {
    const built = buildFrameQuilt([Uint8Array.of(1)], 10);
    expect(codecFailure(() => readQuiltPatch(built.quilt, 10, { identifier: 'nope' })).message).toBe('the quilt has no patch with identifier "nope"');
    expect(codecFailure(() => readQuiltPatch(built.quilt, 10, { startColumn: 2, endColumn: 3 })).reason).toBe('quilt-patch-not-found');
    expect(codecFailure(() => quiltGeometry(29, 10)).reason).toBe('quilt-malformed');
  });

  it('fuzz: corrupted quilts and random bytes raise WalrusCodecError or parse consistently', () => {
    const frames = [xorshift32Bytes(3, 900), xorshift32Bytes(4, 20), xorshift32Bytes(5, 3000)];
    const { quilt } = buildFrameQuilt(frames, 10);
    const geometry = quiltGeometry(quilt.length, 10);
    const mutated = fc
      .array(fc.tuple(fc.nat(quilt.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 })
      .map((edits) => {
        const copy = quilt.slice();
        // Aim most edits at the index: column 0 is symbol 0 of every row.
        for (const [at, value] of edits) copy[at % 2 === 0 ? (at % geometry.rows) * geometry.columns * geometry.symbolSize : at] = value;
        return copy;
      });
    const random = fc.integer({ min: 1, max: 400 }).chain((k) => fc.uint8Array({ minLength: 28 * k, maxLength: 28 * k }));
    fc.assert(
      fc.property(fc.oneof(mutated, random), (bytes) => {
        try {
          const index = parseQuiltIndex(bytes, 10);
          for (const entry of index.entries) {
            try {
              const patch = decodeQuiltPatch(quiltColumns(bytes, index.geometry, entry.startColumn, entry.endColumn));
              expect(typeof patch.identifier).toBe('string');
            } catch (error) {
              expect(error).toBeInstanceOf(WalrusCodecError);
            }
          }
        } catch (error) {
          expect(error).toBeInstanceOf(WalrusCodecError);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('buildQuilt keeps caller identifiers and rejects duplicates', () => {
    const built = buildQuilt([{ identifier: 'x', contents: Uint8Array.of(1) }], 10);
    // Symbol size 2 → 8-byte columns: the 11-byte index takes columns 0–1, the 11-byte patch 2–3.
    expect(built.patches).toEqual([{ identifier: 'x', startColumn: 2, endColumn: 4 }]);
    expect(readQuiltPatch(built.quilt, 10, { identifier: 'x' }).data).toEqual(Uint8Array.of(1));
    expect(codecFailure(() => buildQuilt([{ identifier: 'x', contents: Uint8Array.of(1) }, { identifier: 'x', contents: Uint8Array.of(2) }], 10)).reason).toBe(
      'quilt-malformed',
    );
  });
});
