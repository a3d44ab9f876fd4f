// Builds a Walrus quilt (QuiltV1) from rollup frames with @mysten/walrus's `encodeQuilt`, the TS
// port of walrus-core encoding/quilt_encoding.rs. Every frame becomes one patch whose identifier is
// the lowercase hex keccak256 of the frame, so the quilt itself binds each frame to its hash and
// identical frames in one batch are stored once (identifiers must be unique).
import { encodeQuilt } from '@mysten/walrus';
import { frameKey } from '../../commitment/index.ts';
import { encodingConfig } from './encoding-config.ts';
import { WalrusCodecError } from './errors.ts';

/** The quilt index needs at least one column, so a quilt holds at most s − 1 patches (666 at n = 1000). */
export function maxQuiltPatches(nShards: number): number {
  return encodingConfig(nShards).secondarySymbols - 1;
}

export interface QuiltPatchLocation {
  readonly identifier: string;
  /** First column (secondary sliver index) of the patch. */
  readonly startColumn: number;
  /** One past the last column. */
  readonly endColumn: number;
}

export interface BuiltQuilt {
  /** The quilt blob: exactly p·s·symbolSize bytes. */
  readonly quilt: Uint8Array;
  readonly nShards: number;
  readonly symbolSize: number;
  /** Patches sorted by identifier, as in the quilt index. */
  readonly patches: readonly QuiltPatchLocation[];
}

export interface FrameQuilt extends BuiltQuilt {
  /** For each input frame (same order, duplicates included), its patch. */
  readonly framePatches: readonly QuiltPatchLocation[];
}

/** A frame with its key: lowercase hex keccak256 of the bytes, hashed once, where it arrived. */
export interface KeyedFrame {
  readonly key: string;
  readonly bytes: Uint8Array;
}

/** Packs frames into one quilt; duplicates share a patch; refuses batches over the patch limit. */
export function buildFrameQuilt(frames: readonly Uint8Array[], nShards: number): FrameQuilt {
  return buildKeyedFrameQuilt(
    frames.map((bytes) => ({ key: frameKey(bytes), bytes })),
    nShards,
  );
}

/**
 * `buildFrameQuilt` for frames whose keys are already known: each key becomes the frame's patch
 * identifier as given, without hashing the bytes again (the caller vouches for the keys).
 */
export function buildKeyedFrameQuilt(frames: readonly KeyedFrame[], nShards: number): FrameQuilt {
  const unique = new Map<string, Uint8Array>();
  for (const { key, bytes } of frames) unique.set(key, bytes);
  const built = buildQuilt([...unique].map(([identifier, contents]) => ({ identifier, contents })), nShards);
  const byIdentifier = new Map(built.patches.map((p) => [p.identifier, p]));
  return { ...built, framePatches: frames.map(({ key }) => byIdentifier.get(key) as QuiltPatchLocation) };
}

export interface QuiltEntry {
  readonly identifier: string;
  readonly contents: Uint8Array;
}

/** Packs arbitrary (identifier, contents) entries; identifiers must be unique. */
export function buildQuilt(entries: readonly QuiltEntry[], nShards: number): BuiltQuilt {
  const limit = maxQuiltPatches(nShards);
  if (entries.length === 0) {
    throw new WalrusCodecError('quilt-empty', 'a quilt needs at least one patch');
  }
  if (entries.length > limit) {
    throw new WalrusCodecError(
      'quilt-too-many-patches',
      `${entries.length} patches exceed the quilt limit of ${limit} for ${nShards} shards`,
    );
  }
  const { primarySymbols, secondarySymbols } = encodingConfig(nShards);
  let encoded: ReturnType<typeof encodeQuilt>;
  try {
    encoded = encodeQuilt({ blobs: entries.map((e) => ({ identifier: e.identifier, contents: e.contents })), numShards: nShards, encodingType: 'RS2' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason = /Duplicate/i.test(message) ? 'quilt-malformed' : 'quilt-oversize';
    throw new WalrusCodecError(reason, `cannot build quilt for ${nShards} shards: ${message}`, { cause: error });
  }
  return {
    quilt: encoded.quilt,
    nShards,
    symbolSize: encoded.quilt.length / (primarySymbols * secondarySymbols),
    patches: encoded.index.patches.map((p) => ({ identifier: p.identifier, startColumn: p.startIndex, endColumn: p.endIndex })),
  };
}
