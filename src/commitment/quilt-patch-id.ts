// Walrus's QuiltPatchId: the id an aggregator serves a single quilt patch by
// (walrus crates/walrus-core/src/lib.rs `QuiltPatchId`, metadata.rs `QuiltPatchInternalIdV1`).
//
//   [0..32)  quilt blob id
//   [32]     0x01            internal id version (V1)
//   [33..35) start column    u16 LE
//   [35..37) end column      u16 LE (exclusive)
//
// Text form: base64url without padding over those 37 bytes = 50 characters.
// It lives here, in the leaf commitment codec, because body v0 embeds it verbatim.
import { CommitmentError, byteText } from './errors.ts';

export const QUILT_PATCH_ID_VERSION_V1 = 0x01;
export const QUILT_PATCH_ID_LENGTH = 37;
const QUILT_PATCH_ID_TEXT = /^[A-Za-z0-9_-]{50}$/;
const U16_MAX = 0xffff;

export interface QuiltPatchId {
  /** Blob id of the quilt (raw 32 bytes). */
  readonly quiltId: Uint8Array;
  readonly startColumn: number;
  readonly endColumn: number;
}

export function encodeQuiltPatchId(id: QuiltPatchId): Uint8Array {
  if (id.quiltId.length !== 32) {
    throw new CommitmentError('length', `invalid quilt id length: expected 32 bytes, got ${id.quiltId.length}`);
  }
  validateColumns(id.startColumn, id.endColumn);
  const out = new Uint8Array(QUILT_PATCH_ID_LENGTH);
  const view = new DataView(out.buffer);
  out.set(id.quiltId, 0);
  out[32] = QUILT_PATCH_ID_VERSION_V1;
  view.setUint16(33, id.startColumn, true);
  view.setUint16(35, id.endColumn, true);
  return out;
}

export function decodeQuiltPatchId(bytes: Uint8Array): QuiltPatchId {
  if (bytes.length !== QUILT_PATCH_ID_LENGTH) {
    throw new CommitmentError('length', `invalid quilt patch id length: expected 37 bytes, got ${bytes.length}`);
  }
  if (bytes[32] !== QUILT_PATCH_ID_VERSION_V1) {
    throw new CommitmentError('patch-id-version', `unknown quilt patch id version ${byteText(bytes[32] ?? 0)} (supported: 0x01)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const id = { quiltId: bytes.slice(0, 32), startColumn: view.getUint16(33, true), endColumn: view.getUint16(35, true) };
  validateColumns(id.startColumn, id.endColumn);
  return id;
}

/** The 50-character text form aggregators accept at `/v1/blobs/by-quilt-patch-id/{id}`. */
export function quiltPatchIdToText(id: QuiltPatchId): string {
  return Buffer.from(encodeQuiltPatchId(id)).toString('base64url');
}

export function quiltPatchIdFromText(text: string): QuiltPatchId {
  if (!QUILT_PATCH_ID_TEXT.test(text)) {
    throw new CommitmentError('encoding', `invalid quilt patch id ${JSON.stringify(text.slice(0, 80))}: expected 50 base64url characters without padding`);
  }
  const bytes = Uint8Array.from(Buffer.from(text, 'base64url'));
  if (Buffer.from(bytes).toString('base64url') !== text) {
    throw new CommitmentError('encoding', `invalid quilt patch id ${JSON.stringify(text)}: non-canonical base64url`);
  }
  return decodeQuiltPatchId(bytes);
}

/** Column 0 always holds the quilt index, so a patch starts at column ≥ 1. */
export function validateColumns(start: number, end: number): void {
  const isU16 = (v: number) => Number.isInteger(v) && v >= 0 && v <= U16_MAX;
  if (!isU16(start) || !isU16(end) || start < 1 || end <= start) {
    throw new CommitmentError(
      'column-range',
      `invalid quilt patch column range [${start}, ${end}): need 1 ≤ start < end ≤ 65535 (column 0 holds the quilt index)`,
    );
  }
}
